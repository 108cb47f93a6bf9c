import { beforeAll, describe, expect, it } from 'vitest';
import { screenshot, setUpBrowserApp, signIn, skip, skipReason, warnIfSkipped } from './browser-support';

/**
 * Invoicing in a real browser: a billing clerk lands on what is ready to invoice,
 * drafts an invoice from a shipped shipment, leaves a line out, issues it (number,
 * PDF preview, e-invoice check), credits part of a line (the server refuses more
 * than was invoiced) and finds the credit note in the list.
 */

warnIfSkipped('test/browser/invoicing.test.ts');

describe.skipIf(skip)(`invoicing in Chromium${skip ? ` (${skipReason})` : ''}`, () => {
  const app = setUpBrowserApp();
  const { call, newPage } = app;
  const clerkEmail = 'billy@acme.test';
  const clerkPassword = 'a long billing password';

  beforeAll(async () => {
    await call('POST', '/users', app.t.tenant.keys.admin, { email: clerkEmail, displayName: 'Billy Billing', password: clerkPassword, roles: ['billing'] });
  });

  /** An order of Müller Elektrotechnik, submitted and shipped in one shipment. */
  async function shippedOrder(lines: Array<{ sku: string; quantity: string }>) {
    const customers = await call<{ items: Array<{ id: string; name: string }> }>('GET', `/customers?q=${encodeURIComponent('Müller')}`, app.t.tenant.keys.sales);
    const customer = customers.items.find((candidate) => candidate.name === 'Müller Elektrotechnik')!;
    const order = await call<{ id: string; number: string }>('POST', '/orders', app.t.tenant.keys.sales, { customerId: customer.id, lines });
    await call('POST', `/orders/${order.id}/submit`, app.t.tenant.keys.sales);
    const warehouse = app.t.tenant.keys.warehouse;
    const shipment = await call<{ id: string; number: string }>('POST', '/shipments', warehouse, { orderId: order.id });
    await call('POST', `/shipments/${shipment.id}/pick`, warehouse);
    await call('POST', `/shipments/${shipment.id}/pack`, warehouse, { packages: [{ packageType: 'box' }] });
    await call('POST', `/shipments/${shipment.id}/ship`, warehouse, { carrier: 'DHL' });
    return { order, shipment };
  }

  it('drafts, trims, issues and credits an invoice', async () => {
    const { order, shipment } = await shippedOrder([
      { sku: 'BRG-6204-2RS', quantity: '6' },
      { sku: 'GLOVE-9', quantity: '3' },
    ]);

    const page = await newPage();
    await signIn(page, clerkEmail, clerkPassword);
    // Billing lands on its queue.
    await page.getByRole('heading', { level: 1, name: 'Ready to invoice' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/invoicing');
    const nav = page.getByRole('navigation', { name: 'Main' });
    expect(await nav.getByRole('link', { name: 'Invoicing', exact: true }).getAttribute('aria-current')).toBe('page');

    const customer = page.getByRole('region', { name: /Müller Elektrotechnik/ });
    const shipmentBox = customer.getByRole('checkbox', { name: `Shipment ${shipment.number}` });
    await shipmentBox.waitFor();
    await expect.poll(() => customer.getByRole('rowgroup').filter({ hasText: order.number }).textContent()).toMatch(/BRG-6204-2RS[\s\S]*6[\s\S]*GLOVE-9[\s\S]*3/);
    // Chosen with the keyboard.
    await shipmentBox.focus();
    await page.keyboard.press('Space');
    expect(await shipmentBox.isChecked()).toBe(true);
    await screenshot(page, 'o2c-ready-to-invoice.png');
    await customer.getByRole('button', { name: 'Create draft for Müller Elektrotechnik' }).click();

    await page.getByRole('heading', { level: 1, name: 'Draft invoice' }).waitFor();
    const invoiceId = new URL(page.url()).pathname.split('/').at(-1)!;
    await page.getByRole('status').filter({ hasText: 'Draft invoice created for Müller Elektrotechnik: 2 lines' }).waitFor();
    const lines = page.getByRole('table', { name: 'Invoice lines' });
    await expect.poll(() => lines.getByRole('row').count()).toBe(3);

    // Leave the gloves out.
    await page.getByRole('button', { name: 'Edit draft' }).click();
    await page.getByRole('checkbox', { name: 'Remove line 2 (GLOVE-9)' }).check();
    await page.getByLabel('Buyer reference').fill('PO 4711');
    await screenshot(page, 'o2c-invoice-draft.png');
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.getByRole('status').filter({ hasText: 'Draft saved.' }).waitFor();
    await expect.poll(() => lines.getByRole('row').count()).toBe(2);
    expect(await lines.textContent()).not.toContain('GLOVE-9');

    // Issue.
    await page.getByRole('button', { name: 'Issue', exact: true }).click();
    await page.getByRole('button', { name: 'Issue invoice' }).click();
    const heading = page.getByRole('heading', { level: 1, name: /^Invoice INV-\d{4}-\d{6}$/ });
    await heading.waitFor();
    const number = (await heading.textContent())!.replace('Invoice ', '');
    await page.getByRole('status').filter({ hasText: `Invoice ${number} issued, due` }).waitFor();
    await expect.poll(() => page.locator('.status-line').textContent()).toMatch(/Issued.*Not sent.*Unpaid/);
    await expect.poll(() => page.getByRole('region', { name: 'Payment' }).textContent()).toMatch(/RF\d{2}INV\d{10}/);

    const preview = page.getByTitle(`PDF of Invoice ${number}`);
    await preview.waitFor();
    expect(await preview.getAttribute('src')).toBe(`/api/v1/invoices/${invoiceId}/invoice.pdf`);
    const pdf = await page.request.get(`/api/v1/invoices/${invoiceId}/invoice.pdf`);
    expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
    expect(await page.getByRole('link', { name: 'Download e-invoice (UBL XML)' }).getAttribute('href')).toBe(`/api/v1/invoices/${invoiceId}/ubl.xml`);
    await expect.poll(() => page.getByTestId('einvoice-check').textContent(), { timeout: 30_000 }).toContain('The e-invoice is valid');
    await screenshot(page, 'o2c-invoice.png');

    // A credit note for two of the six bearings; seven are refused.
    await page.getByRole('button', { name: 'Credit note', exact: true }).click();
    const quantity = page.getByLabel('Quantity to credit, line 1');
    await quantity.fill('7');
    await page.getByLabel('Reason').fill('Two bearings returned');
    await page.getByRole('button', { name: 'Create credit note' }).click();
    await page.getByRole('alert').filter({ hasText: 'left to credit' }).waitFor();
    await expect.poll(() => page.locator('.credit-lines .field-error').textContent()).toBe('at most 6');
    await quantity.fill('2');
    await screenshot(page, 'o2c-credit-note-form.png');
    await page.getByRole('button', { name: 'Create credit note' }).click();
    const notice = page.getByRole('status').filter({ hasText: /Credit note CN-\d{4}-\d{6} issued/ });
    await notice.waitFor();
    const creditNumber = /CN-\d{4}-\d{6}/.exec((await notice.textContent())!)![0];
    const related = page.getByRole('region', { name: 'Related documents' });
    await related.getByRole('link', { name: `Credit note ${creditNumber}` }).waitFor();

    // The credit note in the list of credit notes.
    await nav.getByRole('link', { name: 'Invoicing', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Ready to invoice' }).waitFor();
    await page.getByRole('navigation', { name: 'Invoicing' }).getByRole('link', { name: 'Invoices & credit notes' }).click();
    await page.getByRole('heading', { level: 1, name: 'Invoices & credit notes' }).waitFor();
    await page.getByRole('group', { name: 'Show documents' }).getByRole('button', { name: 'Credit notes' }).click();
    const list = page.getByRole('table', { name: 'Credit notes, newest first' });
    const row = list.getByRole('row').filter({ hasText: creditNumber });
    await row.waitFor();
    await expect.poll(() => row.textContent()).toContain('Müller Elektrotechnik');
    expect(await list.getByRole('row').filter({ hasText: number }).count()).toBe(0);
    await screenshot(page, 'o2c-credit-notes.png');
    await row.getByRole('link', { name: creditNumber }).click();
    await page.getByRole('heading', { level: 1, name: `Credit note ${creditNumber}` }).waitFor();
    await page.getByRole('region', { name: 'Related documents' }).getByRole('link', { name: `Invoice ${number}` }).waitFor();
    // The order shows what bills it.
    await page.goto(`${app.baseUrl}/orders/${order.id}`);
    const billed = page.getByRole('table', { name: 'Invoices and credit notes of this order' });
    await billed.getByRole('link', { name: number }).waitFor();
    await billed.getByRole('link', { name: creditNumber }).waitFor();
  });

  it('invoices everything ready in a narrow window without sideways scrolling', async () => {
    await shippedOrder([{ sku: 'HOSE-12-2M', quantity: '1' }]);
    const page = await newPage({ width: 390, height: 844 });
    await signIn(page, clerkEmail, clerkPassword);
    await page.getByRole('heading', { level: 1, name: 'Ready to invoice' }).waitFor();
    await page.getByRole('region', { name: /Müller Elektrotechnik/ }).waitFor();
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(await overflow()).toBeLessThanOrEqual(0);
    await screenshot(page, 'o2c-ready-narrow.png');

    // The run bills Müller's whole day (invoiced daily) as one draft: the settings say review first.
    await page.getByRole('button', { name: 'Invoice all ready' }).click();
    const result = page.getByRole('status').filter({ hasText: /draft invoices? created for review\./ });
    await result.waitFor();
    await page.getByText('Nothing is ready to invoice.').waitFor();
    await result.getByRole('listitem').filter({ hasText: 'Müller Elektrotechnik' }).getByRole('link', { name: 'Draft invoice' }).click();
    await page.getByRole('heading', { level: 1, name: 'Draft invoice' }).waitFor();
    await expect.poll(() => page.getByRole('table', { name: 'Invoice lines' }).textContent()).toContain('HOSE-12-2M');
    expect(await overflow()).toBeLessThanOrEqual(0);
    await screenshot(page, 'o2c-invoice-narrow.png');
  });

  it('sends an invoice and corrects it into a new draft', async () => {
    const { shipment } = await shippedOrder([{ sku: 'OIL-HLP46', quantity: '2' }]);
    const billing = app.t.tenant.keys.billing;
    const draft = await call<{ id: string }>('POST', '/invoices', billing, { shipmentIds: [shipment.id] });
    const invoice = await call<{ id: string; number: string }>('POST', `/invoices/${draft.id}/issue`, billing);

    const page = await newPage();
    await signIn(page, clerkEmail, clerkPassword);
    await page.getByRole('heading', { level: 1, name: 'Ready to invoice' }).waitFor();
    await page.goto(`/invoices/${invoice.id}`);
    await page.getByRole('heading', { level: 1, name: `Invoice ${invoice.number}` }).waitFor();

    // Sent to the customer's invoice contact; the e-mail leaves from the sending job.
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await page.getByRole('button', { name: 'Send', exact: true }).last().click();
    await page.getByRole('status').filter({ hasText: `Invoice ${invoice.number} is on its way to buchhaltung@mueller-elektro.example.` }).waitFor();
    await expect.poll(() => page.locator('.status-line').textContent()).toContain('Sending');
    await page.getByRole('button', { name: 'Send again' }).waitFor();

    // A correction credits it in full and opens a draft with the same lines.
    await page.getByRole('button', { name: 'Correct', exact: true }).click();
    await page.getByLabel('What is being corrected').fill('Wrong buyer reference');
    await page.getByRole('button', { name: 'Credit and open a corrected draft' }).click();
    await page.getByRole('heading', { level: 1, name: 'Draft invoice' }).waitFor();
    await page.getByRole('status').filter({ hasText: new RegExp(`${invoice.number} was credited in full by CN-\\d{4}-\\d{6}`) }).waitFor();
    await expect.poll(() => page.getByRole('table', { name: 'Invoice lines' }).textContent()).toContain('OIL-HLP46');
    await page.getByRole('region', { name: 'Related documents' }).getByRole('link', { name: `Invoice ${invoice.number}` }).click();
    await page.getByRole('heading', { level: 1, name: `Invoice ${invoice.number}` }).waitFor();
    await expect.poll(() => page.locator('.status-line').textContent()).toContain('Credited');
  });

  it('lets an administrator have automatic invoices issued at once', async () => {
    const page = await newPage();
    await signIn(page, app.t.tenant.adminEmail, app.t.tenant.password);
    await page.getByRole('heading', { level: 1, name: 'Orders' }).waitFor();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Invoicing', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Ready to invoice' }).waitFor();
    const toggle = page.getByRole('checkbox', { name: 'Issue automatic invoices at once' });
    await toggle.waitFor();
    expect(await toggle.isChecked()).toBe(false);
    await toggle.check();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    await page.getByText('Automatic invoices (invoice runs and per-shipment invoicing) are issued at once.').waitFor();
    expect(await call<{ autoIssue: boolean }>('GET', '/invoicing/settings', app.t.tenant.keys.viewer)).toMatchObject({ autoIssue: true });
  });
});
