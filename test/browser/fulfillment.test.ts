import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, setUpBrowserApp, signIn, skip, skipReason, warnIfSkipped } from './browser-support';

/**
 * Fulfillment in a real browser: a warehouse clerk finds a submitted order in the
 * ready-to-ship queue, creates its shipment (the server refuses more than is
 * reserved), picks, packs, ships, records the delivery with a proof of delivery,
 * and the order shows as shipped.
 */

warnIfSkipped('test/browser/fulfillment.test.ts');

describe.skipIf(skip)(`fulfillment in Chromium${skip ? ` (${skipReason})` : ''}`, () => {
  const app = setUpBrowserApp();
  const { call, newPage } = app;
  let tempDir: string;

  beforeAll(() => {
    tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'o2c-fulfillment-'));
  });

  afterAll(() => {
    if (tempDir !== undefined) fs.rmSync(tempDir, { recursive: true, force: true });
  });

  it('ships a submitted order from the queue to a delivery with proof', async () => {
    const sales = app.t.tenant.keys.sales;
    const customers = await call<{ items: Array<{ id: string; name: string }> }>('GET', '/customers?q=Schr', sales);
    const customer = customers.items.find((candidate) => candidate.name === 'Bäckerei Schröder')!;
    const order = await call<{ id: string; number: string }>('POST', '/orders', sales, { customerId: customer.id, lines: [{ sku: 'BRG-6204-2RS', quantity: '5' }] });
    const submitted = await call<{ status: string; reservationStatus: string }>('POST', `/orders/${order.id}/submit`, sales);
    expect(submitted).toMatchObject({ status: 'approved', reservationStatus: 'complete' });

    const email = 'picker@acme.test';
    await call('POST', '/users', app.t.tenant.keys.admin, { email, displayName: 'Pia Picker', password: 'a long password', roles: ['warehouse'] });

    const page = await newPage();
    await signIn(page, email, 'a long password');
    // The warehouse lands on its queue.
    await page.getByRole('heading', { level: 1, name: 'Shipping' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/shipping');

    const queueRow = page.getByRole('table', { name: 'Orders ready to ship' }).getByRole('row').filter({ hasText: order.number });
    await queueRow.waitFor();
    await expect.poll(() => queueRow.textContent()).toContain('Bäckerei Schröder');
    await queueRow.getByRole('button', { name: `Create shipment for ${order.number}` }).click();

    // The dialog offers the 5 reserved bearings; 7 is refused by the server.
    const dialog = page.getByRole('dialog', { name: `Create shipment for ${order.number}` });
    const quantity = dialog.getByLabel('Quantity to ship, line 1 (BRG-6204-2RS)');
    await expect.poll(() => quantity.inputValue()).toBe('5');
    await quantity.fill('7');
    await dialog.getByRole('button', { name: 'Create shipment' }).click();
    await dialog.getByRole('alert').waitFor();
    await expect.poll(() => dialog.getByRole('alert').textContent()).toMatch(/5 reserved and not yet in a shipment; 7 cannot ship/);
    expect(await dialog.locator('.field-error').textContent()).toBe('at most 5');
    await quantity.fill('5');
    await dialog.getByRole('button', { name: 'Create shipment' }).click();

    await page.getByRole('heading', { level: 1, name: /^Shipment SH-\d{4}-\d+$/ }).waitFor();
    const shipmentId = new URL(page.url()).pathname.split('/').at(-1)!;
    await page.getByRole('status').filter({ hasText: `created for ${order.number}` }).waitFor();
    const statusLine = page.locator('.status-line');
    await expect.poll(() => statusLine.textContent()).toContain('Created');
    expect(await page.getByRole('link', { name: 'Print pick list' }).getAttribute('href')).toBe(`/api/v1/shipments/${shipmentId}/documents/pick-list.pdf`);

    // Pick.
    await page.getByRole('button', { name: 'Mark picked' }).click();
    await page.getByRole('status').filter({ hasText: 'picked' }).waitFor();
    await expect.poll(() => statusLine.textContent()).toContain('Picked');

    // Pack: one box of 2.5 kg.
    await page.getByRole('button', { name: 'Pack', exact: true }).click();
    const firstPackage = page.getByRole('group', { name: 'Package 1' });
    await firstPackage.getByLabel('Package type').selectOption('box');
    await firstPackage.getByLabel('Weight (kg)').fill('2,5');
    await page.getByRole('button', { name: 'Mark packed' }).click();
    await page.getByRole('status').filter({ hasText: 'packed in 1 package' }).waitFor();
    await expect.poll(() => page.getByRole('table', { name: 'Packages' }).textContent()).toMatch(/Box\s*2,5 kg/);

    // Ship with DHL.
    await page.getByRole('button', { name: 'Ship', exact: true }).click();
    await page.getByLabel('Carrier').fill('DHL');
    await page.getByLabel('Tracking number').fill('123');
    await page.getByRole('button', { name: 'Confirm shipping' }).click();
    await page.getByRole('status').filter({ hasText: 'shipped with DHL' }).waitFor();
    await expect.poll(() => statusLine.textContent()).toContain('Shipped');
    await expect.poll(() => page.getByTestId('shipment-transport').textContent()).toContain('123');

    // Deliver, then upload the signed proof.
    await page.getByRole('button', { name: 'Record delivery' }).click();
    await page.getByLabel('Received by').fill('Frau Schröder');
    await page.getByRole('button', { name: 'Confirm delivery' }).click();
    await page.getByRole('status').filter({ hasText: 'Delivery of' }).waitFor();
    await expect.poll(() => statusLine.textContent()).toContain('Delivered');

    const proof = path.join(tempDir, 'pod-signed.pdf');
    fs.writeFileSync(proof, Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF'));
    await page.getByLabel(/Proof of delivery file/).setInputFiles(proof);
    await page.getByRole('button', { name: 'Upload' }).click();
    const files = page.getByRole('list', { name: 'Uploaded proof of delivery' });
    const fileLink = files.getByRole('link', { name: 'pod-signed.pdf' });
    await fileLink.waitFor();
    const href = await fileLink.getAttribute('href');
    expect(href).toMatch(new RegExp(`^/api/v1/shipments/${shipmentId}/files/[0-9a-f-]{36}$`));
    const download = await page.request.get(href!);
    expect(download.status()).toBe(200);
    expect((await download.body()).subarray(0, 5).toString()).toBe('%PDF-');

    const history = page.getByRole('list', { name: /Shipment history/ });
    await history.getByText('Proof of delivery uploaded', { exact: true }).waitFor();
    expect(await history.getByText('Delivered', { exact: true }).count()).toBe(1);
    await screenshot(page, 'o2c-shipment.png');

    const saved = await call<{ status: string; receivedBy: string; carrier: string; trackingNumber: string; packages: unknown[]; documents: Array<{ fileName: string }> }>(
      'GET',
      `/shipments/${shipmentId}`,
      app.t.tenant.keys.admin,
    );
    expect(saved).toMatchObject({ status: 'delivered', receivedBy: 'Frau Schröder', carrier: 'DHL', trackingNumber: '123', packages: [{ packageType: 'box', weightKg: '2.5' }], documents: [{ fileName: 'pod-signed.pdf' }] });

    // The order: shipped, with its shipment listed.
    await page.getByRole('link', { name: order.number }).first().click();
    await page.getByRole('heading', { level: 1, name: `Order ${order.number}` }).waitFor();
    await expect.poll(() => page.locator('.status-line').textContent()).toContain('Shipped');
    const shipments = page.getByRole('table', { name: 'Shipments of this order' });
    await shipments.getByRole('link', { name: /^SH-\d{4}-\d+$/ }).waitFor();
    await expect.poll(() => shipments.textContent()).toContain('Delivered');
  });

  it('lists the backorders and allocates', async () => {
    const page = await newPage();
    await signIn(page, app.t.tenant.adminEmail, app.t.tenant.password);
    await page.getByRole('heading', { level: 1, name: 'Orders' }).waitFor();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Shipping', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Shipping' }).waitFor();
    await page.getByRole('navigation', { name: 'Shipping' }).getByRole('link', { name: 'Backorders' }).click();
    await page.getByRole('heading', { level: 1, name: 'Backorders' }).waitFor();
    await page.getByRole('button', { name: 'Allocate now' }).click();
    await page.getByRole('status').filter({ hasText: /allocated|reserved/ }).waitFor();
  });
});
