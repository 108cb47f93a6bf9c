import { sql } from 'kysely';
import { Big, formatMinor, newId, parseMoney, type BusinessDate } from '../../kernel';
import type { RequestContext } from '../../platform/auth/actor';
import { recordAudit } from '../../platform/audit/audit';
import type { Executor, Tx } from '../../platform/db/database';
import { AppError, notFound, readAt, versionConflict } from '../../platform/errors/app-error';
import { decodeCursor, toPage, type Page } from '../../platform/http/pagination';
import { nextNumber } from '../../platform/number-series/number-series';
import { emitEvent } from '../../platform/outbox/outbox';
import { getTenant } from '../../platform/tenants/tenants';
import { getCustomerStatus } from '../customers';
import { changeOpenBalance, lockInvoice, todayFor } from '../invoicing';
import { postEntry, reverseEntry } from '../ledger';
import {
  applySource,
  cashAccountFor,
  checkCurrency,
  lockInvoicesInOrder,
  maxDate,
  planApplications,
  readSettings,
  suggestFor,
  undoApplication,
  type ApplicationRequest,
  type PaymentRow,
  type Source,
} from './applications.service';
import type { PaymentMethod, RefundMethod } from './payments.tables';
import './payments.tables';

const money = formatMinor;

export interface NewPayment {
  readonly customerId: string;
  readonly amount: string;
  readonly currency: string;
  readonly method: PaymentMethod;
  readonly valueDate: BusinessDate;
  readonly payerReference?: string | null | undefined;
  readonly bankAccount?: string | null | undefined;
  readonly notes?: string | null | undefined;
  readonly applications?: readonly ApplicationRequest[] | undefined;
}

async function parseReceipt(executor: Executor, tenantId: string, input: Pick<NewPayment, 'customerId' | 'amount' | 'currency' | 'valueDate'>) {
  checkCurrency(input.currency, 'body.currency');
  const amountMinor = readAt('body.amount', () => parseMoney(input.amount, input.currency, 'amount')).amountMinor;
  if (amountMinor <= 0n) throw new AppError('O2C_INVALID_VALUE', 'body.amount: a payment is more than zero', [{ path: 'body.amount', message: 'must be more than zero' }]);
  if (input.valueDate > (await todayFor(executor, tenantId))) throw new AppError('O2C_INVALID_VALUE', 'body.valueDate: money is recorded when it has arrived; the value date is in the future', [{ path: 'body.valueDate', message: 'must be today or earlier' }]);
  const customer = await getCustomerStatus(executor, tenantId, input.customerId).catch((error: unknown) => {
    if (error instanceof AppError && error.code === 'O2C_NOT_FOUND') throw new AppError('O2C_NOT_FOUND', `customer ${input.customerId} does not exist`, [{ path: 'body.customerId', message: 'no such customer' }]);
    throw error;
  });
  return { amountMinor, customer };
}

/**
 * Records a received payment: numbered, posted at its value date (bank or the
 * method's clearing account against the customer's unapplied cash), and applied at
 * once to the invoices named; what is not applied stays as unapplied cash.
 */
