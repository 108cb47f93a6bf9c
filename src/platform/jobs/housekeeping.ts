import { idempotencyRetentionHours } from '../idempotency/idempotency';
import type { JobDefinition } from './worker';

const hoursAgo = (hours: number): Date => new Date(Date.now() - hours * 3_600_000);

/**
 * Hourly clean-up of what only needs to live for a while: stored idempotent
 * answers (kept 48 h, beyond the promised 24 h), sign-in attempts, ended sessions
 * and relayed outbox events.
 */
export const housekeepingJob: JobDefinition = {
  name: 'platform.housekeeping',
  cron: '17 * * * *',
  async handler(_data, { db, logger }) {
    const keys = await db.deleteFrom('idempotency_keys').where('created_at', '<', hoursAgo(idempotencyRetentionHours)).executeTakeFirst();
    const attempts = await db.deleteFrom('login_attempts').where('attempted_at', '<', hoursAgo(24)).executeTakeFirst();
    const sessions = await db
      .deleteFrom('sessions')
      .where((where) => where.or([where('ended_at', '<', hoursAgo(24 * 7)), where('absolute_expires_at', '<', hoursAgo(24 * 7))]))
      .executeTakeFirst();
    const events = await db
      .deleteFrom('outbox_events')
      .where('published_at', '<', hoursAgo(24 * 30))
      .executeTakeFirst();
    logger.info(
      {
        idempotencyKeys: Number(keys.numDeletedRows),
        loginAttempts: Number(attempts.numDeletedRows),
        sessions: Number(sessions.numDeletedRows),
        outboxEvents: Number(events.numDeletedRows),
      },
      'housekeeping done',
    );
  },
};
