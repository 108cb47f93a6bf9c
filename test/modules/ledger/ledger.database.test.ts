import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '../../../src/platform/auth/actor';
import { inTransaction } from '../../../src/platform/db/database';
import { postEntry } from '../../../src/modules/ledger';
import { setPeriodStatus } from '../../../src/modules/ledger/periods.service';
import { trialBalance } from '../../../src/modules/ledger/reports.service';
import { setRates } from '../../../src/modules/ledger/rates.service';
import { Big } from '../../../src/kernel';
import { createTestTenant, type TestTenant } from '../../support/app';
import { createTestDatabase, onPostgres, type TestDatabase } from '../../support/database';
import { loadDemoRecords } from '../../support/demo-data';

let database: TestDatabase;
let tenant: TestTenant;
let accounts: Record<string, string>;
let customerId: string;
const context = () => systemContext(tenant.id, 'ledger test');

beforeAll(async () => {
  database = await createTestDatabase();
  tenant = await createTestTenant(database.handle, 'books');
  await loadDemoRecords(database.handle, tenant.id);
  const rows = await database.handle.db.selectFrom('accounts').select(['id', 'system_key', 'number']).where('tenant_id', '=', tenant.id).execute();
  accounts = Object.fromEntries(rows.map((row) => [row.system_key ?? row.number, row.id]));
  customerId = (await database.handle.db.selectFrom('customers').select('id').where('tenant_id', '=', tenant.id).limit(1).executeTakeFirstOrThrow()).id;
});
afterAll(async () => database.drop());

const db = () => database.handle.db;

async function rawEntry(lines: Array<{ account: string; side: 'debit' | 'credit'; amount: bigint; base?: bigint }>) {
  return inTransaction(db(), async (tx) => {
    const id = crypto.randomUUID();
    await sql`insert into journal_entries (tenant_id, id, number, kind, business_date, posting_date, description, source_type, source_id, currency, base_currency, exchange_rate, created_by)
      values (${tenant.id}, ${id}, ${'RAW-' + id}, 'manual', '2026-03-01', '2026-03-01', 'raw', 'test', 'raw', 'EUR', 'EUR', 1, 'sql')`.execute(tx);
    let lineNo = 1;
    for (const line of lines) {
      await sql`insert into journal_lines (tenant_id, id, entry_id, line_no, account_id, side, amount_minor, base_amount_minor)
        values (${tenant.id}, ${crypto.randomUUID()}, ${id}, ${lineNo++}, ${accounts[line.account]}, ${line.side}, ${line.amount}, ${line.base ?? line.amount})`.execute(tx);
    }
    return id;
  });
}

describe('the database keeps the books', () => {
  it('refuses at commit an entry that does not balance, even from raw SQL', async () => {
    await expect(rawEntry([{ account: 'bank', side: 'debit', amount: 100n }, { account: 'revenue', side: 'credit', amount: 99n }])).rejects.toThrow(/O2C_ENTRY_UNBALANCED/);
    await expect(rawEntry([{ account: 'bank', side: 'debit', amount: 100n, base: 100n }, { account: 'revenue', side: 'credit', amount: 100n, base: 101n }])).rejects.toThrow(/base currency/);
    await expect(rawEntry([{ account: 'bank', side: 'debit', amount: 100n }])).rejects.toThrow(/at least two/);
    await expect(rawEntry([{ account: 'receivables', side: 'debit', amount: 100n }, { account: 'revenue', side: 'credit', amount: 100n }])).rejects.toThrow(/without the customer/);
    const balanced = await rawEntry([{ account: 'bank', side: 'debit', amount: 100n }, { account: 'revenue', side: 'credit', amount: 100n }]);
    expect(balanced).toBeTruthy();
  });

  it('refuses UPDATE and DELETE of posted entries and lines', async () => {
    await rawEntry([{ account: 'bank', side: 'debit', amount: 7n }, { account: 'revenue', side: 'credit', amount: 7n }]);
    await expect(sql`update journal_lines set amount_minor = amount_minor + 1`.execute(db())).rejects.toThrow(/append-only/);
    await expect(sql`delete from journal_lines`.execute(db())).rejects.toThrow(/append-only/);
    await expect(sql`update journal_entries set description = 'x'`.execute(db())).rejects.toThrow(/append-only/);
    await expect(sql`delete from journal_entries`.execute(db())).rejects.toThrow(/append-only/);
  });

  it('refuses to delete or retype a system account', async () => {
    await expect(sql`delete from accounts where id = ${accounts.receivables}`.execute(db())).rejects.toThrow(/O2C_ACCOUNT_PROTECTED/);
    await expect(sql`update accounts set type = 'expense' where id = ${accounts.receivables}`.execute(db())).rejects.toThrow(/O2C_ACCOUNT_PROTECTED/);
    await sql`update accounts set name = 'Debtors', number = '10000' where id = ${accounts.receivables}`.execute(db());
  });
});

