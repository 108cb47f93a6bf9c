import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { openDatabase, type DatabaseHandle } from '../src/platform/db/database';
import { migrate } from '../src/platform/db/migrate';
import { createTestTenant, type TestTenant } from '../test/support/app';
import { createTestDatabase } from '../test/support/database';
import { loadDemoRecords } from '../test/support/demo-data';
import { closedLoop, describeMachine, option, printResult, startServer, type Figure, type LoadResult } from './http-load';

/**
 * Order capture throughput: `npm run bench orders -- --clients 8 --seconds 20`.
 *
 * 1. The API on PostgreSQL: an o2c server process; each client creates an order of
 *    10 lines (POST /orders) and submits it (POST /orders/{id}/submit: re-price,
 *    credit decision, stock reserved in item order), then starts the next.
 * 2. The floor: the same work as one SQL transaction per order through pgbench on
 *    the same database (read the customer and prices, insert the order and its 10
 *    lines, lock and reserve stock), with the same number of clients.
 * 3. The API on the embedded PGlite database: the same server and the same clients,
 *    the database a data directory of the server process (as `npm start` runs it).
 * Prints orders per second, p50 and p99, the ratio API ÷ raw SQL and the ratio
 * PGlite ÷ PostgreSQL. --no-pglite leaves the third run out.
 */
const pgbench = '/usr/lib/postgresql/15/bin/pgbench';
const goodsSkus = ['BRG-6204-2RS', 'BRG-6204-ZZ', 'HOSE-12-2M', 'FILM-500', 'GLOVE-9', 'OIL-HLP46', 'SHELF-2000', 'BOOK-HYD'];

interface OrderBench {
  readonly tenant: TestTenant;
  readonly customerId: string;
  readonly buyers: readonly string[];
  readonly warehouseId: string;
  readonly items: readonly string[];
}

/** The demo's items and customers in a fresh tenant, every active EUR customer with credit to spare and plenty of stock. */
async function prepare(handle: DatabaseHandle): Promise<OrderBench> {
  const db = handle.db;
  const tenant = await createTestTenant(handle, 'bench');
  await loadDemoRecords(handle, tenant.id);
  const customer = await db.selectFrom('customers').select('id').where('tenant_id', '=', tenant.id).where('name', '=', 'Bäckerei Schröder').executeTakeFirstOrThrow();
  // Each client orders for its own active EUR customer, every one with credit to spare: the credit decision runs in
  // full (customer locked, exposure read) and approves, as for a customer in good standing.
  const buyers = await db.selectFrom('customers').select('id').where('tenant_id', '=', tenant.id).where('currency', '=', 'EUR').where('status', '=', 'active').orderBy('number').execute();
  await db.updateTable('customers').set({ credit_limit_minor: 10n ** 15n }).where('tenant_id', '=', tenant.id).execute();
  const warehouse = await db.selectFrom('warehouses').select('id').where('tenant_id', '=', tenant.id).where('code', '=', 'MAIN').executeTakeFirstOrThrow();
  const items = await db.selectFrom('items').select('id').where('tenant_id', '=', tenant.id).where('sku', 'in', goodsSkus).where('active', '=', true).execute();
  // Plenty of stock: the benchmark measures order capture, not backorders.
  await sql`update stock_levels set on_hand = 1000000000 where tenant_id = ${tenant.id}`.execute(db);
  await sql`insert into stock_levels (tenant_id, item_id, warehouse_id, on_hand) select ${tenant.id}::uuid, id, ${warehouse.id}::uuid, 1000000000 from items where tenant_id = ${tenant.id} and kind = 'goods' on conflict do nothing`.execute(db);
  return { tenant, customerId: customer.id, buyers: buyers.map((buyer) => buyer.id), warehouseId: warehouse.id, items: items.map((item) => item.id) };
}

