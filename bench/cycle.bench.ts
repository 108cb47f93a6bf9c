import os from 'node:os';
import { sql } from 'kysely';
import { createTestTenant } from '../test/support/app';
import { createTestDatabase } from '../test/support/database';
import { loadDemoRecords } from '../test/support/demo-data';
import { closedLoop, describeMachine, option, percentiles, printResult, startServer, type Figure } from './http-load';

/**
 * The whole order-to-cash cycle over HTTP: `npm run bench cycle -- --clients 8 --seconds 20`.
 *
 * Each client runs one cycle after another, every step a request to an o2c server
 * process on PostgreSQL, with the API key of the role that does it:
 *   sales      POST /orders (10 lines), POST /orders/{id}/submit
 *   warehouse  POST /shipments, …/pick, …/pack, …/ship
 *   billing    POST /invoices (draft from the shipment), POST /invoices/{id}/issue
 *   cashapp    POST /payments (bank transfer of the invoice's gross, value date
 *              today, applied to the invoice in full)
 * Prints full cycles per second with p50/p99 per cycle and per step.
 */
const goodsSkus = ['BRG-6204-2RS', 'BRG-6204-ZZ', 'HOSE-12-2M', 'FILM-500', 'GLOVE-9', 'OIL-HLP46', 'SHELF-2000', 'BOOK-HYD'];
// EUR, 30 days net without an early-payment discount, invoiced at shipment: the payment of the gross settles the invoice exactly.
const customerName = 'Łódź Tekstylia';

const steps = ['order', 'submit', 'shipment', 'pick', 'pack', 'ship', 'invoice', 'issue', 'payment'] as const;
type Step = (typeof steps)[number];
const stepLabels: Record<Step, string> = {
  order: 'POST /orders (10 lines)',
  submit: 'POST /orders/{id}/submit',
  shipment: 'POST /shipments',
  pick: 'POST /shipments/{id}/pick',
  pack: 'POST /shipments/{id}/pack',
  ship: 'POST /shipments/{id}/ship',
  invoice: 'POST /invoices (draft from the shipment)',
  issue: 'POST /invoices/{id}/issue',
  payment: 'POST /payments (applied in full)',
};

