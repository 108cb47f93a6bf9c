-- Platform tables: tenants, identities, audit, idempotency, number series, outbox.
-- Every business table carries tenant_id in its primary key and foreign keys.

create or replace function o2c_refuse_change() returns trigger
language plpgsql as $$
begin
  raise exception 'O2C_APPEND_ONLY: % on % is refused; this table is append-only', tg_op, tg_table_name
    using errcode = 'P0001';
end
$$;

create table tenants (
  id uuid primary key,
  slug text not null unique check (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
  legal_name text not null check (length(legal_name) between 1 and 200),
  address_line1 text not null,
  address_line2 text,
  postal_code text not null,
  city text not null,
  country_code char(2) not null check (country_code ~ '^[A-Z]{2}$'),
  vat_id text,
  registration_id text,
  iban text,
  bic text,
  base_currency char(3) not null check (base_currency ~ '^[A-Z]{3}$'),
  time_zone text not null,
  locale text not null,
  email_sender text,
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table users (
  tenant_id uuid not null references tenants (id),
  id uuid not null,
  email text not null,
  display_name text not null,
  password_hash text not null,
  roles text[] not null,
  status text not null default 'active' check (status in ('active', 'disabled')),
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  last_login_at timestamptz,
  primary key (tenant_id, id)
);
-- An e-mail address signs in to exactly one tenant.
create unique index users_email_unique on users (lower(email));

create table sessions (
  tenant_id uuid not null,
  id uuid not null,
  user_id uuid not null,
  token_hash text not null unique,
  created_at timestamptz not null default now(),
  last_seen_at timestamptz not null,
  absolute_expires_at timestamptz not null,
  ended_at timestamptz,
  primary key (tenant_id, id),
  foreign key (tenant_id, user_id) references users (tenant_id, id)
);
create index sessions_user on sessions (tenant_id, user_id) where ended_at is null;

-- Sign-in attempts come before any tenant is known, so they are keyed by address.
create table login_attempts (
  id bigint generated always as identity primary key,
  email text not null,
  client_address text not null,
  succeeded boolean not null,
  attempted_at timestamptz not null default now()
);
create index login_attempts_recent on login_attempts (lower(email), attempted_at);

create table api_keys (
  tenant_id uuid not null references tenants (id),
  id uuid not null,
  name text not null,
  prefix text not null unique,
  secret_hash text not null,
  roles text[] not null,
  created_by uuid,
  created_at timestamptz not null default now(),
  last_used_at timestamptz,
  revoked_at timestamptz,
  primary key (tenant_id, id)
);

create table audit_events (
  tenant_id uuid not null references tenants (id),
  id uuid not null,
  occurred_at timestamptz not null default now(),
  actor_type text not null check (actor_type in ('user', 'api_key', 'system')),
  actor_id uuid,
  actor_name text not null,
  action text not null,
  entity_type text not null,
  entity_id text not null,
  before jsonb,
  after jsonb,
  request_id text,
  primary key (tenant_id, id)
);
create index audit_events_entity on audit_events (tenant_id, entity_type, entity_id);
create index audit_events_time on audit_events (tenant_id, occurred_at);
create trigger audit_events_append_only before update or delete on audit_events
  for each row execute function o2c_refuse_change();
create trigger audit_events_no_truncate before truncate on audit_events
  for each statement execute function o2c_refuse_change();

create table idempotency_keys (
  tenant_id uuid not null references tenants (id),
  key text not null,
  method text not null,
  path text not null,
  request_hash text not null,
  response_status integer,
  response_body jsonb,
  created_at timestamptz not null default now(),
  primary key (tenant_id, key)
);
create index idempotency_keys_age on idempotency_keys (created_at);

create table number_series (
  tenant_id uuid not null references tenants (id),
  series text not null,
  pattern text not null,
  primary key (tenant_id, series)
);

create table number_series_counters (
  tenant_id uuid not null,
  series text not null,
  year integer not null,
  last_value bigint not null check (last_value >= 0),
  primary key (tenant_id, series, year),
  foreign key (tenant_id, series) references number_series (tenant_id, series)
);

create table outbox_events (
  tenant_id uuid not null references tenants (id),
  id uuid not null,
  event_type text not null,
  aggregate_type text not null,
  aggregate_id text not null,
  payload jsonb not null,
  occurred_at timestamptz not null default now(),
  published_at timestamptz,
  attempts integer not null default 0,
  last_error text,
  primary key (tenant_id, id)
);
create index outbox_events_pending on outbox_events (occurred_at) where published_at is null;
