import { sql } from 'kysely';
import { newId } from '../../kernel';
import { recordAudit } from '../audit/audit';
import type { Executor, Tx } from '../db/database';
import { AppError, notFound, versionConflict } from '../errors/app-error';
import { decodeCursor, toPage, type Page } from '../http/pagination';
import type { RequestContext } from './actor';
import type { Permission, Role } from './roles';
import { hashPassword, minimumPasswordLength, verifyPassword } from './secrets';

export interface UserView {
  id: string;
  email: string;
  displayName: string;
  roles: Role[];
  permissions: Permission[];
  status: 'active' | 'disabled';
  version: number;
  createdAt: string;
  lastLoginAt: string | null;
}

interface UserRow {
  id: string;
  email: string;
  display_name: string;
  roles: string[];
  permissions: string[];
  status: 'active' | 'disabled';
  version: number;
  created_at: Date;
  last_login_at: Date | null;
}

const userColumns = ['id', 'email', 'display_name', 'roles', 'permissions', 'status', 'version', 'created_at', 'last_login_at'] as const;

export function toUserView(row: UserRow): UserView {
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    roles: row.roles as Role[],
    permissions: row.permissions as Permission[],
    status: row.status,
    version: row.version,
    createdAt: row.created_at.toISOString(),
    lastLoginAt: row.last_login_at?.toISOString() ?? null,
  };
}

export interface NewUser {
  email: string;
  displayName: string;
  password: string;
  roles: Role[];
  permissions?: Permission[] | undefined;
}

function checkPassword(password: string, path = 'body.password'): void {
  if (password.length < minimumPasswordLength) {
    throw new AppError('O2C_BUSINESS_RULE', `the password must have at least ${minimumPasswordLength} characters`, [
      { path, message: `must have at least ${minimumPasswordLength} characters` },
    ]);
  }
}

export async function createUser(tx: Tx, context: RequestContext, input: NewUser): Promise<UserView> {
  checkPassword(input.password);
  const email = input.email.trim().toLowerCase();
  const taken = await tx
    .selectFrom('users')
    .select('id')
    .where(sql<string>`lower(email)`, '=', email)
    .executeTakeFirst();
  if (taken !== undefined) {
    throw new AppError('O2C_ALREADY_EXISTS', `a user with e-mail ${email} already exists`, [
      { path: 'body.email', message: 'is already used by another user' },
    ]);
  }
  const row = await tx
    .insertInto('users')
    .values({
      tenant_id: context.actor.tenantId,
      id: newId(),
      email,
      display_name: input.displayName.trim(),
      password_hash: await hashPassword(input.password),
      roles: uniqueRoles(input.roles),
      permissions: [...new Set(input.permissions ?? [])].sort(),
      status: 'active',
      last_login_at: null,
    })
    .returning(userColumns)
    .executeTakeFirstOrThrow();
  const view = toUserView(row);
  await recordAudit(tx, context, { action: 'user.created', entityType: 'user', entityId: view.id, after: view });
  return view;
}

export async function getUser(executor: Executor, tenantId: string, id: string): Promise<UserView> {
  const row = await executor
    .selectFrom('users')
    .select(userColumns)
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (row === undefined) throw notFound('user', id);
  return toUserView(row);
}

export interface UserFilter {
  status?: 'active' | 'disabled';
  role?: Role;
  search?: string;
  limit: number;
  cursor?: string;
}