describe('posting', () => {
  const entry = (lines: Array<[string, 'debit' | 'credit', bigint]>, extra: Partial<Parameters<typeof postEntry>[2]> = {}) =>
    inTransaction(db(), (tx) =>
      postEntry(tx, context(), {
        businessDate: '2026-04-15',
        description: 'test',
        source: { type: 'test', id: '1' },
        currency: 'EUR',
        kind: 'manual',
        lines: lines.map(([systemKey, side, amountMinor]) => ({ systemKey, side, amountMinor, customerId: systemKey === 'receivables' || systemKey === 'unapplied_cash' ? customerId : null })),
        ...extra,
      }),
    );

  it('converts a foreign-currency entry at the rate of its date, balancing in base exactly', async () => {
    await inTransaction(db(), (tx) => setRates(tx, context(), [{ fromCurrency: 'JPY', toCurrency: 'EUR', rateDate: '2026-04-01', rate: new Big('0.0061') }], 'manual'));
    const posted = await entry([['receivables', 'debit', 1001n], ['revenue', 'credit', 500n], ['revenue', 'credit', 501n]], { currency: 'JPY' });
    const lines = await db().selectFrom('journal_lines').select(['side', 'amount_minor', 'base_amount_minor']).where('entry_id', '=', posted.id).orderBy('line_no').execute();
    // 1001 JPY × 0.0061 = 6.1061 EUR → 611 cents, shared 305/306 over the credit lines.
    expect(lines.map((line) => line.base_amount_minor)).toEqual([611n, 305n, 306n]);
    await expect(entry([['bank', 'debit', 100n], ['revenue', 'credit', 100n]], { currency: 'NOK' })).rejects.toThrow(/no NOK→EUR exchange rate on or before 2026-04-15/);
    await expect(entry([['bank', 'debit', 100n], ['revenue', 'credit', 100n]], { currency: 'JPY', businessDate: '2026-03-31' })).rejects.toThrow(/JPY→EUR/);
  });

  it('refuses a manual posting into a closed month and moves an automatic one to the next open month', async () => {
    await inTransaction(db(), (tx) => setPeriodStatus(tx, context(), { year: 2026, month: 5 }, 'closed'));
    await inTransaction(db(), (tx) => setPeriodStatus(tx, context(), { year: 2026, month: 6 }, 'closed'));
    await expect(entry([['bank', 'debit', 100n], ['revenue', 'credit', 100n]], { businessDate: '2026-05-20' })).rejects.toThrow(/period 2026-05 is closed/);
    const automatic = await entry([['bank', 'debit', 100n], ['revenue', 'credit', 100n]], { businessDate: '2026-05-20', kind: 'automatic' });
    expect(automatic.postingDate).toBe('2026-07-01');
    const stored = await db().selectFrom('journal_entries').select(['business_date', 'posting_date']).where('id', '=', automatic.id).executeTakeFirstOrThrow();
    expect(stored).toEqual({ business_date: '2026-05-20', posting_date: '2026-07-01' });
    await inTransaction(db(), (tx) => setPeriodStatus(tx, context(), { year: 2026, month: 5 }, 'open'));
    expect((await entry([['bank', 'debit', 1n], ['revenue', 'credit', 1n]], { businessDate: '2026-05-20' })).postingDate).toBe('2026-05-20');
  });

  it('commits every balanced random entry and refuses every unbalanced one; the trial balance balances (property)', async () => {
    const keys = ['bank', 'revenue', 'vat_payable:19', 'bank_charges', 'fee_income', 'receivables', 'unapplied_cash'];
    const arbitraryEntry = fc.record({
      lines: fc.array(fc.record({ key: fc.constantFrom(...keys), side: fc.constantFrom('debit' as const, 'credit' as const), amount: fc.bigInt({ min: 1n, max: 10n ** 9n }) }), { minLength: 1, maxLength: 6 }),
      balance: fc.boolean(),
      currency: fc.constantFrom('EUR', 'EUR', 'JPY'),
    });
    const samples = fc.sample(arbitraryEntry, { numRuns: Number(process.env.O2C_LEDGER_RUNS ?? '2000'), seed: 20261122 });
    let committed = 0;
    let refused = 0;
    for (const sample of samples) {
      const lines = sample.lines.map((line) => [line.key, line.side, line.amount] as [string, 'debit' | 'credit', bigint]);
      if (sample.balance) {
        // Close the entry with a line on the other side for the difference.
        const difference = lines.reduce((sum, [, side, amount]) => sum + (side === 'debit' ? amount : -amount), 0n);
        if (difference !== 0n) lines.push(['bank', difference > 0n ? 'credit' : 'debit', difference > 0n ? difference : -difference]);
        if (lines.length < 2) lines.push(['bank', 'debit', 5n], ['revenue', 'credit', 5n]);
      }
      const difference = lines.reduce((sum, [, side, amount]) => sum + (side === 'debit' ? amount : -amount), 0n);
      const shouldCommit = difference === 0n && lines.length >= 2;
      try {
        await entry(lines, { currency: sample.currency });
        committed += 1;
        expect(shouldCommit).toBe(true);
      } catch (error) {
        refused += 1;
        expect({ shouldCommit, message: (error as Error).message }).toEqual({ shouldCommit: false, message: expect.stringMatching(/does not balance|at least two/) });
      }
    }
    expect(committed).toBeGreaterThan(100);
    expect(refused).toBeGreaterThan(50);
    const report = await trialBalance(db(), tenant.id, '2000-01-01', '2100-12-31');
    expect(report.totals.debits).toBe(report.totals.credits);
    expect(report.totals.closingDebit).toBe(report.totals.closingCredit);
    const perCurrency = await sql<{ currency: string; difference: string }>`
      select e.currency, sum(case when l.side = 'debit' then l.amount_minor else -l.amount_minor end) as difference
      from journal_lines l join journal_entries e on e.tenant_id = l.tenant_id and e.id = l.entry_id
      where l.tenant_id = ${tenant.id} group by e.currency`.execute(db());
    for (const row of perCurrency.rows) expect({ currency: row.currency, difference: BigInt(row.difference) }).toEqual({ currency: row.currency, difference: 0n });
  });

  it.runIf(onPostgres)('keeps every line of concurrent postings (PostgreSQL)', async () => {
    const before = await db().selectFrom('journal_lines').select(sql<string>`count(*)`.as('count')).where('tenant_id', '=', tenant.id).executeTakeFirstOrThrow();
    const results = await Promise.allSettled(Array.from({ length: 40 }, (_, index) => entry([['bank', 'debit', BigInt(100 + index)], ['revenue', 'credit', BigInt(100 + index)], ['fee_income', 'credit', 1n], ['bank', 'debit', 1n]])));
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(40);
    const after = await db().selectFrom('journal_lines').select(sql<string>`count(*)`.as('count')).where('tenant_id', '=', tenant.id).executeTakeFirstOrThrow();
    expect(Number(after.count) - Number(before.count)).toBe(160);
    const numbers = await db().selectFrom('journal_entries').select('number').where('tenant_id', '=', tenant.id).execute();
    expect(new Set(numbers.map((row) => row.number)).size).toBe(numbers.length);
  });
});
