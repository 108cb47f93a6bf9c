import { Big, formatMinor, isKnownCurrency, newId, parseMoney, type BusinessDate, type Decimal } from '../../kernel';
import type { RequestContext } from '../../platform/auth/actor';
import { recordAudits, type AuditRecord } from '../../platform/audit/audit';
import type { Executor, Tx } from '../../platform/db/database';
import { AppError, notFound, readAt } from '../../platform/errors/app-error';
import { emitEvents } from '../../platform/outbox/outbox';
import { getTenant } from '../../platform/tenants/tenants';
import { changeOpenBalance, todayFor, type BalanceChange, type InvoiceRow, type StoredTaxBreakdown } from '../invoicing';
import { findRate, postEntry, reverseEntry, vatPayableKey, type PostingLineInput } from '../ledger';
import { availableDiscount, convertMinor, crossRate, settle, splitDiscount, suggestApplications } from './payments.rules';
import type { PaymentsTable, SourceType } from './payments.tables';
import type { Selectable } from 'kysely';
import './payments.tables';

export type PaymentRow = Selectable<PaymentsTable>;

/** One invoice to settle: how much cash (invoice currency; none given: as much as settles it), and whether discount and a small difference may close it. */
export interface ApplicationRequest {
  readonly invoiceId: string;
  readonly amount?: string | undefined;
  readonly takeDiscount?: boolean | undefined;
  readonly acceptDifference?: boolean | undefined;
}

/** What applies: a received payment (its unapplied cash) or a credit note (its open credit item). */
export type Source =
  | { readonly type: 'payment'; readonly row: PaymentRow }
  | { readonly type: 'credit_note'; readonly row: InvoiceRow };

interface SourceFacts {
  readonly id: string;
  readonly number: string;
  readonly customerId: string;
  readonly currency: string;
  readonly availableMinor: bigint;
  /** The date that decides discounts and rates: the payment's value date, the credit note's issue date. */
  readonly valueDate: BusinessDate;
}

function factsOf(source: Source): SourceFacts {
  if (source.type === 'payment') {
    const row = source.row;
    return { id: row.id, number: row.number, customerId: row.customer_id, currency: row.currency, availableMinor: row.unapplied_minor, valueDate: row.value_date };
  }
  const row = source.row;
  return { id: row.id, number: row.number ?? row.id, customerId: row.customer_id, currency: row.currency, availableMinor: row.open_minor, valueDate: row.issue_date ?? '' };
}

/** A planned application: every figure worked out, nothing written yet. */
export interface PlannedApplication {
  readonly invoice: InvoiceRow;
  readonly amountMinor: bigint;
  readonly discountMinor: bigint;
  readonly differenceMinor: bigint;
  readonly sourceAmountMinor: bigint;
  /** Source → invoice currency, when they differ. */
  readonly rate: Decimal | null;
  /** Invoice currency → base at the value date (1 for the base currency). */
  readonly invoiceValueRate: Decimal;
  /** Source currency → base at the value date. */
  readonly sourceValueRate: Decimal;
  readonly discountAvailableMinor: bigint;
}

export interface Settings {
  readonly toleranceMinor: bigint;
  readonly writeOffThresholdMinor: bigint;
}

export async function readSettings(executor: Executor, tenantId: string): Promise<Settings & { version: number }> {
  const row = await executor.selectFrom('payment_settings').selectAll().where('tenant_id', '=', tenantId).executeTakeFirstOrThrow();
  return { toleranceMinor: row.tolerance_minor, writeOffThresholdMinor: row.write_off_threshold_minor, version: row.version };
}

/** The rate of a currency to the base on a date, 1 for the base itself; a missing rate is refused naming the pair, the date and where it is needed. */
export async function rateToBase(executor: Executor, tenantId: string, currency: string, baseCurrency: string, date: BusinessDate, path: string): Promise<Decimal> {
  if (currency === baseCurrency) return new Big('1');
  const found = await findRate(executor, tenantId, currency, baseCurrency, date);
  if (found === null) {
    throw new AppError('O2C_EXCHANGE_RATE_MISSING', `no ${currency}→${baseCurrency} exchange rate on or before ${date}; enter one under Ledger → Exchange rates, then apply again`, [
      { path, message: `needs a ${currency}→${baseCurrency} rate on or before ${date}` },
    ]);
  }
  return found.rate;
}

