import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import { newId } from '../../kernel';
import { recordAudit } from '../audit/audit';
import type { Executor, Tx } from '../db/database';
import type { Database } from '../db/schema';
import { AppError, notFound } from '../errors/app-error';
import { decodeCursor, toPage, type Page } from '../http/pagination';
import type { Actor, RequestContext } from './actor';
import { isPermission, isRole, type Permission, type Role } from './roles';
import { digestToken, randomToken, sameDigest } from './secrets';

/**
 * An API key reads `o2c_<prefix>_<secret>`. The prefix finds the row; only a
 * SHA-256 digest of the secret is stored, so the key is shown once, at creation.
 */
const keyPattern = /^o2c_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

export interface ApiKeyView {
  id: string;
  name: string;
  prefix: string;
  roles: Role[];
  permissions: Permission[];
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

interface ApiKeyRow {
  id: string;
  name: string;
  prefix: string;
  roles: string[];
  permissions: string[];
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

const keyColumns = ['id', 'name', 'prefix', 'roles', 'permissions', 'created_at', 'last_used_at', 'revoked_at'] as const;

function toApiKeyView(row: ApiKeyRow): ApiKeyView {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    roles: row.roles as Role[],
    permissions: row.permissions as Permission[],
    createdAt: row.created_at.toISOString(),
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
    revokedAt: row.revoked_at?.toISOString() ?? null,
  };
}

export async function createApiKey(
  tx: Tx,
  context: RequestContext,
  input: { name: string; roles: Role[]; permissions?: Permission[] | undefined },
): Promise<{ apiKey: ApiKeyView; secret: string }> {
  if (input.roles.length === 0) {
    throw new AppError('O2C_BUSINESS_RULE', 'an API key needs at least one role', [{ path: 'body.roles', message: 'must not be empty' }]);
  }
  const prefix = crypto.randomBytes(6).toString('hex');
  const secret = randomToken();
  const row = await tx
    .insertInto('api_keys')
    .values({
      tenant_id: context.actor.tenantId,
      id: newId(),
      name: input.name.trim(),
      prefix,
      secret_hash: digestToken(secret),
      roles: [...new Set(input.roles)].sort(),
      permissions: [...new Set(input.permissions ?? [])].sort(),
      created_by: context.actor.id,
      last_used_at: null,
      revoked_at: null,
    })
    .returning(keyColumns)
    .executeTakeFirstOrThrow();
  const apiKey = toApiKeyView(row);
  await recordAudit(tx, context, { action: 'api_key.created', entityType: 'api_key', entityId: apiKey.id, after: apiKey });
  return { apiKey, secret: `o2c_${prefix}_${secret}` };
}

export async function listApiKeys(
  executor: Executor,
  tenantId: string,
  filter: { includeRevoked: boolean; limit: number; cursor?: string },
): Promise<Page<ApiKeyView>> {
  let query = executor.selectFrom('api_keys').select(keyColumns).where('tenant_id', '=', tenantId);
  if (!filter.includeRevoked) query = query.where('revoked_at', 'is', null);
  if (filter.cursor !== undefined) query = query.where('id', '>', decodeCursor(filter.cursor, 1)[0]!);
  const rows = await query.orderBy('id').limit(filter.limit + 1).execute();
  return toPage(rows, filter.limit, toApiKeyView, (row) => [row.id]);
}

export async function revokeApiKey(tx: Tx, context: RequestContext, id: string): Promise<ApiKeyView> {
  const before = await tx
    .selectFrom('api_keys')
    .select(keyColumns)
    .where('tenant_id', '=', context.actor.tenantId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  if (before === undefined) throw notFound('API key', id);
  if (before.revoked_at !== null) {
    throw new AppError('O2C_STATE_CONFLICT', `API key ${id} was already revoked at ${before.revoked_at.toISOString()}`);
  }
  const row = await tx
    .updateTable('api_keys')
    .set({ revoked_at: new Date() })
    .where('tenant_id', '=', context.actor.tenantId)
    .where('id', '=', id)
    .returning(keyColumns)
    .executeTakeFirstOrThrow();
  const after = toApiKeyView(row);
  await recordAudit(tx, context, { action: 'api_key.revoked', entityType: 'api_key', entityId: id, before: toApiKeyView(before), after });
  return after;
}

/** The actor of a bearer key, or null when the key is malformed, unknown or revoked. */
export async function resolveApiKey(db: Kysely<Database>, presented: string): Promise<Actor | null> {
  const match = keyPattern.exec(presented);
  if (match === null) return null;
  const [, prefix, secret] = match as unknown as [string, string, string];
  const row = await db
    .selectFrom('api_keys')
    .select(['tenant_id', 'id', 'name', 'secret_hash', 'roles', 'permissions', 'revoked_at', 'last_used_at'])
    .where('prefix', '=', prefix)
    .executeTakeFirst();
  if (row === undefined || row.revoked_at !== null || !sameDigest(row.secret_hash, digestToken(secret))) return null;
  // Last use is informative; writing it at most once a minute keeps reads cheap.
  if (row.last_used_at === null || Date.now() - row.last_used_at.getTime() > 60_000) {
    await db.updateTable('api_keys').set({ last_used_at: new Date() }).where('tenant_id', '=', row.tenant_id).where('id', '=', row.id).execute();
  }
  return { tenantId: row.tenant_id, type: 'api_key', id: row.id, name: `key:${row.name}`, roles: row.roles.filter(isRole), permissions: row.permissions.filter(isPermission) };
}
