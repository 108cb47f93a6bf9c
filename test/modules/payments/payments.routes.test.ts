import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Big, formatMinor } from '../../../src/kernel';
import { todayFor } from '../../../src/modules/invoicing';
import { convertMinor } from '../../../src/modules/payments/payments.rules';
import { bearer, startTestApp, type TestApp } from '../../support/app';
import { loadDemoRecords } from '../../support/demo-data';
import { issueInvoiceFor, stockUp } from '../../support/invoices';
import { relayAndRunJobs } from '../../support/outbox';

let t: TestApp;
let today: string;
const customers: Record<string, string> = {};

beforeAll(async () => {
  t = await startTestApp();
  await loadDemoRecords(t.database.handle, t.tenant.id);
  await relayAndRunJobs(t.database.handle.db);
  await stockUp(t);
  today = await todayFor(t.database.handle.db, t.tenant.id);
  const rows = await t.database.handle.db.selectFrom('customers').select(['id', 'number']).where('tenant_id', '=', t.tenant.id).execute();
  for (const row of rows) customers[row.number] = row.id;
});
afterAll(async () => t.close());

const db = () => t.database.handle.db;
const post = (url: string, body?: unknown, key = t.tenant.keys.cashapp, headers: Record<string, string> = {}) =>
  t.app.http.inject({ method: 'POST', url, ...(body === undefined ? { headers: { ...bearer(key), ...headers } } : { payload: JSON.stringify(body), headers: { 'content-type': 'application/json', ...bearer(key), ...headers } }) });
const get = (url: string, key = t.tenant.keys.viewer) => t.app.http.inject({ method: 'GET', url, headers: bearer(key) });

/** What the named system account moved in an entry (debit positive), in document currency. */
async function postedOn(entryId: string) {
  const lines = await db()
    .selectFrom('journal_lines as l')
    .innerJoin('accounts as a', (join) => join.onRef('a.tenant_id', '=', 'l.tenant_id').onRef('a.id', '=', 'l.account_id'))
    .select(['a.system_key', 'l.side', 'l.amount_minor', 'l.base_amount_minor'])
    .where('l.tenant_id', '=', t.tenant.id)
    .where('l.entry_id', '=', entryId)
    .execute();
  const by = new Map<string, bigint>();
  for (const line of lines) by.set(line.system_key ?? '?', (by.get(line.system_key ?? '?') ?? 0n) + (line.side === 'debit' ? line.amount_minor : -line.amount_minor));
  return by;
}

async function counts() {
  const count = async (table: 'payments' | 'payment_applications' | 'journal_entries' | 'write_offs' | 'refunds') =>
    Number((await db().selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).where('tenant_id', '=', t.tenant.id).executeTakeFirstOrThrow()).n);
  return { payments: await count('payments'), applications: await count('payment_applications'), entries: await count('journal_entries'), writeOffs: await count('write_offs'), refunds: await count('refunds') };
}

const invoiceRow = (id: string) => db().selectFrom('invoices').selectAll().where('tenant_id', '=', t.tenant.id).where('id', '=', id).executeTakeFirstOrThrow();
const pay = (customer: string, amount: string, extra: Record<string, unknown> = {}) => ({ customerId: customers[customer], amount, currency: 'EUR', method: 'bank_transfer', valueDate: today, ...extra });