/** Discount already granted on an invoice by applications in force. */
async function grantedDiscounts(executor: Executor, tenantId: string, invoiceIds: readonly string[]): Promise<Map<string, bigint>> {
  if (invoiceIds.length === 0) return new Map();
  const rows = await executor
    .selectFrom('payment_applications')
    .select(['invoice_id', (eb) => eb.fn.sum<string>('discount_minor').as('granted')])
    .where('tenant_id', '=', tenantId)
    .where('invoice_id', 'in', invoiceIds)
    .where('status', '=', 'active')
    .groupBy('invoice_id')
    .execute();
  return new Map(rows.map((row) => [row.invoice_id, BigInt(row.granted)]));
}

export function discountFor(invoice: InvoiceRow, granted: bigint, valueDate: BusinessDate): bigint {
  if (invoice.kind !== 'invoice') return 0n;
  const available = availableDiscount(
    { discountPercent: invoice.payment_terms_discount_percent, discountDeadline: invoice.discount_deadline, discountableMinor: invoice.gross_minor - invoice.credited_minor, grantedMinor: granted },
    valueDate,
    invoice.currency,
  );
  return available < invoice.open_minor ? available : invoice.open_minor;
}

/** Reads (and, in a transaction, has locked) the invoices named, in id order, checking each is an open invoice of the source's customer. */
function checkInvoices(facts: SourceFacts, requests: readonly ApplicationRequest[], invoices: readonly InvoiceRow[], path: string): InvoiceRow[] {
  const seen = new Set<string>();
  return requests.map((request, index) => {
    const at = `${path}.${index}.invoiceId`;
    const invoice = invoices.find((row) => row.id === request.invoiceId);
    if (invoice === undefined) throw new AppError('O2C_NOT_FOUND', `invoice ${request.invoiceId} does not exist`, [{ path: at, message: 'no such invoice' }]);
    if (seen.has(invoice.id)) throw new AppError('O2C_INVALID_VALUE', `${invoice.number ?? 'the invoice'} is named twice; name each invoice once`, [{ path: at, message: 'named twice' }]);
    seen.add(invoice.id);
    if (invoice.kind !== 'invoice' || invoice.status !== 'issued') {
      throw new AppError('O2C_BUSINESS_RULE', `${invoice.number ?? 'a draft'} is not an issued invoice; payments and credits apply to issued invoices`, [{ path: at, message: 'not an issued invoice' }]);
    }
    if (invoice.customer_id !== facts.customerId) {
      throw new AppError('O2C_OTHER_CUSTOMER', `${invoice.number} is an invoice of ${invoice.customer_name}, not of the customer of ${facts.number}`, [{ path: at, message: 'belongs to another customer' }]);
    }
    if (invoice.open_minor === 0n) throw new AppError('O2C_EXCEEDS_OPEN', `${invoice.number} is settled; nothing is open on it`, [{ path: at, message: 'nothing open' }]);
    return invoice;
  });
}

/**
 * Works out each application: the amount (given, or what settles the invoice with
 * its discount, or what is left of the source), the discount, an accepted
 * difference, what it takes from the source in the source's currency, and the
 * rates. Refuses, naming the field, anything that would over-apply the invoice or
 * over-spend the source.
 */
