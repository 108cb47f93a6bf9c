-- Invoicing: invoices and credit notes with their lines, sending requests and
-- attempts, the tenant's invoicing settings. Amounts are bigint minor units of the
-- document currency; quantities and prices exact numerics.

create table invoicing_settings (
  tenant_id uuid primary key references tenants (id),
  -- Automatic invoices (from ready shipments and approved service lines) are issued at once, or wait as drafts.
  auto_issue boolean not null default false,
  version integer not null default 1,
  updated_at timestamptz not null default now()
);

-- How a customer's automatic invoices are collected: one per shipment, or one per day.
alter table customers add column invoice_grouping text not null default 'per_shipment' check (invoice_grouping in ('per_shipment', 'daily'));
-- A service line is invoiced at most once: never more than ordered and not cancelled.
alter table sales_order_lines add constraint sales_order_lines_service_invoiced check (item_kind = 'goods' or quantity_invoiced + quantity_cancelled <= quantity);
-- An order charge (freight, handling) goes on exactly one invoice of its order.
alter table sales_order_charges add column invoice_id uuid;
-- What is ready to invoice starts from the few order lines with something left to bill,
-- so finding it stays quick however many lines were billed before.
create index sales_order_lines_goods_to_invoice on sales_order_lines (tenant_id, order_id) where item_kind = 'goods' and quantity_shipped > quantity_invoiced;
create index sales_order_lines_services_to_invoice on sales_order_lines (tenant_id, order_id) where item_kind = 'service' and quantity > quantity_cancelled + quantity_invoiced;
create index shipment_lines_order_line on shipment_lines (tenant_id, order_line_id);

create table invoices (
  tenant_id uuid not null references tenants (id),
  id uuid not null,
  kind text not null check (kind in ('invoice', 'credit_note')),
  number text,
  status text not null check (status in ('draft', 'issued')),
  origin text not null check (origin in ('automatic', 'manual', 'correction', 'credit')),
  sending_status text not null default 'not_sent' check (sending_status in ('not_sent', 'queued', 'sent', 'failed')),
  payment_status text not null default 'open' check (payment_status in ('open', 'partially_paid', 'paid')),
  customer_id uuid not null,
  customer_number text not null,
  customer_name text not null,
  customer_legal_name text not null,
  customer_vat_id text,
  customer_email text,
  billing_line1 text not null,
  billing_line2 text,
  billing_postal_code text not null,
  billing_city text not null,
  billing_country_code char(2) not null,
  deliver_to_name text,
  deliver_to_line1 text,
  deliver_to_line2 text,
  deliver_to_postal_code text,
  deliver_to_city text,
  deliver_to_country_code char(2),
  currency char(3) not null,
  base_currency char(3) not null,
  exchange_rate numeric(20, 10),
  tax_base_minor bigint,
  issue_date date,
  delivery_date date,
  due_date date,
  payment_terms_code text not null,
  payment_terms_name text not null,
  payment_terms_net_days integer not null,
  payment_terms_basis text not null,
  payment_terms_discount_percent numeric(5, 2),
  payment_terms_discount_days integer,
  discount_deadline date,
  discount_minor bigint check (discount_minor >= 0),
  payment_reference text,
  buyer_reference text,
  order_discount_percent numeric(5, 2),
  lines_net_minor bigint not null default 0,
  allowances_minor bigint not null default 0 check (allowances_minor >= 0),
  charges_minor bigint not null default 0 check (charges_minor >= 0),
  taxable_minor bigint not null default 0,
  tax_minor bigint not null default 0,
  gross_minor bigint not null default 0,
  tax_breakdown jsonb not null default '[]',
  -- Invoice: what the customer still owes on it. Credit note: the customer credit item still open.
  open_minor bigint not null default 0 check (open_minor >= 0),
  -- Invoice: the part of credit notes that reduced it. Credit note: the part that reduced its invoice.
  credited_minor bigint not null default 0 check (credited_minor >= 0),
  credited_invoice_id uuid,
  corrects_invoice_id uuid,
  credit_reason text,
  notes text,
  journal_entry_id uuid,
  created_by text not null,
  issued_by text,
  issued_at timestamptz,
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, number),
  foreign key (tenant_id, customer_id) references customers (tenant_id, id),
  foreign key (tenant_id, credited_invoice_id) references invoices (tenant_id, id),
  foreign key (tenant_id, corrects_invoice_id) references invoices (tenant_id, id),
  foreign key (tenant_id, journal_entry_id) references journal_entries (tenant_id, id),
  -- The totals identity, kept by the database as well as by the pricing rules.
  constraint invoices_totals check (gross_minor = lines_net_minor - allowances_minor + charges_minor + tax_minor),
  constraint invoices_taxable check (taxable_minor = lines_net_minor - allowances_minor + charges_minor),
  -- An issued document has its number, date, terms and posting; a draft has none of them.
  constraint invoices_issued check (
    (status = 'draft' and number is null and journal_entry_id is null and issued_at is null)
    or (status = 'issued' and number is not null and issue_date is not null and journal_entry_id is not null and issued_at is not null and payment_reference is not null)
  ),
  constraint invoices_credit_note check ((kind = 'credit_note') = (credited_invoice_id is not null)),
  -- Invoice: open ≤ gross − credited (payments, discounts and write-offs take the rest).
  -- Credit note: the open credit item ≤ gross − what went against its invoice.
  constraint invoices_open check (status = 'draft' or open_minor <= gross_minor - credited_minor),
  constraint invoices_due check (kind = 'credit_note' or status = 'draft' or due_date is not null)
);
create index invoices_status on invoices (tenant_id, kind, status, id);
create index invoices_customer on invoices (tenant_id, customer_id, id);
create index invoices_due_date on invoices (tenant_id, due_date) where status = 'issued' and kind = 'invoice';
-- The latest issue date of a series (numbers follow dates) is read on every issue.
create index invoices_issue_date on invoices (tenant_id, kind, issue_date) where status = 'issued';
create index invoices_credited on invoices (tenant_id, credited_invoice_id) where credited_invoice_id is not null;

