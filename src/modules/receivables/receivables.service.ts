import { sql } from 'kysely';
import { formatMinor, type BusinessDate, type Decimal } from '../../kernel';
import type { Executor } from '../../platform/db/database';
import { AppError, notFound } from '../../platform/errors/app-error';
import { getTenant } from '../../platform/tenants/tenants';
import { todayFor } from '../invoicing';
import { customerBalances, customerEntries, findRate, type CustomerAccountKey } from '../ledger';
import { addBuckets, agingBuckets, bucketOf, convertBuckets, daysPastDue, emptyBuckets, one, runningBalances, totalOf, type AgingBucket, type BucketAmounts } from './receivables.rules';

export type OpenItemType = 'invoice' | 'credit_note' | 'payment';

interface OpenItemRow {
  type: OpenItemType;
  id: string;
  number: string;
  customer_id: string;
  customer_name: string;
  currency: string;
  document_date: string;
  due_date: string | null;
  amount_minor: string;
  open_minor: string;
}

/**
 * The open items as of a date, one row each: invoices and credit notes with what
 * was open on them that day (from their balance history; today's straight from the
 * documents), and payments with the cash still unapplied that day.
 */
function openItemsQuery(tenantId: string, asOf: BusinessDate, current: boolean, customerId: string | undefined) {
  const byCustomer = (column: string) => (customerId === undefined ? sql`` : sql`and ${sql.ref(column)} = ${customerId}`);
  const documents = current
    ? sql`select i.kind as type, i.id, i.number, i.customer_id, i.customer_name, i.currency, i.issue_date as document_date, i.due_date, i.gross_minor as amount_minor, i.open_minor
            from invoices i
           where i.tenant_id = ${tenantId} and i.status = 'issued' and i.open_minor > 0 ${byCustomer('i.customer_id')}`
    : sql`select i.kind as type, i.id, i.number, i.customer_id, i.customer_name, i.currency, i.issue_date as document_date, i.due_date, i.gross_minor as amount_minor, m.open_minor
            from (select invoice_id, sum(amount_minor) as open_minor
                    from invoice_balance_movements
                   where tenant_id = ${tenantId} and business_date <= ${asOf} ${byCustomer('customer_id')}
                   group by invoice_id) m
            join invoices i on i.tenant_id = ${tenantId} and i.id = m.invoice_id
           where m.open_minor <> 0`;
  const payments = current
    ? sql`select 'payment' as type, p.id, p.number, p.customer_id, c.name as customer_name, p.currency, p.value_date as document_date, null::date as due_date, p.amount_minor, p.unapplied_minor as open_minor
            from payments p join customers c on c.tenant_id = p.tenant_id and c.id = p.customer_id
           where p.tenant_id = ${tenantId} and p.unapplied_minor > 0 ${byCustomer('p.customer_id')}`
    : sql`select * from (
            select 'payment' as type, p.id, p.number, p.customer_id, c.name as customer_name, p.currency, p.value_date as document_date, null::date as due_date, p.amount_minor,
                   p.amount_minor
                   - coalesce((select sum(a.source_amount_minor) from payment_applications a
                                where a.tenant_id = p.tenant_id and a.payment_id = p.id and a.business_date <= ${asOf} and (a.undo_date is null or a.undo_date > ${asOf})), 0)
                   - coalesce((select sum(r.amount_minor) from refunds r where r.tenant_id = p.tenant_id and r.payment_id = p.id and r.business_date <= ${asOf}), 0)
                   - case when p.reversal_date is not null and p.reversal_date <= ${asOf} then p.amount_minor else 0 end as open_minor
              from payments p join customers c on c.tenant_id = p.tenant_id and c.id = p.customer_id
             where p.tenant_id = ${tenantId} and p.value_date <= ${asOf} ${byCustomer('p.customer_id')}) unapplied
           where open_minor <> 0`;
  return sql<OpenItemRow>`select type, id, number, customer_id, customer_name, currency, document_date::text as document_date, due_date::text as due_date, amount_minor::text as amount_minor, open_minor::text as open_minor
                            from (${documents} union all ${payments}) items`;
}

async function asOfDate(executor: Executor, tenantId: string, asOf: BusinessDate | undefined): Promise<{ asOf: BusinessDate; current: boolean }> {
  const today = await todayFor(executor, tenantId);
  const date = asOf ?? today;
  return { asOf: date, current: date >= today };
}

