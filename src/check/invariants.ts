import { sql, type RawBuilder } from 'kysely';
import { Big, formatMinor, formatQuantity } from '../kernel';
import type { Executor } from '../platform/db/database';
import { reconciliation } from '../modules/receivables';

/**
 * The invariant checker: reads a live database and verifies, per tenant, the
 * invariants of the design that stored data can show (docs/RELIABILITY.md).
 * Every check is one or a few read-only queries with bound parameters; nothing is
 * written. A violation names the invariant, the rule that broke, a sentence, and
 * the rows behind it (ids, numbers, amounts and quantities as strings).
 *
 * Run the checks in one snapshot (`checkTenants` in ./run.ts uses a repeatable-read,
 * read-only transaction) so that rows changed by concurrent requests do not look
 * inconsistent with each other.
 */

export interface Violation {
  /** The number of the invariant in DESIGN.md ("Invariants"). */
  readonly invariant: number;
  /** The rule that broke, short and stable (reports and tests match on it). */
  readonly rule: string;
  /** What is wrong, in a sentence. */
  readonly message: string;
  /** The rows behind it. */
  readonly records: Record<string, unknown>[];
}

export interface InvariantCheck {
  readonly invariant: number;
  readonly title: string;
  run(executor: Executor, tenantId: string): Promise<Violation[]>;
}

type Row = Record<string, string | null>;

async function rows<T extends Row>(executor: Executor, query: RawBuilder<T>): Promise<T[]> {
  return [...(await query.execute(executor)).rows];
}

/** Minor units (as text) shown in the currency's decimals. */
function money(minor: string | null, currency: string | null): string {
  if (minor === null) return '0';
  return currency === null ? minor : formatMinor(BigInt(minor), currency);
}

/** A numeric quantity without trailing zeros. */
function qty(value: string | null): string {
  return value === null ? '0' : formatQuantity(new Big(value));
}

/** A record without null fields, every value a string. */
function record(fields: Record<string, string | number | bigint | boolean | null | undefined>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (value === null || value === undefined) continue;
    result[key] = String(value);
  }
  return result;
}

function violation(invariant: number, rule: string, message: string, records: Record<string, unknown>[]): Violation {
  return { invariant, rule, message, records };
}

// —————————————————————————————————————————— database guards

interface Guard {
  readonly invariant: number;
  readonly table: string;
  readonly trigger: string;
  readonly what: string;
}

/** The triggers through which the database itself keeps an invariant. */
const guards: readonly Guard[] = [
  { invariant: 1, table: 'journal_entries', trigger: 'journal_entries_balanced', what: 'refuses at commit an entry that does not balance' },
  { invariant: 1, table: 'journal_lines', trigger: 'journal_lines_balanced', what: 'refuses at commit lines that leave their entry unbalanced' },
  { invariant: 5, table: 'invoices', trigger: 'invoices_fixed', what: 'refuses changes to issued invoices and credit notes' },
  { invariant: 5, table: 'invoice_lines', trigger: 'invoice_lines_fixed', what: 'refuses changes to the lines of issued documents' },
  { invariant: 10, table: 'journal_entries', trigger: 'journal_entries_append_only', what: 'refuses UPDATE and DELETE of journal entries' },
  { invariant: 10, table: 'journal_entries', trigger: 'journal_entries_no_truncate', what: 'refuses TRUNCATE of journal entries' },
  { invariant: 10, table: 'journal_lines', trigger: 'journal_lines_append_only', what: 'refuses UPDATE and DELETE of journal lines' },
  { invariant: 10, table: 'journal_lines', trigger: 'journal_lines_no_truncate', what: 'refuses TRUNCATE of journal lines' },
  { invariant: 10, table: 'audit_events', trigger: 'audit_events_append_only', what: 'refuses UPDATE and DELETE of audit events' },
  { invariant: 10, table: 'audit_events', trigger: 'audit_events_no_truncate', what: 'refuses TRUNCATE of audit events' },
];

/**
 * The guarding triggers of the given invariants exist and fire (enabled for
 * ordinary sessions). Schema-wide rather than per tenant: every tenant relies on them.
 */
async function checkGuards(executor: Executor, invariant: number): Promise<Violation[]> {
  const wanted = guards.filter((guard) => guard.invariant === invariant);
  if (wanted.length === 0) return [];
  const found = await rows(
    executor,
    sql<{ table_name: string; trigger_name: string; enabled: string | null }>`
      select g.table_name, g.trigger_name, t.tgenabled::text as enabled
        from (values ${sql.join(wanted.map((guard) => sql`(${guard.table}::text, ${guard.trigger}::text)`))}) as g (table_name, trigger_name)
        left join pg_catalog.pg_class c
          on c.relname = g.table_name and c.relnamespace = (select oid from pg_catalog.pg_namespace where nspname = current_schema())
        left join pg_catalog.pg_trigger t on t.tgrelid = c.oid and t.tgname = g.trigger_name`,
  );
  return found.flatMap((row) => {
    // 'O' fires in ordinary sessions, 'A' always; 'D' is disabled and 'R' fires only for replication.
    if (row.enabled === 'O' || row.enabled === 'A') return [];
    const guard = wanted.find((candidate) => candidate.trigger === row.trigger_name)!;
    const state = row.enabled === null ? 'missing' : row.enabled === 'D' ? 'disabled' : 'not firing in ordinary sessions';
    return [
      violation(invariant, 'database guard in place', `trigger ${row.trigger_name} on ${row.table_name}, which ${guard.what}, is ${state}`, [
        record({ table: row.table_name, trigger: row.trigger_name, state, tgenabled: row.enabled }),
      ]),
    ];
  });
}

// —————————————————————————————————————————— 1. journal entries balance

/** Invariant 1: every entry has two lines or more and balances in document and base currency; an entry in the base currency has base amounts equal to its amounts. */
export async function checkJournalEntries(executor: Executor, tenantId: string): Promise<Violation[]> {
  const entries = await rows(
    executor,
    sql<{
      entry_id: string;
      number: string;
      business_date: string;
      currency: string;
      base_currency: string;
      lines: string;
      debit: string;
      credit: string;
      base_debit: string;
      base_credit: string;
      base_mismatches: string;
    }>`
      select e.id as entry_id, e.number, e.business_date::text as business_date, e.currency, e.base_currency,
             count(l.id)::text as lines,
             coalesce(sum(l.amount_minor) filter (where l.side = 'debit'), 0)::text as debit,
             coalesce(sum(l.amount_minor) filter (where l.side = 'credit'), 0)::text as credit,
             coalesce(sum(l.base_amount_minor) filter (where l.side = 'debit'), 0)::text as base_debit,
             coalesce(sum(l.base_amount_minor) filter (where l.side = 'credit'), 0)::text as base_credit,
             count(l.id) filter (where e.currency = e.base_currency and l.base_amount_minor <> l.amount_minor)::text as base_mismatches
        from journal_entries e
        left join journal_lines l on l.tenant_id = e.tenant_id and l.entry_id = e.id
       where e.tenant_id = ${tenantId}
       group by e.tenant_id, e.id, e.number, e.business_date, e.currency, e.base_currency
      having count(l.id) < 2
          or coalesce(sum(case when l.side = 'debit' then l.amount_minor else -l.amount_minor end), 0) <> 0
          or coalesce(sum(case when l.side = 'debit' then l.base_amount_minor else -l.base_amount_minor end), 0) <> 0
          or count(l.id) filter (where e.currency = e.base_currency and l.base_amount_minor <> l.amount_minor) > 0
       order by e.number`,
  );
  const violations: Violation[] = [];
  for (const entry of entries) {
    const base = record({
      entry_id: entry.entry_id,
      number: entry.number,
      business_date: entry.business_date,
      currency: entry.currency,
      lines: entry.lines,
      debit: money(entry.debit, entry.currency),
      credit: money(entry.credit, entry.currency),
      base_currency: entry.base_currency,
      base_debit: money(entry.base_debit, entry.base_currency),
      base_credit: money(entry.base_credit, entry.base_currency),
    });
    if (Number(entry.lines) < 2) violations.push(violation(1, 'entry has two lines or more', `journal entry ${entry.number} has ${entry.lines} line(s)`, [base]));
    if (entry.debit !== entry.credit) {
      violations.push(
        violation(1, 'entry balances in document currency', `journal entry ${entry.number}: debits ${money(entry.debit, entry.currency)} ≠ credits ${money(entry.credit, entry.currency)} ${entry.currency}`, [base]),
      );
    }
    if (entry.base_debit !== entry.base_credit) {
      violations.push(
        violation(1, 'entry balances in base currency', `journal entry ${entry.number}: base debits ${money(entry.base_debit, entry.base_currency)} ≠ base credits ${money(entry.base_credit, entry.base_currency)} ${entry.base_currency}`, [base]),
      );
    }
    if (entry.base_mismatches !== '0') {
      violations.push(
        violation(1, 'base amounts equal amounts in the base currency', `journal entry ${entry.number} is in the base currency ${entry.currency}, yet ${entry.base_mismatches} line(s) carry another base amount`, [base]),
      );
    }
  }
  return [...violations, ...(await checkGuards(executor, 1))];
}

