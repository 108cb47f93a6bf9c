import { Fragment, useCallback, useState } from 'react';
import { Link } from 'react-router-dom';
import { allows } from '../../access';
import { creditReviewStatuses, listCreditReviews, type CreditReview, type CreditReviewStatus, type Order } from '../../api';
import { orderStatusLabel } from '../../components/Badges';
import { ErrorMessage } from '../../components/ErrorMessage';
import { ExportCsvButton, ListFooter } from '../../components/ListControls';
import { SectionTabs } from '../../components/SectionTabs';
import { DataTable, DetailsRow, EmptyRow } from '../../components/TableParts';
import type { CsvColumn } from '../../csv';
import { useFormatters, useMe } from '../../session';
import { usePagedList } from '../../usePagedList';
import { usePageTitle } from '../../usePageTitle';
import { useQueryParams } from '../invoicing/invoicingParts';
import { CustomerFilter } from '../orders/orderParts';
import {
  ExposureAfterCell,
  ReasonList,
  ReviewDecisionButtons,
  ReviewDecisionFacts,
  ReviewDecisionPanel,
  ReviewStatusBadge,
  creditTabs,
  type ReviewDecision,
} from './creditParts';

const csvColumns: readonly CsvColumn<CreditReview>[] = [
  { header: 'orderNumber', value: (review) => review.order.number },
  { header: 'orderDate', value: (review) => review.order.orderDate },
  { header: 'customerNumber', value: (review) => review.customer.number },
  { header: 'customerName', value: (review) => review.customer.name },
  { header: 'currency', value: (review) => review.order.currency },
  { header: 'gross', value: (review) => review.order.gross },
  { header: 'reasons', value: (review) => review.reasons.join(' | ') },
  { header: 'exposureAfter', value: (review) => review.inputs.exposureAfter ?? null },
  { header: 'limit', value: (review) => review.inputs.limit ?? null },
  { header: 'status', value: (review) => review.status },
  { header: 'openedAt', value: (review) => review.openedAt },
  { header: 'decidedBy', value: (review) => review.decidedBy },
  { header: 'decidedAt', value: (review) => review.decidedAt },
  { header: 'decisionReason', value: (review) => review.decisionReason },
  { header: 'oneOffIncrease', value: (review) => review.oneOffIncrease },
  { header: 'id', value: (review) => review.id },
];

const chipLabels: Record<CreditReviewStatus, string> = { open: 'On hold', released: 'Released', rejected: 'Rejected' };

type Deciding = { readonly id: string; readonly decision: ReviewDecision } | null;