describe('bad input writes nothing', () => {
  it('refuses an application to another customer’s invoice, more than is open, a negative amount, a rate that is missing, and an unknown invoice', async () => {
    const invoice = await issueInvoiceFor(t, customers.C000001!, [{ sku: 'BRG-6204-2RS', quantity: '12' }]);
    const before = await counts();
    const cases: Array<[unknown, number, string]> = [
      [pay('C000002', '10.00', { applications: [{ invoiceId: invoice.id, amount: '10.00' }] }), 422, 'O2C_OTHER_CUSTOMER'],
      [pay('C000001', '100000.00', { applications: [{ invoiceId: invoice.id, amount: '99999.00' }] }), 422, 'O2C_EXCEEDS_OPEN'],
      [pay('C000001', '10.00', { applications: [{ invoiceId: invoice.id, amount: '20.00' }] }), 422, 'O2C_EXCEEDS_UNAPPLIED'],
      [pay('C000001', '-5.00'), 400, 'O2C_INVALID_VALUE'],
      [pay('C000001', '10.00', { applications: [{ invoiceId: invoice.id, amount: '-1.00' }] }), 400, 'O2C_INVALID_VALUE'],
      [pay('C000001', '10.005'), 400, 'O2C_INVALID_VALUE'],
      [pay('C000001', '10.00', { currency: 'NOK' }), 422, 'O2C_EXCHANGE_RATE_MISSING'],
      [pay('C000001', '10.00', { valueDate: '2999-01-01' }), 400, 'O2C_INVALID_VALUE'],
      [pay('C000001', '10.00', { applications: [{ invoiceId: '0190aaaa-0000-7000-8000-000000000000' }] }), 404, 'O2C_NOT_FOUND'],
    ];
    for (const [body, status, code] of cases) {
      const response = await post('/api/v1/payments', body);
      expect(response.statusCode, response.body).toBe(status);
      expect(response.json().code).toBe(code);
      expect(response.json().detail.length).toBeGreaterThan(10);
    }
    expect(await counts()).toEqual(before);
    expect((await invoiceRow(invoice.id)).payment_status).toBe('open');
  });

  it('refuses to apply a EUR payment to a USD invoice without a USD rate for the value date', async () => {
    const usd = await issueInvoiceFor(t, customers.C000007!, [{ sku: 'HOSE-12-2M', quantity: '1' }]);
    const before = await counts();
    const response = await post('/api/v1/payments', pay('C000007', '50.00', { valueDate: '2026-09-01', applications: [{ invoiceId: usd.id }] }));
    expect(response.statusCode, response.body).toBe(422);
    expect(response.json()).toMatchObject({ code: 'O2C_EXCHANGE_RATE_MISSING', errors: [{ path: 'body.applications.0.invoiceId' }] });
    expect(await counts()).toEqual(before);
  });
});

describe('early-payment discount', () => {
  it('is granted within the deadline when the payment covers the discounted balance, its VAT corrected at the invoice’s rate', async () => {
    const invoice = await issueInvoiceFor(t, customers.C000001!, [{ sku: 'BRG-6204-2RS', quantity: '10' }]);
    const row = await invoiceRow(invoice.id);
    expect(row.payment_terms_discount_percent).toBe('2.00');
    const discount = (row.gross_minor * 2n + 50n) / 100n;
    const amount = row.gross_minor - discount;
    const preview = await post('/api/v1/payments/preview', { customerId: customers.C000001, amount: (Number(amount) / 100).toFixed(2), currency: 'EUR', valueDate: today, applications: [{ invoiceId: invoice.id }] });
    expect(preview.json().applications[0]).toMatchObject({ discount: (Number(discount) / 100).toFixed(2), openAfter: '0.00' });
    const response = await post('/api/v1/payments', pay('C000001', (Number(amount) / 100).toFixed(2), { applications: [{ invoiceId: invoice.id }] }));
    expect(response.statusCode, response.body).toBe(201);
    const application = await db().selectFrom('payment_applications').selectAll().where('tenant_id', '=', t.tenant.id).where('invoice_id', '=', invoice.id).executeTakeFirstOrThrow();
    expect(application.discount_minor).toBe(discount);
    const posted = await postedOn(application.journal_entry_id!);
    const tax = (discount * 19n * 100n + 11900n / 2n) / 11900n;
    expect(posted.get('vat_payable:19')).toBe(tax);
    expect(posted.get('sales_discounts')).toBe(discount - tax);
    expect(posted.get('receivables')).toBe(-row.gross_minor);
    expect((await invoiceRow(invoice.id)).payment_status).toBe('paid');
  });

  it('carries no VAT on an intra-EU invoice, and is not granted to a part payment', async () => {
    const invoice = await issueInvoiceFor(t, customers.C000005!, [{ sku: 'BRG-6204-2RS', quantity: '10' }]);
    const row = await invoiceRow(invoice.id);
    const discount = (row.gross_minor * 2n + 50n) / 100n;
    const part = await post('/api/v1/payments', pay('C000005', '1.00', { applications: [{ invoiceId: invoice.id, amount: '1.00' }] }));
    expect(part.json().applications[0]).toMatchObject({ discount: '0.00' });
    const rest = row.gross_minor - 100n - discount;
    const full = await post('/api/v1/payments', pay('C000005', (Number(rest) / 100).toFixed(2), { applications: [{ invoiceId: invoice.id }] }));
    expect(full.statusCode, full.body).toBe(201);
    const application = full.json().applications[0];
    expect(application.discount).toBe((Number(discount) / 100).toFixed(2));
    const entry = await db().selectFrom('payment_applications').select('journal_entry_id').where('tenant_id', '=', t.tenant.id).where('id', '=', application.id).executeTakeFirstOrThrow();
    const posted = await postedOn(entry.journal_entry_id!);
    expect([...posted.keys()].filter((key) => key.startsWith('vat_payable'))).toEqual([]);
    expect(posted.get('sales_discounts')).toBe(discount);
  });
});

