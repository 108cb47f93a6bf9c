import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo } from '../src/demo/demo';
import { createTestDatabase, type TestDatabase } from './support/database';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database.drop());

describe('the demo company', () => {
  it('loads once, with orders in every state order capture produces', async () => {
    expect((await loadDemo(database.handle.db)).created).toBe(true);
    expect((await loadDemo(database.handle.db)).created).toBe(false);
    const orders = await database.handle.db.selectFrom('sales_orders').select(['status', 'reservation_status', 'currency', 'source']).execute();
    const states = new Set(orders.map((order) => `${order.status}/${order.reservation_status}`));
    for (const state of ['draft/none', 'approved/partial', 'approved/backordered', 'partially_shipped/complete', 'cancelled/none']) expect(states).toContain(state);
    const shipments = await database.handle.db.selectFrom('shipments').select('status').execute();
    expect(new Set(shipments.map((shipment) => shipment.status))).toEqual(new Set(['created', 'packed', 'shipped', 'delivered', 'cancelled']));
    expect(new Set(orders.map((order) => order.currency))).toEqual(new Set(['EUR', 'USD', 'GBP']));
    const levels = await database.handle.db.selectFrom('stock_levels').select(['on_hand', 'reserved']).execute();
    for (const level of levels) expect(Number(level.reserved)).toBeLessThanOrEqual(Number(level.on_hand));
  });
});
