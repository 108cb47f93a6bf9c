import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getItemsByIds, getItemsBySkus } from '../../../src/modules/catalog';
import { createTestTenant, startTestApp, type TestApp, type TestTenant } from '../../support/app';
import { caller, expectProblem, footprint } from './catalog.http';

let t: TestApp;
let other: TestTenant;
beforeAll(async () => {
  t = await startTestApp();
  other = await createTestTenant(t.database.handle, 'other');
});
afterAll(async () => t.close());

const call = caller(() => t);

const bearing = { sku: 'BRG-6204-2RS', name: 'Industrial bearing 6204-2RS', kind: 'goods', unit: 'C62', taxCategoryCode: 'standard' };

async function createItem(body: Record<string, unknown>, tenant?: TestTenant) {
  const answer = await call('POST', '/items', 'sales', body, tenant);
  expect(answer.status).toBe(201);
  return answer.body as { id: string; sku: string; version: number; active: boolean };
}

describe('items', () => {
  it('creates an item with the defaults filled in, and reads it back', async () => {
    const created = await call('POST', '/items', 'sales', { ...bearing, description: '  Deep groove ball bearing  ' });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.any(String),
      sku: 'BRG-6204-2RS',
      name: 'Industrial bearing 6204-2RS',
      description: 'Deep groove ball bearing',
      kind: 'goods',
      unit: 'C62',
      taxCategoryCode: 'standard',
      revenueAccount: '8400',
      active: true,
      version: 1,
    });
    const read = await call('GET', `/items/${created.body.id}`, 'viewer');
    expect(read).toEqual({ status: 200, body: created.body });
    const audit = await t.database.handle.db.selectFrom('audit_events').select('action').where('entity_id', '=', created.body.id).execute();
    expect(audit.map((event) => event.action)).toEqual(['item.created']);
  });

  it('refuses a SKU that exists in another case with 409, naming body.sku', async () => {
    const before = await footprint(t);
    expectProblem(await call('POST', '/items', 'admin', { ...bearing, sku: 'brg-6204-2rs', name: 'Duplicate' }), 409, 'O2C_ALREADY_EXISTS', ['body.sku']);
    expect(await footprint(t)).toEqual(before);
  });

  it('lets another tenant use the same SKU', async () => {
    await createItem(bearing, other);
  });

  it('refuses bad input with a path for each, writing nothing', async () => {
    const before = await footprint(t);
    expectProblem(await call('POST', '/items', 'sales', { ...bearing, sku: 'NEW-1', unit: 'PCS' }), 400, 'O2C_INVALID_VALUE', ['body.unit']);
    expectProblem(await call('POST', '/items', 'sales', { ...bearing, sku: 'NEW-1', taxCategoryCode: 'luxury' }), 400, 'O2C_INVALID_VALUE', ['body.taxCategoryCode']);
    expectProblem(await call('POST', '/items', 'sales', { ...bearing, sku: '-bad sku' }), 400, 'O2C_VALIDATION_FAILED', ['body.sku']);
    expectProblem(await call('POST', '/items', 'sales', { ...bearing, sku: 'x'.repeat(65) }), 400, 'O2C_VALIDATION_FAILED', ['body.sku']);
    expectProblem(await call('POST', '/items', 'sales', { ...bearing, sku: 'NEW-1', kind: 'rental' }), 400, 'O2C_VALIDATION_FAILED', ['body.kind']);
    expectProblem(await call('POST', '/items', 'sales', { ...bearing, sku: 'NEW-1', name: '   ' }), 400, 'O2C_VALIDATION_FAILED', ['body.name']);
    expectProblem(await call('POST', '/items', 'sales', { ...bearing, sku: 'NEW-1', revenueAccount: '84 00' }), 400, 'O2C_VALIDATION_FAILED', ['body.revenueAccount']);
    expectProblem(await call('POST', '/items', 'sales', { ...bearing, sku: 'NEW-1', price: '1.00' }), 400, 'O2C_VALIDATION_FAILED', ['body']);
    expectProblem(await call('POST', '/items', 'sales', { ...bearing, sku: 'NEW-1', tenantId: other.id }), 400, 'O2C_VALIDATION_FAILED', ['body']);
    expect(await footprint(t)).toEqual(before);
  });

  it('changes an item with its version, and refuses a stale version with 409', async () => {
    const item = await createItem({ sku: 'HOSE-12', name: 'Hydraulic hose', kind: 'goods', unit: 'C62', taxCategoryCode: 'standard' });
    const changed = await call('PATCH', `/items/${item.id}`, 'admin', { version: 1, name: 'Hydraulic hose 1/2" 2 m', unit: 'MTR', revenueAccount: '8401', description: null });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ name: 'Hydraulic hose 1/2" 2 m', unit: 'MTR', revenueAccount: '8401', description: null, version: 2 });
    expectProblem(await call('PATCH', `/items/${item.id}`, 'admin', { version: 1, name: 'Lost update' }), 409, 'O2C_VERSION_CONFLICT');
    expect((await call('GET', `/items/${item.id}`, 'viewer')).body.name).toBe('Hydraulic hose 1/2" 2 m');
  });

  it('renames a SKU unless another item has it', async () => {
    const item = await createItem({ sku: 'FILM-1', name: 'Film', kind: 'goods', unit: 'XRO', taxCategoryCode: 'standard' });
    expectProblem(await call('PATCH', `/items/${item.id}`, 'sales', { version: 1, sku: 'Brg-6204-2rs' }), 409, 'O2C_ALREADY_EXISTS', ['body.sku']);
    const renamed = await call('PATCH', `/items/${item.id}`, 'sales', { version: 1, sku: 'FILM-500' });
    expect(renamed.body).toMatchObject({ sku: 'FILM-500', version: 2 });
    // Changing only the case of its own SKU is no clash.
    expect((await call('PATCH', `/items/${item.id}`, 'sales', { version: 2, sku: 'film-500' })).status).toBe(200);
  });

  it('deactivates instead of deleting; the kind cannot change', async () => {
    const item = await createItem({ sku: 'OLD-1', name: 'Discontinued bearing', kind: 'goods', unit: 'C62', taxCategoryCode: 'standard' });
    const deactivated = await call('PATCH', `/items/${item.id}`, 'sales', { version: 1, active: false });
    expect(deactivated.body).toMatchObject({ active: false, version: 2 });
    const audit = await t.database.handle.db.selectFrom('audit_events').select('action').where('entity_id', '=', item.id).orderBy('id').execute();
    expect(audit.map((event) => event.action)).toEqual(['item.created', 'item.deactivated']);
    expectProblem(await call('PATCH', `/items/${item.id}`, 'sales', { version: 2, kind: 'service' }), 400, 'O2C_VALIDATION_FAILED', ['body']);
    expectProblem(await call('PATCH', `/items/${item.id}`, 'sales', { version: 2, unit: 'BOX' }), 400, 'O2C_INVALID_VALUE', ['body.unit']);
    expectProblem(await call('PATCH', `/items/${item.id}`, 'sales', { version: 2, taxCategoryCode: 'nope' }), 400, 'O2C_INVALID_VALUE', ['body.taxCategoryCode']);
    expectProblem(await call('PATCH', `/items/${item.id}`, 'sales', { version: '2' }), 400, 'O2C_VALIDATION_FAILED', ['body.version']);
  });

  it('answers 404 for an unknown item and for another tenant’s, read or write', async () => {
    const theirs = await createItem({ sku: 'THEIRS-1', name: 'Their item', kind: 'service', unit: 'HUR', taxCategoryCode: 'standard' }, other);
    expectProblem(await call('GET', '/items/01900000-0000-7000-8000-000000000000', 'viewer'), 404, 'O2C_NOT_FOUND');
    expectProblem(await call('GET', `/items/${theirs.id}`, 'viewer'), 404, 'O2C_NOT_FOUND');
    expectProblem(await call('PATCH', `/items/${theirs.id}`, 'admin', { version: 1, name: 'Hijacked' }), 404, 'O2C_NOT_FOUND');
    expect((await call('GET', `/items/${theirs.id}`, 'viewer', undefined, other)).body.name).toBe('Their item');
    expectProblem(await call('GET', '/items/not-a-uuid', 'viewer'), 400, 'O2C_VALIDATION_FAILED', ['params.id']);
  });

  it('lists with filters (kind, active, q over SKU and name, tax category) and cursor pages', async () => {
    await createItem({ sku: 'SVC-INSTALL', name: 'On-site installation', kind: 'service', unit: 'HUR', taxCategoryCode: 'standard' });
    await createItem({ sku: 'BOOK-1', name: 'Hydraulics handbook', kind: 'goods', unit: 'C62', taxCategoryCode: 'reduced' });
    const skus = async (query: string) => ((await call('GET', `/items?${query}`, 'viewer')).body.items as Array<{ sku: string }>).map((item) => item.sku).sort();
    expect(await skus('kind=service')).toEqual(['SVC-INSTALL']);
    expect(await skus('active=false')).toEqual(['OLD-1']);
    expect(await skus('q=hydraulic')).toEqual(['BOOK-1', 'HOSE-12']);
    expect(await skus('q=brg')).toEqual(['BRG-6204-2RS']);
    expect(await skus('q=%25')).toEqual([]);
    expect(await skus('taxCategoryCode=reduced')).toEqual(['BOOK-1']);
    expect(await skus('kind=goods&active=true')).toEqual(['BOOK-1', 'BRG-6204-2RS', 'HOSE-12', 'film-500']);
    expectProblem(await call('GET', '/items?active=yes', 'viewer'), 400, 'O2C_VALIDATION_FAILED', ['querystring.active']);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: Array<{ sku: string }>; nextCursor: string | null } = (await call('GET', `/items?limit=2${cursor === null ? '' : `&cursor=${cursor}`}`, 'viewer')).body;
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((item) => item.sku));
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(seen.sort()).toEqual(['BOOK-1', 'BRG-6204-2RS', 'HOSE-12', 'OLD-1', 'SVC-INSTALL', 'film-500']);
    expectProblem(await call('GET', '/items?cursor=garbage', 'viewer'), 400, 'O2C_INVALID_VALUE', ['query.cursor']);
  });

  it('lists the supported units', async () => {
    const units = (await call('GET', '/units', 'warehouse')).body.items as Array<{ code: string; name: string }>;
    expect(units).toContainEqual({ code: 'C62', name: 'one (piece)' });
    expect(units).toContainEqual({ code: 'HUR', name: 'hour' });
  });

  it('takes an Idempotency-Key: the same POST twice creates one item', async () => {
    const headers = { 'idempotency-key': 'item-gloves-1' };
    const body = { sku: 'GLOVE-9', name: 'Safety gloves size 9 (pair)', kind: 'goods', unit: 'PR', taxCategoryCode: 'standard' };
    const first = await call('POST', '/items', 'sales', body, undefined, headers);
    const second = await call('POST', '/items', 'sales', body, undefined, headers);
    expect(first.status).toBe(201);
    expect(second).toEqual(first);
    const rows = await t.database.handle.db.selectFrom('items').select('id').where('sku', '=', 'GLOVE-9').execute();
    expect(rows).toHaveLength(1);
  });
});