create table invoice_lines (
  tenant_id uuid not null,
  id uuid not null,
  invoice_id uuid not null,
  line_no integer not null check (line_no > 0),
  kind text not null check (kind in ('item', 'charge')),
  order_id uuid,
  order_number text,
  customer_po_number text,
  order_line_id uuid,
  order_line_no integer,
  order_charge_id uuid,
  shipment_id uuid,
  shipment_number text,
  shipment_line_id uuid,
  ship_date date,
  credited_line_id uuid,
  is_price_reduction boolean not null default false,
  -- A credit note line for goods that came back: its quantity is not billed again.
  goods_returned boolean not null default false,
  item_id uuid,
  item_kind text check (item_kind in ('goods', 'service')),
  sku text,
  description text not null,
  unit text not null,
  charge_kind text check (charge_kind in ('freight', 'handling', 'other')),
  quantity numeric(20, 6) not null check (quantity > 0),
  unit_price numeric(24, 7) not null check (unit_price >= 0),
  discount_percent numeric(5, 2) check (discount_percent between 0 and 100),
  -- The order discount percentage this line's allowance share came from (credit notes repeat it).
  allowance_percent numeric(5, 2) check (allowance_percent between 0 and 100),
  gross_minor bigint not null,
  discount_minor bigint not null check (discount_minor >= 0),
  net_minor bigint not null,
  allowance_share_minor bigint not null default 0,
  taxable_minor bigint not null,
  tax_category text not null check (tax_category in ('S', 'Z', 'E', 'AE', 'K', 'G', 'O')),
  tax_rate_percent numeric(7, 4) not null,
  tax_exemption_reason_code text,
  tax_exemption_reason text,
  tax_minor bigint not null,
  revenue_account text not null,
  primary key (tenant_id, id),
  unique (tenant_id, invoice_id, line_no),
  foreign key (tenant_id, invoice_id) references invoices (tenant_id, id),
  foreign key (tenant_id, order_line_id) references sales_order_lines (tenant_id, id),
  foreign key (tenant_id, order_charge_id) references sales_order_charges (tenant_id, id),
  foreign key (tenant_id, shipment_line_id) references shipment_lines (tenant_id, id),
  foreign key (tenant_id, credited_line_id) references invoice_lines (tenant_id, id),
  check (net_minor = gross_minor - discount_minor),
  check (taxable_minor = net_minor - allowance_share_minor),
  check ((kind = 'charge') = (charge_kind is not null))
);
create index invoice_lines_invoice on invoice_lines (tenant_id, invoice_id, line_no);
create index invoice_lines_shipment_line on invoice_lines (tenant_id, shipment_line_id) where shipment_line_id is not null;
create index invoice_lines_order_line on invoice_lines (tenant_id, order_line_id) where order_line_id is not null;
create index invoice_lines_credited on invoice_lines (tenant_id, credited_line_id) where credited_line_id is not null;

