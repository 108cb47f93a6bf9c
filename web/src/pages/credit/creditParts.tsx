import { useId, useState, type ReactNode } from 'react';
import { Link } from 'react-router-dom';
import {
  ActionKey,
  ApiError,
  rejectCreditReview,
  releaseCreditReview,
  type CreditBlockState,
  type CreditDecisionInputs,
  type CreditExposure,
  type CreditLimitChange,
  type CreditLimitRequest,
  type CreditLimitSource,
  type CreditPaymentHistory,
  type CreditPosition,
  type CreditReview,
  type CreditReviewStatus,
  type CreditScore,
  type LimitRequestStatus,
  type Order,
} from '../../api';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Fact } from '../../components/Fact';
import { Field, TextAreaField } from '../../components/Field';
import { ReasonPanel } from '../../components/ReasonPanel';
import { DataTable, EmptyRow } from '../../components/TableParts';
import { addDecimal, compareDecimal, parseOptionalAmount, proportion, subtractDecimal } from '../../decimal';
import type { Formatters } from '../../format';
import { useFormatters } from '../../session';
import { useSubmit } from '../../useSubmit';
import './credit.css';

export const creditTabs = [
  { to: '/credit/reviews', label: 'Review queue' },
  { to: '/credit/limit-requests', label: 'Limit requests' },
  { to: '/credit/settings', label: 'Credit policy' },
];

/** A reason as the server words it ("the customer is …") as a sentence. */
export function asSentence(text: string): string {
  const trimmed = text.trim();
  if (trimmed === '') return trimmed;
  const capitalised = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capitalised) ? capitalised : `${capitalised}.`;
}

/** Why an order was held (or passed), one sentence each. */
export function ReasonList({ reasons, label }: { readonly reasons: readonly string[]; readonly label: string }) {
  if (reasons.length === 0) return <span className="muted">No reason recorded.</span>;
  return (
    <ul className="reason-list" aria-label={label}>
      {reasons.map((reason) => (
        <li key={reason}>{asSentence(reason)}</li>
      ))}
    </ul>
  );
}

// ---- states

export const reviewStatusLabels: Record<CreditReviewStatus, string> = { open: 'On hold', released: 'Released', rejected: 'Rejected' };
const reviewTones: Record<CreditReviewStatus, string> = { open: 'warn', released: 'good', rejected: 'bad' };

export function ReviewStatusBadge({ status }: { readonly status: CreditReviewStatus }) {
  return <span className={`badge badge-${reviewTones[status]}`}>{reviewStatusLabels[status]}</span>;
}

export const limitRequestStatusLabels: Record<LimitRequestStatus, string> = { pending: 'Waiting for a decision', approved: 'Approved', rejected: 'Rejected' };
const limitRequestTones: Record<LimitRequestStatus, string> = { pending: 'warn', approved: 'good', rejected: 'neutral' };

export function LimitRequestStatusBadge({ status }: { readonly status: LimitRequestStatus }) {
  return <span className={`badge badge-${limitRequestTones[status]}`}>{limitRequestStatusLabels[status]}</span>;
}

export const limitSourceLabels: Record<CreditLimitSource, string> = {
  temporary: 'temporary limit',
  customer: "customer's own limit",
  default: 'default limit',
};

/** The credit block of a customer; nothing when credit is not blocked. */
export function CreditBlockBadge({ state }: { readonly state: CreditBlockState }) {
  if (state === 'none') return null;
  return <span className="badge badge-bad">{state === 'manual' ? 'Credit blocked' : 'Credit blocked automatically'}</span>;
}

/** "+12", "−5", "0": what a factor did to the score. */
export function signedPoints(points: number): string {
  if (points > 0) return `+${points}`;
  if (points < 0) return `−${Math.abs(points)}`;
  return '0';
}

const largestOf = (values: ReadonlyArray<string | null | undefined>) =>
  values.reduce<string>((max, value) => (value !== null && value !== undefined && compareDecimal(value, max) > 0 ? value : max), '0');

// ---- exposure and limit

interface ExposureChartProps {
  readonly exposure: CreditExposure;
  readonly currency: string;
  readonly limit: string | null;
  readonly limitSource: CreditLimitSource;
  /** What an order under review adds (it is not part of the exposure parts). */
  readonly orderValue?: string | null;
  readonly title: string;
  readonly note?: ReactNode;
  /** h2 by default; h3 inside a section that has its own heading. */
  readonly headingLevel?: 2 | 3;
}

