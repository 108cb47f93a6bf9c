import { sql, type RawBuilder } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertInvariants, checkInvariants, checkTenants, formatViolation, InvariantViolationError, reportOf, type Violation } from '../../src/check';
import { loadDemo } from '../../src/demo/demo';
import { newId } from '../../src/kernel';
import type { Tx } from '../../src/platform/db/database';
import { formatNumber } from '../../src/platform/number-series/number-series';
import { createTestDatabase, type TestDatabase } from '../support/database';

let database: TestDatabase;
let tenantId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  tenantId = (await loadDemo(database.handle.db)).tenantId;
});
afterAll(async () => database.drop());

class Rollback extends Error {}

/**
 * Corrupts the demo company inside a transaction (triggers off, as a buggy query or
 * a restore could leave it), runs the checker on that state and rolls everything back.
 */
async function violationsAfter(corrupt: (tx: Tx) => Promise<void>): Promise<Violation[]> {
  let found: Violation[] | undefined;
  try {
    await database.handle.db.transaction().execute(async (tx) => {
      await sql`set local session_replication_role = replica`.execute(tx);
      await corrupt(tx);
      found = await checkInvariants(tx, tenantId);
      throw new Rollback();
    });
  } catch (error) {
    if (!(error instanceof Rollback)) throw error;
  }
  return found!;
}

function expectViolation(found: Violation[], invariant: number, rule: string, record: Record<string, unknown> = {}): void {
  expect(found).toContainEqual(expect.objectContaining({ invariant, rule, records: expect.arrayContaining([expect.objectContaining(record)]) }));
}

async function one<T>(tx: Tx, query: RawBuilder<T>): Promise<T> {
  const row = (await query.execute(tx)).rows[0];
  if (row === undefined) throw new Error('the demo company lacks the record this test needs');
  return row;
}

/** Drops a check constraint of a table found by a piece of its definition (unnamed constraints get generated names). */
async function dropCheck(tx: Tx, table: string, definition: string): Promise<void> {
  const { conname } = await one(
    tx,
    sql<{ conname: string }>`select conname from pg_constraint where conrelid = ${table}::regclass and contype = 'c' and pg_get_constraintdef(oid) like ${`%${definition}%`}`,
  );
  await sql`alter table ${sql.table(table)} drop constraint ${sql.id(conname)}`.execute(tx);
}

