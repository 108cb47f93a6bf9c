import { PgBoss, fromPglite } from 'pg-boss';
import type { Logger } from 'pino';
import type { DatabaseHandle } from '../db/database';

/**
 * The job queue is pg-boss, on the same database as the data: jobs survive
 * restarts, several workers share them safely (SKIP LOCKED), and cron schedules
 * fire once per slot however many workers run.
 *
 * PGlite has one session, shared with the application's transactions. pg-boss's
 * statements are therefore passed through the Kysely driver's connection queue, so
 * they never land in the middle of an open application transaction.
 */
export function createJobQueue(handle: DatabaseHandle, connectionString: string | undefined, logger: Logger): PgBoss {
  const boss =
    handle.kind === 'pglite' && handle.pglite !== undefined
      ? new PgBoss({ db: serialisedPgliteAdapter(handle), backend: 'pglite', schema: 'pgboss', supervise: true, schedule: true })
      : new PgBoss({ connectionString, max: 4, schema: 'pgboss', application_name: 'o2c-worker' });
  boss.on('error', (error: unknown) => logger.error({ err: error }, 'job queue error'));
  return boss;
}

function serialisedPgliteAdapter(handle: DatabaseHandle) {
  const inner = fromPglite(handle.pglite!);
  return {
    executeSql: (text: string, values?: unknown[]) => handle.db.connection().execute(() => inner.executeSql(text, values)),
    setSessionStatements: (statements: string[]) =>
      handle.db.connection().execute(async () => {
        await inner.setSessionStatements?.(statements);
      }),
  };
}

export type { PgBoss };