/** Clients creating and submitting orders of 10 lines against the servers on ports port … port + servers − 1. */
async function enterOrders(bench: OrderBench, clients: number, seconds: number, port: number, servers: number): Promise<LoadResult> {
  const headers = { authorization: `Bearer ${bench.tenant.keys.sales}`, 'content-type': 'application/json' };
  return closedLoop(clients, seconds, async (client, sequence) => {
    const base = `http://127.0.0.1:${port + (client % servers)}/api/v1`;
    const lines = Array.from({ length: 10 }, (_, index) => ({ itemId: bench.items[(client + sequence + index) % bench.items.length]!, quantity: String(1 + ((sequence + index) % 5)) }));
    const created = await fetch(`${base}/orders`, { method: 'POST', headers, body: JSON.stringify({ customerId: bench.buyers[client % bench.buyers.length]!, lines }) });
    if (created.status !== 201) return reportFailure(await created.text());
    const order = (await created.json()) as { id: string };
    const submitted = await fetch(`${base}/orders/${order.id}/submit`, { method: 'POST', headers: { authorization: headers.authorization } });
    if (submitted.status !== 200) return reportFailure(await submitted.text());
    await submitted.arrayBuffer();
    return true;
  });
}

export async function run(args: string[]): Promise<Figure[]> {
  const clients = option(args, 'clients', 8);
  const seconds = option(args, 'seconds', 20);
  const port = option(args, 'port', 3917);
  // Several stateless API processes share the load, as behind a load balancer.
  const servers = option(args, 'servers', 1);
  const figures: Figure[] = [];
  const database = await createTestDatabase({ kind: 'postgres' });
  const connectionString = database.connectionString!;
  let postgres: LoadResult;
  try {
    const bench = await prepare(database.handle);
    process.stdout.write(`${await describeMachine(database.handle.db, 'postgres')}\n`);
    process.stdout.write(`o2c order benchmark: ${clients} clients, ${servers} API process${servers === 1 ? '' : 'es'}, ${seconds} s each, orders of 10 lines (create + submit)\n`);
    const started = await Promise.allSettled(Array.from({ length: servers }, (_, index) => startServer({ DATABASE_URL: connectionString, O2C_DB_POOL_SIZE: String(clients + 4) }, port + index)));
    const processes = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    const failed = started.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failed !== undefined) {
      await Promise.all(processes.map((server) => server.stop()));
      throw failed.reason;
    }
    try {
      postgres = await enterOrders(bench, clients, seconds, port, servers);
    } finally {
      await Promise.all(processes.map((server) => server.stop()));
    }
    printResult('API on PostgreSQL: POST /orders + /submit', postgres, 'orders/s');
    const raw = runPgbench(connectionString, clients, seconds, { tenantId: bench.tenant.id, customerId: bench.customerId, warehouseId: bench.warehouseId, items: [...bench.items] });
    process.stdout.write(`${'raw SQL: pgbench, one transaction per order'.padEnd(44)} ${raw.toFixed(0).padStart(7)} orders/s\n`);
    process.stdout.write(`ratio API ÷ raw SQL: ${(postgres.perSecond / raw).toFixed(2)} (target ≥ 0.5)\n`);
    figures.push(
      { label: `order entry, API on PostgreSQL, ${clients} clients (orders/s, p50 / p99)`, value: `${postgres.perSecond.toFixed(0)} (${postgres.p50Ms.toFixed(0)} / ${postgres.p99Ms.toFixed(0)} ms)` },
      { label: `order entry, raw SQL through pgbench, ${clients} clients (orders/s)`, value: raw.toFixed(0) },
      { label: 'order entry, ratio API ÷ raw SQL', value: (postgres.perSecond / raw).toFixed(2) },
    );
  } finally {
    await database.drop();
  }
  if (args.includes('--no-pglite')) return figures;

  // The same run on the embedded database: its data directory is prepared here, then served by the server process
  // (which keeps the database in <O2C_DATA_DIR>/pgdata).
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'o2c-bench-pglite-'));
  try {
    const handle = await openDatabase({ kind: 'pglite', dataDir: path.join(dataDir, 'pgdata') });
    let embedded: OrderBench;
    try {
      await migrate(handle);
      embedded = await prepare(handle);
    } finally {
      await handle.close();
    }
    const server = await startServer({ DATABASE_URL: undefined, O2C_DATA_DIR: dataDir, O2C_DEMO: 'false' }, port);
    let pglite: LoadResult;
    try {
      pglite = await enterOrders(embedded, clients, seconds, port, 1);
    } finally {
      await server.stop();
    }
    printResult('API on PGlite: POST /orders + /submit', pglite, 'orders/s');
    process.stdout.write(`ratio PGlite ÷ PostgreSQL: ${(pglite.perSecond / postgres.perSecond).toFixed(2)}\n`);
    figures.push(
      { label: `order entry, API on PGlite, ${clients} clients (orders/s, p50 / p99)`, value: `${pglite.perSecond.toFixed(0)} (${pglite.p50Ms.toFixed(0)} / ${pglite.p99Ms.toFixed(0)} ms)` },
      { label: 'order entry, ratio PGlite ÷ PostgreSQL', value: (pglite.perSecond / postgres.perSecond).toFixed(2) },
    );
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  return figures;
}

