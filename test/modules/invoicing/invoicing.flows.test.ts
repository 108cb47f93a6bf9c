import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkDocument } from '../../../src/modules/invoicing/sending.service';
import { documentOf } from '../../../src/modules/invoicing/document-of';
import { bearer, createTestTenant, startTestApp, type TestApp, type TestTenant } from '../../support/app';
import { loadDemoRecords } from '../../support/demo-data';
import { relayAndRunJobs } from '../../support/outbox';

let t: TestApp;
let other: TestTenant;
const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await startTestApp();
  await loadDemoRecords(t.database.handle, t.tenant.id);
  other = await createTestTenant(t.database.handle, 'globex');
  const rows = await t.database.handle.db.selectFrom('customers').select(['id', 'name']).where('tenant_id', '=', t.tenant.id).execute();
  for (const row of rows) ids[row.name] = row.id;
  // Everything the demo loaders queued is not this file's business.
  await relay();
});
afterAll(async () => t.close());

const relay = () => relayAndRunJobs(t.database.handle.db);
const post = (url: string, body?: unknown, key = t.tenant.keys.billing) =>
  t.app.http.inject({ method: 'POST', url, ...(body === undefined ? { headers: bearer(key) } : { payload: JSON.stringify(body), headers: { 'content-type': 'application/json', ...bearer(key) } }) });
const get = (url: string, key = t.tenant.keys.viewer) => t.app.http.inject({ method: 'GET', url, headers: bearer(key) });

async function shipped(customer: string, lines: Array<{ sku: string; quantity: string }>) {
  const order = (await post('/api/v1/orders', { customerId: ids[customer], lines }, t.tenant.keys.sales)).json();
  expect(order.id, JSON.stringify(order)).toBeDefined();
  expect((await post(`/api/v1/orders/${order.id}/submit`, undefined, t.tenant.keys.sales)).statusCode).toBe(200);
  const shipment = (await post('/api/v1/shipments', { orderId: order.id }, t.tenant.keys.warehouse)).json();
  await post(`/api/v1/shipments/${shipment.id}/pick`, undefined, t.tenant.keys.warehouse);
  await post(`/api/v1/shipments/${shipment.id}/pack`, { packages: [{ packageType: 'box' }] }, t.tenant.keys.warehouse);
  expect((await post(`/api/v1/shipments/${shipment.id}/ship`, { carrier: 'UPS' }, t.tenant.keys.warehouse)).statusCode).toBe(200);
  return { orderId: order.id as string, shipmentId: shipment.id as string };
}

async function invoicesOf(customer: string) {
  return (await get(`/api/v1/invoices?customerId=${ids[customer]}&kind=invoice&limit=100`)).json().items as Array<{ id: string; status: string; number: string | null; gross: string }>;
}

describe('automatic invoicing', () => {
  it('drafts one invoice per shipment for customers invoiced per shipment, when the shipment becomes ready', async () => {
    const before = await invoicesOf('Sanne de Vries');
    const { shipmentId } = await shipped('Sanne de Vries', [{ sku: 'GLOVE-9', quantity: '2' }]);
    await relay();
    const after = await invoicesOf('Sanne de Vries');
    expect(after.length).toBe(before.length + 1);
    const invoice = (await get(`/api/v1/invoices/${after[0]!.id}`)).json();
    expect(invoice).toMatchObject({ status: 'draft', origin: 'automatic' });
    expect(invoice.lines[0].shipmentId).toBe(shipmentId);
  });

  it('issues automatic invoices at once when the setting says so', async () => {
    const settings = (await get('/api/v1/invoicing/settings')).json();
    expect((await t.app.http.inject({ method: 'PUT', url: '/api/v1/invoicing/settings', payload: { autoIssue: true, version: settings.version }, headers: bearer(t.tenant.keys.billing) })).statusCode).toBe(403);
    const changed = await t.app.http.inject({ method: 'PUT', url: '/api/v1/invoicing/settings', payload: { autoIssue: true, version: settings.version }, headers: bearer(t.tenant.keys.admin) });
    expect(changed.json()).toMatchObject({ autoIssue: true });
    await shipped('Holzbau Österreicher', [{ sku: 'FILM-500', quantity: '1' }]);
    await relay();
    const [latest] = await invoicesOf('Holzbau Österreicher');
    expect(latest).toMatchObject({ status: 'issued' });
    expect(latest!.number).toMatch(/^INV-/);
    await t.app.http.inject({ method: 'PUT', url: '/api/v1/invoicing/settings', payload: { autoIssue: false, version: changed.json().version }, headers: bearer(t.tenant.keys.admin) });
  });

  it('collects the day into one invoice for customers invoiced daily, with open service lines', async () => {
    const customer = 'Müller Elektrotechnik';
    const first = await shipped(customer, [{ sku: 'BRG-6204-2RS', quantity: '2' }, { sku: 'SVC-INSTALL', quantity: '1' }]);
    const second = await shipped(customer, [{ sku: 'HOSE-12-2M', quantity: '1' }]);
    await relay();
    const before = await invoicesOf(customer);
    const run = await post('/api/v1/invoice-runs', { customerId: ids[customer] });
    expect(run.statusCode).toBe(200);
    expect(run.json()).toMatchObject({ invoices: [{ customer: { id: ids[customer] } }], failures: [] });
    const invoice = (await get(`/api/v1/invoices/${run.json().invoices[0].id}`)).json();
    const orders = new Set(invoice.lines.map((line: { orderId: string }) => line.orderId));
    expect(orders).toEqual(new Set([first.orderId, second.orderId]));
    expect(invoice.lines.map((line: { sku: string }) => line.sku).sort()).toEqual(['BRG-6204-2RS', 'HOSE-12-2M', 'SVC-INSTALL']);
    expect((await invoicesOf(customer)).length).toBe(before.length + 1);
    // Nothing is left, so a second run creates nothing.
    expect((await post('/api/v1/invoice-runs', { customerId: ids[customer] })).json().invoices).toHaveLength(0);
  });
});

