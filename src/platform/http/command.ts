import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { RequestContext } from '../auth/actor';
import type { Tx } from '../db/database';
import type { Database } from '../db/schema';
import { AppError } from '../errors/app-error';
import { runCommand, type CommandResult } from '../idempotency/idempotency';

/** The acting context of an authenticated request. */
export function contextOf(request: FastifyRequest): RequestContext {
  if (request.actor === null) throw new AppError('O2C_UNAUTHENTICATED', 'this route needs credentials');
  return { actor: request.actor, requestId: String(request.id) };
}

/**
 * Runs a state-changing route in one transaction, honouring `Idempotency-Key` on
 * POST. The route handler returns what this returns.
 */
export async function command<T>(
  db: Kysely<Database>,
  request: FastifyRequest,
  reply: FastifyReply,
  work: (tx: Tx, context: RequestContext) => Promise<CommandResult<T>>,
): Promise<T> {
  const context = contextOf(request);
  const header = request.headers['idempotency-key'];
  const answer = await runCommand(
    db,
    {
      method: request.method,
      path: request.url.split('?')[0] ?? request.url,
      body: request.body,
      idempotencyKey: request.method === 'POST' && typeof header === 'string' ? header : undefined,
      context,
    },
    (tx) => work(tx, context),
  );
  if (answer.replayed) void reply.header('idempotent-replayed', 'true');
  void reply.code(answer.status);
  return answer.body;
}

export const ok = <T>(body: T): CommandResult<T> => ({ status: 200, body });
export const created = <T>(body: T): CommandResult<T> => ({ status: 201, body });
