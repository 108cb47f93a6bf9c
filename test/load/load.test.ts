import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMix, type Send } from '../../bench/load-mix';
import { loadSkus, prepareLoadTenant } from '../../bench/load-setup';
import { missingWrites } from '../../bench/load-verify';
import { checkInvariants } from '../../src/check';
import { bearer, startTestApp, type TestApp } from '../support/app';
import { loadDemoRecords } from '../support/demo-data';

/**
 * A short run of the seeded load mix against the whole service (in process): many
 * clients racing through orders, holds, shipments, invoices, credit notes,
 * payments, undos, refunds and write-offs; then every acknowledged write must be
 * in the database and every invariant must hold. `O2C_LOAD_SECONDS` makes it
 * longer, `O2C_LOAD_SEED` repeats a run.
 */
let t: TestApp;
const seed = Number(process.env.O2C_LOAD_SEED ?? 20261202);
const seconds = Number(process.env.O2C_LOAD_SECONDS ?? 12);

beforeAll(async () => {
  t = await startTestApp();
  await loadDemoRecords(t.database.handle, t.tenant.id);
}, 120_000);
afterAll(async () => t.close());

/** Sends in process; every fifth write first "loses" its answer (the effect happens, the client retries with the same key). */
function sender(): Send {
  let writes = 0;
  return async (request) => {
    const inject = () =>
      t.app.http.inject({
        method: request.method,
        url: `/api/v1${request.path}`,
        headers: { ...bearer(request.key), ...(request.body === undefined ? {} : { 'content-type': 'application/json' }), ...(request.idempotencyKey === undefined ? {} : { 'idempotency-key': request.idempotencyKey }) },
        ...(request.body === undefined ? {} : { payload: JSON.stringify(request.body) }),
      });
    if (request.idempotencyKey !== undefined && ++writes % 5 === 0) {
      await inject();
      throw new Error('the answer was lost on the way');
    }
    const response = await inject();
    return { status: response.statusCode, body: response.body === '' ? null : (JSON.parse(response.body) as unknown) };
  };
}

describe('the seeded load mix', () => {
  it(`keeps every acknowledged write and every invariant (seed ${seed})`, async () => {
    const send = sender();
    const { customers } = await prepareLoadTenant(t.database.handle.db, t.tenant.id, send, t.tenant.keys);
    const result = await runMix({ send, keys: t.tenant.keys, seed, clients: 4, seconds, customers, skus: loadSkus, retryPauseMs: 10 });
    expect(result.errors).toEqual([]);
    expect(result.unanswered).toBe(0);
    for (const kind of ['order', 'submit', 'shipment', 'issue', 'payment']) expect(result.counts[kind] ?? 0, `${kind} in ${JSON.stringify(result.counts)}`).toBeGreaterThan(0);
    expect(await missingWrites(t.database.handle.db, t.tenant.id, result.acknowledged)).toEqual([]);
    // Retried writes had their effect once: one order per acknowledged order key.
    const orderKeys = result.acknowledged.filter((write) => write.kind === 'order');
    expect(new Set(orderKeys.map((write) => write.id)).size).toBe(orderKeys.length);
    expect(await checkInvariants(t.database.handle.db, t.tenant.id)).toEqual([]);
  }, 240_000);
});
