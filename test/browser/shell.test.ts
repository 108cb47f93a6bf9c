import { describe, expect, it } from 'vitest';
import { bearer } from '../support/app';
import { screenshot, setUpBrowserApp, signIn, skip, skipReason, warnIfSkipped } from './browser-support';

/**
 * The web UI shell in a real browser (Debian's Chromium driven by playwright-core)
 * against a whole o2c on a fresh database: sign-in, company settings, API keys and
 * what a non-admin sees.
 */

warnIfSkipped('test/browser/shell.test.ts');

describe.skipIf(skip)(`web UI shell in Chromium${skip ? ` (${skipReason})` : ''}`, () => {
  const app = setUpBrowserApp({ demoRecords: false });
  const { newPage } = app;

  it('lets an admin change the company settings and create an API key whose secret is shown once', async () => {
    const page = await newPage();
    await signIn(page, app.t.tenant.adminEmail, app.t.tenant.password);
    // Administrators (like sales) land on their work queue, the orders; Home is one click away.
    await page.getByRole('heading', { level: 1, name: 'Orders' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/orders');
    const nav = page.getByRole('navigation', { name: 'Main' });
    for (const name of ['Home', 'Company settings', 'Users', 'API keys', 'Audit log']) {
      expect(await nav.getByRole('link', { name, exact: true }).count(), name).toBe(1);
    }
    await nav.getByRole('link', { name: 'Home', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Welcome, acme admin' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/');

    // Company settings: change, save, reload, still there.
    await nav.getByRole('link', { name: 'Company settings' }).click();
    const legalName = page.getByLabel('Legal name');
    const city = page.getByLabel('City');
    await expect.poll(() => legalName.inputValue()).toBe('acme Ltd');
    await legalName.fill('Acme Trading GmbH');
    await city.fill('Hamburg');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    await expect.poll(() => page.locator('.tenant-name').textContent()).toBe('Acme Trading GmbH');

    await page.reload();
    await expect.poll(() => page.getByLabel('Legal name').inputValue()).toBe('Acme Trading GmbH');
    expect(await page.getByLabel('City').inputValue()).toBe('Hamburg');
    await screenshot(page, 'o2c-settings.png');

    const viaCookie = await page.context().request.get('/api/v1/tenant');
    expect(viaCookie.status()).toBe(200);
    expect(await viaCookie.json()).toMatchObject({ legalName: 'Acme Trading GmbH', city: 'Hamburg', version: 2 });
    const viaKey = await app.t.app.http.inject({ method: 'GET', url: '/api/v1/tenant', headers: bearer(app.t.tenant.keys.admin) });
    expect(viaKey.json()).toMatchObject({ legalName: 'Acme Trading GmbH', city: 'Hamburg' });

    // API keys: create one, read its secret once, use it.
    await nav.getByRole('link', { name: 'API keys' }).click();
    await page.getByRole('heading', { level: 1, name: 'API keys' }).waitFor();
    await page.getByLabel('Key name').fill('ERP sync');
    await page.getByRole('checkbox', { name: 'Sales', exact: true }).check();
    await page.getByRole('button', { name: 'Create API key' }).click();
    const secretField = page.getByLabel('Secret', { exact: true });
    await secretField.waitFor();
    const secret = await secretField.inputValue();
    expect(secret).toMatch(/^o2c_/);
    await page.getByText('shown only this once').waitFor();
    await page.getByRole('button', { name: 'Copy' }).waitFor();
    await page.getByRole('cell', { name: 'ERP sync', exact: true }).waitFor();
    await screenshot(page, 'o2c-api-keys.png');

    const me = await app.t.app.http.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${secret}` } });
    expect(me.statusCode).toBe(200);
    expect((me.json() as { actor: { name: string; roles: string[] } }).actor).toMatchObject({ roles: ['sales'] });
    expect((me.json() as { actor: { name: string } }).actor.name).toContain('ERP sync');

    await page.reload();
    await page.getByRole('cell', { name: 'ERP sync', exact: true }).waitFor();
    expect(await page.getByLabel('Secret', { exact: true }).count()).toBe(0);
    expect(await page.content()).not.toContain(secret);
  });

  it('keeps a wrong password on the sign-in page with an error message', async () => {
    const page = await newPage();
    await signIn(page, app.t.tenant.adminEmail, 'not the password');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    await expect.poll(() => alert.textContent()).toContain('e-mail address or password is wrong');
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(await page.getByRole('button', { name: 'Sign in' }).isVisible()).toBe(true);
    expect(await page.getByRole('navigation', { name: 'Main' }).count()).toBe(0);
  });

  it('shows a viewer no administration links and the company settings read-only', async () => {
    const created = await app.t.app.http.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: { ...bearer(app.t.tenant.keys.admin), 'idempotency-key': crypto.randomUUID() },
      payload: { email: 'vera@acme.test', displayName: 'Vera Viewer', password: 'viewer password 1', roles: ['viewer'] },
    });
    expect(created.statusCode).toBe(201);

    const page = await newPage();
    await signIn(page, 'vera@acme.test', 'viewer password 1');
    await page.getByRole('heading', { level: 1, name: 'Welcome, Vera Viewer' }).waitFor();
    const nav = page.getByRole('navigation', { name: 'Main' });
    expect(await nav.getByRole('link', { name: 'Home', exact: true }).count()).toBe(1);
    expect(await nav.getByRole('link', { name: 'Company settings', exact: true }).count()).toBe(1);
    for (const name of ['Users', 'API keys', 'Audit log']) {
      expect(await page.getByRole('link', { name, exact: true }).count(), name).toBe(0);
    }

    await nav.getByRole('link', { name: 'Company settings' }).click();
    const legalName = page.getByLabel('Legal name');
    await expect.poll(() => legalName.inputValue()).not.toBe('');
    expect(await legalName.isEditable()).toBe(false);
    expect(await page.getByLabel('City').isEditable()).toBe(false);
    expect(await page.getByRole('button', { name: 'Save', exact: true }).count()).toBe(0);
    await page.getByText('Only administrators can change the company settings').waitFor();

    // Typing the address of an admin page shows a refusal, not the page.
    await page.goto('/api-keys');
    await page.getByRole('heading', { level: 1, name: 'Not available to your roles' }).waitFor();
    expect(await page.getByLabel('Key name').count()).toBe(0);
  });
});
