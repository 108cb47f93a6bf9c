import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/platform/config';
import { housekeepingJob } from '../../src/platform/jobs/housekeeping';
import { Worker, type JobDefinition } from '../../src/platform/jobs/worker';
import { createLogger } from '../../src/platform/logger';
import { emitEvent, relayOutbox, type EventSubscriber, type PublishedEvent } from '../../src/platform/outbox/outbox';
import { createTestTenant, type TestTenant } from '../support/app';
import { createTestDatabase, type TestDatabase } from '../support/database';

let database: TestDatabase;
let tenant: TestTenant;
beforeAll(async () => {
  database = await createTestDatabase();
  tenant = await createTestTenant(database.handle, 'jobs');
});
afterAll(async () => database.drop());

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('outbox', () => {
  it('is written with the change and rolled back with it', async () => {
    await database.handle.db.transaction().execute((tx) => emitEvent(tx, tenant.id, { type: 'test.kept', aggregateType: 'test', aggregateId: '1', payload: { amountMinor: 12345n } }));
    await database.handle.db
      .transaction()
      .execute(async (tx) => {
        await emitEvent(tx, tenant.id, { type: 'test.lost', aggregateType: 'test', aggregateId: '2', payload: {} });
        throw new Error('abort');
      })
      .catch(() => undefined);
    const types = (await database.handle.db.selectFrom('outbox_events').select(['event_type', 'payload']).where('tenant_id', '=', tenant.id).execute());
    expect(types).toEqual([{ event_type: 'test.kept', payload: { amountMinor: '12345' } }]);
  });

  it('delivers each event once across concurrent relays and retries a failing subscriber', async () => {
    for (let index = 0; index < 30; index += 1) {
      await emitEvent(database.handle.db, tenant.id, { type: 'test.counted', aggregateType: 'test', aggregateId: String(index), payload: { index } });
    }
    await emitEvent(database.handle.db, tenant.id, { type: 'test.flaky', aggregateType: 'test', aggregateId: 'f', payload: {} });
    const delivered: string[] = [];
    let flakyCalls = 0;
    const subscribers = new Map<string, EventSubscriber[]>([
      ['test.counted', [async (event: PublishedEvent) => void delivered.push(event.aggregateId)]],
      ['test.flaky', [async () => { flakyCalls += 1; if (flakyCalls === 1) throw new Error('downstream unavailable'); }]],
    ]);
    await Promise.all([relayOutbox(database.handle.db, subscribers, 10), relayOutbox(database.handle.db, subscribers, 10), relayOutbox(database.handle.db, subscribers, 10)]);
    for (let pass = 0; pass < 5; pass += 1) await relayOutbox(database.handle.db, subscribers, 10);
    expect(delivered.sort((a, b) => Number(a) - Number(b))).toEqual(Array.from({ length: 30 }, (_, index) => String(index)));
    const after = await database.handle.db.selectFrom('outbox_events').select(['published_at', 'attempts', 'last_error']).where('event_type', '=', 'test.flaky').executeTakeFirstOrThrow();
    expect(after.published_at).not.toBeNull();
    expect(after.attempts).toBe(2);
    expect(after.last_error).toBe('downstream unavailable');
    expect(flakyCalls).toBe(2);
  });
});

describe('job queue and worker', () => {
  it('runs a queued job on the worker (housekeeping removes what has expired)', async () => {
    const old = new Date(Date.now() - 72 * 3_600_000);
    await database.handle.db.insertInto('idempotency_keys').values({ tenant_id: tenant.id, key: 'stale', method: 'POST', path: '/x', request_hash: 'h', response_status: 200, response_body: '{}', created_at: old }).execute();
    await database.handle.db.insertInto('idempotency_keys').values({ tenant_id: tenant.id, key: 'fresh', method: 'POST', path: '/x', request_hash: 'h', response_status: 200, response_body: '{}' }).execute();
    const ran: string[] = [];
    const probe: JobDefinition = { name: 'test.probe', handler: async (data) => void ran.push(String(data.word)) };
    const worker = new Worker({
      config: loadConfig({ O2C_DATA_DIR: 'memory://' }),
      handle: database.handle,
      connectionString: database.connectionString,
      logger: createLogger('silent'),
      jobs: [housekeepingJob, probe],
      subscribers: new Map(),
    });
    await worker.start();
    try {
      await worker.send('test.probe', { word: 'hello' });
      await worker.send(housekeepingJob.name);
      await waitFor(async () => ran.includes('hello'));
      await waitFor(async () => (await database.handle.db.selectFrom('idempotency_keys').select('key').where('key', '=', 'stale').execute()).length === 0);
      const fresh = await database.handle.db.selectFrom('idempotency_keys').select('key').where('key', '=', 'fresh').execute();
      expect(fresh).toHaveLength(1);
    } finally {
      await worker.stop();
    }
  });
});
