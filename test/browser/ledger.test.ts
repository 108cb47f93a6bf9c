import { beforeAll, describe, expect, it } from 'vitest';
import { bearer } from '../support/app';
import { addDecimal, compareDecimal } from '../../web/src/decimal';
import { screenshot, setUpBrowserApp, signIn, skip, skipReason, warnIfSkipped } from './browser-support';

/**
 * The controller's ledger in a real browser against a whole o2c with the demo
 * records: a manual entry that must balance before it can be posted, the journal,
 * the trial balance, and closing a month so that an entry dated in it is refused.
 * The test tenant's locale is de-DE, so money reads "100,00 €".
 */

warnIfSkipped('test/browser/ledger.test.ts');

interface TrialBalance {
  currency: string;
  accounts: Array<{ number: string; debits: string; credits: string }>;
  totals: { debits: string; credits: string; closingDebit: string; closingCredit: string };
}

const controllerEmail = 'carla.controller@ledger.test';
const controllerPassword = 'a long password';

/** Today and the month before it, in the tenant's time zone. */
function calendar(timeZone: string): { today: string; lastMonth: string } {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  const lastMonth = month === 1 ? `${year - 1}-12` : `${year}-${String(month - 1).padStart(2, '0')}`;
  return { today, lastMonth };
}

const euro = (amount: string) => new Intl.NumberFormat('de-DE', { style: 'currency', currency: 'EUR' }).format(amount as Intl.StringNumericLiteral);
const normalSpaces = (text: string | null) => (text ?? '').replace(/[\u00a0\u202f]/g, ' ').trim();

