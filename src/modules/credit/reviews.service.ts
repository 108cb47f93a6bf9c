import { formatMinor, parseMoney } from '../../kernel';
import type { RequestContext } from '../../platform/auth/actor';
import { personKey } from '../../platform/auth/person';
import { recordAudit } from '../../platform/audit/audit';
import type { Executor, Tx } from '../../platform/db/database';
import { AppError, notFound, readAt } from '../../platform/errors/app-error';
import { decodeCursor, toPage, type Page } from '../../platform/http/pagination';
import { emitEvent } from '../../platform/outbox/outbox';
import { lockCustomer } from '../customers';
import { cancelOrder, releaseHeldOrder } from '../orders';
import { decideOrderCredit } from './decision.service';
import { creditPosition, positionView } from './exposure.service';
import { paymentHistorySummary, scoreHistory, scoringInput } from './scoring.service';
import type { ReviewStatus } from './credit.tables';

function selectReviews(executor: Executor, tenantId: string) {
  return executor
    .selectFrom('credit_reviews as r')
    .innerJoin('sales_orders as o', (join) => join.onRef('o.tenant_id', '=', 'r.tenant_id').onRef('o.id', '=', 'r.order_id'))
    .select([
      'r.id',
      'r.order_id',
      'r.customer_id',
      'r.status',
      'r.reasons',
      'r.inputs',
      'r.opened_at',
      'r.decided_by',
      'r.decided_at',
      'r.decision_reason',
      'r.one_off_increase_minor',
      'o.number as order_number',
      'o.status as order_status',
      'o.currency as order_currency',
      'o.gross_minor as order_gross_minor',
      'o.customer_number',
      'o.customer_name',
      'o.created_by as order_created_by',
      'o.created_by_key as order_created_by_key',
      'o.order_date',
    ])
    .where('r.tenant_id', '=', tenantId);
}

type ReviewRow = Awaited<ReturnType<ReturnType<typeof selectReviews>['executeTakeFirstOrThrow']>>;

function reviewView(row: ReviewRow) {
  const inputs = row.inputs as { currency?: string };
  return {
    id: row.id,
    status: row.status,
    reasons: row.reasons as string[],
    inputs: row.inputs as Record<string, unknown>,
    openedAt: row.opened_at.toISOString(),
    decidedBy: row.decided_by,
    decidedAt: row.decided_at?.toISOString() ?? null,
    decisionReason: row.decision_reason,
    oneOffIncrease: row.one_off_increase_minor === null || inputs.currency === undefined ? null : formatMinor(row.one_off_increase_minor, inputs.currency),
    order: {
      id: row.order_id,
      number: row.order_number,
      status: row.order_status,
      orderDate: row.order_date,
      currency: row.order_currency,
      gross: formatMinor(row.order_gross_minor, row.order_currency),
      enteredBy: row.order_created_by,
    },
    customer: { id: row.customer_id, number: row.customer_number, name: row.customer_name },
  };
}

export type ReviewView = ReturnType<typeof reviewView>;

/** The review queue: open reviews oldest first (orders still on hold); decided ones, or all of them, newest first. */
export async function listReviews(
  executor: Executor,
  tenantId: string,
  filter: { status?: ReviewStatus | undefined; customerId?: string | undefined; orderId?: string | undefined; limit: number; cursor?: string | undefined },
): Promise<Page<ReviewView>> {
  let query = selectReviews(executor, tenantId);
  if (filter.status !== undefined) query = query.where('r.status', '=', filter.status);
  if (filter.status === 'open') query = query.where('o.status', '=', 'on_credit_hold');
  if (filter.customerId !== undefined) query = query.where('r.customer_id', '=', filter.customerId);
  if (filter.orderId !== undefined) query = query.where('r.order_id', '=', filter.orderId);
  const oldestFirst = filter.status === 'open';
  if (filter.cursor !== undefined) query = query.where('r.id', oldestFirst ? '>' : '<', decodeCursor(filter.cursor, 1)[0]!);
  const rows = await query.orderBy('r.id', oldestFirst ? 'asc' : 'desc').limit(filter.limit + 1).execute();
  return toPage(rows, filter.limit, reviewView, (row) => [row.id]);
}

