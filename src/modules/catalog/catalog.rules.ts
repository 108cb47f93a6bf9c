import type { BusinessDate, Decimal } from '../../kernel';

/**
 * Pure rules of the catalog other than tax: SKUs, validity periods, and which
 * price list entry prices a line. No database, no clock: dates come in.
 */

export const skuPattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** SKUs are compared without regard to case; this is the form they are matched in. */
export function skuKey(sku: string): string {
  return sku.toUpperCase();
}

/** A period of calendar days, both ends included; an open end (null) runs forever. */
export interface Validity {
  readonly validFrom: BusinessDate;
  readonly validTo: BusinessDate | null;
}

export function isValidOn(validity: Validity, date: BusinessDate): boolean {
  return validity.validFrom <= date && (validity.validTo === null || date <= validity.validTo);
}

/** Two periods overlap when each starts on or before the other ends. */
export function validitiesOverlap(a: Validity, b: Validity): boolean {
  const aStartsBeforeBEnds = b.validTo === null || a.validFrom <= b.validTo;
  const bStartsBeforeAEnds = a.validTo === null || b.validFrom <= a.validTo;
  return aStartsBeforeBEnds && bStartsBeforeAEnds;
}

/** The periods among `others` that overlap `candidate`. */
export function overlapping<T extends Validity>(candidate: Validity, others: readonly T[]): T[] {
  return others.filter((other) => validitiesOverlap(candidate, other));
}

export interface PriceListFacts extends Validity {
  readonly id: string;
  readonly currency: string;
  readonly isDefault: boolean;
  readonly active: boolean;
}

export interface PriceBreak {
  readonly minQuantity: Decimal;
  readonly unitPrice: Decimal;
}

export interface PriceRequest {
  readonly quantity: Decimal;
  readonly currency: string;
  readonly date: BusinessDate;
  readonly customerPriceListId: string | null;
}

export interface ResolvedPrice {
  readonly unitPrice: Decimal;
  readonly priceListId: string;
  readonly minQuantity: Decimal;
  readonly source: 'customer' | 'default';
}

/** The break of largest minimum quantity not above the quantity, if any. */
export function applicableBreak(breaks: readonly PriceBreak[], quantity: Decimal): PriceBreak | undefined {
  let best: PriceBreak | undefined;
  for (const candidate of breaks) {
    if (candidate.minQuantity.gt(quantity)) continue;
    if (best === undefined || candidate.minQuantity.gt(best.minQuantity)) best = candidate;
  }
  return best;
}

function usable(list: PriceListFacts, request: PriceRequest): boolean {
  return list.active && list.currency === request.currency && isValidOn(list, request.date);
}

/**
 * Prices one item: the customer's own list when it is active, in the currency,
 * valid on the date and has a break that applies to the quantity; otherwise the
 * tenant's default list for the currency valid on the date. Within a list the
 * break with the largest minimum quantity not above the quantity wins. A customer
 * list with only higher breaks (a volume deal from 100 pieces) leaves smaller
 * quantities at the default price. Null when no list prices the item.
 *
 * `breaksOf` gives an item's breaks in a list. Default lists of one currency do
 * not overlap in time (the service refuses it); should data say otherwise, the
 * one that started last wins, so the answer is still deterministic.
 */
export function resolvePrice(
  lists: readonly PriceListFacts[],
  breaksOf: (priceListId: string) => readonly PriceBreak[],
  request: PriceRequest,
): ResolvedPrice | null {
  const customerList = lists.find((list) => list.id === request.customerPriceListId);
  if (customerList !== undefined && usable(customerList, request)) {
    const found = applicableBreak(breaksOf(customerList.id), request.quantity);
    if (found !== undefined) return { ...found, priceListId: customerList.id, source: 'customer' };
  }
  const defaults = lists
    .filter((list) => list.isDefault && usable(list, request))
    .sort((a, b) => (a.validFrom === b.validFrom ? (a.id < b.id ? 1 : -1) : a.validFrom < b.validFrom ? 1 : -1));
  for (const list of defaults) {
    const found = applicableBreak(breaksOf(list.id), request.quantity);
    if (found !== undefined) return { ...found, priceListId: list.id, source: 'default' };
  }
  return null;
}
