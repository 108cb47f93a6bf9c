-- Customers: payment terms, customers with their addresses, contacts and bank accounts.

create table payment_terms (
  tenant_id uuid not null references tenants (id),
  id uuid not null,
  code text not null check (code ~ '^[A-Z0-9][A-Z0-9/._-]{0,19}$'),
  name text not null check (length(name) between 1 and 100),
  net_days integer not null check (net_days between 0 and 365),
  basis text not null check (basis in ('invoice_date', 'end_of_month')),
  discount_percent numeric(5, 2) check (discount_percent > 0 and discount_percent < 100),
  discount_days integer check (discount_days >= 0),
  active boolean not null default true,
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, code),
  -- A discount is a percentage within a number of days: both or neither, and it ends before the net period.
  check ((discount_percent is null) = (discount_days is null)),
  check (discount_days is null or discount_days < net_days)
);

create table customers (
  tenant_id uuid not null references tenants (id),
  id uuid not null,
  number text not null check (length(number) between 1 and 40),
  name text not null check (length(name) between 1 and 200),
  legal_name text not null check (length(legal_name) between 1 and 200),
  vat_id text check (vat_id ~ '^[A-Z0-9]{4,30}$'),
  country_code char(2) not null check (country_code ~ '^[A-Z]{2}$'),
  currency char(3) not null check (currency ~ '^[A-Z]{3}$'),
  language text not null check (language ~ '^[a-z]{2,3}$'),
  payment_terms_id uuid not null,
  price_list_id uuid,
  credit_limit_minor bigint check (credit_limit_minor >= 0),
  invoicing_moment text not null default 'shipment' check (invoicing_moment in ('shipment', 'delivery')),
  status text not null default 'active' check (status in ('active', 'blocked', 'archived')),
  blocked_reason text check (length(blocked_reason) between 1 and 500),
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, number),
  foreign key (tenant_id, payment_terms_id) references payment_terms (tenant_id, id),
  foreign key (tenant_id, price_list_id) references price_lists (tenant_id, id),
  -- A blocked customer always says why; any other status carries no reason.
  check ((status = 'blocked') = (blocked_reason is not null))
);
create index customers_status on customers (tenant_id, status, id);
create index customers_name on customers (tenant_id, lower(name));
create index customers_vat_id on customers (tenant_id, vat_id) where vat_id is not null;

create table customer_addresses (
  tenant_id uuid not null,
  id uuid not null,
  customer_id uuid not null,
  position integer not null check (position >= 0),
  kind text not null check (kind in ('billing', 'shipping')),
  name text not null check (length(name) between 1 and 200),
  line1 text not null check (length(line1) between 1 and 200),
  line2 text check (length(line2) between 1 and 200),
  postal_code text not null check (length(postal_code) between 1 and 20),
  city text not null check (length(city) between 1 and 100),
  country_code char(2) not null check (country_code ~ '^[A-Z]{2}$'),
  is_default boolean not null,
  primary key (tenant_id, id),
  foreign key (tenant_id, customer_id) references customers (tenant_id, id),
  -- The one billing address is its kind's default.
  check (kind = 'shipping' or is_default)
);
create index customer_addresses_customer on customer_addresses (tenant_id, customer_id);
create unique index customer_addresses_one_default on customer_addresses (tenant_id, customer_id, kind) where is_default;

create table customer_contacts (
  tenant_id uuid not null,
  id uuid not null,
  customer_id uuid not null,
  position integer not null check (position >= 0),
  name text not null check (length(name) between 1 and 200),
  email text check (length(email) between 3 and 254),
  phone text check (length(phone) between 1 and 40),
  roles text[] not null check (roles <@ array['orders', 'invoices', 'reminders']::text[]),
  primary key (tenant_id, id),
  foreign key (tenant_id, customer_id) references customers (tenant_id, id)
);
create index customer_contacts_customer on customer_contacts (tenant_id, customer_id);

create table customer_bank_accounts (
  tenant_id uuid not null,
  id uuid not null,
  customer_id uuid not null,
  position integer not null check (position >= 0),
  iban text not null check (iban ~ '^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$'),
  bic text check (bic ~ '^[A-Z0-9]{8}([A-Z0-9]{3})?$'),
  account_holder text not null check (length(account_holder) between 1 and 200),
  primary key (tenant_id, id),
  unique (tenant_id, customer_id, iban),
  foreign key (tenant_id, customer_id) references customers (tenant_id, id)
);
-- Cash application finds the payer of a bank line by the IBAN it came from.
create index customer_bank_accounts_iban on customer_bank_accounts (tenant_id, iban);
