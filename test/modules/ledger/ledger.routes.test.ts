import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestTenant, startTestApp, type TestApp } from '../../support/app';
import { loadDemoRecords } from '../../support/demo-data';

let t: TestApp;
let account: Record<string, { id: string; version: number }>;
let customerId: string;
beforeAll(async () => {
  t = await startTestApp();
  await loadDemoRecords(t.database.handle, t.tenant.id);
  const rows = await t.database.handle.db.selectFrom('accounts').select(['id', 'number', 'system_key', 'version']).where('tenant_id', '=', t.tenant.id).execute();
  account = Object.fromEntries(rows.map((row) => [row.system_key ?? row.number, { id: row.id, version: row.version }]));
  customerId = (await t.database.handle.db.selectFrom('customers').select('id').where('tenant_id', '=', t.tenant.id).limit(1).executeTakeFirstOrThrow()).id;
});
afterAll(async () => t.close());

const send = (method: 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown, key = t.tenant.keys.controller) =>
  t.app.http.inject({ method, url, ...(body === undefined ? { headers: bearer(key) } : { payload: JSON.stringify(body), headers: { 'content-type': 'application/json', ...bearer(key) } }) });
const get = (url: string, key = t.tenant.keys.controller) => t.app.http.inject({ method: 'GET', url, headers: bearer(key) });
const entryCount = async () => (await t.database.handle.db.selectFrom('journal_entries').select('id').where('tenant_id', '=', t.tenant.id).execute()).length;

const manual = (lines: unknown[], extra: Record<string, unknown> = {}) => ({ businessDate: '2026-10-15', description: 'Opening bank balance', currency: 'EUR', lines, ...extra });

