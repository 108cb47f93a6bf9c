import { inTransaction, type Executor, type Tx } from '../db/database';
import { toJsonText } from '../json';
import { newId } from '../../kernel';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema';

export interface DomainEvent {
  readonly type: string;
  readonly aggregateType: string;
  readonly aggregateId: string;
  readonly payload: Record<string, unknown>;
}

export interface PublishedEvent extends DomainEvent {
  readonly id: string;
  readonly tenantId: string;
  readonly occurredAt: Date;
}

/** Writes a domain event in the same transaction as the change it reports. */
export async function emitEvent(executor: Executor, tenantId: string, event: DomainEvent): Promise<string> {
  const [id] = await emitEvents(executor, tenantId, [event]);
  return id!;
}

/** Writes several events in one statement, in order. */
export async function emitEvents(executor: Executor, tenantId: string, events: readonly DomainEvent[]): Promise<string[]> {
  if (events.length === 0) return [];
  const rows = events.map((event) => ({
    tenant_id: tenantId,
    id: newId(),
    event_type: event.type,
    aggregate_type: event.aggregateType,
    aggregate_id: event.aggregateId,
    payload: toJsonText(event.payload),
  }));
  await executor.insertInto('outbox_events').values(rows).execute();
  return rows.map((row) => row.id);
}

/** A job a subscriber asks for; it is queued after the relay's transaction commits. */
export interface JobRequest {
  readonly name: string;
  readonly data: Record<string, unknown>;
}

/**
 * A subscriber runs inside the relay's transaction: what it writes commits with the
 * mark "published". Work outside the database (e-mail, webhooks) it hands to a job
 * with `queueJob`, which is sent only once that transaction has committed.
 */
export type EventSubscriber = (event: PublishedEvent, tx: Tx, queueJob: (job: JobRequest) => void) => Promise<void>;

export interface RelayResult {
  readonly published: number;
  readonly failed: number;
}

/**
 * Hands pending events to their subscribers, oldest first, in bounded batches.
 * Rows are claimed with FOR UPDATE SKIP LOCKED, so several workers share the work
 * without handing one event out twice at the same time. A failing subscriber
 * leaves its event pending with the error recorded; it is retried on the next pass.
 */
export async function relayOutbox(
  db: Kysely<Database>,
  subscribers: ReadonlyMap<string, readonly EventSubscriber[]>,
  batchSize = 100,
  sendJobs: (jobs: readonly JobRequest[]) => Promise<void> = async () => {},
): Promise<RelayResult> {
  let published = 0;
  let failed = 0;
  let jobs: JobRequest[] = [];
  await inTransaction(db, async (tx) => {
    const rows = await tx
      .selectFrom('outbox_events')
      .selectAll()
      .where('published_at', 'is', null)
      .where('attempts', '<', 20)
      .orderBy('occurred_at')
      .orderBy('id')
      .limit(batchSize)
      .forUpdate()
      .skipLocked()
      .execute();
    for (const row of rows) {
      const event: PublishedEvent = {
        id: row.id,
        tenantId: row.tenant_id,
        occurredAt: row.occurred_at,
        type: row.event_type,
        aggregateType: row.aggregate_type,
        aggregateId: row.aggregate_id,
        payload: row.payload as Record<string, unknown>,
      };
      const eventJobs: JobRequest[] = [];
      try {
        await sql`savepoint outbox_event`.execute(tx);
        for (const subscriber of subscribers.get(event.type) ?? []) await subscriber(event, tx, (job) => eventJobs.push(job));
        await sql`release savepoint outbox_event`.execute(tx);
        await tx
          .updateTable('outbox_events')
          .set({ published_at: new Date(), attempts: sql`attempts + 1` })
          .where('tenant_id', '=', row.tenant_id)
          .where('id', '=', row.id)
          .execute();
        jobs = [...jobs, ...eventJobs];
        published += 1;
      } catch (error) {
        await sql`rollback to savepoint outbox_event`.execute(tx);
        await tx
          .updateTable('outbox_events')
          .set({ attempts: sql`attempts + 1`, last_error: String(error instanceof Error ? error.message : error).slice(0, 2000) })
          .where('tenant_id', '=', row.tenant_id)
          .where('id', '=', row.id)
          .execute();
        failed += 1;
      }
    }
  });
  if (jobs.length > 0) await sendJobs(jobs);
  return { published, failed };
}
