import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, startTestApp, type TestApp } from '../../support/app';
import { loadDemoRecords } from '../../support/demo-data';
import { relayAndRunJobs } from '../../support/outbox';
import { issueInvoiceFor } from '../../support/invoices';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
  await loadDemoRecords(t.database.handle, t.tenant.id);
  await relayAndRunJobs(t.database.handle.db);
});
afterAll(async () => t.close());

const post = (url: string, body?: unknown, key = t.tenant.keys.cashapp) =>
  t.app.http.inject({ method: 'POST', url, ...(body === undefined ? { headers: bearer(key) } : { payload: JSON.stringify(body), headers: { 'content-type': 'application/json', ...bearer(key) } }) });
const get = (url: string, key = t.tenant.keys.viewer) => t.app.http.inject({ method: 'GET', url, headers: bearer(key) });

async function openInvoice(currency = 'EUR') {
  const customer = await t.database.handle.db.selectFrom('customers').select('id').where('tenant_id', '=', t.tenant.id).where('currency', '=', currency).orderBy('number').executeTakeFirstOrThrow();
  const issued = await issueInvoiceFor(t, customer.id);
  return { id: issued.id, customer_id: customer.id, gross: issued.gross };
}

describe('payments', () => {
  it('records a payment, applies it in part, undoes, reverses', async () => {
    const invoice = await openInvoice();
    const today = new Date().toISOString().slice(0, 10);
    const recorded = await post('/api/v1/payments', { customerId: invoice.customer_id, amount: '1.00', currency: 'EUR', method: 'bank_transfer', valueDate: today, applications: [{ invoiceId: invoice.id, amount: '1.00' }] });
    expect(recorded.statusCode, recorded.body).toBe(201);
    const payment = recorded.json();
    expect(payment).toMatchObject({ amount: '1.00', unapplied: '0.00', applied: '1.00', applications: [{ amount: '1.00', status: 'active' }] });
    const after = (await get(`/api/v1/invoices/${invoice.id}`)).json();
    expect(after.paymentStatus).toBe('partially_paid');
    const undone = await post(`/api/v1/payment-applications/${payment.applications[0].id}/undo`, { reason: 'wrong invoice' });
    expect(undone.statusCode, undone.body).toBe(200);
    expect((await get(`/api/v1/invoices/${invoice.id}`)).json().paymentStatus).toBe('open');
    const reversed = await post(`/api/v1/payments/${payment.id}/reverse`, { reason: 'returned' });
    expect(reversed.statusCode, reversed.body).toBe(200);
    expect(reversed.json()).toMatchObject({ status: 'reversed', unapplied: '0.00' });
  });

  it('settles an invoice in full through the suggestion', async () => {
    const invoice = await openInvoice();
    const today = new Date().toISOString().slice(0, 10);
    const preview = await post('/api/v1/payments/preview', { customerId: invoice.customer_id, amount: '100000.00', currency: 'EUR', valueDate: today });
    expect(preview.statusCode, preview.body).toBe(200);
    const plan = preview.json();
    expect(plan.applications.length).toBeGreaterThan(0);
    const recorded = await post('/api/v1/payments', {
      customerId: invoice.customer_id, amount: '100000.00', currency: 'EUR', method: 'cheque', valueDate: today,
      applications: plan.applications.map((a: { invoiceId: string; amount: string }) => ({ invoiceId: a.invoiceId, amount: a.amount })),
    });
    expect(recorded.statusCode, recorded.body).toBe(201);
    expect((await get(`/api/v1/invoices/${invoice.id}`)).json().paymentStatus).toBe('paid');
  });
});

describe('receivables', () => {
  it('shows open items, statement, aging and a balanced reconciliation', async () => {
    const invoice = await openInvoice();
    const items = await get(`/api/v1/customers/${invoice.customer_id}/open-items`);
    expect(items.statusCode, items.body).toBe(200);
    expect(items.json().items.some((item: { id: string }) => item.id === invoice.id)).toBe(true);
    const today = new Date().toISOString().slice(0, 10);
    const statement = await get(`/api/v1/customers/${invoice.customer_id}/statement?from=2026-01-01&to=${today}`);
    expect(statement.statusCode, statement.body).toBe(200);
    expect(statement.json().currencies[0].movements.length).toBeGreaterThan(0);
    expect((await get(`/api/v1/customers/${invoice.customer_id}/statement?from=2026-01-01&to=${today}&format=csv`)).body).toContain('Closing balance');
    expect((await get(`/api/v1/customers/${invoice.customer_id}/statement?from=2026-01-01&to=${today}&format=pdf`)).body.slice(0, 5)).toBe('%PDF-');
    const aging = await get('/api/v1/receivables/aging');
    expect(aging.statusCode, aging.body).toBe(200);
    expect(aging.json().customers.length).toBeGreaterThan(0);
    const past = await get('/api/v1/receivables/aging?asOf=2026-01-01');
    expect(past.statusCode, past.body).toBe(200);
    const reconciliation = await get('/api/v1/receivables/reconciliation');
    expect(reconciliation.statusCode, reconciliation.body).toBe(200);
    expect(reconciliation.json(), reconciliation.body).toMatchObject({ balanced: true, differences: [] });
    const yesterday = await get(`/api/v1/receivables/reconciliation?asOf=2026-06-30`);
    expect(yesterday.json()).toMatchObject({ balanced: true });
  });
});
