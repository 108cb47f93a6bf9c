import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roles } from '../../src/platform/auth/roles';
import { systemContext } from '../../src/platform/auth/actor';
import { createApiKey } from '../../src/platform/auth/api-keys';
import { inTransaction } from '../../src/platform/db/database';
import { bearer, createTestTenant, startTestApp, type TestApp } from '../support/app';
import { loadDemoRecords } from '../support/demo-data';

/**
 * Requests derived from the OpenAPI document itself: for every operation with a
 * JSON body, a body shaped by its own request schema (real ids of this tenant
 * where a uuid is asked for), then mutated one field at a time — the wrong type, a
 * missing required field, an extra field, a huge string, a huge or negative or
 * fractional number, an impossible date, an unknown currency, another tenant's id.
 * No answer is a 5xx, every refusal is problem+json and writes nothing. Cases per
 * operation: O2C_SCHEMA_FUZZ_RUNS (default 12).
 */
const runs = Number(process.env.O2C_SCHEMA_FUZZ_RUNS ?? '12');

type Schema = { type?: string | string[]; format?: string; enum?: unknown[]; properties?: Record<string, Schema>; required?: string[]; items?: Schema; anyOf?: Schema[]; oneOf?: Schema[]; $ref?: string; minimum?: number; pattern?: string; const?: unknown };

let t: TestApp;
let everyRole: string;
let ownIds: string[];
let foreignIds: string[];
let operations: Array<{ method: string; path: string; schema: Schema }>;
let components: Record<string, Schema>;

beforeAll(async () => {
  t = await startTestApp();
  await loadDemoRecords(t.database.handle, t.tenant.id);
  const other = await createTestTenant(t.database.handle, 'fuzz-other');
  await loadDemoRecords(t.database.handle, other.id);
  const db = t.database.handle.db;
  everyRole = (await inTransaction(db, (tx) => createApiKey(tx, systemContext(t.tenant.id, 'test'), { name: 'every role', roles: [...roles] }))).secret;
  const idsOf = async (tenantId: string) =>
    (
      await sql<{ id: string }>`
        select id::text as id from customers where tenant_id = ${tenantId}
        union all select id::text from items where tenant_id = ${tenantId}
        union all select id::text from warehouses where tenant_id = ${tenantId}
        union all select id::text from price_lists where tenant_id = ${tenantId}`.execute(db)
    ).rows.map((row) => row.id);
  ownIds = await idsOf(t.tenant.id);
  foreignIds = await idsOf(other.id);
  const document = (await t.app.http.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
  components = (document.components?.schemas ?? {}) as Record<string, Schema>;
  operations = Object.entries(document.paths as Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: Schema }> } }>>).flatMap(([path, byMethod]) =>
    Object.entries(byMethod).flatMap(([method, operation]) => {
      const schema = operation.requestBody?.content?.['application/json']?.schema;
      return schema === undefined ? [] : [{ method: method.toUpperCase(), path, schema }];
    }),
  );
}, 180_000);
afterAll(async () => t.close());

function resolve(schema: Schema): Schema {
  if (schema.$ref !== undefined) return resolve(components[schema.$ref.split('/').at(-1)!] ?? {});
  const choice = schema.anyOf ?? schema.oneOf;
  if (choice !== undefined) return resolve(choice.find((option) => option.type !== 'null') ?? choice[0]!);
  return schema;
}

/** A value the schema would accept, as far as its shape goes (business rules may still refuse it). */
function example(input: Schema, pick: () => string, depth = 0): unknown {
  const schema = resolve(input);
  if (schema.const !== undefined) return schema.const;
  if (schema.enum !== undefined) return schema.enum[0];
  const type = Array.isArray(schema.type) ? schema.type.find((entry) => entry !== 'null') : schema.type;
  switch (type) {
    case 'object': {
      const result: Record<string, unknown> = {};
      for (const [name, property] of Object.entries(schema.properties ?? {})) if (depth < 4 && (schema.required ?? []).includes(name)) result[name] = example(property, pick, depth + 1);
      return result;
    }
    case 'array':
      return depth < 4 && schema.items !== undefined ? [example(schema.items, pick, depth + 1)] : [];
    case 'integer':
    case 'number':
      return schema.minimum !== undefined ? Math.max(1, schema.minimum) : 1;
    case 'boolean':
      return true;
    case 'string':
      if (schema.format === 'uuid') return pick();
      if (schema.format === 'email') return 'fuzz@example.com';
      if (schema.pattern?.includes('[A-Z]{3}') === true) return 'EUR';
      if (schema.pattern?.includes('\\d') === true) return '1';
      return 'fuzz';
    default:
      return null;
  }
}

