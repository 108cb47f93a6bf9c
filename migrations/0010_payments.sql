-- Payments and receivables: received payments, their applications to invoices
-- (with discounts and accepted differences), credit items used against invoices,
-- refunds, write-offs, and the history of every invoice's open balance. Amounts are
-- bigint minor units of the currency beside them.

create table payment_settings (
  tenant_id uuid primary key references tenants (id),
  -- A difference up to this much (base currency) can be accepted when applying: a bank fee, a rounding.
  tolerance_minor bigint not null default 500 check (tolerance_minor >= 0),
  -- Write-offs above this much (base currency) need an approver with the controller role.
  write_off_threshold_minor bigint not null default 100000 check (write_off_threshold_minor >= 0),
  version integer not null default 1,
  updated_at timestamptz not null default now()
);

create table payments (
  tenant_id uuid not null references tenants (id),
  id uuid not null,
  number text not null,
  customer_id uuid not null,
  currency char(3) not null,
  amount_minor bigint not null check (amount_minor > 0),
  method text not null check (method in ('bank_transfer', 'card', 'cheque', 'direct_debit', 'cash')),
  value_date date not null,
  payer_reference text,
  bank_account text,
  notes text,
  status text not null default 'received' check (status in ('received', 'reversed')),
  -- What applications took (payment currency), what was refunded, and what is left: the customer's unapplied cash.
  applied_minor bigint not null default 0 check (applied_minor >= 0),
  refunded_minor bigint not null default 0 check (refunded_minor >= 0),
  unapplied_minor bigint not null check (unapplied_minor >= 0),
  journal_entry_id uuid not null,
  reversal_reason text,
  reversal_date date,
  reversal_entry_id uuid,
  reversed_by text,
  reversed_at timestamptz,
  created_by text not null,
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, number),
  foreign key (tenant_id, customer_id) references customers (tenant_id, id),
  foreign key (tenant_id, journal_entry_id) references journal_entries (tenant_id, id),
  foreign key (tenant_id, reversal_entry_id) references journal_entries (tenant_id, id),
  -- A payment never gives more than it is: applied + refunded + unapplied = amount; a reversed one gives nothing.
  constraint payments_balance check (
    (status = 'received' and applied_minor + refunded_minor + unapplied_minor = amount_minor and reversal_date is null)
    or (status = 'reversed' and applied_minor = 0 and refunded_minor = 0 and unapplied_minor = 0 and reversal_date is not null and reversal_entry_id is not null)
  )
);
create index payments_customer on payments (tenant_id, customer_id, value_date);
create index payments_unapplied on payments (tenant_id, customer_id) where unapplied_minor > 0;

-- What settled an invoice: part of a payment, or part of a customer credit item (a credit note's open credit).
create table payment_applications (
  tenant_id uuid not null,
  id uuid not null,
  source_type text not null check (source_type in ('payment', 'credit_note')),
  payment_id uuid,
  credit_note_id uuid,
  invoice_id uuid not null,
  customer_id uuid not null,
  invoice_currency char(3) not null,
  source_currency char(3) not null,
  -- Invoice currency: the cash (or credit) part, the early-payment discount granted, the difference accepted.
  amount_minor bigint not null check (amount_minor >= 0),
  discount_minor bigint not null default 0 check (discount_minor >= 0),
  difference_minor bigint not null default 0 check (difference_minor >= 0),
  -- Source currency: what it took from the payment or credit item.
  source_amount_minor bigint not null check (source_amount_minor >= 0),
  -- Source → invoice currency at the payment's value date, when they differ.
  rate numeric(24, 12),
  -- Base currency: the realised exchange difference (positive a gain, negative a loss).
  fx_base_minor bigint not null default 0,
  business_date date not null,
  status text not null default 'active' check (status in ('active', 'undone')),
  journal_entry_id uuid,
  bridge_entry_id uuid,
  undo_reason text,
  undo_date date,
  undone_by text,
  undone_at timestamptz,
  created_by text not null,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, payment_id) references payments (tenant_id, id),
  foreign key (tenant_id, credit_note_id) references invoices (tenant_id, id),
  foreign key (tenant_id, invoice_id) references invoices (tenant_id, id),
  foreign key (tenant_id, customer_id) references customers (tenant_id, id),
  foreign key (tenant_id, journal_entry_id) references journal_entries (tenant_id, id),
  foreign key (tenant_id, bridge_entry_id) references journal_entries (tenant_id, id),
  check ((source_type = 'payment') = (payment_id is not null)),
  check ((source_type = 'credit_note') = (credit_note_id is not null)),
  check (amount_minor + discount_minor + difference_minor > 0),
  check ((status = 'undone') = (undo_date is not null))
);
create index payment_applications_payment on payment_applications (tenant_id, payment_id) where payment_id is not null;
create index payment_applications_credit_note on payment_applications (tenant_id, credit_note_id) where credit_note_id is not null;
create index payment_applications_invoice on payment_applications (tenant_id, invoice_id);
create index payment_applications_customer on payment_applications (tenant_id, customer_id);

