import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, businessDateAt } from '../../../src/kernel';
import { runCreditControl } from '../../../src/modules/credit';
import { systemContext } from '../../../src/platform/auth/actor';
import { createApiKey } from '../../../src/platform/auth/api-keys';
import type { Role } from '../../../src/platform/auth/roles';
import { inTransaction } from '../../../src/platform/db/database';
import { bearer, createTestTenant, startTestApp, type TestApp, type TestTenant } from '../../support/app';
import { loadDemoRecords } from '../../support/demo-data';
import { stockUp } from '../../support/invoices';
import { relayAndRunJobs } from '../../support/outbox';

let t: TestApp;
let other: TestTenant;
let today: string;

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH';
async function call(method: Method, url: string, key: string, body?: unknown) {
  const response = await t.app.http.inject({
    method,
    url: `/api/v1${url}`,
    headers: { ...bearer(key), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
  });
  return { status: response.statusCode, body: response.json(), text: response.body };
}
const as = (role: Role) => t.tenant.keys[role];
async function must(method: Method, url: string, role: Role, body?: unknown) {
  const response = await call(method, url, as(role), body);
  expect(response.status, `${method} ${url}: ${response.text}`).toBeLessThan(300);
  return response.body;
}

let customerCount = 0;
async function newCustomer(limit: string | null, tenantKey = as('sales')) {
  customerCount += 1;
  const response = await call('POST', '/customers', tenantKey, {
    name: `Kreditkunde ${customerCount}`,
    legalName: `Kreditkunde ${customerCount} GmbH`,
    countryCode: 'DE',
    currency: 'EUR',
    language: 'de',
    paymentTermsCode: 'NET30',
    addresses: [
      { kind: 'billing', name: `Kreditkunde ${customerCount} GmbH`, line1: 'Leopoldstraße 52', postalCode: '80802', city: 'München', countryCode: 'DE' },
      { kind: 'shipping', name: 'Lager', line1: 'Lichtenbergstraße 8', postalCode: '85748', city: 'Garching', countryCode: 'DE' },
    ],
  });
  expect(response.status, response.text).toBe(201);
  if (limit !== null) await must('PUT', `/credit/customers/${response.body.id}/limit`, 'credit', { limit, reason: 'opening limit' });
  return response.body.id as string;
}

async function draftOrder(customerId: string, quantity = '1', key: Role = 'sales') {
  return must('POST', '/orders', key, { customerId, lines: [{ sku: 'GLOVE-9', quantity }] });
}
async function submit(orderId: string, key: Role = 'sales') {
  return must('POST', `/orders/${orderId}/submit`, key);
}
async function shipOrder(orderId: string) {
  const shipment = await must('POST', '/shipments', 'warehouse', { orderId });
  await must('POST', `/shipments/${shipment.id}/pick`, 'warehouse');
  await must('POST', `/shipments/${shipment.id}/pack`, 'warehouse', { packages: [{ packageType: 'box' }] });
  await must('POST', `/shipments/${shipment.id}/ship`, 'warehouse', { carrier: 'UPS' });
  return shipment.id as string;
}
async function invoiceShipment(shipmentId: string, issueDate?: string) {
  const draft = await must('POST', '/invoices', 'billing', { shipmentIds: [shipmentId] });
  if (issueDate !== undefined) await must('PATCH', `/invoices/${draft.id}`, 'billing', { version: draft.version, issueDate });
  return must('POST', `/invoices/${draft.id}/issue`, 'billing');
}
async function invoicedOn(customerId: string, issueDate: string) {
  const order = await draftOrder(customerId);
  await submit(order.id);
  return invoiceShipment(await shipOrder(order.id), issueDate);
}
/** Every pending event to its subscribers (a pass takes at most 100). */
async function relayAll() {
  for (let pass = 0; pass < 100; pass += 1) if ((await relayAndRunJobs(t.database.handle.db)).published === 0) return;
}
const exposure = (customerId: string) => must('GET', `/credit/customers/${customerId}/exposure`, 'viewer');
const openReview = async (orderId: string) => (await must('GET', `/credit-reviews?orderId=${orderId}`, 'credit')).items[0];
async function creditRows() {
  const db = t.database.handle.db;
  const count = async (table: 'credit_limit_changes' | 'credit_reviews' | 'credit_limit_requests' | 'audit_events') =>
    Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
  const reviews = await db.selectFrom('credit_reviews').select(['id', 'status']).orderBy('id').execute();
  const orders = await db.selectFrom('sales_orders').select(['id', 'status', 'reservation_status']).orderBy('id').execute();
  const customers = await db.selectFrom('customers').select(['id', 'credit_limit_minor']).orderBy('id').execute();
  return { changes: await count('credit_limit_changes'), reviews, requests: await count('credit_limit_requests'), audit: await count('audit_events'), orders, customers };
}

// Customers whose old invoices are issued first (the invoice series runs forward in time).
let defaulter: string;
let graceEqual: string;
let graceOver: string;
let defaulterInvoice: { id: string; gross: string };

beforeAll(async () => {
  t = await startTestApp();
  other = await createTestTenant(t.database.handle, 'other');
  await loadDemoRecords(t.database.handle, t.tenant.id);
  await stockUp(t);
  today = businessDateAt(new Date(), 'Europe/Berlin');
  defaulter = await newCustomer('100000.00');
  graceOver = await newCustomer('100000.00');
  graceEqual = await newCustomer('100000.00');
  // NET30: issued 100 days ago is 70 days past due; 36 days ago 6; 35 days ago 5.
  defaulterInvoice = await invoicedOn(defaulter, addDays(today, -100));
  await invoicedOn(graceOver, addDays(today, -36));
  await invoicedOn(graceEqual, addDays(today, -35));
  await must('PUT', '/credit/settings', 'admin', { defaultLimit: '0', graceDays: 5, blockAfterDays: 60, startingClass: 'C' });
}, 120_000);
afterAll(async () => t.close());

describe('exposure', () => {
  it('adds open receivables less unapplied cash, shipped not invoiced and approved not shipped, tax included', async () => {
    const customer = await newCustomer('100000.00');
    const approved = await submit((await draftOrder(customer, '2')).id);
    expect(approved.status).toBe('approved');
    const shippedOrder = await submit((await draftOrder(customer, '3')).id);
    await shipOrder(shippedOrder.id);
    const invoicedOrder = await submit((await draftOrder(customer, '5')).id);
    const invoice = await invoiceShipment(await shipOrder(invoicedOrder.id));
    await must('POST', '/payments', 'cashapp', { customerId: customer, amount: '1.00', currency: 'EUR', method: 'bank_transfer', valueDate: today });
    const position = await exposure(customer);
    const minor = (text: string) => BigInt(text.replace('.', ''));
    expect(position.exposure).toEqual({
      openReceivables: (Number(minor(invoice.gross) - 100n) / 100).toFixed(2),
      shippedNotInvoiced: shippedOrder.totals.gross,
      approvedNotShipped: approved.totals.gross,
      total: (Number(minor(invoice.gross) - 100n + minor(shippedOrder.totals.gross) + minor(approved.totals.gross)) / 100).toFixed(2),
    });
    expect(position).toMatchObject({ currency: 'EUR', limit: '100000.00', limitSource: 'customer', block: { state: 'none' } });
    // The order screen and the stored decision show the same parts.
    expect(approved.creditDecision).toMatchObject({ outcome: 'approve', inputs: { limit: '100000.00', limitSource: 'customer' } });
  });
});

describe('the credit decision at submit', () => {
  it('approves an order that takes exposure exactly to the limit and holds one cent over, reserving nothing', async () => {
    const exact = await newCustomer(null);
    const order = await draftOrder(exact, '4');
    await must('PUT', `/credit/customers/${exact}/limit`, 'credit', { limit: order.totals.gross, reason: 'exactly this order' });
    const approved = await submit(order.id);
    expect(approved.status).toBe('approved');
    expect(approved.lines[0].quantityReserved).toBe('4');

    const over = await newCustomer(null);
    const held = await draftOrder(over, '4');
    const oneLess = (Number(BigInt(held.totals.gross.replace('.', '')) - 1n) / 100).toFixed(2);
    await must('PUT', `/credit/customers/${over}/limit`, 'credit', { limit: oneLess, reason: 'one cent short' });
    const result = await submit(held.id);
    expect(result.status).toBe('on_credit_hold');
    expect(result.reservationStatus).toBe('none');
    expect(result.lines[0].quantityReserved).toBe('0');
    expect(result.creditDecision.outcome).toBe('hold');
    expect(result.creditDecision.reasons).toEqual([`exposure after this order ${held.totals.gross} EUR is over the credit limit ${oneLess} EUR by 0.01 EUR`]);
    const review = await openReview(held.id);
    expect(review).toMatchObject({ status: 'open', order: { number: held.number }, reasons: result.creditDecision.reasons });
    // nothing on hold ships
    expect((await call('POST', '/shipments', as('warehouse'), { orderId: held.id })).status).toBe(409);
  });

  it('holds every credit order of a customer without a limit when the default is 0', async () => {
    const customer = await newCustomer(null);
    const held = await submit((await draftOrder(customer)).id);
    expect(held.status).toBe('on_credit_hold');
    expect(held.creditDecision.reasons[0]).toContain("tenant's default limit is 0");
  });

  it('passes an item exactly the grace days past due and holds one day more', async () => {
    expect((await submit((await draftOrder(graceEqual)).id)).status).toBe('approved');
    const held = await submit((await draftOrder(graceOver)).id);
    expect(held.status).toBe('on_credit_hold');
    expect(held.creditDecision.reasons).toEqual([expect.stringContaining('the oldest item 6 days; more than the 5 grace days')]);
  });

  it('decides an approved order again when a change raises its value, keeping its reservations while held', async () => {
    const customer = await newCustomer(null);
    const order = await draftOrder(customer, '1');
    const unit = BigInt(order.totals.gross.replace('.', ''));
    await must('PUT', `/credit/customers/${customer}/limit`, 'credit', { limit: (Number(unit * 2n) / 100).toFixed(2), reason: 'two gloves' });
    const approved = await submit(order.id);
    expect(approved.status).toBe('approved');
    const cheaper = await must('PUT', `/orders/${order.id}/lines`, 'sales', { version: approved.version, lines: [{ lineId: approved.lines[0].id, sku: 'GLOVE-9', quantity: '2' }] });
    expect(cheaper.status).toBe('approved');
    const raised = await must('PUT', `/orders/${order.id}/lines`, 'sales', { version: cheaper.version, lines: [{ lineId: approved.lines[0].id, sku: 'GLOVE-9', quantity: '3' }] });
    expect(raised.status).toBe('on_credit_hold');
    // it keeps what it held before the change, and takes no more while it waits
    expect(raised.lines[0].quantityReserved).toBe('2');
    expect(raised.reservationStatus).toBe('partial');
    expect(raised.creditDecision.reasons[0]).toContain('is over the credit limit');
    const review = await openReview(order.id);
    const released = await must('POST', `/credit-reviews/${review.id}/release`, 'credit', { reason: 'customer confirmed the larger order' });
    expect(released.order).toMatchObject({ status: 'approved', reservationStatus: 'complete' });
  });
});

describe('reviews', () => {
  async function heldOrder(key: Role = 'sales') {
    const customer = await newCustomer('1.00');
    const order = await draftOrder(customer, '2', key);
    const held = await submit(order.id, key);
    expect(held.status).toBe('on_credit_hold');
    return { customer, order: held, review: await openReview(order.id) };
  }

  it('releases with a reason: approved, stock reserved, who/when/why recorded', async () => {
    const { order, review } = await heldOrder();
    const detail = await must('GET', `/credit-reviews/${review.id}`, 'credit');
    expect(detail).toMatchObject({ position: { limit: '1.00', exposure: { total: '0.00' } }, current: { outcome: 'hold' }, paymentHistory: { paidInvoices: 0 } });
    const released = await must('POST', `/credit-reviews/${review.id}/release`, 'credit', { reason: 'paid in advance by phone' });
    expect(released.order).toMatchObject({ status: 'approved', reservationStatus: 'complete' });
    expect(released.review).toMatchObject({ status: 'released', decidedBy: 'key:credit key', decisionReason: 'paid in advance by phone' });
    expect(released.review.decidedAt).not.toBeNull();
    const history = await must('GET', `/orders/${order.id}/history`, 'viewer');
    expect(JSON.stringify(history)).toContain('paid in advance by phone');
    expect((await call('POST', `/credit-reviews/${review.id}/release`, as('credit'), { reason: 'again' })).status).toBe(409);
  });

  it('releases with a one-off increase only when it covers the excess', async () => {
    const { order, review } = await heldOrder();
    const excess = BigInt(order.totals.gross.replace('.', '')) - 100n;
    const short = (Number(excess - 1n) / 100).toFixed(2);
    const refused = await call('POST', `/credit-reviews/${review.id}/release`, as('credit'), { reason: 'one-off', oneOffIncrease: short });
    expect(refused.status).toBe(422);
    expect(refused.body.errors[0]).toMatchObject({ path: 'body.oneOffIncrease' });
    const enough = (Number(excess) / 100).toFixed(2);
    const released = await must('POST', `/credit-reviews/${review.id}/release`, 'credit', { reason: 'one-off', oneOffIncrease: enough });
    expect(released.review.oneOffIncrease).toBe(enough);
  });

  it('withdraws the review when sales cancel an order while it waits', async () => {
    const { order, review } = await heldOrder();
    const cancelled = await must('POST', `/orders/${order.id}/cancel`, 'sales', { reason: 'customer ordered elsewhere' });
    expect(cancelled.status).toBe('cancelled');
    const withdrawn = await must('GET', `/credit-reviews/${review.id}`, 'credit');
    expect(withdrawn).toMatchObject({ status: 'withdrawn', decisionReason: 'order cancelled: customer ordered elsewhere', decidedBy: 'key:sales key' });
    expect((await call('POST', `/credit-reviews/${review.id}/release`, as('credit'), { reason: 'too late' })).status).toBe(409);
  });

  it('rejects: the order is cancelled and keeps nothing reserved', async () => {
    const { order, review } = await heldOrder();
    const rejected = await must('POST', `/credit-reviews/${review.id}/reject`, 'credit', { reason: 'no credit for this customer' });
    expect(rejected.order).toMatchObject({ id: order.id, status: 'cancelled', reservationStatus: 'none' });
    expect(rejected.review).toMatchObject({ status: 'rejected', decisionReason: 'no credit for this customer' });
    expect((await must('GET', '/credit-reviews?status=open', 'credit')).items.some((item: { id: string }) => item.id === review.id)).toBe(false);
  });

  it('refuses a release without a reason, by a role other than credit, and by the order’s author, writing nothing', async () => {
    const { review } = await heldOrder();
    const db = t.database.handle.db;
    const both = await inTransaction(db, (tx) => createApiKey(tx, systemContext(t.tenant.id, 'test'), { name: 'sales and credit', roles: ['sales', 'credit'] }));
    const authored = await heldOrder();
    const own = await t.app.http.inject({ method: 'POST', url: `/api/v1/orders`, headers: { ...bearer(both.secret), 'content-type': 'application/json' }, payload: JSON.stringify({ customerId: authored.customer, lines: [{ sku: 'GLOVE-9', quantity: '1' }] }) });
    const ownOrder = own.json();
    await call('POST', `/orders/${ownOrder.id}/submit`, both.secret);
    const ownReview = await openReview(ownOrder.id);
    const before = await creditRows();
    const cases: Array<[string, unknown, string, number, string]> = [
      [review.id, {}, as('credit'), 400, 'O2C_VALIDATION_FAILED'],
      [review.id, { reason: '   ' }, as('credit'), 400, 'O2C_VALIDATION_FAILED'],
      [review.id, { reason: 'ok', oneOffIncrease: '-5.00' }, as('credit'), 400, 'O2C_INVALID_VALUE'],
      [review.id, { reason: 'ok', oneOffIncrease: '5.001' }, as('credit'), 400, 'O2C_INVALID_VALUE'],
      [review.id, { reason: 'ok' }, as('sales'), 403, 'O2C_FORBIDDEN'],
      [review.id, { reason: 'ok' }, as('admin'), 403, 'O2C_FORBIDDEN'],
      [ownReview.id, { reason: 'my own order' }, both.secret, 403, 'O2C_SEGREGATION_OF_DUTIES'],
    ];
    for (const [id, body, key, status, code] of cases) {
      const response = await call('POST', `/credit-reviews/${id}/release`, key, body);
      expect(response.status, response.text).toBe(status);
      expect(response.body.code).toBe(code);
    }
    expect(await creditRows()).toEqual(before);
    const otherTenant = await call('POST', `/credit-reviews/${review.id}/release`, other.keys.credit, { reason: 'not mine' });
    expect(otherTenant.status).toBe(404);
  });
});

describe('limits', () => {
  it('sets a limit with a reason, a temporary one until a date, and keeps the history', async () => {
    const customer = await newCustomer('1000.00');
    const temporary = await must('PUT', `/credit/customers/${customer}/limit`, 'credit', { limit: '5000.00', reason: 'season', expiresOn: addDays(today, 10) });
    expect(temporary).toMatchObject({ previousLimit: '1000.00', limit: '5000.00', expiresOn: addDays(today, 10) });
    expect(await exposure(customer)).toMatchObject({ limit: '5000.00', limitSource: 'temporary', customerLimit: '1000.00', temporaryLimitUntil: addDays(today, 10) });
    await must('PUT', `/credit/customers/${customer}/limit`, 'credit', { limit: '2000.00', reason: 'reviewed' });
    expect(await exposure(customer)).toMatchObject({ limit: '2000.00', limitSource: 'customer', temporaryLimit: null });
    const page = await must('GET', `/credit/customers/${customer}`, 'sales');
    expect(page.limitChanges.map((change: { reason: string }) => change.reason)).toEqual(['reviewed', 'season', 'opening limit']);
  });

  it('refuses bad limits with a clear message and writes nothing', async () => {
    const customer = await newCustomer('1000.00');
    const foreign = await call('POST', '/customers', other.keys.sales, {
      name: 'Fremd', legalName: 'Fremd GmbH', countryCode: 'DE', currency: 'EUR', language: 'de', paymentTermsCode: 'NET30',
      addresses: [
        { kind: 'billing', name: 'Fremd GmbH', line1: 'Weg 1', postalCode: '10115', city: 'Berlin', countryCode: 'DE' },
        { kind: 'shipping', name: 'Fremd GmbH', line1: 'Weg 1', postalCode: '10115', city: 'Berlin', countryCode: 'DE' },
      ],
    });
    expect(foreign.status, foreign.text).toBe(201);
    const before = await creditRows();
    const cases: Array<[string, unknown, Role, number, string]> = [
      [customer, { limit: '-1.00', reason: 'negative' }, 'credit', 400, 'O2C_INVALID_VALUE'],
      [customer, { limit: '10.001', reason: 'too precise' }, 'credit', 400, 'O2C_INVALID_VALUE'],
      [customer, { limit: '10.00' }, 'credit', 400, 'O2C_VALIDATION_FAILED'],
      [customer, { limit: '10.00', reason: 'past', expiresOn: addDays(today, -1) }, 'credit', 400, 'O2C_INVALID_VALUE'],
      [customer, { limit: '10.00', reason: 'not mine to set' }, 'sales', 403, 'O2C_FORBIDDEN'],
      [foreign.body.id, { limit: '10.00', reason: 'other tenant' }, 'credit', 404, 'O2C_NOT_FOUND'],
    ];
    for (const [id, body, role, status, code] of cases) {
      const response = await call('PUT', `/credit/customers/${id}/limit`, as(role), body);
      expect(response.status, response.text).toBe(status);
      expect(response.body.code).toBe(code);
      expect(response.body.detail).toBeTruthy();
    }
    expect(await creditRows()).toEqual(before);
  });

  it('takes limit requests from sales for a credit manager to approve or reject, never their own', async () => {
    const customer = await newCustomer('1000.00');
    const asked = await must('POST', '/credit/limit-requests', 'sales', { customerId: customer, limit: '8000.00', reason: 'framework contract signed' });
    expect(asked).toMatchObject({ status: 'pending', limit: '8000.00', currentLimit: '1000.00', requestedBy: 'key:sales key' });
    expect((await call('POST', `/credit/limit-requests/${asked.id}/approve`, as('sales'), { reason: 'self' })).status).toBe(403);
    const approved = await must('POST', `/credit/limit-requests/${asked.id}/approve`, 'credit', { reason: 'payment record is clean' });
    expect(approved).toMatchObject({ status: 'approved', decidedBy: 'key:credit key' });
    expect(await exposure(customer)).toMatchObject({ limit: '8000.00', limitSource: 'customer' });
    const own = await must('POST', '/credit/limit-requests', 'credit', { customerId: customer, limit: '9000.00', reason: 'my own' });
    const refused = await call('POST', `/credit/limit-requests/${own.id}/approve`, as('credit'), { reason: 'self' });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('O2C_SEGREGATION_OF_DUTIES');
    const rejected = await must('POST', `/credit/limit-requests/${asked.id}/reject`, 'credit', { reason: 'late' }).catch(() => null);
    expect(rejected).toBeNull();
    expect((await call('POST', `/credit/limit-requests/${own.id}/reject`, other.keys.credit, { reason: 'x' })).status).toBe(404);
  });
});

describe('blocking defaulters', () => {
  it('blocks a customer with an item beyond the threshold, holds its orders, and lifts the block when paid', async () => {
    expect((await exposure(defaulter)).block.state).toBe('none');
    await runCreditControl(t.database.handle.db, t.tenant.id);
    const blocked = await exposure(defaulter);
    expect(blocked.block).toMatchObject({ state: 'automatic', reason: 'an item is 70 days past due (more than 60)' });
    const held = await submit((await draftOrder(defaulter)).id);
    expect(held.status).toBe('on_credit_hold');
    expect(held.creditDecision.reasons[0]).toContain('credit-blocked (automatically)');
    await must('POST', '/payments', 'cashapp', { customerId: defaulter, amount: defaulterInvoice.gross, currency: 'EUR', method: 'bank_transfer', valueDate: today, applications: [{ invoiceId: defaulterInvoice.id }] });
    await relayAll();
    expect((await exposure(defaulter)).block.state).toBe('none');
    const audit = await t.database.handle.db.selectFrom('audit_events').select('action').where('entity_id', '=', defaulter).where('action', 'like', 'credit.customer_%').orderBy('occurred_at').execute();
    expect(audit.map((row) => row.action)).toEqual(['credit.customer_blocked', 'credit.customer_unblocked']);
    const events = await t.database.handle.db.selectFrom('outbox_events').select('event_type as type').where('aggregate_id', '=', defaulter).where('event_type', 'like', 'credit.customer_%').execute();
    expect(events.map((row) => row.type).sort()).toEqual(['credit.customer_blocked', 'credit.customer_unblocked']);
  });

  it('blocks on a reversed payment that leaves invoices open, until they are paid again', async () => {
    const customer = await newCustomer('100000.00');
    const order = await submit((await draftOrder(customer)).id);
    const invoice = await invoiceShipment(await shipOrder(order.id));
    const payment = await must('POST', '/payments', 'cashapp', { customerId: customer, amount: invoice.gross, currency: 'EUR', method: 'cheque', valueDate: today, applications: [{ invoiceId: invoice.id }] });
    await must('POST', `/payments/${payment.id}/reverse`, 'cashapp', { reason: 'cheque bounced' });
    await relayAll();
    expect((await exposure(customer)).block).toMatchObject({ state: 'automatic', reason: `reversed payment ${payment.number} left invoices open` });
    await must('POST', '/payments', 'cashapp', { customerId: customer, amount: invoice.gross, currency: 'EUR', method: 'bank_transfer', valueDate: today, applications: [{ invoiceId: invoice.id }] });
    await relayAll();
    expect((await exposure(customer)).block.state).toBe('none');
  });

  it('keeps a block set by hand until a person lifts it', async () => {
    const customer = await newCustomer('100000.00');
    const blocked = await must('POST', `/credit/customers/${customer}/block`, 'credit', { reason: 'insolvency filed' });
    expect(blocked.block).toMatchObject({ state: 'manual', reason: 'insolvency filed' });
    await runCreditControl(t.database.handle.db, t.tenant.id);
    expect((await exposure(customer)).block.state).toBe('manual');
    const held = await submit((await draftOrder(customer)).id);
    expect(held.creditDecision.reasons[0]).toContain('(by a credit manager): insolvency filed');
    expect((await call('POST', `/credit/customers/${customer}/block`, as('sales'), { reason: 'x' })).status).toBe(403);
    const lifted = await must('POST', `/credit/customers/${customer}/unblock`, 'credit', { reason: 'administrator paid in full' });
    expect(lifted.block.state).toBe('none');
  });
});

describe('scores', () => {
  it('scores on demand and keeps one score per day for the trend', async () => {
    const first = await must('POST', `/credit/customers/${graceEqual}/score`, 'credit');
    expect(first).toMatchObject({ scoredOn: today, hasHistory: true });
    expect(['A', 'B', 'C', 'D', 'E']).toContain(first.riskClass);
    expect(first.factors.length).toBeGreaterThan(0);
    await must('POST', `/credit/customers/${graceEqual}/score`, 'credit');
    const page = await must('GET', `/credit/customers/${graceEqual}`, 'viewer');
    expect(page.scores).toHaveLength(1);
    expect(page.score).toMatchObject({ score: first.score, riskClass: first.riskClass });
    const fresh = await newCustomer('1000.00');
    expect(await must('POST', `/credit/customers/${fresh}/score`, 'admin')).toMatchObject({ riskClass: 'C', hasHistory: false, factors: [{ code: 'no_history' }] });
  });
});