const hostile = fc.oneof(
  fc.constant(null),
  fc.constant(1e21),
  fc.constant(-1),
  fc.constant(0.5),
  fc.constant('x'.repeat(100_000)),
  fc.constant('2026-02-30'),
  fc.constant('XXX'),
  fc.constant('-0.001'),
  fc.constant('99999999999999999999999.99'),
  fc.constant([]),
  fc.constant({}),
  fc.constant(true),
  fc.constant('foreign'),
  fc.string({ unit: 'binary', maxLength: 50 }),
);

/** The top-level and first-level fields a mutation may touch. */
function paths(value: unknown): string[][] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [];
  return Object.entries(value).flatMap(([key, inner]) => [[key], ...(inner !== null && typeof inner === 'object' && !Array.isArray(inner) ? Object.keys(inner).map((innerKey) => [key, innerKey]) : [])]);
}

function mutate(body: unknown, mutation: 'replace' | 'drop' | 'extra', path: string[] | undefined, value: unknown): unknown {
  const copy = structuredClone(body) as Record<string, unknown>;
  if (copy === null || typeof copy !== 'object') return value;
  if (mutation === 'extra' || path === undefined) return { ...copy, unexpectedField: value };
  let holder = copy;
  for (const key of path.slice(0, -1)) holder = holder[key] as Record<string, unknown>;
  if (mutation === 'drop') delete holder[path.at(-1)!];
  else holder[path.at(-1)!] = value;
  return copy;
}

async function footprint(): Promise<string> {
  const row = await sql<{ audit: string; outbox: string; entries: string }>`
    select (select count(*) from audit_events where tenant_id = ${t.tenant.id})::text as audit,
           (select count(*) from outbox_events where tenant_id = ${t.tenant.id})::text as outbox,
           (select count(*) from journal_entries where tenant_id = ${t.tenant.id})::text as entries`.execute(t.database.handle.db);
  return JSON.stringify(row.rows[0]);
}

describe('requests derived from the OpenAPI document', () => {
  it('never get a 5xx, and every refusal is problem+json and writes nothing', async () => {
    expect(operations.length).toBeGreaterThan(40);
    for (const operation of operations) {
      await fc.assert(
        fc.asyncProperty(fc.constantFrom('replace' as const, 'drop' as const, 'extra' as const), fc.nat(), hostile, fc.nat(), async (mutation, which, value, seed) => {
          let picks = seed;
          const pick = () => ownIds[picks++ % ownIds.length]!;
          const valid = example(operation.schema, pick);
          const fields = paths(valid);
          const realised = value === 'foreign' ? foreignIds[seed % foreignIds.length] : value;
          const body = mutate(valid, mutation, fields.length === 0 ? undefined : fields[which % fields.length], realised);
          const url = operation.path.replace(/\{[^}]+\}/g, () => pick());
          const before = await footprint();
          const response = await t.app.http.inject({ method: operation.method as 'POST', url, headers: { ...bearer(everyRole), 'content-type': 'application/json' }, payload: JSON.stringify(body) });
          const label = `${operation.method} ${operation.path} ${mutation} ${JSON.stringify(body).slice(0, 200)}`;
          expect({ label, status: response.statusCode < 500 ? 'below 500' : response.body.slice(0, 300) }).toEqual({ label, status: 'below 500' });
          if (response.statusCode >= 400) {
            expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
            expect({ label, footprint: await footprint() }).toEqual({ label, footprint: before });
          }
        }),
        { numRuns: runs },
      );
    }
  }, 600_000);
});