export async function run(args: string[]): Promise<Figure[]> {
  const clients = option(args, 'clients', 8);
  const seconds = option(args, 'seconds', 20);
  const port = option(args, 'port', 3947);
  const database = await createTestDatabase({ kind: 'postgres' });
  const db = database.handle.db;
  let server: { stop(): Promise<void> } | undefined;
  try {
    const tenant = await createTestTenant(database.handle, 'bench');
    await loadDemoRecords(database.handle, tenant.id);
    const customer = await db.selectFrom('customers').select('id').where('tenant_id', '=', tenant.id).where('name', '=', customerName).executeTakeFirstOrThrow();
    const warehouse = await db.selectFrom('warehouses').select('id').where('tenant_id', '=', tenant.id).where('code', '=', 'MAIN').executeTakeFirstOrThrow();
    const items = await db.selectFrom('items').select(['id', 'sku']).where('tenant_id', '=', tenant.id).where('sku', 'in', goodsSkus).where('active', '=', true).execute();
    // Plenty of stock in the main warehouse: every order is reserved in full and ships, however long the run.
    await sql`update stock_levels set on_hand = 1000000000 where tenant_id = ${tenant.id}`.execute(db);
    await sql`insert into stock_levels (tenant_id, item_id, warehouse_id, on_hand) select ${tenant.id}::uuid, id, ${warehouse.id}::uuid, 1000000000 from items where tenant_id = ${tenant.id} and kind = 'goods' on conflict do nothing`.execute(db);
    const machine = await describeMachine(db, 'postgres');
    server = await startServer({ DATABASE_URL: database.connectionString!, O2C_DB_POOL_SIZE: String(clients + 4) }, port);
    process.stdout.write(`${machine}\n`);
    process.stdout.write(`o2c order-to-cash cycle benchmark on PostgreSQL: ${clients} clients, 1 API process, ${seconds} s, orders of 10 lines, ${steps.length} requests per cycle\n`);
    const base = `http://127.0.0.1:${port}/api/v1`;
    const auth = (key: string) => ({ authorization: `Bearer ${key}` });
    const json = (key: string) => ({ ...auth(key), 'content-type': 'application/json' });
    const figures: Figure[] = [];
    const timings = new Map<Step, number[]>(steps.map((step) => [step, []]));

    /** One request of a step: its time is kept, and the answer's body returned when the status is the one expected. */
    async function call<T>(step: Step, path: string, init: RequestInit, expected: number): Promise<T | undefined> {
      const started = performance.now();
      const response = await fetch(`${base}${path}`, { method: 'POST', ...init });
      const text = await response.text();
      timings.get(step)!.push(performance.now() - started);
      if (response.status !== expected) {
        reportFailure(`${step}: ${response.status} ${text}`);
        return undefined;
      }
      return JSON.parse(text) as T;
    }

    const cycles = await closedLoop(clients, seconds, async (client, sequence) => {
      const lines = Array.from({ length: 10 }, (_, index) => ({ itemId: items[(client + sequence + index) % items.length]!.id, quantity: String(1 + ((sequence + index) % 5)) }));
      const order = await call<{ id: string }>('order', '/orders', { headers: json(tenant.keys.sales), body: JSON.stringify({ customerId: customer.id, lines }) }, 201);
      if (order === undefined) return false;
      if ((await call('submit', `/orders/${order.id}/submit`, { headers: auth(tenant.keys.sales) }, 200)) === undefined) return false;
      const shipment = await call<{ id: string }>('shipment', '/shipments', { headers: json(tenant.keys.warehouse), body: JSON.stringify({ orderId: order.id }) }, 201);
      if (shipment === undefined) return false;
      if ((await call('pick', `/shipments/${shipment.id}/pick`, { headers: auth(tenant.keys.warehouse) }, 200)) === undefined) return false;
      if ((await call('pack', `/shipments/${shipment.id}/pack`, { headers: json(tenant.keys.warehouse), body: JSON.stringify({ packages: [{ packageType: 'box' }] }) }, 200)) === undefined) return false;
      if ((await call('ship', `/shipments/${shipment.id}/ship`, { headers: json(tenant.keys.warehouse), body: JSON.stringify({ carrier: 'DHL' }) }, 200)) === undefined) return false;
      const draft = await call<{ id: string }>('invoice', '/invoices', { headers: json(tenant.keys.billing), body: JSON.stringify({ shipmentIds: [shipment.id] }) }, 201);
      if (draft === undefined) return false;
      const invoice = await call<{ id: string; gross: string; currency: string; issueDate: string }>('issue', `/invoices/${draft.id}/issue`, { headers: auth(tenant.keys.billing) }, 200);
      if (invoice === undefined) return false;
      const payment = await call<{ unapplied: string }>(
        'payment',
        '/payments',
        {
          headers: json(tenant.keys.cashapp),
          // The value date is the invoice's issue date: today in the company's time zone.
          body: JSON.stringify({ customerId: customer.id, amount: invoice.gross, currency: invoice.currency, method: 'bank_transfer', valueDate: invoice.issueDate, applications: [{ invoiceId: invoice.id }] }),
        },
        201,
      );
      if (payment === undefined) return false;
      if (!/^0(\.0+)?$/.test(payment.unapplied)) return reportFailure(`payment: ${payment.unapplied} ${invoice.currency} left unapplied on a payment of ${invoice.gross}`);
      return true;
    });
    printResult(`API: full cycle (${steps.length} requests)`, cycles, 'cycles/s');
    process.stdout.write(`${cycles.perSecond.toFixed(2)} cycles/s = ${(cycles.perSecond * steps.length).toFixed(0)} requests/s; load average at the end: ${os.loadavg()[0]!.toFixed(1)}\n`);
    for (const step of steps) printStep(stepLabels[step], timings.get(step)!);
    figures.push(
      { label: `full cycle of ${steps.length} requests, ${clients} clients (cycles/s, p50 / p99)`, value: `${cycles.perSecond.toFixed(2)} (${cycles.p50Ms.toFixed(0)} / ${cycles.p99Ms.toFixed(0)} ms)` },
    );

    const paid = await sql<{ invoices: string; paid: string; payments: string }>`
      select (select count(*) from invoices where tenant_id = ${tenant.id} and status = 'issued') as invoices,
             (select count(*) from invoices where tenant_id = ${tenant.id} and status = 'issued' and payment_status = 'paid' and open_minor = 0) as paid,
             (select count(*) from payments where tenant_id = ${tenant.id} and unapplied_minor = 0) as payments`.execute(db);
    const counts = paid.rows[0]!;
    process.stdout.write(`issued ${counts.invoices} invoices, ${counts.paid} of them paid in full by ${counts.payments} payments with nothing left unapplied\n`);
    return figures;
  } finally {
    await server?.stop();
    await database.drop();
  }
}

function printStep(label: string, latencies: number[]): void {
  const { p50, p99 } = percentiles(latencies);
  process.stdout.write(`  ${label.padEnd(42)} p50 ${p50.toFixed(1).padStart(6)} ms   p99 ${p99.toFixed(1).padStart(6)} ms   (${latencies.length} requests)\n`);
}

let failuresShown = 0;
/** Shows the first few failures so a broken run says why. */
function reportFailure(body: string): false {
  if (failuresShown < 3) process.stderr.write(`request failed: ${body.slice(0, 300)}\n`);
  failuresShown += 1;
  return false;
}