// —————————————————————————————————————————— 2. subledger = ledger

/**
 * Invariant 2: the receivables and unapplied-cash accounts equal the open items and
 * the unapplied payments per customer and currency (the receivables reconciliation),
 * and every line on those accounts names its customer.
 */
export async function checkSubledger(executor: Executor, tenantId: string): Promise<Violation[]> {
  const violations = await checkCustomerLines(executor, tenantId);
  let result: Awaited<ReturnType<typeof reconciliation>>;
  try {
    result = await isolated(executor, () => reconciliation(executor, tenantId));
  } catch (error) {
    // Data broken enough to stop the reconciliation itself (e.g. customer-account lines without a customer) is a violation too.
    const detail = error instanceof Error ? error.message : String(error);
    return [...violations, violation(2, 'the reconciliation runs', `the receivables reconciliation failed on this data: ${detail}`, [record({ error: detail })])];
  }
  violations.push(...result.differences.map((difference) =>
    violation(
      2,
      difference.account === 'receivables' ? 'receivables account equals open items' : 'unapplied-cash account equals unapplied payments',
      `${difference.account} of ${difference.customer.name || difference.customer.id} in ${difference.currency}: ledger ${difference.ledger} ≠ ${difference.account === 'receivables' ? 'open items' : 'unapplied payments'} ${difference.items} (difference ${difference.difference}) as of ${result.asOf}`,
      [
        record({
          account: difference.account,
          customer_id: difference.customer.id,
          customer: difference.customer.name,
          currency: difference.currency,
          ledger: difference.ledger,
          items: difference.items,
          difference: difference.difference,
        }),
        // The latest entries on the customer's account, to find the one that went astray.
        ...difference.entries.slice(0, 25).map((entry) =>
          record({ entry_id: entry.entryId, entry: entry.number, date: entry.date, source_type: entry.sourceType, source_id: entry.sourceId, amount: entry.amount, description: entry.description }),
        ),
      ],
    ),
  ));
  return violations;
}

/** Runs a read that may fail inside a savepoint when in a transaction, so a failure leaves the transaction usable. */
async function isolated<T>(executor: Executor, read: () => Promise<T>): Promise<T> {
  if (!executor.isTransaction) return read();
  await sql`savepoint o2c_check`.execute(executor);
  try {
    const result = await read();
    await sql`release savepoint o2c_check`.execute(executor);
    return result;
  } catch (error) {
    await sql`rollback to savepoint o2c_check`.execute(executor);
    throw error;
  }
}

/** Every line on an account that needs a customer (receivables, unapplied cash) names one. */
async function checkCustomerLines(executor: Executor, tenantId: string): Promise<Violation[]> {
  const violations: Violation[] = [];
  const anonymous = await rows(
    executor,
    sql<{ entry_id: string; number: string; line_no: string; account: string; system_key: string | null; side: string; amount: string; currency: string }>`
      select e.id as entry_id, e.number, l.line_no::text as line_no, a.number as account, a.system_key, l.side, l.amount_minor::text as amount, e.currency
        from journal_lines l
        join accounts a on a.tenant_id = l.tenant_id and a.id = l.account_id
        join journal_entries e on e.tenant_id = l.tenant_id and e.id = l.entry_id
       where l.tenant_id = ${tenantId} and a.requires_customer and l.customer_id is null
       order by e.number, l.line_no`,
  );
  for (const line of anonymous) {
    violations.push(
      violation(2, 'customer-account lines name the customer', `journal entry ${line.number} line ${line.line_no} is on customer account ${line.account} without a customer`, [
        record({ entry_id: line.entry_id, entry: line.number, line_no: line.line_no, account: line.account, system_key: line.system_key, side: line.side, amount: money(line.amount, line.currency), currency: line.currency }),
      ]),
    );
  }
  return violations;
}

// —————————————————————————————————————————— 3. stock

/**
 * Invariant 3: per item and warehouse 0 <= reserved <= on hand, and reserved is the
 * sum of the reservations; per order line the reserved quantity is what its
 * reservations hold and no more than is still open; reservations belong to order
 * lines that can hold stock; a shipment takes from reserved stock.
 */
