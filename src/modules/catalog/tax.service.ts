import { Big, newId, type BusinessDate } from '../../kernel';
import { recordAudit } from '../../platform/audit/audit';
import type { RequestContext } from '../../platform/auth/actor';
import type { Executor, Tx } from '../../platform/db/database';
import { AppError, invalidValue, notFound, versionConflict } from '../../platform/errors/app-error';
import { decodeCursor, toPage, type Page } from '../../platform/http/pagination';
import { defaultTaxCategories, defaultTaxRates } from './catalog.defaults';
import { overlapping, type Validity } from './catalog.rules';
import type { TaxCategoriesTable, TaxRatesTable } from './catalog.tables';
import { canonicalDecimal, readBusinessDate, readRatePercent } from './catalog.values';
import type { ItemView } from './items.service';
import {
  determineTaxCategory,
  rateRefusal,
  type DomesticTaxCategory,
  type EnTaxCategory,
  type TaxCategoryCode,
  type TaxCategoryFacts,
} from './tax.rules';

/** Tax categories and rates: their administration, and the tax of a line. */

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

export interface TaxRateView {
  id: string;
  taxCategoryCode: TaxCategoryCode;
  countryCode: string;
  /** Canonical decimal text: "19", "5.5", "0". */
  ratePercent: string;
  validFrom: BusinessDate;
  validTo: BusinessDate | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

type CategoryRow = Omit<TaxCategoriesTable, 'tenant_id' | 'version' | 'created_at' | 'updated_at'> & {
  version: number;
  created_at: Date;
  updated_at: Date;
};
type RateRow = Omit<TaxRatesTable, 'tenant_id' | 'version' | 'created_at' | 'updated_at'> & { version: number; created_at: Date; updated_at: Date };

const categoryColumns = ['id', 'code', 'name', 'domestic_category', 'exemption_reason', 'exemption_reason_code', 'version', 'created_at', 'updated_at'] as const;
const rateColumns = ['id', 'tax_category_code', 'country_code', 'rate_percent', 'valid_from', 'valid_to', 'version', 'created_at', 'updated_at'] as const;

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

function toRateView(row: RateRow): TaxRateView {
  return {
    id: row.id,
    taxCategoryCode: row.tax_category_code,
    countryCode: row.country_code,
    ratePercent: canonicalDecimal(row.rate_percent),
    validFrom: row.valid_from,
    validTo: row.valid_to,
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

// ---------------------------------------------------------------- categories

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

// ---------------------------------------------------------------- rates

export interface NewTaxRate {
  taxCategoryCode: string;
  countryCode: string;
  ratePercent: string;
  validFrom: string;
  validTo?: string | null | undefined;
}

/**
 * Locks the category, so that two changes to rates of one category queue and the
 * overlap check sees the other's result.
 */
async function lockCategory(tx: Tx, tenantId: string, code: string): Promise<TaxCategoryView> {
  const row = await tx.selectFrom('tax_categories').select(categoryColumns).where('tenant_id', '=', tenantId).where('code', '=', code).forUpdate().executeTakeFirst();
  if (row === undefined) throw invalidValue('body.taxCategoryCode', `"${code}" is not a tax category of this tenant`);
  return toCategoryView(row);
}

function checkRate(category: TaxCategoryView, ratePercent: string): string {
  const rate = readRatePercent(ratePercent, 'body.ratePercent');
  const refusal = rateRefusal(category.domesticCategory, rate.eq(new Big('0')));
  if (refusal !== null) {
    throw new AppError('O2C_BUSINESS_RULE', `tax category "${category.code}" is ${category.domesticCategory}: ${refusal}`, [
      { path: 'body.ratePercent', message: refusal },
    ]);
  }
  return rate.toFixed();
}

function checkValidity(validity: Validity): void {
  readBusinessDate(validity.validFrom, 'body.validFrom');
  if (validity.validTo !== null) {
    readBusinessDate(validity.validTo, 'body.validTo');
    if (validity.validTo < validity.validFrom) throw invalidValue('body.validTo', `must not be before validFrom (${validity.validFrom})`);
  }
}

/** One category and country has one rate on any day: a new or changed period must not overlap another. */
async function refuseOverlap(tx: Tx, tenantId: string, code: string, country: string, validity: Validity, exceptId: string | null): Promise<void> {
  let query = tx.selectFrom('tax_rates').select(rateColumns).where('tenant_id', '=', tenantId).where('tax_category_code', '=', code).where('country_code', '=', country);
  if (exceptId !== null) query = query.where('id', '!=', exceptId);
  const others = (await query.orderBy('valid_from').execute()).map(toRateView);
  const clash = overlapping(validity, others);
  if (clash.length === 0) return;
  const periods = clash.map((rate) => `${rate.ratePercent} % from ${rate.validFrom} ${rate.validTo === null ? 'on' : `to ${rate.validTo}`} (${rate.id})`);
  throw new AppError(
    'O2C_BUSINESS_RULE',
    `tax category "${code}" already has a rate in ${country} for part of this period: ${periods.join('; ')}. End that rate first (set its validTo) or choose a period after it`,
    [{ path: 'body.validFrom', message: 'overlaps an existing rate of this category and country' }],
  );
}

export async function createTaxRate(tx: Tx, context: RequestContext, input: NewTaxRate): Promise<TaxRateView> {
  const tenantId = context.actor.tenantId;
  const category = await lockCategory(tx, tenantId, input.taxCategoryCode);
  const ratePercent = checkRate(category, input.ratePercent);
  const validity = { validFrom: input.validFrom, validTo: input.validTo ?? null };
  checkValidity(validity);
  await refuseOverlap(tx, tenantId, category.code, input.countryCode, validity, null);
  const row = await tx
    .insertInto('tax_rates')
    .values({
      tenant_id: tenantId,
      id: newId(),
      tax_category_code: category.code,
      country_code: input.countryCode,
      rate_percent: ratePercent,
      valid_from: validity.validFrom,
      valid_to: validity.validTo,
    })
    .returning(rateColumns)
    .executeTakeFirstOrThrow();
  const view = toRateView(row);
  await recordAudit(tx, context, { action: 'tax_rate.created', entityType: 'tax_rate', entityId: view.id, after: view });
  return view;
}

export interface TaxRateChange {
  version: number;
  ratePercent?: string | undefined;
  validFrom?: string | undefined;
  validTo?: string | null | undefined;
}

/**
 * Changes a rate's percentage or period — typically ending it (validTo) before a
 * new rate starts. Documents already written keep the rate stored on their lines.
 */
export async function updateTaxRate(tx: Tx, context: RequestContext, id: string, change: TaxRateChange): Promise<TaxRateView> {
  const tenantId = context.actor.tenantId;
  const current = await tx.selectFrom('tax_rates').select(['tax_category_code']).where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
  if (current === undefined) throw notFound('tax rate', id);
  const category = await lockCategory(tx, tenantId, current.tax_category_code);
  const row = await tx.selectFrom('tax_rates').select(rateColumns).where('tenant_id', '=', tenantId).where('id', '=', id).forUpdate().executeTakeFirstOrThrow();
  const before = toRateView(row);
  if (before.version !== change.version) throw versionConflict('tax rate', id, change.version);
  const ratePercent = change.ratePercent === undefined ? before.ratePercent : checkRate(category, change.ratePercent);
  const validity = { validFrom: change.validFrom ?? before.validFrom, validTo: change.validTo === undefined ? before.validTo : change.validTo };
  checkValidity(validity);
  await refuseOverlap(tx, tenantId, category.code, before.countryCode, validity, id);
  const updated = await tx
    .updateTable('tax_rates')
    .set({
      rate_percent: ratePercent,
      valid_from: validity.validFrom,
      valid_to: validity.validTo,
      version: before.version + 1,
      updated_at: new Date(),
    })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .returning(rateColumns)
    .executeTakeFirstOrThrow();
  const after = toRateView(updated);
  await recordAudit(tx, context, { action: 'tax_rate.updated', entityType: 'tax_rate', entityId: id, before, after });
  return after;
}

export interface TaxRateFilter {
  limit: number;
  cursor?: string | undefined;
  taxCategoryCode?: string | undefined;
  countryCode?: string | undefined;
  validOn?: BusinessDate | undefined;
}

export async function listTaxRates(executor: Executor, tenantId: string, filter: TaxRateFilter): Promise<Page<TaxRateView>> {
  let query = executor.selectFrom('tax_rates').select(rateColumns).where('tenant_id', '=', tenantId);
  if (filter.taxCategoryCode !== undefined) query = query.where('tax_category_code', '=', filter.taxCategoryCode);
  if (filter.countryCode !== undefined) query = query.where('country_code', '=', filter.countryCode);
  if (filter.validOn !== undefined) {
    const date = filter.validOn;
    query = query.where('valid_from', '<=', date).where((where) => where.or([where('valid_to', 'is', null), where('valid_to', '>=', date)]));
  }
  if (filter.cursor !== undefined) query = query.where('id', '>', decodeCursor(filter.cursor, 1)[0]!);
  const rows = await query.orderBy('id').limit(filter.limit + 1).execute();
  return toPage(rows, filter.limit, toRateView, (row) => [row.id]);
}

export async function getTaxRate(executor: Executor, tenantId: string, id: string): Promise<TaxRateView> {
  const row = await executor.selectFrom('tax_rates').select(rateColumns).where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
  if (row === undefined) throw notFound('tax rate', id);
  return toRateView(row);
}

/** The rates in force on `date` for the given (category, country) pairs, in one query, keyed "code|country". */
async function ratesOn(
  executor: Executor,
  tenantId: string,
  keys: ReadonlyArray<{ code: string; country: string }>,
  date: BusinessDate,
): Promise<Map<string, string>> {
  if (keys.length === 0) return new Map();
  const rows = await executor
    .selectFrom('tax_rates')
    .select(['tax_category_code', 'country_code', 'rate_percent'])
    .where('tenant_id', '=', tenantId)
    .where('tax_category_code', 'in', [...new Set(keys.map((key) => key.code))])
    .where('country_code', 'in', [...new Set(keys.map((key) => key.country))])
    .where('valid_from', '<=', date)
    .where((where) => where.or([where('valid_to', 'is', null), where('valid_to', '>=', date)]))
    .execute();
  return new Map(rows.map((row) => [`${row.tax_category_code}|${row.country_code}`, canonicalDecimal(row.rate_percent)]));
}

// ---------------------------------------------------------------- the tax of a line

export interface LineTaxInput {
  sellerCountry: string;
  buyerCountry: string;
  buyerVatId: string | null;
  date: BusinessDate;
}

export interface LineTax {
  categoryCode: EnTaxCategory;
  /** Canonical decimal text: "19", "5.5", "0". */
  ratePercent: string;
  exemptionReasonCode: string | null;
  exemptionReason: string | null;
}

/**
 * The VAT category and rate of each item sold from `sellerCountry` to the buyer on
 * `date`, in the items' order: two queries however many items. A missing rate
 * answers O2C_TAX_RATE_MISSING naming category, country and date.
 */
export async function determineLineTaxes(
  executor: Executor,
  tenantId: string,
  input: LineTaxInput & { items: readonly ItemView[] },
): Promise<LineTax[]> {
  const categories = await getTaxCategoriesByCodes(
    executor,
    tenantId,
    input.items.map((item) => item.taxCategoryCode),
  );
  const determinations = input.items.map((item) => {
    const category = categories.get(item.taxCategoryCode);
    if (category === undefined) throw new Error(`item ${item.id} names tax category "${item.taxCategoryCode}", which does not exist`);
    const facts: TaxCategoryFacts = category;
    return {
      category,
      ...determineTaxCategory({
        itemKind: item.kind,
        taxCategory: facts,
        sellerCountry: input.sellerCountry,
        buyerCountry: input.buyerCountry,
        buyerVatId: input.buyerVatId,
      }),
    };
  });
  const needed = determinations.flatMap((found) => (found.rateCountry === null ? [] : [{ code: found.category.code, country: found.rateCountry }]));
  const rates = await ratesOn(executor, tenantId, needed, input.date);
  return determinations.map((found) => {
    let ratePercent = '0';
    if (found.rateCountry !== null) {
      const rate = rates.get(`${found.category.code}|${found.rateCountry}`);
      if (rate === undefined) {
        throw new AppError(
          'O2C_TAX_RATE_MISSING',
          `no tax rate for category "${found.category.code}" in ${found.rateCountry} on ${input.date}; add one under /api/v1/tax-rates`,
        );
      }
      ratePercent = rate;
    }
    return {
      categoryCode: found.categoryCode,
      ratePercent,
      exemptionReasonCode: found.exemptionReasonCode,
      exemptionReason: found.exemptionReason,
    };
  });
}

export async function determineLineTax(executor: Executor, tenantId: string, input: LineTaxInput & { item: ItemView }): Promise<LineTax> {
  const [tax] = await determineLineTaxes(executor, tenantId, { ...input, items: [input.item] });
  return tax!;
}

// ---------------------------------------------------------------- tenant defaults

/** Gives a new tenant the default tax categories and the member states' rates (catalog.defaults.ts). */
export async function installTaxDefaults(tx: Tx, context: RequestContext): Promise<void> {
  const tenantId = context.actor.tenantId;
  await tx
    .insertInto('tax_categories')
    .values(
      defaultTaxCategories.map((category) => ({
        tenant_id: tenantId,
        id: newId(),
        code: category.code,
        name: category.name,
        domestic_category: category.domesticCategory,
        exemption_reason: category.exemptionReason,
        exemption_reason_code: category.exemptionReasonCode,
      })),
    )
    .execute();
  await tx
    .insertInto('tax_rates')
    .values(
      defaultTaxRates.map((rate) => ({
        tenant_id: tenantId,
        id: newId(),
        tax_category_code: rate.taxCategoryCode,
        country_code: rate.countryCode,
        rate_percent: rate.ratePercent,
        valid_from: rate.validFrom,
        valid_to: rate.validTo,
      })),
    )
    .execute();
  await recordAudit(tx, context, {
    action: 'tax_defaults.installed',
    entityType: 'tenant',
    entityId: tenantId,
    after: { categories: defaultTaxCategories.map((category) => category.code), rates: defaultTaxRates.length },
  });
}
