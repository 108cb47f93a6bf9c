import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Config } from '../config';
import type { DatabaseHandle } from '../db/database';
import type { Database } from '../db/schema';
import { relayOutbox, type EventSubscriber } from '../outbox/outbox';
import { createJobQueue, type PgBoss } from './job-queue';

export interface JobContext {
  readonly db: Kysely<Database>;
  readonly logger: Logger;
  readonly config: Config;
}

/** A kind of background job; with `cron` it also runs on that schedule (UTC). */
export interface JobDefinition {
  readonly name: string;
  readonly cron?: string;
  readonly handler: (data: Record<string, unknown>, context: JobContext) => Promise<void>;
}

export interface WorkerOptions {
  readonly config: Config;
  readonly handle: DatabaseHandle;
  readonly connectionString: string | undefined;
  readonly logger: Logger;
  readonly jobs: readonly JobDefinition[];
  readonly subscribers: ReadonlyMap<string, readonly EventSubscriber[]>;
  /** Pause between outbox passes when nothing was pending. */
  readonly outboxIdleMs?: number;
}

/**
 * The background worker: takes jobs from the queue, fires cron schedules, and
 * relays outbox events to their subscribers. It runs inside `o2c serve` by default
 * and alone as `o2c worker`; any number of workers may run against one database.
 */
export class Worker {
  private boss: PgBoss | undefined;
  private relayTimer: NodeJS.Timeout | undefined;
  private relayRunning: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly options: WorkerOptions) {}

  async start(): Promise<void> {
    const { handle, logger, jobs } = this.options;
    const boss = createJobQueue(handle, this.options.connectionString, logger);
    await boss.start();
    this.boss = boss;
    const context: JobContext = { db: handle.db, logger, config: this.options.config };
    for (const job of jobs) {
      await boss.createQueue(job.name);
      await boss.work<Record<string, unknown>>(job.name, async (batch) => {
        for (const item of batch) await job.handler(item.data ?? {}, context);
      });
      if (job.cron !== undefined) await boss.schedule(job.name, job.cron);
    }
    this.scheduleRelay(0);
    logger.info({ jobs: jobs.map((job) => job.name) }, 'worker started');
  }

  /** Queues a job by name; it runs on whichever worker takes it first. */
  async send(name: string, data: Record<string, unknown> = {}): Promise<string | null> {
    if (this.boss === undefined) throw new Error('the worker is not started');
    return this.boss.send(name, data);
  }

  /** One outbox pass, for tests and for the CLI. */
  relayOnce(): Promise<{ published: number; failed: number }> {
    return relayOutbox(this.options.handle.db, this.options.subscribers, 100, async (jobs) => {
      for (const job of jobs) await this.send(job.name, job.data);
    });
  }

  private scheduleRelay(delayMs: number): void {
    if (this.stopped) return;
    this.relayTimer = setTimeout(() => {
      this.relayRunning = this.relayOnce()
        .then((result) => this.scheduleRelay(result.published + result.failed >= 100 ? 0 : (this.options.outboxIdleMs ?? 1000)))
        .catch((error: unknown) => {
          this.options.logger.error({ err: error }, 'outbox relay failed');
          this.scheduleRelay(5000);
        });
    }, delayMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.relayTimer !== undefined) clearTimeout(this.relayTimer);
    await this.relayRunning;
    await this.boss?.stop({ graceful: true, timeout: 10_000 });
    this.boss = undefined;
  }
}
