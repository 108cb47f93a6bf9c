import { newId } from '../../kernel';
import { recordAudit } from '../../platform/audit/audit';
import type { RequestContext } from '../../platform/auth/actor';
import type { Executor, Tx } from '../../platform/db/database';
import { AppError, invalidValue, notFound } from '../../platform/errors/app-error';
import { decodeCursor, encodeCursor, type Page } from '../../platform/http/pagination';
import { canonicalDecimal, readQuantity, readUnitPrice, unitPriceText } from './catalog.values';
import { getPriceList, lockPriceList } from './price-lists.service';

/**
 * An item's prices in a list: its quantity breaks. They are read and written per
 * item — PUT replaces all of an item's breaks at once — so a list never shows a
 * half-changed ladder.
 */
export interface PriceBreakView {
  /** The quantity from which the price applies ("0" or "1" is the base price). */
  minQuantity: string;
  unitPrice: string;
}

export interface ItemPricesView {
  priceListId: string;
  currency: string;
  itemId: string;
  sku: string;
  itemName: string;
  unit: string;
  /** Sorted by minQuantity. */
  breaks: PriceBreakView[];
}

export interface ItemPricesInput {
  itemId: string;
  breaks: ReadonlyArray<{ minQuantity: string; unitPrice: string }>;
}

/** The most breaks one item may have in one list. */
export const maxBreaksPerItem = 50;

async function itemFacts(executor: Executor, tenantId: string, itemId: string) {
  const item = await executor.selectFrom('items').select(['id', 'sku', 'name', 'unit']).where('tenant_id', '=', tenantId).where('id', '=', itemId).executeTakeFirst();
  if (item === undefined) throw notFound('item', itemId);
  return item;
}

async function breaksOf(executor: Executor, tenantId: string, priceListId: string, itemIds: readonly string[], currency: string) {
  if (itemIds.length === 0) return new Map<string, PriceBreakView[]>();
  const rows = await executor
    .selectFrom('price_list_entries')
    .select(['item_id', 'min_quantity', 'unit_price'])
    .where('tenant_id', '=', tenantId)
    .where('price_list_id', '=', priceListId)
    .where('item_id', 'in', [...itemIds])
    .orderBy('item_id')
    .orderBy('min_quantity')
    .execute();
  const byItem = new Map<string, PriceBreakView[]>();
  for (const row of rows) {
    const list = byItem.get(row.item_id) ?? [];
    list.push({ minQuantity: canonicalDecimal(row.min_quantity), unitPrice: unitPriceText(row.unit_price, currency) });
    byItem.set(row.item_id, list);
  }
  return byItem;
}

/** Replaces an item's breaks in a list. Each break is checked against the list's currency; nothing is rounded. */
export async function putItemPrices(tx: Tx, context: RequestContext, priceListId: string, input: ItemPricesInput): Promise<ItemPricesView> {
  const tenantId = context.actor.tenantId;
  const list = await lockPriceList(tx, tenantId, priceListId);
  const item = await itemFacts(tx, tenantId, input.itemId);
  if (input.breaks.length === 0 || input.breaks.length > maxBreaksPerItem) {
    throw invalidValue('body.breaks', `must have 1 to ${maxBreaksPerItem} breaks; remove an item's prices with DELETE`);
  }
  const seen = new Map<string, number>();
  const parsed = input.breaks.map((entry, index) => {
    const minQuantity = readQuantity(entry.minQuantity, `body.breaks.${index}.minQuantity`);
    const unitPrice = readUnitPrice(entry.unitPrice, list.currency, `body.breaks.${index}.unitPrice`);
    const key = minQuantity.toFixed();
    const earlier = seen.get(key);
    if (earlier !== undefined) throw invalidValue(`body.breaks.${index}.minQuantity`, `repeats the break of body.breaks.${earlier} (${key})`);
    seen.set(key, index);
    return { minQuantity, unitPrice };
  });
  const before = (await breaksOf(tx, tenantId, priceListId, [item.id], list.currency)).get(item.id) ?? [];
  await tx.deleteFrom('price_list_entries').where('tenant_id', '=', tenantId).where('price_list_id', '=', priceListId).where('item_id', '=', item.id).execute();
  await tx
    .insertInto('price_list_entries')
    .values(
      parsed.map((entry) => ({
        tenant_id: tenantId,
        id: newId(),
        price_list_id: priceListId,
        item_id: item.id,
        min_quantity: entry.minQuantity.toFixed(),
        unit_price: entry.unitPrice.toFixed(),
      })),
    )
    .execute();
  await touchPriceList(tx, tenantId, priceListId);
  const breaks = [...parsed]
    .sort((a, b) => a.minQuantity.cmp(b.minQuantity))
    .map((entry) => ({ minQuantity: entry.minQuantity.toFixed(), unitPrice: unitPriceText(entry.unitPrice.toFixed(), list.currency) }));
  const view = { priceListId, currency: list.currency, itemId: item.id, sku: item.sku, itemName: item.name, unit: item.unit, breaks };
  await recordAudit(tx, context, {
    action: 'price_list.prices_replaced',
    entityType: 'price_list',
    entityId: priceListId,
    before: { itemId: item.id, breaks: before },
    after: { itemId: item.id, breaks },
  });
  return view;
}

