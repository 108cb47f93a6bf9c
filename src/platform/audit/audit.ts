import type { RequestContext } from '../auth/actor';
import type { Executor } from '../db/database';
import { toJsonText } from '../json';
import { newId } from '../../kernel';

export interface AuditRecord {
  readonly action: string;
  readonly entityType: string;
  readonly entityId: string;
  readonly before?: unknown;
  readonly after?: unknown;
}

/** Appends one audit event in the caller's transaction; the table refuses updates and deletes. */
export async function recordAudit(executor: Executor, context: RequestContext, record: AuditRecord): Promise<void> {
  await recordAudits(executor, context, [record]);
}

/** Appends several audit events in one statement, in the order given. */
export async function recordAudits(executor: Executor, context: RequestContext, records: readonly AuditRecord[]): Promise<void> {
  if (records.length === 0) return;
  const { actor } = context;
  await executor
    .insertInto('audit_events')
    .values(records.map((record) => ({
      tenant_id: actor.tenantId,
      id: newId(),
      actor_type: actor.type,
      actor_id: actor.id,
      actor_name: actor.name,
      action: record.action,
      entity_type: record.entityType,
      entity_id: record.entityId,
      before: record.before === undefined ? null : toJsonText(record.before),
      after: record.after === undefined ? null : toJsonText(record.after),
      request_id: context.requestId,
    })))
    .execute();
}
