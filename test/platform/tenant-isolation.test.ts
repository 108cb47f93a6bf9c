import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo } from '../../src/demo/demo';
import { systemContext } from '../../src/platform/auth/actor';
import { createApiKey } from '../../src/platform/auth/api-keys';
import { roles } from '../../src/platform/auth/roles';
import { inTransaction } from '../../src/platform/db/database';
import { bearer, startTestApp, type TestApp } from '../support/app';

/**
 * Another tenant's records are never found: every route of the OpenAPI document
 * that takes an id is called, with a key holding every role of this tenant, with
 * the id of one record of every table of another tenant (the whole demo company:
 * orders, shipments, invoices, payments, reviews, entries …). Everything answers
 * 404 O2C_NOT_FOUND, except a write whose empty body (or a second path parameter)
 * is refused first with 400 O2C_VALIDATION_FAILED; nothing is written.
 */
let t: TestApp;
let allRoles: string;
let foreign: Array<{ table: string; id: string }>;
let routes: Array<{ method: string; path: string }>;

beforeAll(async () => {
  t = await startTestApp();
  const db = t.database.handle.db;
  const { tenantId: demoTenant } = await loadDemo(db);
  allRoles = (await inTransaction(db, (tx) => createApiKey(tx, systemContext(t.tenant.id, 'test'), { name: 'every role', roles: [...roles] }))).secret;
  const tables = await sql<{ table_name: string }>`
    select c.table_name from information_schema.columns c
     where c.table_schema = 'public' and c.column_name = 'id' and c.data_type = 'uuid'
       and exists (select 1 from information_schema.columns t where t.table_schema = 'public' and t.table_name = c.table_name and t.column_name = 'tenant_id')
     order by c.table_name`.execute(db);
  foreign = [];
  for (const { table_name: table } of tables.rows) {
    const row = await sql<{ id: string }>`select id::text as id from ${sql.table(table)} where tenant_id = ${demoTenant} order by id limit 1`.execute(db);
    if (row.rows[0] !== undefined) foreign.push({ table, id: row.rows[0].id });
  }
  const document = (await t.app.http.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
  routes = Object.entries(document.paths as Record<string, Record<string, unknown>>).flatMap(([path, operations]) =>
    path.includes('{id}') ? Object.keys(operations).map((method) => ({ method: method.toUpperCase(), path })) : [],
  );
}, 300_000);
afterAll(async () => t.close());

async function writes(): Promise<string> {
  const row = await sql<{ audit: string; outbox: string }>`
    select (select count(*) from audit_events where tenant_id = ${t.tenant.id})::text as audit,
           (select count(*) from outbox_events where tenant_id = ${t.tenant.id})::text as outbox`.execute(t.database.handle.db);
  return JSON.stringify(row.rows[0]);
}

describe('tenant isolation', () => {
  it('finds another tenant’s records through no route, by no role', async () => {
    expect(foreign.length, foreign.map((entry) => entry.table).join(', ')).toBeGreaterThan(25);
    expect(routes.length).toBeGreaterThan(40);
    const before = await writes();
    const leaks: string[] = [];
    for (const route of routes) {
      for (const { table, id } of foreign) {
        const call = (query = '') =>
          t.app.http.inject({
            method: route.method as 'GET',
            url: `${route.path.replace(/\{[^}]+\}/g, id)}${query}`,
            headers: { ...bearer(allRoles), ...(route.method === 'GET' ? {} : { 'content-type': 'application/json' }) },
            ...(route.method === 'GET' ? {} : { payload: '{}' }),
          });
        let response = await call();
        // A read that needs a period (a statement) gets one, so that it reaches the lookup.
        if (route.method === 'GET' && response.statusCode === 400) response = await call('?from=2026-01-01&to=2026-12-31');
        // A write's empty body, or a second path parameter (a document kind, a line), may be refused before any lookup;
        // nothing else than not found.
        const code = response.headers['content-type']?.toString().includes('json') ? (JSON.parse(response.body) as { code?: string }).code : undefined;
        const refusedFirst = (route.method !== 'GET' || route.path.split('{').length > 2) && response.statusCode === 400 && code === 'O2C_VALIDATION_FAILED';
        if (!(response.statusCode === 404 && code === 'O2C_NOT_FOUND') && !refusedFirst) leaks.push(`${route.method} ${route.path} with ${table} ${id}: ${response.statusCode} ${response.body.slice(0, 120)}`);
      }
    }
    expect(leaks).toEqual([]);
    expect(await writes()).toBe(before);
  }, 600_000);
});