export async function checkStock(executor: Executor, tenantId: string): Promise<Violation[]> {
  const violations: Violation[] = [];
  const levels = await rows(
    executor,
    sql<{ item_id: string; sku: string; warehouse_id: string; warehouse: string; on_hand: string; reserved: string; reservations: string; reservation_rows: string }>`
      select s.item_id, i.sku, s.warehouse_id, w.code as warehouse, s.on_hand::text as on_hand, s.reserved::text as reserved,
             coalesce(r.total, 0)::text as reservations, coalesce(r.count, 0)::text as reservation_rows
        from stock_levels s
        join items i on i.tenant_id = s.tenant_id and i.id = s.item_id
        join warehouses w on w.tenant_id = s.tenant_id and w.id = s.warehouse_id
        left join (select item_id, warehouse_id, sum(quantity) as total, count(*) as count
                     from stock_reservations where tenant_id = ${tenantId}
                    group by item_id, warehouse_id) r on r.item_id = s.item_id and r.warehouse_id = s.warehouse_id
       where s.tenant_id = ${tenantId}
         and (s.on_hand < 0 or s.reserved < 0 or s.reserved > s.on_hand or s.reserved <> coalesce(r.total, 0))
       order by i.sku, w.code`,
  );
  for (const level of levels) {
    const rec = record({
      item_id: level.item_id,
      sku: level.sku,
      warehouse_id: level.warehouse_id,
      warehouse: level.warehouse,
      on_hand: qty(level.on_hand),
      reserved: qty(level.reserved),
      reservations: qty(level.reservations),
      reservation_rows: level.reservation_rows,
    });
    const onHand = new Big(level.on_hand);
    const reserved = new Big(level.reserved);
    if (onHand.lt('0') || reserved.lt('0') || reserved.gt(onHand)) {
      violations.push(violation(3, '0 <= reserved <= on hand', `${level.sku} in ${level.warehouse}: reserved ${qty(level.reserved)}, on hand ${qty(level.on_hand)}`, [rec]));
    }
    if (!reserved.eq(new Big(level.reservations))) {
      violations.push(
        violation(3, 'reserved equals the sum of reservations', `${level.sku} in ${level.warehouse}: reserved ${qty(level.reserved)}, but its reservations hold ${qty(level.reservations)}`, [rec]),
      );
    }
  }

  const lines = await rows(
    executor,
    sql<{
      order_id: string;
      order_number: string;
      status: string;
      line_id: string;
      line_no: string;
      sku: string;
      item_kind: string;
      quantity: string;
      shipped: string;
      cancelled: string;
      reserved: string;
      reservations: string;
    }>`
      select o.id as order_id, o.number as order_number, o.status, l.id as line_id, l.line_no::text as line_no, l.sku, l.item_kind,
             l.quantity::text as quantity, l.quantity_shipped::text as shipped, l.quantity_cancelled::text as cancelled,
             l.quantity_reserved::text as reserved, coalesce(r.total, 0)::text as reservations
        from sales_order_lines l
        join sales_orders o on o.tenant_id = l.tenant_id and o.id = l.order_id
        left join (select reference_id, sum(quantity) as total
                     from stock_reservations where tenant_id = ${tenantId} and reference_type = 'sales_order_line'
                    group by reference_id) r on r.reference_id = l.id
       where l.tenant_id = ${tenantId}
         and (l.quantity_reserved > greatest(l.quantity - l.quantity_shipped - l.quantity_cancelled, 0)
              or l.quantity_reserved <> coalesce(r.total, 0))
       order by o.number, l.line_no`,
  );
  for (const line of lines) {
    const rec = record({
      order_id: line.order_id,
      order: line.order_number,
      status: line.status,
      line_id: line.line_id,
      line_no: line.line_no,
      sku: line.sku,
      quantity: qty(line.quantity),
      shipped: qty(line.shipped),
      cancelled: qty(line.cancelled),
      reserved: qty(line.reserved),
      reservations: qty(line.reservations),
    });
    const open = new Big(line.quantity).minus(line.shipped).minus(line.cancelled);
    const reserved = new Big(line.reserved);
    if (reserved.gt(open.lt('0') ? new Big('0') : open)) {
      violations.push(
        violation(3, 'order line reserves no more than is open', `${line.order_number} line ${line.line_no} (${line.sku}) reserves ${qty(line.reserved)} with ${formatQuantity(open)} open`, [rec]),
      );
    }
    if (!reserved.eq(new Big(line.reservations))) {
      violations.push(
        violation(3, 'order line reserved equals its reservations', `${line.order_number} line ${line.line_no} (${line.sku}) records ${qty(line.reserved)} reserved, its reservations hold ${qty(line.reservations)}`, [rec]),
      );
    }
  }

  const strays = await rows(
    executor,
    sql<{
      reservation_id: string;
      item_id: string;
      warehouse_id: string;
      reference_id: string;
      quantity: string;
      line_item_id: string | null;
      order_number: string | null;
      order_status: string | null;
      order_warehouse_id: string | null;
    }>`
      select r.id as reservation_id, r.item_id, r.warehouse_id, r.reference_id, r.quantity::text as quantity,
             l.item_id as line_item_id, o.number as order_number, o.status as order_status, o.warehouse_id as order_warehouse_id
        from stock_reservations r
        left join sales_order_lines l on l.tenant_id = r.tenant_id and l.id = r.reference_id
        left join sales_orders o on o.tenant_id = l.tenant_id and o.id = l.order_id
       where r.tenant_id = ${tenantId} and r.reference_type = 'sales_order_line'
         and (l.id is null or l.item_id <> r.item_id or o.warehouse_id <> r.warehouse_id or l.item_kind <> 'goods'
              or o.status in ('draft', 'cancelled', 'closed'))
       order by r.id`,
  );
  for (const stray of strays) {
    const rec = record({
      reservation_id: stray.reservation_id,
      reference_id: stray.reference_id,
      item_id: stray.item_id,
      warehouse_id: stray.warehouse_id,
      quantity: qty(stray.quantity),
      order: stray.order_number,
      order_status: stray.order_status,
      line_item_id: stray.line_item_id,
      order_warehouse_id: stray.order_warehouse_id,
    });
    const why =
      stray.line_item_id === null
        ? 'refers to no order line of the tenant'
        : stray.order_status === 'draft' || stray.order_status === 'cancelled' || stray.order_status === 'closed'
          ? `belongs to ${stray.order_number}, which is ${stray.order_status} and holds no stock`
          : `does not match its order line of ${stray.order_number} (item, warehouse or kind)`;
    violations.push(violation(3, 'reservations belong to open order lines', `reservation ${stray.reservation_id} of ${qty(stray.quantity)} ${why}`, [rec]));
  }

  // A shipment takes its goods out of reserved stock: its movement lowers reserved as much as on hand.
  const unreserved = await rows(
    executor,
    sql<{ movement_id: string; item_id: string; sku: string; warehouse: string; on_hand_delta: string; reserved_delta: string; reference_type: string | null; reference_id: string | null; occurred_at: string }>`
      select m.id as movement_id, m.item_id, i.sku, w.code as warehouse, m.on_hand_delta::text as on_hand_delta, m.reserved_delta::text as reserved_delta,
             m.reference_type, m.reference_id::text as reference_id, m.occurred_at::text as occurred_at
        from stock_movements m
        join items i on i.tenant_id = m.tenant_id and i.id = m.item_id
        join warehouses w on w.tenant_id = m.tenant_id and w.id = m.warehouse_id
       where m.tenant_id = ${tenantId} and m.kind = 'shipment' and (m.reserved_delta <> m.on_hand_delta or m.on_hand_delta >= 0)
       order by m.id`,
  );
  for (const movement of unreserved) {
    violations.push(
      violation(3, 'nothing ships that was not reserved', `a shipment movement of ${movement.sku} in ${movement.warehouse} took ${qty(movement.on_hand_delta)} from on hand but ${qty(movement.reserved_delta)} from reserved`, [
        record({ ...movement, on_hand_delta: qty(movement.on_hand_delta), reserved_delta: qty(movement.reserved_delta) }),
      ]),
    );
  }
  return violations;
}

// —————————————————————————————————————————— 4. order line quantities

/**
 * Invariant 4: per order line, invoiced <= shipped for goods; shipped + cancelled <=
 * ordered (with over-delivery: within the tolerance); a service is invoiced at most
 * once (invoiced + cancelled <= ordered) and never shipped; shipped equals what
 * shipped shipments carry and invoiced what the documents bill.
 */