export async function recordPayment(tx: Tx, context: RequestContext, input: NewPayment): Promise<PaymentView> {
  const tenantId = context.actor.tenantId;
  const { amountMinor, customer } = await parseReceipt(tx, tenantId, input);
  // Invoices first, in id order, before the posting takes the journal's number: every settlement locks in this order.
  const applications = input.applications ?? [];
  const locked = applications.length > 0 ? await lockInvoicesInOrder(tx, tenantId, applications.map((application) => application.invoiceId)) : [];
  const id = newId();
  const number = await nextNumber(tx, tenantId, 'payment', input.valueDate);
  const entry = await postEntry(tx, context, {
    businessDate: input.valueDate,
    description: `Payment ${number} received from ${customer.number}${input.payerReference ? ` (${input.payerReference})` : ''}`.slice(0, 500),
    source: { type: 'payment', id },
    currency: input.currency,
    kind: 'automatic',
    lines: [
      { systemKey: cashAccountFor(input.method), side: 'debit', amountMinor },
      { systemKey: 'unapplied_cash', side: 'credit', amountMinor, customerId: input.customerId },
    ],
  });
  const row = await tx
    .insertInto('payments')
    .values({
      tenant_id: tenantId,
      id,
      number,
      customer_id: input.customerId,
      currency: input.currency,
      amount_minor: amountMinor,
      method: input.method,
      value_date: input.valueDate,
      payer_reference: input.payerReference ?? null,
      bank_account: input.bankAccount ?? null,
      notes: input.notes ?? null,
      unapplied_minor: amountMinor,
      journal_entry_id: entry.id,
      created_by: context.actor.name,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordAudit(tx, context, { action: 'payment.received', entityType: 'payment', entityId: id, after: { number, amount: money(amountMinor, input.currency), currency: input.currency, method: input.method, valueDate: input.valueDate, journalEntry: entry.number } });
  await emitEvent(tx, tenantId, { type: 'payment.received', aggregateType: 'payment', aggregateId: id, payload: { number, customerId: input.customerId, amount: money(amountMinor, input.currency), currency: input.currency, valueDate: input.valueDate } });
  if (applications.length > 0) await applySource(tx, context, { type: 'payment', row }, applications, 'body.applications', locked);
  return loadPayment(tx, tenantId, id);
}

async function lockPayment(tx: Tx, tenantId: string, id: string, version?: number): Promise<PaymentRow> {
  const row = await tx.selectFrom('payments').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).forUpdate().executeTakeFirst();
  if (row === undefined) throw notFound('payment', id);
  if (version !== undefined && row.version !== version) throw versionConflict('payment', row.number, version);
  return row;
}

/** Applies a payment's unapplied cash to invoices of its customer. */
export async function applyPayment(tx: Tx, context: RequestContext, id: string, applications: readonly ApplicationRequest[]): Promise<PaymentView> {
  const tenantId = context.actor.tenantId;
  const row = await lockPayment(tx, tenantId, id);
  if (row.unapplied_minor === 0n && row.status === 'received') throw new AppError('O2C_EXCEEDS_UNAPPLIED', `${row.number} is applied in full; nothing is left to apply`);
  await applySource(tx, context, { type: 'payment', row }, applications, 'body.applications');
  return loadPayment(tx, tenantId, id);
}

/** Undoes one application of a payment or credit note, with a reason. */
export async function undo(tx: Tx, context: RequestContext, applicationId: string, reason: string): Promise<{ sourceType: 'payment' | 'credit_note'; sourceId: string }> {
  return undoApplication(tx, context, applicationId, reason);
}

/**
 * Reverses a payment that did not arrive for good (a bounced cheque, a returned
 * direct debit): every application is undone (what it paid is open again) and the
 * receipt is reversed. A payment with refunds paid out of it is not reversed.
 */
export async function reversePayment(tx: Tx, context: RequestContext, id: string, input: { reason: string; version?: number | undefined }): Promise<PaymentView> {
  const tenantId = context.actor.tenantId;
  const row = await lockPayment(tx, tenantId, id, input.version);
  if (row.status === 'reversed') throw new AppError('O2C_STATE_CONFLICT', `${row.number} was already reversed on ${row.reversal_date}`);
  if (row.refunded_minor > 0n) throw new AppError('O2C_BUSINESS_RULE', `${money(row.refunded_minor, row.currency)} ${row.currency} of ${row.number} was refunded; a payment with refunds is not reversed`);
  const today = await todayFor(tx, tenantId);
  const active = await tx.selectFrom('payment_applications').select(['id', 'invoice_id']).where('tenant_id', '=', tenantId).where('payment_id', '=', id).where('status', '=', 'active').orderBy('id').execute();
  // Every invoice it reopens, in id order, before anything is posted: the order every settlement locks in.
  await lockInvoicesInOrder(tx, tenantId, active.map((application) => application.invoice_id));
  for (const application of active) await undoApplication(tx, context, application.id, `Payment reversed: ${input.reason}`, { lockedSource: true });
  const reversalDate = maxDate(today, row.value_date);
  const reversal = await reverseEntry(tx, context, row.journal_entry_id, { businessDate: reversalDate, kind: 'automatic', description: `Payment ${row.number} reversed: ${input.reason}`.slice(0, 500) });
  await tx
    .updateTable('payments')
    .set({
      status: 'reversed',
      applied_minor: 0n,
      unapplied_minor: 0n,
      reversal_reason: input.reason,
      reversal_date: reversalDate,
      reversal_entry_id: reversal.id,
      reversed_by: context.actor.name,
      reversed_at: new Date(),
      version: sql<number>`version + 1`,
      updated_at: new Date(),
    })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
  await recordAudit(tx, context, { action: 'payment.reversed', entityType: 'payment', entityId: id, after: { reason: input.reason, undone: active.length, journalEntry: reversal.number } });
  await emitEvent(tx, tenantId, { type: 'payment.reversed', aggregateType: 'payment', aggregateId: id, payload: { number: row.number, customerId: row.customer_id, amount: money(row.amount_minor, row.currency), currency: row.currency, reason: input.reason } });
  return loadPayment(tx, tenantId, id);
}

export interface RefundInput {
  readonly amount?: string | undefined;
  readonly method: RefundMethod;
  readonly reference?: string | null | undefined;
  readonly reason: string;
}

/**
 * Pays back a customer's unapplied cash (from a payment) or open credit item (a
 * credit note): unapplied cash or receivables against the bank, at the rate the
 * money was booked at.
 */
export async function refund(tx: Tx, context: RequestContext, source: { type: 'payment' | 'credit_note'; id: string }, input: RefundInput): Promise<RefundView> {
  const tenantId = context.actor.tenantId;
  const today = await todayFor(tx, tenantId);
  const tenant = await getTenant(tx, tenantId);
  let available: bigint;
  let currency: string;
  let customerId: string;
  let label: string;
  let rate: string;
  if (source.type === 'payment') {
    const row = await lockPayment(tx, tenantId, source.id);
    if (row.status !== 'received') throw new AppError('O2C_STATE_CONFLICT', `${row.number} was reversed; nothing is left to refund`);
    available = row.unapplied_minor;
    ({ currency, customer_id: customerId, number: label } = row);
    rate = (await tx.selectFrom('journal_entries').select('exchange_rate').where('tenant_id', '=', tenantId).where('id', '=', row.journal_entry_id).executeTakeFirstOrThrow()).exchange_rate;
  } else {
    const row = await lockInvoice(tx, tenantId, source.id);
    if (row.kind !== 'credit_note' || row.status !== 'issued') throw new AppError('O2C_BUSINESS_RULE', `${row.number ?? 'a draft'} is not an issued credit note; only credit items and unapplied cash are refunded`);
    available = row.open_minor;
    ({ currency, customer_id: customerId } = row);
    label = row.number ?? row.id;
    rate = row.exchange_rate ?? '1';
  }
  const amountMinor = input.amount === undefined ? available : readAt('body.amount', () => parseMoney(input.amount!, currency, 'amount')).amountMinor;
  if (available === 0n) throw new AppError('O2C_EXCEEDS_UNAPPLIED', `${label} has nothing left to refund`);
  if (amountMinor <= 0n) throw new AppError('O2C_INVALID_VALUE', 'body.amount: a refund is more than zero', [{ path: 'body.amount', message: 'must be more than zero' }]);
  if (amountMinor > available) {
    throw new AppError('O2C_EXCEEDS_UNAPPLIED', `${label} has ${money(available, currency)} ${currency} left to refund; ${money(amountMinor, currency)} is more`, [{ path: 'body.amount', message: `at most ${money(available, currency)}` }]);
  }
  const id = newId();
  const number = await nextNumber(tx, tenantId, 'refund', today);
  const entry = await postEntry(tx, context, {
    businessDate: today,
    description: `Refund ${number} of ${label}: ${input.reason}`.slice(0, 500),
    source: { type: 'refund', id },
    currency,
    kind: 'automatic',
    ...(currency === tenant.baseCurrency ? {} : { rate: new Big(rate) }),
    lines: [
      { systemKey: source.type === 'payment' ? 'unapplied_cash' : 'receivables', side: 'debit', amountMinor, customerId },
      { systemKey: input.method === 'card' ? 'card_clearing' : 'bank', side: 'credit', amountMinor },
    ],
  });
  await tx
    .insertInto('refunds')
    .values({
      tenant_id: tenantId,
      id,
      number,
      customer_id: customerId,
      source_type: source.type,
      payment_id: source.type === 'payment' ? source.id : null,
      credit_note_id: source.type === 'credit_note' ? source.id : null,
      currency,
      amount_minor: amountMinor,
      business_date: today,
      method: input.method,
      reference: input.reference ?? null,
      reason: input.reason,
      journal_entry_id: entry.id,
      created_by: context.actor.name,
    })
    .execute();
  if (source.type === 'payment') {
    await tx
      .updateTable('payments')
      .set({ refunded_minor: sql<bigint>`refunded_minor + ${amountMinor}`, unapplied_minor: sql<bigint>`unapplied_minor - ${amountMinor}`, version: sql<number>`version + 1`, updated_at: new Date() })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', source.id)
      .execute();
  } else {
    const row = await lockInvoice(tx, tenantId, source.id);
    await changeOpenBalance(tx, row, [{ deltaMinor: -amountMinor, kind: 'refunded', businessDate: today, source: { type: 'refund', id } }]);
  }
  await recordAudit(tx, context, {
    action: `${source.type}.refunded`,
    entityType: source.type === 'payment' ? 'payment' : 'invoice',
    entityId: source.id,
    after: { refund: number, amount: money(amountMinor, currency), currency, method: input.method, reason: input.reason, journalEntry: entry.number },
  });
  await emitEvent(tx, tenantId, { type: 'refund.paid', aggregateType: 'refund', aggregateId: id, payload: { number, customerId, amount: money(amountMinor, currency), currency, sourceType: source.type, sourceId: source.id } });
  return toRefundView(await tx.selectFrom('refunds').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirstOrThrow());
}

/** Applies a credit note's open credit item to invoices of its customer and currency. */
export async function applyCreditNote(tx: Tx, context: RequestContext, creditNoteId: string, applications: readonly ApplicationRequest[]): Promise<void> {
  const tenantId = context.actor.tenantId;
  const locked = await lockInvoicesInOrder(tx, tenantId, [creditNoteId, ...applications.map((application) => application.invoiceId)]);
  const creditNote = locked.find((row) => row.id === creditNoteId);
  if (creditNote === undefined) throw notFound('credit note', creditNoteId);
  if (creditNote.kind !== 'credit_note' || creditNote.status !== 'issued') throw new AppError('O2C_BUSINESS_RULE', `${creditNote.number ?? 'a draft'} is not an issued credit note`);
  if (creditNote.open_minor === 0n) throw new AppError('O2C_EXCEEDS_UNAPPLIED', `${creditNote.number} has no credit left to apply`);
  await applySource(tx, context, { type: 'credit_note', row: creditNote }, applications, 'body.applications', locked);
}

/**
 * What recording a payment would do, without doing it: the applications asked
 * for (or, when none are, a suggestion oldest due first) with discount, accepted
 * difference, rates and what stays unapplied.
 */
export async function previewPayment(executor: Executor, tenantId: string, input: Omit<NewPayment, 'method'> & { paymentId?: string | undefined }) {
  let source: Source;
  if (input.paymentId !== undefined) {
    const row = await executor.selectFrom('payments').selectAll().where('tenant_id', '=', tenantId).where('id', '=', input.paymentId).executeTakeFirst();
    if (row === undefined) throw notFound('payment', input.paymentId);
    source = { type: 'payment', row };
  } else {
    const { amountMinor } = await parseReceipt(executor, tenantId, input);
    source = {
      type: 'payment',
      row: { id: newId(), number: 'the payment', customer_id: input.customerId, currency: input.currency, unapplied_minor: amountMinor, value_date: input.valueDate } as PaymentRow,
    };
  }
  const facts = { customerId: source.row.customer_id, currency: source.row.currency, availableMinor: source.row.unapplied_minor, valueDate: source.row.value_date };
  const requests = input.applications ?? (await suggestFor(executor, tenantId, facts));
  const invoices = requests.length === 0 ? [] : await executor.selectFrom('invoices').selectAll().where('tenant_id', '=', tenantId).where('id', 'in', requests.map((request) => request.invoiceId)).execute();
  const plans = await planApplications(executor, tenantId, source, requests, invoices, 'body.applications');
  const taken = plans.reduce((sum, plan) => sum + plan.sourceAmountMinor, 0n);
  const currency = source.row.currency;
  return {
    currency,
    applications: plans.map((plan) => ({
      invoiceId: plan.invoice.id,
      number: plan.invoice.number ?? '',
      currency: plan.invoice.currency,
      dueDate: plan.invoice.due_date,
      open: money(plan.invoice.open_minor, plan.invoice.currency),
      amount: money(plan.amountMinor, plan.invoice.currency),
      discount: money(plan.discountMinor, plan.invoice.currency),
      discountAvailable: money(plan.discountAvailableMinor, plan.invoice.currency),
      difference: money(plan.differenceMinor, plan.invoice.currency),
      paymentAmount: money(plan.sourceAmountMinor, currency),
      rate: plan.rate === null ? null : plan.rate.toFixed(8),
      openAfter: money(plan.invoice.open_minor - plan.amountMinor - plan.discountMinor - plan.differenceMinor, plan.invoice.currency),
    })),
    applied: money(taken, currency),
    unapplied: money(source.row.unapplied_minor - taken, currency),
  };
}

// ————————————————————————————————————————————— settings

export async function getPaymentSettings(executor: Executor, tenantId: string) {
  const tenant = await getTenant(executor, tenantId);
  const settings = await readSettings(executor, tenantId);
  return { baseCurrency: tenant.baseCurrency, tolerance: money(settings.toleranceMinor, tenant.baseCurrency), writeOffThreshold: money(settings.writeOffThresholdMinor, tenant.baseCurrency), version: settings.version };
}

export async function updatePaymentSettings(tx: Tx, context: RequestContext, input: { tolerance: string; writeOffThreshold: string; version: number }) {
  const tenantId = context.actor.tenantId;
  const tenant = await getTenant(tx, tenantId);
  const tolerance = readAt('body.tolerance', () => parseMoney(input.tolerance, tenant.baseCurrency, 'tolerance')).amountMinor;
  const threshold = readAt('body.writeOffThreshold', () => parseMoney(input.writeOffThreshold, tenant.baseCurrency, 'threshold')).amountMinor;
  if (tolerance < 0n) throw new AppError('O2C_INVALID_VALUE', 'body.tolerance: cannot be negative', [{ path: 'body.tolerance', message: 'must be zero or more' }]);
  if (threshold < 0n) throw new AppError('O2C_INVALID_VALUE', 'body.writeOffThreshold: cannot be negative', [{ path: 'body.writeOffThreshold', message: 'must be zero or more' }]);
  const current = await tx.selectFrom('payment_settings').selectAll().where('tenant_id', '=', tenantId).forUpdate().executeTakeFirst();
  if (current === undefined || current.version !== input.version) throw versionConflict('payment settings', tenantId, input.version);
  await tx.updateTable('payment_settings').set({ tolerance_minor: tolerance, write_off_threshold_minor: threshold, version: current.version + 1, updated_at: new Date() }).where('tenant_id', '=', tenantId).execute();
  await recordAudit(tx, context, {
    action: 'payment_settings.changed',
    entityType: 'payment_settings',
    entityId: tenantId,
    before: { tolerance: money(current.tolerance_minor, tenant.baseCurrency), writeOffThreshold: money(current.write_off_threshold_minor, tenant.baseCurrency) },
    after: { tolerance: money(tolerance, tenant.baseCurrency), writeOffThreshold: money(threshold, tenant.baseCurrency) },
  });
  return getPaymentSettings(tx, tenantId);
}

// ————————————————————————————————————————————— reading

export type PaymentAction = 'apply' | 'refund' | 'reverse';

export async function loadPayment(executor: Executor, tenantId: string, id: string) {
  const row = await executor
    .selectFrom('payments as p')
    .innerJoin('customers as c', (join) => join.onRef('c.tenant_id', '=', 'p.tenant_id').onRef('c.id', '=', 'p.customer_id'))
    .selectAll('p')
    .select(['c.number as customer_number', 'c.name as customer_name'])
    .where('p.tenant_id', '=', tenantId)
    .where('p.id', '=', id)
    .executeTakeFirst();
  if (row === undefined) throw notFound('payment', id);
  const applications = await listApplications(executor, tenantId, { paymentId: id });
  const refunds = await executor.selectFrom('refunds').selectAll().where('tenant_id', '=', tenantId).where('payment_id', '=', id).orderBy('created_at').execute();
  const actions: PaymentAction[] = row.status === 'reversed' ? [] : [...(row.unapplied_minor > 0n ? (['apply', 'refund'] as const) : []), ...(row.refunded_minor === 0n ? (['reverse'] as const) : [])];
  return {
    ...toPaymentListItem(row),
    payerReference: row.payer_reference,
    bankAccount: row.bank_account,
    notes: row.notes,
    applied: money(row.applied_minor, row.currency),
    refunded: money(row.refunded_minor, row.currency),
    journalEntryId: row.journal_entry_id,
    reversal: row.status === 'reversed' ? { reason: row.reversal_reason ?? '', date: row.reversal_date ?? '', by: row.reversed_by ?? '', journalEntryId: row.reversal_entry_id } : null,
    applications,
    refunds: refunds.map(toRefundView),
    availableActions: actions,
    createdBy: row.created_by,
    version: row.version,
  };
}

export type PaymentView = Awaited<ReturnType<typeof loadPayment>>;

function toPaymentListItem(row: PaymentRow & { customer_number: string; customer_name: string }) {
  return {
    id: row.id,
    number: row.number,
    customer: { id: row.customer_id, number: row.customer_number, name: row.customer_name },
    currency: row.currency,
    amount: money(row.amount_minor, row.currency),
    unapplied: money(row.unapplied_minor, row.currency),
    method: row.method,
    valueDate: row.value_date,
    status: row.status,
    createdAt: row.created_at.toISOString(),
  };
}

export async function listPayments(
  executor: Executor,
  tenantId: string,
  filter: { customerId?: string | undefined; status?: 'received' | 'reversed' | undefined; unapplied?: boolean | undefined; search?: string | undefined; limit: number; cursor?: string | undefined },
): Promise<Page<ReturnType<typeof toPaymentListItem>>> {
  let query = executor
    .selectFrom('payments as p')
    .innerJoin('customers as c', (join) => join.onRef('c.tenant_id', '=', 'p.tenant_id').onRef('c.id', '=', 'p.customer_id'))
    .selectAll('p')
    .select(['c.number as customer_number', 'c.name as customer_name'])
    .where('p.tenant_id', '=', tenantId);
  if (filter.customerId !== undefined) query = query.where('p.customer_id', '=', filter.customerId);
  if (filter.status !== undefined) query = query.where('p.status', '=', filter.status);
  if (filter.unapplied === true) query = query.where('p.unapplied_minor', '>', 0n);
  if (filter.unapplied === false) query = query.where('p.unapplied_minor', '=', 0n);
  if (filter.search !== undefined && filter.search.trim() !== '') {
    const pattern = `%${filter.search.trim().replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
    query = query.where((where) => where.or([where('p.number', 'ilike', pattern), where('p.payer_reference', 'ilike', pattern), where('c.name', 'ilike', pattern)]));
  }
  if (filter.cursor !== undefined) {
    const [createdAt, id] = decodeCursor(filter.cursor, 2) as [string, string];
    query = query.where((where) => where.or([where('p.created_at', '<', new Date(createdAt)), where.and([where('p.created_at', '=', new Date(createdAt)), where('p.id', '<', id)])]));
  }
  const rows = await query.orderBy('p.created_at', 'desc').orderBy('p.id', 'desc').limit(filter.limit + 1).execute();
  return toPage(rows, filter.limit, toPaymentListItem, (row) => [row.created_at.toISOString(), row.id]);
}

export async function listApplications(executor: Executor, tenantId: string, filter: { paymentId?: string; invoiceId?: string; creditNoteId?: string; customerId?: string }) {
  const { baseCurrency } = await getTenant(executor, tenantId);
  let query = executor
    .selectFrom('payment_applications as a')
    .innerJoin('invoices as i', (join) => join.onRef('i.tenant_id', '=', 'a.tenant_id').onRef('i.id', '=', 'a.invoice_id'))
    .leftJoin('payments as p', (join) => join.onRef('p.tenant_id', '=', 'a.tenant_id').onRef('p.id', '=', 'a.payment_id'))
    .leftJoin('invoices as n', (join) => join.onRef('n.tenant_id', '=', 'a.tenant_id').onRef('n.id', '=', 'a.credit_note_id'))
    .selectAll('a')
    .select(['i.number as invoice_number', 'p.number as payment_number', 'n.number as credit_note_number'])
    .where('a.tenant_id', '=', tenantId);
  if (filter.paymentId !== undefined) query = query.where('a.payment_id', '=', filter.paymentId);
  if (filter.invoiceId !== undefined) query = query.where('a.invoice_id', '=', filter.invoiceId);
  if (filter.creditNoteId !== undefined) query = query.where('a.credit_note_id', '=', filter.creditNoteId);
  if (filter.customerId !== undefined) query = query.where('a.customer_id', '=', filter.customerId);
  const rows = await query.orderBy('a.created_at').orderBy('a.id').limit(1000).execute();
  return rows.map((row) => ({
    id: row.id,
    sourceType: row.source_type,
    source: { id: row.payment_id ?? row.credit_note_id!, number: row.payment_number ?? row.credit_note_number ?? '', currency: row.source_currency },
    invoice: { id: row.invoice_id, number: row.invoice_number ?? '', currency: row.invoice_currency },
    amount: money(row.amount_minor, row.invoice_currency),
    discount: money(row.discount_minor, row.invoice_currency),
    difference: money(row.difference_minor, row.invoice_currency),
    sourceAmount: money(row.source_amount_minor, row.source_currency),
    rate: row.rate,
    fxGainLoss: money(row.fx_base_minor, baseCurrency),
    baseCurrency,
    businessDate: row.business_date,
    status: row.status,
    undoReason: row.undo_reason,
    undoDate: row.undo_date,
    undoneBy: row.undone_by,
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
  }));
}

export async function listRefunds(executor: Executor, tenantId: string, filter: { customerId?: string | undefined; paymentId?: string | undefined; creditNoteId?: string | undefined }) {
  let query = executor.selectFrom('refunds').selectAll().where('tenant_id', '=', tenantId);
  if (filter.customerId !== undefined) query = query.where('customer_id', '=', filter.customerId);
  if (filter.paymentId !== undefined) query = query.where('payment_id', '=', filter.paymentId);
  if (filter.creditNoteId !== undefined) query = query.where('credit_note_id', '=', filter.creditNoteId);
  return (await query.orderBy('created_at').orderBy('id').limit(1000).execute()).map(toRefundView);
}

type RefundRow = { id: string; number: string; customer_id: string; source_type: 'payment' | 'credit_note'; payment_id: string | null; credit_note_id: string | null; currency: string; amount_minor: bigint; business_date: string; method: RefundMethod; reference: string | null; reason: string; journal_entry_id: string; created_by: string; created_at: Date };

export function toRefundView(row: RefundRow) {
  return {
    id: row.id,
    number: row.number,
    customerId: row.customer_id,
    sourceType: row.source_type,
    sourceId: row.payment_id ?? row.credit_note_id!,
    currency: row.currency,
    amount: money(row.amount_minor, row.currency),
    businessDate: row.business_date,
    method: row.method,
    reference: row.reference,
    reason: row.reason,
    journalEntryId: row.journal_entry_id,
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
  };
}

export type RefundView = ReturnType<typeof toRefundView>;
