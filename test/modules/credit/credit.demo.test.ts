import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo } from '../../../src/demo/demo';
import { reconciliation } from '../../../src/modules/receivables';
import { createTestDatabase, type TestDatabase } from '../../support/database';

let database: TestDatabase;
let tenantId: string;
beforeAll(async () => {
  database = await createTestDatabase();
  tenantId = (await loadDemo(database.handle.db)).tenantId;
}, 300_000);
afterAll(async () => database.drop());

const db = () => database.handle.db;

describe('the demo credit desk', () => {
  it('has customers in every risk class, each score explained by its factors', async () => {
    const scores = await db().selectFrom('credit_scores').selectAll().where('tenant_id', '=', tenantId).execute();
    const customers = await db().selectFrom('customers').select('id').where('tenant_id', '=', tenantId).execute();
    expect(scores).toHaveLength(customers.length);
    expect(new Set(scores.map((row) => row.risk_class))).toEqual(new Set(['A', 'B', 'C', 'D', 'E']));
    for (const score of scores) expect((score.factors as unknown[]).length).toBeGreaterThan(0);
  });

  it('blocks a customer by hand and a defaulter automatically, and keeps their orders on hold for review', async () => {
    const blocks = await db()
      .selectFrom('customer_credit as cc')
      .innerJoin('customers as c', (join) => join.onRef('c.tenant_id', '=', 'cc.tenant_id').onRef('c.id', '=', 'cc.customer_id'))
      .select(['c.number', 'cc.block'])
      .where('cc.tenant_id', '=', tenantId)
      .where('cc.block', '<>', 'none')
      .orderBy('c.number')
      .execute();
    expect(blocks).toEqual([
      { number: 'C000011', block: 'manual' },
      { number: 'C000014', block: 'automatic' },
    ]);
    const open = await db()
      .selectFrom('credit_reviews as r')
      .innerJoin('sales_orders as o', (join) => join.onRef('o.tenant_id', '=', 'r.tenant_id').onRef('o.id', '=', 'r.order_id'))
      .select(['o.status', 'o.reservation_status'])
      .where('r.tenant_id', '=', tenantId)
      .where('r.status', '=', 'open')
      .execute();
    expect(open.length).toBeGreaterThanOrEqual(4);
    expect(open.every((row) => row.status === 'on_credit_hold' && row.reservation_status === 'none')).toBe(true);
    const decided = await db().selectFrom('credit_reviews').select(['status', 'decided_by', 'decision_reason', 'one_off_increase_minor']).where('tenant_id', '=', tenantId).where('status', '<>', 'open').orderBy('status').execute();
    expect(decided.map((row) => row.status)).toEqual(['rejected', 'released']);
    expect(decided.every((row) => row.decided_by === 'credit@demo.o2c.example' && (row.decision_reason ?? '').length > 0)).toBe(true);
    expect(decided.find((row) => row.status === 'released')?.one_off_increase_minor).toBeGreaterThan(0n);
  });

  it('has a temporary limit, a limit request waiting and a tighter grace period, and still reconciles', async () => {
    expect(await db().selectFrom('customer_credit').select('temporary_limit_until').where('tenant_id', '=', tenantId).where('temporary_limit_minor', 'is not', null).execute()).toHaveLength(1);
    expect(await db().selectFrom('credit_limit_requests').select('status').where('tenant_id', '=', tenantId).execute()).toEqual([{ status: 'pending' }]);
    expect((await db().selectFrom('credit_settings').selectAll().where('tenant_id', '=', tenantId).executeTakeFirstOrThrow()).grace_days).toBe(21);
    expect((await reconciliation(db(), tenantId)).balanced).toBe(true);
  });
});
