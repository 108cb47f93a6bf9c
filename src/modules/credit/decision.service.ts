import { formatMinor, newId } from '../../kernel';
import type { RequestContext } from '../../platform/auth/actor';
import { recordAudit } from '../../platform/audit/audit';
import type { Executor, Tx } from '../../platform/db/database';
import { toJsonText } from '../../platform/json';
import { emitEvent } from '../../platform/outbox/outbox';
import type { CreditDecision } from '../orders';
import { checkCredit } from './credit.rules';
import { creditPosition, orderValueMinor } from './exposure.service';

/**
 * The credit decision for an order, with its inputs and reasons, in the
 * customer's currency. The caller has locked the customer first (decisions per
 * customer are taken one at a time); the order itself is left out of exposure and
 * counted as what it adds.
 */
export async function decideOrderCredit(executor: Executor, tenantId: string, order: { id: string; customerId: string }): Promise<CreditDecision> {
  const value = await orderValueMinor(executor, tenantId, order.id);
  const position = await creditPosition(executor, tenantId, order.customerId, { excludeOrderId: order.id, extraCurrencies: [value.currency] });
  const currency = position.customer.currency;
  const orderMinor = position.converter.convert(value.minor, value.currency);
  const check = checkCredit({
    currency,
    limitMinor: position.limit.minor,
    limitSource: position.limit.source,
    exposure: position.exposure,
    orderValueMinor: orderMinor ?? 0n,
    oldestOverdueDays: position.overdue.oldestOverdueDays,
    overdueMinor: position.overdue.overdueMinor,
    graceDays: position.settings.graceDays,
    block: position.block.state,
    blockReason: position.block.reason,
    missingRates: position.converter.missing,
  });
  const show = (minor: bigint | null) => (minor === null ? null : formatMinor(minor, currency));
  return {
    outcome: check.outcome,
    reasons: check.reasons,
    decidedAt: new Date().toISOString(),
    inputs: {
      currency,
      orderValue: show(orderMinor),
      orderCurrency: value.currency,
      orderValueInOrderCurrency: formatMinor(value.minor, value.currency),
      limit: show(position.limit.minor),
      limitSource: position.limit.source,
      exposure: {
        openReceivables: show(position.exposure.openReceivablesMinor),
        shippedNotInvoiced: show(position.exposure.shippedNotInvoicedMinor),
        approvedNotShipped: show(position.exposure.approvedNotShippedMinor),
        total: show(position.exposureMinor),
      },
      exposureAfter: show(check.exposureAfterMinor),
      headroom: show(check.headroomMinor),
      overdue: show(position.overdue.overdueMinor),
      oldestOverdueDays: position.overdue.oldestOverdueDays,
      graceDays: position.settings.graceDays,
      block: position.block.state,
      missingRates: [...position.converter.missing],
      asOf: position.today,
    },
  };
}

/** Opens the review of an order that went on credit hold: it waits in the credit manager's queue. */
export async function openReview(tx: Tx, context: RequestContext, order: { id: string; number: string; customerId: string }, decision: CreditDecision): Promise<string> {
  const tenantId = context.actor.tenantId;
  const id = newId();
  await tx
    .insertInto('credit_reviews')
    .values({ tenant_id: tenantId, id, order_id: order.id, customer_id: order.customerId, reasons: toJsonText(decision.reasons), inputs: toJsonText(decision.inputs) })
    .execute();
  await recordAudit(tx, context, { action: 'credit_review.opened', entityType: 'credit_review', entityId: id, after: { order: order.number, reasons: decision.reasons } });
  await emitEvent(tx, tenantId, { type: 'credit.review_opened', aggregateType: 'credit_review', aggregateId: id, payload: { orderId: order.id, orderNumber: order.number, customerId: order.customerId, reasons: decision.reasons } });
  return id;
}