export async function planApplications(executor: Executor, tenantId: string, source: Source, requests: readonly ApplicationRequest[], invoices: readonly InvoiceRow[], path: string): Promise<PlannedApplication[]> {
  const facts = factsOf(source);
  const checked = checkInvoices(facts, requests, invoices, path);
  const tenant = await getTenant(executor, tenantId);
  const base = tenant.baseCurrency;
  const settings = await readSettings(executor, tenantId);
  const granted = await grantedDiscounts(executor, tenantId, checked.map((invoice) => invoice.id));
  // The payment's money is worth what its receipt was booked at, whatever rate is entered for that date later.
  const receiptEntryId = source.type === 'payment' ? (source.row.journal_entry_id as string | undefined) : undefined;
  const sourceValueRate =
    receiptEntryId === undefined
      ? await rateToBase(executor, tenantId, facts.currency, base, facts.valueDate, `${path}.0.invoiceId`)
      : new Big((await executor.selectFrom('journal_entries').select('exchange_rate').where('tenant_id', '=', tenantId).where('id', '=', receiptEntryId).executeTakeFirstOrThrow()).exchange_rate);
  let left = facts.availableMinor;
  const plans: PlannedApplication[] = [];
  for (const [index, request] of requests.entries()) {
    const invoice = checked[index]!;
    const at = `${path}.${index}`;
    const currency = invoice.currency;
    const foreign = currency !== facts.currency;
    if (foreign && source.type === 'credit_note') {
      throw new AppError('O2C_BUSINESS_RULE', `${facts.number} is in ${facts.currency} and ${invoice.number} in ${currency}; a credit item settles invoices of its own currency`, [{ path: `${at}.invoiceId`, message: `not in ${facts.currency}` }]);
    }
    const invoiceValueRate = foreign ? await rateToBase(executor, tenantId, currency, base, facts.valueDate, `${at}.invoiceId`) : sourceValueRate;
    const rate = foreign ? crossRate(sourceValueRate, invoiceValueRate) : null;
    const discountAvailable = source.type === 'payment' ? discountFor(invoice, granted.get(invoice.id) ?? 0n, facts.valueDate) : 0n;
    const takeDiscount = request.takeDiscount ?? true;
    const leftInInvoiceCurrency = rate === null ? left : convertMinor(left, facts.currency, currency, rate);
    let amountMinor: bigint;
    if (request.amount !== undefined) {
      amountMinor = readAt(`${at}.amount`, () => parseMoney(request.amount!, currency, 'amount')).amountMinor;
      if (amountMinor < 0n) throw new AppError('O2C_INVALID_VALUE', `${at}.amount: an amount applied cannot be negative`, [{ path: `${at}.amount`, message: 'must not be negative' }]);
    } else {
      const settles = invoice.open_minor - (takeDiscount ? discountAvailable : 0n);
      amountMinor = settles < leftInInvoiceCurrency ? settles : leftInInvoiceCurrency;
    }
    const toleranceMinor = currency === base ? settings.toleranceMinor : convertMinor(settings.toleranceMinor, base, currency, new Big('1').div(invoiceValueRate));
    const outcome = settle(
      { openMinor: invoice.open_minor, amountMinor, discountAvailableMinor: discountAvailable, takeDiscount, acceptDifference: request.acceptDifference ?? false, toleranceMinor: source.type === 'payment' ? toleranceMinor : 0n },
      currency,
    );
    if (!outcome.ok) {
      const code = amountMinor > invoice.open_minor ? 'O2C_EXCEEDS_OPEN' : 'O2C_BUSINESS_RULE';
      throw new AppError(code, `${invoice.number}: ${outcome.reason}`, [{ path: `${at}.amount`, message: outcome.reason }]);
    }
    // The last application of what is left takes exactly what is left, so converted amounts never strand a minor unit.
    const sourceAmountMinor = rate === null ? outcome.amountMinor : outcome.amountMinor === leftInInvoiceCurrency ? left : convertMinor(outcome.amountMinor, currency, facts.currency, new Big('1').div(rate));
    if (sourceAmountMinor > left) {
      const show = (minor: bigint) => `${formatMinor(minor, facts.currency)} ${facts.currency}`;
      throw new AppError('O2C_EXCEEDS_UNAPPLIED', `${facts.number} has ${show(left)} left to apply; ${invoice.number} would take ${show(sourceAmountMinor)}`, [
        { path: `${at}.amount`, message: `at most ${formatMinor(leftInInvoiceCurrency, currency)} ${currency}` },
      ]);
    }
    left -= sourceAmountMinor;
    plans.push({ invoice, ...outcome, sourceAmountMinor, rate, invoiceValueRate, sourceValueRate, discountAvailableMinor: discountAvailable });
  }
  return plans;
}

