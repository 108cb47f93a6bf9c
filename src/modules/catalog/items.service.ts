import { sql } from 'kysely';
import { isId, newId } from '../../kernel';
import { recordAudit } from '../../platform/audit/audit';
import type { RequestContext } from '../../platform/auth/actor';
import type { Executor, Tx } from '../../platform/db/database';
import { AppError, invalidValue, notFound, versionConflict } from '../../platform/errors/app-error';
import { decodeCursor, toPage, type Page } from '../../platform/http/pagination';
import { defaultRevenueAccount, isKnownUnit } from './catalog.defaults';
import { skuKey, skuPattern } from './catalog.rules';
import type { ItemsTable } from './catalog.tables';
import type { ItemKind, TaxCategoryCode } from './tax.rules';
import { getTaxCategoriesByCodes } from './tax-categories.service';

/** Items: stocked goods and services. They are deactivated, never deleted, since documents refer to them. */
export interface ItemView {
  id: string;
  sku: string;
  name: string;
  description: string | null;
  kind: ItemKind;
  /** UN/ECE Recommendation 20 unit code: C62 piece, KGM, HUR … */
  unit: string;
  taxCategoryCode: TaxCategoryCode;
  revenueAccount: string;
  active: boolean;
  version: number;
}

type ItemRow = Omit<ItemsTable, 'tenant_id' | 'version' | 'created_at' | 'updated_at'> & { version: number };

const itemColumns = ['id', 'sku', 'name', 'description', 'kind', 'unit', 'tax_category_code', 'revenue_account', 'active', 'version'] as const;

function toItemView(row: ItemRow): ItemView {
  return {
    id: row.id,
    sku: row.sku,
    name: row.name,
    description: row.description,
    kind: row.kind,
    unit: row.unit,
    taxCategoryCode: row.tax_category_code,
    revenueAccount: row.revenue_account,
    active: row.active,
    version: row.version,
  };
}

export interface NewItem {
  sku: string;
  name: string;
  description?: string | null | undefined;
  kind: ItemKind;
  unit: string;
  taxCategoryCode: string;
  revenueAccount?: string | undefined;
  active?: boolean | undefined;
}

function checkSku(sku: string): void {
  if (!skuPattern.test(sku)) throw invalidValue('body.sku', 'must be 1–64 letters, digits, ".", "_" or "-", starting with a letter or digit');
}

function checkUnit(unit: string): void {
  if (!isKnownUnit(unit)) throw invalidValue('body.unit', `"${unit}" is not a supported UN/ECE Rec 20 unit code (see GET /api/v1/units)`);
}

async function checkTaxCategory(executor: Executor, tenantId: string, code: string): Promise<void> {
  const found = await getTaxCategoriesByCodes(executor, tenantId, [code]);
  if (!found.has(code)) throw invalidValue('body.taxCategoryCode', `"${code}" is not a tax category of this tenant (see GET /api/v1/tax-categories)`);
}

async function refuseTakenSku(executor: Executor, tenantId: string, sku: string, exceptId: string | null): Promise<void> {
  let query = executor.selectFrom('items').select(['id', 'sku']).where('tenant_id', '=', tenantId).where(sql<string>`upper(sku)`, '=', skuKey(sku));
  if (exceptId !== null) query = query.where('id', '!=', exceptId);
  const taken = await query.executeTakeFirst();
  if (taken !== undefined) {
    throw new AppError('O2C_ALREADY_EXISTS', `SKU "${sku}" is already used by item ${taken.id} ("${taken.sku}"); SKUs are unique regardless of case`, [
      { path: 'body.sku', message: 'is already used by another item' },
    ]);
  }
}

const trimmedOrNull = (text: string | null | undefined): string | null => text?.trim() || null;

export async function createItem(tx: Tx, context: RequestContext, input: NewItem): Promise<ItemView> {
  const tenantId = context.actor.tenantId;
  checkSku(input.sku);
  checkUnit(input.unit);
  await checkTaxCategory(tx, tenantId, input.taxCategoryCode);
  await refuseTakenSku(tx, tenantId, input.sku, null);
  const row = await tx
    .insertInto('items')
    .values({
      tenant_id: tenantId,
      id: newId(),
      sku: input.sku,
      name: input.name.trim(),
      description: trimmedOrNull(input.description),
      kind: input.kind,
      unit: input.unit,
      tax_category_code: input.taxCategoryCode,
      revenue_account: input.revenueAccount ?? defaultRevenueAccount,
      active: input.active ?? true,
    })
    .returning(itemColumns)
    .executeTakeFirstOrThrow();
  const view = toItemView(row);
  await recordAudit(tx, context, { action: 'item.created', entityType: 'item', entityId: view.id, after: view });
  return view;
}

