import type { ColumnType, Generated } from 'kysely';

/**
 * The Kysely view of the database. The platform declares its own tables here;
 * each module adds its tables to this interface by declaration merging in its own
 * `<module>.tables.ts`, so the table types live beside the module that owns them.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface Database extends PlatformTables {}

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null, Date | string | null>;
type Json<T = unknown> = ColumnType<T, string, string>;

export interface PlatformTables {
  schema_migrations: { name: string; checksum: string; applied_at: DefaultTimestamp };
  tenants: TenantsTable;
  users: UsersTable;
  sessions: SessionsTable;
  login_attempts: LoginAttemptsTable;
  api_keys: ApiKeysTable;
  audit_events: AuditEventsTable;
  idempotency_keys: IdempotencyKeysTable;
  number_series: NumberSeriesTable;
  number_series_counters: NumberSeriesCountersTable;
  outbox_events: OutboxEventsTable;
}

export interface TenantsTable {
  id: string;
  slug: string;
  legal_name: string;
  address_line1: string;
  address_line2: string | null;
  postal_code: string;
  city: string;
  country_code: string;
  vat_id: string | null;
  registration_id: string | null;
  iban: string | null;
  bic: string | null;
  base_currency: string;
  time_zone: string;
  locale: string;
  email_sender: string | null;
  version: Generated<number>;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface UsersTable {
  tenant_id: string;
  id: string;
  email: string;
  display_name: string;
  password_hash: string;
  roles: string[];
  permissions: ColumnType<string[], string[] | undefined, string[]>;
  status: 'active' | 'disabled';
  version: Generated<number>;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
  last_login_at: NullableTimestamp;
}

export interface SessionsTable {
  tenant_id: string;
  id: string;
  user_id: string;
  token_hash: string;
  created_at: DefaultTimestamp;
  last_seen_at: Timestamp;
  absolute_expires_at: Timestamp;
  ended_at: NullableTimestamp;
}

export interface LoginAttemptsTable {
  id: Generated<ColumnType<bigint, never, never>>;
  email: string;
  client_address: string;
  succeeded: boolean;
  attempted_at: DefaultTimestamp;
}

export interface ApiKeysTable {
  tenant_id: string;
  id: string;
  name: string;
  prefix: string;
  secret_hash: string;
  roles: string[];
  permissions: ColumnType<string[], string[] | undefined, string[]>;
  created_by: string | null;
  created_at: DefaultTimestamp;
  last_used_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
}

export interface AuditEventsTable {
  tenant_id: string;
  id: string;
  occurred_at: DefaultTimestamp;
  actor_type: 'user' | 'api_key' | 'system';
  actor_id: string | null;
  actor_name: string;
  action: string;
  entity_type: string;
  entity_id: string;
  before: Json | null;
  after: Json | null;
  request_id: string | null;
}

export interface IdempotencyKeysTable {
  tenant_id: string;
  key: string;
  method: string;
  path: string;
  request_hash: string;
  response_status: number | null;
  response_body: Json | null;
  created_at: DefaultTimestamp;
}

export interface NumberSeriesTable {
  tenant_id: string;
  series: string;
  pattern: string;
}

export interface NumberSeriesCountersTable {
  tenant_id: string;
  series: string;
  year: number;
  last_value: ColumnType<bigint, bigint | number, bigint | number>;
}

export interface OutboxEventsTable {
  tenant_id: string;
  id: string;
  event_type: string;
  aggregate_type: string;
  aggregate_id: string;
  payload: Json;
  occurred_at: DefaultTimestamp;
  published_at: NullableTimestamp;
  attempts: Generated<number>;
  last_error: string | null;
}
