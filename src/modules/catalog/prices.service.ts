import { Big, isId, type BusinessDate, type Decimal } from '../../kernel';
import type { Executor } from '../../platform/db/database';
import { resolvePrice, type PriceBreak, type PriceListFacts } from './catalog.rules';

/** Price resolution over the database: the candidates are read in one query, the pure rule decides. */

export interface PriceLineRequest {
  itemId: string;
  quantity: Decimal;
}

export interface PricesRequest {
  currency: string;
  date: BusinessDate;
  /** The customer's own price list, if they have one. */
  customerPriceListId: string | null;
  lines: readonly PriceLineRequest[];
}

export interface ResolvedUnitPrice {
  unitPrice: Decimal;
  priceListId: string;
  priceListName: string;
  /** The break that applied. */
  minQuantity: Decimal;
  /** Whether the customer's list or the default list priced the line. */
  source: 'customer' | 'default';
}

interface Candidate {
  list: PriceListFacts & { name: string };
  breaks: PriceBreak[];
}

/**
 * Prices many lines of one document (one currency, date and customer) with one
 * query, in the lines' order; null where no list prices the line's item.
 */
export async function resolveUnitPrices(executor: Executor, tenantId: string, request: PricesRequest): Promise<Array<ResolvedUnitPrice | null>> {
  const itemIds = [...new Set(request.lines.map((line) => line.itemId).filter((id) => isId(id)))];
  if (itemIds.length === 0) return request.lines.map(() => null);
  const customerListId = request.customerPriceListId !== null && isId(request.customerPriceListId) ? request.customerPriceListId : null;
  const date = request.date;
  const rows = await executor
    .selectFrom('price_list_entries as entry')
    .innerJoin('price_lists as list', (join) => join.onRef('list.tenant_id', '=', 'entry.tenant_id').onRef('list.id', '=', 'entry.price_list_id'))
    .select([
      'entry.item_id',
      'entry.min_quantity',
      'entry.unit_price',
      'list.id as list_id',
      'list.name',
      'list.currency',
      'list.valid_from',
      'list.valid_to',
      'list.is_default',
      'list.active',
    ])
    .where('entry.tenant_id', '=', tenantId)
    .where('entry.item_id', 'in', itemIds)
    .where('list.currency', '=', request.currency)
    .where('list.active', '=', true)
    .where('list.valid_from', '<=', date)
    .where((where) => where.or([where('list.valid_to', 'is', null), where('list.valid_to', '>=', date)]))
    .where((where) => (customerListId === null ? where('list.is_default', '=', true) : where.or([where('list.is_default', '=', true), where('list.id', '=', customerListId)])))
    .execute();

  const byItem = new Map<string, Map<string, Candidate>>();
  for (const row of rows) {
    const lists = byItem.get(row.item_id) ?? new Map<string, Candidate>();
    const candidate = lists.get(row.list_id) ?? {
      list: {
        id: row.list_id,
        name: row.name,
        currency: row.currency,
        validFrom: row.valid_from,
        validTo: row.valid_to,
        isDefault: row.is_default,
        active: row.active,
      },
      breaks: [],
    };
    candidate.breaks.push({ minQuantity: new Big(row.min_quantity), unitPrice: new Big(row.unit_price) });
    lists.set(row.list_id, candidate);
    byItem.set(row.item_id, lists);
  }

  return request.lines.map((line) => {
    const candidates = byItem.get(line.itemId);
    if (candidates === undefined) return null;
    const found = resolvePrice(
      [...candidates.values()].map((candidate) => candidate.list),
      (priceListId) => candidates.get(priceListId)?.breaks ?? [],
      { quantity: line.quantity, currency: request.currency, date, customerPriceListId: customerListId },
    );
    if (found === null) return null;
    return {
      unitPrice: found.unitPrice,
      priceListId: found.priceListId,
      priceListName: candidates.get(found.priceListId)!.list.name,
      minQuantity: found.minQuantity,
      source: found.source,
    };
  });
}

/** Prices one item; see resolveUnitPrices for documents with many lines. */
export async function resolveUnitPrice(
  executor: Executor,
  tenantId: string,
  request: { itemId: string; quantity: Decimal; currency: string; date: BusinessDate; customerPriceListId: string | null },
): Promise<ResolvedUnitPrice | null> {
  const [price] = await resolveUnitPrices(executor, tenantId, {
    currency: request.currency,
    date: request.date,
    customerPriceListId: request.customerPriceListId,
    lines: [{ itemId: request.itemId, quantity: request.quantity }],
  });
  return price ?? null;
}