/** A customer's open items as of a date (today by default), oldest due first, with days past due and bucket; credits are negative. */
export async function openItems(executor: Executor, tenantId: string, customerId: string, asOfInput?: BusinessDate) {
  await requireCustomer(executor, tenantId, customerId);
  const { asOf, current } = await asOfDate(executor, tenantId, asOfInput);
  const rows = (await openItemsQuery(tenantId, asOf, current, customerId).execute(executor)).rows;
  const items = rows
    .map((row) => {
      const credit = row.type !== 'invoice';
      const open = BigInt(row.open_minor);
      const pastDue = row.due_date === null || credit ? null : daysPastDue(row.due_date, asOf);
      return {
        type: row.type,
        id: row.id,
        number: row.number,
        currency: row.currency,
        documentDate: row.document_date,
        dueDate: row.due_date,
        amount: formatMinor(BigInt(row.amount_minor) * (credit ? -1n : 1n), row.currency),
        open: formatMinor(credit ? -open : open, row.currency),
        daysPastDue: pastDue,
        bucket: pastDue === null ? null : bucketOf(pastDue),
      };
    })
    .sort((a, b) => (a.dueDate ?? a.documentDate).localeCompare(b.dueDate ?? b.documentDate) || a.number.localeCompare(b.number));
  const totals = new Map<string, bigint>();
  for (const row of rows) totals.set(row.currency, (totals.get(row.currency) ?? 0n) + BigInt(row.open_minor) * (row.type === 'invoice' ? 1n : -1n));
  return { asOf, items, balances: [...totals].sort(([a], [b]) => a.localeCompare(b)).map(([currency, minor]) => ({ currency, balance: formatMinor(minor, currency) })) };
}

async function requireCustomer(executor: Executor, tenantId: string, customerId: string): Promise<{ number: string; name: string }> {
  const row = await executor.selectFrom('customers').select(['number', 'name']).where('tenant_id', '=', tenantId).where('id', '=', customerId).executeTakeFirst();
  if (row === undefined) throw notFound('customer', customerId);
  return row;
}

const statementKinds: Record<string, string> = {
  invoice: 'Invoice',
  credit_note: 'Credit note',
  payment: 'Payment',
  payment_application: 'Application',
  refund: 'Refund',
  write_off: 'Write-off',
};

/**
 * A customer's account statement for a period, per currency: the opening balance,
 * every movement of what the customer owes (invoices, credit notes, payments,
 * discounts, differences, refunds, reversals, write-offs) and the closing balance —
 * read from the ledger's customer accounts, so it always agrees with the books.
 */
export async function statement(executor: Executor, tenantId: string, customerId: string, from: BusinessDate, to: BusinessDate) {
  if (from > to) throw new AppError('O2C_INVALID_VALUE', 'query.from: the period starts after it ends', [{ path: 'query.from', message: 'must be on or before to' }]);
  const customer = await requireCustomer(executor, tenantId, customerId);
  const accounts: CustomerAccountKey[] = ['receivables', 'unapplied_cash'];
  const [receivables, unapplied] = await Promise.all(accounts.map((account) => customerBalances(executor, tenantId, { account, customerId, asOf: from, before: true })));
  const opening = new Map<string, bigint>();
  for (const row of [...receivables!, ...unapplied!]) opening.set(row.currency, (opening.get(row.currency) ?? 0n) + row.balanceMinor);
  const entries = (await customerEntries(executor, tenantId, { accounts, customerId, from, to })).filter((entry) => entry.netMinor !== 0n);
  const currencies = [...new Set([...[...opening].filter(([, minor]) => minor !== 0n).map(([currency]) => currency), ...entries.map((entry) => entry.currency)])].sort();
  return {
    customer: { id: customerId, number: customer.number, name: customer.name },
    from,
    to,
    currencies: currencies.map((currency) => {
      const movements = entries.filter((entry) => entry.currency === currency);
      const openingMinor = opening.get(currency) ?? 0n;
      const balances = runningBalances(openingMinor, movements.map((entry) => ({ date: entry.businessDate, amountMinor: entry.netMinor })));
      return {
        currency,
        opening: formatMinor(openingMinor, currency),
        movements: movements.map((entry, index) => ({
          date: entry.businessDate,
          kind: statementKinds[entry.sourceType] ?? 'Entry',
          sourceType: entry.sourceType,
          sourceId: entry.sourceId,
          entryNumber: entry.number,
          description: entry.description,
          debit: entry.netMinor > 0n ? formatMinor(entry.netMinor, currency) : null,
          credit: entry.netMinor < 0n ? formatMinor(-entry.netMinor, currency) : null,
          balance: formatMinor(balances[index]!, currency),
        })),
        closing: formatMinor(balances.at(-1) ?? openingMinor, currency),
      };
    }),
  };
}