export async function checkOrderLines(executor: Executor, tenantId: string): Promise<Violation[]> {
  const lines = await rows(
    executor,
    sql<{
      order_id: string;
      order_number: string;
      status: string;
      allow_over_delivery: string;
      tolerance_percent: string;
      line_id: string;
      line_no: string;
      sku: string;
      item_kind: string;
      quantity: string;
      shipped: string;
      cancelled: string;
      invoiced: string;
      limit: string;
      shipments: string;
      documents: string;
    }>`
      with shipped as (
        select sl.order_line_id, sum(sl.quantity) as total
          from shipment_lines sl
          join shipments s on s.tenant_id = sl.tenant_id and s.id = sl.shipment_id
         where sl.tenant_id = ${tenantId} and s.status in ('shipped', 'delivered')
         group by sl.order_line_id
      ), billed as (
        -- Invoices (drafts included: a draft claims its quantities) bill; credit notes give back, except price reductions and goods that came back.
        select il.order_line_id,
               sum(case when i.kind = 'invoice' then il.quantity
                        when il.is_price_reduction or il.goods_returned then 0
                        else -il.quantity end) as total
          from invoice_lines il
          join invoices i on i.tenant_id = il.tenant_id and i.id = il.invoice_id
         where il.tenant_id = ${tenantId} and il.kind = 'item' and il.order_line_id is not null
         group by il.order_line_id
      )
      select o.id as order_id, o.number as order_number, o.status, o.allow_over_delivery::text as allow_over_delivery,
             o.over_delivery_tolerance_percent::text as tolerance_percent,
             l.id as line_id, l.line_no::text as line_no, l.sku, l.item_kind, l.quantity::text as quantity,
             l.quantity_shipped::text as shipped, l.quantity_cancelled::text as cancelled, l.quantity_invoiced::text as invoiced,
             (case when o.allow_over_delivery then l.quantity * (1 + o.over_delivery_tolerance_percent / 100) else l.quantity end)::text as limit,
             coalesce(sh.total, 0)::text as shipments, coalesce(b.total, 0)::text as documents
        from sales_order_lines l
        join sales_orders o on o.tenant_id = l.tenant_id and o.id = l.order_id
        left join shipped sh on sh.order_line_id = l.id
        left join billed b on b.order_line_id = l.id
       where l.tenant_id = ${tenantId}
         and ((l.item_kind = 'goods' and l.quantity_invoiced > l.quantity_shipped)
              or l.quantity_shipped + l.quantity_cancelled > (case when o.allow_over_delivery then l.quantity * (1 + o.over_delivery_tolerance_percent / 100) else l.quantity end)
              or (l.item_kind = 'service' and (l.quantity_invoiced + l.quantity_cancelled > l.quantity or l.quantity_shipped <> 0))
              or l.quantity_shipped <> coalesce(sh.total, 0)
              or l.quantity_invoiced <> coalesce(b.total, 0))
       order by o.number, l.line_no`,
  );
  const violations: Violation[] = [];
  for (const line of lines) {
    const rec = record({
      order_id: line.order_id,
      order: line.order_number,
      status: line.status,
      line_id: line.line_id,
      line_no: line.line_no,
      sku: line.sku,
      item_kind: line.item_kind,
      quantity: qty(line.quantity),
      shipped: qty(line.shipped),
      cancelled: qty(line.cancelled),
      invoiced: qty(line.invoiced),
      allow_over_delivery: line.allow_over_delivery,
      tolerance_percent: line.allow_over_delivery === 'true' ? qty(line.tolerance_percent) : null,
      shipments_carry: qty(line.shipments),
      documents_bill: qty(line.documents),
    });
    const name = `${line.order_number} line ${line.line_no} (${line.sku})`;
    const quantity = new Big(line.quantity);
    const shipped = new Big(line.shipped);
    const cancelled = new Big(line.cancelled);
    const invoiced = new Big(line.invoiced);
    if (line.item_kind === 'goods' && invoiced.gt(shipped)) {
      violations.push(violation(4, 'invoiced <= shipped', `${name} invoiced ${qty(line.invoiced)} with ${qty(line.shipped)} shipped`, [rec]));
    }
    if (shipped.plus(cancelled).gt(new Big(line.limit))) {
      violations.push(
        violation(
          4,
          'shipped <= ordered',
          `${name} shipped ${qty(line.shipped)} and cancelled ${qty(line.cancelled)} of ${qty(line.quantity)} ordered${line.allow_over_delivery === 'true' ? ` (tolerance ${qty(line.tolerance_percent)} %, at most ${qty(line.limit)})` : ''}`,
          [rec],
        ),
      );
    }
    if (line.item_kind === 'service' && invoiced.plus(cancelled).gt(quantity)) {
      violations.push(violation(4, 'a service is invoiced at most once', `${name} invoiced ${qty(line.invoiced)} and cancelled ${qty(line.cancelled)} of ${qty(line.quantity)} ordered`, [rec]));
    }
    if (line.item_kind === 'service' && !shipped.eq('0')) {
      violations.push(violation(4, 'services do not ship', `${name} is a service with ${qty(line.shipped)} recorded as shipped`, [rec]));
    }
    if (!shipped.eq(new Big(line.shipments))) {
      violations.push(violation(4, 'shipped equals the shipments', `${name} records ${qty(line.shipped)} shipped; its shipped shipments carry ${qty(line.shipments)}`, [rec]));
    }
    if (!invoiced.eq(new Big(line.documents))) {
      violations.push(violation(4, 'invoiced equals the documents', `${name} records ${qty(line.invoiced)} invoiced; its invoices less credit notes bill ${qty(line.documents)}`, [rec]));
    }
  }
  return violations;
}

// —————————————————————————————————————————— 5. numbers and totals of issued documents

/** The document series whose numbers are gapless; a document's kind names its series. */
const documentSeries = ['invoice', 'credit_note'] as const;
// The tokens of a number pattern (platform/number-series/number-series.ts), as PostgreSQL regular expressions.
const seqToken = '\\{seq(:[0-9]{1,2})?\\}';
const seqWidth = '\\{seq:([0-9]{1,2})\\}';

/**
 * Invariant 5: issued invoice and credit-note numbers are unique and gapless per
 * series and year (each of 1 … the counter's last value exactly once, formatted by
 * the series' pattern, and no other); an issued document's totals hold (gross =
 * lines − allowances + charges + tax), its lines add up to its header, its VAT
 * breakdown to its tax, and its posting to receivables carries its gross.
 */