/** The suggested applications of what is left of a source to the customer's open invoices of its currency (or, with rates, of any currency): oldest due first. */
export async function suggestFor(executor: Executor, tenantId: string, facts: { customerId: string; currency: string; availableMinor: bigint; valueDate: BusinessDate }): Promise<ApplicationRequest[]> {
  const invoices = await executor
    .selectFrom('invoices')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('customer_id', '=', facts.customerId)
    .where('kind', '=', 'invoice')
    .where('status', '=', 'issued')
    .where('open_minor', '>', 0n)
    .where('currency', '=', facts.currency)
    .execute();
  const granted = await grantedDiscounts(executor, tenantId, invoices.map((invoice) => invoice.id));
  const suggestions = suggestApplications(
    facts.availableMinor,
    invoices.map((invoice) => ({ id: invoice.id, dueDate: invoice.due_date, issueDate: invoice.issue_date ?? '', number: invoice.number ?? '', openMinor: invoice.open_minor, discountAvailableMinor: discountFor(invoice, granted.get(invoice.id) ?? 0n, facts.valueDate) })),
  );
  const currency = facts.currency;
  return suggestions.map((suggestion) => ({ invoiceId: suggestion.invoiceId, amount: formatMinor(suggestion.amountMinor, currency), takeDiscount: suggestion.discountMinor > 0n }));
}

/** The ledger account that takes a receipt of this method. */
export function cashAccountFor(method: string): string {
  return method === 'card' ? 'card_clearing' : method === 'cheque' ? 'cheque_clearing' : 'bank';
}

export async function lockInvoicesInOrder(tx: Tx, tenantId: string, ids: readonly string[]): Promise<InvoiceRow[]> {
  const unique = [...new Set(ids)].sort();
  if (unique.length === 0) return [];
  // One statement, rows locked in id order: concurrent settlements of overlapping invoices queue instead of deadlocking.
  return tx.selectFrom('invoices').selectAll().where('tenant_id', '=', tenantId).where('id', 'in', unique).orderBy('id').forUpdate().execute();
}

interface Posted {
  readonly entryId: string | null;
  readonly bridgeEntryId: string | null;
  readonly fxBaseMinor: bigint;
}

/**
 * The entries of one application. The settlement posts in the invoice's currency
 * at the invoice's rate, so receivables leave at the value they came in at:
 * receivables credited with the cash, discount and difference; debited the
 * discount's net to sales discounts and its VAT per rate, the difference to bank
 * charges, the cash to unapplied cash. When the payment's currency or rate differs,
 * the cash comes through the FX account: a bridge entry in the payment's currency
 * at its value-date rate moves it out of unapplied cash, and what the two leave on
 * the FX account is the realised gain or loss.
 */
