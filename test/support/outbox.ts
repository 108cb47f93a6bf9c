import type { Kysely } from 'kysely';
import { modules } from '../../src/app';
import { loadConfig } from '../../src/platform/config';
import type { Database } from '../../src/platform/db/schema';
import type { JobDefinition } from '../../src/platform/jobs/worker';
import { createLogger } from '../../src/platform/logger';
import { relayOutbox, type EventSubscriber, type RelayResult } from '../../src/platform/outbox/outbox';

const subscribers = new Map<string, EventSubscriber[]>();
for (const module of modules) for (const [type, handlers] of Object.entries(module.subscribers ?? {})) subscribers.set(type, [...(subscribers.get(type) ?? []), ...handlers]);
const jobs = new Map<string, JobDefinition>(modules.flatMap((module) => module.jobs ?? []).map((job) => [job.name, job]));

/**
 * What the worker does after a commit, in the test's own time: one outbox pass to
 * every module's subscribers, then the jobs they asked for, run here and now.
 */
export async function relayAndRunJobs(db: Kysely<Database>, only?: ReadonlySet<string>): Promise<RelayResult> {
  const context = { db, logger: createLogger('silent'), config: loadConfig({ O2C_DATA_DIR: 'memory://', LOG_LEVEL: 'silent' }) };
  const chosen = only === undefined ? subscribers : new Map([...subscribers].filter(([type]) => only.has(type)));
  return relayOutbox(db, chosen, 100, async (queued) => {
    for (const job of queued) await jobs.get(job.name)?.handler(job.data, context);
  });
}