export function CreditReviewsPage() {
  usePageTitle('Credit reviews');
  const me = useMe();
  const format = useFormatters();
  const query = useQueryParams();
  const status = query.oneOf('status', creditReviewStatuses) ?? 'open';
  const customerId = query.get('customerId');
  const fetchPage = useCallback((cursor?: string) => listCreditReviews({ status, customerId }, cursor), [status, customerId]);
  const list = usePagedList(fetchPage);
  const canDecide = allows(me.actor.roles, 'decideCredit');
  const [deciding, setDeciding] = useState<Deciding>(null);
  const [notice, setNotice] = useState<{ text: string; order: Order } | null>(null);
  const open = status === 'open';
  // A decided review leaves the queue of held orders.
  const rows = list.items.filter((review) => review.status === status);
  const columns = [
    'Order',
    'Customer',
    { label: 'Value', className: 'num' },
    'Held because',
    { label: 'Exposure after / limit', className: 'num' },
    ...(open ? [] : ['Decision']),
  ];
  const colSpan = columns.length + 1;

  const decided = (result: { review: CreditReview; order: Order }) => {
    list.replace(result.review);
    setDeciding(null);
    setNotice({
      text: `Order ${result.order.number} ${result.review.status === 'released' ? 'released' : 'rejected'}: ${orderStatusLabel(result.order.status).toLowerCase()}.`,
      order: result.order,
    });
  };

  return (
    <>
      <SectionTabs label="Credit" links={creditTabs} />
      <h1>Credit reviews</h1>
      <p className="page-intro">
        Orders on credit hold wait here, oldest first, with why they were held and what they take against the limit. Releasing one approves it and reserves its stock; rejecting cancels it. Either needs a reason, and never by the
        person who entered the order.
      </p>

      <div className="list-toolbar list-toolbar-tight">
        <div className="chips" role="group" aria-label="Show reviews">
          {creditReviewStatuses.map((candidate) => (
            <button
              key={candidate}
              type="button"
              className={candidate === status ? 'chip chip-on' : 'chip'}
              aria-pressed={candidate === status}
              onClick={() => {
                setDeciding(null);
                query.set({ status: candidate === 'open' ? undefined : candidate });
              }}
            >
              {chipLabels[candidate]}
            </button>
          ))}
        </div>
        <ExportCsvButton fileName={`credit-reviews-${status}.csv`} columns={csvColumns} rows={rows} />
      </div>
      <form className="filters" aria-label="Filter reviews" onSubmit={(event) => event.preventDefault()}>
        <CustomerFilter customerId={customerId} onChange={(chosen) => query.set({ customerId: chosen })} />
      </form>

      {notice === null ? null : (
        <p className="message message-success" role="status">
          {notice.text} <Link to={`/orders/${notice.order.id}`}>Open order {notice.order.number}</Link>
        </p>
      )}
      <ErrorMessage error={list.error} />
      <DataTable caption={open ? 'Orders on credit hold, oldest first' : `${chipLabels[status]} reviews, newest first`} columns={columns} actions>
        {rows.map((review) => {
          const decision = deciding !== null && deciding.id === review.id ? deciding.decision : null;
          const currency = review.inputs.currency ?? review.order.currency;
          return (
            <Fragment key={review.id}>
              <tr role="row" data-testid={`review-${review.order.number}`}>
                <td role="cell" data-label="Order">
                  <Link to={`/orders/${review.order.id}`}>{review.order.number}</Link>
                  <div className="muted small">
                    {format.date(review.order.orderDate)} · entered by {review.order.enteredBy}
                  </div>
                  <div className="muted small">held {format.instant(review.openedAt)}</div>
                </td>
                <td role="cell" data-label="Customer">
                  <Link to={`/customers/${review.customer.id}/credit`}>{review.customer.name}</Link> <span className="muted small">{review.customer.number}</span>
                </td>
                <td role="cell" data-label="Value" className="num">
                  <span className="strong">{format.money(review.order.gross, review.order.currency)}</span>
                  {review.inputs.orderValue === undefined || review.inputs.orderValue === null || currency === review.order.currency ? null : (
                    <div className="muted small">{format.money(review.inputs.orderValue, currency)}</div>
                  )}
                </td>
                <td role="cell" data-label="Held because" className="small">
                  <ReasonList reasons={review.reasons} label={`Why ${review.order.number} was held`} />
                </td>
                <td role="cell" data-label="Exposure after" className="num">
                  <ExposureAfterCell review={review} />
                </td>
                {open ? null : (
                  <td role="cell" data-label="Decision">
                    <ReviewStatusBadge status={review.status} />
                    <ReviewDecisionFacts review={review} />
                  </td>
                )}
                <td role="cell" className="cell-actions">
                  <span className="actions">
                    <Link className="button secondary small" to={`/credit/reviews/${review.id}`}>
                      Details<span className="visually-hidden"> of the review of {review.order.number}</span>
                    </Link>
                    {canDecide && review.status === 'open' ? (
                      <ReviewDecisionButtons
                        review={review}
                        open={decision}
                        small
                        onToggle={(next) => {
                          setNotice(null);
                          setDeciding(decision === next ? null : { id: review.id, decision: next });
                        }}
                      />
                    ) : null}
                  </span>
                </td>
              </tr>
              {decision === null ? null : (
                <DetailsRow colSpan={colSpan}>
                  <ReviewDecisionPanel key={decision} review={review} decision={decision} onDone={decided} onClose={() => setDeciding(null)} />
                </DetailsRow>
              )}
            </Fragment>
          );
        })}
        {rows.length === 0 && !list.loading && list.error === null ? (
          <EmptyRow colSpan={colSpan}>{open ? 'No order waits for a credit decision.' : `No ${chipLabels[status].toLowerCase()} reviews.`}</EmptyRow>
        ) : null}
      </DataTable>
      <ListFooter count={rows.length} hasMore={list.hasMore} loading={list.loading} onMore={list.loadMore} noun="reviews" />
    </>
  );
}