async function postApplication(tx: Tx, context: RequestContext, source: Source, plan: PlannedApplication, businessDate: BusinessDate, applicationId: string, baseCurrency: string): Promise<Posted> {
  const tenantId = context.actor.tenantId;
  const facts = factsOf(source);
  if (source.type === 'credit_note') return { entryId: null, bridgeEntryId: null, fxBaseMinor: 0n };
  const invoice = plan.invoice;
  const customerId = invoice.customer_id;
  const invoiceRate = invoice.currency === baseCurrency ? new Big('1') : new Big(invoice.exchange_rate ?? '1');
  const bridged = plan.amountMinor > 0n && (facts.currency !== invoice.currency || !plan.invoiceValueRate.eq(invoiceRate));
  const cashBaseMinor = convertMinor(plan.sourceAmountMinor, facts.currency, baseCurrency, plan.sourceValueRate);
  const carriedBaseMinor = convertMinor(plan.amountMinor, invoice.currency, baseCurrency, invoiceRate);
  const fxAccount = cashBaseMinor >= carriedBaseMinor ? 'fx_gain' : 'fx_loss';
  const description = `Payment ${facts.number} applied to ${invoice.number} ${invoice.customer_name}`;
  const sourceRef = { type: 'payment_application', id: applicationId };
  let bridgeEntryId: string | null = null;
  if (bridged) {
    const bridge = await postEntry(tx, context, {
      businessDate,
      description: `${description} (${facts.currency}→${invoice.currency})`,
      source: sourceRef,
      currency: facts.currency,
      kind: 'automatic',
      rate: plan.sourceValueRate,
      lines: [
        { systemKey: 'unapplied_cash', side: 'debit', amountMinor: plan.sourceAmountMinor, customerId },
        { systemKey: fxAccount, side: 'credit', amountMinor: plan.sourceAmountMinor },
      ],
    });
    bridgeEntryId = bridge.id;
  }
  const lines: PostingLineInput[] = [];
  if (plan.amountMinor > 0n) lines.push({ systemKey: bridged ? fxAccount : 'unapplied_cash', side: 'debit', amountMinor: plan.amountMinor, customerId: bridged ? null : customerId });
  if (plan.discountMinor > 0n) {
    const groups = (invoice.tax_breakdown as StoredTaxBreakdown[]).map((group) => ({ categoryCode: group.categoryCode, ratePercent: group.ratePercent, taxableMinor: BigInt(group.taxableMinor), taxMinor: BigInt(group.taxMinor) }));
    const parts = splitDiscount(groups, plan.discountMinor, invoice.currency);
    const netMinor = parts.reduce((sum, part) => sum + part.netMinor, 0n);
    if (netMinor > 0n) lines.push({ systemKey: 'sales_discounts', side: 'debit', amountMinor: netMinor, description: 'Early-payment discount' });
    const taxByKey = new Map<string, bigint>();
    for (const part of parts) {
      if (part.taxMinor === 0n) continue;
      const key = await vatPayableKey(tx, tenantId, new Big(part.ratePercent).toFixed());
      taxByKey.set(key, (taxByKey.get(key) ?? 0n) + part.taxMinor);
    }
    for (const [key, taxMinor] of taxByKey) lines.push({ systemKey: key, side: 'debit', amountMinor: taxMinor, description: 'VAT on early-payment discount' });
  }
  if (plan.differenceMinor > 0n) lines.push({ systemKey: 'bank_charges', side: 'debit', amountMinor: plan.differenceMinor, description: 'Difference accepted' });
  lines.push({ systemKey: 'receivables', side: 'credit', amountMinor: plan.amountMinor + plan.discountMinor + plan.differenceMinor, customerId });
  const entry = await postEntry(tx, context, {
    businessDate,
    description,
    source: sourceRef,
    currency: invoice.currency,
    kind: 'automatic',
    ...(invoice.currency === baseCurrency ? {} : { rate: invoiceRate }),
    lines,
  });
  let fxBaseMinor = 0n;
  if (bridgeEntryId !== null) {
    // What the two entries leave on the FX account, in base: the bridge's credit (line 2) less the settlement's debit (line 1).
    const fxLines = await tx
      .selectFrom('journal_lines')
      .select(['entry_id', 'base_amount_minor'])
      .where('tenant_id', '=', tenantId)
      .where((where) => where.or([where.and([where('entry_id', '=', bridgeEntryId), where('line_no', '=', 2)]), where.and([where('entry_id', '=', entry.id), where('line_no', '=', 1)])]))
      .execute();
    const baseOf = (entryId: string) => fxLines.find((line) => line.entry_id === entryId)?.base_amount_minor ?? 0n;
    fxBaseMinor = baseOf(bridgeEntryId) - baseOf(entry.id);
  }
  return { entryId: entry.id, bridgeEntryId, fxBaseMinor };
}

/**
 * Applies a locked source (payment or credit note) to invoices: plans every
 * application, locks the invoices in id order, posts each, lowers each invoice's
 * open balance and the source's unapplied amount, and records it all.
 */
