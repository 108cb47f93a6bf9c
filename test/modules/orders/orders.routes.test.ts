import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestTenant, startTestApp, type TestApp, type TestTenant } from '../../support/app';
import { loadDemoRecords } from '../../support/demo-data';

let t: TestApp;
let customers: Record<string, { id: string; number: string }>;
const json = (key: string, extra: Record<string, string> = {}) => ({ 'content-type': 'application/json', ...bearer(key), ...extra });

beforeAll(async () => {
  t = await startTestApp();
  await loadDemoRecords(t.database.handle, t.tenant.id);
  const rows = await t.database.handle.db.selectFrom('customers').select(['id', 'number', 'name']).where('tenant_id', '=', t.tenant.id).execute();
  customers = Object.fromEntries(rows.map((row) => [row.name, { id: row.id, number: row.number }]));
});
afterAll(async () => t.close());

async function post(url: string, body: unknown, key = t.tenant.keys.sales) {
  if (body === undefined) return t.app.http.inject({ method: 'POST', url, headers: bearer(key) });
  return t.app.http.inject({ method: 'POST', url, payload: JSON.stringify(body), headers: json(key) });
}

async function stockOf(sku: string) {
  const item = await t.database.handle.db.selectFrom('items').select('id').where('tenant_id', '=', t.tenant.id).where('sku', '=', sku).executeTakeFirstOrThrow();
  const rows = await t.database.handle.db.selectFrom('stock_levels').select(['on_hand', 'reserved']).where('tenant_id', '=', t.tenant.id).where('item_id', '=', item.id).execute();
  return { itemId: item.id, rows };
}

