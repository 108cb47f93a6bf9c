import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestTenant, startTestApp, type TestApp } from '../../support/app';
import { loadDemoRecords } from '../../support/demo-data';

let t: TestApp;
let bearing: string;
let service: string;
let main: string;
beforeAll(async () => {
  t = await startTestApp();
  await loadDemoRecords(t.database.handle, t.tenant.id);
  const db = t.database.handle.db;
  const item = (sku: string) => db.selectFrom('items').select('id').where('tenant_id', '=', t.tenant.id).where('sku', '=', sku).executeTakeFirstOrThrow();
  bearing = (await item('BRG-6204-2RS')).id;
  service = (await item('SVC-INSTALL')).id;
  main = (await db.selectFrom('warehouses').select('id').where('tenant_id', '=', t.tenant.id).where('code', '=', 'MAIN').executeTakeFirstOrThrow()).id;
});
afterAll(async () => t.close());

const send = (method: 'POST' | 'PATCH', url: string, body: unknown, key = t.tenant.keys.warehouse) =>
  t.app.http.inject({ method, url, payload: JSON.stringify(body), headers: { 'content-type': 'application/json', ...bearer(key) } });
const get = (url: string, key = t.tenant.keys.viewer) => t.app.http.inject({ method: 'GET', url, headers: bearer(key) });

describe('inventory over HTTP', () => {
  it('receives goods, records a movement, and shows availability', async () => {
    const before = (await get(`/api/v1/availability?itemIds=${bearing}&warehouseId=${main}`)).json().items[0];
    const received = await send('POST', '/api/v1/stock/receipts', { itemId: bearing, warehouseId: main, quantity: '12.5', reason: 'PO 4711 from supplier' });
    expect(received.statusCode).toBe(201);
    expect(Number(received.json().onHand) - Number(before.onHand)).toBe(12.5);
    const movements = (await get(`/api/v1/stock/movements?itemId=${bearing}&kind=receipt&limit=1`)).json();
    expect(movements.items[0]).toMatchObject({ kind: 'receipt', onHandDelta: '12.5', reason: 'PO 4711 from supplier', actorName: 'key:warehouse key' });
  });

  it('adjusts to a counted quantity with a reason, never below what is reserved', async () => {
    const order = await send(
      'POST',
      '/api/v1/orders',
      { customerId: (await t.database.handle.db.selectFrom('customers').select('id').where('name', '=', 'Bäckerei Schröder').executeTakeFirstOrThrow()).id, lines: [{ itemId: bearing, quantity: '7' }] },
      t.tenant.keys.sales,
    );
    await t.app.http.inject({ method: 'POST', url: `/api/v1/orders/${order.json().id}/submit`, headers: bearer(t.tenant.keys.sales) });
    const level = (await get(`/api/v1/availability?itemIds=${bearing}&warehouseId=${main}`)).json().items[0];
    const tooLow = await send('POST', '/api/v1/stock/adjustments', { itemId: bearing, warehouseId: main, countedQuantity: String(Number(level.reserved) - 1), reason: 'count' });
    expect(tooLow.statusCode).toBe(422);
    expect(tooLow.json().code).toBe('O2C_INSUFFICIENT_STOCK');
    const counted = await send('POST', '/api/v1/stock/adjustments', { itemId: bearing, warehouseId: main, countedQuantity: level.reserved, reason: 'year-end count' });
    expect(counted.json()).toMatchObject({ onHand: level.reserved, available: '0' });
    const delta = await send('POST', '/api/v1/stock/adjustments', { itemId: bearing, warehouseId: main, delta: '5', reason: 'found behind shelf' });
    expect(delta.json().available).toBe('5');
    const noReason = await send('POST', '/api/v1/stock/adjustments', { itemId: bearing, warehouseId: main, delta: '1' });
    expect(noReason.statusCode).toBe(400);
  });

  it('refuses stock for services, unknown items and warehouses, and bad quantities', async () => {
    const cases: Array<[unknown, number, string]> = [
      [{ itemId: service, warehouseId: main, quantity: '1' }, 400, 'O2C_INVALID_VALUE'],
      [{ itemId: '01900000-0000-7000-8000-000000000000', warehouseId: main, quantity: '1' }, 404, 'O2C_NOT_FOUND'],
      [{ itemId: bearing, warehouseId: '01900000-0000-7000-8000-000000000000', quantity: '1' }, 404, 'O2C_NOT_FOUND'],
      [{ itemId: bearing, warehouseId: main, quantity: '0' }, 400, 'O2C_INVALID_VALUE'],
      [{ itemId: bearing, warehouseId: main, quantity: '1.0000001' }, 400, 'O2C_INVALID_VALUE'],
      [{ itemId: bearing, warehouseId: main, quantity: 'ten' }, 400, 'O2C_INVALID_VALUE'],
    ];
    for (const [body, status, code] of cases) {
      const response = await send('POST', '/api/v1/stock/receipts', body);
      expect({ body, status: response.statusCode, code: response.json().code }).toEqual({ body, status, code });
    }
  });

  it('manages warehouses with one default', async () => {
    const created = await send('POST', '/api/v1/warehouses', { code: 'muc', name: 'Munich', countryCode: 'DE', isDefault: true });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ code: 'MUC', isDefault: true });
    const list = (await get('/api/v1/warehouses')).json().items;
    expect(list.filter((warehouse: { isDefault: boolean }) => warehouse.isDefault).map((warehouse: { code: string }) => warehouse.code)).toEqual(['MUC']);
    const duplicate = await send('POST', '/api/v1/warehouses', { code: 'MUC', name: 'again', countryCode: 'DE' });
    expect(duplicate.statusCode).toBe(409);
    const deactivateDefault = await send('PATCH', `/api/v1/warehouses/${created.json().id}`, { version: 1, active: false });
    expect(deactivateDefault.statusCode).toBe(422);
    const back = await send('PATCH', `/api/v1/warehouses/${main}`, { version: (list.find((warehouse: { code: string }) => warehouse.code === 'MAIN')).version, isDefault: true });
    expect(back.json().isDefault).toBe(true);
  });

  it('keeps stock rows and movements append-only history apart per tenant', async () => {
    const other = await createTestTenant(t.database.handle, 'stock-other');
    expect((await get(`/api/v1/availability?itemIds=${bearing}`, other.keys.viewer)).json().items).toEqual([]);
    expect((await send('POST', '/api/v1/stock/receipts', { itemId: bearing, warehouseId: main, quantity: '1' }, other.keys.warehouse)).statusCode).toBe(404);
    await expect(t.database.handle.db.updateTable('stock_movements').set({ reason: 'tampered' }).execute()).rejects.toThrow(/append-only/);
    // The database itself keeps 0 <= reserved <= on hand, whatever a query tries.
    await expect(sql`update stock_levels set reserved = on_hand + 1`.execute(t.database.handle.db)).rejects.toThrow(/stock_levels_reserved_within_on_hand/);
  });
});