/** Removes all of an item's breaks from a list. */
export async function removeItemPrices(tx: Tx, context: RequestContext, priceListId: string, itemId: string): Promise<ItemPricesView> {
  const tenantId = context.actor.tenantId;
  const list = await lockPriceList(tx, tenantId, priceListId);
  const item = await itemFacts(tx, tenantId, itemId);
  const before = (await breaksOf(tx, tenantId, priceListId, [item.id], list.currency)).get(item.id) ?? [];
  if (before.length === 0) throw new AppError('O2C_NOT_FOUND', `price list ${priceListId} has no prices for item ${itemId}`);
  await tx.deleteFrom('price_list_entries').where('tenant_id', '=', tenantId).where('price_list_id', '=', priceListId).where('item_id', '=', item.id).execute();
  await touchPriceList(tx, tenantId, priceListId);
  await recordAudit(tx, context, {
    action: 'price_list.prices_removed',
    entityType: 'price_list',
    entityId: priceListId,
    before: { itemId: item.id, breaks: before },
  });
  return { priceListId, currency: list.currency, itemId: item.id, sku: item.sku, itemName: item.name, unit: item.unit, breaks: before };
}

/** A change to a list's prices is a change to the list: its version moves, so readers notice. */
async function touchPriceList(tx: Tx, tenantId: string, priceListId: string): Promise<void> {
  const current = await getPriceList(tx, tenantId, priceListId);
  await tx
    .updateTable('price_lists')
    .set({ version: current.version + 1, updated_at: new Date() })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', priceListId)
    .execute();
}

export interface ItemPricesFilter {
  limit: number;
  cursor?: string | undefined;
  itemId?: string | undefined;
}

/** A list's prices, one entry per item with all its breaks, paged by item. */
export async function listItemPrices(executor: Executor, tenantId: string, priceListId: string, filter: ItemPricesFilter): Promise<Page<ItemPricesView>> {
  const list = await getPriceList(executor, tenantId, priceListId);
  let query = executor
    .selectFrom('price_list_entries as entry')
    .innerJoin('items as item', (join) => join.onRef('item.tenant_id', '=', 'entry.tenant_id').onRef('item.id', '=', 'entry.item_id'))
    .select(['item.id', 'item.sku', 'item.name', 'item.unit'])
    .distinct()
    .where('entry.tenant_id', '=', tenantId)
    .where('entry.price_list_id', '=', priceListId);
  if (filter.itemId !== undefined) query = query.where('entry.item_id', '=', filter.itemId);
  if (filter.cursor !== undefined) query = query.where('item.id', '>', decodeCursor(filter.cursor, 1)[0]!);
  const items = await query.orderBy('item.id').limit(filter.limit + 1).execute();
  const pageItems = items.slice(0, filter.limit);
  const breaks = await breaksOf(executor, tenantId, priceListId, pageItems.map((item) => item.id), list.currency);
  return {
    items: pageItems.map((item) => ({
      priceListId,
      currency: list.currency,
      itemId: item.id,
      sku: item.sku,
      itemName: item.name,
      unit: item.unit,
      breaks: breaks.get(item.id) ?? [],
    })),
    nextCursor: items.length > filter.limit ? encodeCursor([pageItems.at(-1)!.id]) : null,
  };
}