/** Exposure by part against the limit, as horizontal bars: what is owed, shipped, ordered (and the order under review). */
export function ExposureChart({ exposure, currency, limit, limitSource, orderValue = null, title, note, headingLevel = 2 }: ExposureChartProps) {
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  const id = useId();
  const format = useFormatters();
  const total = orderValue === null ? exposure.total : addDecimal(exposure.total, orderValue);
  const over = limit !== null && compareDecimal(total, limit) > 0;
  const largest = largestOf([exposure.openReceivables, exposure.shippedNotInvoiced, exposure.approvedNotShipped, orderValue, total, limit]);
  const bars: ReadonlyArray<{ key: string; label: string; value: string | null; className: string }> = [
    { key: 'openReceivables', label: 'Open receivables', value: exposure.openReceivables, className: 'bar-current' },
    { key: 'shippedNotInvoiced', label: 'Shipped, not invoiced', value: exposure.shippedNotInvoiced, className: 'bar-current' },
    { key: 'approvedNotShipped', label: 'Approved, not shipped', value: exposure.approvedNotShipped, className: 'bar-current' },
    ...(orderValue === null ? [] : [{ key: 'order', label: 'This order', value: orderValue, className: 'bar-order' }]),
    { key: 'total', label: orderValue === null ? 'Exposure' : 'Exposure with this order', value: total, className: over ? 'bar-total bar-over' : 'bar-total' },
    { key: 'limit', label: `Limit (${limitSourceLabels[limitSource]})`, value: limit, className: 'bar-limit' },
  ];
  const left = limit === null ? null : subtractDecimal(limit, total);
  return (
    <figure className="card bar-chart exposure-chart" aria-labelledby={`${id}-caption`}>
      <figcaption id={`${id}-caption`}>
        <Heading>{title}</Heading>
        <span className="muted small">in {currency}, tax included</span>
      </figcaption>
      <ul className="bars">
        {bars.map((bar) => (
          <li key={bar.key} className={`bar-row ${bar.className}`} data-testid={`exposure-${bar.key}`}>
            <span className="bar-label">{bar.label}</span>
            <span className="bar-track" aria-hidden="true">
              {bar.value !== null && compareDecimal(bar.value, '0') > 0 ? <span className="bar" style={{ width: `${proportion(bar.value, largest) / 10}%` }} /> : null}
            </span>
            <span className="bar-value">{bar.value === null ? 'none' : format.money(bar.value, currency)}</span>
          </li>
        ))}
      </ul>
      <p className="exposure-summary" data-testid="exposure-available">
        {left === null ? (
          <span className="text-danger strong">No limit can be told: the default limit has no exchange rate to {currency}.</span>
        ) : compareDecimal(left, '0') < 0 ? (
          <span className="text-danger strong">Over the limit by {format.money(subtractDecimal('0', left), currency)}</span>
        ) : (
          <span className="strong">
            {format.money(left, currency)} available{orderValue === null ? '' : ' after this order'}
          </span>
        )}
      </p>
      {note === undefined ? null : note}
    </figure>
  );
}

/** The limits of a customer: the one in force, its own, a temporary one and the default. */
export function LimitFacts({ position }: { readonly position: CreditPosition }) {
  const format = useFormatters();
  const currency = position.currency;
  const temporaryEnded = position.temporaryLimitUntil !== null && position.temporaryLimitUntil < position.asOf;
  return (
    <dl className="details" data-testid="limit-facts">
      <Fact term="Limit in force">
        <span className="strong num-inline">{position.limit === null ? 'none' : format.money(position.limit, currency)}</span>{' '}
        <span className="muted">({limitSourceLabels[position.limitSource]})</span>
      </Fact>
      <Fact term="Own limit">
        <span className="num-inline">{position.customerLimit === null ? 'none' : format.money(position.customerLimit, currency)}</span>
      </Fact>
      <Fact term="Temporary limit">
        {position.temporaryLimit === null ? (
          'none'
        ) : (
          <span data-testid="temporary-limit">
            <span className="num-inline">{format.money(position.temporaryLimit, currency)}</span> {temporaryEnded ? 'ended' : 'until'} {format.date(position.temporaryLimitUntil)}
          </span>
        )}
      </Fact>
      <Fact term="Default limit">
        <span className="num-inline">{position.defaultLimit === null ? 'no exchange rate' : format.money(position.defaultLimit, currency)}</span>
      </Fact>
      <Fact term="Available">
        <span className={position.available !== null && compareDecimal(position.available, '0') < 0 ? 'num-inline strong text-danger' : 'num-inline strong'}>
          {position.available === null ? '—' : format.money(position.available, currency)}
        </span>
      </Fact>
    </dl>
  );
}

