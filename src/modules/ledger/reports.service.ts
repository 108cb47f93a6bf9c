import { sql } from 'kysely';
import { Big, formatMinor, type BusinessDate } from '../../kernel';
import type { Executor } from '../../platform/db/database';
import { decodeCursor, toPage, type Page } from '../../platform/http/pagination';
import { getTenant } from '../../platform/tenants/tenants';
import { normalBalanceMinor } from './ledger.rules';
import type { AccountType, Side } from './ledger.tables';
import { getAccount } from './accounts.service';
import './ledger.tables';

export interface TrialBalanceRow {
  accountId: string;
  number: string;
  name: string;
  type: AccountType;
  openingDebit: string;
  openingCredit: string;
  debits: string;
  credits: string;
  closingDebit: string;
  closingCredit: string;
}

/**
 * The trial balance in the base currency for a date range of posting dates:
 * per account the opening balance (everything before `from`), the debits and
 * credits within the range, and the closing balance, each shown on its side.
 * Debits equal credits in every column because every entry balances.
 */
export async function trialBalance(executor: Executor, tenantId: string, from: BusinessDate, to: BusinessDate) {
  const tenant = await getTenant(executor, tenantId);
  const rows = await sql<{ id: string; number: string; name: string; type: AccountType; before_debit: string; before_credit: string; debit: string; credit: string }>`
    select a.id, a.number, a.name, a.type,
      coalesce(t.before_debit, 0) as before_debit, coalesce(t.before_credit, 0) as before_credit,
      coalesce(t.debit, 0) as debit, coalesce(t.credit, 0) as credit
    from accounts a
    left join (
      select l.account_id,
        sum(l.base_amount_minor) filter (where l.side = 'debit' and e.posting_date < ${from}) as before_debit,
        sum(l.base_amount_minor) filter (where l.side = 'credit' and e.posting_date < ${from}) as before_credit,
        sum(l.base_amount_minor) filter (where l.side = 'debit' and e.posting_date >= ${from}) as debit,
        sum(l.base_amount_minor) filter (where l.side = 'credit' and e.posting_date >= ${from}) as credit
      from journal_lines l
      join journal_entries e on e.tenant_id = l.tenant_id and e.id = l.entry_id
      where l.tenant_id = ${tenantId} and e.posting_date <= ${to}
      group by l.account_id
    ) t on t.account_id = a.id
    where a.tenant_id = ${tenantId}
    order by a.number`.execute(executor);
  const money = (minor: bigint) => formatMinor(minor, tenant.baseCurrency);
  const zero = 0n;
  const totals = { openingDebit: zero, openingCredit: zero, debits: zero, credits: zero, closingDebit: zero, closingCredit: zero };
  const accounts: TrialBalanceRow[] = rows.rows.map((row) => {
    const opening = BigInt(row.before_debit) - BigInt(row.before_credit);
    const closing = opening + BigInt(row.debit) - BigInt(row.credit);
    const line = {
      openingDebit: opening > 0n ? opening : zero,
      openingCredit: opening < 0n ? -opening : zero,
      debits: BigInt(row.debit),
      credits: BigInt(row.credit),
      closingDebit: closing > 0n ? closing : zero,
      closingCredit: closing < 0n ? -closing : zero,
    };
    for (const key of Object.keys(totals) as Array<keyof typeof totals>) totals[key] += line[key];
    return {
      accountId: row.id,
      number: row.number,
      name: row.name,
      type: row.type,
      openingDebit: money(line.openingDebit),
      openingCredit: money(line.openingCredit),
      debits: money(line.debits),
      credits: money(line.credits),
      closingDebit: money(line.closingDebit),
      closingCredit: money(line.closingCredit),
    };
  });
  return {
    from,
    to,
    currency: tenant.baseCurrency,
    accounts,
    totals: Object.fromEntries(Object.entries(totals).map(([key, value]) => [key, money(value)])) as Record<keyof typeof totals, string>,
  };
}

