import type { ColumnType, Generated } from 'kysely';

/** The catalog's tables, merged into the Kysely `Database` by declaration merging. */
type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface TaxCategoriesTable {
  tenant_id: string;
  id: string;
  code: string;
  name: string;
  domestic_category: 'S' | 'Z' | 'E';
  exemption_reason: string | null;
  exemption_reason_code: string | null;
  version: Generated<number>;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface TaxRatesTable {
  tenant_id: string;
  id: string;
  tax_category_code: string;
  country_code: string;
  /** numeric(7,4): read as an exact decimal string. */
  rate_percent: string;
  /** date: 'YYYY-MM-DD'. */
  valid_from: string;
  valid_to: string | null;
  version: Generated<number>;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface ItemsTable {
  tenant_id: string;
  id: string;
  sku: string;
  name: string;
  description: string | null;
  kind: 'goods' | 'service';
  unit: string;
  tax_category_code: string;
  revenue_account: string;
  active: boolean;
  version: Generated<number>;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface PriceListsTable {
  tenant_id: string;
  id: string;
  name: string;
  currency: string;
  valid_from: string;
  valid_to: string | null;
  is_default: boolean;
  active: boolean;
  version: Generated<number>;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface PriceListEntriesTable {
  tenant_id: string;
  id: string;
  price_list_id: string;
  item_id: string;
  /** numeric(20,6). */
  min_quantity: string;
  /** numeric(24,7). */
  unit_price: string;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

declare module '../../platform/db/schema' {
  interface Database {
    tax_categories: TaxCategoriesTable;
    tax_rates: TaxRatesTable;
    items: ItemsTable;
    price_lists: PriceListsTable;
    price_list_entries: PriceListEntriesTable;
  }
}