/** The warnings of a position: a credit block and currencies without a rate. */
export function PositionNotes({ position }: { readonly position: CreditPosition }) {
  const format = useFormatters();
  return (
    <>
      {position.block.state === 'none' ? null : (
        <div className="message message-warning" role="note" data-testid="credit-block">
          <p>
            <strong>{position.block.state === 'manual' ? 'Credit blocked by a credit manager' : 'Credit blocked automatically'}</strong>
            {position.block.since === null ? null : <> since {format.instant(position.block.since)}</>}: {position.block.reason ?? 'no reason given'}. Its new orders go on credit hold.
          </p>
        </div>
      )}
      {position.missingRates.length === 0 ? null : (
        <div className="message message-warning" role="note">
          <p>
            No exchange rate from {position.missingRates.join(', ')} to {position.currency}: those amounts are left out of the exposure, so orders are held until the rates are entered.
          </p>
        </div>
      )}
    </>
  );
}

/** Invoices past their due date, oldest first. */
export function OverdueTable({ position, caption }: { readonly position: CreditPosition; readonly caption: string }) {
  const format = useFormatters();
  return (
    <DataTable caption={caption} columns={['Invoice', 'Due', { label: 'Days past due', className: 'num' }, { label: 'Open', className: 'num' }]}>
      {position.overdue.items.map((item) => (
        <tr role="row" key={item.id} data-testid={`overdue-${item.number}`}>
          <td role="cell" data-label="Invoice">
            <Link to={`/invoices/${item.id}`}>{item.number}</Link>
          </td>
          <td role="cell" data-label="Due" className="nowrap">{format.date(item.dueDate)}</td>
          <td role="cell" data-label="Days past due" className="num text-danger strong">{item.daysPastDue}</td>
          <td role="cell" data-label="Open" className="num strong">{format.money(item.open, item.currency)}</td>
        </tr>
      ))}
      {position.overdue.items.length === 0 ? <EmptyRow colSpan={4}>Nothing is past due.</EmptyRow> : null}
    </DataTable>
  );
}

/** The overdue total and its oldest item, as the heading of the overdue list says it. */
export function overdueSummary(position: CreditPosition, format: Formatters): string {
  if (position.overdue.items.length === 0) return 'nothing past due';
  return `${format.money(position.overdue.amount, position.currency)} past due, the oldest ${position.overdue.oldestDays ?? 0} days`;
}

export function PaymentHistoryFacts({ history, currency }: { readonly history: CreditPaymentHistory; readonly currency: string }) {
  const format = useFormatters();
  return (
    <dl className="details" data-testid="payment-history">
      <Fact term="Paid in 12 months">
        {history.paidInvoices} {history.paidInvoices === 1 ? 'invoice' : 'invoices'}, {history.paidLate} late
      </Fact>
      <Fact term="Average days late">{history.averageDaysLate} (weighted by amount)</Fact>
      <Fact term="Open invoices">{history.openInvoices}</Fact>
      <Fact term="Reversed payments">{history.reversedPayments} in 12 months</Fact>
      <Fact term="Invoiced per month">
        <span className="num-inline">{format.money(history.monthlyInvoiced, currency)}</span> <span className="muted">(12-month average)</span>
      </Fact>
      <Fact term="Customer since">{format.date(history.customerSince)}</Fact>
    </dl>
  );
}

// ---- score

