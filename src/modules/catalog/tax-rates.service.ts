import { Big, newId, type BusinessDate } from '../../kernel';
import { recordAudit } from '../../platform/audit/audit';
import type { RequestContext } from '../../platform/auth/actor';
import type { Executor, Tx } from '../../platform/db/database';
import { AppError, notFound, versionConflict } from '../../platform/errors/app-error';
import { decodeCursor, toPage, type Page } from '../../platform/http/pagination';
import { defaultTaxCategories, defaultTaxRates } from './catalog.defaults';
import { overlapping, type Validity } from './catalog.rules';
import type { TaxRatesTable } from './catalog.tables';
import { canonicalDecimal, checkValidity, readRatePercent } from './catalog.values';
import { lockTaxCategory, type TaxCategoryView } from './tax-categories.service';
import { rateRefusal, type TaxCategoryCode } from './tax.rules';

/** Tax rates per category, country and period; one rate per category and country on any day. */

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

type RateRow = Omit<TaxRatesTable, 'tenant_id' | 'version' | 'created_at' | 'updated_at'> & { version: number; created_at: Date; updated_at: Date };
const rateColumns = ['id', 'tax_category_code', 'country_code', 'rate_percent', 'valid_from', 'valid_to', 'version', 'created_at', 'updated_at'] as const;

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

export interface NewTaxRate {
  taxCategoryCode: string;
  countryCode: string;
  ratePercent: string;
  validFrom: string;
  validTo?: string | null | undefined;
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
  const category = await lockTaxCategory(tx, tenantId, input.taxCategoryCode);
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
  const category = await lockTaxCategory(tx, tenantId, current.tax_category_code);
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
export async function ratesOn(
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