export interface LedgerLineView {
  entryId: string;
  entryNumber: string;
  postingDate: string;
  businessDate: string;
  description: string;
  sourceType: string;
  sourceId: string;
  side: Side;
  currency: string;
  amount: string;
  baseAmount: string;
  balance: string;
  customerId: string | null;
}

/** One account's postings in a date range with a running balance (in the account's normal direction, base currency). */
export async function accountLedger(executor: Executor, tenantId: string, accountId: string, from: BusinessDate, to: BusinessDate) {
  const account = await getAccount(executor, tenantId, accountId);
  const tenant = await getTenant(executor, tenantId);
  const opening = await executor
    .selectFrom('journal_lines as l')
    .innerJoin('journal_entries as e', (join) => join.onRef('e.tenant_id', '=', 'l.tenant_id').onRef('e.id', '=', 'l.entry_id'))
    .select([
      sql<string>`coalesce(sum(l.base_amount_minor) filter (where l.side = 'debit'), 0)`.as('debit'),
      sql<string>`coalesce(sum(l.base_amount_minor) filter (where l.side = 'credit'), 0)`.as('credit'),
    ])
    .where('l.tenant_id', '=', tenantId)
    .where('l.account_id', '=', accountId)
    .where('e.posting_date', '<', from)
    .executeTakeFirstOrThrow();
  const lines = await executor
    .selectFrom('journal_lines as l')
    .innerJoin('journal_entries as e', (join) => join.onRef('e.tenant_id', '=', 'l.tenant_id').onRef('e.id', '=', 'l.entry_id'))
    .select(['e.id', 'e.number', 'e.posting_date', 'e.business_date', 'e.description', 'e.source_type', 'e.source_id', 'e.currency', 'l.side', 'l.amount_minor', 'l.base_amount_minor', 'l.customer_id'])
    .where('l.tenant_id', '=', tenantId)
    .where('l.account_id', '=', accountId)
    .where('e.posting_date', '>=', from)
    .where('e.posting_date', '<=', to)
    .orderBy('e.posting_date')
    .orderBy('e.number')
    .orderBy('l.line_no')
    .limit(10_000)
    .execute();
  const base = (minor: bigint) => formatMinor(minor, tenant.baseCurrency);
  let balance = normalBalanceMinor(account.type, BigInt(opening.debit), BigInt(opening.credit));
  const openingBalance = balance;
  const items: LedgerLineView[] = lines.map((line) => {
    balance += normalBalanceMinor(account.type, line.side === 'debit' ? line.base_amount_minor : 0n, line.side === 'credit' ? line.base_amount_minor : 0n);
    return {
      entryId: line.id,
      entryNumber: line.number,
      postingDate: line.posting_date,
      businessDate: line.business_date,
      description: line.description,
      sourceType: line.source_type,
      sourceId: line.source_id,
      side: line.side,
      currency: line.currency,
      amount: formatMinor(line.amount_minor, line.currency),
      baseAmount: base(line.base_amount_minor),
      balance: base(balance),
      customerId: line.customer_id,
    };
  });
  return { account, from, to, currency: tenant.baseCurrency, openingBalance: base(openingBalance), closingBalance: base(balance), lines: items, truncated: lines.length === 10_000 };
}

