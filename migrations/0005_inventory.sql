-- Inventory: warehouses, stock levels per item and warehouse, reservations and an
-- append-only movement history. The database keeps 0 <= reserved <= on_hand.

create table warehouses (
  tenant_id uuid not null references tenants (id),
  id uuid not null,
  code text not null check (code ~ '^[A-Z0-9][A-Z0-9_-]{0,19}$'),
  name text not null check (length(name) between 1 and 200),
  country_code char(2) not null check (country_code ~ '^[A-Z]{2}$'),
  is_default boolean not null default false,
  active boolean not null default true,
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, code)
);
create unique index warehouses_one_default on warehouses (tenant_id) where is_default;

create table stock_levels (
  tenant_id uuid not null,
  item_id uuid not null,
  warehouse_id uuid not null,
  on_hand numeric(20, 6) not null default 0,
  reserved numeric(20, 6) not null default 0,
  updated_at timestamptz not null default now(),
  primary key (tenant_id, item_id, warehouse_id),
  foreign key (tenant_id, item_id) references items (tenant_id, id),
  foreign key (tenant_id, warehouse_id) references warehouses (tenant_id, id),
  constraint stock_levels_reserved_within_on_hand check (reserved >= 0 and on_hand >= 0 and reserved <= on_hand)
);

-- What is reserved for whom: one row per (reference, item, warehouse), e.g. an order line.
create table stock_reservations (
  tenant_id uuid not null,
  id uuid not null,
  item_id uuid not null,
  warehouse_id uuid not null,
  reference_type text not null,
  reference_id uuid not null,
  quantity numeric(20, 6) not null check (quantity > 0),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, reference_type, reference_id, item_id, warehouse_id),
  foreign key (tenant_id, item_id, warehouse_id) references stock_levels (tenant_id, item_id, warehouse_id)
);

create table stock_movements (
  tenant_id uuid not null,
  id uuid not null,
  item_id uuid not null,
  warehouse_id uuid not null,
  kind text not null check (kind in ('receipt', 'adjustment', 'reservation', 'release', 'shipment')),
  on_hand_delta numeric(20, 6) not null,
  reserved_delta numeric(20, 6) not null,
  on_hand_after numeric(20, 6) not null,
  reserved_after numeric(20, 6) not null,
  reason text,
  reference_type text,
  reference_id uuid,
  actor_name text not null,
  occurred_at timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, item_id, warehouse_id) references stock_levels (tenant_id, item_id, warehouse_id)
);
create index stock_movements_item on stock_movements (tenant_id, item_id, warehouse_id, id);
create trigger stock_movements_append_only before update or delete on stock_movements
  for each row execute function o2c_refuse_change();