export async function checkDocuments(executor: Executor, tenantId: string): Promise<Violation[]> {
  const violations: Violation[] = [];
  const series = sql.join(documentSeries.map((name) => sql`${name}::text`));
  const numbering = await rows(
    executor,
    sql<{ problem: string; series: string; year: string; sequence: string | null; number: string; document_id: string | null; issue_date: string | null; last_value: string | null }>`
      with counters as (
        select c.series, c.year, c.last_value, s.pattern,
               coalesce(substring(s.pattern from ${seqWidth}::text)::integer, 1) as width
          from number_series_counters c
          join number_series s on s.tenant_id = c.tenant_id and s.series = c.series
         where c.tenant_id = ${tenantId} and c.series in (${series})
      ), expected as (
        select c.series, c.year, c.last_value, g.seq,
               replace(replace(regexp_replace(c.pattern, ${seqToken}::text,
                                              case when length(g.seq::text) >= c.width then g.seq::text else lpad(g.seq::text, c.width, '0') end),
                               '{yyyy}', lpad(c.year::text, 4, '0')),
                       '{yy}', lpad((c.year % 100)::text, 2, '0')) as number
          from counters c
          cross join lateral generate_series(1::bigint, c.last_value) as g (seq)
      ), issued as (
        select i.id, i.kind as series, i.number, i.issue_date, extract(year from i.issue_date)::integer as year
          from invoices i
         where i.tenant_id = ${tenantId} and i.status = 'issued'
      )
      select 'missing' as problem, e.series, e.year::text as year, e.seq::text as sequence, e.number, null::uuid as document_id, null::text as issue_date, e.last_value::text as last_value
        from expected e
       where not exists (select 1 from issued i where i.series = e.series and i.number = e.number)
      union all
      select 'unexpected', i.series, i.year::text, null, i.number, i.id, i.issue_date::text, c.last_value::text
        from issued i
        left join counters c on c.series = i.series and (c.year = i.year or c.year = 0)
       where not exists (select 1 from expected e where e.series = i.series and e.number = i.number and (e.year = i.year or e.year = 0))
      union all
      select 'duplicate', min(i.series), min(i.year)::text, count(*)::text, i.number, null, null, null
        from issued i
       group by i.number
      having count(*) > 1
      order by 2, 3, 5`,
  );
  for (const row of numbering) {
    const rec = record({ series: row.series, year: row.year, number: row.number, sequence: row.problem === 'missing' ? row.sequence : null, document_id: row.document_id, issue_date: row.issue_date, counter_last_value: row.last_value });
    if (row.problem === 'missing') {
      violations.push(violation(5, 'numbers are gapless', `${row.series} number ${row.number} (${row.sequence} of ${row.last_value} taken in ${row.year === '0' ? 'the series' : row.year}) is not on any issued document`, [rec]));
    } else if (row.problem === 'unexpected') {
      violations.push(
        violation(
          5,
          'numbers come from their series',
          `issued ${row.series} ${row.number} of ${row.issue_date} is not one of the numbers its series gave out for ${row.year}${row.last_value === null ? ' (no counter)' : ` (1 … ${row.last_value})`}`,
          [rec],
        ),
      );
    } else {
      violations.push(violation(5, 'numbers are unique', `number ${row.number} is on ${row.sequence} issued documents`, [record({ number: row.number, documents: row.sequence })]));
    }
  }

  const totals = await rows(
    executor,
    sql<{
      document_id: string;
      kind: string;
      number: string;
      currency: string;
      lines_net: string;
      allowances: string;
      charges: string;
      taxable: string;
      tax: string;
      gross: string;
      line_count: string;
      sum_items_net: string;
      sum_allowances: string;
      sum_charges: string;
      sum_taxable: string;
      sum_tax: string;
      breakdown_taxable: string;
      breakdown_tax: string;
      posted: string | null;
      entry: string | null;
    }>`
      select i.id as document_id, i.kind, i.number, i.currency,
             i.lines_net_minor::text as lines_net, i.allowances_minor::text as allowances, i.charges_minor::text as charges,
             i.taxable_minor::text as taxable, i.tax_minor::text as tax, i.gross_minor::text as gross,
             l.line_count::text as line_count, l.items_net::text as sum_items_net, l.allowances::text as sum_allowances,
             l.charges::text as sum_charges, l.taxable::text as sum_taxable, l.tax::text as sum_tax,
             b.taxable::text as breakdown_taxable, b.tax::text as breakdown_tax,
             p.posted::text as posted, e.number as entry
        from invoices i
        left join journal_entries e on e.tenant_id = i.tenant_id and e.id = i.journal_entry_id
        cross join lateral (
          select count(*) as line_count,
                 coalesce(sum(net_minor) filter (where kind = 'item'), 0) as items_net,
                 coalesce(sum(allowance_share_minor) filter (where kind = 'item'), 0) as allowances,
                 coalesce(sum(net_minor) filter (where kind = 'charge'), 0) as charges,
                 coalesce(sum(taxable_minor), 0) as taxable,
                 coalesce(sum(tax_minor), 0) as tax
            from invoice_lines where tenant_id = i.tenant_id and invoice_id = i.id) l
        cross join lateral (
          select coalesce(sum((g ->> 'taxableMinor')::bigint), 0) as taxable, coalesce(sum((g ->> 'taxMinor')::bigint), 0) as tax
            from jsonb_array_elements(case when jsonb_typeof(i.tax_breakdown) = 'array' then i.tax_breakdown else '[]'::jsonb end) as g) b
        cross join lateral (
          select sum(case when jl.side = (case when i.kind = 'invoice' then 'debit' else 'credit' end) then jl.amount_minor else -jl.amount_minor end) as posted
            from journal_lines jl
            join accounts a on a.tenant_id = jl.tenant_id and a.id = jl.account_id and a.system_key = 'receivables'
           where jl.tenant_id = i.tenant_id and jl.entry_id = i.journal_entry_id and jl.customer_id = i.customer_id) p
       where i.tenant_id = ${tenantId} and i.status = 'issued'
         and (i.gross_minor <> i.lines_net_minor - i.allowances_minor + i.charges_minor + i.tax_minor
              or i.taxable_minor <> i.lines_net_minor - i.allowances_minor + i.charges_minor
              or l.line_count = 0
              or i.lines_net_minor <> l.items_net or i.allowances_minor <> l.allowances or i.charges_minor <> l.charges
              or i.taxable_minor <> l.taxable or i.tax_minor <> l.tax
              or i.taxable_minor <> b.taxable or i.tax_minor <> b.tax
              or p.posted is null or p.posted <> i.gross_minor)
       order by i.number`,
  );
  for (const doc of totals) {
    const m = (value: string | null) => money(value, doc.currency);
    const rec = record({
      document_id: doc.document_id,
      kind: doc.kind,
      number: doc.number,
      currency: doc.currency,
      lines_net: m(doc.lines_net),
      allowances: m(doc.allowances),
      charges: m(doc.charges),
      taxable: m(doc.taxable),
      tax: m(doc.tax),
      gross: m(doc.gross),
      lines: doc.line_count,
      lines_items_net: m(doc.sum_items_net),
      lines_allowances: m(doc.sum_allowances),
      lines_charges: m(doc.sum_charges),
      lines_taxable: m(doc.sum_taxable),
      lines_tax: m(doc.sum_tax),
      breakdown_taxable: m(doc.breakdown_taxable),
      breakdown_tax: m(doc.breakdown_tax),
      journal_entry: doc.entry,
      posted_receivables: doc.posted === null ? null : m(doc.posted),
    });
    const label = `${doc.kind === 'invoice' ? 'invoice' : 'credit note'} ${doc.number}`;
    const expectedGross = BigInt(doc.lines_net) - BigInt(doc.allowances) + BigInt(doc.charges) + BigInt(doc.tax);
    if (BigInt(doc.gross) !== expectedGross || BigInt(doc.taxable) !== BigInt(doc.lines_net) - BigInt(doc.allowances) + BigInt(doc.charges)) {
      violations.push(
        violation(5, 'gross = lines − allowances + charges + tax', `${label}: gross ${m(doc.gross)} ≠ ${m(doc.lines_net)} − ${m(doc.allowances)} + ${m(doc.charges)} + ${m(doc.tax)} = ${m(expectedGross.toString())} ${doc.currency} (or taxable ${m(doc.taxable)} disagrees)`, [rec]),
      );
    }
    const linesDiffer =
      doc.line_count === '0' ||
      doc.lines_net !== doc.sum_items_net ||
      doc.allowances !== doc.sum_allowances ||
      doc.charges !== doc.sum_charges ||
      doc.taxable !== doc.sum_taxable ||
      doc.tax !== doc.sum_tax;
    if (linesDiffer) {
      violations.push(
        violation(
          5,
          'lines add up to the header',
          doc.line_count === '0'
            ? `${label} has no lines`
            : `${label}: the lines add up to net ${m(doc.sum_items_net)}, allowances ${m(doc.sum_allowances)}, charges ${m(doc.sum_charges)}, taxable ${m(doc.sum_taxable)}, tax ${m(doc.sum_tax)}; the header says ${m(doc.lines_net)}, ${m(doc.allowances)}, ${m(doc.charges)}, ${m(doc.taxable)}, ${m(doc.tax)}`,
          [rec],
        ),
      );
    }
    if (doc.taxable !== doc.breakdown_taxable || doc.tax !== doc.breakdown_tax) {
      violations.push(
        violation(5, 'VAT breakdown adds up to the header', `${label}: the VAT breakdown adds up to taxable ${m(doc.breakdown_taxable)} and tax ${m(doc.breakdown_tax)}; the header says ${m(doc.taxable)} and ${m(doc.tax)}`, [rec]),
      );
    }
    if (doc.posted === null || doc.posted !== doc.gross) {
      violations.push(
        violation(5, 'the posting carries the gross', `${label}: its journal entry ${doc.entry ?? '(none)'} puts ${doc.posted === null ? 'nothing' : m(doc.posted)} on the customer's receivables; the document's gross is ${m(doc.gross)}`, [rec]),
      );
    }
  }
  return [...violations, ...(await checkGuards(executor, 5))];
}

