import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, startTestApp, type TestApp } from '../support/app';
import { loadDemoRecords } from '../support/demo-data';

/**
 * Bad input never answers 5xx: random bodies, path parameters, query strings and
 * Idempotency-Keys against every operation of the OpenAPI document; every refusal
 * is problem+json and writes nothing (no audit row, event, journal entry or order
 * appears); every answer passes the documented response schema (the server
 * checks its answers against it and would answer 500 otherwise). The number of
 * cases per operation comes from O2C_FUZZ_RUNS (default 25).
 */
const runs = Number(process.env.O2C_FUZZ_RUNS ?? '25');

let t: TestApp;
let operations: Array<{ method: string; path: string }>;
let realIds: string[] = [];
beforeAll(async () => {
  t = await startTestApp();
  await loadDemoRecords(t.database.handle, t.tenant.id);
  const db = t.database.handle.db;
  realIds = [
    ...(await db.selectFrom('customers').select('id').where('tenant_id', '=', t.tenant.id).limit(3).execute()).map((row) => row.id),
    ...(await db.selectFrom('items').select('id').where('tenant_id', '=', t.tenant.id).limit(3).execute()).map((row) => row.id),
    ...(await db.selectFrom('warehouses').select('id').where('tenant_id', '=', t.tenant.id).execute()).map((row) => row.id),
    ...(await db.selectFrom('price_lists').select('id').where('tenant_id', '=', t.tenant.id).limit(2).execute()).map((row) => row.id),
  ];
  const document = (await t.app.http.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
  operations = Object.entries(document.paths as Record<string, object>).flatMap(([path, byMethod]) =>
    Object.keys(byMethod).map((method) => ({ method: method.toUpperCase(), path })),
  );
});
afterAll(async () => t.close());

/** What a change leaves behind, as one comparable string. */
async function footprint(): Promise<string> {
  const row = await sql<{ audit: string; outbox: string; entries: string; orders: string }>`
    select (select count(*) from audit_events where tenant_id = ${t.tenant.id})::text as audit,
           (select count(*) from outbox_events where tenant_id = ${t.tenant.id})::text as outbox,
           (select count(*) from journal_entries where tenant_id = ${t.tenant.id})::text as entries,
           (select count(*) from sales_orders where tenant_id = ${t.tenant.id})::text as orders`.execute(t.database.handle.db);
  return JSON.stringify(row.rows[0]);
}

const pathValue = fc.oneof(fc.uuid(), fc.string({ maxLength: 40 }), fc.constant('00000000-0000-0000-0000-000000000000'), fc.constant('%00'), fc.constant('real'));
const decimalish = fc.oneof(
  fc.constantFrom('1', '0', '-1', '2.5', '1e3', '0.0000001', '99999999999999999999999', ' 1', '1,5', 'NaN', ''),
  fc.string({ maxLength: 12 }),
  fc.integer().map(String),
);
const body = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.dictionary(fc.constantFrom('email', 'name', 'roles', 'version', 'password', 'status', 'legalName', 'iban', 'displayName', 'x'), fc.jsonValue({ maxDepth: 2 })),
  fc.record({ name: fc.string({ maxLength: 3000 }), roles: fc.array(fc.string({ maxLength: 12 }), { maxLength: 5 }) }),
  fc.record({ version: fc.oneof(fc.integer(), fc.double(), fc.string()), legalName: fc.string() }),
  // Well-shaped bodies with hostile strings (NUL, lone surrogates, huge), so they get past the schema.
  fc.record({
    email: fc.emailAddress(),
    displayName: fc.string({ unit: 'binary', minLength: 1, maxLength: 200 }),
    password: fc.string({ unit: 'binary', minLength: 1, maxLength: 1000 }),
    roles: fc.constant(['viewer']),
  }),
  fc.record({ name: fc.string({ unit: 'binary', minLength: 1, maxLength: 100 }), roles: fc.constant(['viewer']) }),
  fc.record({ currentPassword: fc.string({ unit: 'binary', minLength: 1 }), newPassword: fc.string({ unit: 'binary', minLength: 1 }) }),
  fc.record({ version: fc.integer({ min: 1, max: 3 }), displayName: fc.string({ unit: 'binary', minLength: 1, maxLength: 200 }) }),
  // Order-shaped bodies with real customers and SKUs but hostile values.
  fc.record({
    customerId: fc.constantFrom('real', 'real', '00000000-0000-0000-0000-000000000000'),
    currency: fc.option(fc.constantFrom('EUR', 'USD', 'JPY', 'XXX', 'eur'), { nil: undefined }),
    orderDate: fc.option(fc.constantFrom('2026-02-30', '2026-01-01', '1900-01-01', '9999-12-31', 'today'), { nil: undefined }),
    orderDiscountPercent: fc.option(decimalish, { nil: undefined }),
    lines: fc.array(
      fc.record({
        sku: fc.constantFrom('BRG-6204-2RS', 'SVC-INSTALL', 'TRAIN-HYD', 'BRG-6204-ZZ', 'NOPE', ''),
        quantity: decimalish,
        discountPercent: fc.option(decimalish, { nil: undefined }),
        unitPrice: fc.option(decimalish, { nil: undefined }),
      }),
      { maxLength: 4 },
    ),
    charges: fc.option(fc.array(fc.record({ kind: fc.constantFrom('freight', 'other', 'tip'), amount: decimalish }), { maxLength: 2 }), { nil: undefined }),
  }),
  fc.record({ itemId: fc.constant('real'), warehouseId: fc.constant('real'), quantity: decimalish, countedQuantity: decimalish, reason: fc.string() }),
);
const query = fc.dictionary(fc.constantFrom('limit', 'cursor', 'status', 'role', 'q', 'from', 'to', 'includeRevoked', 'other'), fc.string({ maxLength: 30 }), { maxKeys: 3 });
const idempotencyKey = fc.option(fc.string({ minLength: 0, maxLength: 300 }), { nil: undefined });

