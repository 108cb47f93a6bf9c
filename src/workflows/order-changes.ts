import type { RequestContext } from '../platform/auth/actor';
import type { Tx } from '../platform/db/database';
import { decideOrderCredit, openReview, withdrawReview } from '../modules/credit';
import { lockCustomer } from '../modules/customers';
import { Big } from '../kernel';
import { cancelOrder, holdOrder, loadOrder, orderHeadline, replaceOrderLines, reserveOrderLines, storeCreditDecision, type OrderView } from '../modules/orders';

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
  const before = await loadOrder(tx, tenantId, orderId);
  if (before.status !== 'approved') return replaceOrderLines(tx, context, orderId, change);
  // Approved: decide credit on the new lines before reserving for them.
  const heldBefore = new Map(before.lines.map((line) => [line.id, new Big(line.quantityReserved)]));
  const grossBefore = (await orderHeadline(tx, tenantId, orderId)).grossMinor;
  await replaceOrderLines(tx, context, orderId, change, { reserve: false });
  if ((await orderHeadline(tx, tenantId, orderId)).grossMinor <= grossBefore) {
    await reserveOrderLines(tx, context, orderId);
    return loadOrder(tx, tenantId, orderId);
  }
  const decision = await decideOrderCredit(tx, tenantId, { id: orderId, customerId });
  if (decision.outcome === 'approve') {
    await reserveOrderLines(tx, context, orderId);
    await storeCreditDecision(tx, context, orderId, decision);
    return loadOrder(tx, tenantId, orderId);
  }
  // Held again: it keeps what it had reserved (no more) until a credit manager decides.
  await reserveOrderLines(tx, context, orderId, heldBefore);
  const held = await holdOrder(tx, context, orderId, decision);
  await openReview(tx, context, { id: orderId, number: held.number, customerId }, decision);
  return held;
}

/**
 * Cancelling an order (what is not shipped): customer → order → review, as
 * everywhere. An order cancelled while it waits on credit hold withdraws its review.
 */
export async function cancelOrderWorkflow(tx: Tx, context: RequestContext, orderId: string, reason: string): Promise<OrderView> {
  const tenantId = context.actor.tenantId;
  const { customerId } = await orderHeadline(tx, tenantId, orderId);
  await lockCustomer(tx, tenantId, customerId);
  const cancelled = await cancelOrder(tx, context, orderId, reason);
  await withdrawReview(tx, context, orderId, reason);
  return cancelled;
}
