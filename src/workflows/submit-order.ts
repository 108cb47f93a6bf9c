import type { RequestContext } from '../platform/auth/actor';
import type { Tx } from '../platform/db/database';
import { approveOrder, holdOrder, markSubmitted, type OrderView } from '../modules/orders';
import { decideCredit } from './credit-decision';

/**
 * Submitting an order, in one transaction: validate and re-price it (orders),
 * ask for the credit decision (credit), then approve and reserve stock in a fixed
 * item order (orders → inventory) or put it on credit hold, reserving nothing.
 */
export async function submitOrder(tx: Tx, context: RequestContext, orderId: string): Promise<OrderView> {
  const submitted = await markSubmitted(tx, context, orderId);
  const decision = await decideCredit(tx, context, submitted);
  return decision.outcome === 'approve' ? approveOrder(tx, context, orderId, decision) : holdOrder(tx, context, orderId, decision);
}
