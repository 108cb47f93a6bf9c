import type { ColumnType, Generated } from 'kysely';

type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Minor = ColumnType<bigint, bigint | undefined, bigint>;
type Json<T> = ColumnType<T, string | undefined, string>;

export type InvoiceKind = 'invoice' | 'credit_note';
export type InvoiceStatus = 'draft' | 'issued';
export type InvoiceOrigin = 'automatic' | 'manual' | 'correction' | 'credit';
export type SendingStatus = 'not_sent' | 'queued' | 'sent' | 'failed';
export type PaymentStatus = 'open' | 'partially_paid' | 'paid';
export type BalanceMovementKind = 'issued' | 'credited' | 'applied' | 'discount' | 'difference' | 'written_off' | 'undone' | 'refunded' | 'used';
export type EnTaxCategory = 'S' | 'Z' | 'E' | 'AE' | 'K' | 'G' | 'O';

export interface StoredTaxBreakdown {
  categoryCode: EnTaxCategory;
  ratePercent: string;
  exemptionReasonCode: string | null;
  exemptionReason: string | null;
  taxableMinor: string;
  taxMinor: string;
}

export interface InvoicingSettingsTable {
  tenant_id: string;
  auto_issue: ColumnType<boolean, boolean | undefined, boolean>;
  version: Generated<number>;
  updated_at: DefaultTimestamp;
}

export interface InvoicesTable {
  tenant_id: string;
  id: string;
  kind: InvoiceKind;
  number: string | null;
  status: InvoiceStatus;
  origin: InvoiceOrigin;
  sending_status: ColumnType<SendingStatus, SendingStatus | undefined, SendingStatus>;
  payment_status: ColumnType<PaymentStatus, PaymentStatus | undefined, PaymentStatus>;
  customer_id: string;
  customer_number: string;
  customer_name: string;
  customer_legal_name: string;
  customer_vat_id: string | null;
  customer_email: string | null;
  billing_line1: string;
  billing_line2: string | null;
  billing_postal_code: string;
  billing_city: string;
  billing_country_code: string;
  deliver_to_name: string | null;
  deliver_to_line1: string | null;
  deliver_to_line2: string | null;
  deliver_to_postal_code: string | null;
  deliver_to_city: string | null;
  deliver_to_country_code: string | null;
  currency: string;
  base_currency: string;
  exchange_rate: string | null;
  tax_base_minor: bigint | null;
  issue_date: string | null;
  delivery_date: string | null;
  due_date: string | null;
  payment_terms_code: string;
  payment_terms_name: string;
  payment_terms_net_days: number;
  payment_terms_basis: 'invoice_date' | 'end_of_month';
  payment_terms_discount_percent: string | null;
  payment_terms_discount_days: number | null;
  discount_deadline: string | null;
  discount_minor: bigint | null;
  payment_reference: string | null;
  buyer_reference: string | null;
  order_discount_percent: string | null;
  lines_net_minor: Minor;
  allowances_minor: Minor;
  charges_minor: Minor;
  taxable_minor: Minor;
  tax_minor: Minor;
  gross_minor: Minor;
  tax_breakdown: Json<StoredTaxBreakdown[]>;
  open_minor: Minor;
  credited_minor: Minor;
  credited_invoice_id: string | null;
  corrects_invoice_id: string | null;
  credit_reason: string | null;
  notes: string | null;
  journal_entry_id: string | null;
  created_by: string;
  issued_by: string | null;
  issued_at: NullableTimestamp;
  version: Generated<number>;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface InvoiceLinesTable {
  tenant_id: string;
  id: string;
  invoice_id: string;
  line_no: number;
  kind: 'item' | 'charge';
  order_id: string | null;
  order_number: string | null;
  customer_po_number: string | null;
  order_line_id: string | null;
  order_line_no: number | null;
  order_charge_id: string | null;
  shipment_id: string | null;
  shipment_number: string | null;
  shipment_line_id: string | null;
  ship_date: string | null;
  credited_line_id: string | null;
  is_price_reduction: ColumnType<boolean, boolean | undefined, boolean>;
  goods_returned: ColumnType<boolean, boolean | undefined, boolean>;
  item_id: string | null;
  item_kind: 'goods' | 'service' | null;
  sku: string | null;
  description: string;
  unit: string;
  charge_kind: 'freight' | 'handling' | 'other' | null;
  quantity: string;
  unit_price: string;
  discount_percent: string | null;
  allowance_percent: string | null;
  gross_minor: bigint;
  discount_minor: bigint;
  net_minor: bigint;
  allowance_share_minor: bigint;
  taxable_minor: bigint;
  tax_category: EnTaxCategory;
  tax_rate_percent: string;
  tax_exemption_reason_code: string | null;
  tax_exemption_reason: string | null;
  tax_minor: bigint;
  revenue_account: string;
}

export interface InvoiceSendingsTable {
  tenant_id: string;
  id: string;
  invoice_id: string;
  recipient: string;
  status: 'queued' | 'sent' | 'failed';
  attempts: ColumnType<number, number | undefined, number>;
  max_attempts: number;
  next_attempt_at: ColumnType<Date, Date | string, Date | string>;
  requested_by: string;
  requested_at: DefaultTimestamp;
  finished_at: NullableTimestamp;
}

export interface InvoiceSendAttemptsTable {
  tenant_id: string;
  id: string;
  sending_id: string;
  invoice_id: string;
  attempt_no: number;
  recipient: string;
  outcome: 'sent' | 'failed';
  detail: string;
  attempted_at: DefaultTimestamp;
}

export interface InvoiceBalanceMovementsTable {
  tenant_id: string;
  id: string;
  invoice_id: string;
  customer_id: string;
  currency: string;
  business_date: string;
  amount_minor: bigint;
  kind: BalanceMovementKind;
  source_type: string;
  source_id: string;
  created_at: DefaultTimestamp;
}

declare module '../../platform/db/schema' {
  interface Database {
    invoicing_settings: InvoicingSettingsTable;
    invoices: InvoicesTable;
    invoice_lines: InvoiceLinesTable;
    invoice_sendings: InvoiceSendingsTable;
    invoice_send_attempts: InvoiceSendAttemptsTable;
    invoice_balance_movements: InvoiceBalanceMovementsTable;
  }
}
