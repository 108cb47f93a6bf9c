import { randomUUID } from 'node:crypto';
import { createTestDatabase } from '../test/support/database';
import { createTestTenant } from '../test/support/app';
import { buildApp } from '../src/app';
import { loadConfig } from '../src/platform/config';
import { createLogger } from '../src/platform/logger';
import { closedLoop, describeMachine, option, printResult, type Figure } from './http-load';

/**
 * The platform's own cost per request over real HTTP: an authenticated read
 * (API key check + one query) and an idempotent write (key row, insert, audit row,
 * stored answer in one transaction). Runs on PostgreSQL with --postgres, else on
 * the embedded database (in this process, as the server holds it).
 */
export async function run(args: string[]): Promise<Figure[]> {
  const clients = option(args, 'clients', 8);
  const seconds = option(args, 'seconds', 10);
  const kind = args.includes('--postgres') ? 'postgres' : 'pglite';
  const database = await createTestDatabase({ kind });
  const config = loadConfig({ LOG_LEVEL: 'silent', O2C_DATA_DIR: 'memory://', O2C_DB_POOL_SIZE: String(Math.max(clients + 2, 10)) });
  const app = await buildApp(config, { logger: createLogger('silent'), handle: database.handle, withWorker: false });
  const tenant = await createTestTenant(database.handle, 'bench');
  await app.http.listen({ port: 0, host: '127.0.0.1' });
  const address = app.http.server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
  const headers = { authorization: `Bearer ${tenant.keys.admin}` };
  process.stdout.write(`${await describeMachine(database.handle.db, kind)}\n`);
  process.stdout.write(`o2c platform benchmark on ${database.handle.kind}, ${clients} clients, ${seconds} s each\n`);

  const read = await closedLoop(clients, seconds, async () => (await fetch(`${base}/api/v1/tenant`, { headers })).status === 200);
  printResult('GET /api/v1/tenant (authenticated read)', read);
  const write = await closedLoop(clients, seconds, async (client, sequence) => {
      const response = await fetch(`${base}/api/v1/api-keys`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
        body: JSON.stringify({ name: `bench ${client}-${sequence}`, roles: ['viewer'] }),
      });
      return response.status === 201;
    });
  printResult('POST /api/v1/api-keys (idempotent write)', write);
  await app.close();
  await database.drop();
  const label = kind === 'postgres' ? 'PostgreSQL' : 'PGlite';
  return [
    { label: `authenticated read on ${label}, ${clients} clients (req/s, p50 / p99)`, value: `${read.perSecond.toFixed(0)} (${read.p50Ms.toFixed(1)} / ${read.p99Ms.toFixed(1)} ms)` },
    { label: `idempotent write on ${label}, ${clients} clients (req/s, p50 / p99)`, value: `${write.perSecond.toFixed(0)} (${write.p50Ms.toFixed(1)} / ${write.p99Ms.toFixed(1)} ms)` },
  ];
}
