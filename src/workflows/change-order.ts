import type { RequestContext } from '../platform/auth/actor';
import type { Tx } from '../platform/db/database';
import { decideOrderCredit, openReview } from '../modules/credit';
import { lockCustomer } from '../modules/customers';
import { holdOrder, orderHeadline, replaceOrderLines, storeCreditDecision, type OrderView } from '../modules/orders';

type LinesChange = Parameters<typeof replaceOrderLines>[3];

/**
 * Changing an order's lines. An approved order whose value goes up is decided
 * again: within credit it stays approved (the new decision is stored), else it
 * goes back on credit hold with a review, keeping what it reserved until a credit
 * manager decides. Locks: customer → order → stock, as on submit.
 */
export async function changeOrderLines(tx: Tx, context: RequestContext, orderId: string, change: LinesChange): Promise<OrderView> {
  const tenantId = context.actor.tenantId;
  const { customerId } = await orderHeadline(tx, tenantId, orderId);
  await lockCustomer(tx, tenantId, customerId);
  const before = await orderHeadline(tx, tenantId, orderId);
  const after = await replaceOrderLines(tx, context, orderId, change);
  if (before.status !== 'approved' || after.status !== 'approved') return after;
  if ((await orderHeadline(tx, tenantId, orderId)).grossMinor <= before.grossMinor) return after;
  const decision = await decideOrderCredit(tx, tenantId, { id: orderId, customerId });
  if (decision.outcome === 'approve') {
    await storeCreditDecision(tx, tenantId, orderId, decision);
    return { ...after, creditDecision: decision };
  }
  const held = await holdOrder(tx, context, orderId, decision);
  await openReview(tx, context, { id: orderId, number: held.number, customerId }, decision);
  return held;
}