// —————————————————————————————————————————— 6. payments and open balances

/**
 * Invariant 6: per payment, applied + refunded + unapplied = amount (all zero once
 * reversed), applied = its active applications, refunded = its refunds. Per issued
 * invoice, credited = what its credit notes took off, open = gross − credited −
 * active applications (cash + discount + difference) − approved write-offs, and
 * 0 <= open <= gross − credited; per credit note, open = gross − credited − what
 * active applications used − refunds. Every document's open balance equals the sum
 * of its balance movements, and its payment status follows its open balance.
 */
export async function checkSettlements(executor: Executor, tenantId: string): Promise<Violation[]> {
  const violations: Violation[] = [];
  const payments = await rows(
    executor,
    sql<{
      payment_id: string;
      number: string;
      status: string;
      currency: string;
      amount: string;
      applied: string;
      refunded: string;
      unapplied: string;
      applications: string;
      refunds: string;
    }>`
      with applied as (
        select payment_id, sum(source_amount_minor) as total
          from payment_applications
         where tenant_id = ${tenantId} and source_type = 'payment' and status = 'active'
         group by payment_id
      ), refunded as (
        select payment_id, sum(amount_minor) as total
          from refunds
         where tenant_id = ${tenantId} and source_type = 'payment'
         group by payment_id
      )
      select p.id as payment_id, p.number, p.status, p.currency, p.amount_minor::text as amount, p.applied_minor::text as applied,
             p.refunded_minor::text as refunded, p.unapplied_minor::text as unapplied,
             coalesce(a.total, 0)::text as applications, coalesce(r.total, 0)::text as refunds
        from payments p
        left join applied a on a.payment_id = p.id
        left join refunded r on r.payment_id = p.id
       where p.tenant_id = ${tenantId}
         and ((p.status = 'received' and (p.applied_minor + p.refunded_minor + p.unapplied_minor <> p.amount_minor or p.unapplied_minor < 0))
              or (p.status = 'reversed' and (p.applied_minor <> 0 or p.refunded_minor <> 0 or p.unapplied_minor <> 0))
              or p.applied_minor <> coalesce(a.total, 0)
              or p.refunded_minor <> coalesce(r.total, 0))
       order by p.number`,
  );
  for (const payment of payments) {
    const m = (value: string) => money(value, payment.currency);
    const rec = record({
      payment_id: payment.payment_id,
      number: payment.number,
      status: payment.status,
      currency: payment.currency,
      amount: m(payment.amount),
      applied: m(payment.applied),
      refunded: m(payment.refunded),
      unapplied: m(payment.unapplied),
      active_applications: m(payment.applications),
      refunds: m(payment.refunds),
    });
    const sum = BigInt(payment.applied) + BigInt(payment.refunded) + BigInt(payment.unapplied);
    if (payment.status === 'received' && (sum !== BigInt(payment.amount) || BigInt(payment.unapplied) < 0n)) {
      violations.push(
        violation(6, 'applied + refunded + unapplied = amount', `payment ${payment.number}: applied ${m(payment.applied)} + refunded ${m(payment.refunded)} + unapplied ${m(payment.unapplied)} ≠ amount ${m(payment.amount)} ${payment.currency}`, [rec]),
      );
    }
    if (payment.status === 'reversed' && sum !== 0n) {
      violations.push(violation(6, 'a reversed payment gives nothing', `payment ${payment.number} was reversed yet shows applied ${m(payment.applied)}, refunded ${m(payment.refunded)}, unapplied ${m(payment.unapplied)}`, [rec]));
    }
    if (payment.applied !== payment.applications) {
      violations.push(violation(6, 'applied = active applications', `payment ${payment.number} records ${m(payment.applied)} applied; its active applications took ${m(payment.applications)} ${payment.currency}`, [rec]));
    }
    if (payment.refunded !== payment.refunds) {
      violations.push(violation(6, 'refunded = refunds', `payment ${payment.number} records ${m(payment.refunded)} refunded; its refunds paid ${m(payment.refunds)} ${payment.currency}`, [rec]));
    }
  }

  const documents = await rows(
    executor,
    sql<{
      document_id: string;
      kind: string;
      number: string;
      currency: string;
      payment_status: string;
      gross: string;
      credited: string;
      open: string;
      credit_notes: string;
      settled: string;
      written_off: string;
      used: string;
      refunds: string;
      movements: string;
    }>`
      with settled as (
        select invoice_id, sum(amount_minor + discount_minor + difference_minor) as total
          from payment_applications where tenant_id = ${tenantId} and status = 'active' group by invoice_id
      ), used as (
        select credit_note_id, sum(source_amount_minor) as total
          from payment_applications where tenant_id = ${tenantId} and status = 'active' and source_type = 'credit_note' group by credit_note_id
      ), written_off as (
        select invoice_id, sum(amount_minor) as total
          from write_offs where tenant_id = ${tenantId} and status = 'approved' group by invoice_id
      ), refunded as (
        select credit_note_id, sum(amount_minor) as total
          from refunds where tenant_id = ${tenantId} and source_type = 'credit_note' group by credit_note_id
      ), credit_notes as (
        select credited_invoice_id, sum(credited_minor) as total
          from invoices where tenant_id = ${tenantId} and kind = 'credit_note' and status = 'issued' group by credited_invoice_id
      ), movements as (
        select invoice_id, sum(amount_minor) as total
          from invoice_balance_movements where tenant_id = ${tenantId} group by invoice_id
      ), documents as (
        select i.id, i.kind, i.number, i.currency, i.payment_status, i.gross_minor, i.credited_minor, i.open_minor,
               coalesce(cn.total, 0) as credit_notes, coalesce(s.total, 0) as settled, coalesce(w.total, 0) as written_off,
               coalesce(u.total, 0) as used, coalesce(r.total, 0) as refunds, coalesce(m.total, 0) as movements
          from invoices i
          left join credit_notes cn on cn.credited_invoice_id = i.id
          left join settled s on s.invoice_id = i.id
          left join written_off w on w.invoice_id = i.id
          left join used u on u.credit_note_id = i.id
          left join refunded r on r.credit_note_id = i.id
          left join movements m on m.invoice_id = i.id
         where i.tenant_id = ${tenantId} and i.status = 'issued'
      )
      select id as document_id, kind, number, currency, payment_status, gross_minor::text as gross, credited_minor::text as credited,
             open_minor::text as open, credit_notes::text as credit_notes, settled::text as settled, written_off::text as written_off,
             used::text as used, refunds::text as refunds, movements::text as movements
        from documents
       where open_minor < 0 or open_minor > gross_minor - credited_minor or open_minor <> movements
          or payment_status <> (case when open_minor = 0 then 'paid' when open_minor < gross_minor - credited_minor then 'partially_paid' else 'open' end)
          or (kind = 'invoice' and (credited_minor <> credit_notes or open_minor <> gross_minor - credited_minor - settled - written_off or used <> 0 or refunds <> 0))
          or (kind = 'credit_note' and (open_minor <> gross_minor - credited_minor - used - refunds or settled <> 0 or written_off <> 0))
       order by number`,
  );
  for (const doc of documents) {
    const m = (value: string) => money(value, doc.currency);
    const isInvoice = doc.kind === 'invoice';
    const label = `${isInvoice ? 'invoice' : 'credit note'} ${doc.number}`;
    const rec = record({
      document_id: doc.document_id,
      kind: doc.kind,
      number: doc.number,
      currency: doc.currency,
      payment_status: doc.payment_status,
      gross: m(doc.gross),
      credited: m(doc.credited),
      open: m(doc.open),
      credit_notes: isInvoice ? m(doc.credit_notes) : null,
      applications: isInvoice || doc.settled !== '0' ? m(doc.settled) : null,
      written_off: isInvoice || doc.written_off !== '0' ? m(doc.written_off) : null,
      used: !isInvoice || doc.used !== '0' ? m(doc.used) : null,
      refunds: !isInvoice || doc.refunds !== '0' ? m(doc.refunds) : null,
      movements: m(doc.movements),
    });
    const gross = BigInt(doc.gross);
    const credited = BigInt(doc.credited);
    const open = BigInt(doc.open);
    if (open < 0n) violations.push(violation(6, 'open >= 0', `${label} has ${m(doc.open)} ${doc.currency} open`, [rec]));
    if (open > gross - credited) violations.push(violation(6, 'open <= gross − credited', `${label}: open ${m(doc.open)} exceeds gross ${m(doc.gross)} − credited ${m(doc.credited)}`, [rec]));
    if (isInvoice) {
      if (doc.credited !== doc.credit_notes) {
        violations.push(violation(6, 'credited = credit notes', `${label} records ${m(doc.credited)} credited; its credit notes took ${m(doc.credit_notes)} ${doc.currency} off it`, [rec]));
      }
      const expected = gross - credited - BigInt(doc.settled) - BigInt(doc.written_off);
      if (open !== expected) {
        violations.push(
          violation(
            6,
            'open = gross − credited − applied − written off',
            `${label}: open ${m(doc.open)} ≠ gross ${m(doc.gross)} − credited ${m(doc.credited)} − applications ${m(doc.settled)} − write-offs ${m(doc.written_off)} = ${m(expected.toString())} ${doc.currency}`,
            [rec],
          ),
        );
      }
      if (doc.used !== '0' || doc.refunds !== '0') {
        violations.push(violation(6, 'only credit notes are used or refunded', `${label} is an invoice, yet applications used ${m(doc.used)} of it and refunds paid ${m(doc.refunds)} from it`, [rec]));
      }
    } else {
      const expected = gross - credited - BigInt(doc.used) - BigInt(doc.refunds);
      if (open !== expected) {
        violations.push(
          violation(6, 'credit item = gross − credited − used − refunded', `${label}: open credit ${m(doc.open)} ≠ gross ${m(doc.gross)} − credited ${m(doc.credited)} − used ${m(doc.used)} − refunded ${m(doc.refunds)} = ${m(expected.toString())} ${doc.currency}`, [rec]),
        );
      }
      if (doc.settled !== '0' || doc.written_off !== '0') {
        violations.push(violation(6, 'credit notes are not settled', `${label} is a credit note, yet applications settle ${m(doc.settled)} on it and write-offs ${m(doc.written_off)}`, [rec]));
      }
    }
    if (doc.open !== doc.movements) {
      violations.push(violation(6, 'open = sum of balance movements', `${label}: open ${m(doc.open)} ≠ ${m(doc.movements)}, the sum of its balance movements`, [rec]));
    }
    const status = open === 0n ? 'paid' : open < gross - credited ? 'partially_paid' : 'open';
    if (doc.payment_status !== status) {
      violations.push(violation(6, 'payment status follows the open balance', `${label} is ${doc.payment_status} with ${m(doc.open)} of ${m((gross - credited).toString())} open; it should be ${status}`, [rec]));
    }
  }
  return violations;
}

