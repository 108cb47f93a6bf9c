import type { FastifyPluginAsync } from 'fastify';
import type { RequestContext } from './auth/actor';
import type { Tx } from './db/database';
import type { RouteDependencies } from './http/types';
import type { JobDefinition } from './jobs/worker';
import type { EventSubscriber } from './outbox/outbox';

/**
 * What a business module contributes to the composition root. Each module's
 * `index.ts` exports one of these; `src/app.ts` lists them.
 */
export interface ModuleDefinition {
  readonly name: string;
  /** A Fastify plugin with the module's routes, mounted under /api/v1. */
  readonly routes?: FastifyPluginAsync<RouteDependencies>;
  readonly jobs?: readonly JobDefinition[];
  /** Outbox event type → subscribers. */
  readonly subscribers?: Readonly<Record<string, readonly EventSubscriber[]>>;
  /** Runs in the transaction that creates a tenant: default number series, settings … */
  readonly setUpTenant?: (tx: Tx, tenantId: string) => Promise<void>;
  /** Adds the module's records to the demo company, in the demo loader's transaction. */
  readonly loadDemo?: (tx: Tx, context: RequestContext) => Promise<void>;
}