create table refunds (
  tenant_id uuid not null,
  id uuid not null,
  number text not null,
  customer_id uuid not null,
  source_type text not null check (source_type in ('payment', 'credit_note')),
  payment_id uuid,
  credit_note_id uuid,
  currency char(3) not null,
  amount_minor bigint not null check (amount_minor > 0),
  business_date date not null,
  method text not null check (method in ('bank_transfer', 'card', 'cheque', 'cash')),
  reference text,
  reason text not null,
  journal_entry_id uuid not null,
  created_by text not null,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, number),
  foreign key (tenant_id, customer_id) references customers (tenant_id, id),
  foreign key (tenant_id, payment_id) references payments (tenant_id, id),
  foreign key (tenant_id, credit_note_id) references invoices (tenant_id, id),
  foreign key (tenant_id, journal_entry_id) references journal_entries (tenant_id, id),
  check ((source_type = 'payment') = (payment_id is not null)),
  check ((source_type = 'credit_note') = (credit_note_id is not null))
);
create index refunds_customer on refunds (tenant_id, customer_id, business_date);
create index refunds_payment on refunds (tenant_id, payment_id) where payment_id is not null;
create index refunds_credit_note on refunds (tenant_id, credit_note_id) where credit_note_id is not null;

-- A write-off of an invoice's remaining balance: requested by one person, decided by another.
create table write_offs (
  tenant_id uuid not null,
  id uuid not null,
  invoice_id uuid not null,
  customer_id uuid not null,
  currency char(3) not null,
  amount_minor bigint not null check (amount_minor > 0),
  base_amount_minor bigint not null check (base_amount_minor >= 0),
  reason text not null,
  status text not null default 'requested' check (status in ('requested', 'approved', 'rejected')),
  requested_by_key text not null,
  requested_by text not null,
  requested_at timestamptz not null default now(),
  decided_by text,
  decided_at timestamptz,
  decision_note text,
  business_date date,
  journal_entry_id uuid,
  version integer not null default 1,
  primary key (tenant_id, id),
  foreign key (tenant_id, invoice_id) references invoices (tenant_id, id),
  foreign key (tenant_id, customer_id) references customers (tenant_id, id),
  foreign key (tenant_id, journal_entry_id) references journal_entries (tenant_id, id),
  check ((status = 'approved') = (journal_entry_id is not null)),
  check ((status = 'requested') = (decided_at is null))
);
-- One open request per invoice.
create unique index write_offs_one_requested on write_offs (tenant_id, invoice_id) where status = 'requested';
create index write_offs_status on write_offs (tenant_id, status, requested_at);
create index write_offs_invoice on write_offs (tenant_id, invoice_id);

-- Every change of an invoice's or credit note's open balance, dated: issued, credited,
-- paid, discount, difference, written off, undone, refunded. The open balance as of
-- any date is the sum of its movements up to that date.
create table invoice_balance_movements (
  tenant_id uuid not null,
  id uuid not null,
  invoice_id uuid not null,
  customer_id uuid not null,
  currency char(3) not null,
  business_date date not null,
  amount_minor bigint not null check (amount_minor <> 0),
  kind text not null check (kind in ('issued', 'credited', 'applied', 'discount', 'difference', 'written_off', 'undone', 'refunded', 'used')),
  source_type text not null,
  source_id uuid not null,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, invoice_id) references invoices (tenant_id, id)
);
create index invoice_balance_movements_invoice on invoice_balance_movements (tenant_id, invoice_id, business_date);
create index invoice_balance_movements_customer on invoice_balance_movements (tenant_id, customer_id, business_date);
create trigger invoice_balance_movements_append_only before update or delete on invoice_balance_movements for each row execute function o2c_refuse_change();

-- The history of what was already issued before this migration: each document's issue and each credit note's share against its invoice.
insert into invoice_balance_movements (tenant_id, id, invoice_id, customer_id, currency, business_date, amount_minor, kind, source_type, source_id, created_at)
select tenant_id, gen_random_uuid(), id, customer_id, currency, issue_date,
       case when kind = 'invoice' then gross_minor else gross_minor - credited_minor end,
       'issued', kind, id, issued_at
  from invoices
 where status = 'issued' and (kind = 'invoice' or gross_minor > credited_minor);
insert into invoice_balance_movements (tenant_id, id, invoice_id, customer_id, currency, business_date, amount_minor, kind, source_type, source_id, created_at)
select tenant_id, gen_random_uuid(), credited_invoice_id, customer_id, currency, issue_date, -credited_minor, 'credited', 'credit_note', id, issued_at
  from invoices
 where status = 'issued' and kind = 'credit_note' and credited_minor > 0;

-- Open items by customer, and the open items of a tenant by due date, read by aging and statements.
create index invoices_open_items on invoices (tenant_id, customer_id, due_date) where status = 'issued' and open_minor > 0;

-- Applications, refunds and write-offs are history: never deleted; only an application's undo is recorded on it.
create trigger refunds_append_only before update or delete on refunds for each row execute function o2c_refuse_change();
create or replace function o2c_application_kept() returns trigger
language plpgsql as $$
declare
  mutable text[] := array['status', 'undo_reason', 'undo_date', 'undone_by', 'undone_at'];
begin
  if tg_op = 'DELETE' then
    raise exception 'O2C_STATE_CONFLICT: applications are never deleted; undo them' using errcode = 'P0001';
  end if;
  if old.status = 'undone' or (to_jsonb(new) - mutable) is distinct from (to_jsonb(old) - mutable) then
    raise exception 'O2C_STATE_CONFLICT: an application only changes by being undone, once' using errcode = 'P0001';
  end if;
  return new;
end
$$;
create trigger payment_applications_kept before update or delete on payment_applications for each row execute function o2c_application_kept();

-- Companies that exist already get the settings and number series a new company gets.
insert into payment_settings (tenant_id) select id from tenants on conflict do nothing;
insert into number_series (tenant_id, series, pattern) select id, 'payment', 'PAY-{yyyy}-{seq:6}' from tenants on conflict do nothing;
insert into number_series (tenant_id, series, pattern) select id, 'refund', 'RFD-{yyyy}-{seq:6}' from tenants on conflict do nothing;
