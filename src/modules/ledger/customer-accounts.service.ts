import { sql } from 'kysely';
import type { BusinessDate } from '../../kernel';
import type { Executor } from '../../platform/db/database';

/** The accounts that carry the customer on every line: what customers owe and what they paid ahead. */
export type CustomerAccountKey = 'receivables' | 'unapplied_cash';

export interface CustomerEntry {
  readonly entryId: string;
  readonly number: string;
  readonly businessDate: BusinessDate;
  readonly description: string;
  readonly sourceType: string;
  readonly sourceId: string;
  readonly currency: string;
  readonly customerId: string;
  /** Signed in the entry's currency: debit − credit over the entry's lines on the accounts asked for. */
  readonly netMinor: bigint;
}

/**
 * The entries that touched customer accounts, each with its net effect (debit −
 * credit) per customer, in business-date order: what a customer statement and the
 * subledger reconciliation read from the ledger alone.
 */
export async function customerEntries(
  executor: Executor,
  tenantId: string,
  filter: { accounts: readonly CustomerAccountKey[]; customerId?: string | undefined; currency?: string | undefined; from?: BusinessDate | undefined; to: BusinessDate; limit?: number | undefined; newestFirst?: boolean | undefined },
): Promise<CustomerEntry[]> {
  const rows = await sql<{ entry_id: string; number: string; business_date: string; description: string; source_type: string; source_id: string; currency: string; customer_id: string; net: string }>`
    select e.id as entry_id, e.number, e.business_date::text as business_date, e.description, e.source_type, e.source_id, e.currency, l.customer_id,
           sum(case when l.side = 'debit' then l.amount_minor else -l.amount_minor end)::text as net
      from journal_lines l
      join journal_entries e on e.tenant_id = l.tenant_id and e.id = l.entry_id
      join accounts a on a.tenant_id = l.tenant_id and a.id = l.account_id
     where l.tenant_id = ${tenantId}
       and a.system_key in (${sql.join(filter.accounts)})
       and e.business_date <= ${filter.to}
       ${filter.from === undefined ? sql`` : sql`and e.business_date >= ${filter.from}`}
       ${filter.customerId === undefined ? sql`` : sql`and l.customer_id = ${filter.customerId}`}
       ${filter.currency === undefined ? sql`` : sql`and e.currency = ${filter.currency}`}
     group by e.id, e.number, e.business_date, e.description, e.source_type, e.source_id, e.currency, l.customer_id
     ${filter.newestFirst === true ? sql`order by e.business_date desc, e.number desc` : sql`order by e.business_date, e.number`}
     ${filter.limit === undefined ? sql`` : sql`limit ${filter.limit}`}`.execute(executor);
  return rows.rows.map((row) => ({
    entryId: row.entry_id,
    number: row.number,
    businessDate: row.business_date,
    description: row.description,
    sourceType: row.source_type,
    sourceId: row.source_id,
    currency: row.currency,
    customerId: row.customer_id,
    netMinor: BigInt(row.net),
  }));
}

/** Balances (debit − credit, entry currency) of customer accounts per customer and currency as of a date, and before a date when `before` is set. */
export async function customerBalances(
  executor: Executor,
  tenantId: string,
  filter: { account: CustomerAccountKey; customerId?: string | undefined; asOf: BusinessDate; before?: boolean | undefined },
): Promise<Array<{ customerId: string; currency: string; balanceMinor: bigint }>> {
  const rows = await sql<{ customer_id: string; currency: string; balance: string }>`
    select l.customer_id, e.currency, sum(case when l.side = 'debit' then l.amount_minor else -l.amount_minor end)::text as balance
      from journal_lines l
      join journal_entries e on e.tenant_id = l.tenant_id and e.id = l.entry_id
      join accounts a on a.tenant_id = l.tenant_id and a.id = l.account_id
     where l.tenant_id = ${tenantId}
       and a.system_key = ${filter.account}
       and ${filter.before === true ? sql`e.business_date < ${filter.asOf}` : sql`e.business_date <= ${filter.asOf}`}
       ${filter.customerId === undefined ? sql`` : sql`and l.customer_id = ${filter.customerId}`}
     group by l.customer_id, e.currency`.execute(executor);
  return rows.rows.map((row) => ({ customerId: row.customer_id, currency: row.currency, balanceMinor: BigInt(row.balance) }));
}
