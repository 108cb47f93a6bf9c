import type { RequestContext } from '../platform/auth/actor';
import type { Tx } from '../platform/db/database';
import type { CreditDecision, OrderView } from '../modules/orders';

/**
 * The credit decision the order flow asks for at submit. Credit management
 * (limits, exposure, overdue items, holds) is not configured yet, so every order
 * is approved and the decision says so; the credit module replaces this rule, not
 * the call.
 */
export async function decideCredit(_tx: Tx, _context: RequestContext, order: OrderView): Promise<CreditDecision> {
  return {
    outcome: 'approve',
    reasons: ['credit management is not configured: orders are approved without a credit check'],
    decidedAt: new Date().toISOString(),
    inputs: { orderGross: order.totals.gross, currency: order.currency },
  };
}
