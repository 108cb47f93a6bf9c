import { useCallback, useRef, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { allows } from '../../access';
import { getCreditReview, type CreditReview, type CreditReviewDetail, type Order } from '../../api';
import { OrderStatusBadge, orderStatusLabel } from '../../components/Badges';
import { DetailFallback } from '../../components/DetailFallback';
import { Fact } from '../../components/Fact';
import { SectionTabs } from '../../components/SectionTabs';
import { useFormatters, useMe } from '../../session';
import { useLoad } from '../../useLoad';
import { usePageTitle } from '../../usePageTitle';
import {
  DecisionInputsFacts,
  ExposureChart,
  LimitFacts,
  OverdueTable,
  PaymentHistoryFacts,
  PositionNotes,
  ReasonList,
  ReviewDecisionButtons,
  ReviewDecisionPanel,
  ReviewStatusBadge,
  ScoreCard,
  creditTabs,
  overdueSummary,
  type ReviewDecision,
} from './creditParts';

export function CreditReviewPage() {
  const { reviewId = '' } = useParams();
  return <CreditReviewLoader key={reviewId} reviewId={reviewId} />;
}

function CreditReviewLoader({ reviewId }: { readonly reviewId: string }) {
  const review = useLoad(useCallback(() => getCreditReview(reviewId), [reviewId]));
  usePageTitle(review.data === null ? 'Credit review' : `Credit review of ${review.data.order.number}`);
  if (review.data === null) {
    return <DetailFallback error={review.error} loadingText="Loading credit review…" title="Credit review" backTo="/credit/reviews" backLabel="Back to the review queue" />;
  }
  return <ReviewView review={review.data} onReload={review.reload} reloading={review.loading} />;
}

function ReviewView({ review, onReload, reloading }: { readonly review: CreditReviewDetail; readonly onReload: () => void; readonly reloading: boolean }) {
  const me = useMe();
  const format = useFormatters();
  const canDecide = allows(me.actor.roles, 'decideCredit') && review.status === 'open';
  const [panel, setPanel] = useState<ReviewDecision | null>(null);
  const [notice, setNotice] = useState<{ text: string; order: Order } | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const { position, inputs } = review;
  const currency = inputs.currency ?? position.currency;
  const held = review.status === 'open';
  const orderValue = held ? (review.current?.inputs.orderValue ?? inputs.orderValue ?? null) : null;

  const decided = (result: { review: CreditReview; order: Order }) => {
    setPanel(null);
    setNotice({ text: `Order ${result.order.number} ${result.review.status === 'released' ? 'released' : 'rejected'}: ${orderStatusLabel(result.order.status).toLowerCase()}.`, order: result.order });
    onReload();
    heading.current?.focus();
  };

  return (
    <>
      <SectionTabs label="Credit" links={creditTabs} />
      <p className="breadcrumb">
        <Link to="/credit/reviews">Credit reviews</Link> › {review.order.number}
      </p>
      <div className="page-heading">
        <h1 ref={heading} tabIndex={-1}>
          Credit review of {review.order.number}
        </h1>
        {canDecide ? (
          <div className="actions">
            <ReviewDecisionButtons review={review} open={panel} onToggle={(next) => setPanel(panel === next ? null : next)} />
          </div>
        ) : null}
      </div>
      <div className="status-line" data-testid="review-status">
        <span className="label-inline">Review</span>
        <ReviewStatusBadge status={review.status} />
        <span className="label-inline">Order</span>
        <OrderStatusBadge status={review.order.status} />
        <span className="muted small">held {format.instant(review.openedAt)}</span>
      </div>

      {notice === null ? null : (
        <p className="message message-success" role="status">
          {notice.text} <Link to={`/orders/${notice.order.id}`}>Open order {notice.order.number}</Link>
        </p>
      )}
      {panel === null || !canDecide ? null : <ReviewDecisionPanel key={panel} review={review} decision={panel} onDone={decided} onClose={() => setPanel(null)} />}
      <PositionNotes position={position} />

      <div className="cards" aria-busy={reloading}>
        <section className="card" aria-labelledby="review-order-heading">
          <h2 id="review-order-heading">Order</h2>
          <dl className="details">
            <Fact term="Order">
              <Link to={`/orders/${review.order.id}`}>{review.order.number}</Link> <span className="muted">{format.date(review.order.orderDate)}</span>
            </Fact>
            <Fact term="Customer">
              <Link to={`/customers/${review.customer.id}/credit`}>{review.customer.name}</Link> <span className="muted">{review.customer.number}</span>
            </Fact>
            <Fact term="Value">
              <span className="num-inline strong">{format.money(review.order.gross, review.order.currency)}</span>
            </Fact>
            <Fact term="Entered by">{review.order.enteredBy}</Fact>
          </dl>
        </section>
        <section className="card" aria-labelledby="review-reasons-heading">
          <h2 id="review-reasons-heading">Held because</h2>
          <ReasonList reasons={review.reasons} label={`Why ${review.order.number} was held`} />
          {review.decidedBy === null ? null : (
            <div className="credit-inputs" data-testid="review-decision">
              <h3>{review.status === 'released' ? 'Released' : 'Rejected'}</h3>
              <dl className="details">
                <Fact term="By">{review.decidedBy}</Fact>
                <Fact term="When">{format.instant(review.decidedAt)}</Fact>
                <Fact term="Why">“{review.decisionReason}”</Fact>
                {review.oneOffIncrease === null ? null : (
                  <Fact term="One-off increase">
                    <span className="num-inline">{format.money(review.oneOffIncrease, currency)}</span>
                  </Fact>
                )}
              </dl>
            </div>
          )}
        </section>
        {review.current === null ? null : (
          <section className="card" aria-labelledby="review-current-heading" data-testid="current-decision">
            <h2 id="review-current-heading">Decided now, it would be</h2>
            <p>
              <span className={review.current.outcome === 'approve' ? 'badge badge-good' : 'badge badge-warn'}>{review.current.outcome === 'approve' ? 'Approved' : 'Held'}</span>{' '}
              <span className="muted small">as of {format.instant(review.current.decidedAt)}</span>
            </p>
            <ReasonList reasons={review.current.reasons} label="The credit check now" />
          </section>
        )}
      </div>

      <section className="section" aria-label="Exposure">
        <ExposureChart
          exposure={position.exposure}
          currency={position.currency}
          limit={position.limit}
          limitSource={position.limitSource}
          orderValue={orderValue}
          title={held ? `Exposure of ${review.customer.name} with this order` : `Exposure of ${review.customer.name} today, without this order`}
        />
      </section>

      <div className="cards">
        <section className="card" aria-labelledby="review-limit-heading">
          <h2 id="review-limit-heading">Limit</h2>
          <LimitFacts position={position} />
        </section>
        <section className="card" aria-labelledby="review-history-heading">
          <h2 id="review-history-heading">Payment history</h2>
          <PaymentHistoryFacts history={review.paymentHistory} currency={position.currency} />
        </section>
        <section className="card" aria-labelledby="review-inputs-heading">
          <h2 id="review-inputs-heading">When it was held</h2>
          <DecisionInputsFacts inputs={inputs} fallbackCurrency={position.currency} />
        </section>
      </div>

      <section className="section" aria-labelledby="review-overdue-heading">
        <div className="list-toolbar">
          <h2 id="review-overdue-heading">Past due</h2>
          <span className="muted small">{overdueSummary(position, format)}</span>
        </div>
        <OverdueTable position={position} caption={`Past-due invoices of ${review.customer.name}`} />
      </section>

      <ScoreCard score={review.score} scores={review.scores} />
    </>
  );
}
