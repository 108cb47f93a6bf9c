import type { RequestContext } from '../platform/auth/actor';
import type { Tx } from '../platform/db/database';
import { completeSubmission, prepareSubmission, type OrderView } from '../modules/orders';
import { decideCredit } from './credit-decision';

/**
 * Submitting an order, in one transaction: lock and check it again (orders),
 * ask for the credit decision (credit), then approve and reserve stock in a fixed
 * item order (orders → inventory) or put it on credit hold, reserving nothing.
 */
export async function submitOrder(tx: Tx, context: RequestContext, orderId: string): Promise<OrderView> {
  const submission = await prepareSubmission(tx, context, orderId);
  const decision = await decideCredit(tx, context, submission.view);
  return completeSubmission(tx, context, submission, decision);
}
