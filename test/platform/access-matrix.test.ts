import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo } from '../../src/demo/demo';
import { systemContext } from '../../src/platform/auth/actor';
import { createApiKey } from '../../src/platform/auth/api-keys';
import { roles, type Role } from '../../src/platform/auth/roles';
import { inTransaction } from '../../src/platform/db/database';
import { accessMatrix, recordsNamed, type AccessRow } from '../support/access-matrix';
import { bearer, startTestApp, type TestApp } from '../support/app';

/**
 * The access matrix, route × role × own/foreign record: every row of the hand-written
 * table (test/support/access-matrix.ts and the modules' *.access.ts) is called with
 * a key of every role, against a record of the caller's own company (the whole demo
 * company: orders, shipments, invoices, payments, reviews …) and against the same
 * record from another company's key. A role the table does not admit gets 403 for
 * either; an admitted role reads its own record (200) and is never refused its own
 * (no 401, 403 or 404), and never finds the other company's (404 O2C_NOT_FOUND; a
 * write whose empty body is refused first may answer 400 O2C_VALIDATION_FAILED).
 * Any difference from the table fails, as does a route missing from it
 * (test/platform/access.test.ts).
 */
let t: TestApp;
let own: Record<Role, string>;
let records: Map<string, Record<string, string>>;

beforeAll(async () => {
  t = await startTestApp();
  const db = t.database.handle.db;
  const { tenantId } = await loadDemo(db);
  own = {} as Record<Role, string>;
  await inTransaction(db, async (tx) => {
    for (const role of roles) own[role] = (await createApiKey(tx, systemContext(tenantId, 'test'), { name: `matrix ${role}`, roles: [role] })).secret;
    // The key the revoke route is called on, so that no key of the matrix is revoked.
    await createApiKey(tx, systemContext(tenantId, 'test'), { name: 'matrix spare', roles: ['viewer'] });
  });
  // A proof of delivery on a shipment that has left, for the route that downloads one.
  const shipped = await db.selectFrom('shipments').select('id').where('tenant_id', '=', tenantId).where('status', 'in', ['shipped', 'delivered']).orderBy('number').executeTakeFirstOrThrow();
  const upload = await t.app.http.inject({
    method: 'POST',
    url: `/api/v1/shipments/${shipped.id}/proof-of-delivery?fileName=pod.pdf`,
    payload: Buffer.from('%PDF-1.4\n% proof of delivery\n%%EOF\n'),
    headers: { 'content-type': 'application/pdf', ...bearer(own.warehouse) },
  });
  expect(upload.statusCode, upload.body).toBe(200);
  records = await recordsNamed(db, tenantId);
}, 300_000);
afterAll(async () => t.close());

type Who = 'own' | 'foreign';

async function call(route: AccessRow, role: Role, who: Who) {
  const parameters = route.url.includes('{') ? records.get(`${route.method} ${route.url}`) : {};
  if (parameters === undefined) throw new Error(`${route.method} ${route.url}: no record of the demo company is named for its path (recordsNamed in test/support/access-matrix.ts)`);
  const url = route.url.replace(/\{([^}]+)\}/g, (_, name: string) => parameters[name] ?? 'missing') + (parameters.query ?? '');
  const key = who === 'own' ? own[role] : t.tenant.keys[role];
  const response = await t.app.http.inject({
    method: route.method,
    url,
    headers: { ...bearer(key), ...(route.method === 'GET' ? {} : { 'content-type': 'application/json' }) },
    ...(route.method === 'GET' ? {} : { payload: '{}' }),
  });
  const code = response.headers['content-type']?.toString().includes('json') ? (JSON.parse(response.body) as { code?: string }).code : undefined;
  return { status: response.statusCode, code, body: response.body.slice(0, 160) };
}

/** What the table says the server must answer, and whether the answer agrees. */
function verdict(route: AccessRow, role: Role, who: Who, status: number, code: string | undefined, deleted: boolean): string | undefined {
  const admitted = route.allowed.includes(role);
  const named = route.url.includes('{') && !route.url.startsWith('/api/v1/periods/');
  if (!admitted) return status === 403 && code === 'O2C_FORBIDDEN' ? undefined : 'expected 403 O2C_FORBIDDEN (the table does not admit this role)';
  if (status === 401 || status === 403) return 'expected the role to be admitted (the table admits it)';
  if (who === 'own') {
    if (named && route.method === 'GET' && status !== 200) return 'expected 200 reading an own record';
    // A list or report may ask for a filter or a period (400), never more.
    if (!named && route.method === 'GET' && status !== 200 && status !== 400) return 'expected 200 (or 400 for a missing filter)';
    // Once an admitted role has deleted the record, it is gone for the next.
    if (named && status === 404 && !(route.method === 'DELETE' && deleted)) return 'expected the own record to be found';
    return status >= 500 ? 'expected no server error' : undefined;
  }
  if (!named) return status >= 500 ? 'expected no server error' : undefined;
  if (route.method === 'GET') return status === 404 && code === 'O2C_NOT_FOUND' ? undefined : 'expected 404 O2C_NOT_FOUND for another company’s record';
  // A write is not found either, unless its body is refused first (the empty body sent lacks required fields).
  return (status === 404 && code === 'O2C_NOT_FOUND') || (status === 400 && code === 'O2C_VALIDATION_FAILED') ? undefined : 'expected 404 O2C_NOT_FOUND (or 400 for the body) for another company’s record';
}

describe('the access matrix: route × role × own/foreign record', () => {
  for (const route of accessMatrix) {
    it(`${route.method} ${route.url}: ${route.allowed.length === roles.length ? 'every role' : route.allowed.join(', ')}`, async () => {
      const differences: string[] = [];
      // Another company's record first, then the refused roles on the own record; the admitted roles last, as their
      // writes may change the record (a submit, a cancel) for the calls after them.
      const order: Array<[Who, Role]> = [
        ...roles.map((role): [Who, Role] => ['foreign', role]),
        ...roles.filter((role) => !route.allowed.includes(role)).map((role): [Who, Role] => ['own', role]),
        ...roles.filter((role) => route.allowed.includes(role)).map((role): [Who, Role] => ['own', role]),
      ];
      let deleted = false;
      for (const [who, role] of order) {
        const answer = await call(route, role, who);
        const problem = verdict(route, role, who, answer.status, answer.code, deleted);
        if (who === 'own' && route.method === 'DELETE' && answer.status < 300) deleted = true;
        if (problem !== undefined) differences.push(`${role} on ${who === 'own' ? 'its own' : 'another company’s'} record: ${answer.status}, ${problem} — ${answer.body}`);
      }
      expect(differences).toEqual([]);
    });
  }

  it('names a record for every route with an id', () => {
    const unnamed = accessMatrix.filter((route) => route.url.includes('{') && !records.has(`${route.method} ${route.url}`)).map((route) => `${route.method} ${route.url}`);
    expect(unnamed).toEqual([]);
  });

  it('finds a record of the demo company for every route with an id', () => {
    const missing = [...records.entries()].filter(([, parameters]) => Object.values(parameters).some((value) => value === '')).map(([route]) => route);
    expect(missing).toEqual([]);
  });
});
