import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { inTransaction } from '../../platform/db/database';
import type { Database } from '../../platform/db/schema';
import type { JobDefinition } from '../../platform/jobs/worker';
import { customersToCheck, evaluateAutomaticBlock } from './blocks.service';
import { endExpiredTemporaryLimits } from './limits.service';
import { scoreAndStore } from './scoring.service';

/**
 * Credit control for one tenant: automatic blocks checked again (items become
 * overdue by the passing of time, with no event to tell), expired temporary limits
 * cleared, and every customer that is not archived scored for the day. Each
 * customer in its own transaction, so one failure does not stop the rest.
 */
export async function runCreditControl(db: Kysely<Database>, tenantId: string, logger?: Logger): Promise<{ checked: number; scored: number; failed: number }> {
  let failed = 0;
  await inTransaction(db, (tx) => endExpiredTemporaryLimits(tx, tenantId));
  const checks = await customersToCheck(db, tenantId);
  for (const customerId of checks) {
    await inTransaction(db, (tx) => evaluateAutomaticBlock(tx, tenantId, customerId)).catch((error: unknown) => {
      failed += 1;
      logger?.error({ err: error, tenantId, customerId }, 'credit block check failed');
    });
  }
  const customers = await db.selectFrom('customers').select('id').where('tenant_id', '=', tenantId).where('status', '<>', 'archived').orderBy('id').execute();
  let scored = 0;
  for (const customer of customers) {
    try {
      await inTransaction(db, (tx) => scoreAndStore(tx, tenantId, customer.id));
      scored += 1;
    } catch (error) {
      failed += 1;
      logger?.error({ err: error, tenantId, customerId: customer.id }, 'credit scoring failed');
    }
  }
  return { checked: checks.length, scored, failed };
}

/** Nightly credit control for every tenant. */
export const creditControlJob: JobDefinition = {
  name: 'credit.nightly',
  cron: '30 1 * * *',
  async handler(_data, { db, logger }) {
    const tenants = await db.selectFrom('tenants').select('id').execute();
    for (const tenant of tenants) logger.info({ tenantId: tenant.id, ...(await runCreditControl(db, tenant.id, logger)) }, 'credit control done');
  },
};
