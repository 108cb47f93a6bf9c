import type { RequestContext } from '../../platform/auth/actor';
import { recordAudit } from '../../platform/audit/audit';
import type { Executor, Tx } from '../../platform/db/database';
import { AppError } from '../../platform/errors/app-error';
import { periodLabel, type PeriodKey } from './ledger.rules';
import './ledger.tables';

export interface PeriodView {
  period: string;
  year: number;
  month: number;
  status: 'open' | 'closed';
  changedBy: string | null;
  changedAt: string | null;
}

/** The months of a year with their status; a month never touched is open. */
export async function listPeriods(executor: Executor, tenantId: string, year: number): Promise<PeriodView[]> {
  const rows = await executor.selectFrom('accounting_periods').selectAll().where('tenant_id', '=', tenantId).where('year', '=', year).execute();
  return Array.from({ length: 12 }, (_, index) => {
    const row = rows.find((candidate) => candidate.month === index + 1);
    return {
      period: periodLabel({ year, month: index + 1 }),
      year,
      month: index + 1,
      status: row?.status ?? 'open',
      changedBy: row?.changed_by ?? null,
      changedAt: row?.changed_at.toISOString() ?? null,
    };
  });
}

/** The closed months from a month on (for placing automatic postings). */
export async function closedPeriodsFrom(executor: Executor, tenantId: string, from: PeriodKey): Promise<Set<string>> {
  const rows = await executor
    .selectFrom('accounting_periods')
    .select(['year', 'month'])
    .where('tenant_id', '=', tenantId)
    .where('status', '=', 'closed')
    .where((where) => where.or([where('year', '>', from.year), where.and([where('year', '=', from.year), where('month', '>=', from.month)])]))
    .execute();
  return new Set(rows.map((row) => periodLabel(row)));
}

/**
 * Closes or reopens a month (audited). The period row is locked while postings
 * read it (FOR SHARE), so a posting and a close of the same month queue.
 */
export async function setPeriodStatus(tx: Tx, context: RequestContext, period: PeriodKey, status: 'open' | 'closed'): Promise<PeriodView> {
  const tenantId = context.actor.tenantId;
  const current = await tx
    .selectFrom('accounting_periods')
    .select(['status'])
    .where('tenant_id', '=', tenantId)
    .where('year', '=', period.year)
    .where('month', '=', period.month)
    .forUpdate()
    .executeTakeFirst();
  const before = current?.status ?? 'open';
  if (before === status) throw new AppError('O2C_STATE_CONFLICT', `the period ${periodLabel(period)} is already ${status}`);
  const row = await tx
    .insertInto('accounting_periods')
    .values({ tenant_id: tenantId, year: period.year, month: period.month, status, changed_by: context.actor.name })
    .onConflict((conflict) =>
      conflict.columns(['tenant_id', 'year', 'month']).doUpdateSet({ status, changed_by: context.actor.name, changed_at: new Date(), version: (eb) => eb('accounting_periods.version', '+', 1) }),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordAudit(tx, context, { action: status === 'closed' ? 'period.closed' : 'period.reopened', entityType: 'period', entityId: periodLabel(period), before: { status: before }, after: { status } });
  return { period: periodLabel(period), year: row.year, month: row.month, status: row.status, changedBy: row.changed_by, changedAt: row.changed_at.toISOString() };
}
