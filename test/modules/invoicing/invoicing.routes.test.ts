import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, startTestApp, type TestApp } from '../../support/app';
import { loadDemoRecords } from '../../support/demo-data';

let t: TestApp;
let customerId: string;
beforeAll(async () => {
  t = await startTestApp();
  await loadDemoRecords(t.database.handle, t.tenant.id);
  const db = t.database.handle.db;
  customerId = (await db.selectFrom('customers').select('id').where('tenant_id', '=', t.tenant.id).where('name', '=', 'Müller Elektrotechnik').executeTakeFirstOrThrow()).id;
});
afterAll(async () => t.close());

const post = (url: string, body?: unknown, key = t.tenant.keys.billing) =>
  t.app.http.inject({ method: 'POST', url, ...(body === undefined ? { headers: bearer(key) } : { payload: JSON.stringify(body), headers: { 'content-type': 'application/json', ...bearer(key) } }) });
const patch = (url: string, body: unknown, key = t.tenant.keys.billing) => t.app.http.inject({ method: 'PATCH', url, payload: JSON.stringify(body), headers: { 'content-type': 'application/json', ...bearer(key) } });
const get = (url: string) => t.app.http.inject({ method: 'GET', url, headers: bearer(t.tenant.keys.viewer) });

async function shippedOrder(lines: Array<{ sku: string; quantity: string }>, customer = customerId, extra: Record<string, unknown> = {}) {
  const order = (await post('/api/v1/orders', { customerId: customer, lines, ...extra }, t.tenant.keys.sales)).json();
  expect((await post(`/api/v1/orders/${order.id}/submit`, undefined, t.tenant.keys.sales)).statusCode).toBe(200);
  const shipment = (await post('/api/v1/shipments', { orderId: order.id }, t.tenant.keys.warehouse)).json();
  await post(`/api/v1/shipments/${shipment.id}/pick`, undefined, t.tenant.keys.warehouse);
  await post(`/api/v1/shipments/${shipment.id}/pack`, { packages: [{ packageType: 'box' }] }, t.tenant.keys.warehouse);
  const shipped = await post(`/api/v1/shipments/${shipment.id}/ship`, { carrier: 'DHL' }, t.tenant.keys.warehouse);
  expect(shipped.statusCode).toBe(200);
  return { orderId: order.id as string, shipmentId: shipment.id as string };
}

async function balances(entryId: string) {
  const lines = await t.database.handle.db.selectFrom('journal_lines').selectAll().where('entry_id', '=', entryId).execute();
  return lines;
}

