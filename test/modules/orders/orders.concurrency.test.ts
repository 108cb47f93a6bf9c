import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Big } from '../../../src/kernel';
import { bearer, startTestApp, type TestApp } from '../../support/app';
import { loadDemoRecords } from '../../support/demo-data';

/**
 * No oversell under concurrency (DESIGN invariant 3): on PostgreSQL the submits
 * below really run in parallel; on PGlite they queue on its single connection.
 */
let t: TestApp;
let customerId: string;
let mainWarehouseId: string;
const items: Record<string, string> = {};

beforeAll(async () => {
  t = await startTestApp();
  await loadDemoRecords(t.database.handle, t.tenant.id);
  const db = t.database.handle.db;
  customerId = (await db.selectFrom('customers').select('id').where('tenant_id', '=', t.tenant.id).where('name', '=', 'Bäckerei Schröder').executeTakeFirstOrThrow()).id;
  mainWarehouseId = (await db.selectFrom('warehouses').select('id').where('tenant_id', '=', t.tenant.id).where('code', '=', 'MAIN').executeTakeFirstOrThrow()).id;
  for (const sku of ['BRG-6204-2RS', 'HOSE-12-2M', 'FILM-500']) {
    items[sku] = (await db.selectFrom('items').select('id').where('tenant_id', '=', t.tenant.id).where('sku', '=', sku).executeTakeFirstOrThrow()).id;
  }
});
afterAll(async () => t.close());

async function setStock(sku: string, quantity: string) {
  const response = await t.app.http.inject({
    method: 'POST',
    url: '/api/v1/stock/adjustments',
    payload: JSON.stringify({ itemId: items[sku], warehouseId: mainWarehouseId, countedQuantity: quantity, reason: 'stock count' }),
    headers: { 'content-type': 'application/json', ...bearer(t.tenant.keys.warehouse) },
  });
  expect(response.statusCode).toBe(200);
}

async function draft(lines: Array<{ sku: string; quantity: string }>, shippingPolicy: 'partial' | 'complete') {
  const response = await t.app.http.inject({
    method: 'POST',
    url: '/api/v1/orders',
    payload: JSON.stringify({ customerId, shippingPolicy, lines }),
    headers: { 'content-type': 'application/json', ...bearer(t.tenant.keys.sales) },
  });
  expect(response.statusCode).toBe(201);
  return response.json() as { id: string };
}

const submit = (id: string) => t.app.http.inject({ method: 'POST', url: `/api/v1/orders/${id}/submit`, headers: bearer(t.tenant.keys.sales) });

async function stock(sku: string) {
  const row = await t.database.handle.db
    .selectFrom('stock_levels')
    .select(['on_hand', 'reserved'])
    .where('tenant_id', '=', t.tenant.id)
    .where('item_id', '=', items[sku]!)
    .where('warehouse_id', '=', mainWarehouseId)
    .executeTakeFirstOrThrow();
  return { onHand: new Big(row.on_hand), reserved: new Big(row.reserved) };
}

describe('concurrent submits', () => {
  it('reserve exactly the 20 units there are when 50 orders compete; the rest wait as backorders', async () => {
    await setStock('BRG-6204-2RS', '20');
    const before = await stock('BRG-6204-2RS');
    const free = before.onHand.minus(before.reserved);
    // Leave exactly 20 available whatever earlier demo orders hold.
    if (!free.eq('20')) await setStock('BRG-6204-2RS', before.reserved.plus('20').toFixed());
    const orders = await Promise.all(Array.from({ length: 50 }, (_, index) => draft([{ sku: 'BRG-6204-2RS', quantity: '1' }], index % 2 === 0 ? 'partial' : 'complete')));
    const results = await Promise.all(orders.map((order) => submit(order.id)));
    expect(results.map((result) => result.statusCode)).toEqual(Array(50).fill(200));
    const statuses = results.map((result) => result.json().reservationStatus as string);
    expect(statuses.filter((status) => status === 'complete')).toHaveLength(20);
    expect(statuses.filter((status) => status === 'backordered')).toHaveLength(30);
    const after = await stock('BRG-6204-2RS');
    expect(after.reserved.minus(before.reserved).toFixed()).toBe('20');
    expect(after.reserved.lte(after.onHand)).toBe(true);
    expect(after.onHand.minus(after.reserved).toFixed()).toBe('0');
  });

  it('do not deadlock when orders lock the same items in different line orders', async () => {
    await setStock('HOSE-12-2M', '1000');
    await setStock('FILM-500', '1000');
    const orders = await Promise.all(
      Array.from({ length: 24 }, (_, index) =>
        draft(
          index % 2 === 0
            ? [{ sku: 'HOSE-12-2M', quantity: '3' }, { sku: 'FILM-500', quantity: '2' }]
            : [{ sku: 'FILM-500', quantity: '2' }, { sku: 'HOSE-12-2M', quantity: '3' }],
          'complete',
        ),
      ),
    );
    const results = await Promise.all(orders.map((order) => submit(order.id)));
    expect(results.map((result) => [result.statusCode, result.json().reservationStatus])).toEqual(Array(24).fill([200, 'complete']));
    const hose = await stock('HOSE-12-2M');
    expect(hose.reserved.lte(hose.onHand)).toBe(true);
  });

  it('keep 0 <= reserved <= on hand on every stock row and reservations equal to what lines hold', async () => {
    const db = t.database.handle.db;
    const levels = await db.selectFrom('stock_levels').select(['item_id', 'warehouse_id', 'on_hand', 'reserved']).where('tenant_id', '=', t.tenant.id).execute();
    for (const level of levels) {
      expect(new Big(level.reserved).gte('0') && new Big(level.reserved).lte(new Big(level.on_hand))).toBe(true);
    }
    const reservations = await db.selectFrom('stock_reservations').select(['item_id', 'warehouse_id', 'quantity']).where('tenant_id', '=', t.tenant.id).execute();
    for (const level of levels) {
      const held = reservations
        .filter((reservation) => reservation.item_id === level.item_id && reservation.warehouse_id === level.warehouse_id)
        .reduce((sum, reservation) => sum.plus(reservation.quantity), new Big('0'));
      expect(held.eq(level.reserved)).toBe(true);
    }
    const lines = await db.selectFrom('sales_order_lines').select(['id', 'quantity_reserved']).where('tenant_id', '=', t.tenant.id).execute();
    const reservedByLine = await db.selectFrom('stock_reservations').select(['reference_id', 'quantity']).where('tenant_id', '=', t.tenant.id).execute();
    for (const line of lines) {
      const held = reservedByLine.filter((reservation) => reservation.reference_id === line.id).reduce((sum, reservation) => sum.plus(reservation.quantity), new Big('0'));
      expect(held.eq(line.quantity_reserved)).toBe(true);
    }
  });
});
