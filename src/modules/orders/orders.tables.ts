import type { ColumnType, Generated } from 'kysely';

type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Minor = ColumnType<bigint, bigint | undefined, bigint>;
type Numeric = ColumnType<string, string, string>;
type DefaultNumeric = ColumnType<string, string | undefined, string>;
type Json = ColumnType<unknown, string | undefined, string>;

export type OrderStatus = 'draft' | 'submitted' | 'approved' | 'on_credit_hold' | 'partially_shipped' | 'shipped' | 'closed' | 'cancelled';
export type ReservationStatus = 'none' | 'not_needed' | 'backordered' | 'partial' | 'complete';
export type OrderSource = 'api' | 'ui' | 'csv' | 'edi' | 'shop';
export type EnTaxCategory = 'S' | 'Z' | 'E' | 'AE' | 'K' | 'G' | 'O';

export interface SalesOrdersTable {
  tenant_id: string;
  id: string;
  number: string;
  status: OrderStatus;
  reservation_status: ColumnType<ReservationStatus, ReservationStatus | undefined, ReservationStatus>;
  customer_id: string;
  customer_number: string;
  customer_name: string;
  customer_po_number: string | null;
  currency: string;
  order_date: string;
  requested_delivery_date: string | null;
  ship_to_name: string;
  ship_to_line1: string;
  ship_to_line2: string | null;
  ship_to_postal_code: string;
  ship_to_city: string;
  ship_to_country_code: string;
  buyer_country_code: string;
  buyer_vat_id: string | null;
  seller_country_code: string;
  warehouse_id: string;
  shipping_policy: 'partial' | 'complete';
  price_list_id: string | null;
  payment_terms_code: string;
  order_discount_percent: string | null;
  lines_net_minor: Minor;
  order_discount_minor: Minor;
  charges_minor: Minor;
  taxable_minor: Minor;
  tax_minor: Minor;
  gross_minor: Minor;
  tax_breakdown: Json;
  allow_over_delivery: ColumnType<boolean, boolean | undefined, boolean>;
  over_delivery_tolerance_percent: DefaultNumeric;
  source: OrderSource;
  notes: string | null;
  credit_decision: ColumnType<unknown, string | null | undefined, string | null>;
  cancel_reason: string | null;
  created_by: string;
  created_by_key: ColumnType<string | null, string | null | undefined, string | null>;
  submitted_at: NullableTimestamp;
  approved_at: NullableTimestamp;
  cancelled_at: NullableTimestamp;
  version: Generated<number>;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface SalesOrderLinesTable {
  tenant_id: string;
  id: string;
  order_id: string;
  line_no: number;
  item_id: string;
  sku: string;
  description: string;
  item_kind: 'goods' | 'service';
  unit: string;
  quantity: Numeric;
  unit_price: Numeric;
  price_source: 'price_list' | 'override';
  price_list_id: string | null;
  price_override_reason: string | null;
  discount_percent: string | null;
  gross_minor: bigint;
  discount_minor: bigint;
  net_minor: bigint;
  order_discount_share_minor: bigint;
  taxable_minor: bigint;
  tax_category: EnTaxCategory;
  tax_rate_percent: Numeric;
  tax_exemption_reason_code: string | null;
  tax_exemption_reason: string | null;
  tax_minor: bigint;
  revenue_account: string;
  quantity_reserved: DefaultNumeric;
  quantity_shipped: DefaultNumeric;
  quantity_cancelled: DefaultNumeric;
  quantity_invoiced: DefaultNumeric;
  promised_ship_date: string | null;
}

export interface SalesOrderChargesTable {
  tenant_id: string;
  id: string;
  order_id: string;
  kind: 'freight' | 'handling' | 'other';
  description: string;
  amount_minor: bigint;
  tax_category: EnTaxCategory;
  tax_rate_percent: Numeric;
  tax_exemption_reason_code: string | null;
  tax_minor: bigint;
  /** The invoice (draft or issued) that carries this charge; each charge is invoiced once. */
  invoice_id: ColumnType<string | null, string | null | undefined, string | null>;
}

declare module '../../platform/db/schema' {
  interface Database {
    sales_orders: SalesOrdersTable;
    sales_order_lines: SalesOrderLinesTable;
    sales_order_charges: SalesOrderChargesTable;
  }
}