/** One review with what a credit manager needs to decide: exposure by part, limit, overdue items, payment history, score and its factors. */
export async function reviewDetail(executor: Executor, tenantId: string, id: string) {
  const row = await selectReviews(executor, tenantId).where('r.id', '=', id).executeTakeFirst();
  if (row === undefined) throw notFound('credit review', id);
  const position = await creditPosition(executor, tenantId, row.customer_id, { excludeOrderId: row.order_id });
  const input = await scoringInput(executor, tenantId, position);
  const scores = await scoreHistory(executor, tenantId, row.customer_id, 30);
  return {
    ...reviewView(row),
    current: row.status === 'open' ? await currentDecision(executor, tenantId, row.order_id, row.customer_id) : null,
    position: positionView(position),
    paymentHistory: paymentHistorySummary(input),
    score: scores.at(-1) ?? null,
    scores,
  };
}

async function currentDecision(executor: Executor, tenantId: string, orderId: string, customerId: string) {
  const decision = await decideOrderCredit(executor, tenantId, { id: orderId, customerId });
  return { ...decision, reasons: [...decision.reasons] };
}

async function lockOpenReview(tx: Tx, context: RequestContext, id: string) {
  const tenantId = context.actor.tenantId;
  const found = await tx.selectFrom('credit_reviews').select(['customer_id', 'order_id']).where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
  if (found === undefined) throw notFound('credit review', id);
  // customer → order → review → stock, the order every credit decision locks in
  await lockCustomer(tx, tenantId, found.customer_id);
  const review = await tx.selectFrom('credit_reviews').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).forUpdate().executeTakeFirstOrThrow();
  if (review.status !== 'open') throw new AppError('O2C_STATE_CONFLICT', `this review was already ${review.status} by ${review.decided_by ?? 'someone'} at ${review.decided_at?.toISOString() ?? ''}`);
  return review;
}

async function closeReview(tx: Tx, context: RequestContext, id: string, status: 'released' | 'rejected' | 'withdrawn', reason: string, oneOffIncreaseMinor: bigint | null): Promise<void> {
  await tx
    .updateTable('credit_reviews')
    .set({ status, decided_by: context.actor.name, decided_at: new Date(), decision_reason: reason, one_off_increase_minor: oneOffIncreaseMinor })
    .where('tenant_id', '=', context.actor.tenantId)
    .where('id', '=', id)
    .execute();
}

/**
 * Releases an order from credit hold: the reason is required, the person who
 * entered the order may not release it, and a one-off limit increase (this order
 * only) must cover what the order takes over the limit. The order is approved and
 * reserves its stock now.
 */