export async function listUsers(executor: Executor, tenantId: string, filter: UserFilter): Promise<Page<UserView>> {
  let query = executor.selectFrom('users').select(userColumns).where('tenant_id', '=', tenantId);
  if (filter.status !== undefined) query = query.where('status', '=', filter.status);
  if (filter.role !== undefined) query = query.where(sql<boolean>`${filter.role} = any(roles)`);
  if (filter.search !== undefined && filter.search !== '') {
    const pattern = `%${filter.search.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
    query = query.where((where) => where.or([where('email', 'ilike', pattern), where('display_name', 'ilike', pattern)]));
  }
  if (filter.cursor !== undefined) {
    const [afterId] = decodeCursor(filter.cursor, 1) as [string];
    query = query.where('id', '>', afterId);
  }
  const rows = await query.orderBy('id').limit(filter.limit + 1).execute();
  return toPage(rows, filter.limit, toUserView, (row) => [row.id]);
}

export interface UserChange {
  version: number;
  displayName?: string | undefined;
  roles?: Role[] | undefined;
  permissions?: Permission[] | undefined;
  status?: 'active' | 'disabled' | undefined;
}

export async function updateUser(tx: Tx, context: RequestContext, id: string, change: UserChange): Promise<UserView> {
  const tenantId = context.actor.tenantId;
  const before = await lockUser(tx, tenantId, id);
  if (before.version !== change.version) throw versionConflict('user', id, change.version);
  const roles = change.roles === undefined ? before.roles : uniqueRoles(change.roles);
  const status = change.status ?? before.status;
  const losesAdmin = before.roles.includes('admin') && before.status === 'active' && (!roles.includes('admin') || status !== 'active');
  if (losesAdmin) await refuseIfLastAdmin(tx, tenantId, id);
  const row = await tx
    .updateTable('users')
    .set({
      display_name: change.displayName?.trim() ?? before.displayName,
      roles,
      permissions: change.permissions === undefined ? before.permissions : [...new Set(change.permissions)].sort(),
      status,
      version: before.version + 1,
      updated_at: new Date(),
    })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .returning(userColumns)
    .executeTakeFirstOrThrow();
  const after = toUserView(row);
  // Losing access ends the way in: a disabled user's sessions stop at once.
  if (status === 'disabled' || roles.length === 0) await endSessionsOf(tx, tenantId, id);
  await recordAudit(tx, context, { action: 'user.updated', entityType: 'user', entityId: id, before, after });
  return after;
}

/** An administrator sets a new password; the user's sessions end. */
export async function resetPassword(tx: Tx, context: RequestContext, id: string, password: string): Promise<void> {
  checkPassword(password);
  await lockUser(tx, context.actor.tenantId, id);
  await tx
    .updateTable('users')
    .set({ password_hash: await hashPassword(password), updated_at: new Date(), version: sql`version + 1` })
    .where('tenant_id', '=', context.actor.tenantId)
    .where('id', '=', id)
    .execute();
  await endSessionsOf(tx, context.actor.tenantId, id);
  await recordAudit(tx, context, { action: 'user.password_reset', entityType: 'user', entityId: id });
}

/** A signed-in user changes their own password; their other sessions end. */
export async function changeOwnPassword(tx: Tx, context: RequestContext, currentPassword: string, newPassword: string): Promise<void> {
  const { actor } = context;
  if (actor.type !== 'user' || actor.id === null) {
    throw new AppError('O2C_FORBIDDEN', 'only a signed-in user has a password to change');
  }
  checkPassword(newPassword, 'body.newPassword');
  const row = await tx
    .selectFrom('users')
    .select('password_hash')
    .where('tenant_id', '=', actor.tenantId)
    .where('id', '=', actor.id)
    .forUpdate()
    .executeTakeFirstOrThrow();
  if (!(await verifyPassword(row.password_hash, currentPassword))) {
    throw new AppError('O2C_BUSINESS_RULE', 'the current password is wrong', [{ path: 'body.currentPassword', message: 'is wrong' }]);
  }
  await tx
    .updateTable('users')
    .set({ password_hash: await hashPassword(newPassword), updated_at: new Date(), version: sql`version + 1` })
    .where('tenant_id', '=', actor.tenantId)
    .where('id', '=', actor.id)
    .execute();
  let others = tx
    .updateTable('sessions')
    .set({ ended_at: new Date() })
    .where('tenant_id', '=', actor.tenantId)
    .where('user_id', '=', actor.id)
    .where('ended_at', 'is', null);
  if (actor.sessionId !== undefined) others = others.where('id', '!=', actor.sessionId);
  await others.execute();
  await recordAudit(tx, context, { action: 'user.password_changed', entityType: 'user', entityId: actor.id });
}

async function lockUser(tx: Tx, tenantId: string, id: string): Promise<UserView> {
  const row = await tx
    .selectFrom('users')
    .select(userColumns)
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  if (row === undefined) throw notFound('user', id);
  return toUserView(row);
}

async function refuseIfLastAdmin(tx: Tx, tenantId: string, leavingId: string): Promise<void> {
  // Locking every active admin row makes two admins demoting each other queue up.
  const admins = await tx
    .selectFrom('users')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('status', '=', 'active')
    .where(sql<boolean>`'admin' = any(roles)`)
    .orderBy('id')
    .forUpdate()
    .execute();
  if (admins.every((admin) => admin.id === leavingId)) {
    throw new AppError('O2C_LAST_ADMIN', 'this is the last active administrator; make another user admin first');
  }
}

export async function endSessionsOf(executor: Executor, tenantId: string, userId: string): Promise<void> {
  await executor
    .updateTable('sessions')
    .set({ ended_at: new Date() })
    .where('tenant_id', '=', tenantId)
    .where('user_id', '=', userId)
    .where('ended_at', 'is', null)
    .execute();
}

function uniqueRoles(list: readonly Role[]): Role[] {
  return [...new Set(list)].sort();
}
