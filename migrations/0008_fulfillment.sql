-- Fulfillment: shipments of reserved order lines, their packages and proof of delivery.

create table shipments (
  tenant_id uuid not null references tenants (id),
  id uuid not null,
  number text not null,
  status text not null check (status in ('created', 'picked', 'packed', 'shipped', 'delivered', 'cancelled')),
  order_id uuid not null,
  customer_id uuid not null,
  warehouse_id uuid not null,
  ship_to_name text not null,
  ship_to_line1 text not null,
  ship_to_line2 text,
  ship_to_postal_code text not null,
  ship_to_city text not null,
  ship_to_country_code char(2) not null,
  carrier text,
  service_level text,
  tracking_number text,
  ship_date date,
  expected_delivery_date date,
  delivered_at timestamptz,
  received_by text,
  delivery_exception text check (delivery_exception in ('damaged', 'refused', 'lost')),
  delivery_note text,
  ready_to_invoice boolean not null default false,
  created_by text not null,
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, number),
  foreign key (tenant_id, order_id) references sales_orders (tenant_id, id),
  foreign key (tenant_id, customer_id) references customers (tenant_id, id),
  foreign key (tenant_id, warehouse_id) references warehouses (tenant_id, id),
  check (expected_delivery_date is null or ship_date is null or expected_delivery_date >= ship_date)
);
create index shipments_status on shipments (tenant_id, status, id);
create index shipments_order on shipments (tenant_id, order_id);

create table shipment_lines (
  tenant_id uuid not null,
  id uuid not null,
  shipment_id uuid not null,
  order_line_id uuid not null,
  line_no integer not null check (line_no > 0),
  item_id uuid not null,
  sku text not null,
  description text not null,
  unit text not null,
  quantity numeric(20, 6) not null check (quantity > 0),
  primary key (tenant_id, id),
  unique (tenant_id, shipment_id, order_line_id),
  foreign key (tenant_id, shipment_id) references shipments (tenant_id, id),
  foreign key (tenant_id, order_line_id) references sales_order_lines (tenant_id, id),
  foreign key (tenant_id, item_id) references items (tenant_id, id)
);

create table shipment_packages (
  tenant_id uuid not null,
  id uuid not null,
  shipment_id uuid not null,
  package_no integer not null check (package_no > 0),
  package_type text not null default 'box',
  weight_kg numeric(12, 3) check (weight_kg > 0),
  primary key (tenant_id, id),
  unique (tenant_id, shipment_id, package_no),
  foreign key (tenant_id, shipment_id) references shipments (tenant_id, id)
);

create table shipment_documents (
  tenant_id uuid not null,
  id uuid not null,
  shipment_id uuid not null,
  kind text not null check (kind in ('proof_of_delivery')),
  file_name text not null,
  media_type text not null check (media_type in ('application/pdf', 'image/png', 'image/jpeg')),
  size_bytes integer not null check (size_bytes > 0),
  content bytea not null,
  uploaded_by text not null,
  uploaded_at timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, shipment_id) references shipments (tenant_id, id)
);
