import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Big } from '../../../src/kernel';
import { modules } from '../../../src/app';
import { relayOutbox, type EventSubscriber } from '../../../src/platform/outbox/outbox';
import { bearer, createTestTenant, startTestApp, type TestApp } from '../../support/app';
import { loadDemoRecords } from '../../support/demo-data';

let t: TestApp;
let customerId: string;
let deliveryCustomerId: string;
let mainId: string;
beforeAll(async () => {
  t = await startTestApp();
  await loadDemoRecords(t.database.handle, t.tenant.id);
  const db = t.database.handle.db;
  customerId = (await db.selectFrom('customers').select('id').where('tenant_id', '=', t.tenant.id).where('name', '=', 'Müller Elektrotechnik').executeTakeFirstOrThrow()).id;
  deliveryCustomerId = (await db.selectFrom('customers').select('id').where('tenant_id', '=', t.tenant.id).where('name', '=', 'Bäckerei Schröder').executeTakeFirstOrThrow()).id;
  mainId = (await db.selectFrom('warehouses').select('id').where('tenant_id', '=', t.tenant.id).where('code', '=', 'MAIN').executeTakeFirstOrThrow()).id;
});
afterAll(async () => t.close());

const post = (url: string, body?: unknown, key = t.tenant.keys.warehouse) =>
  t.app.http.inject({ method: 'POST', url, ...(body === undefined ? { headers: bearer(key) } : { payload: JSON.stringify(body), headers: { 'content-type': 'application/json', ...bearer(key) } }) });
const get = (url: string) => t.app.http.inject({ method: 'GET', url, headers: bearer(t.tenant.keys.viewer) });

async function approvedOrder(lines: Array<{ sku: string; quantity: string }>, customer = customerId) {
  const order = (await post('/api/v1/orders', { customerId: customer, lines }, t.tenant.keys.sales)).json();
  const submitted = await post(`/api/v1/orders/${order.id}/submit`, undefined, t.tenant.keys.sales);
  expect(submitted.statusCode).toBe(200);
  return submitted.json() as { id: string; number: string; lines: Array<{ id: string; quantityReserved: string }> };
}

async function shipAll(orderId: string) {
  const shipment = (await post('/api/v1/shipments', { orderId })).json();
  await post(`/api/v1/shipments/${shipment.id}/pick`);
  await post(`/api/v1/shipments/${shipment.id}/pack`, { packages: [{ packageType: 'box', weightKg: '2.5' }] });
  return shipment as { id: string };
}

async function stock(sku: string) {
  const item = await t.database.handle.db.selectFrom('items').select('id').where('tenant_id', '=', t.tenant.id).where('sku', '=', sku).executeTakeFirstOrThrow();
  const level = await t.database.handle.db.selectFrom('stock_levels').select(['on_hand', 'reserved']).where('item_id', '=', item.id).where('warehouse_id', '=', mainId).executeTakeFirst();
  return { itemId: item.id, onHand: new Big(level?.on_hand ?? '0'), reserved: new Big(level?.reserved ?? '0') };
}