/** The latest score: points, risk class, recommended limit and every factor with the points it gave. */
export function ScoreCard({ score, scores, action }: { readonly score: CreditScore | null; readonly scores: readonly CreditScore[]; readonly action?: ReactNode }) {
  const id = useId();
  const format = useFormatters();
  return (
    <section className="section" aria-labelledby={`${id}-title`}>
      <div className="list-toolbar">
        <h2 id={`${id}-title`}>Score</h2>
        {action}
      </div>
      {score === null ? (
        <p className="muted">Not scored yet. Every customer is scored each night; administrators and credit managers can score one now.</p>
      ) : (
        <div className="stack">
          <div className="card" data-testid="credit-score">
            <div className="score-headline">
              <span className="score-value">{score.score}</span>
              <span className="muted">of 100</span>
              <span className="score-class">Risk class {score.riskClass}</span>
              <span>
                Recommended limit <strong className="num-inline">{format.money(score.recommendedLimit, score.currency)}</strong>
              </span>
            </div>
            <p className="muted small">
              Scored on {format.date(score.scoredOn)}
              {score.hasHistory ? '' : ': no payment history yet, so the starting class of the credit policy applies'}.
            </p>
          </div>
          <DataTable caption={`Score factors of ${format.date(score.scoredOn)}`} columns={['Factor', 'Measured', { label: 'Points', className: 'num' }]}>
            {score.factors.map((factor) => (
              <tr role="row" key={factor.code} data-testid={`factor-${factor.code}`}>
                <td role="cell" data-label="Factor">
                  <span className="strong">{factor.label}</span>
                  <div className="muted small">{factor.explanation}</div>
                </td>
                <td role="cell" data-label="Measured">{factor.value}</td>
                <td role="cell" data-label="Points" className={`num strong ${factor.points > 0 ? 'points-plus' : factor.points < 0 ? 'points-minus' : ''}`.trim()}>
                  {signedPoints(factor.points)}
                </td>
              </tr>
            ))}
            {score.factors.length === 0 ? <EmptyRow colSpan={3}>No factors recorded.</EmptyRow> : null}
          </DataTable>
          {scores.length === 0 ? null : <ScoreHistoryChart scores={scores} />}
        </div>
      )}
    </section>
  );
}

const chart = { width: 420, height: 180, left: 34, right: 10, top: 10, bottom: 26 } as const;
const classLines = [
  { score: 80, label: 'A' },
  { score: 65, label: 'B' },
  { score: 50, label: 'C' },
  { score: 35, label: 'D' },
] as const;

