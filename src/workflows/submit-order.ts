import type { RequestContext } from '../platform/auth/actor';
import type { Tx } from '../platform/db/database';
import { decideOrderCredit, openReview } from '../modules/credit';
import { lockCustomer } from '../modules/customers';
import { completeSubmission, orderHeadline, prepareSubmission, type OrderView } from '../modules/orders';

/**
 * Submitting an order, in one transaction: lock the customer (credit decisions
 * per customer are taken one at a time, so two orders cannot pass a limit
 * together), lock and check the order again (orders), decide credit (credit),
 * then approve and reserve stock in a fixed item order (orders → inventory) or
 * put it on credit hold, reserving nothing, with a review for a credit manager.
 * Locks are always taken customer → order → stock.
 */
export async function submitOrder(tx: Tx, context: RequestContext, orderId: string): Promise<OrderView> {
  const tenantId = context.actor.tenantId;
  const { customerId } = await orderHeadline(tx, tenantId, orderId);
  await lockCustomer(tx, tenantId, customerId);
  const submission = await prepareSubmission(tx, context, orderId);
  const decision = await decideOrderCredit(tx, tenantId, { id: orderId, customerId });
  const view = await completeSubmission(tx, context, submission, decision);
  if (decision.outcome === 'hold') await openReview(tx, context, { id: orderId, number: view.number, customerId }, decision);
  return view;
}
