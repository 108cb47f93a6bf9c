import type { Locator } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { bearer } from '../support/app';
import { issueInvoiceFor } from '../support/invoices';
import { formattersFor, todayIn } from '../../web/src/format';
import { screenshot, setUpBrowserApp, signIn, skip, skipReason, warnIfSkipped } from './browser-support';

/**
 * Credit management in a real browser. With a default limit of 0 every order of a
 * customer without a limit of its own goes on credit hold: the credit manager
 * lands on the review queue, sees why, opens a review with the exposure, releases
 * one order (approved) and rejects another (cancelled). The customer's credit page
 * shows the exposure by part; a temporary limit is set with its reason and expiry,
 * and scoring now shows the score with its factors. Sales asks for a limit that
 * the credit manager approves. Nobody releases an order they entered. The queue
 * fits a phone's width.
 */

warnIfSkipped('test/browser/credit.test.ts');

interface OrderFacts {
  readonly id: string;
  readonly number: string;
  readonly status: string;
  readonly totals: { readonly gross: string };
}

describe.skipIf(skip)(`credit management in Chromium${skip ? ` (${skipReason})` : ''}`, () => {
  const app = setUpBrowserApp();
  const { call, newPage } = app;
  const creditEmail = 'cora@acme.test';
  const creditPassword = 'a long credit manager password';
  const salesEmail = 'sam@acme.test';
  const salesPassword = 'a long sales person password';
  const ownerEmail = 'olga@acme.test';
  const ownerPassword = 'a long owner-manager password';
  const format = formattersFor({ locale: 'de-DE', timeZone: 'Europe/Berlin' });

  /** An amount as the tenant (de-DE) reads it, e.g. "51,00 €", with plain spaces. */
  const euro = (amount: string) => format.money(amount, 'EUR').replace(/\s/g, ' ');
  /** The text of an element with every kind of space as a plain one. */
  const textOf = async (locator: Locator) => ((await locator.textContent()) ?? '').replace(/\s/g, ' ');

  async function put(url: string, key: string, payload: unknown): Promise<unknown> {
    const response = await app.t.app.http.inject({ method: 'PUT', url: `/api/v1${url}`, payload: JSON.stringify(payload), headers: { 'content-type': 'application/json', ...bearer(key) } });
    expect(response.statusCode, `PUT ${url}: ${response.body}`).toBe(200);
    return response.json();
  }

  async function customerNamed(name: string): Promise<{ id: string; name: string }> {
    const customers = await call<{ items: Array<{ id: string; name: string }> }>('GET', `/customers?q=${encodeURIComponent(name)}`, app.t.tenant.keys.viewer);
    return customers.items.find((candidate) => candidate.name === name)!;
  }

  /** Sales enters and submits an order; without a limit of its own the customer's order goes on credit hold. */
  async function heldOrder(customerId: string, sales = app.t.tenant.keys.sales): Promise<OrderFacts> {
    const order = await call<OrderFacts>('POST', '/orders', sales, { customerId, lines: [{ sku: 'BRG-6204-2RS', quantity: '2' }] });
    const submitted = await call<OrderFacts>('POST', `/orders/${order.id}/submit`, sales);
    expect(submitted.status).toBe('on_credit_hold');
    return submitted;
  }

  const orderFacts = (orderId: string) => call<OrderFacts>('GET', `/orders/${orderId}`, app.t.tenant.keys.viewer);

  /** A calendar date some days after another (YYYY-MM-DD). */
  function daysAfter(date: string, days: number): string {
    const [year, month, day] = date.split('-').map(Number) as [number, number, number];
    return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
  }

  beforeAll(async () => {
    const admin = app.t.tenant.keys.admin;
    await call('POST', '/users', admin, { email: creditEmail, displayName: 'Cora Credit', password: creditPassword, roles: ['credit'] });
    await call('POST', '/users', admin, { email: salesEmail, displayName: 'Sam Sales', password: salesPassword, roles: ['sales'] });
    await call('POST', '/users', admin, { email: ownerEmail, displayName: 'Olga Owner', password: ownerPassword, roles: ['admin', 'credit'] });
    // Customers without a limit of their own get none: every order of theirs is reviewed.
    await put('/credit/settings', admin, { defaultLimit: '0' });
  });

  let released: OrderFacts;
  let holzbau: { id: string; name: string };

  it('lets the credit manager release one held order and reject another from the queue', async () => {
    holzbau = await customerNamed('Holzbau Österreicher');
    const sanne = await customerNamed('Sanne de Vries');
    released = await heldOrder(holzbau.id);
    const rejected = await heldOrder(sanne.id);

    const page = await newPage();
    await signIn(page, creditEmail, creditPassword);
    // Credit managers land on the review queue.
    await page.getByRole('heading', { level: 1, name: 'Credit reviews' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/credit/reviews');
    const nav = page.getByRole('navigation', { name: 'Main' });
    expect(await nav.getByRole('link', { name: 'Credit', exact: true }).getAttribute('aria-current')).toBe('page');

    const queue = page.getByRole('table', { name: 'Orders on credit hold, oldest first' });
    const row = queue.getByTestId(`review-${released.number}`);
    await row.waitFor();
    await expect.poll(() => textOf(row)).toContain("The customer has no credit limit of its own and the tenant's default limit is 0");
    await expect.poll(() => textOf(row)).toContain(euro(released.totals.gross));
    await expect.poll(() => textOf(row)).toContain('Holzbau Österreicher');
    // Oldest first.
    const numbers = await queue.getByRole('row').evaluateAll((rows) => rows.map((element) => element.getAttribute('data-testid')).filter((id) => id !== null));
    expect(numbers.indexOf(`review-${released.number}`)).toBeLessThan(numbers.indexOf(`review-${rejected.number}`));
    await screenshot(page, 'o2c-credit-queue.png');

    // The review: why, the exposure with the order against the limit, payment history and score.
    await row.getByRole('link', { name: `Details of the review of ${released.number}` }).click();
    await page.getByRole('heading', { level: 1, name: `Credit review of ${released.number}` }).waitFor();
    await page.getByRole('list', { name: `Why ${released.number} was held` }).getByText('default limit is 0').waitFor();
    await expect.poll(() => textOf(page.getByTestId('exposure-order'))).toContain(euro(released.totals.gross));
    await expect.poll(() => textOf(page.getByTestId('exposure-limit'))).toContain(euro('0'));
    await expect.poll(() => textOf(page.getByTestId('exposure-available'))).toContain(`Over the limit by ${euro(released.totals.gross)}`);
    await page.getByTestId('payment-history').waitFor();
    await page.getByTestId('current-decision').getByText('Held', { exact: true }).waitFor();
    await screenshot(page, 'o2c-credit-review.png');

    // Released with a reason: the order is approved.
    await page.getByRole('button', { name: `Release order ${released.number}` }).click();
    await page.getByLabel('Reason for the release').fill('Known customer, pays on time');
    await page.getByRole('button', { name: 'Release order', exact: true }).click();
    await page.getByRole('status').filter({ hasText: `Order ${released.number} released: approved.` }).waitFor();
    await expect.poll(() => textOf(page.getByTestId('review-status'))).toContain('Released');
    await expect.poll(() => textOf(page.getByTestId('review-decision'))).toContain('Known customer, pays on time');
    await page.getByRole('button', { name: `Release order ${released.number}` }).waitFor({ state: 'detached' });
    expect((await orderFacts(released.id)).status).toBe('approved');

    // Back in the queue it is gone; the other is rejected from its row.
    await nav.getByRole('link', { name: 'Credit', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Credit reviews' }).waitFor();
    const other = queue.getByTestId(`review-${rejected.number}`);
    await other.waitFor();
    await queue.getByTestId(`review-${released.number}`).waitFor({ state: 'detached' });
    await other.getByRole('button', { name: `Reject order ${rejected.number}` }).click();
    await page.getByLabel('Reason for the rejection').fill('Private buyer, prepayment only');
    await page.getByRole('button', { name: 'Reject order', exact: true }).click();
    await page.getByRole('status').filter({ hasText: `Order ${rejected.number} rejected: cancelled.` }).waitFor();
    await other.waitFor({ state: 'detached' });
    expect((await orderFacts(rejected.id)).status).toBe('cancelled');

    // The decided reviews say who, when and why.
    await page.getByRole('group', { name: 'Show reviews' }).getByRole('button', { name: 'Rejected' }).click();
    const rejectedRow = page.getByRole('table', { name: 'Rejected reviews, newest first' }).getByTestId(`review-${rejected.number}`);
    await expect.poll(() => textOf(rejectedRow)).toContain('Private buyer, prepayment only');
    await expect.poll(() => textOf(rejectedRow)).toContain(creditEmail);
    await page.getByRole('group', { name: 'Show reviews' }).getByRole('button', { name: 'Released' }).click();
    const releasedRow = page.getByRole('table', { name: 'Released reviews, newest first' }).getByTestId(`review-${released.number}`);
    await expect.poll(() => textOf(releasedRow)).toContain('Known customer, pays on time');

    // The order shows its stored credit decision and the review that released it.
    await releasedRow.getByRole('link', { name: released.number, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: `Order ${released.number}` }).waitFor();
    await expect.poll(() => textOf(page.getByTestId('order-credit-decision'))).toContain('Held for credit review');
    await expect.poll(() => textOf(page.getByTestId('order-credit-decision'))).toContain('default limit is 0');
    await expect.poll(() => textOf(page.getByTestId('order-credit-review'))).toContain('Released');
    await expect.poll(() => textOf(page.getByTestId('exposure-approvedNotShipped'))).toContain(euro(released.totals.gross));
    await screenshot(page, 'o2c-order-credit.png');
  });

  it('shows a customer’s credit: exposure by part, a temporary limit with its expiry, and the score with its factors', async () => {
    const page = await newPage();
    await signIn(page, creditEmail, creditPassword);
    await page.getByRole('heading', { level: 1, name: 'Credit reviews' }).waitFor();
    await page.goto(`/customers/${holzbau.id}`);
    await page.getByRole('heading', { level: 1, name: /Holzbau Österreicher/ }).waitFor();
    await page.getByRole('main').getByRole('link', { name: 'Credit', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Credit of Holzbau Österreicher' }).waitFor();
    await expect.poll(() => textOf(page.getByTestId('exposure-approvedNotShipped'))).toContain(euro(released.totals.gross));
    await expect.poll(() => textOf(page.getByTestId('limit-facts'))).toContain('default limit');

    // A temporary limit for ten days, with the reason.
    const until = daysAfter(todayIn('Europe/Berlin'), 10);
    await page.getByRole('button', { name: 'Set limit' }).click();
    await page.getByLabel('Credit limit (EUR)').fill('2500');
    await page.getByLabel('Temporary until').fill(until);
    await page.getByLabel('Reason for the limit').fill('Season peak, orders are paid in advance');
    await page.getByRole('button', { name: 'Save limit' }).click();
    await page.getByRole('status').filter({ hasText: `Temporary limit of ${euro('2500')} in force until ${format.date(until)}.` }).waitFor();
    await expect.poll(() => textOf(page.getByTestId('temporary-limit'))).toBe(`${euro('2500')} until ${format.date(until)}`);
    await expect.poll(() => textOf(page.getByTestId('limit-facts'))).toContain('(temporary limit)');
    const changes = page.getByRole('table', { name: 'Limit changes of Holzbau Österreicher, newest first' });
    await expect.poll(() => textOf(changes)).toContain(`Temporary until ${format.date(until)}`);
    await expect.poll(() => textOf(changes)).toContain('Season peak, orders are paid in advance');
    await expect.poll(() => textOf(page.getByTestId('exposure-limit'))).toContain(euro('2500'));

    // Within the limit now, an order passes and is invoiced: the exposure has an open invoice too.
    const invoice = await issueInvoiceFor(app.t, holzbau.id, [{ sku: 'BRG-6204-2RS', quantity: '1' }]);
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Credit of Holzbau Österreicher' }).waitFor();
    await expect.poll(() => textOf(page.getByTestId('exposure-openReceivables'))).toContain(euro(invoice.gross));
    await expect.poll(() => textOf(page.getByTestId('exposure-approvedNotShipped'))).toContain(euro(released.totals.gross));

    // Scored now: the score, its class and every factor with its points.
    await page.getByRole('button', { name: 'Score now' }).click();
    await page.getByRole('status').filter({ hasText: /Scored on .*: \d+ of 100, risk class [A-E]\./ }).waitFor();
    await expect.poll(() => textOf(page.getByTestId('credit-score'))).toMatch(/Risk class [A-E]/);
    const factors = page.getByRole('table', { name: /^Score factors of/ });
    await factors.getByTestId('factor-limit_use').waitFor();
    await expect.poll(() => factors.getByRole('row').count()).toBeGreaterThan(2);
    await expect.poll(() => textOf(factors.getByTestId('factor-limit_use'))).toMatch(/[+−]?\d+$/);
    await page.getByTestId('score-history').waitFor();
    await screenshot(page, 'o2c-customer-credit.png');
  });

  it('lets sales ask for a limit that a credit manager approves', async () => {
    const sanne = await customerNamed('Sanne de Vries');
    const sales = await newPage();
    await signIn(sales, salesEmail, salesPassword);
    await sales.getByRole('heading', { level: 1, name: 'Orders' }).waitFor();
    await sales.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Credit', exact: true }).click();
    await sales.getByRole('heading', { level: 1, name: 'Credit reviews' }).waitFor();
    // Sales reads the queue but does not decide.
    expect(await sales.getByRole('button', { name: /^Release order/ }).count()).toBe(0);
    await sales.getByRole('navigation', { name: 'Credit' }).getByRole('link', { name: 'Limit requests' }).click();
    await sales.getByRole('heading', { level: 1, name: 'Limit requests' }).waitFor();
    await sales.getByRole('button', { name: 'Ask for a limit' }).click();
    const form = sales.getByRole('region', { name: 'Ask for a credit limit' });
    await form.getByRole('combobox', { name: 'Customer' }).fill('Sanne');
    await form.getByRole('option', { name: /Sanne de Vries/ }).click();
    await form.getByLabel('Limit asked for (EUR)').fill('3000');
    await form.getByLabel('Why the limit is needed').fill('Orders monthly now, pays on time');
    await form.getByRole('button', { name: 'Send request' }).click();
    await sales.getByRole('status').filter({ hasText: `Limit of ${euro('3000')} for Sanne de Vries asked for` }).waitFor();
    const asked = sales.getByTestId(/^limit-request-.*-3000\.00$/);
    await expect.poll(() => textOf(asked)).toContain('Waiting for a decision');
    await expect.poll(() => textOf(asked)).toContain(salesEmail);
    expect(await sales.getByRole('button', { name: /^Approve the limit request/ }).count()).toBe(0);

    const credit = await newPage();
    await signIn(credit, creditEmail, creditPassword);
    await credit.getByRole('heading', { level: 1, name: 'Credit reviews' }).waitFor();
    await credit.goto('/credit/limit-requests?status=pending');
    await credit.getByRole('heading', { level: 1, name: 'Limit requests' }).waitFor();
    await credit.getByRole('button', { name: 'Approve the limit request for Sanne de Vries' }).click();
    await credit.getByLabel('Reason for the approval').fill('Payment history is clean');
    await credit.getByRole('button', { name: 'Approve request' }).click();
    await credit.getByRole('status').filter({ hasText: `The limit request for Sanne de Vries was approved: ${euro('3000')} is in force.` }).waitFor();
    // Gone from the pending ones; approved among all.
    await credit.getByRole('button', { name: 'Approve the limit request for Sanne de Vries' }).waitFor({ state: 'detached' });
    await credit.getByRole('group', { name: 'Show limit requests' }).getByRole('button', { name: 'All' }).click();
    const decided = credit.getByTestId(/^limit-request-.*-3000\.00$/);
    await expect.poll(() => textOf(decided)).toContain('Approved');
    await expect.poll(() => textOf(decided)).toContain('Payment history is clean');
    await screenshot(credit, 'o2c-limit-requests.png');

    const position = await call<{ customerLimit: string | null; limitSource: string }>('GET', `/credit/customers/${sanne.id}/exposure`, app.t.tenant.keys.viewer);
    expect(position).toMatchObject({ customerLimit: '3000.00', limitSource: 'customer' });

    // The credit policy: sales reads it, the credit manager changes it.
    await sales.getByRole('navigation', { name: 'Credit' }).getByRole('link', { name: 'Credit policy' }).click();
    await sales.getByRole('heading', { level: 1, name: 'Credit policy' }).waitFor();
    expect(await sales.getByLabel('Default limit (EUR)').inputValue()).toBe('0.00');
    expect(await sales.getByLabel('Default limit (EUR)').isDisabled()).toBe(true);
    expect(await sales.getByRole('button', { name: 'Save credit policy' }).count()).toBe(0);
    await credit.getByRole('navigation', { name: 'Credit' }).getByRole('link', { name: 'Credit policy' }).click();
    await credit.getByRole('heading', { level: 1, name: 'Credit policy' }).waitFor();
    await credit.getByLabel('Block after days').fill('3000');
    await credit.getByRole('button', { name: 'Save credit policy' }).click();
    await credit.getByRole('status').filter({ hasText: `Credit policy saved: customers without a limit of their own get ${euro('0')}.` }).waitFor();
    const settings = await call<{ defaultLimit: string; blockAfterDays: number }>('GET', '/credit/settings', app.t.tenant.keys.viewer);
    expect(settings).toMatchObject({ defaultLimit: '0.00', blockAfterDays: 3000 });
  });

  it('shows the refusal when the person who entered an order tries to release it', async () => {
    const lodz = await customerNamed('Łódź Tekstylia');
    const page = await newPage();
    await signIn(page, ownerEmail, ownerPassword);
    await page.getByRole('heading', { level: 1, name: 'Orders' }).waitFor();
    // An API key of this person enters the order: it counts as the same person.
    const created = await page.request.post('/api/v1/api-keys', { data: { name: 'Shop import', roles: ['sales'] }, headers: { 'idempotency-key': 'olga-shop-import-key' } });
    expect(created.status(), await created.text()).toBeLessThan(300);
    const { secret } = (await created.json()) as { secret: string };
    const order = await heldOrder(lodz.id, secret);
    const reviews = await call<{ items: Array<{ id: string }> }>('GET', `/credit-reviews?orderId=${order.id}`, app.t.tenant.keys.viewer);

    await page.goto(`/credit/reviews/${reviews.items[0]!.id}`);
    await page.getByRole('heading', { level: 1, name: `Credit review of ${order.number}` }).waitFor();
    await page.getByRole('button', { name: `Release order ${order.number}` }).click();
    await page.getByLabel('Reason for the release').fill('Urgent');
    await page.getByRole('button', { name: 'Release order', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: `You entered ${order.number}; another person with the credit role must release it.` }).waitFor();
    expect((await orderFacts(order.id)).status).toBe('on_credit_hold');
  });

  it('shows the review queue in a narrow window without sideways scrolling', async () => {
    const lodz = await customerNamed('Łódź Tekstylia');
    const order = await heldOrder(lodz.id);
    const page = await newPage({ width: 390, height: 844 });
    await signIn(page, creditEmail, creditPassword);
    await page.getByRole('heading', { level: 1, name: 'Credit reviews' }).waitFor();
    const row = page.getByTestId(`review-${order.number}`);
    await row.waitFor();
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(await overflow()).toBeLessThanOrEqual(0);
    await row.getByRole('button', { name: `Release order ${order.number}` }).click();
    await page.getByLabel('Reason for the release').waitFor();
    expect(await overflow()).toBeLessThanOrEqual(0);
    await screenshot(page, 'o2c-credit-queue-narrow.png');
    await page.getByRole('button', { name: 'Back' }).click();
    await page.getByLabel('Reason for the release').waitFor({ state: 'detached' });
    await row.getByRole('link', { name: `Details of the review of ${order.number}` }).click();
    await page.getByRole('heading', { level: 1, name: `Credit review of ${order.number}` }).waitFor();
    await page.getByTestId('exposure-order').waitFor();
    expect(await overflow()).toBeLessThanOrEqual(0);
  });
});
