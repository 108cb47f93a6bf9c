import { expect } from 'vitest';
import { bearer, type TestApp } from './app';

/**
 * Issues an invoice the way a company would: an order of the customer is entered,
 * submitted, picked, packed and shipped, and the shipment invoiced and issued.
 * Needs the demo records (loadDemoRecords) for items and customers.
 */
export async function issueInvoiceFor(t: TestApp, customerId: string, lines: Array<{ sku: string; quantity: string }> = [{ sku: 'GLOVE-9', quantity: '1' }]): Promise<{ id: string; number: string; gross: string; currency: string }> {
  const post = async (url: string, key: string, body?: unknown) => {
    const response = await t.app.http.inject({
      method: 'POST',
      url,
      ...(body === undefined ? { headers: bearer(key) } : { payload: JSON.stringify(body), headers: { 'content-type': 'application/json', ...bearer(key) } }),
    });
    expect(response.statusCode, `${url}: ${response.body}`).toBeLessThan(300);
    return response.json();
  };
  const keys = t.tenant.keys;
  const order = await post('/api/v1/orders', keys.sales, { customerId, lines });
  await post(`/api/v1/orders/${order.id}/submit`, keys.sales);
  const shipment = await post('/api/v1/shipments', keys.warehouse, { orderId: order.id });
  await post(`/api/v1/shipments/${shipment.id}/pick`, keys.warehouse);
  await post(`/api/v1/shipments/${shipment.id}/pack`, keys.warehouse, { packages: [{ packageType: 'box' }] });
  await post(`/api/v1/shipments/${shipment.id}/ship`, keys.warehouse, { carrier: 'UPS' });
  const draft = await post('/api/v1/invoices', keys.billing, { shipmentIds: [shipment.id] });
  const issued = await post(`/api/v1/invoices/${draft.id}/issue`, keys.billing);
  return { id: issued.id, number: issued.number, gross: issued.gross, currency: issued.currency };
}

/** Receives plenty of every stocked item into every warehouse, so tests that ship many orders never run short. */
export async function stockUp(t: TestApp, quantity = '10000'): Promise<void> {
  const db = t.database.handle.db;
  const items = await db.selectFrom('items').select('id').where('tenant_id', '=', t.tenant.id).where('kind', '=', 'goods').execute();
  const warehouses = await db.selectFrom('warehouses').select('id').where('tenant_id', '=', t.tenant.id).execute();
  for (const item of items) {
    for (const warehouse of warehouses) {
      const response = await t.app.http.inject({
        method: 'POST',
        url: '/api/v1/stock/receipts',
        payload: JSON.stringify({ itemId: item.id, warehouseId: warehouse.id, quantity }),
        headers: { 'content-type': 'application/json', ...bearer(t.tenant.keys.warehouse) },
      });
      expect(response.statusCode, response.body).toBe(201);
    }
  }
}