describe('tax categories and currencies', () => {
  async function issuedFor(customer: string, lines: Array<{ sku: string; quantity: string }>) {
    const { shipmentId, orderId } = await shipped(customer, lines);
    const draft = await post('/api/v1/invoices', { shipmentIds: [shipmentId], orderIds: [orderId] });
    expect(draft.statusCode, draft.body).toBe(201);
    const issued = await post(`/api/v1/invoices/${draft.json().id}/issue`);
    expect(issued.statusCode, issued.body).toBe(200);
    return issued.json();
  }

  it('bills a US customer in USD with the VAT total in EUR and passes the e-invoice checks', async () => {
    const invoice = await issuedFor('Great Lakes Supply', [{ sku: 'BRG-6204-2RS', quantity: '4' }]);
    expect(invoice.currency).toBe('USD');
    expect(invoice.baseCurrency).toBe('EUR');
    expect(invoice.taxInBaseCurrency).not.toBeNull();
    expect(invoice.lines[0].taxCategory).toBe('G');
    const check = await checkDocument(await documentOf(t.database.handle.db, t.tenant.id, invoice.id));
    expect(check).toEqual({ valid: true, violations: [] });
    const xml = (await get(`/api/v1/invoices/${invoice.id}/ubl.xml`)).body;
    expect(xml).toContain('<cbc:TaxCurrencyCode>EUR</cbc:TaxCurrencyCode>');
  });

  it('bills an EU business customer as an intra-Community supply', async () => {
    const invoice = await issuedFor('Atelier Lumière', [{ sku: 'GLOVE-9', quantity: '3' }]);
    expect(invoice.lines[0].taxCategory).toBe('K');
    expect(invoice.tax).toBe('0.00');
    expect(invoice.taxBreakdown[0].exemptionReason).toMatch(/Intra-Community/);
    const check = await checkDocument(await documentOf(t.database.handle.db, t.tenant.id, invoice.id));
    expect(check.violations).toEqual([]);
  });

  it('bills services to a customer outside the EU as not subject to VAT, without VAT ids in the e-invoice', async () => {
    const order = (await post('/api/v1/orders', { customerId: ids['Great Lakes Supply'], lines: [{ sku: 'SVC-INSTALL', quantity: '2' }] }, t.tenant.keys.sales)).json();
    expect((await post(`/api/v1/orders/${order.id}/submit`, undefined, t.tenant.keys.sales)).statusCode).toBe(200);
    const draft = (await post('/api/v1/invoices', { orderIds: [order.id] })).json();
    const invoice = (await post(`/api/v1/invoices/${draft.id}/issue`)).json();
    expect(invoice.lines[0].taxCategory).toBe('O');
    // Without VAT ids the seller needs its registration number (BR-CO-26); the check says so until it is there.
    const missing = (await get(`/api/v1/invoices/${invoice.id}/validation`)).json();
    expect(missing.violations.map((violation: { rule: string }) => violation.rule)).toEqual(['BR-CO-26']);
    const refused = await post(`/api/v1/invoices/${invoice.id}/send`, { recipient: 'ap@greatlakes-supply.example' });
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({ code: 'O2C_EINVOICE_INVALID', errors: [{ path: 'BR-CO-26' }] });
    expect(await t.database.handle.db.selectFrom('invoice_sendings').select('id').where('invoice_id', '=', invoice.id).execute()).toEqual([]);
    await t.database.handle.db.updateTable('tenants').set({ registration_id: 'HRB 99999 B' }).where('id', '=', t.tenant.id).execute();
    expect((await get(`/api/v1/invoices/${invoice.id}/validation`)).json()).toEqual({ valid: true, violations: [] });
    const xml = (await get(`/api/v1/invoices/${invoice.id}/ubl.xml`)).body;
    expect(xml).not.toContain('DE123456789');
    expect(xml).toContain('<cbc:ID>O</cbc:ID>');
  });

  it('puts supplies not subject to VAT on an invoice of their own (BR-O-11)', async () => {
    const { shipmentId, orderId } = await shipped('Great Lakes Supply', [{ sku: 'BRG-6204-2RS', quantity: '1' }, { sku: 'SVC-INSTALL', quantity: '1' }]);
    const first = (await post('/api/v1/invoices', { shipmentIds: [shipmentId], orderIds: [orderId] })).json();
    expect(first.lines.map((line: { taxCategory: string }) => line.taxCategory)).toEqual(['G']);
    const waiting = (await get(`/api/v1/invoicing/ready?customerId=${ids['Great Lakes Supply']}`)).json().items.filter((line: { orderId: string }) => line.orderId === orderId);
    expect(waiting.map((line: { sku: string }) => line.sku)).toEqual(['SVC-INSTALL']);
    const run = (await post('/api/v1/invoice-runs', { customerId: ids['Great Lakes Supply'] })).json();
    const second = (await get(`/api/v1/invoices/${run.invoices.find((invoice: { id: string }) => invoice.id !== first.id).id}`)).json();
    expect(second.lines.map((line: { taxCategory: string }) => line.taxCategory)).toEqual(['O']);
  });

  it('credits freight alone as a valid e-invoice (the charge stated as its line)', async () => {
    const order = (await post('/api/v1/orders', { customerId: ids['Müller Elektrotechnik'], lines: [{ sku: 'GLOVE-9', quantity: '1' }], charges: [{ kind: 'freight', description: 'Freight', amount: '12.50' }] }, t.tenant.keys.sales)).json();
    expect((await post(`/api/v1/orders/${order.id}/submit`, undefined, t.tenant.keys.sales)).statusCode).toBe(200);
    const shipment = (await post('/api/v1/shipments', { orderId: order.id }, t.tenant.keys.warehouse)).json();
    await post(`/api/v1/shipments/${shipment.id}/pick`, undefined, t.tenant.keys.warehouse);
    await post(`/api/v1/shipments/${shipment.id}/pack`, { packages: [{ packageType: 'box' }] }, t.tenant.keys.warehouse);
    await post(`/api/v1/shipments/${shipment.id}/ship`, { carrier: 'UPS' }, t.tenant.keys.warehouse);
    const draft = (await post('/api/v1/invoices', { shipmentIds: [shipment.id] })).json();
    const invoice = (await post(`/api/v1/invoices/${draft.id}/issue`)).json();
    const freight = invoice.lines.find((line: { kind: string }) => line.kind === 'charge');
    expect(freight).toMatchObject({ description: 'Freight', net: '12.50' });
    const credit = await post(`/api/v1/invoices/${invoice.id}/credit-notes`, { reason: 'Freight waived', lines: [{ invoiceLineId: freight.id, amount: '12.50' }] });
    expect(credit.statusCode, credit.body).toBe(201);
    expect(credit.json()).toMatchObject({ charges: '12.50', linesNet: '0.00' });
    expect((await get(`/api/v1/invoices/${credit.json().id}/validation`)).json()).toEqual({ valid: true, violations: [] });
  });

  it('keeps tenants apart: another tenant sees none of it', async () => {
    const [mine] = await invoicesOf('Müller Elektrotechnik');
    expect((await get(`/api/v1/invoices/${mine!.id}`, other.keys.viewer)).statusCode).toBe(404);
    expect((await post(`/api/v1/invoices/${mine!.id}/issue`, undefined, other.keys.billing)).statusCode).toBe(404);
    expect((await get('/api/v1/invoices', other.keys.viewer)).json().items).toEqual([]);
    expect((await get(`/api/v1/invoices/${mine!.id}/invoice.pdf`, other.keys.viewer)).statusCode).toBe(404);
  });
});