describe('order capture over HTTP', () => {
  it('creates a priced, numbered draft and submits it: approved with stock reserved', async () => {
    const created = await post('/api/v1/orders', {
      customerId: customers['Bäckerei Schröder']!.id,
      customerPoNumber: 'PO-4711',
      lines: [
        { sku: 'BRG-6204-2RS', quantity: '12' },
        { sku: 'brg-6204-2rs', quantity: '1', discountPercent: '10' },
      ],
      charges: [{ kind: 'freight', amount: '15.00' }],
    });
    expect(created.statusCode).toBe(201);
    const draft = created.json();
    expect(draft).toMatchObject({ status: 'draft', number: expect.stringMatching(/^SO-\d{4}-000001$/), currency: 'EUR', customerPoNumber: 'PO-4711' });
    // 12 × 4.40 (break at 10) = 52.80; 1 × 4.85 − 10 % (0.485 → 0.49) = 4.36; freight 15.00; 19 % on 72.16 = 13.71
    expect(draft.lines.map((line: { unitPrice: string; netAmount: string }) => [line.unitPrice, line.netAmount])).toEqual([
      ['4.40', '52.80'],
      ['4.85', '4.36'],
    ]);
    expect(draft.totals).toEqual({ linesNet: '57.16', orderDiscount: '0.00', charges: '15.00', taxable: '72.16', tax: '13.71', gross: '85.87' });
    expect(draft.lines.every((line: { taxCategory: string; taxRatePercent: string }) => line.taxCategory === 'S' && line.taxRatePercent === '19')).toBe(true);

    const before = await stockOf('BRG-6204-2RS');
    const submitted = await post(`/api/v1/orders/${draft.id}/submit`, undefined);
    expect(submitted.statusCode).toBe(200);
    const order = submitted.json();
    expect(order).toMatchObject({ status: 'approved', reservationStatus: 'complete' });
    expect(order.lines.map((line: { quantityReserved: string }) => line.quantityReserved)).toEqual(['12', '1']);
    const after = await stockOf('BRG-6204-2RS');
    const reservedDelta = after.rows.reduce((sum, row) => sum + Number(row.reserved), 0) - before.rows.reduce((sum, row) => sum + Number(row.reserved), 0);
    expect(reservedDelta).toBe(13);
  });

  it('decides the tax category per customer: intra-EU goods K, intra-EU services AE, export G', async () => {
    const lines = [{ sku: 'BRG-6204-2RS', quantity: '1' }, { sku: demoService(), quantity: '1' }];
    const france = (await post('/api/v1/order-quotes', { customerId: customers['Atelier Lumière']!.id, lines })).json();
    expect(france.lines.map((line: { taxCategory: string }) => line.taxCategory)).toEqual(['K', 'AE']);
    expect(france.totals.tax).toBe('0.00');
    const usa = (await post('/api/v1/order-quotes', { customerId: customers['Great Lakes Supply']!.id, lines })).json();
    expect(usa.currency).toBe('USD');
    expect(usa.lines.map((line: { taxCategory: string }) => line.taxCategory)).toEqual(['G', 'O']);
    const exempt = (await post('/api/v1/orders', { customerId: customers['Bäckerei Schröder']!.id, lines: [{ sku: 'TRAIN-HYD', quantity: '1' }] })).json();
    expect(exempt.lines[0]).toMatchObject({ taxCategory: 'E', taxRatePercent: '0', taxAmount: '0.00', taxExemptionReasonCode: expect.stringMatching(/^VATEX/) });
    const netherlandsConsumer = (await post('/api/v1/order-quotes', { customerId: customers['Sanne de Vries']!.id, lines })).json();
    expect(netherlandsConsumer.lines.map((line: { taxCategory: string; taxRatePercent: string }) => `${line.taxCategory}${line.taxRatePercent}`)).toEqual(['S19', 'S19']);
  });

  it('quotes availability for goods and none for services', async () => {
    const quote = (await post('/api/v1/order-quotes', { customerId: customers['Bäckerei Schröder']!.id, lines: [{ sku: 'BRG-6204-2RS', quantity: '1' }, { sku: demoService(), quantity: '2' }] })).json();
    expect(quote.lines[0].available).toMatch(/^\d+(\.\d+)?$/);
    expect(quote.lines[1].available).toBeNull();
  });

  it('refuses bad input with what to fix, writing nothing', async () => {
    const count = async () => (await t.database.handle.db.selectFrom('sales_orders').select('id').where('tenant_id', '=', t.tenant.id).execute()).length;
    const before = await count();
    const müller = customers['Bäckerei Schröder']!.id;
    const cases: Array<[unknown, number, string]> = [
      [{ customerId: '01900000-0000-7000-8000-000000000000', lines: [{ sku: 'BRG-6204-2RS', quantity: '1' }] }, 404, 'O2C_NOT_FOUND'],
      [{ customerId: müller, lines: [{ sku: 'NO-SUCH-SKU', quantity: '1' }] }, 400, 'O2C_VALIDATION_FAILED'],
      [{ customerId: müller, lines: [{ sku: 'BRG-6204-2RS', quantity: '0' }] }, 400, 'O2C_VALIDATION_FAILED'],
      [{ customerId: müller, lines: [{ sku: 'BRG-6204-2RS', quantity: '-3' }] }, 400, 'O2C_VALIDATION_FAILED'],
      [{ customerId: müller, lines: [{ sku: 'BRG-6204-2RS', quantity: '1.1234567' }] }, 400, 'O2C_VALIDATION_FAILED'],
      [{ customerId: müller, lines: [{ sku: 'BRG-6204-2RS', quantity: 1 }] }, 400, 'O2C_VALIDATION_FAILED'],
      [{ customerId: müller, currency: 'JPY', lines: [{ sku: 'BRG-6204-2RS', quantity: '1' }] }, 422, 'O2C_PRICE_NOT_FOUND'],
      [{ customerId: müller, lines: [{ sku: 'BRG-6204-2RS', quantity: '1', unitPrice: '3.00', priceOverrideReason: 'friend' }] }, 403, 'O2C_PRICE_OVERRIDE_NOT_PERMITTED'],
      [{ customerId: müller, warehouseId: '01900000-0000-7000-8000-000000000000', lines: [{ sku: 'BRG-6204-2RS', quantity: '1' }] }, 404, 'O2C_NOT_FOUND'],
      [{ customerId: müller, lines: [] }, 400, 'O2C_VALIDATION_FAILED'],
      [{ customerId: müller, charges: [{ kind: 'freight', amount: '1.001' }], lines: [{ sku: 'BRG-6204-2RS', quantity: '1' }] }, 400, 'O2C_VALIDATION_FAILED'],
    ];
    for (const [body, status, code] of cases) {
      const response = await post('/api/v1/orders', body);
      expect({ body, status: response.statusCode, code: response.json().code }).toEqual({ body, status, code });
      expect(response.json().detail.length).toBeGreaterThan(10);
    }
    const noSku = await post('/api/v1/orders', { customerId: müller, lines: [{ sku: 'BRG-6204-2RS', quantity: '1' }, { sku: 'NOPE', quantity: 'x' }] });
    expect(noSku.json().errors.map((issue: { path: string }) => issue.path).sort()).toEqual(['body.lines.1.quantity', 'body.lines.1.sku']);
    expect(await count()).toBe(before);
  });

  it('refuses an order for a blocked customer', async () => {
    const blocked = await t.database.handle.db.selectFrom('customers').select('id').where('tenant_id', '=', t.tenant.id).where('status', '=', 'blocked').executeTakeFirstOrThrow();
    const response = await post('/api/v1/orders', { customerId: blocked.id, lines: [{ sku: 'BRG-6204-2RS', quantity: '1' }] });
    expect(response.statusCode).toBe(422);
    expect(response.json().code).toBe('O2C_CUSTOMER_NOT_ACTIVE');
  });

  it('lets a permitted user override a price with a reason', async () => {
    const keyResponse = await post('/api/v1/api-keys', { name: 'senior sales', roles: ['sales'], permissions: ['price_override'] }, t.tenant.keys.admin);
    const senior = keyResponse.json().secret as string;
    const noReason = await post('/api/v1/orders', { customerId: customers['Bäckerei Schröder']!.id, lines: [{ sku: 'BRG-6204-2RS', quantity: '1', unitPrice: '3.5' }] }, senior);
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().errors).toEqual([{ path: 'body.lines.0.priceOverrideReason', message: 'a price override needs a reason' }]);
    const created = await post(
      '/api/v1/orders',
      { customerId: customers['Bäckerei Schröder']!.id, lines: [{ sku: 'BRG-6204-2RS', quantity: '1', unitPrice: '3.5', priceOverrideReason: 'matched competitor offer' }] },
      senior,
    );
    expect(created.statusCode).toBe(201);
    expect(created.json().lines[0]).toMatchObject({ unitPrice: '3.50', priceSource: 'override', priceOverrideReason: 'matched competitor offer' });
    // Anyone on the order desk may submit it afterwards: the override was authorised when it was entered.
    expect((await post(`/api/v1/orders/${created.json().id}/submit`, undefined)).json().status).toBe('approved');
  });

  it('answers 409 for an illegal action and a stale version, and cancels with stock released', async () => {
    const order = (await post('/api/v1/orders', { customerId: customers['Bäckerei Schröder']!.id, lines: [{ sku: 'BRG-6204-2RS', quantity: '5' }] })).json();
    const approved = (await post(`/api/v1/orders/${order.id}/submit`, undefined)).json();
    const again = await post(`/api/v1/orders/${order.id}/submit`, undefined);
    expect(again.statusCode).toBe(409);
    expect(again.json().detail).toMatch(/approved cannot submit/);
    const stale = await t.app.http.inject({ method: 'PATCH', url: `/api/v1/orders/${order.id}`, payload: JSON.stringify({ version: order.version, notes: 'x' }), headers: json(t.tenant.keys.sales) });
    expect(stale.statusCode).toBe(409);
    const reservedBefore = Number((await stockOf('BRG-6204-2RS')).rows.find((row) => Number(row.reserved) > 0)?.reserved ?? 0);
    const cancelled = await post(`/api/v1/orders/${order.id}/cancel`, { reason: 'customer withdrew' });
    expect(cancelled.json()).toMatchObject({ status: 'cancelled', cancelReason: 'customer withdrew' });
    expect(cancelled.json().lines[0].quantityCancelled).toBe('5');
    const reservedAfter = Number((await stockOf('BRG-6204-2RS')).rows.find((row) => Number(row.reserved) >= 0)?.reserved ?? 0);
    expect(reservedBefore - reservedAfter).toBe(5);
    expect(approved.status).toBe('approved');
    expect((await post(`/api/v1/orders/${order.id}/cancel`, { reason: 'again' })).statusCode).toBe(409);
  });

  it('changes the lines of an approved order, re-pricing and re-reserving in one step', async () => {
    const order = (await post('/api/v1/orders', { customerId: customers['Bäckerei Schröder']!.id, lines: [{ sku: 'BRG-6204-2RS', quantity: '2' }] })).json();
    const approved = (await post(`/api/v1/orders/${order.id}/submit`, undefined)).json();
    const changed = await t.app.http.inject({
      method: 'PUT',
      url: `/api/v1/orders/${order.id}/lines`,
      payload: JSON.stringify({ version: approved.version, lines: [{ lineId: approved.lines[0].id, sku: 'BRG-6204-2RS', quantity: '10' }] }),
      headers: json(t.tenant.keys.sales),
    });
    expect(changed.statusCode).toBe(200);
    expect(changed.json().lines[0]).toMatchObject({ quantity: '10', unitPrice: '4.40', quantityReserved: '10' });
    expect(changed.json().status).toBe('approved');
  });

  it('keeps a history and renders a confirmation PDF', async () => {
    const order = (await post('/api/v1/orders', { customerId: customers['Bäckerei Schröder']!.id, lines: [{ sku: 'BRG-6204-2RS', quantity: '1' }] })).json();
    await post(`/api/v1/orders/${order.id}/submit`, undefined);
    const history = (await t.app.http.inject({ method: 'GET', url: `/api/v1/orders/${order.id}/history`, headers: bearer(t.tenant.keys.viewer) })).json();
    expect(history.items.map((entry: { action: string }) => entry.action)).toEqual(['order.created', 'order.submitted', 'order.approved']);
    const pdf = await t.app.http.inject({ method: 'GET', url: `/api/v1/orders/${order.id}/confirmation.pdf`, headers: bearer(t.tenant.keys.viewer) });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    // The Unicode font is embedded, so names like Bäckerei Schröder print right.
    expect(pdf.rawPayload.toString('latin1')).toMatch(/FontFile2/);
    expect(pdf.rawPayload.toString('latin1')).toMatch(/DejaVuSans/);
  });

  it('waits as a backorder when a ship-complete order cannot be met in full, reserving nothing', async () => {
    const limit = await t.app.http.inject({ method: 'PUT', url: `/api/v1/credit/customers/${customers['Bäckerei Schröder']!.id}/limit`, payload: JSON.stringify({ limit: '10000000.00', reason: 'a very large order' }), headers: { 'content-type': 'application/json', ...bearer(t.tenant.keys.credit) } });
    expect(limit.statusCode, limit.body).toBe(200);
    const order = (await post('/api/v1/orders', { customerId: customers['Bäckerei Schröder']!.id, shippingPolicy: 'complete', lines: [{ sku: 'BRG-6204-2RS', quantity: '1' }, { sku: 'GLOVE-9', quantity: '100000' }] })).json();
    const submitted = (await post(`/api/v1/orders/${order.id}/submit`, undefined)).json();
    expect(submitted).toMatchObject({ status: 'approved', reservationStatus: 'backordered' });
    expect(submitted.lines.map((line: { quantityReserved: string; promisedShipDate: string | null }) => [line.quantityReserved, line.promisedShipDate])).toEqual([
      ['0', null],
      ['0', null],
    ]);
  });

  it('short-closes an order whose service is already billed, cancelling only what is not', async () => {
    const order = (await post('/api/v1/orders', { customerId: customers['Bäckerei Schröder']!.id, lines: [{ sku: 'BRG-6204-2RS', quantity: '2' }, { sku: demoService(), quantity: '1' }] })).json();
    expect((await post(`/api/v1/orders/${order.id}/submit`, undefined)).json().status).toBe('approved');
    const draft = await post('/api/v1/invoices', { orderIds: [order.id] }, t.tenant.keys.billing);
    expect(draft.statusCode, draft.body).toBe(201);
    const cancelled = await post(`/api/v1/orders/${order.id}/cancel`, { reason: 'goods no longer needed' });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(cancelled.json().status).toBe('shipped');
    expect(cancelled.json().lines.map((line: { quantityCancelled: string; quantityInvoiced: string }) => [line.quantityCancelled, line.quantityInvoiced])).toEqual([
      ['2', '0'],
      ['0', '1'],
    ]);
  });

  it('keeps other tenants out', async () => {
    const other: TestTenant = await createTestTenant(t.database.handle, 'orders-other');
    const order = (await post('/api/v1/orders', { customerId: customers['Bäckerei Schröder']!.id, lines: [{ sku: 'BRG-6204-2RS', quantity: '1' }] })).json();
    expect((await t.app.http.inject({ method: 'GET', url: `/api/v1/orders/${order.id}`, headers: bearer(other.keys.admin) })).statusCode).toBe(404);
    expect((await post(`/api/v1/orders/${order.id}/submit`, undefined, other.keys.sales)).statusCode).toBe(404);
    expect((await post('/api/v1/orders', { customerId: customers['Bäckerei Schröder']!.id, lines: [{ sku: 'BRG-6204-2RS', quantity: '1' }] }, other.keys.sales)).statusCode).toBe(404);
  });
});

function demoService(): string {
  return 'SVC-INSTALL';
}
