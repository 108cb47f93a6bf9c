import { sql, type Kysely } from 'kysely';
import { newId } from '../../kernel';
import { recordAudit } from '../audit/audit';
import { inTransaction, type Tx } from '../db/database';
import type { Database } from '../db/schema';
import { AppError } from '../errors/app-error';
import type { Actor, RequestContext } from './actor';
import { isPermission, isRole } from './roles';
import { decoyPasswordHash, digestToken, randomToken, verifyPassword } from './secrets';
import { toUserView, type UserView } from './users';

export interface SessionPolicy {
  readonly idleMinutes: number;
  readonly absoluteHours: number;
  /** Failed sign-ins per e-mail address within the window before further tries are refused. */
  readonly maxFailuresPerEmail: number;
  /** Failed sign-ins per client address within the window (guards against spraying many e-mails). */
  readonly maxFailuresPerClient: number;
  readonly failureWindowMinutes: number;
}

export const defaultSessionPolicy: SessionPolicy = {
  idleMinutes: 60,
  absoluteHours: 12,
  maxFailuresPerEmail: 5,
  maxFailuresPerClient: 30,
  failureWindowMinutes: 15,
};

export interface SignIn {
  readonly token: string;
  readonly user: UserView;
  readonly tenantId: string;
  readonly expiresAt: Date;
}

/**
 * Checks an e-mail and password and opens a session. Failed attempts are counted in
 * the database (every API process sees the same count); past the limit the answer is
 * 429 until the window has passed, whether or not the password is right.
 */
export async function signIn(
  db: Kysely<Database>,
  policy: SessionPolicy,
  input: { email: string; password: string; clientAddress: string; requestId: string },
): Promise<SignIn> {
  const email = input.email.trim().toLowerCase();
  await refuseIfThrottled(db, policy, email, input.clientAddress);
  const user = await db
    .selectFrom('users')
    .selectAll()
    .where(sql<string>`lower(email)`, '=', email)
    .executeTakeFirst();
  const passwordMatches = await verifyPassword(user?.password_hash ?? (await decoyPasswordHash()), input.password);
  const admitted = user !== undefined && passwordMatches && user.status === 'active' && user.roles.length > 0;
  await db.insertInto('login_attempts').values({ email, client_address: input.clientAddress, succeeded: admitted }).execute();
  if (!admitted || user === undefined) {
    throw new AppError('O2C_INVALID_CREDENTIALS', 'the e-mail address or password is wrong, or the account is disabled');
  }
  const token = randomToken();
  const now = new Date();
  const expiresAt = new Date(now.getTime() + policy.absoluteHours * 3_600_000);
  const sessionId = newId();
  await inTransaction(db, async (tx) => {
    await tx
      .insertInto('sessions')
      .values({
        tenant_id: user.tenant_id,
        id: sessionId,
        user_id: user.id,
        token_hash: digestToken(token),
        last_seen_at: now,
        absolute_expires_at: expiresAt,
        ended_at: null,
      })
      .execute();
    await tx.updateTable('users').set({ last_login_at: now }).where('tenant_id', '=', user.tenant_id).where('id', '=', user.id).execute();
    await recordAudit(
      tx,
      {
        actor: { tenantId: user.tenant_id, type: 'user', id: user.id, name: user.email, roles: [], permissions: [] },
        requestId: input.requestId,
      },
      { action: 'session.signed_in', entityType: 'session', entityId: sessionId },
    );
  });
  return { token, user: toUserView({ ...user, last_login_at: now }), tenantId: user.tenant_id, expiresAt };
}

async function refuseIfThrottled(db: Kysely<Database>, policy: SessionPolicy, email: string, clientAddress: string): Promise<void> {
  const since = new Date(Date.now() - policy.failureWindowMinutes * 60_000);
  const counts = await db
    .selectFrom('login_attempts')
    .select([
      sql<string>`count(*) filter (where email = ${email})`.as('per_email'),
      sql<string>`count(*) filter (where client_address = ${clientAddress})`.as('per_client'),
    ])
    .where('attempted_at', '>', since)
    .where('succeeded', '=', false)
    .where((where) => where.or([where('email', '=', email), where('client_address', '=', clientAddress)]))
    .executeTakeFirstOrThrow();
  if (Number(counts.per_email) >= policy.maxFailuresPerEmail || Number(counts.per_client) >= policy.maxFailuresPerClient) {
    throw new AppError(
      'O2C_TOO_MANY_ATTEMPTS',
      `too many failed sign-ins; wait ${policy.failureWindowMinutes} minutes before trying again`,
      [],
      { retryAfterSeconds: policy.failureWindowMinutes * 60 },
    );
  }
}

/**
 * Finds the live session of a cookie token. A session ends at its absolute expiry,
 * after `idleMinutes` without a request, on sign-out, or when its user is disabled.
 * Seeing the session again pushes the idle deadline (written at most once a minute).
 */
export async function resolveSession(db: Kysely<Database>, policy: SessionPolicy, token: string): Promise<Actor | null> {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', (join) => join.onRef('users.tenant_id', '=', 'sessions.tenant_id').onRef('users.id', '=', 'sessions.user_id'))
    .select([
      'sessions.tenant_id',
      'sessions.id as session_id',
      'sessions.last_seen_at',
      'sessions.absolute_expires_at',
      'sessions.ended_at',
      'users.id as user_id',
      'users.email',
      'users.roles',
      'users.permissions',
      'users.status',
    ])
    .where('sessions.token_hash', '=', digestToken(token))
    .executeTakeFirst();
  if (row === undefined || row.ended_at !== null || row.status !== 'active') return null;
  const now = Date.now();
  if (row.absolute_expires_at.getTime() <= now || row.last_seen_at.getTime() + policy.idleMinutes * 60_000 <= now) return null;
  if (now - row.last_seen_at.getTime() > 60_000) {
    await db
      .updateTable('sessions')
      .set({ last_seen_at: new Date(now) })
      .where('tenant_id', '=', row.tenant_id)
      .where('id', '=', row.session_id)
      .execute();
  }
  return {
    tenantId: row.tenant_id,
    type: 'user',
    id: row.user_id,
    name: row.email,
    roles: row.roles.filter(isRole),
    permissions: row.permissions.filter(isPermission),
    sessionId: row.session_id,
  };
}

/** Ends the caller's own session (sign-out), audited. */
export async function signOut(tx: Tx, context: RequestContext): Promise<void> {
  const { actor } = context;
  if (actor.sessionId === undefined) return;
  await tx
    .updateTable('sessions')
    .set({ ended_at: new Date() })
    .where('tenant_id', '=', actor.tenantId)
    .where('id', '=', actor.sessionId)
    .where('ended_at', 'is', null)
    .execute();
  await recordAudit(tx, context, { action: 'session.signed_out', entityType: 'session', entityId: actor.sessionId });
}
