-- Credit management: the tenant's credit policy, each customer's credit state
-- (temporary limit, block), the history of limit changes, limit requests from
-- sales, the review of orders on credit hold, and scores with their factors.
-- Amounts are bigint minor units: the default limit in the base currency, every
-- customer amount in the customer's currency.

create table credit_settings (
  tenant_id uuid primary key references tenants (id),
  -- The limit of a customer without its own (base currency); 0 holds every credit order of such a customer.
  default_limit_minor bigint not null default 0 check (default_limit_minor >= 0),
  -- An order is held when the customer has an item more than this many days past due.
  grace_days integer not null default 30 check (grace_days between 0 and 3650),
  -- A customer is credit-blocked automatically with an item more than this many days past due.
  block_after_days integer not null default 60 check (block_after_days between 1 and 3650),
  -- The risk class of a customer without payment history.
  starting_class char(1) not null default 'C' check (starting_class in ('A', 'B', 'C', 'D', 'E')),
  version integer not null default 1,
  updated_at timestamptz not null default now()
);

-- One row per customer that has ever had a credit event: the temporary limit in force and the credit block.
create table customer_credit (
  tenant_id uuid not null,
  customer_id uuid not null,
  temporary_limit_minor bigint check (temporary_limit_minor >= 0),
  temporary_limit_until date,
  block text not null default 'none' check (block in ('none', 'automatic', 'manual')),
  block_reason text,
  blocked_at timestamptz,
  version integer not null default 1,
  updated_at timestamptz not null default now(),
  primary key (tenant_id, customer_id),
  foreign key (tenant_id, customer_id) references customers (tenant_id, id),
  check ((temporary_limit_minor is null) = (temporary_limit_until is null)),
  check ((block = 'none') = (block_reason is null))
);

-- Every limit a customer was given, with who, why and until when.
create table credit_limit_changes (
  tenant_id uuid not null,
  id uuid not null,
  customer_id uuid not null,
  currency char(3) not null,
  previous_limit_minor bigint,
  limit_minor bigint not null check (limit_minor >= 0),
  expires_on date,
  reason text not null check (length(reason) > 0),
  request_id uuid,
  changed_by text not null,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, customer_id) references customers (tenant_id, id)
);
create index credit_limit_changes_customer on credit_limit_changes (tenant_id, customer_id, created_at);

-- Sales asks, a credit manager decides.
create table credit_limit_requests (
  tenant_id uuid not null,
  id uuid not null,
  customer_id uuid not null,
  currency char(3) not null,
  limit_minor bigint not null check (limit_minor >= 0),
  expires_on date,
  reason text not null check (length(reason) > 0),
  status text not null default 'pending' check (status in ('pending', 'approved', 'rejected')),
  requested_by text not null,
  requested_by_key text not null,
  requested_at timestamptz not null default now(),
  decided_by text,
  decided_at timestamptz,
  decision_reason text,
  primary key (tenant_id, id),
  foreign key (tenant_id, customer_id) references customers (tenant_id, id),
  check ((status = 'pending') = (decided_at is null))
);
create index credit_limit_requests_status on credit_limit_requests (tenant_id, status, requested_at);

-- An order on credit hold waits here for a credit manager; one open review per order.
-- Released or rejected by a credit manager; withdrawn when the order is cancelled while it waits.
create table credit_reviews (
  tenant_id uuid not null,
  id uuid not null,
  order_id uuid not null,
  customer_id uuid not null,
  status text not null default 'open' check (status in ('open', 'released', 'rejected', 'withdrawn')),
  reasons jsonb not null,
  inputs jsonb not null,
  opened_at timestamptz not null default now(),
  decided_by text,
  decided_at timestamptz,
  decision_reason text,
  one_off_increase_minor bigint check (one_off_increase_minor > 0),
  primary key (tenant_id, id),
  foreign key (tenant_id, order_id) references sales_orders (tenant_id, id),
  foreign key (tenant_id, customer_id) references customers (tenant_id, id),
  check ((status = 'open') = (decided_at is null)),
  check (status = 'open' or length(decision_reason) > 0)
);
create unique index credit_reviews_one_open on credit_reviews (tenant_id, order_id) where status = 'open';
create index credit_reviews_queue on credit_reviews (tenant_id, status, opened_at);
create index credit_reviews_customer on credit_reviews (tenant_id, customer_id, opened_at);

-- Scores, one per customer and day (recomputing on a day replaces that day's), kept for the trend.
create table credit_scores (
  tenant_id uuid not null,
  customer_id uuid not null,
  scored_on date not null,
  score integer not null check (score between 0 and 100),
  risk_class char(1) not null check (risk_class in ('A', 'B', 'C', 'D', 'E')),
  recommended_limit_minor bigint not null check (recommended_limit_minor >= 0),
  currency char(3) not null,
  has_history boolean not null,
  factors jsonb not null,
  created_at timestamptz not null default now(),
  primary key (tenant_id, customer_id, scored_on),
  foreign key (tenant_id, customer_id) references customers (tenant_id, id)
);

insert into credit_settings (tenant_id) select id from tenants on conflict do nothing;

-- Exposure reads what each customer has ordered and not yet invoiced.
create index sales_orders_customer_open on sales_orders (tenant_id, customer_id) where status in ('approved', 'partially_shipped', 'shipped');
create index invoices_customer_open on invoices (tenant_id, customer_id) where status = 'issued' and open_minor > 0;

-- Who entered an order, as a person (a user, or the user behind an API key): that person may not release it from credit hold.
alter table sales_orders add column created_by_key text;
