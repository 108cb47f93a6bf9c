import { describe, expect, it } from 'vitest';
import { bearer } from '../support/app';
import { screenshot, setUpBrowserApp, signIn, skip, skipReason, warnIfSkipped } from './browser-support';

/**
 * Order capture in a real browser against a whole o2c with the demo records: enter
 * an order that is priced as you type, submit it, read it with its history, cancel
 * it; find a customer; read the stock. The test tenant's locale is de-DE, so money
 * reads "4,40 €".
 */

warnIfSkipped('test/browser/orders.test.ts');

interface StockRow {
  itemId: string;
  warehouseId: string;
  available: string;
}

describe.skipIf(skip)(`order capture in Chromium${skip ? ` (${skipReason})` : ''}`, () => {
  const app = setUpBrowserApp();
  const { newPage } = app;

  async function api<T>(url: string): Promise<T> {
    const response = await app.t.app.http.inject({ method: 'GET', url: `/api/v1${url}`, headers: bearer(app.t.tenant.keys.admin) });
    expect(response.statusCode, url).toBe(200);
    return response.json() as T;
  }

  it('enters an order priced as you type, submits it, shows its history and cancels it', async () => {
    const page = await newPage();
    await signIn(page, app.t.tenant.adminEmail, app.t.tenant.password);
    await page.getByRole('heading', { level: 1, name: 'Orders' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/orders');

    await page.getByRole('navigation', { name: 'Orders' }).getByRole('link', { name: 'New order' }).click();
    await page.getByRole('heading', { level: 1, name: 'New order' }).waitFor();

    // The customer, searched by part of the name.
    await page.getByRole('combobox', { name: 'Customer' }).fill('Bäck');
    await page.getByRole('option', { name: /Bäckerei Schröder/ }).click();
    await expect.poll(() => page.getByLabel('Ship to').inputValue()).not.toBe('');

    // A line: 12 bearings fall on the quantity break at 10 (4.40 instead of 4.85), 19 % VAT.
    await page.getByRole('combobox', { name: 'Item, line 1' }).fill('BRG-6204');
    await page.getByRole('option', { name: /BRG-6204-2RS/ }).click();
    await page.getByLabel('Quantity, line 1').fill('12');
    await expect.poll(() => page.getByTestId('line-1-unit-price').textContent()).toMatch(/4,40\s€/);
    await expect.poll(() => page.getByTestId('line-1-tax').textContent()).toMatch(/19\s%/);
    await expect.poll(() => page.getByTestId('line-1-net').textContent()).toMatch(/52,80\s€/);
    await expect.poll(() => page.getByTestId('total-gross').textContent()).toMatch(/62,83\s€/);
    await expect.poll(() => page.getByTestId('total-tax').textContent()).toMatch(/10,03\s€/);
    expect(await page.getByTestId('line-1-availability').count()).toBe(0);

    // Freight of 15.00 joins the totals (and the 19 % VAT).
    await page.getByRole('button', { name: 'Add charge' }).click();
    await page.getByRole('group', { name: 'Charge 1' }).getByLabel('Kind').selectOption('freight');
    await page.getByRole('group', { name: 'Charge 1' }).getByLabel(/Amount/).fill('15.00');
    await expect.poll(() => page.getByTestId('total-charges').textContent()).toMatch(/15,00\s€/);
    await expect.poll(() => page.getByTestId('total-gross').textContent()).toMatch(/80,68\s€/);
    await expect.poll(() => page.getByTestId('total-tax').textContent()).toMatch(/12,88\s€/);
    await screenshot(page, 'o2c-order-entry.png');

    // Save and submit: approved, with the stock reserved.
    await page.getByRole('button', { name: 'Save and submit' }).click();
    await page.getByRole('heading', { level: 1, name: /^Order SO-\d{4}-\d+$/ }).waitFor();
    const orderId = new URL(page.url()).pathname.split('/').at(-1)!;
    // The outcome of the save (a refusal of the submit would be shown here too).
    const outcome = page.locator('main .message').first();
    await outcome.waitFor();
    await expect.poll(() => outcome.textContent()).toMatch(/^Order SO-\d{4}-\d+ submitted\.$/);
    const statusLine = page.locator('.status-line');
    await expect.poll(() => statusLine.textContent()).toContain('Approved');
    await expect.poll(() => statusLine.textContent()).toContain('Reserved');
    expect((await page.getByTestId('order-line-1-reserved').textContent())?.trim()).toBe('12');
    await expect.poll(() => page.getByTestId('total-gross').textContent()).toMatch(/80,68\s€/);
    const saved = await api<{ status: string; lines: Array<{ quantityReserved: string; unitPrice: string }>; charges: Array<{ kind: string; amount: string }> }>(
      `/orders/${orderId}`,
    );
    expect(saved).toMatchObject({ status: 'approved', lines: [{ quantityReserved: '12' }], charges: [{ kind: 'freight', amount: '15.00' }] });
    expect(saved.lines[0]!.unitPrice).toMatch(/^4\.40?$/);

    // The history, as a timeline.
    await page.getByRole('button', { name: 'Show history' }).click();
    const history = page.getByRole('list', { name: /Order history/ });
    await history.getByText('Approved', { exact: true }).waitFor();
    expect(await history.getByText('Order entered', { exact: true }).count()).toBe(1);
    expect(await history.getByText('Submitted', { exact: true }).count()).toBe(1);
    await screenshot(page, 'o2c-order-detail.png');

    // Cancel with a reason.
    await page.getByRole('button', { name: 'Cancel order' }).click();
    await page.getByLabel('Reason for the cancellation').fill('Customer ordered by mistake');
    await page.getByRole('button', { name: 'Confirm cancellation' }).click();
    await page.getByRole('status').filter({ hasText: 'cancelled' }).waitFor();
    await expect.poll(() => statusLine.textContent()).toContain('Cancelled');
    expect(await page.getByRole('button', { name: 'Cancel order' }).count()).toBe(0);
    expect(await page.locator('dl.details').getByText('“Customer ordered by mistake”').count()).toBe(1);
    await history.getByText('Cancelled', { exact: true }).waitFor();
    expect(await history.getByText(/Customer ordered by mistake/).count()).toBe(1);
    expect(await api<{ status: string; cancelReason: string }>(`/orders/${orderId}`)).toMatchObject({
      status: 'cancelled',
      cancelReason: 'Customer ordered by mistake',
    });
  });

  it('lists the customers and opens one', async () => {
    const page = await newPage();
    await signIn(page, app.t.tenant.adminEmail, app.t.tenant.password);
    await page.getByRole('heading', { level: 1, name: 'Orders' }).waitFor();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Customers', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Customers' }).waitFor();
    const link = page.getByRole('link', { name: 'Müller Elektrotechnik', exact: true });
    await link.click();
    await page.getByRole('heading', { level: 1, name: /Müller Elektrotechnik/ }).waitFor();
    await page.getByRole('heading', { level: 2, name: 'Addresses' }).waitFor();
    expect(await page.getByText('Müller Elektrotechnik GmbH').count()).toBeGreaterThan(0);
  });

  it('shows the stock of an item with its available quantity', async () => {
    const items = await api<{ items: Array<{ id: string; sku: string }> }>('/items?q=BRG-6204-2RS');
    const bearing = items.items.find((item) => item.sku === 'BRG-6204-2RS')!;
    const warehouses = await api<{ items: Array<{ id: string; code: string; isDefault: boolean }> }>('/warehouses');
    const main = warehouses.items.find((warehouse) => warehouse.isDefault)!;
    const stock = await api<{ items: StockRow[] }>(`/stock?itemId=${bearing.id}&warehouseId=${main.id}`);
    const available = stock.items[0]!.available;

    const page = await newPage();
    await signIn(page, app.t.tenant.adminEmail, app.t.tenant.password);
    await page.getByRole('heading', { level: 1, name: 'Orders' }).waitFor();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Stock', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Stock' }).waitFor();
    const row = page.getByRole('row').filter({ hasText: 'BRG-6204-2RS' }).filter({ hasText: main.code });
    await row.waitFor();
    const expected = new Intl.NumberFormat('de-DE').format(available as Intl.StringNumericLiteral);
    expect((await row.getByRole('cell').nth(5).textContent())?.trim()).toBe(expected);
  });
});
