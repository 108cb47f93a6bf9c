import { newId } from '../../kernel';
import { recordAudit } from '../../platform/audit/audit';
import type { RequestContext } from '../../platform/auth/actor';
import type { Executor, Tx } from '../../platform/db/database';
import { AppError, invalidValue, notFound, versionConflict } from '../../platform/errors/app-error';
import { decodeCursor, toPage, type Page } from '../../platform/http/pagination';
import type { TaxCategoriesTable } from './catalog.tables';
import type { DomesticTaxCategory, TaxCategoryCode } from './tax.rules';

/** Tax categories: the tenant's keys ('standard', 'reduced' …) with their domestic EN 16931 category. */

export interface TaxCategoryView {
  id: string;
  code: TaxCategoryCode;
  name: string;
  domesticCategory: DomesticTaxCategory;
  exemptionReason: string | null;
  exemptionReasonCode: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

type CategoryRow = Omit<TaxCategoriesTable, 'tenant_id' | 'version' | 'created_at' | 'updated_at'> & {
  version: number;
  created_at: Date;
  updated_at: Date;
};

const categoryColumns = ['id', 'code', 'name', 'domestic_category', 'exemption_reason', 'exemption_reason_code', 'version', 'created_at', 'updated_at'] as const;

function toCategoryView(row: CategoryRow): TaxCategoryView {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    domesticCategory: row.domestic_category,
    exemptionReason: row.exemption_reason,
    exemptionReasonCode: row.exemption_reason_code,
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export interface NewTaxCategory {
  code: string;
  name: string;
  domesticCategory: DomesticTaxCategory;
  exemptionReason?: string | null | undefined;
  exemptionReasonCode?: string | null | undefined;
}

/** BR-E-10: an exempt category states its reason; the others have none. */
function checkExemption(domesticCategory: DomesticTaxCategory, reason: string | null, reasonCode: string | null): void {
  if (domesticCategory === 'E' && reason === null) {
    throw new AppError('O2C_BUSINESS_RULE', 'an exempt (E) tax category needs an exemption reason, printed on every invoice', [
      { path: 'body.exemptionReason', message: 'is required when domesticCategory is E' },
    ]);
  }
  if (domesticCategory !== 'E' && (reason !== null || reasonCode !== null)) {
    const path = reason !== null ? 'body.exemptionReason' : 'body.exemptionReasonCode';
    throw new AppError('O2C_BUSINESS_RULE', `only an exempt (E) tax category has an exemption reason; this one is ${domesticCategory}`, [
      { path, message: 'is only allowed when domesticCategory is E' },
    ]);
  }
}

export async function createTaxCategory(tx: Tx, context: RequestContext, input: NewTaxCategory): Promise<TaxCategoryView> {
  const tenantId = context.actor.tenantId;
  const reason = input.exemptionReason?.trim() || null;
  const reasonCode = input.exemptionReasonCode ?? null;
  checkExemption(input.domesticCategory, reason, reasonCode);
  const taken = await tx.selectFrom('tax_categories').select('id').where('tenant_id', '=', tenantId).where('code', '=', input.code).executeTakeFirst();
  if (taken !== undefined) {
    throw new AppError('O2C_ALREADY_EXISTS', `a tax category with code "${input.code}" already exists`, [{ path: 'body.code', message: 'is already used' }]);
  }
  const row = await tx
    .insertInto('tax_categories')
    .values({
      tenant_id: tenantId,
      id: newId(),
      code: input.code,
      name: input.name.trim(),
      domestic_category: input.domesticCategory,
      exemption_reason: reason,
      exemption_reason_code: reasonCode,
    })
    .returning(categoryColumns)
    .executeTakeFirstOrThrow();
  const view = toCategoryView(row);
  await recordAudit(tx, context, { action: 'tax_category.created', entityType: 'tax_category', entityId: view.id, after: view });
  return view;
}

export interface TaxCategoryChange {
  version: number;
  name?: string | undefined;
  exemptionReason?: string | null | undefined;
  exemptionReasonCode?: string | null | undefined;
}

/** Renames a category or changes its exemption reason; its code and domestic category stay (rates and items rely on them). */
export async function updateTaxCategory(tx: Tx, context: RequestContext, id: string, change: TaxCategoryChange): Promise<TaxCategoryView> {
  const tenantId = context.actor.tenantId;
  const row = await tx.selectFrom('tax_categories').select(categoryColumns).where('tenant_id', '=', tenantId).where('id', '=', id).forUpdate().executeTakeFirst();
  if (row === undefined) throw notFound('tax category', id);
  const before = toCategoryView(row);
  if (before.version !== change.version) throw versionConflict('tax category', id, change.version);
  const reason = change.exemptionReason === undefined ? before.exemptionReason : change.exemptionReason?.trim() || null;
  const reasonCode = change.exemptionReasonCode === undefined ? before.exemptionReasonCode : change.exemptionReasonCode;
  checkExemption(before.domesticCategory, reason, reasonCode);
  const updated = await tx
    .updateTable('tax_categories')
    .set({
      name: change.name?.trim() ?? before.name,
      exemption_reason: reason,
      exemption_reason_code: reasonCode,
      version: before.version + 1,
      updated_at: new Date(),
    })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .returning(categoryColumns)
    .executeTakeFirstOrThrow();
  const after = toCategoryView(updated);
  await recordAudit(tx, context, { action: 'tax_category.updated', entityType: 'tax_category', entityId: id, before, after });
  return after;
}

export async function listTaxCategories(
  executor: Executor,
  tenantId: string,
  filter: { limit: number; cursor?: string | undefined },
): Promise<Page<TaxCategoryView>> {
  let query = executor.selectFrom('tax_categories').select(categoryColumns).where('tenant_id', '=', tenantId);
  if (filter.cursor !== undefined) query = query.where('id', '>', decodeCursor(filter.cursor, 1)[0]!);
  const rows = await query.orderBy('id').limit(filter.limit + 1).execute();
  return toPage(rows, filter.limit, toCategoryView, (row) => [row.id]);
}

/** The tenant's tax categories by code, for the given codes. */
export async function getTaxCategoriesByCodes(executor: Executor, tenantId: string, codes: readonly string[]): Promise<Map<string, TaxCategoryView>> {
  const unique = [...new Set(codes)];
  if (unique.length === 0) return new Map();
  const rows = await executor.selectFrom('tax_categories').select(categoryColumns).where('tenant_id', '=', tenantId).where('code', 'in', unique).execute();
  return new Map(rows.map((row) => [row.code, toCategoryView(row)]));
}

/**
 * Locks the category, so that two changes to rates of one category queue and the
 * overlap check sees the other's result.
 */
export async function lockTaxCategory(tx: Tx, tenantId: string, code: string): Promise<TaxCategoryView> {
  const row = await tx.selectFrom('tax_categories').select(categoryColumns).where('tenant_id', '=', tenantId).where('code', '=', code).forUpdate().executeTakeFirst();
  if (row === undefined) throw invalidValue('body.taxCategoryCode', `"${code}" is not a tax category of this tenant`);
  return toCategoryView(row);
}