describe('fulfillment over HTTP', () => {
  it('walks a shipment through pick, pack, ship and deliver; stock and the order follow', async () => {
    const order = await approvedOrder([{ sku: 'BRG-6204-2RS', quantity: '6' }, { sku: 'SVC-INSTALL', quantity: '1' }]);
    expect((await get('/api/v1/shipping-queue')).json().items.map((item: { orderId: string }) => item.orderId)).toContain(order.id);
    const before = await stock('BRG-6204-2RS');
    const shipment = await shipAll(order.id);
    const shipped = await post(`/api/v1/shipments/${shipment.id}/ship`, { carrier: 'DHL', trackingNumber: 'JJD1', shipDate: '2026-11-20', expectedDeliveryDate: '2026-11-23' });
    expect(shipped.statusCode).toBe(200);
    expect(shipped.json()).toMatchObject({ status: 'shipped', readyToInvoice: true, lines: [{ sku: 'BRG-6204-2RS', quantity: '6' }] });
    const after = await stock('BRG-6204-2RS');
    expect(before.onHand.minus(after.onHand).toFixed()).toBe('6');
    expect(before.reserved.minus(after.reserved).toFixed()).toBe('6');
    const orderAfter = (await get(`/api/v1/orders/${order.id}`)).json();
    expect(orderAfter.status).toBe('shipped');
    expect(orderAfter.lines[0]).toMatchObject({ quantityShipped: '6', quantityReserved: '0' });
    const early = await post(`/api/v1/shipments/${shipment.id}/deliver`, { deliveredAt: '2026-11-19T10:00:00Z', receivedBy: 'Jürgen' });
    expect(early.statusCode).toBe(400);
    expect(early.json().detail).toMatch(/before the ship date 2026-11-20/);
    const delivered = await post(`/api/v1/shipments/${shipment.id}/deliver`, { deliveredAt: '2026-11-22T09:30:00Z', receivedBy: 'Jürgen Müller' });
    expect(delivered.json()).toMatchObject({ status: 'delivered', receivedBy: 'Jürgen Müller' });
    const events = await t.database.handle.db.selectFrom('outbox_events').select('event_type').where('aggregate_id', '=', shipment.id).execute();
    expect(events.map((event) => event.event_type).sort()).toEqual(['shipment.delivered', 'shipment.ready_to_invoice', 'shipment.shipped']);
  });

  it('makes a delivery-invoiced customer’s shipment ready to invoice only when delivered', async () => {
    const order = await approvedOrder([{ sku: 'HOSE-12-2M', quantity: '1' }], deliveryCustomerId);
    const shipment = await shipAll(order.id);
    expect((await post(`/api/v1/shipments/${shipment.id}/ship`, { carrier: 'UPS' })).json().readyToInvoice).toBe(false);
    expect((await post(`/api/v1/shipments/${shipment.id}/deliver`, { receivedBy: 'Heike' })).json().readyToInvoice).toBe(true);
  });

  it('accepts a PDF or image proof of delivery checked by content, and refuses others', async () => {
    const order = await approvedOrder([{ sku: 'FILM-500', quantity: '1' }]);
    const shipment = await shipAll(order.id);
    await post(`/api/v1/shipments/${shipment.id}/ship`, { carrier: 'GLS' });
    const upload = (content: Buffer, type: string) =>
      t.app.http.inject({ method: 'POST', url: `/api/v1/shipments/${shipment.id}/proof-of-delivery?fileName=pod.pdf`, payload: content, headers: { 'content-type': type, ...bearer(t.tenant.keys.warehouse) } });
    const fake = await upload(Buffer.from('this is not a pdf'), 'application/pdf');
    expect(fake.statusCode).toBe(415);
    const huge = await upload(Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(6 * 1024 * 1024)]), 'application/pdf');
    expect(huge.statusCode).toBe(413);
    const pdf = await upload(Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF'), 'application/pdf');
    expect(pdf.statusCode).toBe(200);
    const document = pdf.json().documents[0];
    expect(document).toMatchObject({ mediaType: 'application/pdf', fileName: 'pod.pdf' });
    const download = await get(`/api/v1/shipments/${shipment.id}/files/${document.id}`);
    expect(download.headers['content-type']).toBe('application/pdf');
    expect(download.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect((await t.database.handle.db.selectFrom('shipment_documents').select('id').where('shipment_id', '=', shipment.id).execute()).length).toBe(1);
  });

  it('refuses to ship more than is reserved, a cancelled order, and a shipment twice', async () => {
    const order = await approvedOrder([{ sku: 'GLOVE-9', quantity: '4' }]);
    const tooMany = await post('/api/v1/shipments', { orderId: order.id, lines: [{ orderLineId: order.lines[0]!.id, quantity: '5' }] });
    expect(tooMany.statusCode).toBe(422);
    expect(tooMany.json().code).toBe('O2C_INSUFFICIENT_STOCK');
    const first = (await post('/api/v1/shipments', { orderId: order.id })).json();
    const second = await post('/api/v1/shipments', { orderId: order.id });
    expect(second.statusCode).toBe(422);
    await post(`/api/v1/shipments/${first.id}/cancel`, { reason: 'wrong bay' });
    const reservedAfterCancel = (await get(`/api/v1/orders/${order.id}`)).json().lines[0].quantityReserved;
    expect(reservedAfterCancel).toBe('4');
    const cancelledOrder = await approvedOrder([{ sku: 'GLOVE-9', quantity: '1' }]);
    await post(`/api/v1/orders/${cancelledOrder.id}/cancel`, { reason: 'customer withdrew' }, t.tenant.keys.sales);
    const refused = await post('/api/v1/shipments', { orderId: cancelledOrder.id });
    expect(refused.statusCode).toBe(409);
    const again = await shipAll(order.id);
    expect((await post(`/api/v1/shipments/${again.id}/ship`, { carrier: 'DHL' })).statusCode).toBe(200);
    expect((await post(`/api/v1/shipments/${again.id}/ship`, { carrier: 'DHL' })).statusCode).toBe(409);
  });

  it('keeps stock, reservations and order quantities consistent after a partial shipment and a short-close', async () => {
    const order = await approvedOrder([{ sku: 'BOOK-HYD', quantity: '10' }]);
    const before = await stock('BOOK-HYD');
    const part = (await post('/api/v1/shipments', { orderId: order.id, lines: [{ orderLineId: order.lines[0]!.id, quantity: '4' }] })).json();
    await post(`/api/v1/shipments/${part.id}/pick`);
    await post(`/api/v1/shipments/${part.id}/pack`, { packages: [{}] });
    const shippedPart = await post(`/api/v1/shipments/${part.id}/ship`, { carrier: 'DHL' });
    expect(shippedPart.json()).toMatchObject({ status: 'shipped' });
    expect((await get(`/api/v1/orders/${order.id}`)).json().status).toBe('partially_shipped');
    const closed = (await post(`/api/v1/orders/${order.id}/cancel`, { reason: 'rest no longer needed' }, t.tenant.keys.sales)).json();
    expect(closed).toMatchObject({ status: 'shipped', lines: [{ quantityShipped: '4', quantityCancelled: '6', quantityReserved: '0' }] });
    const after = await stock('BOOK-HYD');
    expect(before.onHand.minus(after.onHand).toFixed()).toBe('4');
    expect(before.reserved.minus(after.reserved).toFixed()).toBe('10');
    const reservations = await t.database.handle.db.selectFrom('stock_reservations').select('id').where('reference_id', '=', order.lines[0]!.id).execute();
    expect(reservations).toEqual([]);
  });

  it('ships each unit at most once when two requests ship the same lines at once', async () => {
    const order = await approvedOrder([{ sku: 'BRG-6204-2RS', quantity: '3' }]);
    const shipment = await shipAll(order.id);
    const results = await Promise.all([post(`/api/v1/shipments/${shipment.id}/ship`, { carrier: 'A' }), post(`/api/v1/shipments/${shipment.id}/ship`, { carrier: 'B' })]);
    expect(results.map((result) => result.statusCode).sort()).toEqual([200, 409]);
    // Two shipments racing for the same reserved lines: the order row is locked, so only one gets them.
    const racing = await approvedOrder([{ sku: 'BRG-6204-2RS', quantity: '2' }]);
    const created = await Promise.all([post('/api/v1/shipments', { orderId: racing.id }), post('/api/v1/shipments', { orderId: racing.id })]);
    expect(created.map((result) => result.statusCode).sort()).toEqual([201, 422]);
    const orderAfter = (await get(`/api/v1/orders/${order.id}`)).json();
    expect(orderAfter.lines[0].quantityShipped).toBe('3');
    const level = await stock('BRG-6204-2RS');
    expect(level.reserved.lte(level.onHand)).toBe(true);
  });

  it('reserves received stock for backorders, oldest order first', async () => {
    const sku = 'SHELF-2000';
    const item = await stock(sku);
    // Use up what is there, then wait for more.
    await post('/api/v1/stock/adjustments', { itemId: item.itemId, warehouseId: mainId, countedQuantity: item.reserved.toFixed(), reason: 'count' });
    const older = await approvedOrder([{ sku, quantity: '3' }]);
    const newer = await approvedOrder([{ sku, quantity: '3' }]);
    expect((await get(`/api/v1/orders/${older.id}`)).json().reservationStatus).toBe('backordered');
    const waiting = (await get('/api/v1/backorders')).json().items.map((line: { orderNumber: string }) => line.orderNumber);
    expect(waiting.indexOf(older.number)).toBeLessThan(waiting.indexOf(newer.number));
    await post('/api/v1/stock/receipts', { itemId: item.itemId, warehouseId: mainId, quantity: '4', reason: 'delivery' });
    const subscribers = new Map<string, EventSubscriber[]>();
    for (const module of modules) for (const [type, list] of Object.entries(module.subscribers ?? {})) subscribers.set(type, [...(subscribers.get(type) ?? []), ...list]);
    await relayOutbox(t.database.handle.db, subscribers);
    expect((await get(`/api/v1/orders/${older.id}`)).json()).toMatchObject({ reservationStatus: 'complete', lines: [{ quantityReserved: '3' }] });
    expect((await get(`/api/v1/orders/${newer.id}`)).json()).toMatchObject({ reservationStatus: 'partial', lines: [{ quantityReserved: '1' }] });
    await post('/api/v1/stock/receipts', { itemId: item.itemId, warehouseId: mainId, quantity: '2', reason: 'delivery' });
    const allocated = await post('/api/v1/backorders/allocate');
    expect(allocated.json().reserved).toEqual([newer.number]);
  });

  it('keeps other tenants out', async () => {
    const other = await createTestTenant(t.database.handle, 'ship-other');
    const shipment = (await get('/api/v1/shipments?limit=1')).json().items[0];
    expect((await t.app.http.inject({ method: 'GET', url: `/api/v1/shipments/${shipment.id}`, headers: bearer(other.keys.viewer) })).statusCode).toBe(404);
    expect((await post(`/api/v1/shipments/${shipment.id}/cancel`, { reason: 'x' }, other.keys.warehouse)).statusCode).toBe(404);
  });

  it('serves the shipping documents', async () => {
    const shipment = (await get('/api/v1/shipments?limit=1')).json().items[0];
    for (const kind of ['pick-list.pdf', 'packing-slip.pdf', 'bill-of-lading.pdf']) {
      const response = await get(`/api/v1/shipments/${shipment.id}/documents/${kind}`);
      expect({ kind, type: response.headers['content-type'], start: response.rawPayload.subarray(0, 5).toString() }).toEqual({ kind, type: 'application/pdf', start: '%PDF-' });
    }
    const xml = await get(`/api/v1/shipments/${shipment.id}/documents/despatch-advice.xml`);
    expect(xml.body).toMatch(/<DespatchAdvice /);
  });
});
