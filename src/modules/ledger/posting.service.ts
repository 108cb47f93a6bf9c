import { Big, isKnownCurrency, newId, type BusinessDate, type Decimal } from '../../kernel';
import type { RequestContext } from '../../platform/auth/actor';
import { recordAudit } from '../../platform/audit/audit';
import type { Executor, Tx } from '../../platform/db/database';
import { AppError, notFound, type FieldIssue } from '../../platform/errors/app-error';
import { nextNumber } from '../../platform/number-series/number-series';
import { getTenant } from '../../platform/tenants/tenants';
import { checkBalance, periodLabel, periodOf, postingDateFor, toBaseAmounts } from './ledger.rules';
import type { Side } from './ledger.tables';
import { closedPeriodsFrom } from './periods.service';
import { requireRate } from './rates.service';
import './ledger.tables';

/** A line to post: an account by id, by system key ("receivables", "vat_payable:19" …) or by number ("8400"). */
export interface PostingLineInput {
  readonly accountId?: string;
  readonly systemKey?: string;
  readonly accountNumber?: string;
  readonly side: Side;
  readonly amountMinor: bigint;
  readonly customerId?: string | null;
  readonly description?: string | null;
}

export interface PostingInput {
  readonly businessDate: BusinessDate;
  readonly description: string;
  readonly source: { readonly type: string; readonly id: string };
  /** The document currency; base amounts follow from the tenant's rate for the business date. */
  readonly currency: string;
  readonly lines: readonly PostingLineInput[];
  /** Manual postings are refused in a closed period; automatic ones move to the next open one. */
  readonly kind: 'manual' | 'automatic';
  readonly reversesEntryId?: string;
  /** Converts at this rate instead of the business date's: a settlement carried at its document's rate. */
  readonly rate?: Decimal;
}

export interface PostedEntry {
  readonly id: string;
  readonly number: string;
  readonly postingDate: BusinessDate;
}

const refuse = (detail: string, errors: FieldIssue[] = []) => new AppError('O2C_ENTRY_UNBALANCED', detail, errors);

/**
 * Posts one journal entry inside the caller's transaction: the only way anything
 * writes the ledger. Checks the lines (accounts exist and are active, customers on
 * customer accounts, positive amounts, debits = credits), converts to the base
 * currency at the rate for the business date (a missing rate is refused, naming
 * it), places the entry in an open period, numbers it and writes it. The database
 * checks the balance again at commit.
 */
export async function postEntry(tx: Tx, context: RequestContext, input: PostingInput): Promise<PostedEntry> {
  const tenantId = context.actor.tenantId;
  if (!isKnownCurrency(input.currency)) throw new AppError('O2C_INVALID_VALUE', `"${input.currency}" is not an ISO 4217 currency code`, [{ path: 'body.currency', message: 'is not an ISO 4217 code' }]);
  const balance = checkBalance(input.lines, input.currency);
  if (!balance.balanced) throw refuse(`the entry does not balance: ${balance.reason}`, [{ path: 'body.lines', message: balance.reason }]);
  const accounts = await resolveAccounts(tx, tenantId, input.lines);
  const tenant = await getTenant(tx, tenantId);
  const rate = input.currency === tenant.baseCurrency ? new Big('1') : input.rate !== undefined ? input.rate : await requireRate(tx, tenantId, input.currency, tenant.baseCurrency, input.businessDate);
  const baseAmounts = toBaseAmounts(input.lines, input.currency, tenant.baseCurrency, rate);
  const postingDate = await placeInPeriod(tx, tenantId, input.businessDate, input.kind);
  const id = newId();
  const number = await nextNumber(tx, tenantId, 'journal', postingDate);
  await tx
    .insertInto('journal_entries')
    .values({
      tenant_id: tenantId,
      id,
      number,
      kind: input.kind,
      business_date: input.businessDate,
      posting_date: postingDate,
      description: input.description,
      source_type: input.source.type,
      source_id: input.source.id,
      currency: input.currency,
      base_currency: tenant.baseCurrency,
      exchange_rate: rate.toFixed(),
      reverses_entry_id: input.reversesEntryId ?? null,
      created_by: context.actor.name,
    })
    .execute();
  await tx
    .insertInto('journal_lines')
    .values(
      input.lines.map((line, index) => ({
        tenant_id: tenantId,
        id: newId(),
        entry_id: id,
        line_no: index + 1,
        account_id: accounts[index]!.id,
        side: line.side,
        amount_minor: line.amountMinor,
        base_amount_minor: baseAmounts[index]!,
        customer_id: line.customerId ?? null,
        description: line.description ?? null,
      })),
    )
    .execute();
  return { id, number, postingDate };
}