describe('the invariant checker on the demo company', () => {
  it('finds no violation', async () => {
    expect(await checkInvariants(database.handle.db, tenantId)).toEqual([]);
    await expect(assertInvariants(database.handle.db, tenantId)).resolves.toBeUndefined();
    const results = await checkTenants(database.handle.db, { slug: 'demo' });
    expect(results).toEqual([{ tenant: { id: tenantId, slug: 'demo' }, violations: [] }]);
    expect(reportOf(results)).toBe('tenant demo: all invariants hold\n\n9 invariants checked, 0 violations\n');
  });

  describe('invariant 1: journal entries balance', () => {
    it('names an entry whose debits and credits differ', async () => {
      let number = '';
      const found = await violationsAfter(async (tx) => {
        const entry = await one(tx, sql<{ id: string; number: string }>`select id, number from journal_entries where tenant_id = ${tenantId} and currency = base_currency order by number limit 1`);
        number = entry.number;
        await sql`insert into journal_lines (tenant_id, id, entry_id, line_no, account_id, side, amount_minor, base_amount_minor)
          select ${tenantId}, ${newId()}, ${entry.id}, (select max(line_no) + 1 from journal_lines where tenant_id = ${tenantId} and entry_id = ${entry.id}), a.id, 'debit', 100, 100
            from accounts a where a.tenant_id = ${tenantId} and a.system_key = 'bank'`.execute(tx);
      });
      expectViolation(found, 1, 'entry balances in document currency', { number, debit: expect.any(String), credit: expect.any(String) });
      expectViolation(found, 1, 'entry balances in base currency', { number });
    });

    it('names a foreign-currency entry that balances only in its own currency', async () => {
      let number = '';
      const found = await violationsAfter(async (tx) => {
        const line = await one(tx, sql<{ id: string; number: string }>`select l.id, e.number from journal_lines l join journal_entries e on e.tenant_id = l.tenant_id and e.id = l.entry_id
          where l.tenant_id = ${tenantId} and e.currency <> e.base_currency order by e.number, l.line_no limit 1`);
        number = line.number;
        await sql`update journal_lines set base_amount_minor = base_amount_minor + 1 where tenant_id = ${tenantId} and id = ${line.id}`.execute(tx);
      });
      expectViolation(found, 1, 'entry balances in base currency', { number });
      expect(found.filter((violation) => violation.rule === 'entry balances in document currency')).toEqual([]);
    });

    it('names an entry with a single line', async () => {
      const found = await violationsAfter(async (tx) => {
        const entry = await one(tx, sql<{ id: string }>`select id from journal_entries where tenant_id = ${tenantId} order by number desc limit 1`);
        await sql`delete from journal_lines where tenant_id = ${tenantId} and entry_id = ${entry.id} and line_no > 1`.execute(tx);
      });
      expectViolation(found, 1, 'entry has two lines or more', { lines: '1' });
    });
  });

  describe('invariant 2: the receivables and unapplied-cash accounts equal the subledger', () => {
    it('names the customer whose receivables account differs from the open items', async () => {
      let customerId = '';
      const found = await violationsAfter(async (tx) => {
        const invoice = await one(tx, sql<{ customer_id: string; journal_entry_id: string }>`select customer_id, journal_entry_id from invoices
          where tenant_id = ${tenantId} and kind = 'invoice' and status = 'issued' and currency = 'EUR' order by number limit 1`);
        customerId = invoice.customer_id;
        const entryId = newId();
        await sql`insert into journal_entries (tenant_id, id, number, kind, business_date, posting_date, description, source_type, source_id, currency, base_currency, exchange_rate, created_by)
          select tenant_id, ${entryId}, 'JE-TEST-000001', 'manual', business_date, posting_date, 'a posting beside the subledger', 'manual', ${entryId}, currency, base_currency, 1, 'test'
            from journal_entries where tenant_id = ${tenantId} and id = ${invoice.journal_entry_id}`.execute(tx);
        await sql`insert into journal_lines (tenant_id, id, entry_id, line_no, account_id, side, amount_minor, base_amount_minor, customer_id)
          select ${tenantId}::uuid, ${newId()}::uuid, ${entryId}::uuid, 1, id, 'debit', 1234, 1234, ${customerId}::uuid from accounts where tenant_id = ${tenantId} and system_key = 'receivables'
          union all
          select ${tenantId}::uuid, ${newId()}::uuid, ${entryId}::uuid, 2, id, 'credit', 1234, 1234, null from accounts where tenant_id = ${tenantId} and system_key = 'revenue'`.execute(tx);
      });
      expectViolation(found, 2, 'receivables account equals open items', { account: 'receivables', customer_id: customerId, currency: 'EUR', difference: '12.34' });
      expectViolation(found, 2, 'receivables account equals open items', { entry: 'JE-TEST-000001', amount: '12.34' });
    });

    it('names the customer whose unapplied cash differs from the unapplied payments', async () => {
      let customerId = '';
      const found = await violationsAfter(async (tx) => {
        const payment = await one(tx, sql<{ id: string; customer_id: string }>`select id, customer_id from payments where tenant_id = ${tenantId} and status = 'received' and unapplied_minor > 0 order by number limit 1`);
        customerId = payment.customer_id;
        await sql`update payments set unapplied_minor = unapplied_minor - 1, refunded_minor = refunded_minor + 1 where tenant_id = ${tenantId} and id = ${payment.id}`.execute(tx);
      });
      expectViolation(found, 2, 'unapplied-cash account equals unapplied payments', { account: 'unapplied_cash', customer_id: customerId });
    });

    it('names a line on a customer account without its customer', async () => {
      const found = await violationsAfter(async (tx) => {
        const line = await one(tx, sql<{ id: string }>`select l.id from journal_lines l join accounts a on a.tenant_id = l.tenant_id and a.id = l.account_id
          where l.tenant_id = ${tenantId} and a.system_key = 'receivables' order by l.id limit 1`);
        await sql`update journal_lines set customer_id = null where tenant_id = ${tenantId} and id = ${line.id}`.execute(tx);
      });
      expectViolation(found, 2, 'customer-account lines name the customer', { system_key: 'receivables' });
    });
  });

  describe('invariant 3: stock', () => {
    it('names a stock level whose reserved quantity is not its reservations', async () => {
      let sku = '';
      const found = await violationsAfter(async (tx) => {
        const level = await one(tx, sql<{ item_id: string; warehouse_id: string; sku: string }>`select s.item_id, s.warehouse_id, i.sku from stock_levels s join items i on i.tenant_id = s.tenant_id and i.id = s.item_id
          where s.tenant_id = ${tenantId} and s.on_hand - s.reserved >= 1 and s.reserved = 0 order by i.sku limit 1`);
        sku = level.sku;
        await sql`update stock_levels set reserved = reserved + 1 where tenant_id = ${tenantId} and item_id = ${level.item_id} and warehouse_id = ${level.warehouse_id}`.execute(tx);
      });
      expectViolation(found, 3, 'reserved equals the sum of reservations', { sku, reservations: '0' });
      expect(found.filter((violation) => violation.rule === '0 <= reserved <= on hand')).toEqual([]);
    });

    it('names a stock level reserving more than is on hand', async () => {
      let sku = '';
      const found = await violationsAfter(async (tx) => {
        await sql`alter table stock_levels drop constraint stock_levels_reserved_within_on_hand`.execute(tx);
        const level = await one(tx, sql<{ item_id: string; warehouse_id: string; sku: string }>`select s.item_id, s.warehouse_id, i.sku from stock_levels s join items i on i.tenant_id = s.tenant_id and i.id = s.item_id
          where s.tenant_id = ${tenantId} order by i.sku limit 1`);
        sku = level.sku;
        await sql`update stock_levels set reserved = on_hand + 5 where tenant_id = ${tenantId} and item_id = ${level.item_id} and warehouse_id = ${level.warehouse_id}`.execute(tx);
      });
      expectViolation(found, 3, '0 <= reserved <= on hand', { sku });
    });

    it('names an order line whose reservations hold more than it records', async () => {
      let order = '';
      const found = await violationsAfter(async (tx) => {
        const reservation = await one(tx, sql<{ id: string; number: string }>`select r.id, o.number from stock_reservations r
          join sales_order_lines l on l.tenant_id = r.tenant_id and l.id = r.reference_id join sales_orders o on o.tenant_id = l.tenant_id and o.id = l.order_id
          where r.tenant_id = ${tenantId} order by o.number limit 1`);
        order = reservation.number;
        await sql`update stock_reservations set quantity = quantity + 1 where tenant_id = ${tenantId} and id = ${reservation.id}`.execute(tx);
      });
      expectViolation(found, 3, 'order line reserved equals its reservations', { order });
      expectViolation(found, 3, 'reserved equals the sum of reservations');
    });

    it('names an order line reserving more than is still open', async () => {
      let order = '';
      const found = await violationsAfter(async (tx) => {
        const line = await one(tx, sql<{ id: string; number: string }>`select l.id, o.number from sales_order_lines l join sales_orders o on o.tenant_id = l.tenant_id and o.id = l.order_id
          where l.tenant_id = ${tenantId} and l.item_kind = 'goods' and l.quantity_shipped > 0 order by o.number, l.line_no limit 1`);
        order = line.number;
        await sql`update sales_order_lines set quantity_reserved = quantity - quantity_cancelled where tenant_id = ${tenantId} and id = ${line.id}`.execute(tx);
      });
      expectViolation(found, 3, 'order line reserves no more than is open', { order });
    });

    it('names stock held for a cancelled order', async () => {
      let order = '';
      const found = await violationsAfter(async (tx) => {
        const line = await one(tx, sql<{ id: string; item_id: string; warehouse_id: string; number: string }>`select l.id, l.item_id, o.warehouse_id, o.number from sales_order_lines l
          join sales_orders o on o.tenant_id = l.tenant_id and o.id = l.order_id
          where l.tenant_id = ${tenantId} and o.status = 'cancelled' and l.item_kind = 'goods' order by o.number limit 1`);
        order = line.number;
        await sql`insert into stock_reservations (tenant_id, id, item_id, warehouse_id, reference_type, reference_id, quantity)
          values (${tenantId}, ${newId()}, ${line.item_id}, ${line.warehouse_id}, 'sales_order_line', ${line.id}, 1)`.execute(tx);
      });
      expectViolation(found, 3, 'reservations belong to open order lines', { order, order_status: 'cancelled', quantity: '1' });
    });

    it('names a shipment that took goods that were not reserved', async () => {
      const found = await violationsAfter(async (tx) => {
        const movement = await one(tx, sql<{ id: string }>`select id from stock_movements where tenant_id = ${tenantId} and kind = 'shipment' order by id limit 1`);
        await sql`update stock_movements set reserved_delta = 0 where tenant_id = ${tenantId} and id = ${movement.id}`.execute(tx);
      });
      expectViolation(found, 3, 'nothing ships that was not reserved', { reserved_delta: '0' });
    });
  });

  describe('invariant 4: order line quantities', () => {
    it('names a line shipped beyond what was ordered', async () => {
      let order = '';
      const found = await violationsAfter(async (tx) => {
        const line = await one(tx, sql<{ id: string; number: string }>`select l.id, o.number from sales_order_lines l join sales_orders o on o.tenant_id = l.tenant_id and o.id = l.order_id
          where l.tenant_id = ${tenantId} and l.item_kind = 'goods' and not o.allow_over_delivery and o.status = 'shipped' order by o.number, l.line_no limit 1`);
        order = line.number;
        await sql`update sales_order_lines set quantity_shipped = quantity + 1 where tenant_id = ${tenantId} and id = ${line.id}`.execute(tx);
      });
      expectViolation(found, 4, 'shipped <= ordered', { order });
      expectViolation(found, 4, 'shipped equals the shipments', { order });
    });

    it('allows over-delivery within the order’s tolerance, and names it beyond', async () => {
      const run = (factor: string) =>
        violationsAfter(async (tx) => {
          const line = await one(tx, sql<{ id: string; order_id: string }>`select l.id, l.order_id from sales_order_lines l join sales_orders o on o.tenant_id = l.tenant_id and o.id = l.order_id
            where l.tenant_id = ${tenantId} and l.item_kind = 'goods' and o.status = 'shipped' and l.quantity >= 10 order by o.number, l.line_no limit 1`);
          await sql`update sales_orders set allow_over_delivery = true, over_delivery_tolerance_percent = 10 where tenant_id = ${tenantId} and id = ${line.order_id}`.execute(tx);
          await sql`update sales_order_lines set quantity_shipped = quantity * ${factor}::numeric where tenant_id = ${tenantId} and id = ${line.id}`.execute(tx);
        });
      const within = await run('1.05');
      expect(within.filter((violation) => violation.rule === 'shipped <= ordered')).toEqual([]);
      expectViolation(within, 4, 'shipped equals the shipments');
      const beyond = await run('1.2');
      expectViolation(beyond, 4, 'shipped <= ordered', { allow_over_delivery: 'true', tolerance_percent: '10' });
    });

    it('names goods invoiced beyond what shipped', async () => {
      let order = '';
      const found = await violationsAfter(async (tx) => {
        await dropCheck(tx, 'sales_order_lines', 'quantity_invoiced <= quantity_shipped');
        const line = await one(tx, sql<{ id: string; number: string }>`select l.id, o.number from sales_order_lines l join sales_orders o on o.tenant_id = l.tenant_id and o.id = l.order_id
          where l.tenant_id = ${tenantId} and l.item_kind = 'goods' and l.quantity_invoiced > 0 order by o.number, l.line_no limit 1`);
        order = line.number;
        await sql`update sales_order_lines set quantity_invoiced = quantity_shipped + 1 where tenant_id = ${tenantId} and id = ${line.id}`.execute(tx);
      });
      expectViolation(found, 4, 'invoiced <= shipped', { order });
      expectViolation(found, 4, 'invoiced equals the documents', { order });
    });

    it('names a service invoiced twice', async () => {
      let order = '';
      const found = await violationsAfter(async (tx) => {
        await sql`alter table sales_order_lines drop constraint sales_order_lines_service_invoiced`.execute(tx);
        const line = await one(tx, sql<{ id: string; number: string }>`select l.id, o.number from sales_order_lines l join sales_orders o on o.tenant_id = l.tenant_id and o.id = l.order_id
          where l.tenant_id = ${tenantId} and l.item_kind = 'service' order by o.number, l.line_no limit 1`);
        order = line.number;
        await sql`update sales_order_lines set quantity_invoiced = quantity * 2 where tenant_id = ${tenantId} and id = ${line.id}`.execute(tx);
      });
      expectViolation(found, 4, 'a service is invoiced at most once', { order, item_kind: 'service' });
    });
  });

  describe('invariant 5: document numbers and totals', () => {
    it('names a number the series gave out that no issued invoice carries', async () => {
      let missing = '';
      const found = await violationsAfter(async (tx) => {
        const counter = await one(tx, sql<{ year: number; last_value: bigint; pattern: string }>`select c.year, c.last_value, s.pattern from number_series_counters c
          join number_series s on s.tenant_id = c.tenant_id and s.series = c.series where c.tenant_id = ${tenantId} and c.series = 'invoice' order by c.year desc limit 1`);
        missing = formatNumber(counter.pattern, counter.year, counter.last_value + 1n);
        await sql`update number_series_counters set last_value = last_value + 1 where tenant_id = ${tenantId} and series = 'invoice' and year = ${counter.year}`.execute(tx);
      });
      expectViolation(found, 5, 'numbers are gapless', { series: 'invoice', number: missing });
    });

    it('names an issued credit note numbered outside its series, and the gap it leaves', async () => {
      let number = '';
      const found = await violationsAfter(async (tx) => {
        const note = await one(tx, sql<{ id: string; number: string }>`select id, number from invoices where tenant_id = ${tenantId} and kind = 'credit_note' and status = 'issued' order by number limit 1`);
        number = note.number;
        await sql`update invoices set number = 'CN-1999-000001' where tenant_id = ${tenantId} and id = ${note.id}`.execute(tx);
      });
      expectViolation(found, 5, 'numbers come from their series', { series: 'credit_note', number: 'CN-1999-000001' });
      expectViolation(found, 5, 'numbers are gapless', { series: 'credit_note', number });
    });

    it('names a number carried by two issued documents', async () => {
      let number = '';
      const found = await violationsAfter(async (tx) => {
        const { conname } = await one(tx, sql<{ conname: string }>`select conname from pg_constraint where conrelid = 'invoices'::regclass and contype = 'u' and pg_get_constraintdef(oid) = 'UNIQUE (tenant_id, number)'`);
        await sql`alter table invoices drop constraint ${sql.id(conname)}`.execute(tx);
        const invoices = (await sql<{ id: string; number: string }>`select id, number from invoices where tenant_id = ${tenantId} and kind = 'invoice' and status = 'issued' order by number limit 2`.execute(tx)).rows;
        number = invoices[0]!.number;
        await sql`update invoices set number = ${number} where tenant_id = ${tenantId} and id = ${invoices[1]!.id}`.execute(tx);
      });
      expectViolation(found, 5, 'numbers are unique', { number, documents: '2' });
    });

    it('names an issued invoice whose header no longer matches its lines and its posting', async () => {
      let number = '';
      const found = await violationsAfter(async (tx) => {
        const invoice = await one(tx, sql<{ id: string; number: string }>`select id, number from invoices where tenant_id = ${tenantId} and kind = 'invoice' and status = 'issued' order by number limit 1`);
        number = invoice.number;
        await sql`update invoices set tax_minor = tax_minor + 1, gross_minor = gross_minor + 1 where tenant_id = ${tenantId} and id = ${invoice.id}`.execute(tx);
      });
      expectViolation(found, 5, 'lines add up to the header', { number });
      expectViolation(found, 5, 'VAT breakdown adds up to the header', { number });
      expectViolation(found, 5, 'the posting carries the gross', { number, journal_entry: expect.stringMatching(/^JE-/) });
    });

    it('names an issued invoice whose gross breaks the totals identity', async () => {
      let number = '';
      const found = await violationsAfter(async (tx) => {
        await sql`alter table invoices drop constraint invoices_totals`.execute(tx);
        const invoice = await one(tx, sql<{ id: string; number: string }>`select id, number from invoices where tenant_id = ${tenantId} and kind = 'invoice' and status = 'issued' order by number desc limit 1`);
        number = invoice.number;
        await sql`update invoices set gross_minor = gross_minor + 100 where tenant_id = ${tenantId} and id = ${invoice.id}`.execute(tx);
      });
      expectViolation(found, 5, 'gross = lines − allowances + charges + tax', { number });
    });

    it('names an issued document whose line changed', async () => {
      let number = '';
      const found = await violationsAfter(async (tx) => {
        const line = await one(tx, sql<{ id: string; number: string }>`select l.id, i.number from invoice_lines l join invoices i on i.tenant_id = l.tenant_id and i.id = l.invoice_id
          where l.tenant_id = ${tenantId} and i.status = 'issued' order by i.number, l.line_no limit 1`);
        number = line.number;
        await sql`update invoice_lines set net_minor = net_minor + 5, gross_minor = gross_minor + 5, taxable_minor = taxable_minor + 5 where tenant_id = ${tenantId} and id = ${line.id}`.execute(tx);
      });
      expectViolation(found, 5, 'lines add up to the header', { number });
    });

    it('names a disabled guard of issued documents', async () => {
      const found = await violationsAfter(async (tx) => {
        await sql`alter table invoice_lines disable trigger invoice_lines_fixed`.execute(tx);
      });
      expectViolation(found, 5, 'database guard in place', { table: 'invoice_lines', trigger: 'invoice_lines_fixed', state: 'disabled' });
    });
  });

  describe('invariant 6: payments and open balances', () => {
    it('names a payment whose applied amount is not its active applications', async () => {
      let number = '';
      const found = await violationsAfter(async (tx) => {
        const payment = await one(tx, sql<{ id: string; number: string }>`select id, number from payments where tenant_id = ${tenantId} and status = 'received' and unapplied_minor > 0 order by number limit 1`);
        number = payment.number;
        await sql`update payments set applied_minor = applied_minor + 1, unapplied_minor = unapplied_minor - 1 where tenant_id = ${tenantId} and id = ${payment.id}`.execute(tx);
      });
      expectViolation(found, 6, 'applied = active applications', { number });
      expect(found.filter((violation) => violation.rule === 'applied + refunded + unapplied = amount')).toEqual([]);
    });

    it('names a payment that gives more than it is', async () => {
      let number = '';
      const found = await violationsAfter(async (tx) => {
        await sql`alter table payments drop constraint payments_balance`.execute(tx);
        const payment = await one(tx, sql<{ id: string; number: string }>`select id, number from payments where tenant_id = ${tenantId} and status = 'received' order by number limit 1`);
        number = payment.number;
        await sql`update payments set unapplied_minor = unapplied_minor + 500 where tenant_id = ${tenantId} and id = ${payment.id}`.execute(tx);
      });
      expectViolation(found, 6, 'applied + refunded + unapplied = amount', { number, amount: expect.any(String), unapplied: expect.any(String) });
    });

    it('names an invoice whose open balance is not what settled it', async () => {
      let number = '';
      const found = await violationsAfter(async (tx) => {
        const invoice = await one(tx, sql<{ id: string; number: string }>`select id, number from invoices where tenant_id = ${tenantId} and kind = 'invoice' and status = 'issued' and open_minor > 0 order by number limit 1`);
        number = invoice.number;
        await sql`update invoices set open_minor = open_minor - 1 where tenant_id = ${tenantId} and id = ${invoice.id}`.execute(tx);
      });
      expectViolation(found, 6, 'open = gross − credited − applied − written off', { number });
      expectViolation(found, 6, 'open = sum of balance movements', { number });
    });

    it('names the payment and invoice of an application undone behind their backs', async () => {
      let payment = '';
      let invoice = '';
      const found = await violationsAfter(async (tx) => {
        const application = await one(tx, sql<{ id: string; payment: string; invoice: string }>`select a.id, p.number as payment, i.number as invoice from payment_applications a
          join payments p on p.tenant_id = a.tenant_id and p.id = a.payment_id join invoices i on i.tenant_id = a.tenant_id and i.id = a.invoice_id
          where a.tenant_id = ${tenantId} and a.status = 'active' and a.source_type = 'payment' and p.status = 'received' order by p.number limit 1`);
        ({ payment, invoice } = application);
        await sql`update payment_applications set status = 'undone', undo_date = business_date, undo_reason = 'test' where tenant_id = ${tenantId} and id = ${application.id}`.execute(tx);
      });
      expectViolation(found, 6, 'applied = active applications', { number: payment });
      expectViolation(found, 6, 'open = gross − credited − applied − written off', { number: invoice });
    });

    it('names a credit note whose open credit is not what is left of it', async () => {
      let number = '';
      const found = await violationsAfter(async (tx) => {
        const note = await one(tx, sql<{ id: string; number: string; customer_id: string; currency: string; journal_entry_id: string }>`select id, number, customer_id, currency, journal_entry_id from invoices
          where tenant_id = ${tenantId} and kind = 'credit_note' and status = 'issued' order by number limit 1`);
        number = note.number;
        await sql`insert into refunds (tenant_id, id, number, customer_id, source_type, credit_note_id, currency, amount_minor, business_date, method, reason, journal_entry_id, created_by)
          values (${tenantId}, ${newId()}, 'RFD-TEST-1', ${note.customer_id}, 'credit_note', ${note.id}, ${note.currency}, 700, current_date, 'bank_transfer', 'test', ${note.journal_entry_id}, 'test')`.execute(tx);
      });
      expectViolation(found, 6, 'credit item = gross − credited − used − refunded', { number, refunds: '7.00' });
    });
  });

  describe('invariant 7: credit hold', () => {
    it('names an order approved while on hold', async () => {
      let order = '';
      const found = await violationsAfter(async (tx) => {
        const held = await one(tx, sql<{ id: string; number: string }>`select id, number from sales_orders where tenant_id = ${tenantId} and status = 'on_credit_hold' order by number limit 1`);
        order = held.number;
        await sql`update sales_orders set approved_at = now() where tenant_id = ${tenantId} and id = ${held.id}`.execute(tx);
      });
      expectViolation(found, 7, 'no order is approved while on hold', { order });
    });

    it('names a held order holding stock it was never approved for', async () => {
      let order = '';
      const found = await violationsAfter(async (tx) => {
        const line = await one(tx, sql<{ id: string; number: string }>`select l.id, o.number from sales_order_lines l join sales_orders o on o.tenant_id = l.tenant_id and o.id = l.order_id
          where l.tenant_id = ${tenantId} and o.status = 'on_credit_hold' and l.item_kind = 'goods' order by o.number, l.line_no limit 1`);
        order = line.number;
        await sql`update sales_order_lines set quantity_reserved = 1 where tenant_id = ${tenantId} and id = ${line.id}`.execute(tx);
      });
      expectViolation(found, 7, 'nothing is reserved while on hold', { order, reserved: '1', held_after_approval: '0' });
    });

    it('names a held order that shipped, and its missing review', async () => {
      let order = '';
      const found = await violationsAfter(async (tx) => {
        const shipped = await one(tx, sql<{ id: string; number: string }>`select id, number from sales_orders where tenant_id = ${tenantId} and status = 'partially_shipped' order by number limit 1`);
        order = shipped.number;
        await sql`update sales_orders set status = 'on_credit_hold', approved_at = null where tenant_id = ${tenantId} and id = ${shipped.id}`.execute(tx);
      });
      expectViolation(found, 7, 'nothing ships while on hold', { order, shipped_shipments: expect.stringMatching(/^SH-/) });
      expectViolation(found, 7, 'a held order waits on one open review', { order, open_reviews: '0' });
    });

    it('names an order that left the hold without a release', async () => {
      let order = '';
      const found = await violationsAfter(async (tx) => {
        const held = await one(tx, sql<{ id: string; number: string }>`select id, number from sales_orders where tenant_id = ${tenantId} and status = 'on_credit_hold' order by number limit 1`);
        order = held.number;
        await sql`update sales_orders set status = 'approved', approved_at = now() where tenant_id = ${tenantId} and id = ${held.id}`.execute(tx);
      });
      expectViolation(found, 7, 'an open review belongs to a held order', { order, order_status: 'approved' });
      expectViolation(found, 7, 'an order leaves the hold only by release', { order, review_status: 'open' });
    });

    it('names a credit decision without who or why', async () => {
      const found = await violationsAfter(async (tx) => {
        await sql`update credit_reviews set decided_by = null, decision_reason = ' ' where tenant_id = ${tenantId} and status = 'released'`.execute(tx);
      });
      expectViolation(found, 7, 'a decision records who, when and why', { status: 'released', decision_reason: ' ' });
      expect(found.find((violation) => violation.rule === 'a decision records who, when and why')?.message).toMatch(/without who, why$/);
    });
  });

  describe('invariant 8: idempotency keys', () => {
    it('names a key committed without its answer', async () => {
      const found = await violationsAfter(async (tx) => {
        await sql`insert into idempotency_keys (tenant_id, key, method, path, request_hash) values (${tenantId}, 'lost-answer', 'POST', '/api/v1/payments', ${'a'.repeat(64)})`.execute(tx);
      });
      expectViolation(found, 8, 'a key keeps its answer', { key: 'lost-answer', method: 'POST', path: '/api/v1/payments' });
    });
  });

  describe('invariant 10: posted entries and audit records are append-only', () => {
    it('names a disabled append-only trigger', async () => {
      const found = await violationsAfter(async (tx) => {
        await sql`alter table audit_events disable trigger audit_events_append_only`.execute(tx);
        await sql`drop trigger journal_lines_no_truncate on journal_lines`.execute(tx);
      });
      expectViolation(found, 10, 'database guard in place', { table: 'audit_events', trigger: 'audit_events_append_only', state: 'disabled' });
      expectViolation(found, 10, 'database guard in place', { table: 'journal_lines', trigger: 'journal_lines_no_truncate', state: 'missing' });
    });
  });

  it('leaves the database as it found it, and reports violations as text', async () => {
    expect(await checkInvariants(database.handle.db, tenantId)).toEqual([]);
    const violation: Violation = { invariant: 6, rule: 'open >= 0', message: 'invoice INV-2026-000001 has -1.00 EUR open', records: [{ number: 'INV-2026-000001', open: '-1.00', note: 'two words' }] };
    expect(formatViolation(violation)).toBe('invariant 6: open >= 0\n  invoice INV-2026-000001 has -1.00 EUR open\n    number=INV-2026-000001 open=-1.00 note="two words"');
    expect(reportOf([{ tenant: { id: tenantId, slug: 'demo' }, violations: [violation] }])).toBe(`tenant demo: 1 violation\n\n${formatViolation(violation)}\n\n9 invariants checked, 1 violation\n`);
    await database.handle.db.transaction().execute(async (tx) => {
      await sql`insert into idempotency_keys (tenant_id, key, method, path, request_hash) values (${tenantId}, 'half-done', 'POST', '/api/v1/orders', ${'b'.repeat(64)})`.execute(tx);
      const error = await assertInvariants(tx, tenantId).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(InvariantViolationError);
      expect((error as InvariantViolationError).message).toMatch(/invariant 8: a key keeps its answer[\s\S]*key=half-done/);
      await sql`delete from idempotency_keys where tenant_id = ${tenantId} and key = 'half-done'`.execute(tx);
    });
  });
});
