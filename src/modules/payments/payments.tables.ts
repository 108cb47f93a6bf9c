import type { ColumnType, Generated } from 'kysely';

type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Minor = ColumnType<bigint, bigint | undefined, bigint>;
type Nullable<T> = ColumnType<T | null, T | null | undefined, T | null>;

export const paymentMethods = ['bank_transfer', 'card', 'cheque', 'direct_debit', 'cash'] as const;
export type PaymentMethod = (typeof paymentMethods)[number];
export const refundMethods = ['bank_transfer', 'card', 'cheque', 'cash'] as const;
export type RefundMethod = (typeof refundMethods)[number];
export type SourceType = 'payment' | 'credit_note';

export interface PaymentSettingsTable {
  tenant_id: string;
  tolerance_minor: Minor;
  write_off_threshold_minor: Minor;
  version: Generated<number>;
  updated_at: DefaultTimestamp;
}

export interface PaymentsTable {
  tenant_id: string;
  id: string;
  number: string;
  customer_id: string;
  currency: string;
  amount_minor: bigint;
  method: PaymentMethod;
  value_date: string;
  payer_reference: Nullable<string>;
  bank_account: Nullable<string>;
  notes: Nullable<string>;
  status: ColumnType<'received' | 'reversed', 'received' | 'reversed' | undefined, 'received' | 'reversed'>;
  applied_minor: Minor;
  refunded_minor: Minor;
  unapplied_minor: bigint;
  journal_entry_id: string;
  reversal_reason: Nullable<string>;
  reversal_date: Nullable<string>;
  reversal_entry_id: Nullable<string>;
  reversed_by: Nullable<string>;
  reversed_at: NullableTimestamp;
  created_by: string;
  version: Generated<number>;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface PaymentApplicationsTable {
  tenant_id: string;
  id: string;
  source_type: SourceType;
  payment_id: Nullable<string>;
  credit_note_id: Nullable<string>;
  invoice_id: string;
  customer_id: string;
  invoice_currency: string;
  source_currency: string;
  amount_minor: bigint;
  discount_minor: Minor;
  difference_minor: Minor;
  source_amount_minor: bigint;
  rate: Nullable<string>;
  fx_base_minor: Minor;
  business_date: string;
  status: ColumnType<'active' | 'undone', 'active' | 'undone' | undefined, 'active' | 'undone'>;
  journal_entry_id: Nullable<string>;
  bridge_entry_id: Nullable<string>;
  undo_reason: Nullable<string>;
  undo_date: Nullable<string>;
  undone_by: Nullable<string>;
  undone_at: NullableTimestamp;
  created_by: string;
  created_at: DefaultTimestamp;
}

export interface RefundsTable {
  tenant_id: string;
  id: string;
  number: string;
  customer_id: string;
  source_type: SourceType;
  payment_id: Nullable<string>;
  credit_note_id: Nullable<string>;
  currency: string;
  amount_minor: bigint;
  business_date: string;
  method: RefundMethod;
  reference: Nullable<string>;
  reason: string;
  journal_entry_id: string;
  created_by: string;
  created_at: DefaultTimestamp;
}

export interface WriteOffsTable {
  tenant_id: string;
  id: string;
  invoice_id: string;
  customer_id: string;
  currency: string;
  amount_minor: bigint;
  base_amount_minor: bigint;
  reason: string;
  status: ColumnType<'requested' | 'approved' | 'rejected', 'requested' | 'approved' | 'rejected' | undefined, 'requested' | 'approved' | 'rejected'>;
  requested_by_key: string;
  requested_by: string;
  requested_at: DefaultTimestamp;
  decided_by: Nullable<string>;
  decided_at: NullableTimestamp;
  decision_note: Nullable<string>;
  business_date: Nullable<string>;
  journal_entry_id: Nullable<string>;
  version: Generated<number>;
}

declare module '../../platform/db/schema' {
  interface Database {
    payment_settings: PaymentSettingsTable;
    payments: PaymentsTable;
    payment_applications: PaymentApplicationsTable;
    refunds: RefundsTable;
    write_offs: WriteOffsTable;
  }
}