-- A request to send an issued document by e-mail, worked by the sending job with retries.
create table invoice_sendings (
  tenant_id uuid not null,
  id uuid not null,
  invoice_id uuid not null,
  recipient text not null,
  status text not null check (status in ('queued', 'sent', 'failed')),
  attempts integer not null default 0 check (attempts >= 0),
  max_attempts integer not null check (max_attempts > 0),
  next_attempt_at timestamptz not null,
  requested_by text not null,
  requested_at timestamptz not null default now(),
  finished_at timestamptz,
  primary key (tenant_id, id),
  foreign key (tenant_id, invoice_id) references invoices (tenant_id, id)
);
create index invoice_sendings_due on invoice_sendings (next_attempt_at) where status = 'queued';
create index invoice_sendings_invoice on invoice_sendings (tenant_id, invoice_id);

-- Every attempt and its outcome; never changed.
create table invoice_send_attempts (
  tenant_id uuid not null,
  id uuid not null,
  sending_id uuid not null,
  invoice_id uuid not null,
  attempt_no integer not null check (attempt_no > 0),
  recipient text not null,
  outcome text not null check (outcome in ('sent', 'failed')),
  detail text not null,
  attempted_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, sending_id, attempt_no),
  foreign key (tenant_id, sending_id) references invoice_sendings (tenant_id, id)
);
create index invoice_send_attempts_invoice on invoice_send_attempts (tenant_id, invoice_id, attempted_at);
create trigger invoice_send_attempts_append_only before update or delete on invoice_send_attempts for each row execute function o2c_refuse_change();

-- An issued document is fixed forever: only its sending and payment state, its open
-- balance and what was credited against it may change, and it is never deleted.
create or replace function o2c_invoice_fixed() returns trigger
language plpgsql as $$
declare
  mutable text[] := array['sending_status', 'payment_status', 'open_minor', 'credited_minor', 'version', 'updated_at'];
begin
  if tg_op = 'DELETE' then
    if old.status = 'issued' then
      raise exception 'O2C_INVOICE_ISSUED: issued % % cannot be deleted', old.kind, old.number using errcode = 'P0001';
    end if;
    return old;
  end if;
  if old.status = 'issued' and (to_jsonb(new) - mutable) is distinct from (to_jsonb(old) - mutable) then
    raise exception 'O2C_INVOICE_ISSUED: issued % % cannot be changed', old.kind, old.number using errcode = 'P0001';
  end if;
  return new;
end
$$;
create trigger invoices_fixed before update or delete on invoices for each row execute function o2c_invoice_fixed();

create or replace function o2c_invoice_line_fixed() returns trigger
language plpgsql as $$
declare
  parent_status text;
begin
  if tg_op = 'INSERT' then
    select status into parent_status from invoices where tenant_id = new.tenant_id and id = new.invoice_id;
  elsif tg_op = 'UPDATE' then
    -- Neither the document a line leaves nor the one it would move into may be issued.
    select max(status) into parent_status from invoices
      where (tenant_id = old.tenant_id and id = old.invoice_id) or (tenant_id = new.tenant_id and id = new.invoice_id);
  else
    select status into parent_status from invoices where tenant_id = old.tenant_id and id = old.invoice_id;
  end if;
  if parent_status = 'issued' then
    raise exception 'O2C_INVOICE_ISSUED: the lines of an issued document cannot be added, changed or deleted' using errcode = 'P0001';
  end if;
  if tg_op = 'DELETE' then
    return old;
  end if;
  return new;
end
$$;
create trigger invoice_lines_fixed before insert or update or delete on invoice_lines for each row execute function o2c_invoice_line_fixed();
