import { newId } from '../../kernel';
import type { RequestContext } from '../../platform/auth/actor';
import { recordAudit } from '../../platform/audit/audit';
import type { Executor, Tx } from '../../platform/db/database';
import { AppError, notFound, versionConflict } from '../../platform/errors/app-error';
import './inventory.tables';

export interface WarehouseView {
  id: string;
  code: string;
  name: string;
  countryCode: string;
  isDefault: boolean;
  active: boolean;
  version: number;
}

const columns = ['id', 'code', 'name', 'country_code', 'is_default', 'active', 'version'] as const;

function toView(row: { id: string; code: string; name: string; country_code: string; is_default: boolean; active: boolean; version: number }): WarehouseView {
  return { id: row.id, code: row.code, name: row.name, countryCode: row.country_code, isDefault: row.is_default, active: row.active, version: row.version };
}

export async function listWarehouses(executor: Executor, tenantId: string): Promise<WarehouseView[]> {
  const rows = await executor.selectFrom('warehouses').select(columns).where('tenant_id', '=', tenantId).orderBy('code').execute();
  return rows.map(toView);
}

export async function getWarehouse(executor: Executor, tenantId: string, id: string): Promise<WarehouseView> {
  const row = await executor.selectFrom('warehouses').select(columns).where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
  if (row === undefined) throw notFound('warehouse', id);
  return toView(row);
}

/** The warehouse orders ship from unless they name another. */
export async function getDefaultWarehouse(executor: Executor, tenantId: string): Promise<WarehouseView | undefined> {
  const row = await executor.selectFrom('warehouses').select(columns).where('tenant_id', '=', tenantId).where('is_default', '=', true).executeTakeFirst();
  return row === undefined ? undefined : toView(row);
}

export async function createWarehouse(
  tx: Tx,
  context: RequestContext,
  input: { code: string; name: string; countryCode: string; isDefault?: boolean | undefined },
): Promise<WarehouseView> {
  const tenantId = context.actor.tenantId;
  const code = input.code.toUpperCase();
  const taken = await tx.selectFrom('warehouses').select('id').where('tenant_id', '=', tenantId).where('code', '=', code).executeTakeFirst();
  if (taken !== undefined) {
    throw new AppError('O2C_ALREADY_EXISTS', `a warehouse with code ${code} already exists`, [{ path: 'body.code', message: 'is already used' }]);
  }
  if (input.isDefault === true) await clearDefault(tx, tenantId);
  const row = await tx
    .insertInto('warehouses')
    .values({ tenant_id: tenantId, id: newId(), code, name: input.name.trim(), country_code: input.countryCode, is_default: input.isDefault ?? false })
    .returning(columns)
    .executeTakeFirstOrThrow();
  const view = toView(row);
  await recordAudit(tx, context, { action: 'warehouse.created', entityType: 'warehouse', entityId: view.id, after: view });
  return view;
}

export async function updateWarehouse(
  tx: Tx,
  context: RequestContext,
  id: string,
  change: { version: number; name?: string | undefined; isDefault?: boolean | undefined; active?: boolean | undefined },
): Promise<WarehouseView> {
  const tenantId = context.actor.tenantId;
  const beforeRow = await tx.selectFrom('warehouses').select(columns).where('tenant_id', '=', tenantId).where('id', '=', id).forUpdate().executeTakeFirst();
  if (beforeRow === undefined) throw notFound('warehouse', id);
  const before = toView(beforeRow);
  if (before.version !== change.version) throw versionConflict('warehouse', id, change.version);
  if (change.active === false && (change.isDefault ?? before.isDefault)) {
    throw new AppError('O2C_BUSINESS_RULE', 'the default warehouse cannot be deactivated; make another warehouse the default first');
  }
  if (change.isDefault === true && !before.isDefault) await clearDefault(tx, tenantId);
  const row = await tx
    .updateTable('warehouses')
    .set({
      name: change.name?.trim() ?? before.name,
      is_default: change.isDefault ?? before.isDefault,
      active: change.active ?? before.active,
      version: before.version + 1,
      updated_at: new Date(),
    })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .returning(columns)
    .executeTakeFirstOrThrow();
  const after = toView(row);
  await recordAudit(tx, context, { action: 'warehouse.updated', entityType: 'warehouse', entityId: id, before, after });
  return after;
}

async function clearDefault(tx: Tx, tenantId: string): Promise<void> {
  await tx.updateTable('warehouses').set({ is_default: false, updated_at: new Date() }).where('tenant_id', '=', tenantId).where('is_default', '=', true).execute();
}