describe.skipIf(skip)(`the ledger in Chromium${skip ? ` (${skipReason})` : ''}`, () => {
  const app = setUpBrowserApp();
  const { newPage } = app;

  beforeAll(async () => {
    const created = await app.t.app.http.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: { ...bearer(app.t.tenant.keys.admin), 'idempotency-key': 'ledger-test-controller' },
      payload: { email: controllerEmail, displayName: 'Carla Controller', password: controllerPassword, roles: ['controller'] },
    });
    expect(created.statusCode, created.body).toBe(201);
  });

  async function api<T>(url: string): Promise<T> {
    const response = await app.t.app.http.inject({ method: 'GET', url: `/api/v1${url}`, headers: bearer(app.t.tenant.keys.admin) });
    expect(response.statusCode, url).toBe(200);
    return response.json() as T;
  }

  it('posts a balanced manual entry, shows it in the journal and the trial balance, and refuses one in a closed month', async () => {
    const tenant = await api<{ timeZone: string; baseCurrency: string }>('/tenant');
    expect(tenant.baseCurrency).toBe('EUR');
    const { today, lastMonth } = calendar(tenant.timeZone);

    const from = `${today.slice(0, 4)}-01-01`;
    const before = await api<TrialBalance>(`/reports/trial-balance?from=${from}&to=${today}`);
    const equityBefore = before.accounts.find((account) => account.number === '0800')?.credits ?? '0';

    const page = await newPage();
    await signIn(page, controllerEmail, controllerPassword);
    // Controllers land on the trial balance.
    await page.getByRole('heading', { level: 1, name: 'Trial balance' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/ledger/trial-balance');
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Ledger', exact: true }).getAttribute('aria-current')).toBe('page');

    // A manual entry: Post stays disabled until debits equal credits.
    const tabs = page.getByRole('navigation', { name: 'Ledger' });
    await tabs.getByRole('link', { name: 'New manual entry' }).click();
    await page.getByRole('heading', { level: 1, name: 'New manual entry' }).waitFor();
    expect(await page.getByLabel('Date', { exact: true }).inputValue()).toBe(today);
    await page.getByLabel('Description', { exact: true }).fill('Capital paid in');
    await page.getByLabel('Account, line 1').selectOption({ label: '1200 Bank' });
    await page.getByLabel('Debit, line 1').fill('100.00');
    await page.getByLabel('Account, line 2').selectOption({ label: '0800 Equity' });
    await page.getByLabel('Credit, line 2').fill('99,99');
    const post = page.getByRole('button', { name: 'Post entry' });
    await expect.poll(async () => normalSpaces(await page.getByTestId('entry-difference').textContent())).toBe('0,01 €');
    expect(await post.isDisabled()).toBe(true);
    await page.getByLabel('Credit, line 2').fill('100,00');
    await expect.poll(async () => normalSpaces(await page.getByTestId('entry-difference').textContent())).toBe('0,00 €');
    expect(await post.isEnabled()).toBe(true);
    await screenshot(page, 'o2c-ledger-manual-entry.png');
    await post.click();

    await page.getByRole('heading', { level: 1, name: /^Journal entry / }).waitFor();
    await page.getByRole('status').filter({ hasText: /posted/ }).waitFor();
    const entryNumber = (await page.getByRole('heading', { level: 1 }).textContent())!.replace('Journal entry ', '').trim();

    // The journal lists it newest first; its lines open in place.
    await tabs.getByRole('link', { name: 'Journal', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Journal' }).waitFor();
    await page.getByLabel('Search').fill(entryNumber);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    const row = page.getByTestId(`entry-${entryNumber}`);
    await row.waitFor();
    await expect.poll(() => row.textContent()).toContain('Capital paid in');
    await row.getByRole('button', { name: `Show lines of ${entryNumber}` }).click();
    const lines = page.getByRole('table', { name: `Lines of ${entryNumber}` });
    const bank = lines.getByRole('row').filter({ hasText: '1200' });
    expect(normalSpaces(await bank.getByRole('cell').nth(2).textContent())).toBe('100,00 €');
    expect(normalSpaces(await bank.getByRole('cell').nth(3).textContent())).toBe('');
    const equity = lines.getByRole('row').filter({ hasText: '0800' });
    expect(normalSpaces(await equity.getByRole('cell').nth(3).textContent())).toBe('100,00 €');

    // The trial balance: debits equal credits, and the equity account has 100,00 € more credit.
    await tabs.getByRole('link', { name: 'Trial balance' }).click();
    await page.getByRole('heading', { level: 1, name: 'Trial balance' }).waitFor();
    const report = await api<TrialBalance>(`/reports/trial-balance?from=${from}&to=${today}`);
    expect(report.totals.debits).toBe(report.totals.credits);
    const equityCredits = addDecimal(equityBefore, '100.00');
    expect(compareDecimal(report.accounts.find((account) => account.number === '0800')?.credits ?? '0', equityCredits)).toBe(0);
    expect(compareDecimal(addDecimal(before.totals.debits, '100'), report.totals.debits)).toBe(0);
    await expect.poll(async () => normalSpaces(await page.getByTestId('total-debits').textContent())).toBe(euro(report.totals.debits).replace(/\u00a0/g, ' '));
    expect(normalSpaces(await page.getByTestId('total-credits').textContent())).toBe(normalSpaces(await page.getByTestId('total-debits').textContent()));
    const equityRow = page.getByRole('row').filter({ has: page.getByRole('link', { name: '0800' }) });
    expect(normalSpaces(await equityRow.getByRole('cell').nth(5).textContent())).toBe(normalSpaces(euro(equityCredits)));
    expect(await page.getByRole('link', { name: 'Download CSV' }).getAttribute('href')).toBe(`/api/v1/reports/trial-balance?from=${from}&to=${today}&format=csv`);
    await screenshot(page, 'o2c-ledger-trial-balance.png');

    // Close last month.
    await tabs.getByRole('link', { name: 'Periods' }).click();
    await page.getByRole('heading', { level: 1, name: 'Periods' }).waitFor();
    if (lastMonth.slice(0, 4) !== today.slice(0, 4)) await page.getByLabel('Year', { exact: true }).selectOption(lastMonth.slice(0, 4));
    const period = page.getByTestId(`period-${lastMonth}`);
    await period.getByRole('button', { name: /^Close / }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: /^Close / }).click();
    await page.getByRole('status').filter({ hasText: 'is closed' }).waitFor();
    // The row re-renders once the list reloads after the confirmation message.
    await expect.poll(() => period.textContent()).toContain('Closed');
    const periods = await api<{ items: Array<{ period: string; status: string }> }>(`/periods?year=${lastMonth.slice(0, 4)}`);
    expect(periods.items.find((item) => item.period === lastMonth)?.status).toBe('closed');

    // An entry dated in it is refused, with the reason shown.
    await tabs.getByRole('link', { name: 'New manual entry' }).click();
    await page.getByRole('heading', { level: 1, name: 'New manual entry' }).waitFor();
    await page.getByLabel('Date', { exact: true }).fill(`${lastMonth}-15`);
    await page.getByLabel('Description', { exact: true }).fill('Late correction');
    await page.getByLabel('Account, line 1').selectOption({ label: '1200 Bank' });
    await page.getByLabel('Debit, line 1').fill('10');
    await page.getByLabel('Account, line 2').selectOption({ label: '0800 Equity' });
    await page.getByLabel('Credit, line 2').fill('10');
    await page.getByRole('button', { name: 'Post entry' }).click();
    const refusal = page.getByRole('alert').filter({ hasText: `${lastMonth} is closed` });
    await refusal.waitFor();
    expect(new URL(page.url()).pathname).toBe('/ledger/journal/new');
  });
});