describe('invoices over HTTP', () => {
  it('drafts an invoice from a shipment, issues it with a number, terms and RF reference, and posts it', async () => {
    const { orderId, shipmentId } = await shippedOrder([{ sku: 'BRG-6204-2RS', quantity: '6' }, { sku: 'SVC-INSTALL', quantity: '1' }]);
    const ready = (await get(`/api/v1/invoicing/ready?customerId=${customerId}`)).json().items as Array<{ shipmentId: string | null; orderId: string }>;
    expect(ready.some((line) => line.shipmentId === shipmentId)).toBe(true);
    const draft = await post('/api/v1/invoices', { shipmentIds: [shipmentId], orderIds: [orderId] });
    expect(draft.statusCode).toBe(201);
    const invoice = draft.json();
    expect(invoice).toMatchObject({ status: 'draft', number: null, kind: 'invoice', availableActions: ['update', 'delete', 'issue'] });
    expect(invoice.lines.map((line: { sku: string }) => line.sku)).toEqual(['BRG-6204-2RS', 'SVC-INSTALL']);
    // The same quantities cannot be billed twice.
    const twice = await post('/api/v1/invoices', { shipmentIds: [shipmentId] });
    expect(twice.statusCode).toBe(422);
    expect(twice.json().code).toBe('O2C_NOTHING_TO_INVOICE');
    const issued = await post(`/api/v1/invoices/${invoice.id}/issue`);
    expect(issued.statusCode, issued.body).toBe(200);
    const body = issued.json();
    expect(body.number).toMatch(/^INV-\d{4}-\d{6}$/);
    expect(body.paymentReference).toMatch(/^RF\d{2}INV\d{10}$/);
    expect(body.dueDate).not.toBeNull();
    expect(body.open).toBe(body.gross);
    const entry = await balances(body.journalEntryId);
    const debit = entry.filter((line) => line.side === 'debit').reduce((sum, line) => sum + line.amount_minor, 0n);
    const credit = entry.filter((line) => line.side === 'credit').reduce((sum, line) => sum + line.amount_minor, 0n);
    expect(debit).toBe(credit);
    expect(entry.find((line) => line.customer_id === customerId)?.side).toBe('debit');
    const order = (await get(`/api/v1/orders/${orderId}`)).json();
    expect(order.lines.map((line: { quantityInvoiced: string }) => line.quantityInvoiced)).toEqual(['6', '1']);
    // Issued documents are fixed.
    expect((await patch(`/api/v1/invoices/${body.id}`, { version: body.version, notes: 'late change' })).statusCode).toBe(409);
    const remove = await t.app.http.inject({ method: 'DELETE', url: `/api/v1/invoices/${body.id}?version=${body.version}`, headers: bearer(t.tenant.keys.billing) });
    expect(remove.statusCode).toBe(409);
    const pdf = await get(`/api/v1/invoices/${body.id}/invoice.pdf`);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const xml = await get(`/api/v1/invoices/${body.id}/ubl.xml`);
    expect(xml.body).toContain(`<cbc:ID>${body.number}</cbc:ID>`);
    const check = (await get(`/api/v1/invoices/${body.id}/validation`)).json();
    expect(check).toEqual({ valid: true, violations: [] });
  });

  it('changes and deletes drafts; deleted quantities can be billed again', async () => {
    const { shipmentId } = await shippedOrder([{ sku: 'GLOVE-9', quantity: '3' }, { sku: 'FILM-500', quantity: '2' }]);
    const draft = (await post('/api/v1/invoices', { shipmentIds: [shipmentId] })).json();
    const changed = await patch(`/api/v1/invoices/${draft.id}`, { version: draft.version, notes: 'Thank you', removeLineIds: [draft.lines[1].id] });
    expect(changed.statusCode).toBe(200);
    expect(changed.json().lines).toHaveLength(1);
    expect(changed.json().notes).toBe('Thank you');
    const stale = await patch(`/api/v1/invoices/${draft.id}`, { version: draft.version, notes: 'x' });
    expect(stale.statusCode).toBe(409);
    const second = (await post('/api/v1/invoices', { shipmentIds: [shipmentId] })).json();
    expect(second.lines.map((line: { sku: string }) => line.sku)).toEqual(['FILM-500']);
    const removed = await t.app.http.inject({ method: 'DELETE', url: `/api/v1/invoices/${draft.id}?version=${changed.json().version}`, headers: bearer(t.tenant.keys.billing) });
    expect(removed.statusCode).toBe(204);
    const third = (await post('/api/v1/invoices', { shipmentIds: [shipmentId] })).json();
    expect(third.lines.map((line: { sku: string }) => line.sku)).toEqual(['GLOVE-9']);
  });

  it('refuses an empty invoice and writes nothing', async () => {
    const { shipmentId } = await shippedOrder([{ sku: 'GLOVE-9', quantity: '1' }]);
    const draft = (await post('/api/v1/invoices', { shipmentIds: [shipmentId] })).json();
    const emptied = (await patch(`/api/v1/invoices/${draft.id}`, { version: draft.version, removeLineIds: [draft.lines[0].id] })).json();
    const before = await t.database.handle.db.selectFrom('journal_entries').select('id').execute();
    const refused = await post(`/api/v1/invoices/${emptied.id}/issue`);
    expect(refused.statusCode).toBe(422);
    expect(refused.json().detail).toMatch(/no lines/);
    expect((await t.database.handle.db.selectFrom('journal_entries').select('id').execute()).length).toBe(before.length);
    expect((await get(`/api/v1/invoices/${emptied.id}`)).json().status).toBe('draft');
  });

  it('credits quantities, amounts and in full; the rest becomes a credit item; credited goods can be billed again', async () => {
    const { shipmentId } = await shippedOrder([{ sku: 'BRG-6204-2RS', quantity: '10' }, { sku: 'HOSE-12-2M', quantity: '2' }]);
    const draft = (await post('/api/v1/invoices', { shipmentIds: [shipmentId] })).json();
    const invoice = (await post(`/api/v1/invoices/${draft.id}/issue`)).json();
    const tooMuch = await post(`/api/v1/invoices/${invoice.id}/credit-notes`, { reason: 'return', lines: [{ invoiceLineId: invoice.lines[0].id, quantity: '11' }] });
    expect(tooMuch.statusCode).toBe(422);
    expect(tooMuch.json().code).toBe('O2C_CREDIT_EXCEEDS_INVOICED');
    const noReason = await post(`/api/v1/invoices/${invoice.id}/credit-notes`, { reason: '' });
    expect(noReason.statusCode).toBe(400);
    const returned = await post(`/api/v1/invoices/${invoice.id}/credit-notes`, { reason: 'Two bearings returned', lines: [{ invoiceLineId: invoice.lines[0].id, quantity: '2' }] });
    expect(returned.statusCode, returned.body).toBe(201);
    const creditNote = returned.json();
    expect(creditNote.number).toMatch(/^CN-\d{4}-\d{6}$/);
    expect(creditNote.kind).toBe('credit_note');
    expect(creditNote.creditedInvoice.id).toBe(invoice.id);
    const after = (await get(`/api/v1/invoices/${invoice.id}`)).json();
    expect(after.creditNotes).toHaveLength(1);
    expect(after.lines[0]).toMatchObject({ creditedQuantity: '2' });
    expect(after.lines[1]).toMatchObject({ creditedQuantity: '0', creditable: after.lines[1].taxable });
    expect(Number(after.open)).toBeCloseTo(Number(invoice.gross) - Number(creditNote.gross), 2);
    // The two returned bearings can be invoiced again.
    const again = (await get(`/api/v1/invoicing/ready?customerId=${customerId}`)).json().items.filter((line: { shipmentId: string }) => line.shipmentId === shipmentId);
    expect(again.map((line: { quantity: string }) => line.quantity)).toEqual(['2']);
    // Goods that came back are settled by the credit note and not billed again.
    const hoses = await post(`/api/v1/invoices/${invoice.id}/credit-notes`, { reason: 'One hose returned damaged', goodsReturned: true, lines: [{ invoiceLineId: invoice.lines[1].id, quantity: '1' }] });
    expect(hoses.statusCode, hoses.body).toBe(201);
    const readyAfterReturn = (await get(`/api/v1/invoicing/ready?customerId=${customerId}`)).json().items.filter((line: { shipmentId: string }) => line.shipmentId === shipmentId);
    expect(readyAfterReturn.map((line: { sku: string; quantity: string }) => `${line.sku} ${line.quantity}`)).toEqual(['BRG-6204-2RS 2']);
    const rest = await post(`/api/v1/invoices/${invoice.id}/credit-notes`, { reason: 'Customer goodwill: everything else' });
    expect(rest.statusCode).toBe(201);
    const settled = (await get(`/api/v1/invoices/${invoice.id}`)).json();
    expect(settled.open).toBe('0.00');
    const full = await post(`/api/v1/invoices/${invoice.id}/credit-notes`, { reason: 'again' });
    expect(full.statusCode).toBe(422);
  });

  it('corrects an invoice: full credit note plus a draft with the same lines', async () => {
    const { shipmentId } = await shippedOrder([{ sku: 'OIL-HLP46', quantity: '4' }]);
    const draft = (await post('/api/v1/invoices', { shipmentIds: [shipmentId] })).json();
    const invoice = (await post(`/api/v1/invoices/${draft.id}/issue`)).json();
    const corrected = await post(`/api/v1/invoices/${invoice.id}/correct`, { reason: 'wrong PO number' });
    expect(corrected.statusCode).toBe(201);
    const { creditNote, draft: next } = corrected.json();
    expect(creditNote.gross).toBe(invoice.gross);
    expect(next).toMatchObject({ status: 'draft', gross: invoice.gross, corrects: { id: invoice.id } });
    expect((await get(`/api/v1/invoices/${invoice.id}`)).json().open).toBe('0.00');
    const reissued = (await post(`/api/v1/invoices/${next.id}/issue`)).json();
    expect(reissued.number).not.toBe(invoice.number);
  });

  it('lists with filters and keeps roles apart', async () => {
    const list = (await get('/api/v1/invoices?kind=credit_note&limit=5')).json();
    expect(list.items.every((item: { kind: string }) => item.kind === 'credit_note')).toBe(true);
    const overdue = (await get('/api/v1/invoices?overdue=true')).json();
    expect(overdue.items.every((item: { overdue: boolean }) => item.overdue)).toBe(true);
    const { shipmentId, orderId } = await shippedOrder([{ sku: 'GLOVE-9', quantity: '1' }]);
    expect((await post('/api/v1/invoices', { shipmentIds: [shipmentId] }, t.tenant.keys.sales)).statusCode).toBe(403);
    const draft = (await post('/api/v1/invoices', { shipmentIds: [shipmentId] })).json();
    expect((await get(`/api/v1/invoices?orderId=${orderId}`)).json().items.map((item: { id: string }) => item.id)).toEqual([draft.id]);
  });
});
