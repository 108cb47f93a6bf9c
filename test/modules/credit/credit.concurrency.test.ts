import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, startTestApp, type TestApp } from '../../support/app';
import { loadDemoRecords } from '../../support/demo-data';
import { stockUp } from '../../support/invoices';

/**
 * Credit decisions per customer are taken one at a time (the customer row is
 * locked first): on PostgreSQL the submits below really run in parallel; on
 * PGlite they queue on its single connection. Either way, orders that each pass
 * the limit alone never pass it together.
 */
let t: TestApp;
let customerId: string;

const call = (method: 'POST' | 'PUT' | 'GET', url: string, key: string, body?: unknown) =>
  t.app.http.inject({ method, url: `/api/v1${url}`, headers: { ...bearer(key), ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, ...(body === undefined ? {} : { payload: JSON.stringify(body) }) });

beforeAll(async () => {
  t = await startTestApp();
  await loadDemoRecords(t.database.handle, t.tenant.id);
  await stockUp(t);
  customerId = (await t.database.handle.db.selectFrom('customers').select('id').where('tenant_id', '=', t.tenant.id).where('number', '=', 'C000001').executeTakeFirstOrThrow()).id;
}, 120_000);
afterAll(async () => t.close());

async function drafts(count: number, quantity: string) {
  const made: Array<{ id: string; totals: { gross: string } }> = [];
  for (let index = 0; index < count; index += 1) {
    const response = await call('POST', '/orders', t.tenant.keys.sales, { customerId, lines: [{ sku: 'GLOVE-9', quantity }] });
    expect(response.statusCode, response.body).toBe(201);
    made.push(response.json());
  }
  return made;
}

const minor = (text: string) => BigInt(text.replace('.', ''));
const text = (value: bigint) => `${value / 100n}.${(value % 100n).toString().padStart(2, '0')}`;

describe('concurrent submits of one customer', () => {
  it('approve only as many orders as the limit holds together', async () => {
    const orders = await drafts(8, '3');
    const gross = minor(orders[0]!.totals.gross);
    // Room for exactly three of the eight.
    const limit = await call('PUT', `/credit/customers/${customerId}/limit`, t.tenant.keys.credit, { limit: text(gross * 3n + gross / 2n), reason: 'three orders' });
    expect(limit.statusCode, limit.body).toBe(200);
    const results = await Promise.all(orders.map((order) => call('POST', `/orders/${order.id}/submit`, t.tenant.keys.sales)));
    for (const result of results) expect(result.statusCode, result.body).toBe(200);
    const statuses = results.map((result) => result.json().status as string);
    expect(statuses.filter((status) => status === 'approved')).toHaveLength(3);
    expect(statuses.filter((status) => status === 'on_credit_hold')).toHaveLength(5);
    const position = (await call('GET', `/credit/customers/${customerId}/exposure`, t.tenant.keys.viewer)).json();
    expect(minor(position.exposure.total)).toBe(gross * 3n);
    expect(minor(position.exposure.total)).toBeLessThanOrEqual(minor(position.limit));
    const held = await t.database.handle.db.selectFrom('sales_orders').select(['status', 'reservation_status']).where('tenant_id', '=', t.tenant.id).where('status', '=', 'on_credit_hold').execute();
    expect(held.every((order) => order.reservation_status === 'none')).toBe(true);
    const reviews = (await call('GET', `/credit-reviews?customerId=${customerId}`, t.tenant.keys.credit)).json();
    expect(reviews.items).toHaveLength(5);
  });

  it('decides one review once when a release and a reject race', async () => {
    const reviews = (await call('GET', `/credit-reviews?customerId=${customerId}`, t.tenant.keys.credit)).json().items as Array<{ id: string; order: { id: string } }>;
    const outcomes = await Promise.all(
      reviews.flatMap((review) => [
        call('POST', `/credit-reviews/${review.id}/release`, t.tenant.keys.credit, { reason: 'race', oneOffIncrease: '100000.00' }),
        call('POST', `/credit-reviews/${review.id}/reject`, t.tenant.keys.credit, { reason: 'race' }),
      ]),
    );
    for (const outcome of outcomes) expect([200, 409], outcome.body).toContain(outcome.statusCode);
    expect(outcomes.filter((outcome) => outcome.statusCode === 200)).toHaveLength(reviews.length);
    for (const review of reviews) {
      const order = (await call('GET', `/orders/${review.order.id}`, t.tenant.keys.viewer)).json();
      const decided = (await call('GET', `/credit-reviews/${review.id}`, t.tenant.keys.credit)).json();
      expect(decided.status === 'released' ? 'approved' : 'cancelled').toBe(order.status);
    }
  });

  it('never lets concurrent raises of approved orders pass the limit together', async () => {
    const orders = await drafts(4, '1');
    const gross = minor(orders[0]!.totals.gross);
    const exposure = minor((await call('GET', `/credit/customers/${customerId}/exposure`, t.tenant.keys.viewer)).json().exposure.total);
    // The four approved at one glove each, with room for two more gloves.
    await call('PUT', `/credit/customers/${customerId}/limit`, t.tenant.keys.credit, { limit: text(exposure + gross * 6n), reason: 'room for six gloves' });
    const approved = [];
    for (const order of orders) approved.push((await call('POST', `/orders/${order.id}/submit`, t.tenant.keys.sales)).json());
    expect(approved.every((order) => order.status === 'approved')).toBe(true);
    const raised = await Promise.all(
      approved.map((order) => call('PUT', `/orders/${order.id}/lines`, t.tenant.keys.sales, { version: order.version, lines: [{ lineId: order.lines[0].id, sku: 'GLOVE-9', quantity: '2' }] })),
    );
    for (const result of raised) expect(result.statusCode, result.body).toBe(200);
    // A raise that does not fit goes on hold, and a held order leaves exposure, which may make room for the next one.
    const statuses = raised.map((result) => result.json().status as string);
    expect(statuses.filter((status) => status === 'on_credit_hold').length).toBeGreaterThan(0);
    expect(statuses.filter((status) => status === 'approved').length).toBeGreaterThanOrEqual(2);
    const position = (await call('GET', `/credit/customers/${customerId}/exposure`, t.tenant.keys.viewer)).json();
    expect(minor(position.exposure.total)).toBeLessThanOrEqual(minor(position.limit));
  });
});