export interface JournalFilter {
  from?: string | undefined;
  to?: string | undefined;
  accountId?: string | undefined;
  sourceType?: string | undefined;
  sourceId?: string | undefined;
  q?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

/** The journal, newest first, each entry with its lines. */
export async function listEntries(executor: Executor, tenantId: string, filter: JournalFilter): Promise<Page<EntryView>> {
  let query = executor.selectFrom('journal_entries as e').selectAll('e').where('e.tenant_id', '=', tenantId);
  if (filter.from !== undefined) query = query.where('e.posting_date', '>=', filter.from);
  if (filter.to !== undefined) query = query.where('e.posting_date', '<=', filter.to);
  if (filter.sourceType !== undefined) query = query.where('e.source_type', '=', filter.sourceType);
  if (filter.sourceId !== undefined) query = query.where('e.source_id', '=', filter.sourceId);
  if (filter.accountId !== undefined) {
    const accountId = filter.accountId;
    query = query.where((where) =>
      where.exists(where.selectFrom('journal_lines as l').select('l.id').whereRef('l.tenant_id', '=', 'e.tenant_id').whereRef('l.entry_id', '=', 'e.id').where('l.account_id', '=', accountId)),
    );
  }
  if (filter.q !== undefined && filter.q !== '') {
    const pattern = `%${filter.q.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
    query = query.where((where) => where.or([where('e.number', 'ilike', pattern), where('e.description', 'ilike', pattern)]));
  }
  if (filter.cursor !== undefined) query = query.where('e.id', '<', decodeCursor(filter.cursor, 1)[0]!);
  const entries = await query.orderBy('e.id', 'desc').limit(filter.limit + 1).execute();
  const ids = entries.map((entry) => entry.id);
  const lines = ids.length === 0 ? [] : await executor.selectFrom('journal_lines').selectAll().where('tenant_id', '=', tenantId).where('entry_id', 'in', ids).orderBy('line_no').execute();
  const accounts = await executor.selectFrom('accounts').select(['id', 'number', 'name']).where('tenant_id', '=', tenantId).execute();
  const accountById = new Map(accounts.map((account) => [account.id, account]));
  return toPage(entries, filter.limit, (entry) => toEntryView(entry, lines.filter((line) => line.entry_id === entry.id), accountById), (entry) => [entry.id]);
}

export async function getEntry(executor: Executor, tenantId: string, id: string): Promise<EntryView | undefined> {
  const entry = await executor.selectFrom('journal_entries').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
  if (entry === undefined) return undefined;
  const lines = await executor.selectFrom('journal_lines').selectAll().where('tenant_id', '=', tenantId).where('entry_id', '=', id).orderBy('line_no').execute();
  const accounts = await executor.selectFrom('accounts').select(['id', 'number', 'name']).where('tenant_id', '=', tenantId).where('id', 'in', lines.map((line) => line.account_id)).execute();
  return toEntryView(entry, lines, new Map(accounts.map((account) => [account.id, account])));
}

type EntryRow = {
  id: string;
  number: string;
  kind: 'manual' | 'automatic';
  business_date: string;
  posting_date: string;
  description: string;
  source_type: string;
  source_id: string;
  currency: string;
  base_currency: string;
  exchange_rate: string;
  reverses_entry_id: string | null;
  created_by: string;
  created_at: Date;
};
type LineRow = { line_no: number; account_id: string; side: Side; amount_minor: bigint; base_amount_minor: bigint; customer_id: string | null; description: string | null };

function toEntryView(entry: EntryRow, lines: readonly LineRow[], accounts: ReadonlyMap<string, { number: string; name: string }>) {
  return {
    id: entry.id,
    number: entry.number,
    kind: entry.kind,
    businessDate: entry.business_date,
    postingDate: entry.posting_date,
    description: entry.description,
    sourceType: entry.source_type,
    sourceId: entry.source_id,
    currency: entry.currency,
    baseCurrency: entry.base_currency,
    exchangeRate: new Big(entry.exchange_rate).toFixed(),
    reversesEntryId: entry.reverses_entry_id,
    createdBy: entry.created_by,
    createdAt: entry.created_at.toISOString(),
    lines: lines.map((line) => ({
      lineNo: line.line_no,
      accountId: line.account_id,
      accountNumber: accounts.get(line.account_id)?.number ?? '',
      accountName: accounts.get(line.account_id)?.name ?? '',
      side: line.side,
      amount: formatMinor(line.amount_minor, entry.currency),
      baseAmount: formatMinor(line.base_amount_minor, entry.base_currency),
      customerId: line.customer_id,
      description: line.description,
    })),
  };
}

export type EntryView = ReturnType<typeof toEntryView>;
