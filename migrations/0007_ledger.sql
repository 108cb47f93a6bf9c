-- The ledger: chart of accounts, journal entries and lines, exchange rates and
-- accounting periods. The database keeps the books honest: an entry that does not
-- balance in document and in base currency is refused at commit, and posted
-- entries and lines can be neither updated nor deleted.

create table accounts (
  tenant_id uuid not null references tenants (id),
  id uuid not null,
  number text not null check (number ~ '^[0-9A-Za-z][0-9A-Za-z._-]{0,19}$'),
  name text not null check (length(name) between 1 and 200),
  type text not null check (type in ('asset', 'liability', 'equity', 'revenue', 'expense')),
  system_key text,
  -- Lines on receivables and unapplied cash carry the customer, so the subledger can be rebuilt.
  requires_customer boolean not null default false,
  active boolean not null default true,
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, number)
);
create unique index accounts_system_key on accounts (tenant_id, system_key) where system_key is not null;

-- System accounts may be renamed and renumbered, never deleted or retyped.
create or replace function o2c_protect_system_account() returns trigger
language plpgsql as $$
begin
  if tg_op = 'DELETE' and old.system_key is not null then
    raise exception 'O2C_ACCOUNT_PROTECTED: system account % (%) cannot be deleted', old.number, old.system_key using errcode = 'P0001';
  end if;
  if tg_op = 'UPDATE' and old.system_key is not null
     and (new.type is distinct from old.type or new.system_key is distinct from old.system_key or new.requires_customer is distinct from old.requires_customer) then
    raise exception 'O2C_ACCOUNT_PROTECTED: system account % (%) cannot change its type', old.number, old.system_key using errcode = 'P0001';
  end if;
  return case when tg_op = 'DELETE' then old else new end;
end
$$;
create trigger accounts_protect_system before update or delete on accounts
  for each row execute function o2c_protect_system_account();

create table journal_entries (
  tenant_id uuid not null references tenants (id),
  id uuid not null,
  number text not null,
  kind text not null check (kind in ('manual', 'automatic')),
  -- The business date of the event; the posting date is where it lands in the books
  -- (later when the event's period was closed).
  business_date date not null,
  posting_date date not null check (posting_date >= business_date),
  description text not null check (length(description) between 1 and 500),
  source_type text not null,
  source_id text not null,
  currency char(3) not null,
  base_currency char(3) not null,
  exchange_rate numeric(24, 10) not null check (exchange_rate > 0),
  reverses_entry_id uuid,
  created_by text not null,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, number),
  foreign key (tenant_id, reverses_entry_id) references journal_entries (tenant_id, id)
);
-- An entry is reversed at most once.
create unique index journal_entries_reversal on journal_entries (tenant_id, reverses_entry_id) where reverses_entry_id is not null;
create index journal_entries_posting_date on journal_entries (tenant_id, posting_date, id);
create index journal_entries_source on journal_entries (tenant_id, source_type, source_id);

create table journal_lines (
  tenant_id uuid not null,
  id uuid not null,
  entry_id uuid not null,
  line_no integer not null check (line_no > 0),
  account_id uuid not null,
  side text not null check (side in ('debit', 'credit')),
  amount_minor bigint not null check (amount_minor > 0),
  base_amount_minor bigint not null check (base_amount_minor >= 0),
  customer_id uuid,
  description text,
  primary key (tenant_id, id),
  unique (tenant_id, entry_id, line_no),
  foreign key (tenant_id, entry_id) references journal_entries (tenant_id, id),
  foreign key (tenant_id, account_id) references accounts (tenant_id, id),
  foreign key (tenant_id, customer_id) references customers (tenant_id, id)
);
create index journal_lines_account on journal_lines (tenant_id, account_id, entry_id);
create index journal_lines_customer on journal_lines (tenant_id, customer_id) where customer_id is not null;

create trigger journal_entries_append_only before update or delete on journal_entries
  for each row execute function o2c_refuse_change();
create trigger journal_entries_no_truncate before truncate on journal_entries
  for each statement execute function o2c_refuse_change();
create trigger journal_lines_append_only before update or delete on journal_lines
  for each row execute function o2c_refuse_change();
create trigger journal_lines_no_truncate before truncate on journal_lines
  for each statement execute function o2c_refuse_change();

-- At commit, every entry written in the transaction must have at least two lines,
-- balance in document and in base currency, and name the customer on the accounts
-- that need one — whoever inserted it, even raw SQL.
create or replace function o2c_check_entry_balance() returns trigger
language plpgsql as $$
declare
  the_entry uuid;
  totals record;
  missing_customer integer;
begin
  if tg_table_name = 'journal_entries' then
    the_entry := new.id;
  else
    the_entry := new.entry_id;
  end if;
  select count(*) as lines,
         coalesce(sum(case when side = 'debit' then amount_minor else -amount_minor end), 0) as difference,
         coalesce(sum(case when side = 'debit' then base_amount_minor else -base_amount_minor end), 0) as base_difference
    into totals
    from journal_lines where tenant_id = new.tenant_id and entry_id = the_entry;
  if totals.lines < 2 then
    raise exception 'O2C_ENTRY_UNBALANCED: journal entry % has % line(s); an entry needs at least two', the_entry, totals.lines using errcode = 'P0001';
  end if;
  if totals.difference <> 0 or totals.base_difference <> 0 then
    raise exception 'O2C_ENTRY_UNBALANCED: journal entry % does not balance: debits minus credits is % in document currency and % in base currency',
      the_entry, totals.difference, totals.base_difference using errcode = 'P0001';
  end if;
  select count(*) into missing_customer
    from journal_lines l join accounts a on a.tenant_id = l.tenant_id and a.id = l.account_id
    where l.tenant_id = new.tenant_id and l.entry_id = the_entry and a.requires_customer and l.customer_id is null;
  if missing_customer > 0 then
    raise exception 'O2C_ENTRY_UNBALANCED: journal entry % has a line on a customer account without the customer', the_entry using errcode = 'P0001';
  end if;
  return null;
end
$$;
create constraint trigger journal_entries_balanced after insert on journal_entries
  deferrable initially deferred for each row execute function o2c_check_entry_balance();
create constraint trigger journal_lines_balanced after insert on journal_lines
  deferrable initially deferred for each row execute function o2c_check_entry_balance();

create table exchange_rates (
  tenant_id uuid not null references tenants (id),
  from_currency char(3) not null check (from_currency ~ '^[A-Z]{3}$'),
  to_currency char(3) not null check (to_currency ~ '^[A-Z]{3}$'),
  rate_date date not null,
  -- Units of to_currency for one unit of from_currency.
  rate numeric(24, 10) not null check (rate > 0),
  source text not null check (source in ('manual', 'csv')),
  updated_by text not null,
  updated_at timestamptz not null default now(),
  primary key (tenant_id, from_currency, to_currency, rate_date),
  check (from_currency <> to_currency)
);

create table accounting_periods (
  tenant_id uuid not null references tenants (id),
  year integer not null check (year between 1900 and 9999),
  month integer not null check (month between 1 and 12),
  status text not null check (status in ('open', 'closed')),
  changed_by text not null,
  changed_at timestamptz not null default now(),
  version integer not null default 1,
  primary key (tenant_id, year, month)
);