let failuresShown = 0;
/** Shows the first few failures so a broken run says why. */
function reportFailure(body: string): false {
  if (failuresShown < 3) process.stderr.write(`request failed: ${body.slice(0, 300)}\n`);
  failuresShown += 1;
  return false;
}

/** The same order work as plain SQL, one transaction per order; returns transactions (orders) per second. */
function runPgbench(connectionString: string, clients: number, seconds: number, ids: { tenantId: string; customerId: string; warehouseId: string; items: string[] }): number {
  const tenant = `'${ids.tenantId}'::uuid`;
  const lineValues = Array.from({ length: 10 }, (_, index) => `(${index + 1}, :i${index + 1})`).join(', ');
  const script = `
${Array.from({ length: 10 }, (_, index) => `\\set i${index + 1} random(1, ${ids.items.length})`).join('\n')}
\\set q random(1, 5)
BEGIN;
SELECT c.id, c.currency, c.country_code, c.vat_id, c.price_list_id FROM customers c WHERE c.tenant_id = ${tenant} AND c.id = '${ids.customerId}';
CREATE TEMP TABLE IF NOT EXISTS bench_lines (line_no int, n int) ON COMMIT DELETE ROWS;
INSERT INTO bench_lines VALUES ${lineValues};
SELECT b.line_no, e.unit_price FROM bench_lines b JOIN bench_items i ON i.n = b.n
  JOIN price_list_entries e ON e.tenant_id = ${tenant} AND e.item_id = i.item_id AND e.price_list_id = i.price_list_id AND e.min_quantity <= :q
  ORDER BY b.line_no, e.min_quantity DESC;
INSERT INTO sales_orders (tenant_id, id, number, status, reservation_status, customer_id, customer_number, customer_name, currency, order_date,
  ship_to_name, ship_to_line1, ship_to_postal_code, ship_to_city, ship_to_country_code, buyer_country_code, seller_country_code, warehouse_id,
  shipping_policy, payment_terms_code, source, created_by)
  VALUES (${tenant}, gen_random_uuid(), 'PGB-' || nextval('bench_order_numbers'), 'approved', 'complete', '${ids.customerId}', 'C000002', 'Bench', 'EUR', current_date,
  'Bench', 'Street 1', '10115', 'Berlin', 'DE', 'DE', 'DE', '${ids.warehouseId}', 'partial', 'NET30', 'api', 'pgbench') RETURNING id AS order_id \\gset
INSERT INTO sales_order_lines (tenant_id, id, order_id, line_no, item_id, sku, description, item_kind, unit, quantity, unit_price, price_source,
  gross_minor, discount_minor, net_minor, taxable_minor, tax_category, tax_rate_percent, tax_minor, revenue_account, quantity_reserved)
  SELECT ${tenant}, gen_random_uuid(), ':order_id'::uuid, b.line_no, i.item_id, 'SKU', 'bench line', 'goods', 'C62', :q, p.unit_price, 'price_list',
    round(p.unit_price * :q * 100), 0, round(p.unit_price * :q * 100), round(p.unit_price * :q * 100), 'S', 19, round(p.unit_price * :q * 19), '8400', :q
  FROM bench_lines b JOIN bench_items i ON i.n = b.n
  JOIN LATERAL (SELECT e.unit_price FROM price_list_entries e WHERE e.tenant_id = ${tenant} AND e.item_id = i.item_id AND e.price_list_id = i.price_list_id AND e.min_quantity <= :q ORDER BY e.min_quantity DESC LIMIT 1) p ON true;
UPDATE sales_orders o SET lines_net_minor = t.net, taxable_minor = t.net, tax_minor = t.tax, gross_minor = t.net + t.tax
  FROM (SELECT sum(net_minor) AS net, sum(tax_minor) AS tax FROM sales_order_lines WHERE tenant_id = ${tenant} AND order_id = ':order_id'::uuid) t
  WHERE o.tenant_id = ${tenant} AND o.id = ':order_id'::uuid;
SELECT s.item_id FROM stock_levels s WHERE s.tenant_id = ${tenant} AND s.warehouse_id = '${ids.warehouseId}'
  AND s.item_id IN (SELECT i.item_id FROM bench_lines b JOIN bench_items i ON i.n = b.n) ORDER BY s.item_id FOR UPDATE;
UPDATE stock_levels s SET reserved = s.reserved + x.quantity, updated_at = now()
  FROM (SELECT i.item_id, count(*) * :q AS quantity FROM bench_lines b JOIN bench_items i ON i.n = b.n GROUP BY i.item_id) x
  WHERE s.tenant_id = ${tenant} AND s.warehouse_id = '${ids.warehouseId}' AND s.item_id = x.item_id;
INSERT INTO stock_reservations (tenant_id, id, item_id, warehouse_id, reference_type, reference_id, quantity)
  SELECT ${tenant}, gen_random_uuid(), l.item_id, '${ids.warehouseId}', 'sales_order_line', l.id, l.quantity FROM sales_order_lines l WHERE l.tenant_id = ${tenant} AND l.order_id = ':order_id'::uuid;
COMMIT;
`;
  const setup = `
CREATE SEQUENCE IF NOT EXISTS bench_order_numbers;
CREATE TABLE IF NOT EXISTS bench_items (n int primary key, item_id uuid not null, price_list_id uuid not null);
TRUNCATE bench_items;
INSERT INTO bench_items SELECT row_number() OVER (ORDER BY i.id), i.id, (SELECT pl.id FROM price_lists pl WHERE pl.tenant_id = ${tenant} AND pl.currency = 'EUR' AND pl.is_default)
  FROM items i WHERE i.tenant_id = ${tenant} AND i.id IN (${ids.items.map((id) => `'${id}'`).join(', ')});
`;
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'o2c-pgbench-'));
  const scriptFile = path.join(directory, 'order.sql');
  fs.writeFileSync(scriptFile, script);
  const prepared = spawnSync('psql', [connectionString, '-v', 'ON_ERROR_STOP=1', '-q', '-c', setup], { encoding: 'utf8' });
  if (prepared.status !== 0) throw new Error(`pgbench setup failed: ${prepared.stderr}`);
  const result = spawnSync(pgbench, ['-n', '-c', String(clients), '-j', String(Math.min(clients, 2)), '-T', String(seconds), '-f', scriptFile, connectionString], { encoding: 'utf8' });
  fs.rmSync(directory, { recursive: true, force: true });
  const match = /tps = ([\d.]+)/.exec(result.stdout);
  if (result.status !== 0 || match === null) throw new Error(`pgbench failed: ${result.stderr}\n${result.stdout}`);
  const failed = /number of failed transactions: (\d+)/.exec(result.stdout);
  if (failed !== null && failed[1] !== '0') process.stdout.write(`pgbench reported ${failed[1]} failed transactions\n`);
  return Number(match[1]);
}