export type Statement = Awaited<ReturnType<typeof statement>>;

const bucketText = (buckets: BucketAmounts, currency: string) => ({
  ...Object.fromEntries(agingBuckets.map((bucket) => [bucket, formatMinor(buckets[bucket], currency)])),
  credits: formatMinor(-buckets.credits, currency),
  total: formatMinor(totalOf(buckets), currency),
}) as Record<AgingBucket | 'credits' | 'total', string>;

/**
 * Aging as of any date: what each customer owes by days past due (current, 1–30,
 * 31–60, 61–90, over 90) per currency, with credit items and unapplied cash beside
 * them; totals per currency and, at the ledger's rates for that date, in the base
 * currency. Customers are ordered by what they owe in the base currency, largest first.
 */
export async function aging(executor: Executor, tenantId: string, filter: { asOf?: BusinessDate | undefined; customerId?: string | undefined; limit: number; offset: number }) {
  const { asOf, current } = await asOfDate(executor, tenantId, filter.asOf);
  const tenant = await getTenant(executor, tenantId);
  const base = tenant.baseCurrency;
  const items = openItemsQuery(tenantId, asOf, current, filter.customerId);
  const rows = (
    await sql<{ customer_id: string; customer_name: string; currency: string; current: string; days1to30: string; days31to60: string; days61to90: string; over90: string; credits: string }>`
      with items as (${items}),
      aged as (select customer_id, customer_name, currency, type, open_minor::bigint as open_minor,
                      case when type = 'invoice' then ${asOf}::date - due_date::date end as past_due
                 from items)
      select customer_id, min(customer_name) as customer_name, currency,
             coalesce(sum(open_minor) filter (where type = 'invoice' and past_due <= 0), 0)::text as current,
             coalesce(sum(open_minor) filter (where type = 'invoice' and past_due between 1 and 30), 0)::text as days1to30,
             coalesce(sum(open_minor) filter (where type = 'invoice' and past_due between 31 and 60), 0)::text as days31to60,
             coalesce(sum(open_minor) filter (where type = 'invoice' and past_due between 61 and 90), 0)::text as days61to90,
             coalesce(sum(open_minor) filter (where type = 'invoice' and past_due > 90), 0)::text as over90,
             coalesce(sum(open_minor) filter (where type <> 'invoice'), 0)::text as credits
        from aged
       group by customer_id, currency`.execute(executor)
  ).rows;
  const rates = new Map<string, Decimal | null>([[base, one]]);
  for (const currency of new Set(rows.map((row) => row.currency))) {
    if (!rates.has(currency)) rates.set(currency, (await findRate(executor, tenantId, currency, base, asOf))?.rate ?? null);
  }
  const byCurrency = new Map<string, BucketAmounts>();
  const inBase = emptyBuckets();
  const customers = new Map<string, { id: string; name: string; lines: Array<{ currency: string; buckets: BucketAmounts }>; base: BucketAmounts; complete: boolean }>();
  for (const row of rows) {
    const buckets: BucketAmounts = { current: BigInt(row.current), days1to30: BigInt(row.days1to30), days31to60: BigInt(row.days31to60), days61to90: BigInt(row.days61to90), over90: BigInt(row.over90), credits: BigInt(row.credits) };
    const total = byCurrency.get(row.currency) ?? emptyBuckets();
    addBuckets(total, buckets);
    byCurrency.set(row.currency, total);
    const customer = customers.get(row.customer_id) ?? { id: row.customer_id, name: row.customer_name, lines: [], base: emptyBuckets(), complete: true };
    customer.lines.push({ currency: row.currency, buckets });
    const rate = rates.get(row.currency) ?? null;
    if (rate === null) customer.complete = false;
    else addBuckets(customer.base, convertBuckets(buckets, row.currency, base, rate));
    customers.set(row.customer_id, customer);
  }
  for (const [currency, buckets] of byCurrency) {
    const rate = rates.get(currency) ?? null;
    if (rate !== null) addBuckets(inBase, convertBuckets(buckets, currency, base, rate));
  }
  // Each customer's base total once, not at every comparison of the sort.
  const ordered = [...customers.values()]
    .map((customer) => ({ customer, total: totalOf(customer.base) }))
    .sort((a, b) => (b.total > a.total ? 1 : b.total < a.total ? -1 : a.customer.name.localeCompare(b.customer.name)))
    .map(({ customer }) => customer);
  const page = ordered.slice(filter.offset, filter.offset + filter.limit);
  return {
    asOf,
    baseCurrency: base,
    totals: {
      byCurrency: [...byCurrency].sort(([a], [b]) => a.localeCompare(b)).map(([currency, buckets]) => ({ currency, ...bucketText(buckets, currency) })),
      inBaseCurrency: bucketText(inBase, base),
      missingRates: [...rates].filter(([, rate]) => rate === null).map(([currency]) => currency),
    },
    customerCount: ordered.length,
    customers: page.map((customer) => ({
      id: customer.id,
      name: customer.name,
      byCurrency: customer.lines.sort((a, b) => a.currency.localeCompare(b.currency)).map((line) => ({ currency: line.currency, ...bucketText(line.buckets, line.currency) })),
      inBaseCurrency: customer.complete ? bucketText(customer.base, base) : null,
    })),
    nextOffset: filter.offset + filter.limit < ordered.length ? filter.offset + filter.limit : null,
  };
}

