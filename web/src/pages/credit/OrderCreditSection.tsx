import { useCallback } from 'react';
import { Link } from 'react-router-dom';
import { allows } from '../../access';
import { creditReviewStatuses, getCreditPosition, listCreditReviews, type CreditDecision, type CreditReview, type Order } from '../../api';
import { ErrorMessage } from '../../components/ErrorMessage';
import { useFormatters, useMe } from '../../session';
import { useLoad } from '../../useLoad';
import { DecisionInputsFacts, ExposureChart, PositionNotes, ReasonList, ReviewDecisionFacts, ReviewStatusBadge } from './creditParts';

/**
 * The credit side of an order: the decision stored with it (outcome, reasons and what it was taken on), its credit
 * review, and — for those who read credit — the customer's exposure today against its limit.
 */
export function OrderCreditSection({ order }: { readonly order: Order }) {
  const me = useMe();
  const canRead = allows(me.actor.roles, 'readCredit');
  const decision = order.creditDecision;
  if (decision === null && !canRead) return null;
  const held = decision?.outcome === 'hold' || order.status === 'on_credit_hold';
  return (
    <section className="section" aria-labelledby="order-credit-heading">
      <h2 id="order-credit-heading">Credit</h2>
      <div className="cards">
        {decision === null ? null : <StoredDecision decision={decision} currency={order.currency} />}
        {canRead && held ? <OrderReview orderId={order.id} /> : null}
      </div>
      {canRead ? <CustomerExposure order={order} /> : null}
    </section>
  );
}

function StoredDecision({ decision, currency }: { readonly decision: CreditDecision; readonly currency: string }) {
  const format = useFormatters();
  return (
    <section className="card" aria-labelledby="order-credit-decision-heading" data-testid="order-credit-decision">
      <h3 id="order-credit-decision-heading">Credit decision</h3>
      <p>
        {decision.outcome === 'approve' ? (
          <span className="badge badge-good">Passed the credit check</span>
        ) : decision.outcome === 'hold' ? (
          <span className="badge badge-warn">Held for credit review</span>
        ) : (
          <span className="badge badge-neutral">{decision.outcome ?? '—'}</span>
        )}
        {decision.decidedAt === undefined ? null : <span className="muted small"> · {format.instant(decision.decidedAt)}</span>}
      </p>
      <ReasonList reasons={decision.reasons ?? []} label="Reasons of the credit decision" />
      {decision.inputs === undefined ? null : (
        <div className="credit-inputs">
          <DecisionInputsFacts inputs={decision.inputs} fallbackCurrency={currency} />
        </div>
      )}
    </section>
  );
}

/** The credit review of a held order: open, or who released or rejected it and why. */
function OrderReview({ orderId }: { readonly orderId: string }) {
  const format = useFormatters();
  const load = useCallback(async () => {
    const pages = await Promise.all(creditReviewStatuses.map((status) => listCreditReviews({ status, orderId }, undefined, 10)));
    return pages.flatMap((page) => page.items).sort((a: CreditReview, b: CreditReview) => b.openedAt.localeCompare(a.openedAt));
  }, [orderId]);
  const reviews = useLoad(load);
  const latest = reviews.data?.[0];
  return (
    <section className="card" aria-labelledby="order-credit-review-heading" data-testid="order-credit-review">
      <h3 id="order-credit-review-heading">Credit review</h3>
      <ErrorMessage error={reviews.error} />
      {reviews.data === null ? (
        reviews.error === null ? (
          <p className="loading" role="status">
            Loading the credit review…
          </p>
        ) : null
      ) : latest === undefined ? (
        <p className="muted">No credit review is recorded for this order.</p>
      ) : (
        <>
          <p>
            <ReviewStatusBadge status={latest.status} /> <span className="muted small">held {format.instant(latest.openedAt)}</span>
          </p>
          <ReviewDecisionFacts review={latest} />
          <p>
            <Link to={`/credit/reviews/${latest.id}`}>{latest.status === 'open' ? 'Decide in the credit review' : 'Open the credit review'}</Link>
          </p>
        </>
      )}
    </section>
  );
}

function CustomerExposure({ order }: { readonly order: Order }) {
  const load = useCallback(() => getCreditPosition(order.customer.id), [order.customer.id]);
  const position = useLoad(load);
  const orderValue = order.status === 'on_credit_hold' ? (order.creditDecision?.inputs?.orderValue ?? null) : null;
  return (
    <>
      <ErrorMessage error={position.error} />
      {position.data === null ? (
        position.error === null ? (
          <p className="loading" role="status">
            Loading the customer's exposure…
          </p>
        ) : null
      ) : (
        <div className="stack credit-exposure">
          <PositionNotes position={position.data} />
          <ExposureChart
            exposure={position.data.exposure}
            currency={position.data.currency}
            limit={position.data.limit}
            limitSource={position.data.limitSource}
            orderValue={orderValue}
            headingLevel={3}
            title={orderValue === null ? `Exposure of ${order.customer.name} today` : `Exposure of ${order.customer.name} with this order`}
            note={
              <p className="small">
                <Link to={`/customers/${order.customer.id}/credit`}>Credit of {order.customer.name}</Link>
              </p>
            }
          />
        </div>
      )}
    </>
  );
}