describe('differences, undo, reversal and refunds', () => {
  it('accepts a difference within the tolerance to bank charges and refuses one above it', async () => {
    const invoice = await issueInvoiceFor(t, customers.C000004!, [{ sku: 'FILM-500', quantity: '3' }]);
    const row = await invoiceRow(invoice.id);
    const tooShort = await post('/api/v1/payments', pay('C000004', ((Number(row.gross_minor) - 1000) / 100).toFixed(2), { applications: [{ invoiceId: invoice.id, acceptDifference: true }] }));
    expect(tooShort.statusCode, tooShort.body).toBe(422);
    expect(tooShort.json().detail).toContain('tolerance');
    const short = await post('/api/v1/payments', pay('C000004', ((Number(row.gross_minor) - 300) / 100).toFixed(2), { applications: [{ invoiceId: invoice.id, acceptDifference: true }] }));
    expect(short.statusCode, short.body).toBe(201);
    expect(short.json().applications[0]).toMatchObject({ difference: '3.00' });
    expect((await invoiceRow(invoice.id)).open_minor).toBe(0n);
  });

  it('undoes an application, reverses a payment (reopening what it paid) and refunds unapplied cash and credit items', async () => {
    const invoice = await issueInvoiceFor(t, customers.C000004!, [{ sku: 'GLOVE-9', quantity: '30' }]);
    const row = await invoiceRow(invoice.id);
    const payment = (await post('/api/v1/payments', pay('C000004', '500.00', { method: 'cheque', applications: [{ invoiceId: invoice.id }] }))).json();
    expect(payment.unapplied).toBe(((50000 - Number(row.gross_minor)) / 100).toFixed(2));
    expect((await invoiceRow(invoice.id)).payment_status).toBe('paid');
    // Undo needs a reason, then once only.
    expect((await post(`/api/v1/payment-applications/${payment.applications[0].id}/undo`, { reason: ' ' })).statusCode).toBe(400);
    expect((await post(`/api/v1/payment-applications/${payment.applications[0].id}/undo`, { reason: 'applied to the wrong invoice' })).statusCode).toBe(200);
    expect((await post(`/api/v1/payment-applications/${payment.applications[0].id}/undo`, { reason: 'again' })).statusCode).toBe(409);
    expect((await invoiceRow(invoice.id)).open_minor).toBe(row.gross_minor);
    // Apply again, then the cheque bounces: the invoice is open again and the payment gives nothing.
    const again = await post(`/api/v1/payments/${payment.id}/applications`, { applications: [{ invoiceId: invoice.id }] });
    expect(again.statusCode, again.body).toBe(200);
    const reversed = await post(`/api/v1/payments/${payment.id}/reverse`, { reason: 'cheque returned unpaid' });
    expect(reversed.json()).toMatchObject({ status: 'reversed', applied: '0.00', unapplied: '0.00', availableActions: [] });
    expect((await invoiceRow(invoice.id)).payment_status).toBe('open');
    const receipt = await postedOn(payment.journalEntryId);
    expect(receipt.get('cheque_clearing')).toBe(50000n);
    // Unapplied cash refunded, partly, then not more than is left.
    const second = (await post('/api/v1/payments', pay('C000004', '40.00'))).json();
    expect((await post(`/api/v1/payments/${second.id}/refunds`, { amount: '50.00', method: 'bank_transfer', reason: 'overpaid' })).statusCode).toBe(422);
    const refunded = await post(`/api/v1/payments/${second.id}/refunds`, { amount: '15.00', method: 'bank_transfer', reason: 'overpaid' });
    expect(refunded.statusCode, refunded.body).toBe(201);
    expect((await get(`/api/v1/payments/${second.id}`)).json()).toMatchObject({ unapplied: '25.00', refunded: '15.00', availableActions: ['apply', 'refund'] });
    // A paid invoice credited in full leaves a credit item, which is refunded.
    await post(`/api/v1/payments/${second.id}/applications`, { applications: [{ invoiceId: invoice.id, amount: '25.00' }] });
    const note = await post(`/api/v1/invoices/${invoice.id}/credit-notes`, { reason: 'goods returned' }, t.tenant.keys.billing);
    expect(note.statusCode, note.body).toBe(201);
    expect(note.json().open).toBe('25.00');
    const creditRefund = await post(`/api/v1/credit-notes/${note.json().id}/refunds`, { method: 'bank_transfer', reason: 'returned goods paid back' });
    expect(creditRefund.statusCode, creditRefund.body).toBe(201);
    expect((await invoiceRow(note.json().id)).open_minor).toBe(0n);
    expect((await get(`/api/v1/refunds?creditNoteId=${note.json().id}`)).json().items).toEqual([expect.objectContaining({ amount: '25.00', sourceType: 'credit_note' })]);
    expect((await get('/api/v1/receivables/reconciliation')).json().balanced).toBe(true);
  });

  it('uses a credit item against another invoice of the customer', async () => {
    const first = await issueInvoiceFor(t, customers.C000006!, [{ sku: 'GLOVE-9', quantity: '3' }]);
    const second = await issueInvoiceFor(t, customers.C000006!, [{ sku: 'GLOVE-9', quantity: '6' }]);
    await post('/api/v1/payments', pay('C000006', first.gross, { applications: [{ invoiceId: first.id }] }));
    const note = (await post(`/api/v1/invoices/${first.id}/credit-notes`, { reason: 'cancelled' }, t.tenant.keys.billing)).json();
    const used = await post(`/api/v1/credit-notes/${note.id}/applications`, { applications: [{ invoiceId: second.id }] });
    expect(used.statusCode, used.body).toBe(200);
    expect(used.json()).toMatchObject({ open: '0.00', applications: [{ amount: first.gross, sourceType: 'credit_note' }] });
    expect((await invoiceRow(second.id)).payment_status).toBe('partially_paid');
    expect((await get('/api/v1/receivables/reconciliation')).json().balanced).toBe(true);
  });
});