/**
 * Proves the subledger equals the ledger as of a date, per customer and currency:
 * the receivables account against the open invoices and credit items, the
 * unapplied-cash account against the payments' unapplied cash. Any difference is
 * listed with the ledger entries behind it.
 */
export async function reconciliation(executor: Executor, tenantId: string, asOfInput?: BusinessDate) {
  const { asOf, current } = await asOfDate(executor, tenantId, asOfInput);
  const [receivablesLedger, unappliedLedger] = await Promise.all([
    customerBalances(executor, tenantId, { account: 'receivables', asOf }),
    customerBalances(executor, tenantId, { account: 'unapplied_cash', asOf }),
  ]);
  const items = (await openItemsQuery(tenantId, asOf, current, undefined).execute(executor)).rows;
  const key = (customerId: string, currency: string) => `${customerId}|${currency}`;
  type Side = { ledger: bigint; items: bigint; name: string };
  const sides: Record<CustomerAccountKey, Map<string, Side>> = { receivables: new Map(), unapplied_cash: new Map() };
  const names = new Map<string, string>();
  for (const row of items) {
    names.set(row.customer_id, row.customer_name);
    const account: CustomerAccountKey = row.type === 'payment' ? 'unapplied_cash' : 'receivables';
    const k = key(row.customer_id, row.currency);
    const side = sides[account].get(k) ?? { ledger: 0n, items: 0n, name: row.customer_name };
    // Receivables are debit balances (credit items lower them); unapplied cash is a credit balance.
    side.items += BigInt(row.open_minor) * (row.type === 'credit_note' ? -1n : 1n);
    sides[account].set(k, side);
  }
  for (const [account, rows] of [['receivables', receivablesLedger], ['unapplied_cash', unappliedLedger]] as const) {
    for (const row of rows) {
      const k = key(row.customerId, row.currency);
      const side = sides[account].get(k) ?? { ledger: 0n, items: 0n, name: '' };
      side.ledger += account === 'receivables' ? row.balanceMinor : -row.balanceMinor;
      sides[account].set(k, side);
    }
  }
  const summary = (account: CustomerAccountKey) => {
    const totals = new Map<string, { ledger: bigint; items: bigint }>();
    for (const [k, side] of sides[account]) {
      const currency = k.split('|')[1]!;
      const total = totals.get(currency) ?? { ledger: 0n, items: 0n };
      total.ledger += side.ledger;
      total.items += side.items;
      totals.set(currency, total);
    }
    return [...totals].sort(([a], [b]) => a.localeCompare(b)).map(([currency, total]) => ({ currency, ledger: formatMinor(total.ledger, currency), items: formatMinor(total.items, currency), difference: formatMinor(total.ledger - total.items, currency) }));
  };
  const differences = [];
  for (const account of ['receivables', 'unapplied_cash'] as const) {
    for (const [k, side] of sides[account]) {
      if (side.ledger === side.items) continue;
      const [customerId, currency] = k.split('|') as [string, string];
      const entries = await customerEntries(executor, tenantId, { accounts: [account], customerId, currency, to: asOf, limit: 200, newestFirst: true });
      differences.push({
        account,
        customer: { id: customerId, name: names.get(customerId) ?? side.name },
        currency,
        ledger: formatMinor(side.ledger, currency),
        items: formatMinor(side.items, currency),
        difference: formatMinor(side.ledger - side.items, currency),
        entries: entries.map((entry) => ({ entryId: entry.entryId, number: entry.number, date: entry.businessDate, description: entry.description, sourceType: entry.sourceType, sourceId: entry.sourceId, amount: formatMinor(account === 'receivables' ? entry.netMinor : -entry.netMinor, currency) })),
      });
    }
  }
  return { asOf, balanced: differences.length === 0, receivables: summary('receivables'), unappliedCash: summary('unapplied_cash'), differences };
}