describe('bad input', () => {
  it('never gets a 5xx answer, and every error is problem+json', async () => {
    expect(operations.length).toBeGreaterThan(10);
    for (const operation of operations) {
      await fc.assert(
        fc.asyncProperty(pathValue, body, query, idempotencyKey, fc.boolean(), fc.nat(), async (parameter, payload, search, key, rawText, seed) => {
          let picks = seed;
          const pick = () => realIds[picks++ % realIds.length]!;
          const url = `${operation.path.replace(/\{[^}]+\}/g, encodeURIComponent(parameter === 'real' ? pick() : parameter))}?${new URLSearchParams(search).toString()}`;
          const realised = JSON.parse(JSON.stringify(payload ?? null).replace(/"real"/g, () => JSON.stringify(pick())));
          const headers: Record<string, string> = { ...bearer(t.tenant.keys.admin) };
          if (key !== undefined && /^[\x20-\x7e]*$/.test(key)) headers['idempotency-key'] = key;
          const hasBody = operation.method !== 'GET';
          if (hasBody) headers['content-type'] = 'application/json';
          const before = operation.method === 'GET' ? '' : await footprint();
          const response = await t.app.http.inject({
            method: operation.method as 'GET',
            url,
            headers,
            ...(hasBody ? { payload: rawText ? JSON.stringify(realised).slice(0, -1) : JSON.stringify(realised) ?? 'null' } : {}),
          });
          expect({ operation: `${operation.method} ${operation.path}`, status: response.statusCode < 500 }).toEqual({
            operation: `${operation.method} ${operation.path}`,
            status: true,
          });
          if (response.statusCode >= 400) expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
          // A refused request writes nothing: every change leaves an audit row, an event or an entry.
          if (response.statusCode >= 400 && operation.method !== 'GET') expect({ operation: `${operation.method} ${operation.path}`, footprint: await footprint() }).toEqual({ operation: `${operation.method} ${operation.path}`, footprint: before });
        }),
        { numRuns: runs },
      );
    }
  });
});
