import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestTenant, startTestApp, type TestApp } from '../support/app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());

function createKey(key: string | undefined, body: unknown, apiKey = t.tenant.keys.admin) {
  return t.app.http.inject({
    method: 'POST',
    url: '/api/v1/api-keys',
    payload: JSON.stringify(body),
    headers: { 'content-type': 'application/json', ...bearer(apiKey), ...(key === undefined ? {} : { 'idempotency-key': key }) },
  });
}

const countKeysNamed = async (name: string) =>
  (await t.database.handle.db.selectFrom('api_keys').select('id').where('name', '=', name).execute()).length;

describe('Idempotency-Key', () => {
  it('has its effect once and answers a repeat with the stored answer', async () => {
    const first = await createKey('key-once', { name: 'once', roles: ['sales'] });
    const second = await createKey('key-once', { roles: ['sales'], name: 'once' });
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(second.json()).toEqual(first.json());
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect(await countKeysNamed('once')).toBe(1);
  });

  it('refuses the same key with a different body', async () => {
    await createKey('key-reused', { name: 'reused', roles: ['sales'] });
    const other = await createKey('key-reused', { name: 'reused', roles: ['billing'] });
    expect(other.statusCode).toBe(422);
    expect(other.json().code).toBe('O2C_IDEMPOTENCY_KEY_REUSED');
    expect(await countKeysNamed('reused')).toBe(1);
  });

  it('runs two concurrent requests with one key once, and both get the same answer', async () => {
    const [a, b] = await Promise.all([
      createKey('key-race', { name: 'race', roles: ['sales'] }),
      createKey('key-race', { name: 'race', roles: ['sales'] }),
    ]);
    expect([a.statusCode, b.statusCode]).toEqual([201, 201]);
    expect(a.json()).toEqual(b.json());
    expect([a.headers['idempotent-replayed'], b.headers['idempotent-replayed']].filter(Boolean)).toEqual(['true']);
    expect(await countKeysNamed('race')).toBe(1);
  });

  it('runs eight concurrent requests with one key once', async () => {
    const answers = await Promise.all(Array.from({ length: 8 }, () => createKey('key-race-8', { name: 'race8', roles: ['sales'] })));
    expect(new Set(answers.map((answer) => answer.body)).size).toBe(1);
    expect(await countKeysNamed('race8')).toBe(1);
  });

  it('does not store a server error: a retry with the same key runs afresh', async () => {
    // Make the database fail the insert the way a crash or bug would.
    await sql`create or replace function o2c_test_fail() returns trigger language plpgsql as $$ begin raise exception 'simulated outage'; end $$`.execute(
      t.database.handle.db,
    );
    await sql`create trigger o2c_test_fail before insert on api_keys for each row execute function o2c_test_fail()`.execute(t.database.handle.db);
    const failed = await createKey('key-retry', { name: 'retry', roles: ['sales'] });
    expect(failed.statusCode).toBe(500);
    expect(failed.json().code).toBe('O2C_INTERNAL');
    await sql`drop trigger o2c_test_fail on api_keys`.execute(t.database.handle.db);
    const retried = await createKey('key-retry', { name: 'retry', roles: ['sales'] });
    expect(retried.statusCode).toBe(201);
    expect(retried.headers['idempotent-replayed']).toBeUndefined();
    expect(await countKeysNamed('retry')).toBe(1);
  });

  it('stores a business refusal and replays it', async () => {
    const body = { email: t.tenant.adminEmail, displayName: 'Duplicate', password: 'long enough password', roles: ['viewer'] };
    const send = () =>
      t.app.http.inject({
        method: 'POST',
        url: '/api/v1/users',
        payload: JSON.stringify(body),
        headers: { 'content-type': 'application/json', 'idempotency-key': 'key-refused', ...bearer(t.tenant.keys.admin) },
      });
    const first = await send();
    const second = await send();
    expect(first.statusCode).toBe(409);
    expect(second.statusCode).toBe(409);
    expect(second.json()).toMatchObject({ code: 'O2C_ALREADY_EXISTS', detail: first.json().detail, replayed: true });
  });

  it('keeps keys apart per tenant', async () => {
    const other = await createTestTenant(t.database.handle, 'idem-other');
    const mine = await createKey('shared-key', { name: 'tenant-a', roles: ['sales'] });
    const theirs = await createKey('shared-key', { name: 'tenant-b', roles: ['sales'] }, other.keys.admin);
    expect([mine.statusCode, theirs.statusCode]).toEqual([201, 201]);
    expect(theirs.json().apiKey.name).toBe('tenant-b');
  });

  it('refuses a key that is too long or has control characters', async () => {
    const response = await createKey('x'.repeat(256), { name: 'long', roles: ['sales'] });
    expect(response.statusCode).toBe(400);
    expect(await countKeysNamed('long')).toBe(0);
  });

  it('records the key in the same transaction as the effect', async () => {
    await createKey('key-recorded', { name: 'recorded', roles: ['sales'] });
    const row = await t.database.handle.db
      .selectFrom('idempotency_keys')
      .select(['method', 'path', 'response_status'])
      .where('tenant_id', '=', t.tenant.id)
      .where('key', '=', 'key-recorded')
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ method: 'POST', path: '/api/v1/api-keys', response_status: 201 });
  });
});