export interface ItemChange {
  version: number;
  sku?: string | undefined;
  name?: string | undefined;
  description?: string | null | undefined;
  unit?: string | undefined;
  taxCategoryCode?: string | undefined;
  revenueAccount?: string | undefined;
  active?: boolean | undefined;
}

/**
 * Changes an item; `active: false` deactivates it (new order lines refuse it, existing
 * documents keep it). The kind stays as created: stock and documents depend on it.
 */
export async function updateItem(tx: Tx, context: RequestContext, id: string, change: ItemChange): Promise<ItemView> {
  const tenantId = context.actor.tenantId;
  const row = await tx.selectFrom('items').select(itemColumns).where('tenant_id', '=', tenantId).where('id', '=', id).forUpdate().executeTakeFirst();
  if (row === undefined) throw notFound('item', id);
  const before = toItemView(row);
  if (before.version !== change.version) throw versionConflict('item', id, change.version);
  if (change.sku !== undefined && change.sku !== before.sku) {
    checkSku(change.sku);
    await refuseTakenSku(tx, tenantId, change.sku, id);
  }
  if (change.unit !== undefined) checkUnit(change.unit);
  if (change.taxCategoryCode !== undefined && change.taxCategoryCode !== before.taxCategoryCode) {
    await checkTaxCategory(tx, tenantId, change.taxCategoryCode);
  }
  const updated = await tx
    .updateTable('items')
    .set({
      sku: change.sku ?? before.sku,
      name: change.name?.trim() ?? before.name,
      description: change.description === undefined ? before.description : trimmedOrNull(change.description),
      unit: change.unit ?? before.unit,
      tax_category_code: change.taxCategoryCode ?? before.taxCategoryCode,
      revenue_account: change.revenueAccount ?? before.revenueAccount,
      active: change.active ?? before.active,
      version: before.version + 1,
      updated_at: new Date(),
    })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .returning(itemColumns)
    .executeTakeFirstOrThrow();
  const after = toItemView(updated);
  const action = before.active && !after.active ? 'item.deactivated' : !before.active && after.active ? 'item.reactivated' : 'item.updated';
  await recordAudit(tx, context, { action, entityType: 'item', entityId: id, before, after });
  return after;
}

export async function getItem(executor: Executor, tenantId: string, id: string): Promise<ItemView> {
  const row = await executor.selectFrom('items').select(itemColumns).where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
  if (row === undefined) throw notFound('item', id);
  return toItemView(row);
}

export interface ItemFilter {
  limit: number;
  cursor?: string | undefined;
  kind?: ItemKind | undefined;
  active?: boolean | undefined;
  taxCategoryCode?: string | undefined;
  /** Part of the SKU or name, case-insensitive. */
  search?: string | undefined;
}

export async function listItems(executor: Executor, tenantId: string, filter: ItemFilter): Promise<Page<ItemView>> {
  let query = executor.selectFrom('items').select(itemColumns).where('tenant_id', '=', tenantId);
  if (filter.kind !== undefined) query = query.where('kind', '=', filter.kind);
  if (filter.active !== undefined) query = query.where('active', '=', filter.active);
  if (filter.taxCategoryCode !== undefined) query = query.where('tax_category_code', '=', filter.taxCategoryCode);
  if (filter.search !== undefined && filter.search !== '') {
    const pattern = `%${filter.search.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
    query = query.where((where) => where.or([where('sku', 'ilike', pattern), where('name', 'ilike', pattern)]));
  }
  if (filter.cursor !== undefined) query = query.where('id', '>', decodeCursor(filter.cursor, 1)[0]!);
  const rows = await query.orderBy('id').limit(filter.limit + 1).execute();
  return toPage(rows, filter.limit, toItemView, (row) => [row.id]);
}

/** The items with these ids (of this tenant), by id; ids that are not found are simply absent. */
export async function getItemsByIds(executor: Executor, tenantId: string, ids: readonly string[]): Promise<Map<string, ItemView>> {
  const wanted = [...new Set(ids.filter((id) => isId(id)))];
  if (wanted.length === 0) return new Map();
  const rows = await executor.selectFrom('items').select(itemColumns).where('tenant_id', '=', tenantId).where('id', 'in', wanted).execute();
  return new Map(rows.map((row) => [row.id, toItemView(row)]));
}

/** The items with these SKUs (any case), keyed by the upper-cased SKU; unknown SKUs are absent. */
export async function getItemsBySkus(executor: Executor, tenantId: string, skus: readonly string[]): Promise<Map<string, ItemView>> {
  const wanted = [...new Set(skus.map(skuKey))];
  if (wanted.length === 0) return new Map();
  const rows = await executor
    .selectFrom('items')
    .select(itemColumns)
    .where('tenant_id', '=', tenantId)
    .where(sql<string>`upper(sku)`, 'in', wanted)
    .execute();
  return new Map(rows.map((row) => [skuKey(row.sku), toItemView(row)]));
}
