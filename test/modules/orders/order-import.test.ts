import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, startTestApp, type TestApp } from '../../support/app';
import { loadDemoRecords } from '../../support/demo-data';

let t: TestApp;
let bakery: string;
let muller: string;
beforeAll(async () => {
  t = await startTestApp();
  await loadDemoRecords(t.database.handle, t.tenant.id);
  const rows = await t.database.handle.db.selectFrom('customers').select(['number', 'name']).where('tenant_id', '=', t.tenant.id).execute();
  bakery = rows.find((row) => row.name === 'Bäckerei Schröder')!.number;
  muller = rows.find((row) => row.name === 'Müller Elektrotechnik')!.number;
});
afterAll(async () => t.close());

const upload = (csv: string, query = '') =>
  t.app.http.inject({ method: 'POST', url: `/api/v1/order-imports${query}`, payload: csv, headers: { 'content-type': 'text/csv', ...bearer(t.tenant.keys.sales) } });
const orderCount = async () => (await t.database.handle.db.selectFrom('sales_orders').select('id').where('tenant_id', '=', t.tenant.id).execute()).length;

describe('order import from CSV', () => {
  it('groups rows into orders by customer and PO, and a second import creates nothing new', async () => {
    const csv = [
      'customer_number,po_number,sku,quantity,requested_delivery_date,discount_percent',
      `${bakery},B-100,BRG-6204-2RS,12,2027-01-15,`,
      `${bakery},B-100,SVC-INSTALL,2,2027-01-15,5`,
      `${muller},M-7,HOSE-12-2M,4,,`,
    ].join('\n');
    const first = await upload(csv);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ rows: 3, skipped: [] });
    expect(first.json().created.map((order: { poNumber: string; lines: number; status: string }) => [order.poNumber, order.lines, order.status])).toEqual([
      ['B-100', 2, 'draft'],
      ['M-7', 1, 'draft'],
    ]);
    const before = await orderCount();
    const second = await upload(csv);
    expect(second.json().created).toEqual([]);
    expect(second.json().skipped.map((order: { poNumber: string; reason: string }) => order.poNumber)).toEqual(['B-100', 'M-7']);
    expect(await orderCount()).toBe(before);
    const order = await t.database.handle.db.selectFrom('sales_orders').select(['source', 'requested_delivery_date']).where('customer_po_number', '=', 'B-100').executeTakeFirstOrThrow();
    expect(order).toEqual({ source: 'csv', requested_delivery_date: '2027-01-15' });
  });

  it('submits imported orders on request', async () => {
    const response = await upload(`customer_number;po_number;sku;quantity\n${bakery};B-200;BRG-6204-2RS;1\n`, '?submit=true');
    expect(response.json().created[0].status).toBe('approved');
  });

  it('refuses the whole file and names every bad row, writing nothing', async () => {
    const before = await orderCount();
    const numbersBefore = await t.database.handle.db.selectFrom('number_series_counters').select(['series', 'last_value']).where('tenant_id', '=', t.tenant.id).execute();
    const csv = [
      'customer_number,po_number,sku,quantity,order_date',
      `${bakery},B-300,BRG-6204-2RS,5,`,
      `${bakery},B-301,NO-SUCH-SKU,1,`,
      `${bakery},B-302,BRG-6204-2RS,-2,`,
      `C999999,X-1,BRG-6204-2RS,1,`,
      `${bakery},B-303,BRG-6204-2RS,1,2026-02-30`,
      `${bakery},,BRG-6204-2RS,1,`,
    ].join('\n');
    const response = await upload(csv);
    expect(response.statusCode).toBe(422);
    const problem = response.json();
    expect(problem.code).toBe('O2C_IMPORT_REJECTED');
    expect(problem.errors).toEqual([
      { path: 'row 6', message: 'order_date: "2026-02-30" is not a calendar date YYYY-MM-DD' },
      { path: 'row 7', message: 'po_number must not be empty' },
    ]);
    const valuesOnly = await upload(csv.split('\n').slice(0, 5).join('\n'));
    expect(valuesOnly.json().errors).toEqual([
      { path: 'row 3', message: 'sku: no item with SKU NO-SUCH-SKU' },
      { path: 'row 4', message: expect.stringMatching(/^quantity: /) },
      { path: 'row 5', message: 'customer_number: no customer C999999' },
    ]);
    expect(await orderCount()).toBe(before);
    const numbersAfter = await t.database.handle.db.selectFrom('number_series_counters').select(['series', 'last_value']).where('tenant_id', '=', t.tenant.id).execute();
    expect(numbersAfter).toEqual(numbersBefore);
  });

  it('refuses a wrong header with the list of columns', async () => {
    const response = await upload('customer,po_number,sku,qty\nx,y,z,1\n');
    expect(response.statusCode).toBe(422);
    expect(response.json().errors).toEqual([
      { path: 'row 1', message: 'unknown column "customer"' },
      { path: 'row 1', message: 'unknown column "qty"' },
      { path: 'row 1', message: 'missing column "customer_number"' },
      { path: 'row 1', message: 'missing column "quantity"' },
    ]);
    expect((await upload('')).statusCode).toBe(400);
    expect((await upload('"unterminated,quote\n')).json().code).toBe('O2C_IMPORT_REJECTED');
  });
});
