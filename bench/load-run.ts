import { checkInvariants, formatViolation } from '../src/check';
import { bearer, createTestTenant } from '../test/support/app';
import { createTestDatabase } from '../test/support/database';
import { loadDemoRecords } from '../test/support/demo-data';
import { option, startServer } from './http-load';
import { runMix, type Send } from './load-mix';
import { loadSkus, prepareLoadTenant } from './load-setup';
import { missingWrites } from './load-verify';

/** The load run itself (see load.ts); answers the exit status. */
export async function run(args: string[]): Promise<number> {
  const seed = option(args, 'seed', Math.floor(Math.random() * 2 ** 31));
  const clients = option(args, 'clients', 4);
  const minutes = option(args, 'minutes', 1);
  const port = option(args, 'port', 3961);
  process.stdout.write(`o2c load: seed ${seed}, ${clients} clients, ${minutes} min (repeat with --seed ${seed})\n`);

  const database = await createTestDatabase();
  const db = database.handle.db;
  const tenant = await createTestTenant(database.handle, 'load');
  await loadDemoRecords(database.handle, tenant.id);
  let server: { stop(): Promise<void> } | undefined;
  let status = 0;
  try {
    server = await startServer({ DATABASE_URL: database.connectionString, O2C_DB_POOL_SIZE: String(clients + 4) }, port);
    const send: Send = async (request) => {
      const response = await fetch(`http://127.0.0.1:${port}/api/v1${request.path}`, {
        method: request.method,
        headers: { ...bearer(request.key), ...(request.body === undefined ? {} : { 'content-type': 'application/json' }), ...(request.idempotencyKey === undefined ? {} : { 'idempotency-key': request.idempotencyKey }) },
        ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
      });
      const text = await response.text();
      return { status: response.status, body: text === '' ? null : (JSON.parse(text) as unknown) };
    };
    const { customers } = await prepareLoadTenant(db, tenant.id, send, tenant.keys);
    const result = await runMix({ send, keys: tenant.keys, seed, clients, seconds: minutes * 60, customers, skus: loadSkus });
    const missing = await missingWrites(db, tenant.id, result.acknowledged);
    const violations = await checkInvariants(db, tenant.id);
    process.stdout.write(`acknowledged writes: ${result.acknowledged.length} (${Object.entries(result.counts).map(([kind, count]) => `${kind} ${count}`).join(', ')})\n`);
    process.stdout.write(`refused by the business (races): ${Object.entries(result.refusals).map(([kind, count]) => `${kind} ${count}`).join(', ') || 'none'}\n`);
    process.stdout.write(`unanswered: ${result.unanswered}; 5xx after retries: ${result.errors.length}; lost writes: ${missing.length}; invariant violations: ${violations.length}\n`);
    for (const error of result.errors.slice(0, 5)) process.stdout.write(`  ${error}\n`);
    for (const write of missing.slice(0, 20)) process.stdout.write(`  lost: ${write.kind} ${write.id} (key ${write.idempotencyKey})\n`);
    for (const violation of violations) process.stdout.write(`${formatViolation(violation)}\n`);
    if (missing.length > 0 || violations.length > 0 || result.errors.length > 0) status = 1;
  } finally {
    await server?.stop();
    await database.drop();
  }
  return status;
}