/** The score over the days it was taken, as a line in plain SVG with the class bounds; the same numbers as a table for screen readers. */
export function ScoreHistoryChart({ scores }: { readonly scores: readonly CreditScore[] }) {
  const id = useId();
  const format = useFormatters();
  const plotWidth = chart.width - chart.left - chart.right;
  const plotHeight = chart.height - chart.top - chart.bottom;
  const x = (index: number) => chart.left + (scores.length === 1 ? plotWidth / 2 : (plotWidth * index) / (scores.length - 1));
  const y = (score: number) => chart.top + plotHeight - (plotHeight * Math.max(0, Math.min(100, score))) / 100;
  const labelStep = Math.max(1, Math.ceil(scores.length / 5));
  const labelled = scores.map((_, index) => index).filter((index) => index % labelStep === 0 || index === scores.length - 1);
  const first = scores[0];
  const last = scores.at(-1);
  const summary =
    first === undefined || last === undefined
      ? 'No scores yet.'
      : scores.length === 1
        ? `One score: ${last.score} on ${format.date(last.scoredOn)}.`
        : `From ${first.score} on ${format.date(first.scoredOn)} to ${last.score} on ${format.date(last.scoredOn)}, ${scores.length} scores.`;
  return (
    <figure className="card score-chart" aria-labelledby={`${id}-caption`} data-testid="score-history">
      <figcaption id={`${id}-caption`}>
        <h3>Score history</h3>
        <span className="muted small">{summary}</span>
      </figcaption>
      <svg viewBox={`0 0 ${chart.width} ${chart.height}`} aria-hidden="true" focusable="false">
        {classLines.map((line) => (
          <g key={line.label}>
            <line className="grid-line" x1={chart.left} x2={chart.width - chart.right} y1={y(line.score)} y2={y(line.score)} />
            <text className="axis-label" x={chart.left - 6} y={y(line.score) + 4} textAnchor="end">
              {line.score}
            </text>
            <text className="axis-label" x={chart.width - chart.right} y={y(line.score) - 3} textAnchor="end">
              {line.label}
            </text>
          </g>
        ))}
        <line className="grid-line" x1={chart.left} x2={chart.width - chart.right} y1={y(0)} y2={y(0)} />
        {labelled.map((index) => (
          <text key={index} className="axis-label" x={x(index)} y={chart.height - 8} textAnchor={scores.length === 1 ? 'middle' : index === 0 ? 'start' : index === scores.length - 1 ? 'end' : 'middle'}>
            {format.date(scores[index]!.scoredOn)}
          </text>
        ))}
        {scores.length > 1 ? <polyline className="score-line" points={scores.map((score, index) => `${x(index)},${y(score.score)}`).join(' ')} /> : null}
        {scores.map((score, index) => (
          <circle key={score.scoredOn} className="score-point" cx={x(index)} cy={y(score.score)} r={3.5}>
            <title>{`${format.date(score.scoredOn)}: ${score.score} (class ${score.riskClass})`}</title>
          </circle>
        ))}
      </svg>
      <table className="visually-hidden">
        <caption>Scores, oldest first</caption>
        <thead>
          <tr>
            <th scope="col">Scored on</th>
            <th scope="col">Score</th>
            <th scope="col">Class</th>
          </tr>
        </thead>
        <tbody>
          {scores.map((score) => (
            <tr key={score.scoredOn}>
              <td>{format.date(score.scoredOn)}</td>
              <td>{score.score}</td>
              <td>{score.riskClass}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

// ---- deciding a review

export type ReviewDecision = 'release' | 'reject';

interface ReviewDecisionPanelProps {
  readonly review: CreditReview;
  readonly decision: ReviewDecision;
  readonly onDone: (result: { review: CreditReview; order: Order }) => void;
  readonly onClose: () => void;
}

/** The inline form of a decision on a held order: why (required) and, for a release, a one-off limit increase. */
export function ReviewDecisionPanel({ review, decision, onDone, onClose }: ReviewDecisionPanelProps) {
  const [actionKey] = useState(() => new ActionKey());
  if (decision === 'reject') {
    return (
      <ReasonPanel
        title={`Reject order ${review.order.number}?`}
        description={`The order is cancelled and releases what it reserved. ${review.order.enteredBy} entered it; the reason stays with the order.`}
        confirmLabel="Reject order"
        reasonLabel="Reason for the rejection"
        onConfirm={async (reason) => onDone(await actionKey.run({ reject: review.id, reason }, (key) => rejectCreditReview(review.id, reason, key)))}
        onClose={onClose}
      />
    );
  }
  return <ReleasePanel review={review} actionKey={actionKey} onDone={onDone} onClose={onClose} />;
}

function ReleasePanel({ review, actionKey, onDone, onClose }: Omit<ReviewDecisionPanelProps, 'decision'> & { readonly actionKey: ActionKey }) {
  const id = useId();
  const format = useFormatters();
  const [reason, setReason] = useState('');
  const [increase, setIncrease] = useState('');
  const [increaseProblem, setIncreaseProblem] = useState<string | undefined>(undefined);
  const currency = review.inputs.currency ?? review.order.currency;
  const headroom = review.inputs.headroom ?? null;
  const overBy = headroom !== null && compareDecimal(headroom, '0') < 0 ? subtractDecimal('0', headroom) : null;
  const submit = useSubmit(async () => {
    const amount = parseOptionalAmount(increase);
    setIncreaseProblem(amount === undefined ? 'Enter an amount above zero, such as 500.00, or leave it empty.' : undefined);
    if (amount === undefined) return;
    const body = { reason: reason.trim(), ...(amount === null ? {} : { oneOffIncrease: amount }) };
    onDone(await actionKey.run({ release: review.id, body }, (key) => releaseCreditReview(review.id, body, key)));
  });
  const apiError = submit.error instanceof ApiError ? submit.error : null;
  return (
    <form className="confirm card card-highlight credit-form" role="group" aria-labelledby={`${id}-title`} onSubmit={(event) => void submit.run(event)}>
      <h2 id={`${id}-title`}>Release order {review.order.number}?</h2>
      <p>
        The order is approved and reserves its stock now. {review.order.enteredBy} entered it; only another person with the credit role releases it.
      </p>
      <TextAreaField label="Reason for the release" required maxLength={500} value={reason} onChange={setReason} error={apiError?.fieldError('reason')} autoFocus />
      <div className="field-grid">
        <Field
          label={`One-off limit increase (${currency}, optional)`}
          inputMode="decimal"
          className="num-input"
          value={increase}
          onChange={setIncrease}
          hint={
            overBy === null
              ? 'For this order only; the limit itself does not change.'
              : `For this order only. When it was held it took ${format.money(overBy, currency)} over the limit; an increase must cover what it takes over the limit now.`
          }
          error={increaseProblem ?? apiError?.fieldError('oneOffIncrease')}
        />
      </div>
      <ErrorMessage error={submit.error} shownFields={['reason', 'oneOffIncrease']} />
      <div className="actions">
        <button type="submit" disabled={submit.busy}>
          Release order
        </button>
        <button type="button" className="secondary" onClick={onClose} disabled={submit.busy}>
          Back
        </button>
      </div>
    </form>
  );
}

/** The buttons that open a decision on a held order, named with the order for screen readers; the caller puts them in its actions. */
export function ReviewDecisionButtons({
  review,
  open,
  onToggle,
  small = false,
}: {
  readonly review: CreditReview;
  readonly open: ReviewDecision | null;
  readonly onToggle: (decision: ReviewDecision) => void;
  readonly small?: boolean;
}) {
  return (
    <>
      <button type="button" className={small ? 'small' : undefined} aria-expanded={open === 'release'} onClick={() => onToggle('release')}>
        Release<span className="visually-hidden"> order {review.order.number}</span>
      </button>
      <button type="button" className={small ? 'secondary small' : 'danger'} aria-expanded={open === 'reject'} onClick={() => onToggle('reject')}>
        Reject<span className="visually-hidden"> order {review.order.number}</span>
      </button>
    </>
  );
}

/** Who decided a review, when, why and with what one-off increase. */
export function ReviewDecisionFacts({ review }: { readonly review: CreditReview }) {
  const format = useFormatters();
  if (review.decidedBy === null) return null;
  return (
    <div className="small">
      {review.decidedBy}, {format.instant(review.decidedAt)}
      {review.decisionReason === null ? null : <div>“{review.decisionReason}”</div>}
      {review.oneOffIncrease === null ? null : (
        <div>
          One-off increase <span className="num-inline">{format.money(review.oneOffIncrease, review.inputs.currency ?? review.order.currency)}</span>
        </div>
      )}
    </div>
  );
}

/** Exposure after the order against the limit, as the order was held: the amount, the limit and how far over. */
export function ExposureAfterCell({ review }: { readonly review: CreditReview }) {
  const format = useFormatters();
  const { inputs } = review;
  const currency = inputs.currency ?? review.order.currency;
  const after = inputs.exposureAfter ?? null;
  const limit = inputs.limit ?? null;
  const headroom = inputs.headroom ?? null;
  const over = headroom !== null && compareDecimal(headroom, '0') < 0;
  const scale = largestOf([after, limit]);
  return (
    <>
      <span className="strong">{format.money(after, currency)}</span>
      <div className="muted small">
        limit {limit === null ? 'none' : format.money(limit, currency)}
        {inputs.limitSource === undefined ? null : <> ({limitSourceLabels[inputs.limitSource]})</>}
      </div>
      {over ? <div className="small text-danger strong">over by {format.money(subtractDecimal('0', headroom), currency)}</div> : null}
      {after === null || compareDecimal(scale, '0') === 0 ? null : (
        <span className={over ? 'credit-meter credit-meter-over' : 'credit-meter'} aria-hidden="true">
          <span style={{ width: `${proportion(after, scale) / 10}%` }} />
        </span>
      )}
    </>
  );
}

const blockLabels: Record<CreditBlockState, string> = { none: 'not blocked', automatic: 'blocked automatically', manual: 'blocked by a credit manager' };

/** The facts a credit decision was taken on: the order's value, exposure before and after, the limit, what was past due. */
export function DecisionInputsFacts({ inputs, fallbackCurrency }: { readonly inputs: CreditDecisionInputs; readonly fallbackCurrency: string }) {
  const format = useFormatters();
  const currency = inputs.currency ?? fallbackCurrency;
  const headroom = inputs.headroom ?? null;
  const exposure = inputs.exposure;
  return (
    <dl className="details" data-testid="decision-inputs">
      {inputs.orderValue === undefined ? null : (
        <Fact term="Order value">
          <span className="num-inline">{format.money(inputs.orderValue, currency)}</span>
          {inputs.orderCurrency === undefined || inputs.orderCurrency === currency || inputs.orderValueInOrderCurrency === undefined ? null : (
            <span className="muted"> ({format.money(inputs.orderValueInOrderCurrency, inputs.orderCurrency)})</span>
          )}
        </Fact>
      )}
      {exposure === undefined ? null : (
        <Fact term="Exposure before">
          <span className="num-inline">{format.money(exposure.total, currency)}</span>
          <div className="muted small">
            open receivables {format.money(exposure.openReceivables, currency)} · shipped, not invoiced {format.money(exposure.shippedNotInvoiced, currency)} · approved, not shipped{' '}
            {format.money(exposure.approvedNotShipped, currency)}
          </div>
        </Fact>
      )}
      {inputs.exposureAfter === undefined ? null : (
        <Fact term="Exposure after">
          <span className="num-inline strong">{format.money(inputs.exposureAfter, currency)}</span>
        </Fact>
      )}
      {inputs.limit === undefined ? null : (
        <Fact term="Limit">
          <span className="num-inline">{inputs.limit === null ? 'none' : format.money(inputs.limit, currency)}</span>
          {inputs.limitSource === undefined ? null : <span className="muted"> ({limitSourceLabels[inputs.limitSource]})</span>}
        </Fact>
      )}
      {headroom === null ? null : (
        <Fact term={compareDecimal(headroom, '0') < 0 ? 'Over the limit by' : 'Left within the limit'}>
          <span className={compareDecimal(headroom, '0') < 0 ? 'num-inline strong text-danger' : 'num-inline'}>
            {format.money(compareDecimal(headroom, '0') < 0 ? subtractDecimal('0', headroom) : headroom, currency)}
          </span>
        </Fact>
      )}
      {inputs.overdue === undefined ? null : (
        <Fact term="Past due">
          {inputs.oldestOverdueDays === null || inputs.oldestOverdueDays === undefined ? (
            'nothing'
          ) : (
            <>
              <span className="num-inline">{format.money(inputs.overdue, currency)}</span>, the oldest {inputs.oldestOverdueDays} days
            </>
          )}
          {inputs.graceDays === undefined ? null : <span className="muted"> (grace {inputs.graceDays} days)</span>}
        </Fact>
      )}
      {inputs.block === undefined ? null : <Fact term="Credit">{blockLabels[inputs.block]}</Fact>}
      {inputs.missingRates === undefined || inputs.missingRates.length === 0 ? null : <Fact term="No exchange rate">{inputs.missingRates.join(', ')}</Fact>}
    </dl>
  );
}

// ---- history tables

/** A customer's reviews, newest first: the order, why it was held and what was decided. */
export function ReviewsTable({ reviews, caption }: { readonly reviews: readonly CreditReview[]; readonly caption: string }) {
  const format = useFormatters();
  return (
    <DataTable caption={caption} columns={['Order', { label: 'Value', className: 'num' }, 'Held because', 'Decision']} actions>
      {reviews.map((review) => (
        <tr role="row" key={review.id} data-testid={`review-${review.order.number}`}>
          <td role="cell" data-label="Order">
            <Link to={`/orders/${review.order.id}`}>{review.order.number}</Link>
            <div className="muted small">held {format.instant(review.openedAt)}</div>
          </td>
          <td role="cell" data-label="Value" className="num">{format.money(review.order.gross, review.order.currency)}</td>
          <td role="cell" data-label="Held because" className="small">
            <ReasonList reasons={review.reasons} label={`Why ${review.order.number} was held`} />
          </td>
          <td role="cell" data-label="Decision">
            <ReviewStatusBadge status={review.status} />
            <ReviewDecisionFacts review={review} />
          </td>
          <td role="cell" className="cell-actions">
            <Link to={`/credit/reviews/${review.id}`}>
              Details<span className="visually-hidden"> of the review of {review.order.number}</span>
            </Link>
          </td>
        </tr>
      ))}
      {reviews.length === 0 ? <EmptyRow colSpan={5}>No order of this customer was held.</EmptyRow> : null}
    </DataTable>
  );
}

export function LimitChangesTable({ changes, caption }: { readonly changes: readonly CreditLimitChange[]; readonly caption: string }) {
  const format = useFormatters();
  return (
    <DataTable caption={caption} columns={['Changed', { label: 'Before', className: 'num' }, { label: 'Limit', className: 'num' }, 'Kind', 'Reason']}>
      {changes.map((change) => (
        <tr role="row" key={change.id} data-testid={`limit-change-${change.id}`}>
          <td role="cell" data-label="Changed" className="small">
            {format.instant(change.changedAt)}
            <div className="muted">{change.changedBy}</div>
          </td>
          <td role="cell" data-label="Before" className="num">{change.previousLimit === null ? 'none' : format.money(change.previousLimit, change.currency)}</td>
          <td role="cell" data-label="Limit" className="num strong">{format.money(change.limit, change.currency)}</td>
          <td role="cell" data-label="Kind">{change.expiresOn === null ? 'Own limit' : `Temporary until ${format.date(change.expiresOn)}`}</td>
          <td role="cell" data-label="Reason">“{change.reason}”</td>
        </tr>
      ))}
      {changes.length === 0 ? <EmptyRow colSpan={5}>The limit was never changed here.</EmptyRow> : null}
    </DataTable>
  );
}

interface LimitRequestsTableProps {
  readonly requests: readonly CreditLimitRequest[];
  readonly caption: string;
  readonly showCustomer?: boolean;
  readonly renderAction?: (request: CreditLimitRequest) => ReactNode;
  /** Rows after a request's row, e.g. its decision form. */
  readonly renderDetails?: (request: CreditLimitRequest, colSpan: number) => ReactNode;
  readonly empty: string;
}

/** Limit requests, newest first: who asked for what and why, and the decision. */
export function LimitRequestsTable({ requests, caption, showCustomer = true, renderAction, renderDetails, empty }: LimitRequestsTableProps) {
  const format = useFormatters();
  const columns = [...(showCustomer ? ['Customer'] : []), { label: 'Limit asked', className: 'num' }, 'Until', 'Reason', 'Asked', 'Decision'];
  const colSpan = columns.length + (renderAction === undefined ? 0 : 1);
  return (
    <DataTable caption={caption} columns={columns} actions={renderAction !== undefined}>
      {requests.map((request) => (
        <LimitRequestRows key={request.id} request={request} showCustomer={showCustomer} renderAction={renderAction} details={renderDetails?.(request, colSpan) ?? null} format={format} />
      ))}
      {requests.length === 0 ? <EmptyRow colSpan={colSpan}>{empty}</EmptyRow> : null}
    </DataTable>
  );
}

function LimitRequestRows({
  request,
  showCustomer,
  renderAction,
  details,
  format,
}: {
  readonly request: CreditLimitRequest;
  readonly showCustomer: boolean;
  readonly renderAction: ((request: CreditLimitRequest) => ReactNode) | undefined;
  readonly details: ReactNode;
  readonly format: Formatters;
}) {
  return (
    <>
      <tr role="row" data-testid={`limit-request-${request.customer.number}-${request.limit}`}>
        {showCustomer ? (
          <td role="cell" data-label="Customer">
            <Link to={`/customers/${request.customer.id}/credit`}>{request.customer.name}</Link> <span className="muted small">{request.customer.number}</span>
          </td>
        ) : null}
        <td role="cell" data-label="Limit asked" className="num">
          <span className="strong">{format.money(request.limit, request.currency)}</span>
          <div className="muted small">own limit now {request.currentLimit === null ? 'none' : format.money(request.currentLimit, request.currency)}</div>
        </td>
        <td role="cell" data-label="Until" className="nowrap">{request.expiresOn === null ? <span className="muted">no end</span> : format.date(request.expiresOn)}</td>
        <td role="cell" data-label="Reason">“{request.reason}”</td>
        <td role="cell" data-label="Asked" className="small">
          {request.requestedBy}
          <div className="muted">{format.instant(request.requestedAt)}</div>
        </td>
        <td role="cell" data-label="Decision">
          <LimitRequestStatusBadge status={request.status} />
          {request.decidedBy === null ? null : (
            <div className="small">
              {request.decidedBy}, {format.instant(request.decidedAt)}
              {request.decisionReason === null ? null : <div>“{request.decisionReason}”</div>}
            </div>
          )}
        </td>
        {renderAction === undefined ? null : (
          <td role="cell" className="cell-actions">
            {renderAction(request)}
          </td>
        )}
      </tr>
      {details}
    </>
  );
}
