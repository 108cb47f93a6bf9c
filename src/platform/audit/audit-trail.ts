import { z } from 'zod';
import type { Executor } from '../db/database';

/** One entry of a record's history, as the record's own page shows it. */
export const historyEntrySchema = z
  .object({
    occurredAt: z.string(),
    actorName: z.string(),
    action: z.string(),
    before: z.unknown().nullable(),
    after: z.unknown().nullable(),
  })
  .meta({ id: 'HistoryEntry' });

/** The audited changes of one record, oldest first (bounded to the last 500). */
export async function auditTrail(executor: Executor, tenantId: string, entityType: string, entityId: string) {
  const rows = await executor
    .selectFrom('audit_events')
    .select(['occurred_at', 'actor_name', 'action', 'before', 'after'])
    .where('tenant_id', '=', tenantId)
    .where('entity_type', '=', entityType)
    .where('entity_id', '=', entityId)
    .orderBy('id', 'desc')
    .limit(500)
    .execute();
  return rows.reverse().map((row) => ({
    occurredAt: row.occurred_at.toISOString(),
    actorName: row.actor_name,
    action: row.action,
    before: row.before ?? null,
    after: row.after ?? null,
  }));
}
