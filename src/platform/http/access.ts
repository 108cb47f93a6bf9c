import type { FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import type { Kysely } from 'kysely';
import { resolveApiKey } from '../auth/api-keys';
import { resolveSession, type SessionPolicy } from '../auth/sessions';
import type { Database } from '../db/schema';
import { AppError } from '../errors/app-error';
import type { HttpApp, RouteAccess } from './types';

export const sessionCookieName = 'o2c_session';

/**
 * Access control for every route. A route without an `access` declaration stops
 * start-up: nothing is reachable by accident. On each request the credentials
 * (bearer API key or session cookie) give the actor and its tenant, and the
 * route's roles decide; nothing in the request body can choose the tenant.
 */
export function installAccessControl(app: HttpApp, db: Kysely<Database>, policy: SessionPolicy): void {
  app.decorateRequest('actor', null);

  app.addHook('onRoute', (route: RouteOptions) => {
    const access = route.config?.access;
    if (access === undefined) {
      throw new Error(`route ${String(route.method)} ${route.url} declares no access; add config.access`);
    }
  });

  app.addHook('onRequest', async (request: FastifyRequest, _reply: FastifyReply) => {
    const access: RouteAccess | undefined = request.routeOptions.config.access;
    // Unknown routes have no access declaration; the not-found handler answers them.
    if (access === undefined || 'public' in access) return;
    const actor = await authenticate(request, db, policy);
    if (actor === null) {
      throw new AppError('O2C_UNAUTHENTICATED', 'send an API key as "Authorization: Bearer <key>" or sign in first');
    }
    request.actor = actor;
    if (!actor.roles.some((role) => access.roles.includes(role))) {
      throw new AppError('O2C_FORBIDDEN', `this action needs one of the roles: ${access.roles.join(', ')}`);
    }
  });
}

async function authenticate(request: FastifyRequest, db: Kysely<Database>, policy: SessionPolicy) {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (match === null) throw new AppError('O2C_UNAUTHENTICATED', 'the Authorization header must read "Bearer <api key>"');
    return resolveApiKey(db, match[1]!);
  }
  const token = request.cookies[sessionCookieName];
  if (token === undefined || token === '') return null;
  const actor = await resolveSession(db, policy, token);
  if (actor === null) throw new AppError('O2C_SESSION_EXPIRED', 'your session has ended; sign in again');
  return actor;
}