// —————————————————————————————————————————— 7. credit hold

/**
 * Invariant 7: an order on credit hold is not approved, has shipped nothing, waits
 * on exactly one open review, and holds stock only if it was approved before it went
 * back on hold; an order that left the hold for approval was released by its latest
 * review; every decided review records who, when and why.
 */
export async function checkCreditHolds(executor: Executor, tenantId: string): Promise<Violation[]> {
  const violations: Violation[] = [];
  const held = await rows(
    executor,
    sql<{
      order_id: string;
      number: string;
      customer: string;
      approved_at: string | null;
      shipped: string;
      reserved: string;
      shipments: string | null;
      open_reviews: string;
      held_when_approved: string;
    }>`
      select o.id as order_id, o.number, o.customer_number as customer, o.approved_at::text as approved_at,
             coalesce((select sum(l.quantity_shipped) from sales_order_lines l where l.tenant_id = o.tenant_id and l.order_id = o.id), 0)::text as shipped,
             greatest(coalesce((select sum(l.quantity_reserved) from sales_order_lines l where l.tenant_id = o.tenant_id and l.order_id = o.id), 0),
                      coalesce((select sum(r.quantity) from stock_reservations r join sales_order_lines l on l.tenant_id = r.tenant_id and l.id = r.reference_id
                                 where r.tenant_id = o.tenant_id and r.reference_type = 'sales_order_line' and l.order_id = o.id), 0))::text as reserved,
             (select string_agg(s.number || ' ' || s.status, ', ' order by s.number) from shipments s
               where s.tenant_id = o.tenant_id and s.order_id = o.id and s.status in ('shipped', 'delivered')) as shipments,
             (select count(*) from credit_reviews cr where cr.tenant_id = o.tenant_id and cr.order_id = o.id and cr.status = 'open')::text as open_reviews,
             (select count(*) from audit_events a
               where a.tenant_id = o.tenant_id and a.entity_type = 'order' and a.entity_id = o.id::text and a.action = 'order.held'
                 and a.before ->> 'status' = 'approved')::text as held_when_approved
        from sales_orders o
       where o.tenant_id = ${tenantId} and o.status = 'on_credit_hold'
       order by o.number`,
  );
  for (const order of held) {
    const rec = record({
      order_id: order.order_id,
      order: order.number,
      customer: order.customer,
      approved_at: order.approved_at,
      shipped: qty(order.shipped),
      reserved: qty(order.reserved),
      shipped_shipments: order.shipments,
      open_reviews: order.open_reviews,
      held_after_approval: order.held_when_approved,
    });
    if (order.approved_at !== null) violations.push(violation(7, 'no order is approved while on hold', `${order.number} is on credit hold yet approved at ${order.approved_at}`, [rec]));
    if (!new Big(order.shipped).eq('0') || order.shipments !== null) {
      violations.push(violation(7, 'nothing ships while on hold', `${order.number} is on credit hold yet shipped ${qty(order.shipped)}${order.shipments === null ? '' : ` (${order.shipments})`}`, [rec]));
    }
    if (new Big(order.reserved).gt('0') && order.held_when_approved === '0') {
      violations.push(violation(7, 'nothing is reserved while on hold', `${order.number} is on credit hold and holds stock, but was never approved before it was held`, [rec]));
    }
    if (order.open_reviews !== '1') {
      violations.push(violation(7, 'a held order waits on one open review', `${order.number} is on credit hold with ${order.open_reviews} open credit review(s)`, [rec]));
    }
  }

  const strayReviews = await rows(
    executor,
    sql<{ review_id: string; order_id: string; number: string; status: string; opened_at: string }>`
      select cr.id as review_id, o.id as order_id, o.number, o.status, cr.opened_at::text as opened_at
        from credit_reviews cr
        join sales_orders o on o.tenant_id = cr.tenant_id and o.id = cr.order_id
       where cr.tenant_id = ${tenantId} and cr.status = 'open' and o.status <> 'on_credit_hold'
       order by o.number`,
  );
  for (const review of strayReviews) {
    violations.push(
      violation(7, 'an open review belongs to a held order', `credit review ${review.review_id} is open while ${review.number} is ${review.status}`, [
        record({ review_id: review.review_id, order_id: review.order_id, order: review.number, order_status: review.status, opened_at: review.opened_at }),
      ]),
    );
  }

  // Left the hold for approval (not by cancellation): the latest review was a credit manager's release.
  const unreleased = await rows(
    executor,
    sql<{ order_id: string; number: string; status: string; review_id: string; review_status: string; opened_at: string; decided_by: string | null }>`
      select o.id as order_id, o.number, o.status, cr.id as review_id, cr.status as review_status, cr.opened_at::text as opened_at, cr.decided_by
        from sales_orders o
        join lateral (select * from credit_reviews r where r.tenant_id = o.tenant_id and r.order_id = o.id order by r.opened_at desc, r.id desc limit 1) cr on true
       where o.tenant_id = ${tenantId} and o.status in ('approved', 'partially_shipped', 'shipped') and cr.status <> 'released'
       order by o.number`,
  );
  for (const order of unreleased) {
    violations.push(
      violation(7, 'an order leaves the hold only by release', `${order.number} is ${order.status}, but its latest credit review is ${order.review_status}, not released`, [
        record({ order_id: order.order_id, order: order.number, status: order.status, review_id: order.review_id, review_status: order.review_status, opened_at: order.opened_at, decided_by: order.decided_by }),
      ]),
    );
  }

  const undocumented = await rows(
    executor,
    sql<{ review_id: string; order_id: string; number: string | null; status: string; decided_by: string | null; decided_at: string | null; decision_reason: string | null }>`
      select cr.id as review_id, cr.order_id, o.number, cr.status, cr.decided_by, cr.decided_at::text as decided_at, cr.decision_reason
        from credit_reviews cr
        left join sales_orders o on o.tenant_id = cr.tenant_id and o.id = cr.order_id
       where cr.tenant_id = ${tenantId} and cr.status in ('released', 'rejected', 'withdrawn')
         and (cr.decided_by is null or btrim(cr.decided_by) = '' or cr.decided_at is null or cr.decision_reason is null or btrim(cr.decision_reason) = '')
       order by cr.opened_at, cr.id`,
  );
  for (const review of undocumented) {
    const missing = [
      review.decided_by === null || review.decided_by.trim() === '' ? 'who' : null,
      review.decided_at === null ? 'when' : null,
      review.decision_reason === null || review.decision_reason.trim() === '' ? 'why' : null,
    ].filter((part) => part !== null);
    violations.push(
      violation(7, 'a decision records who, when and why', `credit review ${review.review_id} of ${review.number ?? review.order_id} was ${review.status} without ${missing.join(', ')}`, [
        record({ review_id: review.review_id, order_id: review.order_id, order: review.number, status: review.status, decided_by: review.decided_by, decided_at: review.decided_at, decision_reason: review.decision_reason }),
      ]),
    );
  }
  return violations;
}