describe('foreign currency', () => {
  it('applies a USD payment at its value date’s rate and posts the difference to the invoice’s rate as realised FX', async () => {
    const invoice = await issueInvoiceFor(t, customers.C000007!, [{ sku: 'HOSE-12-2M', quantity: '4' }]);
    const row = await invoiceRow(invoice.id);
    const rate = await post('/api/v1/exchange-rates', { fromCurrency: 'USD', toCurrency: 'EUR', rateDate: today, rate: '0.9500' }, t.tenant.keys.controller);
    expect(rate.statusCode, rate.body).toBeLessThan(300);
    const response = await post('/api/v1/payments', { customerId: customers.C000007, amount: invoice.gross, currency: 'USD', method: 'bank_transfer', valueDate: today, applications: [{ invoiceId: invoice.id }] });
    expect(response.statusCode, response.body).toBe(201);
    const application = response.json().applications[0];
    // The dollar is worth more than on the invoice date: a gain of gross × (0.95 − invoice rate), to the cent.
    const received = convertMinor(row.gross_minor, 'USD', 'EUR', new Big('0.95'));
    const carried = convertMinor(row.gross_minor, 'USD', 'EUR', new Big(row.exchange_rate!));
    expect(application.fxGainLoss).toBe(formatMinor(received - carried, 'EUR'));
    expect(received - carried).toBeGreaterThan(0n);
    // EUR paid for the USD invoice: applied at the cross rate of the value date.
    const eurInvoice = await issueInvoiceFor(t, customers.C000007!, [{ sku: 'HOSE-12-2M', quantity: '1' }]);
    const eur = await post('/api/v1/payments', pay('C000007', '1000.00', { applications: [{ invoiceId: eurInvoice.id }] }));
    expect(eur.statusCode, eur.body).toBe(201);
    const grossMinor = (await invoiceRow(eurInvoice.id)).gross_minor;
    const expected = (grossMinor * 95n + 50n) / 100n;
    expect(eur.json().applications[0]).toMatchObject({ amount: eurInvoice.gross, sourceAmount: `${expected / 100n}.${String(expected % 100n).padStart(2, '0')}` });
    expect((await get('/api/v1/receivables/reconciliation')).json().balanced).toBe(true);
  });
});