describe('ledger over HTTP', () => {
  it('creates the default chart of accounts with the tenant', async () => {
    const chart = (await get('/api/v1/accounts', t.tenant.keys.viewer)).json().items as Array<{ systemKey: string | null }>;
    const keys = chart.map((item) => item.systemKey).filter(Boolean);
    for (const key of ['receivables', 'unapplied_cash', 'bank', 'card_clearing', 'cheque_clearing', 'revenue', 'vat_payable:19', 'vat_payable:7', 'sales_discounts', 'bank_charges', 'bad_debt', 'fee_income', 'fx_gain', 'fx_loss']) {
      expect(keys).toContain(key);
    }
  });

  it('posts a manual entry, shows it in the journal, the trial balance and the account ledger, and reverses it once', async () => {
    const posted = await send('POST', '/api/v1/journal-entries', manual([
      { accountId: account.bank!.id, side: 'debit', amount: '1000.00' },
      { accountId: account['0800']!.id, side: 'credit', amount: '1000.00' },
    ]));
    expect(posted.statusCode).toBe(201);
    expect(posted.json()).toMatchObject({ number: expect.stringMatching(/^JE-2026-\d{6}$/), kind: 'manual', postingDate: '2026-10-15', lines: [{ side: 'debit', amount: '1000.00', baseAmount: '1000.00' }, { side: 'credit' }] });
    const journal = (await get(`/api/v1/journal-entries?accountId=${account.bank!.id}`, t.tenant.keys.viewer)).json();
    expect(journal.items.map((item: { id: string }) => item.id)).toContain(posted.json().id);
    const balance = (await get('/api/v1/reports/trial-balance?from=2026-10-01&to=2026-10-31')).json();
    expect(balance.totals.debits).toBe(balance.totals.credits);
    expect(balance.accounts.find((row: { number: string }) => row.number === '1200').debits).toBe('1000.00');
    const csv = await get('/api/v1/reports/trial-balance?from=2026-10-01&to=2026-10-31&format=csv');
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.body.split('\r\n')[0]).toBe('account,name,type,opening debit,opening credit,debits,credits,closing debit,closing credit');
    const ledger = (await get(`/api/v1/reports/account-ledger?accountId=${account.bank!.id}&from=2026-10-01&to=2026-12-31`)).json();
    // The demo opening balance of 250,000.00 comes first; this entry adds 1,000.00.
    expect(ledger.openingBalance).toBe('250000.00');
    expect(ledger.lines.at(-1)).toMatchObject({ balance: '251000.00', side: 'debit' });
    const reversal = await send('POST', `/api/v1/journal-entries/${posted.json().id}/reverse`, { businessDate: '2026-10-20' });
    expect(reversal.statusCode).toBe(201);
    expect(reversal.json()).toMatchObject({ reversesEntryId: posted.json().id, lines: [{ side: 'credit' }, { side: 'debit' }] });
    expect((await send('POST', `/api/v1/journal-entries/${posted.json().id}/reverse`, { businessDate: '2026-10-21' })).statusCode).toBe(409);
  });

  it('refuses bad entries with a clear message and writes nothing', async () => {
    const before = await entryCount();
    const bank = account.bank!.id;
    const revenue = account.revenue!.id;
    const cases: Array<[unknown, number, string]> = [
      [manual([{ accountId: '01900000-0000-7000-8000-000000000000', side: 'debit', amount: '1' }, { accountId: revenue, side: 'credit', amount: '1' }]), 404, 'O2C_NOT_FOUND'],
      [manual([{ accountId: bank, side: 'debit', amount: '-1' }, { accountId: revenue, side: 'credit', amount: '-1' }]), 400, 'O2C_INVALID_VALUE'],
      [manual([{ accountId: bank, side: 'sideways', amount: '1' }, { accountId: revenue, side: 'credit', amount: '1' }]), 400, 'O2C_VALIDATION_FAILED'],
      [manual([{ accountId: bank, side: 'debit', amount: '1.00' }, { accountId: revenue, side: 'credit', amount: '1.01' }]), 422, 'O2C_ENTRY_UNBALANCED'],
      [manual([{ accountId: bank, side: 'debit', amount: '1.001' }, { accountId: revenue, side: 'credit', amount: '1.001' }]), 400, 'O2C_INVALID_VALUE'],
      [manual([{ accountId: bank, side: 'debit', amount: '5' }, { accountId: revenue, side: 'credit', amount: '5' }], { currency: 'NOK' }), 422, 'O2C_EXCHANGE_RATE_MISSING'],
      [manual([{ accountId: account.receivables!.id, side: 'debit', amount: '5' }, { accountId: revenue, side: 'credit', amount: '5' }]), 422, 'O2C_BUSINESS_RULE'],
      [manual([{ accountId: bank, side: 'debit', amount: '5' }]), 400, 'O2C_VALIDATION_FAILED'],
    ];
    for (const [body, status, code] of cases) {
      const response = await send('POST', '/api/v1/journal-entries', body);
      expect({ body, status: response.statusCode, code: response.json().code }).toEqual({ body, status, code });
    }
    expect((await send('POST', '/api/v1/journal-entries', manual([{ accountId: account.receivables!.id, side: 'debit', amount: '5', customerId }, { accountId: revenue, side: 'credit', amount: '5' }]))).statusCode).toBe(201);
    expect(await entryCount()).toBe(before + 1);
  });

  it('closes and reopens periods (controller only, audited); a manual entry in a closed period is refused', async () => {
    expect((await send('POST', '/api/v1/periods/2026-09/close', undefined, t.tenant.keys.admin)).statusCode).toBe(403);
    expect((await send('POST', '/api/v1/periods/2026-09/close')).json()).toMatchObject({ period: '2026-09', status: 'closed' });
    expect((await send('POST', '/api/v1/periods/2026-09/close')).statusCode).toBe(409);
    const refused = await send('POST', '/api/v1/journal-entries', manual([{ accountId: account.bank!.id, side: 'debit', amount: '1' }, { accountId: account.revenue!.id, side: 'credit', amount: '1' }], { businessDate: '2026-09-10' }));
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({ code: 'O2C_PERIOD_CLOSED', detail: expect.stringMatching(/2026-09 is closed/) });
    const months = (await get('/api/v1/periods?year=2026')).json().items;
    expect(months.find((month: { period: string }) => month.period === '2026-09').status).toBe('closed');
    expect((await send('POST', '/api/v1/periods/2026-09/reopen')).json().status).toBe('open');
    const audit = (await get('/api/v1/audit-events?entityType=period&entityId=2026-09')).json();
    expect(audit.items.map((event: { action: string }) => event.action)).toEqual(['period.reopened', 'period.closed']);
  });

  it('keeps system accounts: renamed and renumbered yes, retyped or deleted no', async () => {
    const receivables = account.receivables!;
    const renamed = await send('PATCH', `/api/v1/accounts/${receivables.id}`, { version: receivables.version, name: 'Trade debtors', number: '10000' });
    expect(renamed.json()).toMatchObject({ name: 'Trade debtors', number: '10000', systemKey: 'receivables' });
    expect((await send('PATCH', `/api/v1/accounts/${receivables.id}`, { version: renamed.json().version, type: 'expense' })).json().code).toBe('O2C_ACCOUNT_PROTECTED');
    expect((await send('DELETE', `/api/v1/accounts/${receivables.id}`)).json().code).toBe('O2C_ACCOUNT_PROTECTED');
    const spare = (await send('POST', '/api/v1/accounts', { number: '9999', name: 'Suspense', type: 'asset' })).json();
    expect((await send('DELETE', `/api/v1/accounts/${spare.id}`)).statusCode).toBe(204);
    expect((await send('POST', '/api/v1/accounts', { number: '1200', name: 'Dup', type: 'asset' })).statusCode).toBe(409);
  });

  it('sets and imports exchange rates, all or nothing', async () => {
    expect((await send('POST', '/api/v1/exchange-rates', { fromCurrency: 'NOK', toCurrency: 'EUR', rateDate: '2026-10-01', rate: '0.0851' })).statusCode).toBe(201);
    const posted = await send('POST', '/api/v1/journal-entries', manual([{ accountId: account.bank!.id, side: 'debit', amount: '100' }, { accountId: account.revenue!.id, side: 'credit', amount: '100' }], { currency: 'NOK' }));
    expect(posted.json().lines[0]).toMatchObject({ amount: '100.00', baseAmount: '8.51' });
    const upload = (text: string) => t.app.http.inject({ method: 'POST', url: '/api/v1/exchange-rate-imports', payload: text, headers: { 'content-type': 'text/csv', ...bearer(t.tenant.keys.controller) } });
    expect((await upload('from_currency,to_currency,date,rate\nPLN,EUR,2026-10-01,0.2345\nHUF,EUR,2026-10-01,0.00252\n')).json()).toEqual({ imported: 2 });
    const bad = await upload('from_currency,to_currency,date,rate\nPLN,EUR,2026-10-02,0.2345\nXXQ,EUR,2026-02-30,-1\n');
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors.map((issue: { path: string }) => issue.path)).toEqual(['row 3', 'row 3', 'row 3']);
    const rates = (await get('/api/v1/exchange-rates?currency=PLN', t.tenant.keys.viewer)).json().items;
    expect(rates.map((rate: { rateDate: string }) => rate.rateDate)).toEqual(['2026-10-01']);
  });

  it('keeps other tenants out of the books', async () => {
    const other = await createTestTenant(t.database.handle, 'books-other');
    const entry = (await get('/api/v1/journal-entries?limit=1')).json().items[0];
    expect((await get(`/api/v1/journal-entries/${entry.id}`, other.keys.controller)).statusCode).toBe(404);
    const posted = await send('POST', '/api/v1/journal-entries', manual([{ accountId: account.bank!.id, side: 'debit', amount: '1' }, { accountId: account.revenue!.id, side: 'credit', amount: '1' }]), other.keys.controller);
    expect(posted.statusCode).toBe(404);
  });
});
