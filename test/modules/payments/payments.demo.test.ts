import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo } from '../../../src/demo/demo';
import { reconciliation } from '../../../src/modules/receivables';
import { createTestDatabase, type TestDatabase } from '../../support/database';

let database: TestDatabase;
let tenantId: string;
beforeAll(async () => {
  database = await createTestDatabase();
  tenantId = (await loadDemo(database.handle.db)).tenantId;
});
afterAll(async () => database.drop());

const db = () => database.handle.db;

describe('the demo payments', () => {
  it('pay in full and in part, take a discount, leave unapplied cash, refund, reverse and write off, in three currencies', async () => {
    const payments = await db().selectFrom('payments').selectAll().where('tenant_id', '=', tenantId).execute();
    expect(new Set(payments.map((row) => row.currency))).toEqual(new Set(['EUR', 'USD', 'GBP']));
    expect(payments.some((row) => row.status === 'reversed')).toBe(true);
    expect(payments.some((row) => row.status === 'received' && row.unapplied_minor > 0n && row.applied_minor === 0n)).toBe(true);
    expect(payments.some((row) => row.refunded_minor > 0n)).toBe(true);
    const applications = await db().selectFrom('payment_applications').selectAll().where('tenant_id', '=', tenantId).execute();
    expect(applications.some((row) => row.status === 'active' && row.discount_minor > 0n)).toBe(true);
    const today = new Date().toISOString().slice(0, 10);
    const overdue = await db().selectFrom('invoices').select('payment_status').where('tenant_id', '=', tenantId).where('kind', '=', 'invoice').where('open_minor', '>', 0n).where('due_date', '<', today).execute();
    expect(overdue.length, 'overdue invoices for the aging report').toBeGreaterThanOrEqual(2);
    expect(applications.some((row) => row.status === 'active' && row.difference_minor > 0n)).toBe(true);
    expect(applications.some((row) => row.status === 'undone')).toBe(true);
    expect(applications.some((row) => row.fx_base_minor > 0n), 'the USD payment realises an exchange gain').toBe(true);
    const statuses = new Set((await db().selectFrom('invoices').select('payment_status').where('tenant_id', '=', tenantId).where('kind', '=', 'invoice').where('status', '=', 'issued').execute()).map((row) => row.payment_status));
    for (const status of ['open', 'partially_paid', 'paid']) expect(statuses).toContain(status);
    const writeOffs = await db().selectFrom('write_offs').select(['status', 'requested_by', 'decided_by']).where('tenant_id', '=', tenantId).execute();
    expect(writeOffs).toEqual([expect.objectContaining({ status: 'approved' })]);
    expect(writeOffs[0]!.requested_by).not.toBe(writeOffs[0]!.decided_by);
  });

  it('leave the subledger equal to the ledger', async () => {
    const report = await reconciliation(db(), tenantId);
    expect(report.differences).toEqual([]);
    expect(report.balanced).toBe(true);
  });
});