export async function applySource(tx: Tx, context: RequestContext, source: Source, requests: readonly ApplicationRequest[], path: string, lockedInvoices?: readonly InvoiceRow[]): Promise<void> {
  const tenantId = context.actor.tenantId;
  if (requests.length === 0) return;
  const facts = factsOf(source);
  if (source.type === 'payment' && source.row.status !== 'received') throw new AppError('O2C_STATE_CONFLICT', `${facts.number} was reversed; nothing is left to apply`);
  const invoices = lockedInvoices ?? (await lockInvoicesInOrder(tx, tenantId, requests.map((request) => request.invoiceId)));
  const plans = await planApplications(tx, tenantId, source, requests, invoices, path);
  const tenant = await getTenant(tx, tenantId);
  // Applications are dated the day they are made (never before the money arrived).
  const businessDate = maxDate(await todayFor(tx, tenantId), facts.valueDate);
  const audits: AuditRecord[] = [];
  let takenMinor = 0n;
  const used: BalanceChange[] = [];
  for (const plan of plans) {
    const id = newId();
    const invoice = plan.invoice;
    const posted = await postApplication(tx, context, source, plan, businessDate, id, tenant.baseCurrency);
    await tx
      .insertInto('payment_applications')
      .values({
        tenant_id: tenantId,
        id,
        source_type: source.type,
        payment_id: source.type === 'payment' ? facts.id : null,
        credit_note_id: source.type === 'credit_note' ? facts.id : null,
        invoice_id: invoice.id,
        customer_id: invoice.customer_id,
        invoice_currency: invoice.currency,
        source_currency: facts.currency,
        amount_minor: plan.amountMinor,
        discount_minor: plan.discountMinor,
        difference_minor: plan.differenceMinor,
        source_amount_minor: plan.sourceAmountMinor,
        rate: plan.rate === null ? null : plan.rate.toFixed(12),
        fx_base_minor: posted.fxBaseMinor,
        business_date: businessDate,
        journal_entry_id: posted.entryId,
        bridge_entry_id: posted.bridgeEntryId,
        created_by: context.actor.name,
      })
      .execute();
    const ref = { type: 'payment_application', id };
    const updated = await changeOpenBalance(tx, invoice, [
      { deltaMinor: -plan.amountMinor, kind: 'applied', businessDate, source: ref },
      { deltaMinor: -plan.discountMinor, kind: 'discount', businessDate, source: ref },
      { deltaMinor: -plan.differenceMinor, kind: 'difference', businessDate, source: ref },
    ]);
    takenMinor += plan.sourceAmountMinor;
    used.push({ deltaMinor: -plan.sourceAmountMinor, kind: 'used', businessDate, source: ref });
    const show = (minor: bigint) => formatMinor(minor, invoice.currency);
    audits.push({
      action: 'invoice.payment_applied',
      entityType: 'invoice',
      entityId: invoice.id,
      before: { open: show(invoice.open_minor) },
      after: { from: facts.number, amount: show(plan.amountMinor), discount: show(plan.discountMinor), difference: show(plan.differenceMinor), open: show(updated.open_minor), paymentStatus: updated.payment_status },
    });
  }
  if (source.type === 'payment') {
    const row = source.row;
    await tx
      .updateTable('payments')
      .set({ applied_minor: row.applied_minor + takenMinor, unapplied_minor: row.unapplied_minor - takenMinor, version: row.version + 1, updated_at: new Date() })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', row.id)
      .execute();
  } else {
    const current = await tx.selectFrom('invoices').selectAll().where('tenant_id', '=', tenantId).where('id', '=', facts.id).executeTakeFirstOrThrow();
    await changeOpenBalance(tx, current, used);
  }
  audits.push({
    action: source.type === 'payment' ? 'payment.applied' : 'credit_note.applied',
    entityType: source.type === 'payment' ? 'payment' : 'invoice',
    entityId: facts.id,
    after: {
      applied: plans.map((plan) => ({ invoice: plan.invoice.number, amount: formatMinor(plan.amountMinor, plan.invoice.currency), currency: plan.invoice.currency, discount: formatMinor(plan.discountMinor, plan.invoice.currency) })),
      left: formatMinor(facts.availableMinor - takenMinor, facts.currency),
    },
  });
  await recordAudits(tx, context, audits);
  await emitEvents(
    tx,
    tenantId,
    plans.map((plan) => ({
      type: 'invoice.payment_applied',
      aggregateType: 'invoice',
      aggregateId: plan.invoice.id,
      payload: { number: plan.invoice.number, customerId: plan.invoice.customer_id, sourceType: source.type, sourceId: facts.id, amount: formatMinor(plan.amountMinor, plan.invoice.currency), currency: plan.invoice.currency, baseCurrency: tenant.baseCurrency },
    })),
  );
}

export function maxDate(a: BusinessDate, b: BusinessDate): BusinessDate {
  return a > b ? a : b;
}

