-- Catalog: tax categories and rates, items, price lists and their quantity breaks.
-- Tax categories are referenced by their code (a stable key people read, such as
-- 'standard'), so the foreign keys to them use (tenant_id, code).

create table tax_categories (
  tenant_id uuid not null references tenants (id),
  id uuid not null,
  code text not null check (code ~ '^[a-z][a-z0-9_-]{0,31}$'),
  name text not null check (length(name) between 1 and 200),
  -- EN 16931 category (BT-151) of a sale within the seller's own country.
  domestic_category text not null check (domestic_category in ('S', 'Z', 'E')),
  exemption_reason text check (exemption_reason is null or length(exemption_reason) between 1 and 500),
  exemption_reason_code text check (exemption_reason_code is null or exemption_reason_code ~ '^VATEX-[A-Z0-9-]{1,40}$'),
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, code),
  -- BR-E-10: an exempt supply states why it is exempt; other categories carry no reason.
  check ((domestic_category = 'E') = (exemption_reason is not null)),
  check (domestic_category = 'E' or exemption_reason_code is null)
);

create table tax_rates (
  tenant_id uuid not null,
  id uuid not null,
  tax_category_code text not null,
  country_code char(2) not null check (country_code ~ '^[A-Z]{2}$'),
  rate_percent numeric(7, 4) not null check (rate_percent >= 0 and rate_percent < 100),
  valid_from date not null,
  valid_to date,
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, tax_category_code) references tax_categories (tenant_id, code),
  check (valid_to is null or valid_to >= valid_from)
);
create index tax_rates_lookup on tax_rates (tenant_id, tax_category_code, country_code, valid_from);

create table items (
  tenant_id uuid not null references tenants (id),
  id uuid not null,
  sku text not null check (sku ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
  name text not null check (length(name) between 1 and 200),
  description text check (description is null or length(description) <= 4000),
  kind text not null check (kind in ('goods', 'service')),
  unit text not null check (unit ~ '^[A-Z0-9]{2,3}$'),
  tax_category_code text not null,
  revenue_account text not null default '8400' check (revenue_account ~ '^[A-Za-z0-9][A-Za-z0-9.-]{0,19}$'),
  active boolean not null default true,
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, tax_category_code) references tax_categories (tenant_id, code)
);
-- SKUs are unique per tenant regardless of case: "ab-1" and "AB-1" are one item.
create unique index items_sku_unique on items (tenant_id, upper(sku));

create table price_lists (
  tenant_id uuid not null references tenants (id),
  id uuid not null,
  name text not null check (length(name) between 1 and 200),
  currency char(3) not null check (currency ~ '^[A-Z]{3}$'),
  valid_from date not null,
  valid_to date,
  is_default boolean not null default false,
  active boolean not null default true,
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id),
  check (valid_to is null or valid_to >= valid_from)
);
create unique index price_lists_name_unique on price_lists (tenant_id, lower(name));
create index price_lists_default on price_lists (tenant_id, currency) where is_default;

create table price_list_entries (
  tenant_id uuid not null,
  id uuid not null,
  price_list_id uuid not null,
  item_id uuid not null,
  -- The quantity from which this unit price applies (a quantity break); 0 or 1 is the base price.
  min_quantity numeric(20, 6) not null check (min_quantity >= 0),
  unit_price numeric(24, 7) not null check (unit_price >= 0),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, price_list_id, item_id, min_quantity),
  foreign key (tenant_id, price_list_id) references price_lists (tenant_id, id),
  foreign key (tenant_id, item_id) references items (tenant_id, id)
);
create index price_list_entries_item on price_list_entries (tenant_id, item_id);