// —————————————————————————————————————————— 8. idempotency

/**
 * Invariant 8: a key's row is unique per tenant by its primary key, and its request
 * hash is what a repeat is compared with. What stored data can show: every key
 * committed carries the stored answer a repeat replays (the answer is written in the
 * same transaction as the key; server errors roll both back), and a request hash.
 * Whether the effect happened once cannot be read back from the key alone.
 */
export async function checkIdempotency(executor: Executor, tenantId: string): Promise<Violation[]> {
  const keys = await rows(
    executor,
    sql<{ key: string; method: string; path: string; request_hash: string; response_status: string | null; created_at: string }>`
      select key, method, path, request_hash, response_status::text as response_status, created_at::text as created_at
        from idempotency_keys
       where tenant_id = ${tenantId}
         and (response_status is null or response_status < 200 or response_status >= 500 or request_hash !~ '^[0-9a-f]{64}$')
       order by created_at, key`,
  );
  return keys.map((key) => {
    const rec = record({ key: key.key, method: key.method, path: key.path, request_hash: key.request_hash, response_status: key.response_status, created_at: key.created_at });
    if (key.response_status === null) return violation(8, 'a key keeps its answer', `Idempotency-Key "${key.key}" (${key.method} ${key.path}) was committed without its answer; a repeat would be refused as still running`, [rec]);
    if (!/^[0-9a-f]{64}$/.test(key.request_hash)) return violation(8, 'a key keeps its request hash', `Idempotency-Key "${key.key}" has no valid request hash; a repeat with another body could not be told apart`, [rec]);
    return violation(8, 'a key keeps a final answer', `Idempotency-Key "${key.key}" stored answer status ${key.response_status}; only final answers below 500 are kept`, [rec]);
  });
}

// —————————————————————————————————————————— 10. append-only records

/** Invariant 10: the database refuses changes to posted entries and audit records (its triggers are in place). */
export async function checkAppendOnly(executor: Executor): Promise<Violation[]> {
  return checkGuards(executor, 10);
}

// —————————————————————————————————————————— all of them

/** The checks, in invariant order. Invariant 9 (tenant isolation) is kept by composite keys and access checks, not readable from rows. */
export const invariantChecks: readonly InvariantCheck[] = [
  { invariant: 1, title: 'journal entries balance', run: checkJournalEntries },
  { invariant: 2, title: 'receivables and unapplied cash equal the subledger', run: checkSubledger },
  { invariant: 3, title: 'stock and reservations', run: checkStock },
  { invariant: 4, title: 'order line quantities', run: checkOrderLines },
  { invariant: 5, title: 'document numbers and totals', run: checkDocuments },
  { invariant: 6, title: 'payments and open balances', run: checkSettlements },
  { invariant: 7, title: 'credit hold', run: checkCreditHolds },
  { invariant: 8, title: 'idempotency keys', run: checkIdempotency },
  { invariant: 10, title: 'append-only ledger and audit', run: (executor) => checkAppendOnly(executor) },
];

/**
 * Checks every invariant stored data can show for one tenant and returns the
 * violations (none when all hold). Read-only; for a consistent result on a live
 * database call it inside one repeatable-read transaction (see ./run.ts).
 */
export async function checkInvariants(executor: Executor, tenantId: string): Promise<Violation[]> {
  const violations: Violation[] = [];
  // One after another: on the embedded database there is a single connection anyway.
  for (const check of invariantChecks) violations.push(...(await check.run(executor, tenantId)));
  return violations;
}