describe('getItemsByIds and getItemsBySkus (for other modules)', () => {
  it('find the tenant’s items in one call, keyed by id or upper-cased SKU; others and unknowns are absent', async () => {
    const db = t.database.handle.db;
    const bySku = await getItemsBySkus(db, t.tenant.id, ['brg-6204-2rs', 'SVC-INSTALL', 'THEIRS-1', 'NOPE']);
    expect([...bySku.keys()].sort()).toEqual(['BRG-6204-2RS', 'SVC-INSTALL']);
    expect(bySku.get('SVC-INSTALL')).toMatchObject({ kind: 'service', unit: 'HUR', taxCategoryCode: 'standard', active: true });
    const theirs = await getItemsBySkus(db, other.id, ['THEIRS-1']);
    const ids = [bySku.get('BRG-6204-2RS')!.id, theirs.get('THEIRS-1')!.id, 'not-an-id'];
    const byId = await getItemsByIds(db, t.tenant.id, ids);
    expect([...byId.keys()]).toEqual([ids[0]]);
    expect(byId.get(ids[0]!)).toEqual(bySku.get('BRG-6204-2RS'));
    expect(await getItemsByIds(db, t.tenant.id, [])).toEqual(new Map());
    expect(await getItemsBySkus(db, t.tenant.id, [])).toEqual(new Map());
  });
});
