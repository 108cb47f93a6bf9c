import { sql } from 'kysely';
import { isId, isKnownCurrency, newId, type BusinessDate } from '../../kernel';
import { recordAudit } from '../../platform/audit/audit';
import type { RequestContext } from '../../platform/auth/actor';
import type { Executor, Tx } from '../../platform/db/database';
import { AppError, invalidValue, notFound, versionConflict } from '../../platform/errors/app-error';
import { decodeCursor, toPage, type Page } from '../../platform/http/pagination';
import { overlapping, type Validity } from './catalog.rules';
import type { PriceListsTable } from './catalog.tables';
import { checkValidity } from './catalog.values';

/**
 * Price lists: a currency, a validity period, and per item a set of quantity
 * breaks (price-list-entries.service.ts). A default list prices every customer
 * who has no list of their own, or whose list does not price the item.
 */
export interface PriceListView {
  id: string;
  name: string;
  currency: string;
  validFrom: BusinessDate;
  validTo: BusinessDate | null;
  isDefault: boolean;
  active: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
}

type PriceListRow = Omit<PriceListsTable, 'tenant_id' | 'version' | 'created_at' | 'updated_at'> & {
  version: number;
  created_at: Date;
  updated_at: Date;
};

export const priceListColumns = ['id', 'name', 'currency', 'valid_from', 'valid_to', 'is_default', 'active', 'version', 'created_at', 'updated_at'] as const;