describe('write-offs', () => {
  it('needs a second person, and a controller above the threshold', async () => {
    const settings = (await get('/api/v1/payment-settings')).json();
    expect((await t.app.http.inject({ method: 'PUT', url: '/api/v1/payment-settings', payload: { tolerance: '5.00', writeOffThreshold: '10.00', version: settings.version }, headers: bearer(t.tenant.keys.collector) })).statusCode).toBe(403);
    const changed = await t.app.http.inject({ method: 'PUT', url: '/api/v1/payment-settings', payload: { tolerance: '5.00', writeOffThreshold: '10.00', version: settings.version }, headers: bearer(t.tenant.keys.controller) });
    expect(changed.json()).toMatchObject({ writeOffThreshold: '10.00' });
    const invoice = await issueInvoiceFor(t, customers.C000011!, [{ sku: 'GLOVE-9', quantity: '12' }]);
    const small = await post('/api/v1/write-offs', { invoiceId: invoice.id, amount: '5.00', reason: 'rounding dispute' }, t.tenant.keys.collector);
    expect(small.statusCode, small.body).toBe(201);
    expect((await post('/api/v1/write-offs', { invoiceId: invoice.id, reason: 'again' }, t.tenant.keys.billing)).statusCode).toBe(409);
    const own = await post(`/api/v1/write-offs/${small.json().id}/approve`, {}, t.tenant.keys.collector);
    expect(own.statusCode, own.body).toBe(403);
    expect(own.json().code).toBe('O2C_SEGREGATION_OF_DUTIES');
    const approved = await post(`/api/v1/write-offs/${small.json().id}/approve`, {}, t.tenant.keys.controller);
    expect(approved.json()).toMatchObject({ status: 'approved' });
    const posted = await postedOn(approved.json().journalEntryId);
    expect(posted.get('bad_debt')).toBe(500n);
    const row = await invoiceRow(invoice.id);
    expect(row.open_minor).toBe(row.gross_minor - 500n);
    const large = await post('/api/v1/write-offs', { invoiceId: invoice.id, reason: 'customer insolvent' }, t.tenant.keys.billing);
    expect(large.statusCode, large.body).toBe(201);
    const byCollector = await post(`/api/v1/write-offs/${large.json().id}/approve`, {}, t.tenant.keys.collector);
    expect(byCollector.statusCode, byCollector.body).toBe(403);
    expect(byCollector.json().detail).toContain('controller');
    expect((await post(`/api/v1/write-offs/${large.json().id}/reject`, {}, t.tenant.keys.controller)).statusCode).toBe(400);
    expect((await post(`/api/v1/write-offs/${large.json().id}/reject`, { note: 'pursue in court' }, t.tenant.keys.controller)).json()).toMatchObject({ status: 'rejected' });
    expect((await invoiceRow(invoice.id)).open_minor).toBe(row.open_minor);
  });
});

describe('receivables as of a date', () => {
  it('ages by due date, statement balances follow the ledger, and the past is told from the history', async () => {
    const invoice = await issueInvoiceFor(t, customers.C000011!, [{ sku: 'GLOVE-9', quantity: '3' }]);
    const items = (await get(`/api/v1/customers/${customers.C000011}/open-items`)).json();
    expect(items.items.find((item: { id: string }) => item.id === invoice.id)).toMatchObject({ open: invoice.gross, bucket: 'current', daysPastDue: expect.any(Number) });
    const yesterday = new Date(Date.parse(`${today}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    const before = (await get(`/api/v1/customers/${customers.C000011}/open-items?asOf=${yesterday}`)).json();
    expect(before.items.some((item: { id: string }) => item.id === invoice.id)).toBe(false);
    const aging = (await get(`/api/v1/receivables/aging?customerId=${customers.C000011}`)).json();
    expect(aging.customers[0].inBaseCurrency.current).toBe(aging.customers[0].inBaseCurrency.total);
    const statement = (await get(`/api/v1/customers/${customers.C000011}/statement?from=${today}&to=${today}`)).json();
    const section = statement.currencies[0];
    expect(section.movements.at(-1).balance).toBe(section.closing);
    expect((await get(`/api/v1/customers/${customers.C000011}/statement?from=${today}&to=${yesterday}`)).statusCode).toBe(400);
  });
});