export async function releaseReview(tx: Tx, context: RequestContext, id: string, input: { reason: string; oneOffIncrease?: string | undefined }) {
  const tenantId = context.actor.tenantId;
  const review = await lockOpenReview(tx, context, id);
  const order = await selectReviews(tx, tenantId).where('r.id', '=', id).executeTakeFirstOrThrow();
  if (order.order_created_by_key !== null && order.order_created_by_key === (await personKey(tx, context))) {
    throw new AppError('O2C_SEGREGATION_OF_DUTIES', `you entered ${order.order_number}; another person with the credit role must release it`);
  }
  let increaseMinor: bigint | null = null;
  if (input.oneOffIncrease !== undefined) {
    const decision = await decideOrderCredit(tx, tenantId, { id: review.order_id, customerId: review.customer_id });
    const currency = decision.inputs.currency as string;
    increaseMinor = readAt('body.oneOffIncrease', () => parseMoney(input.oneOffIncrease!, currency, 'one-off increase')).amountMinor;
    if (increaseMinor <= 0n) throw new AppError('O2C_INVALID_VALUE', 'body.oneOffIncrease: a limit increase is more than zero', [{ path: 'body.oneOffIncrease', message: 'must be more than zero' }]);
    const headroom = decision.inputs.headroom === null ? null : readAt('inputs.headroom', () => parseMoney(decision.inputs.headroom as string, currency)).amountMinor;
    if (headroom !== null && headroom + increaseMinor < 0n) {
      throw new AppError('O2C_BUSINESS_RULE', `${order.order_number} takes exposure ${formatMinor(-headroom, currency)} ${currency} over the limit; a one-off increase of ${input.oneOffIncrease} does not cover it`, [
        { path: 'body.oneOffIncrease', message: `must be at least ${formatMinor(-headroom, currency)}` },
      ]);
    }
  }
  const released = await releaseHeldOrder(tx, context, review.order_id, { reason: input.reason, reviewId: id });
  await closeReview(tx, context, id, 'released', input.reason, increaseMinor);
  await recordAudit(tx, context, { action: 'credit_review.released', entityType: 'credit_review', entityId: id, before: { status: 'open' }, after: { status: 'released', order: order.order_number, reason: input.reason, oneOffIncrease: input.oneOffIncrease ?? null } });
  await emitEvent(tx, tenantId, { type: 'credit.order_released', aggregateType: 'credit_review', aggregateId: id, payload: { orderId: review.order_id, orderNumber: order.order_number, customerId: review.customer_id, reason: input.reason, releasedBy: context.actor.name } });
  return { review: await loadReview(tx, tenantId, id), order: released };
}

/** Rejects a held order: the order is cancelled and releases whatever it had reserved. */
export async function rejectReview(tx: Tx, context: RequestContext, id: string, input: { reason: string }) {
  const tenantId = context.actor.tenantId;
  const review = await lockOpenReview(tx, context, id);
  const cancelled = await cancelOrder(tx, context, review.order_id, `rejected on credit review: ${input.reason}`);
  await closeReview(tx, context, id, 'rejected', input.reason, null);
  await recordAudit(tx, context, { action: 'credit_review.rejected', entityType: 'credit_review', entityId: id, before: { status: 'open' }, after: { status: 'rejected', order: cancelled.number, reason: input.reason } });
  await emitEvent(tx, tenantId, { type: 'credit.order_rejected', aggregateType: 'credit_review', aggregateId: id, payload: { orderId: review.order_id, orderNumber: cancelled.number, customerId: review.customer_id, reason: input.reason, rejectedBy: context.actor.name } });
  return { review: await loadReview(tx, tenantId, id), order: cancelled };
}

export async function loadReview(executor: Executor, tenantId: string, id: string): Promise<ReviewView> {
  const row = await selectReviews(executor, tenantId).where('r.id', '=', id).executeTakeFirst();
  if (row === undefined) throw notFound('credit review', id);
  return reviewView(row);
}

/** The order of an open review was cancelled while it waited: the review is withdrawn, with who and why. */
export async function withdrawReview(tx: Tx, context: RequestContext, orderId: string, reason: string): Promise<void> {
  const tenantId = context.actor.tenantId;
  const review = await tx.selectFrom('credit_reviews').select(['id', 'customer_id']).where('tenant_id', '=', tenantId).where('order_id', '=', orderId).where('status', '=', 'open').forUpdate().executeTakeFirst();
  if (review === undefined) return;
  const why = `order cancelled: ${reason}`;
  await closeReview(tx, context, review.id, 'withdrawn', why, null);
  await recordAudit(tx, context, { action: 'credit_review.withdrawn', entityType: 'credit_review', entityId: review.id, before: { status: 'open' }, after: { status: 'withdrawn', reason: why } });
  await emitEvent(tx, tenantId, { type: 'credit.review_withdrawn', aggregateType: 'credit_review', aggregateId: review.id, payload: { orderId, customerId: review.customer_id, reason: why } });
}
