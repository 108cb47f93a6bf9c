import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, startTestApp, type TestApp } from '../support/app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());

const problemType = /^application\/problem\+json/;

function json(body: unknown): { payload: string; headers: Record<string, string> } {
  return { payload: JSON.stringify(body), headers: { 'content-type': 'application/json' } };
}

describe('HTTP conventions', () => {
  it('answers malformed JSON with a 400 problem', async () => {
    const response = await t.app.http.inject({
      method: 'POST',
      url: '/api/v1/users',
      payload: '{"email": "a@b.example", ',
      headers: { 'content-type': 'application/json', ...bearer(t.tenant.keys.admin) },
    });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(problemType);
    expect(response.json()).toMatchObject({ status: 400, code: 'O2C_MALFORMED_JSON', type: 'urn:o2c:problem:o2c_malformed_json' });
  });

  it('refuses a number sent as a string instead of coercing it', async () => {
    const tenant = (await t.app.http.inject({ method: 'GET', url: '/api/v1/tenant', headers: bearer(t.tenant.keys.admin) })).json();
    const { id: _id, slug: _slug, updatedAt: _updatedAt, ...profile } = tenant;
    const response = await t.app.http.inject({
      method: 'PUT',
      url: '/api/v1/tenant',
      ...json({ ...profile, version: String(tenant.version) }),
      headers: { 'content-type': 'application/json', ...bearer(t.tenant.keys.admin) },
    });
    expect(response.statusCode).toBe(400);
    const problem = response.json();
    expect(problem.code).toBe('O2C_VALIDATION_FAILED');
    expect(problem.errors).toEqual([{ path: 'body.version', message: expect.stringMatching(/number/) }]);
  });

  it('refuses unknown fields instead of dropping them, naming the field', async () => {
    const response = await t.app.http.inject({
      method: 'POST',
      url: '/api/v1/api-keys',
      payload: JSON.stringify({ name: 'x', roles: ['sales'], tenantId: 'someone-else' }),
      headers: { 'content-type': 'application/json', ...bearer(t.tenant.keys.admin) },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual([{ path: 'body', message: expect.stringMatching(/tenantId/) }]);
    const keys = await t.database.handle.db.selectFrom('api_keys').select('name').where('name', '=', 'x').execute();
    expect(keys).toEqual([]);
  });

  it('refuses wrong types, missing fields and bad enum values with a path for each', async () => {
    const response = await t.app.http.inject({
      method: 'POST',
      url: '/api/v1/users',
      payload: JSON.stringify({ email: 42, displayName: 'N', roles: ['emperor'] }),
      headers: { 'content-type': 'application/json', ...bearer(t.tenant.keys.admin) },
    });
    expect(response.statusCode).toBe(400);
    const paths = (response.json().errors as Array<{ path: string }>).map((issue) => issue.path).sort();
    expect(paths).toEqual(['body.email', 'body.password', 'body.roles.0']);
  });

  it('refuses a NUL character (which PostgreSQL text cannot hold) with 400 and its path', async () => {
    const response = await t.app.http.inject({
      method: 'POST',
      url: '/api/v1/users',
      payload: JSON.stringify({ email: 'nul@acme.test', displayName: 'a\u0000b', password: 'a long password', roles: ['viewer'] }),
      headers: { 'content-type': 'application/json', ...bearer(t.tenant.keys.admin) },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual([{ path: 'body.displayName', message: 'must not contain the NUL character (U+0000)' }]);
  });

  it('answers an oversized body with 413 problem+json before reading it', async () => {
    const response = await t.app.http.inject({
      method: 'POST',
      url: '/api/v1/api-keys',
      payload: JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024), roles: ['sales'] }),
      headers: { 'content-type': 'application/json', ...bearer(t.tenant.keys.admin) },
    });
    expect(response.statusCode).toBe(413);
    expect(response.headers['content-type']).toMatch(problemType);
    expect(response.json().code).toBe('O2C_BODY_TOO_LARGE');
  });

  it('answers a body that is not JSON with 415', async () => {
    const response = await t.app.http.inject({
      method: 'POST',
      url: '/api/v1/api-keys',
      payload: 'name=x&roles=sales',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...bearer(t.tenant.keys.admin) },
    });
    expect(response.statusCode).toBe(415);
    expect(response.json().code).toBe('O2C_UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers unknown routes with a 404 problem, with or without credentials', async () => {
    for (const headers of [{}, bearer(t.tenant.keys.admin)]) {
      const response = await t.app.http.inject({ method: 'GET', url: '/api/v1/nothing-here', headers });
      expect(response.statusCode).toBe(404);
      expect(response.headers['content-type']).toMatch(problemType);
      expect(response.json()).toMatchObject({ code: 'O2C_ROUTE_NOT_FOUND', status: 404 });
    }
    const wrongMethod = await t.app.http.inject({ method: 'DELETE', url: '/api/v1/tenant', headers: bearer(t.tenant.keys.admin) });
    expect(wrongMethod.statusCode).toBe(404);
  });

  it('answers a malformed id in the path with 400, not 500', async () => {
    const response = await t.app.http.inject({ method: 'GET', url: '/api/v1/users/not-a-uuid', headers: bearer(t.tenant.keys.admin) });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors[0].path).toBe('params.id');
  });

  it('refuses a bad cursor and a bad limit with 400', async () => {
    const badCursor = await t.app.http.inject({ method: 'GET', url: '/api/v1/users?cursor=zzz', headers: bearer(t.tenant.keys.admin) });
    expect(badCursor.statusCode).toBe(400);
    expect(badCursor.json().errors[0].path).toBe('query.cursor');
    const badLimit = await t.app.http.inject({ method: 'GET', url: '/api/v1/users?limit=0', headers: bearer(t.tenant.keys.admin) });
    expect(badLimit.statusCode).toBe(400);
  });

  it('pages through a list with a cursor until nextCursor is null', async () => {
    for (let index = 0; index < 5; index += 1) {
      await t.app.http.inject({
        method: 'POST',
        url: '/api/v1/api-keys',
        ...json({ name: `paging ${index}`, roles: ['viewer'] }),
        headers: { 'content-type': 'application/json', ...bearer(t.tenant.keys.admin) },
      });
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const url: string = `/api/v1/api-keys?limit=4${cursor === null ? '' : `&cursor=${cursor}`}`;
      const page = (await t.app.http.inject({ method: 'GET', url, headers: bearer(t.tenant.keys.admin) })).json();
      seen.push(...page.items.map((item: { id: string }) => item.id));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor !== null && pages < 20);
    const total = await t.database.handle.db.selectFrom('api_keys').select('id').where('tenant_id', '=', t.tenant.id).where('revoked_at', 'is', null).execute();
    expect(seen).toHaveLength(total.length);
    expect(new Set(seen).size).toBe(total.length);
    expect(pages).toBe(Math.ceil(total.length / 4) + (total.length % 4 === 0 ? 1 : 0));
  });

  it('echoes a request id and accepts a caller-supplied one', async () => {
    const response = await t.app.http.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': 'trace-123' } });
    expect(response.headers['x-request-id']).toBe('trace-123');
  });

  it('serves health, readiness and metrics', async () => {
    expect((await t.app.http.inject({ method: 'GET', url: '/health' })).json()).toEqual({ status: 'ok' });
    expect((await t.app.http.inject({ method: 'GET', url: '/ready' })).json()).toEqual({ status: 'ready' });
    expect((await t.app.http.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
    const metrics = await t.app.http.inject({ method: 'GET', url: '/metrics', headers: bearer(t.tenant.keys.controller) });
    expect(metrics.statusCode).toBe(200);
    expect(metrics.body).toMatch(/o2c_http_request_duration_seconds_bucket\{.*route="\/ready"/);
  });

  it('serves the UI shell for client-side routes and never a file outside the web root', async () => {
    const home = await t.app.http.inject({ method: 'GET', url: '/', headers: { accept: 'text/html' } });
    expect(home.statusCode).toBe(200);
    expect(home.headers['content-type']).toMatch(/text\/html/);
    const deepLink = await t.app.http.inject({ method: 'GET', url: '/settings/company', headers: { accept: 'text/html' } });
    expect(deepLink.statusCode).toBe(200);
    expect(deepLink.body).toBe(home.body);
    for (const url of ['/assets/..%2f..%2fpackage.json', '/assets/../../package.json', '/..%2fpackage.json']) {
      const response = await t.app.http.inject({ method: 'GET', url });
      expect(response.body).not.toContain('"name": "o2c"');
      expect(response.statusCode).toBe(404);
    }
  });
});
