import type { Locator } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { issueInvoiceFor } from '../support/invoices';
import { compareDecimal, subtractDecimal } from '../../web/src/decimal';
import { formattersFor, todayIn } from '../../web/src/format';
import { screenshot, setUpBrowserApp, signIn, skip, skipReason, warnIfSkipped } from './browser-support';

/**
 * Cash application in a real browser: a cash-application clerk lands on the
 * payments with unapplied cash, records a payment of Müller Elektrotechnik, checks
 * the suggested application (oldest due first, with the early-payment discount)
 * before confirming, sees the invoice paid, follows the aging report down to the
 * customer's account and undoes the application. A credit note's credit settles
 * another invoice and the rest is paid back; unapplied cash is applied later and
 * refunded; a bounced cheque is reversed. A collector asks for a write-off that
 * only someone else may approve. Recording a payment fits a phone's width.
 */

warnIfSkipped('test/browser/payments.test.ts');

interface InvoiceFacts {
  readonly id: string;
  readonly number: string;
  readonly gross: string;
  readonly open: string;
  readonly discountAmount: string | null;
  readonly paymentStatus: string;
}

describe.skipIf(skip)(`payments in Chromium${skip ? ` (${skipReason})` : ''}`, () => {
  const app = setUpBrowserApp();
  const { call, newPage } = app;
  const cashEmail = 'cash@acme.test';
  const cashPassword = 'a long cash application password';
  const collectorEmail = 'colin@acme.test';
  const collectorPassword = 'a long collector password';
  const secondCollectorEmail = 'carla@acme.test';
  const secondCollectorPassword = 'another long collector password';

  beforeAll(async () => {
    const admin = app.t.tenant.keys.admin;
    await call('POST', '/users', admin, { email: cashEmail, displayName: 'Cassie Cash', password: cashPassword, roles: ['cashapp'] });
    await call('POST', '/users', admin, { email: collectorEmail, displayName: 'Colin Collector', password: collectorPassword, roles: ['collector'] });
    await call('POST', '/users', admin, { email: secondCollectorEmail, displayName: 'Carla Collector', password: secondCollectorPassword, roles: ['collector'] });
  });

  async function customerNamed(name: string): Promise<{ id: string; name: string }> {
    const customers = await call<{ items: Array<{ id: string; name: string }> }>('GET', `/customers?q=${encodeURIComponent(name)}`, app.t.tenant.keys.viewer);
    return customers.items.find((candidate) => candidate.name === name)!;
  }

  /** The text of an element with every kind of space (money is formatted with no-break spaces) as a plain one. */
  const textOf = async (locator: Locator) => ((await locator.textContent()) ?? '').replace(/\s/g, ' ');

  /** An amount as the tenant (de-DE) reads it, e.g. "51,00 €". */
  const euro = (amount: string) => formattersFor({ locale: 'de-DE', timeZone: 'Europe/Berlin' }).money(amount, 'EUR').replace(/\s/g, ' ');

  const invoiceFacts = (invoiceId: string) => call<InvoiceFacts>('GET', `/invoices/${invoiceId}`, app.t.tenant.keys.viewer);

  it('records a payment from the suggested application, drills down from the aging and undoes the application', async () => {
    const customer = await customerNamed('Müller Elektrotechnik');
    const first = await issueInvoiceFor(app.t, customer.id, [{ sku: 'BOOK-HYD', quantity: '1' }]);
    const second = await issueInvoiceFor(app.t, customer.id, [{ sku: 'BOOK-HYD', quantity: '2' }]);
    // Müller pays 2 % less within ten days: the amount that settles the first invoice.
    const facts = await invoiceFacts(first.id);
    expect(facts.discountAmount).not.toBeNull();
    const discounted = subtractDecimal(first.gross, facts.discountAmount!);

    const page = await newPage();
    await signIn(page, cashEmail, cashPassword);
    // Cash application lands on the payments with cash still to apply.
    await page.getByRole('heading', { level: 1, name: 'Payments' }).waitFor();
    const landing = new URL(page.url());
    expect(landing.pathname).toBe('/payments');
    expect(landing.searchParams.get('unapplied')).toBe('true');
    const nav = page.getByRole('navigation', { name: 'Main' });
    expect(await nav.getByRole('link', { name: 'Payments', exact: true }).getAttribute('aria-current')).toBe('page');
    await page.getByText('No payment has cash left to apply.').waitFor();

    // Record the payment: the suggestion settles the older invoice with its discount.
    await page.getByRole('navigation', { name: 'Payments' }).getByRole('link', { name: 'Record payment' }).click();
    await page.getByRole('heading', { level: 1, name: 'Record payment' }).waitFor();
    await page.getByRole('combobox', { name: 'Customer' }).fill('Müller');
    await page.getByRole('option', { name: /Müller Elektrotechnik/ }).click();
    await expect.poll(() => page.getByLabel('Currency').inputValue()).toBe('EUR');
    await page.getByRole('table', { name: 'Open items of Müller Elektrotechnik' }).getByRole('link', { name: second.number }).waitFor();
    await page.getByLabel('Amount received').fill(discounted);
    await page.getByLabel('Payer reference').fill(first.number);

    const firstAmount = page.getByLabel(`Amount applied to ${first.number}`);
    await expect.poll(async () => compareDecimal((await firstAmount.inputValue()) || '0', discounted)).toBe(0);
    expect(await page.getByLabel(`Amount applied to ${second.number}`).inputValue()).toBe('');
    await expect.poll(() => page.getByTestId(`discount-${first.number}`).textContent()).toMatch(/\d/);
    await expect.poll(() => page.getByTestId(`open-after-${first.number}`).textContent()).toBe('Settled');
    await expect.poll(() => textOf(page.getByTestId('plan-unapplied'))).toBe(euro('0'));
    await screenshot(page, 'o2c-record-payment.png');

    // Without the discount the same amount leaves the discount open; with it again the invoice is settled.
    await page.getByRole('checkbox', { name: `Take discount on ${first.number}` }).uncheck();
    await expect.poll(() => page.getByTestId(`open-after-${first.number}`).textContent()).not.toBe('Settled');
    await expect.poll(() => page.getByTestId(`open-after-${first.number}`).textContent()).toContain('€');
    await page.getByRole('checkbox', { name: `Take discount on ${first.number}` }).check();
    await expect.poll(() => page.getByTestId(`open-after-${first.number}`).textContent()).toBe('Settled');

    const record = page.getByRole('button', { name: 'Record payment' });
    await expect.poll(() => record.isEnabled()).toBe(true);
    await record.click();
    const heading = page.getByRole('heading', { level: 1, name: /^Payment PAY-/ });
    await heading.waitFor();
    const paymentNumber = (await heading.textContent())!.replace('Payment ', '');
    const paymentPath = new URL(page.url()).pathname;
    await page.getByRole('status').filter({ hasText: `Payment ${paymentNumber} of` }).filter({ hasText: 'applied to 1 invoice; 0,00 € unapplied.' }).waitFor();
    const applications = page.getByRole('table', { name: `Applications of ${paymentNumber}` });
    await applications.getByRole('link', { name: first.number }).waitFor();
    await expect.poll(() => textOf(page.getByTestId('payment-unapplied'))).toBe('0,00 €');
    await screenshot(page, 'o2c-payment.png');

    // The invoice is paid and shows where the money came from.
    await applications.getByRole('link', { name: first.number }).click();
    await page.getByRole('heading', { level: 1, name: `Invoice ${first.number}` }).waitFor();
    await expect.poll(() => page.locator('.status-line').textContent()).toContain('Paid');
    await page.getByRole('table', { name: `Payments and credits applied to Invoice ${first.number}` }).getByRole('link', { name: paymentNumber }).waitFor();
    await screenshot(page, 'o2c-invoice-paid.png');
    expect(await invoiceFacts(first.id)).toMatchObject({ paymentStatus: 'paid', open: '0.00' });

    // The aging report: Müller still owes the second invoice; the drill-down shows it.
    await nav.getByRole('link', { name: 'Receivables', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Aging' }).waitFor();
    await expect.poll(() => textOf(page.getByTestId('bar-current'))).toContain(euro(second.gross));
    const agingRow = page.getByTestId('aging-Müller Elektrotechnik');
    await expect.poll(() => textOf(agingRow)).toContain(euro(second.gross));
    await screenshot(page, 'o2c-aging.png');
    await agingRow.getByRole('link', { name: 'Müller Elektrotechnik' }).click();
    await page.getByRole('heading', { level: 1, name: /Account of Müller Elektrotechnik/ }).waitFor();
    const openItems = page.getByRole('table', { name: /^Open items of Müller Elektrotechnik/ });
    await openItems.getByRole('link', { name: second.number }).waitFor();
    await openItems.getByRole('link', { name: first.number }).first().waitFor({ state: 'detached' });
    await page.getByRole('table', { name: 'Payments of Müller Elektrotechnik, newest first' }).getByRole('link', { name: paymentNumber }).waitFor();
    await screenshot(page, 'o2c-customer-account.png');

    // The statement of the period, on screen and as files.
    await page.getByRole('button', { name: 'Show statement' }).click();
    await page.getByRole('table', { name: 'Statement of Müller Elektrotechnik in EUR' }).waitFor();
    const pdfHref = await page.getByRole('link', { name: 'Statement PDF' }).getAttribute('href');
    const pdf = await page.request.get(pdfHref!);
    expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');

    // The subledger agrees with the ledger.
    await nav.getByRole('link', { name: 'Receivables', exact: true }).click();
    await page.getByRole('link', { name: 'Reconciliation with the ledger' }).click();
    await page.getByRole('heading', { level: 1, name: 'Reconciliation' }).waitFor();
    await expect.poll(() => page.getByTestId('reconciliation-result').textContent()).toContain('Balanced on');

    // Undo the application: the invoice is open again, the cash unapplied.
    await page.goto(paymentPath);
    await heading.waitFor();
    await page.getByRole('button', { name: `Undo the application to ${first.number}` }).click();
    await page.getByLabel('Why it is undone').fill('Paid by the wrong customer');
    await page.getByRole('button', { name: 'Undo application' }).click();
    await page.getByRole('status').filter({ hasText: `The application to ${first.number} was undone` }).waitFor();
    await expect.poll(() => page.getByTestId(`application-${first.number}`).textContent()).toContain('Undone');
    await expect.poll(() => page.getByTestId(`application-${first.number}`).textContent()).toContain('Paid by the wrong customer');
    await expect.poll(() => textOf(page.getByTestId('payment-unapplied'))).not.toBe('0,00 €');
    await page.getByRole('button', { name: /^Undo the application/ }).first().waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Apply unapplied cash' }).waitFor();
    await page.getByRole('list', { name: `History of ${paymentNumber}, oldest first` }).getByText('Application undone').waitFor();
    await screenshot(page, 'o2c-payment-undone.png');
    expect(await invoiceFacts(first.id)).toMatchObject({ paymentStatus: 'open', open: first.gross });
  });

  it('applies a credit note and unapplied cash, pays back what is left and reverses a payment', async () => {
    const customer = await customerNamed('Atelier Lumière');
    const cash = app.t.tenant.keys.cashapp;
    const today = todayIn('Europe/Berlin');
    const returned = await issueInvoiceFor(app.t, customer.id, [{ sku: 'BOOK-HYD', quantity: '3' }]);
    const open = await issueInvoiceFor(app.t, customer.id, [{ sku: 'BOOK-HYD', quantity: '1' }]);
    // The first invoice was paid, then credited in full: the credit note is a credit item to use.
    await call('POST', '/payments', cash, { customerId: customer.id, amount: returned.gross, currency: 'EUR', method: 'bank_transfer', valueDate: today, applications: [{ invoiceId: returned.id }] });
    const creditNote = await call<{ id: string; number: string; open: string }>('POST', `/invoices/${returned.id}/credit-notes`, app.t.tenant.keys.billing, { reason: 'All gloves returned' });
    expect(creditNote.open).toBe(returned.gross);

    const page = await newPage();
    await signIn(page, cashEmail, cashPassword);
    await page.getByRole('heading', { level: 1, name: 'Payments' }).waitFor();
    await page.goto(`/invoices/${creditNote.id}`);
    await page.getByRole('heading', { level: 1, name: `Credit note ${creditNote.number}` }).waitFor();
    await page.getByRole('button', { name: 'Apply to invoices' }).click();
    const credit = page.getByLabel(`Credit applied to ${open.number}`);
    await expect.poll(() => credit.inputValue()).toBe(open.gross);
    await page.getByRole('button', { name: 'Apply credit' }).click();
    const left = subtractDecimal(returned.gross, open.gross);
    await page.getByRole('status').filter({ hasText: `Credit applied to 1 invoice; ${euro(left)} of credit is left.` }).waitFor();
    await page.getByRole('table', { name: `Invoices settled by Credit note ${creditNote.number}` }).getByRole('link', { name: open.number }).waitFor();
    expect(await invoiceFacts(open.id)).toMatchObject({ paymentStatus: 'paid', open: '0.00' });

    // Undone from the credit note, the credit is whole again; applied once more.
    await page.getByRole('button', { name: `Undo the application of ${creditNote.number} to ${open.number}` }).click();
    await page.getByLabel('Why it is undone').fill('Applied to the wrong invoice');
    await page.getByRole('button', { name: 'Undo application' }).click();
    await page.getByRole('status').filter({ hasText: `The application of ${creditNote.number} to ${open.number} was undone.` }).waitFor();
    await expect.poll(async () => (await invoiceFacts(creditNote.id)).open).toBe(returned.gross);
    await expect.poll(() => page.getByTestId(`application-${open.number}`).textContent()).toContain('Undone');
    await page.getByRole('button', { name: 'Apply to invoices' }).click();
    await expect.poll(() => credit.inputValue()).toBe(open.gross);
    await page.getByRole('button', { name: 'Apply credit' }).click();
    await page.getByRole('status').filter({ hasText: `Credit applied to 1 invoice; ${euro(left)} of credit is left.` }).waitFor();

    // What is left of the credit is paid back.
    await page.getByRole('button', { name: 'Refund', exact: true }).click();
    await page.getByLabel('Reason for the refund').fill('Customer asked for the money');
    await page.getByRole('button', { name: 'Refund', exact: true }).last().click();
    await page.getByRole('status').filter({ hasText: /Refund RFD-\d{4}-\d{6} of .* paid back\./ }).waitFor();
    await page.getByRole('button', { name: 'Apply to invoices' }).first().waitFor({ state: 'detached' });
    expect(await invoiceFacts(creditNote.id)).toMatchObject({ open: '0.00' });
    await screenshot(page, 'o2c-credit-note-used.png');

    // A payment recorded without applying it: its cash is applied later, the rest refunded.
    const later = await issueInvoiceFor(app.t, customer.id, [{ sku: 'BOOK-HYD', quantity: '1' }]);
    const unapplied = await call<{ id: string; number: string }>('POST', '/payments', cash, { customerId: customer.id, amount: '100.00', currency: 'EUR', method: 'cheque', valueDate: today });
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Payments', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Payments' }).waitFor();
    await page.getByRole('combobox', { name: 'Unapplied cash' }).selectOption('true');
    await page.getByRole('table', { name: 'Payments, newest first' }).getByRole('link', { name: unapplied.number }).click();
    await page.getByRole('heading', { level: 1, name: `Payment ${unapplied.number}` }).waitFor();
    await page.getByRole('button', { name: 'Apply unapplied cash' }).click();
    await expect.poll(() => page.getByLabel(`Amount applied to ${later.number}`).inputValue()).toBe(later.gross);
    await expect.poll(() => textOf(page.getByTestId('plan-unapplied'))).toBe(euro(subtractDecimal('100.00', later.gross)));
    await screenshot(page, 'o2c-apply-unapplied.png');
    await page.getByRole('button', { name: 'Apply', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Applied to 1 invoice;' }).waitFor();
    await page.getByRole('table', { name: `Applications of ${unapplied.number}` }).getByRole('link', { name: later.number }).waitFor();
    await page.getByRole('button', { name: 'Refund', exact: true }).click();
    await page.getByLabel('Reason for the refund').fill('Paid too much');
    await page.getByRole('button', { name: 'Refund', exact: true }).last().click();
    await page.getByRole('status').filter({ hasText: /Refund RFD-\d{4}-\d{6} of .* paid back\./ }).waitFor();
    await page.getByRole('table', { name: `Refunds of ${unapplied.number}` }).waitFor();
    await expect.poll(() => textOf(page.getByTestId('payment-unapplied'))).toBe('0,00 €');
    // A payment with refunds is not reversed.
    await page.getByRole('button', { name: 'Reverse' }).first().waitFor({ state: 'detached' });

    // A cheque that bounced: reversing the payment opens the invoice again.
    const chequeInvoice = await issueInvoiceFor(app.t, customer.id, [{ sku: 'BOOK-HYD', quantity: '1' }]);
    const bounced = await call<{ id: string; number: string }>('POST', '/payments', cash, {
      customerId: customer.id,
      amount: chequeInvoice.gross,
      currency: 'EUR',
      method: 'cheque',
      valueDate: today,
      applications: [{ invoiceId: chequeInvoice.id }],
    });
    expect(await invoiceFacts(chequeInvoice.id)).toMatchObject({ paymentStatus: 'paid' });
    await page.goto(`/payments/${bounced.id}`);
    await page.getByRole('heading', { level: 1, name: `Payment ${bounced.number}` }).waitFor();
    await page.getByRole('button', { name: 'Reverse' }).click();
    await page.getByLabel('Why it is reversed').fill('Cheque bounced');
    await page.getByRole('button', { name: 'Reverse payment' }).click();
    await page.getByRole('status').filter({ hasText: `Payment ${bounced.number} reversed.` }).waitFor();
    await expect.poll(() => page.locator('.status-line').textContent()).toContain('Reversed');
    await page.getByText('Cheque bounced', { exact: false }).first().waitFor();
    await page.getByRole('button', { name: 'Apply unapplied cash' }).first().waitFor({ state: 'detached' });
    await expect.poll(() => page.getByTestId(`application-${chequeInvoice.number}`).textContent()).toContain('Undone');
    expect(await invoiceFacts(chequeInvoice.id)).toMatchObject({ paymentStatus: 'open', open: chequeInvoice.gross });
  });

  it('lets a collector ask for a write-off that only someone else approves', async () => {
    const customer = await customerNamed('Müller Elektrotechnik');
    const invoice = await issueInvoiceFor(app.t, customer.id, [{ sku: 'BOOK-HYD', quantity: '1' }]);

    const page = await newPage();
    await signIn(page, collectorEmail, collectorPassword);
    // Collectors land on the aging.
    await page.getByRole('heading', { level: 1, name: 'Aging' }).waitFor();
    await page.goto(`/invoices/${invoice.id}`);
    await page.getByRole('heading', { level: 1, name: `Invoice ${invoice.number}` }).waitFor();
    await page.getByRole('button', { name: 'Request write-off' }).click();
    await page.getByLabel('Why it cannot be collected').fill('Customer disputes the delivery');
    await page.getByRole('button', { name: 'Request write-off' }).last().click();
    await page.getByRole('status').filter({ hasText: 'requested; it waits for another person' }).waitFor();
    await page.getByRole('list', { name: 'Write-offs of this invoice' }).getByText('Waiting for a decision').waitFor();
    // One request at a time per invoice.
    await page.getByRole('button', { name: 'Request write-off' }).click();
    await page.getByLabel('Why it cannot be collected').fill('Asked twice');
    await page.getByRole('button', { name: 'Request write-off' }).last().click();
    await page.getByRole('alert').filter({ hasText: 'already has a write-off waiting for a decision' }).waitFor();
    await page.getByRole('button', { name: 'Cancel' }).click();

    // Not one's own request.
    await page.getByRole('list', { name: 'Write-offs of this invoice' }).getByRole('link', { name: 'Decide' }).click();
    await page.getByRole('heading', { level: 1, name: 'Write-offs' }).waitFor();
    const row = page.getByTestId(`write-off-${invoice.number}`);
    await row.waitFor();
    await row.getByRole('button', { name: `Approve the write-off on ${invoice.number}` }).click();
    await page.getByRole('button', { name: 'Approve write-off' }).click();
    await page.getByRole('alert').filter({ hasText: 'you requested this write-off; another person must approve it' }).waitFor();
    await screenshot(page, 'o2c-write-off-refused.png');

    const other = await newPage();
    await signIn(other, secondCollectorEmail, secondCollectorPassword);
    await other.getByRole('heading', { level: 1, name: 'Aging' }).waitFor();
    await other.goto('/write-offs?status=requested');
    const otherRow = other.getByTestId(`write-off-${invoice.number}`);
    await otherRow.getByRole('button', { name: `Approve the write-off on ${invoice.number}` }).click();
    await other.getByRole('button', { name: 'Approve write-off' }).click();
    await other.getByRole('status').filter({ hasText: `on ${invoice.number} was approved` }).waitFor();
    await expect.poll(() => otherRow.textContent()).toContain('Approved');
    expect(await invoiceFacts(invoice.id)).toMatchObject({ open: '0.00' });
  });

  it('records a payment in a narrow window without sideways scrolling', async () => {
    const customer = await customerNamed('Łódź Tekstylia');
    const invoice = await issueInvoiceFor(app.t, customer.id, [{ sku: 'BOOK-HYD', quantity: '1' }]);
    const page = await newPage({ width: 390, height: 844 });
    await signIn(page, cashEmail, cashPassword);
    await page.getByRole('heading', { level: 1, name: 'Payments' }).waitFor();
    // Opened from the customer's account, the customer is chosen already.
    await page.goto(`/customers/${customer.id}/account`);
    await page.getByRole('link', { name: 'Record payment' }).click();
    await page.getByRole('heading', { level: 1, name: 'Record payment' }).waitFor();
    await expect.poll(() => page.getByRole('combobox', { name: 'Customer' }).inputValue()).toBe('Łódź Tekstylia');
    await page.getByLabel('Amount received').fill('20');
    await expect.poll(() => page.getByLabel(`Amount applied to ${invoice.number}`).inputValue()).toBe('20.00');
    await expect.poll(() => textOf(page.getByTestId('plan-unapplied'))).toBe(euro('0'));
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(await overflow()).toBeLessThanOrEqual(0);
    await screenshot(page, 'o2c-record-payment-narrow.png');
    await page.getByRole('button', { name: 'Record payment' }).click();
    await page.getByRole('heading', { level: 1, name: /^Payment PAY-/ }).waitFor();
    const after = await invoiceFacts(invoice.id);
    expect(after.paymentStatus).toBe('partially_paid');
    expect(compareDecimal(after.open, subtractDecimal(invoice.gross, '20'))).toBe(0);
    expect(await overflow()).toBeLessThanOrEqual(0);
  });
});
