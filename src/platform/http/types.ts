import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyBaseLogger, FastifyInstance, RawServerDefault } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import type { Actor } from '../auth/actor';
import type { Role } from '../auth/roles';
import type { SessionPolicy } from '../auth/sessions';
import type { Config } from '../config';
import type { Database } from '../db/schema';

export type HttpApp = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, FastifyBaseLogger, ZodTypeProvider>;

/** What route plugins receive from the composition root. */
export interface RouteDependencies {
  readonly db: Kysely<Database>;
  readonly config: Config;
  readonly sessionPolicy: SessionPolicy;
}

/** Every route states who may call it: the public list, any signed-in role, or named roles. */
export type RouteAccess = { readonly public: true } | { readonly roles: readonly Role[] };

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
  interface FastifyRequest {
    actor: Actor | null;
  }
}
