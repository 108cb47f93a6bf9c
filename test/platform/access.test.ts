import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessMatrix as matrix, publicRoutes, undocumentedRoutes } from '../support/access-matrix';
import { bearer, createTestTenant, startTestApp, type TestApp, type TestTenant } from '../support/app';

let t: TestApp;
let other: TestTenant;
beforeAll(async () => {
  t = await startTestApp();
  other = await createTestTenant(t.database.handle, 'other');
});
afterAll(async () => t.close());

describe('access by role', () => {
  it('covers every route of the OpenAPI document', async () => {
    const document = (await t.app.http.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    const documented = Object.entries(document.paths as Record<string, Record<string, unknown>>).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect([...documented, ...undocumentedRoutes].sort()).toEqual([...matrix.map((route) => `${route.method} ${route.url}`), ...publicRoutes].sort());
  });

  it('answers 401 without credentials and with a bad or revoked key', async () => {
    expect((await t.app.http.inject({ method: 'GET', url: '/api/v1/tenant' })).statusCode).toBe(401);
    expect((await t.app.http.inject({ method: 'GET', url: '/api/v1/tenant', headers: bearer('o2c_000000000000_nope') })).statusCode).toBe(401);
    expect((await t.app.http.inject({ method: 'GET', url: '/api/v1/tenant', headers: { authorization: 'Basic abc' } })).statusCode).toBe(401);
    const created = await t.app.http.inject({
      method: 'POST',
      url: '/api/v1/api-keys',
      payload: JSON.stringify({ name: 'short-lived', roles: ['viewer'] }),
      headers: { 'content-type': 'application/json', ...bearer(t.tenant.keys.admin) },
    });
    const { apiKey, secret } = created.json();
    expect((await t.app.http.inject({ method: 'GET', url: '/api/v1/tenant', headers: bearer(secret) })).statusCode).toBe(200);
    const revoked = await t.app.http.inject({ method: 'POST', url: `/api/v1/api-keys/${apiKey.id}/revoke`, headers: bearer(t.tenant.keys.admin) });
    expect(revoked.statusCode).toBe(200);
    expect((await t.app.http.inject({ method: 'GET', url: '/api/v1/tenant', headers: bearer(secret) })).statusCode).toBe(401);
    const tamperedSecret = `${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`;
    expect((await t.app.http.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(tamperedSecret) })).statusCode).toBe(401);
  });

  it('stores API keys and passwords only as hashes', async () => {
    const keys = await t.database.handle.db.selectFrom('api_keys').select(['prefix', 'secret_hash']).execute();
    for (const key of keys) expect(key.secret_hash).toMatch(/^[0-9a-f]{64}$/);
    const secrets = Object.values(t.tenant.keys).map((secret) => secret.split('_')[2]);
    for (const key of keys) expect(secrets).not.toContain(key.secret_hash);
    const users = await t.database.handle.db.selectFrom('users').select('password_hash').execute();
    for (const user of users) expect(user.password_hash).toMatch(/^\$argon2id\$/);
  });
});

describe('tenant isolation', () => {
  it('answers 404 for another tenant’s records, read or write', async () => {
    const theirUser = await t.database.handle.db.selectFrom('users').select(['id', 'version']).where('tenant_id', '=', other.id).executeTakeFirstOrThrow();
    const theirKey = await t.database.handle.db.selectFrom('api_keys').select('id').where('tenant_id', '=', other.id).executeTakeFirstOrThrow();
    const asMe = bearer(t.tenant.keys.admin);
    expect((await t.app.http.inject({ method: 'GET', url: `/api/v1/users/${theirUser.id}`, headers: asMe })).statusCode).toBe(404);
    const patch = await t.app.http.inject({
      method: 'PATCH',
      url: `/api/v1/users/${theirUser.id}`,
      payload: JSON.stringify({ version: theirUser.version, status: 'disabled' }),
      headers: { 'content-type': 'application/json', ...asMe },
    });
    expect(patch.statusCode).toBe(404);
    expect((await t.app.http.inject({ method: 'POST', url: `/api/v1/api-keys/${theirKey.id}/revoke`, headers: asMe })).statusCode).toBe(404);
    const stillActive = await t.database.handle.db.selectFrom('users').select('status').where('id', '=', theirUser.id).executeTakeFirstOrThrow();
    expect(stillActive.status).toBe('active');
  });

  it('lists only the caller’s own users, keys, audit events and profile', async () => {
    const asMe = bearer(t.tenant.keys.admin);
    const users = (await t.app.http.inject({ method: 'GET', url: '/api/v1/users?limit=200', headers: asMe })).json();
    expect(users.items.every((user: { email: string }) => user.email.endsWith('@acme.test'))).toBe(true);
    const keys = (await t.app.http.inject({ method: 'GET', url: '/api/v1/api-keys?limit=200', headers: asMe })).json();
    const theirKeyIds = (await t.database.handle.db.selectFrom('api_keys').select('id').where('tenant_id', '=', other.id).execute()).map((row) => row.id);
    expect(keys.items.filter((key: { id: string }) => theirKeyIds.includes(key.id))).toEqual([]);
    const audit = (await t.app.http.inject({ method: 'GET', url: '/api/v1/audit-events?limit=200', headers: asMe })).json();
    const theirUserIds = (await t.database.handle.db.selectFrom('users').select('id').where('tenant_id', '=', other.id).execute()).map((row) => row.id);
    expect(audit.items.filter((event: { entityId: string }) => theirUserIds.includes(event.entityId))).toEqual([]);
    expect((await t.app.http.inject({ method: 'GET', url: '/api/v1/tenant', headers: bearer(other.keys.viewer) })).json().slug).toBe('other');
  });

  it('takes the tenant from the credentials, never from the body', async () => {
    const response = await t.app.http.inject({
      method: 'POST',
      url: '/api/v1/users',
      payload: JSON.stringify({ email: 'x@y.example', displayName: 'X', password: 'long enough pw', roles: ['viewer'], tenantId: other.id }),
      headers: { 'content-type': 'application/json', ...bearer(t.tenant.keys.admin) },
    });
    expect(response.statusCode).toBe(400);
  });
});
