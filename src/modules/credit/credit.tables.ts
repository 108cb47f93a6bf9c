import type { ColumnType, Generated } from 'kysely';

type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Nullable<T> = ColumnType<T | null, T | null | undefined, T | null>;
type Json = ColumnType<unknown, string, string>;

export type CreditBlock = 'none' | 'automatic' | 'manual';
export type ReviewStatus = 'open' | 'released' | 'rejected' | 'withdrawn';
export type LimitRequestStatus = 'pending' | 'approved' | 'rejected';

export interface CreditSettingsTable {
  tenant_id: string;
  default_limit_minor: ColumnType<bigint, bigint | undefined, bigint>;
  grace_days: ColumnType<number, number | undefined, number>;
  block_after_days: ColumnType<number, number | undefined, number>;
  starting_class: ColumnType<string, string | undefined, string>;
  version: Generated<number>;
  updated_at: DefaultTimestamp;
}

export interface CustomerCreditTable {
  tenant_id: string;
  customer_id: string;
  temporary_limit_minor: Nullable<bigint>;
  temporary_limit_until: Nullable<string>;
  block: ColumnType<CreditBlock, CreditBlock | undefined, CreditBlock>;
  block_reason: Nullable<string>;
  blocked_at: NullableTimestamp;
  version: Generated<number>;
  updated_at: DefaultTimestamp;
}

export interface CreditLimitChangesTable {
  tenant_id: string;
  id: string;
  customer_id: string;
  currency: string;
  previous_limit_minor: bigint | null;
  limit_minor: bigint;
  expires_on: string | null;
  reason: string;
  request_id: string | null;
  changed_by: string;
  created_at: DefaultTimestamp;
}

export interface CreditLimitRequestsTable {
  tenant_id: string;
  id: string;
  customer_id: string;
  currency: string;
  limit_minor: bigint;
  expires_on: string | null;
  reason: string;
  status: ColumnType<LimitRequestStatus, LimitRequestStatus | undefined, LimitRequestStatus>;
  requested_by: string;
  requested_by_key: string;
  requested_at: DefaultTimestamp;
  decided_by: Nullable<string>;
  decided_at: NullableTimestamp;
  decision_reason: Nullable<string>;
}

export interface CreditReviewsTable {
  tenant_id: string;
  id: string;
  order_id: string;
  customer_id: string;
  status: ColumnType<ReviewStatus, ReviewStatus | undefined, ReviewStatus>;
  reasons: Json;
  inputs: Json;
  opened_at: DefaultTimestamp;
  decided_by: Nullable<string>;
  decided_at: NullableTimestamp;
  decision_reason: Nullable<string>;
  one_off_increase_minor: Nullable<bigint>;
}

export interface CreditScoresTable {
  tenant_id: string;
  customer_id: string;
  scored_on: string;
  score: number;
  risk_class: string;
  recommended_limit_minor: bigint;
  currency: string;
  has_history: boolean;
  factors: Json;
  created_at: DefaultTimestamp;
}

declare module '../../platform/db/schema' {
  interface Database {
    credit_settings: CreditSettingsTable;
    customer_credit: CustomerCreditTable;
    credit_limit_changes: CreditLimitChangesTable;
    credit_limit_requests: CreditLimitRequestsTable;
    credit_reviews: CreditReviewsTable;
    credit_scores: CreditScoresTable;
  }
}
