import { Big, type Decimal } from '../../kernel';

/** How an order takes stock: what is there now (the rest waits), or all lines in full or nothing. */
export type ReservationPolicy = 'partial' | 'complete';

export interface ReservationRequest {
  /** The stock row the request draws on: item and warehouse. */
  readonly stockKey: string;
  readonly requested: Decimal;
}

/**
 * Decides how much of each request to reserve from what is available per stock
 * row. Requests are served in the order given; two requests on one row share it.
 * With 'complete' either every request is met in full or nothing is reserved.
 */
export function planReservations(
  requests: readonly ReservationRequest[],
  availableByStockKey: ReadonlyMap<string, Decimal>,
  policy: ReservationPolicy,
): Decimal[] {
  const remaining = new Map<string, Decimal>();
  for (const [key, available] of availableByStockKey) remaining.set(key, available.gt('0') ? available : new Big('0'));
  const planned = requests.map((request) => {
    const available = remaining.get(request.stockKey) ?? new Big('0');
    const granted = request.requested.lte(available) ? request.requested : available;
    remaining.set(request.stockKey, available.minus(granted));
    return granted;
  });
  if (policy === 'complete' && planned.some((granted, index) => granted.lt(requests[index]!.requested))) {
    return requests.map(() => new Big('0'));
  }
  return planned;
}

export function stockKey(itemId: string, warehouseId: string): string {
  return `${itemId}/${warehouseId}`;
}

export function available(onHand: Decimal, reserved: Decimal): Decimal {
  return onHand.minus(reserved);
}