export function toPriceListView(row: PriceListRow): PriceListView {
  return {
    id: row.id,
    name: row.name,
    currency: row.currency,
    validFrom: row.valid_from,
    validTo: row.valid_to,
    isDefault: row.is_default,
    active: row.active,
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export interface NewPriceList {
  name: string;
  currency: string;
  validFrom: string;
  validTo?: string | null | undefined;
  isDefault?: boolean | undefined;
  active?: boolean | undefined;
}

async function refuseTakenName(executor: Executor, tenantId: string, name: string, exceptId: string | null): Promise<void> {
  let query = executor.selectFrom('price_lists').select('id').where('tenant_id', '=', tenantId).where(sql<string>`lower(name)`, '=', name.toLowerCase());
  if (exceptId !== null) query = query.where('id', '!=', exceptId);
  if ((await query.executeTakeFirst()) !== undefined) {
    throw new AppError('O2C_ALREADY_EXISTS', `a price list named "${name}" already exists`, [{ path: 'body.name', message: 'is already used by another price list' }]);
  }
}

/**
 * One active default list per currency on any day: a default list may follow
 * another (next year's prices), but their periods must not overlap, so the
 * fallback price is never ambiguous. An advisory lock per tenant and currency
 * makes two concurrent changes queue, so each sees the other's result.
 */
async function refuseOverlappingDefault(tx: Tx, tenantId: string, currency: string, validity: Validity, exceptId: string | null): Promise<void> {
  await sql`select pg_advisory_xact_lock(7400301, hashtext(${`${tenantId}:${currency}`}))`.execute(tx);
  let query = tx
    .selectFrom('price_lists')
    .select(priceListColumns)
    .where('tenant_id', '=', tenantId)
    .where('currency', '=', currency)
    .where('is_default', '=', true)
    .where('active', '=', true);
  if (exceptId !== null) query = query.where('id', '!=', exceptId);
  const others = (await query.execute()).map(toPriceListView);
  const clash = overlapping(validity, others);
  if (clash.length === 0) return;
  const names = clash.map((list) => `"${list.name}" (${list.validFrom} to ${list.validTo ?? 'open end'})`).join(', ');
  throw new AppError(
    'O2C_BUSINESS_RULE',
    `${currency} already has an active default price list for part of this period: ${names}. End that list first (validTo) or make this one not the default`,
    [{ path: 'body.isDefault', message: 'another active default list of this currency overlaps this period' }],
  );
}

export async function createPriceList(tx: Tx, context: RequestContext, input: NewPriceList): Promise<PriceListView> {
  const tenantId = context.actor.tenantId;
  if (!isKnownCurrency(input.currency)) throw invalidValue('body.currency', `"${input.currency}" is not an ISO 4217 currency code`);
  const validity = { validFrom: input.validFrom, validTo: input.validTo ?? null };
  checkValidity(validity);
  const name = input.name.trim();
  await refuseTakenName(tx, tenantId, name, null);
  const isDefault = input.isDefault ?? false;
  const active = input.active ?? true;
  if (isDefault && active) await refuseOverlappingDefault(tx, tenantId, input.currency, validity, null);
  const row = await tx
    .insertInto('price_lists')
    .values({
      tenant_id: tenantId,
      id: newId(),
      name,
      currency: input.currency,
      valid_from: validity.validFrom,
      valid_to: validity.validTo,
      is_default: isDefault,
      active,
    })
    .returning(priceListColumns)
    .executeTakeFirstOrThrow();
  const view = toPriceListView(row);
  await recordAudit(tx, context, { action: 'price_list.created', entityType: 'price_list', entityId: view.id, after: view });
  return view;
}

export interface PriceListChange {
  version: number;
  name?: string | undefined;
  validFrom?: string | undefined;
  validTo?: string | null | undefined;
  isDefault?: boolean | undefined;
  active?: boolean | undefined;
}

/** Changes a list; its currency stays, since its prices were checked against it. */
export async function updatePriceList(tx: Tx, context: RequestContext, id: string, change: PriceListChange): Promise<PriceListView> {
  const tenantId = context.actor.tenantId;
  const before = await lockPriceList(tx, tenantId, id);
  if (before.version !== change.version) throw versionConflict('price list', id, change.version);
  const validity = { validFrom: change.validFrom ?? before.validFrom, validTo: change.validTo === undefined ? before.validTo : change.validTo };
  checkValidity(validity);
  const name = change.name?.trim() ?? before.name;
  if (name !== before.name) await refuseTakenName(tx, tenantId, name, id);
  const isDefault = change.isDefault ?? before.isDefault;
  const active = change.active ?? before.active;
  if (isDefault && active) await refuseOverlappingDefault(tx, tenantId, before.currency, validity, id);
  const row = await tx
    .updateTable('price_lists')
    .set({
      name,
      valid_from: validity.validFrom,
      valid_to: validity.validTo,
      is_default: isDefault,
      active,
      version: before.version + 1,
      updated_at: new Date(),
    })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .returning(priceListColumns)
    .executeTakeFirstOrThrow();
  const after = toPriceListView(row);
  await recordAudit(tx, context, { action: 'price_list.updated', entityType: 'price_list', entityId: id, before, after });
  return after;
}

/** Reads a list with a row lock: changes to a list and to its entries queue behind each other. */
export async function lockPriceList(tx: Tx, tenantId: string, id: string): Promise<PriceListView> {
  const row = await tx.selectFrom('price_lists').select(priceListColumns).where('tenant_id', '=', tenantId).where('id', '=', id).forUpdate().executeTakeFirst();
  if (row === undefined) throw notFound('price list', id);
  return toPriceListView(row);
}

export async function getPriceList(executor: Executor, tenantId: string, id: string): Promise<PriceListView> {
  const row = await executor.selectFrom('price_lists').select(priceListColumns).where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
  if (row === undefined) throw notFound('price list', id);
  return toPriceListView(row);
}

export interface PriceListFilter {
  limit: number;
  cursor?: string | undefined;
  currency?: string | undefined;
  active?: boolean | undefined;
  isDefault?: boolean | undefined;
  search?: string | undefined;
  validOn?: BusinessDate | undefined;
}

export async function listPriceLists(executor: Executor, tenantId: string, filter: PriceListFilter): Promise<Page<PriceListView>> {
  let query = executor.selectFrom('price_lists').select(priceListColumns).where('tenant_id', '=', tenantId);
  if (filter.currency !== undefined) query = query.where('currency', '=', filter.currency);
  if (filter.active !== undefined) query = query.where('active', '=', filter.active);
  if (filter.isDefault !== undefined) query = query.where('is_default', '=', filter.isDefault);
  if (filter.search !== undefined && filter.search !== '') {
    query = query.where('name', 'ilike', `%${filter.search.replace(/[\\%_]/g, (character) => `\\${character}`)}%`);
  }
  if (filter.validOn !== undefined) {
    const date = filter.validOn;
    query = query.where('valid_from', '<=', date).where((where) => where.or([where('valid_to', 'is', null), where('valid_to', '>=', date)]));
  }
  if (filter.cursor !== undefined) query = query.where('id', '>', decodeCursor(filter.cursor, 1)[0]!);
  const rows = await query.orderBy('id').limit(filter.limit + 1).execute();
  return toPage(rows, filter.limit, toPriceListView, (row) => [row.id]);
}

/**
 * Whether the tenant has this price list (in this currency, when one is given):
 * the check another module makes before it assigns a list to a customer.
 */
export async function priceListExists(executor: Executor, tenantId: string, id: string, currency?: string): Promise<boolean> {
  if (!isId(id)) return false;
  let query = executor.selectFrom('price_lists').select('id').where('tenant_id', '=', tenantId).where('id', '=', id);
  if (currency !== undefined) query = query.where('currency', '=', currency);
  return (await query.executeTakeFirst()) !== undefined;
}

/** The id of the tenant's price list with this name (case-insensitive), or null. */
export async function findPriceListIdByName(executor: Executor, tenantId: string, name: string): Promise<string | null> {
  const row = await executor
    .selectFrom('price_lists')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where(sql<string>`lower(name)`, '=', name.trim().toLowerCase())
    .executeTakeFirst();
  return row?.id ?? null;
}