async function resolveAccounts(tx: Tx, tenantId: string, lines: readonly PostingLineInput[]) {
  const ids = lines.flatMap((line) => (line.accountId === undefined ? [] : [line.accountId]));
  const keys = lines.flatMap((line) => (line.systemKey === undefined ? [] : [line.systemKey]));
  const numbers = lines.flatMap((line) => (line.accountNumber === undefined ? [] : [line.accountNumber]));
  let query = tx.selectFrom('accounts').select(['id', 'number', 'system_key', 'requires_customer', 'active']).where('tenant_id', '=', tenantId);
  query = query.where((where) =>
    where.or([
      ...(ids.length > 0 ? [where('id', 'in', ids)] : []),
      ...(keys.length > 0 ? [where('system_key', 'in', keys)] : []),
      ...(numbers.length > 0 ? [where('number', 'in', numbers)] : []),
      where('id', 'is', null),
    ]),
  );
  const rows = await query.execute();
  const issues: FieldIssue[] = [];
  const resolved = lines.map((line, index) => {
    const path = `body.lines.${index}`;
    const account =
      line.accountId !== undefined
        ? rows.find((row) => row.id === line.accountId)
        : line.accountNumber !== undefined
          ? rows.find((row) => row.number === line.accountNumber)
          : rows.find((row) => row.system_key === line.systemKey);
    if (account === undefined) {
      const wanted = line.accountId ?? (line.accountNumber === undefined ? `"${line.systemKey ?? '(none given)'}"` : `number ${line.accountNumber}`);
      issues.push({ path: `${path}.accountId`, message: line.accountId !== undefined ? `no account ${line.accountId}` : `no account for ${wanted}` });
      return undefined;
    }
    if (!account.active) issues.push({ path: `${path}.accountId`, message: `account ${account.number} is not active` });
    if (account.requires_customer && (line.customerId ?? null) === null) issues.push({ path: `${path}.customerId`, message: `account ${account.number} needs the customer` });
    return account;
  });
  if (issues.length > 0) {
    const unknown = issues.some((issue) => issue.message.startsWith('no account'));
    throw new AppError(unknown ? 'O2C_NOT_FOUND' : 'O2C_BUSINESS_RULE', issues.map((issue) => `${issue.path}: ${issue.message}`).join('; '), issues);
  }
  return resolved as NonNullable<(typeof resolved)[number]>[];
}

/** The posting date: the business date in an open month, or (automatic postings) the first day of the next open one. */
async function placeInPeriod(tx: Tx, tenantId: string, businessDate: BusinessDate, kind: 'manual' | 'automatic'): Promise<BusinessDate> {
  const period = periodOf(businessDate);
  // Share-lock the month's row, so closing it waits for postings in flight (and they for the close).
  await tx
    .insertInto('accounting_periods')
    .values({ tenant_id: tenantId, year: period.year, month: period.month, status: 'open', changed_by: 'system' })
    .onConflict((conflict) => conflict.columns(['tenant_id', 'year', 'month']).doNothing())
    .execute();
  const row = await tx
    .selectFrom('accounting_periods')
    .select('status')
    .where('tenant_id', '=', tenantId)
    .where('year', '=', period.year)
    .where('month', '=', period.month)
    .forShare()
    .executeTakeFirstOrThrow();
  if (row.status === 'open') return businessDate;
  const closed = await closedPeriodsFrom(tx, tenantId, period);
  const placed = postingDateFor(businessDate, kind, (candidate) => closed.has(periodLabel(candidate)));
  if ('refused' in placed) throw new AppError('O2C_PERIOD_CLOSED', placed.refused, [{ path: 'body.businessDate', message: placed.refused }]);
  return placed.postingDate;
}

/** Reverses a posted entry with one that swaps its sides and points at it; an entry is reversed once. */
export async function reverseEntry(
  tx: Tx,
  context: RequestContext,
  entryId: string,
  input: { businessDate: BusinessDate; description?: string | undefined; kind?: 'manual' | 'automatic' | undefined },
): Promise<PostedEntry> {
  const tenantId = context.actor.tenantId;
  const entry = await tx.selectFrom('journal_entries').selectAll().where('tenant_id', '=', tenantId).where('id', '=', entryId).executeTakeFirst();
  if (entry === undefined) throw notFound('journal entry', entryId);
  const already = await tx.selectFrom('journal_entries').select('number').where('tenant_id', '=', tenantId).where('reverses_entry_id', '=', entryId).executeTakeFirst();
  if (already !== undefined) throw new AppError('O2C_STATE_CONFLICT', `entry ${entry.number} was already reversed by ${already.number}`);
  if (entry.reverses_entry_id !== null) throw new AppError('O2C_STATE_CONFLICT', `entry ${entry.number} is itself a reversal; post a new entry instead`);
  if (input.businessDate < entry.business_date) throw new AppError('O2C_INVALID_VALUE', `a reversal cannot be dated before the entry it reverses (${entry.business_date})`, [{ path: 'body.businessDate', message: `must be on or after ${entry.business_date}` }]);
  const lines = await tx.selectFrom('journal_lines').selectAll().where('tenant_id', '=', tenantId).where('entry_id', '=', entryId).orderBy('line_no').execute();
  const posted = await postEntry(tx, context, {
    businessDate: input.businessDate,
    description: input.description ?? `Reversal of ${entry.number}: ${entry.description}`.slice(0, 500),
    source: { type: entry.source_type, id: entry.source_id },
    currency: entry.currency,
    kind: input.kind ?? 'manual',
    reversesEntryId: entryId,
    // At the rate of the entry it reverses, so the base amounts cancel exactly too.
    rate: new Big(entry.exchange_rate),
    lines: lines.map((line) => ({ accountId: line.account_id, side: line.side === 'debit' ? 'credit' : 'debit', amountMinor: line.amount_minor, customerId: line.customer_id, description: line.description })),
  });
  await recordAudit(tx, context, { action: 'journal_entry.reversed', entityType: 'journal_entry', entityId: entryId, after: { reversal: posted.number } });
  return posted;
}

/** The VAT-payable account key for a rate: its own account when the chart has one ("vat_payable:19"), else the account for other rates. */
export async function vatPayableKey(executor: Executor, tenantId: string, ratePercent: string): Promise<string> {
  const key = `vat_payable:${ratePercent}`;
  const row = await executor.selectFrom('accounts').select('id').where('tenant_id', '=', tenantId).where('system_key', '=', key).executeTakeFirst();
  return row === undefined ? 'vat_payable' : key;
}