/**
 * Undoes an application: reverses its entries (at their own rates, so base
 * amounts cancel too), gives the invoice its open balance back and the source its
 * amount. Sources are locked before invoices, as everywhere.
 */
export async function undoApplication(
  tx: Tx,
  context: RequestContext,
  applicationId: string,
  reason: string,
  options: { lockedSource?: boolean; businessDate?: BusinessDate } = {},
): Promise<{ sourceType: SourceType; sourceId: string }> {
  const tenantId = context.actor.tenantId;
  const first = await tx.selectFrom('payment_applications').selectAll().where('tenant_id', '=', tenantId).where('id', '=', applicationId).executeTakeFirst();
  if (first === undefined) throw notFound('application', applicationId);
  let payment: PaymentRow | null = null;
  if (first.source_type === 'payment' && options.lockedSource !== true) {
    payment = (await tx.selectFrom('payments').selectAll().where('tenant_id', '=', tenantId).where('id', '=', first.payment_id!).forUpdate().executeTakeFirstOrThrow()) ?? null;
  }
  const locked = await lockInvoicesInOrder(tx, tenantId, [first.invoice_id, ...(first.credit_note_id === null ? [] : [first.credit_note_id])]);
  const application = await tx.selectFrom('payment_applications').selectAll().where('tenant_id', '=', tenantId).where('id', '=', applicationId).executeTakeFirstOrThrow();
  if (application.status !== 'active') throw new AppError('O2C_STATE_CONFLICT', `this application was already undone on ${application.undo_date} (${application.undo_reason})`);
  const today = await todayFor(tx, tenantId);
  const businessDate = maxDate(options.businessDate ?? today, application.business_date);
  const invoice = locked.find((row) => row.id === application.invoice_id)!;
  for (const entryId of [application.journal_entry_id, application.bridge_entry_id]) {
    if (entryId !== null) await reverseEntry(tx, context, entryId, { businessDate, kind: 'automatic', description: `Undone: ${reason}`.slice(0, 500) });
  }
  const ref = { type: 'payment_application', id: application.id };
  await changeOpenBalance(tx, invoice, [{ deltaMinor: application.amount_minor + application.discount_minor + application.difference_minor, kind: 'undone', businessDate, source: ref }]);
  if (application.source_type === 'payment') {
    const row = payment ?? (await tx.selectFrom('payments').selectAll().where('tenant_id', '=', tenantId).where('id', '=', application.payment_id!).executeTakeFirstOrThrow());
    await tx
      .updateTable('payments')
      .set({ applied_minor: row.applied_minor - application.source_amount_minor, unapplied_minor: row.unapplied_minor + application.source_amount_minor, version: row.version + 1, updated_at: new Date() })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', row.id)
      .execute();
  } else {
    const creditNote = locked.find((row) => row.id === application.credit_note_id)!;
    await changeOpenBalance(tx, creditNote, [{ deltaMinor: application.amount_minor, kind: 'undone', businessDate, source: ref }]);
  }
  await tx
    .updateTable('payment_applications')
    .set({ status: 'undone', undo_reason: reason, undo_date: businessDate, undone_by: context.actor.name, undone_at: new Date() })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', application.id)
    .execute();
  const show = (minor: bigint) => formatMinor(minor, invoice.currency);
  await recordAudits(tx, context, [
    { action: 'invoice.application_undone', entityType: 'invoice', entityId: invoice.id, after: { amount: show(application.amount_minor + application.discount_minor + application.difference_minor), reason } },
    {
      action: 'application.undone',
      entityType: application.source_type === 'payment' ? 'payment' : 'invoice',
      entityId: application.payment_id ?? application.credit_note_id!,
      after: { invoice: invoice.number, amount: show(application.amount_minor), reason },
    },
  ]);
  return { sourceType: application.source_type, sourceId: application.payment_id ?? application.credit_note_id! };
}

export function checkCurrency(currency: string, path: string): void {
  if (!isKnownCurrency(currency)) throw new AppError('O2C_INVALID_VALUE', `${path}: "${currency}" is not an ISO 4217 currency code`, [{ path, message: 'is not an ISO 4217 code' }]);
}
