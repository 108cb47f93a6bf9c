import type { ColumnType, Generated } from 'kysely';

type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export type AccountType = 'asset' | 'liability' | 'equity' | 'revenue' | 'expense';
export type Side = 'debit' | 'credit';

export interface AccountsTable {
  tenant_id: string;
  id: string;
  number: string;
  name: string;
  type: AccountType;
  system_key: string | null;
  requires_customer: ColumnType<boolean, boolean | undefined, boolean>;
  active: ColumnType<boolean, boolean | undefined, boolean>;
  version: Generated<number>;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface JournalEntriesTable {
  tenant_id: string;
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
  created_at: DefaultTimestamp;
}

export interface JournalLinesTable {
  tenant_id: string;
  id: string;
  entry_id: string;
  line_no: number;
  account_id: string;
  side: Side;
  amount_minor: bigint;
  base_amount_minor: bigint;
  customer_id: string | null;
  description: string | null;
}

export interface ExchangeRatesTable {
  tenant_id: string;
  from_currency: string;
  to_currency: string;
  rate_date: string;
  rate: string;
  source: 'manual' | 'csv';
  updated_by: string;
  updated_at: DefaultTimestamp;
}

export interface AccountingPeriodsTable {
  tenant_id: string;
  year: number;
  month: number;
  status: 'open' | 'closed';
  changed_by: string;
  changed_at: DefaultTimestamp;
  version: Generated<number>;
}

declare module '../../platform/db/schema' {
  interface Database {
    accounts: AccountsTable;
    journal_entries: JournalEntriesTable;
    journal_lines: JournalLinesTable;
    exchange_rates: ExchangeRatesTable;
    accounting_periods: AccountingPeriodsTable;
  }
}
