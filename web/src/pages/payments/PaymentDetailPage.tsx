import { useCallback, useId, useMemo, useRef, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { allows } from '../../access';
import {
  ActionKey,
  applyPayment,
  getOpenItems,
  getPayment,
  getPaymentHistory,
  previewPaymentApplications,
  refundPayment,
  reversePayment,
  undoPaymentApplication,
  type ApplicationRequest,
  type HistoryEntry,
  type Payment,
} from '../../api';
import { humanize } from '../../components/Badges';
import { DetailFallback } from '../../components/DetailFallback';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Fact } from '../../components/Fact';
import { HistoryTimeline } from '../../components/HistoryTimeline';
import { LoadedContent } from '../../components/LoadedContent';
import { ReasonPanel } from '../../components/ReasonPanel';
import { SectionTabs } from '../../components/SectionTabs';
import { compareDecimal } from '../../decimal';
import type { Formatters } from '../../format';
import { useFormatters, useMe } from '../../session';
import { useArrival } from '../../useArrival';
import { useLoad } from '../../useLoad';
import { usePageTitle } from '../../usePageTitle';
import { useSubmit } from '../../useSubmit';
import { ApplicationPlanTable, ApplicationsTable, PaymentBadges, RefundPanel, RefundsTable, methodLabel, paymentsTabs, useApplicationPlan } from './paymentParts';

export function PaymentDetailPage() {
  const { paymentId = '' } = useParams();
  return <PaymentDetail key={paymentId} paymentId={paymentId} />;
}

function PaymentDetail({ paymentId }: { readonly paymentId: string }) {
  const payment = useLoad(useCallback(() => getPayment(paymentId), [paymentId]));
  usePageTitle(payment.data === null ? 'Payment' : `Payment ${payment.data.number}`);
  const arrival = useArrival<{ notice?: string }>();
  if (payment.data === null) {
    return <DetailFallback error={payment.error} loadingText="Loading payment…" title="Payment" backTo="/payments" backLabel="Back to payments" />;
  }
  return <PaymentView payment={payment.data} onChanged={payment.set} arrivalNotice={arrival.notice ?? null} />;
}

type Panel = 'apply' | 'refund' | 'reverse' | null;

function PaymentView({ payment, onChanged, arrivalNotice }: { readonly payment: Payment; readonly onChanged: (payment: Payment) => void; readonly arrivalNotice: string | null }) {
  const me = useMe();
  const format = useFormatters();
  const canRecord = allows(me.actor.roles, 'recordPayments');
  const actions = canRecord ? payment.availableActions : [];
  const [panel, setPanel] = useState<Panel>(null);
  const [undoing, setUndoing] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(arrivalNotice);
  const [refundKey] = useState(() => new ActionKey());
  const [reverseKey] = useState(() => new ActionKey());
  const [undoKey] = useState(() => new ActionKey());
  const heading = useRef<HTMLHeadingElement>(null);

  const done = (next: Payment, message: string) => {
    onChanged(next);
    setPanel(null);
    setUndoing(null);
    setNotice(message);
    heading.current?.focus();
  };

  const toggle = (next: Panel) => {
    setNotice(null);
    setUndoing(null);
    setPanel(panel === next ? null : next);
  };

  const actionButton = (action: string, target: Exclude<Panel, null>, label: string, className?: string) =>
    actions.includes(action as Payment['availableActions'][number]) ? (
      <button type="button" className={className} onClick={() => toggle(target)} aria-expanded={panel === target}>
        {label}
      </button>
    ) : null;

  const undoable = canRecord && payment.status === 'received';
  const undoingApplication = payment.applications.find((application) => application.id === undoing) ?? null;

  return (
    <>
      <SectionTabs label="Payments" links={paymentsTabs} />
      <p className="breadcrumb">
        <Link to="/payments">Payments</Link> › {payment.number}
      </p>
      <div className="page-heading">
        <h1 ref={heading} tabIndex={-1}>
          Payment {payment.number}
        </h1>
        <div className="actions">
          {actionButton('apply', 'apply', 'Apply unapplied cash')}
          {actionButton('refund', 'refund', 'Refund', 'secondary')}
          {actionButton('reverse', 'reverse', 'Reverse', 'danger')}
        </div>
      </div>
      <div className="status-line">
        <span className="label-inline">Status</span>
        <PaymentBadges payment={payment} />
        <span className="muted small">version {payment.version}</span>
      </div>

      {notice === null ? null : (
        <p className="message message-success" role="status">
          {notice}
        </p>
      )}

      {panel === 'apply' ? (
        <ApplyPanel
          payment={payment}
          onClose={() => setPanel(null)}
          onDone={(next, count) => done(next, `Applied to ${count === 1 ? '1 invoice' : `${count} invoices`}; ${format.money(next.unapplied, next.currency)} unapplied.`)}
        />
      ) : null}
      {panel === 'refund' ? (
        <RefundPanel
          title={`Refund from ${payment.number}`}
          available={payment.unapplied}
          currency={payment.currency}
          onClose={() => setPanel(null)}
          onRefund={async (body) => {
            const refund = await refundKey.run({ refund: payment.id, body }, (key) => refundPayment(payment.id, body, key));
            done(await getPayment(payment.id), `Refund ${refund.number} of ${format.money(refund.amount, refund.currency)} paid back.`);
          }}
        />
      ) : null}
      {panel === 'reverse' ? (
        <ReasonPanel
          title={`Reverse payment ${payment.number}?`}
          description="For money that bounced or was returned: every application is undone, so what it paid is open on the invoices again, and the receipt is reversed in the ledger."
          confirmLabel="Reverse payment"
          reasonLabel="Why it is reversed"
          onConfirm={async (reason) => {
            const body = { reason, version: payment.version };
            const next = await reverseKey.run({ reverse: payment.id, body }, (key) => reversePayment(payment.id, body, key));
            done(next, `Payment ${next.number} reversed.`);
          }}
          onClose={() => setPanel(null)}
        />
      ) : null}

      <div className="cards">
        <section className="card" aria-labelledby="payment-facts-heading">
          <h2 id="payment-facts-heading">Payment</h2>
          <dl className="details">
            <Fact term="Customer">
              <Link to={`/customers/${payment.customer.id}/account`}>{payment.customer.name}</Link> <span className="muted">{payment.customer.number}</span>
            </Fact>
            <Fact term="Value date">{format.date(payment.valueDate)}</Fact>
            <Fact term="Method">{methodLabel(payment.method)}</Fact>
            <Fact term="Payer reference">{payment.payerReference ?? '—'}</Fact>
            <Fact term="Bank account">{payment.bankAccount === null ? '—' : <code>{payment.bankAccount}</code>}</Fact>
            {payment.notes === null ? null : <Fact term="Notes">{payment.notes}</Fact>}
            <Fact term="Posting">
              {allows(me.actor.roles, 'readLedger') ? <Link to={`/ledger/journal/${payment.journalEntryId}`}>Journal entry</Link> : 'Posted'}
            </Fact>
            <Fact term="Recorded">
              {format.instant(payment.createdAt)} by {payment.createdBy}
            </Fact>
          </dl>
        </section>
        <section className="card" aria-labelledby="payment-amounts-heading">
          <h2 id="payment-amounts-heading">Amounts</h2>
          <dl className="totals" data-testid="payment-amounts">
            <dt>Received</dt>
            <dd>{format.money(payment.amount, payment.currency)}</dd>
            <dt>Applied</dt>
            <dd data-testid="payment-applied">{format.money(payment.applied, payment.currency)}</dd>
            {compareDecimal(payment.refunded, '0') === 0 ? null : (
              <>
                <dt>Refunded</dt>
                <dd>{format.money(payment.refunded, payment.currency)}</dd>
              </>
            )}
            <dt className="grand">Unapplied</dt>
            <dd className="grand" data-testid="payment-unapplied">
              {format.money(payment.unapplied, payment.currency)}
            </dd>
          </dl>
          {payment.reversal === null ? null : (
            <div className="message message-warning" role="note">
              <p>
                Reversed on {format.date(payment.reversal.date)} by {payment.reversal.by}: “{payment.reversal.reason}”.
                {payment.reversal.journalEntryId !== null && allows(me.actor.roles, 'readLedger') ? (
                  <>
                    {' '}
                    <Link to={`/ledger/journal/${payment.reversal.journalEntryId}`}>Reversal entry</Link>
                  </>
                ) : null}
              </p>
            </div>
          )}
        </section>
      </div>

      <section className="section" aria-labelledby="payment-applications-heading">
        <h2 id="payment-applications-heading">Applications</h2>
        {payment.applications.length === 0 ? (
          <p className="muted">Not applied to any invoice.</p>
        ) : (
          <ApplicationsTable
            applications={payment.applications}
            show="invoice"
            caption={`Applications of ${payment.number}`}
            renderAction={
              undoable
                ? (application) =>
                    application.status === 'active' ? (
                      <button
                        type="button"
                        className="secondary small"
                        aria-expanded={undoing === application.id}
                        onClick={() => {
                          setPanel(null);
                          setNotice(null);
                          setUndoing(undoing === application.id ? null : application.id);
                        }}
                      >
                        Undo<span className="visually-hidden"> the application to {application.invoice.number}</span>
                      </button>
                    ) : null
                : undefined
            }
          />
        )}
        {undoingApplication === null ? null : (
          <ReasonPanel
            key={undoingApplication.id}
            title={`Undo the application to ${undoingApplication.invoice.number}?`}
            description={`${undoingApplication.invoice.number} is open again by what it settled (${format.money(undoingApplication.amount, undoingApplication.invoice.currency)}${
              compareDecimal(undoingApplication.discount, '0') > 0 ? ` and ${format.money(undoingApplication.discount, undoingApplication.invoice.currency)} discount` : ''
            }); the cash goes back to the payment's unapplied cash.`}
            confirmLabel="Undo application"
            reasonLabel="Why it is undone"
            onConfirm={async (reason) => {
              await undoKey.run({ undo: undoingApplication.id, reason }, (key) => undoPaymentApplication(undoingApplication.id, reason, key));
              done(await getPayment(payment.id), `The application to ${undoingApplication.invoice.number} was undone; it is open again.`);
            }}
            onClose={() => setUndoing(null)}
          />
        )}
      </section>

      {payment.refunds.length === 0 ? null : (
        <section className="section" aria-labelledby="payment-refunds-heading">
          <h2 id="payment-refunds-heading">Refunds</h2>
          <RefundsTable refunds={payment.refunds} caption={`Refunds of ${payment.number}`} />
        </section>
      )}

      <section className="section" aria-labelledby="payment-history-heading">
        <h2 id="payment-history-heading">History</h2>
        <PaymentHistory key={payment.version} payment={payment} />
      </section>
    </>
  );
}

/** Apply what is left of the payment: the suggestion first, then the person's changes, previewed before confirming. */
function ApplyPanel({ payment, onDone, onClose }: { readonly payment: Payment; readonly onDone: (payment: Payment, count: number) => void; readonly onClose: () => void }) {
  const id = useId();
  const format = useFormatters();
  const [actionKey] = useState(() => new ActionKey());
  const items = useLoad(useCallback(() => getOpenItems(payment.customer.id), [payment.customer.id]));
  const invoices = useMemo(() => (items.data === null ? [] : items.data.items.filter((item) => item.type === 'invoice')), [items.data]);
  const basis = items.data === null ? '' : JSON.stringify({ payment: payment.id, version: payment.version });
  const runPreview = useCallback((applications?: ApplicationRequest[]) => previewPaymentApplications(payment.id, applications), [payment.id]);
  const plan = useApplicationPlan(basis, invoices, payment.unapplied, payment.currency, runPreview);
  const submit = useSubmit(async () => {
    const applications = plan.applications;
    if (applications.length === 0) throw new Error('Enter an amount for at least one invoice.');
    const next = await actionKey.run({ apply: payment.id, applications }, (key) => applyPayment(payment.id, applications, key));
    onDone(next, applications.length);
  });
  return (
    <section className="card card-highlight" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Apply unapplied cash</h2>
      <p className="muted">
        {format.money(payment.unapplied, payment.currency)} of {payment.number} is not applied yet. The open invoices of {payment.customer.name} are suggested oldest due first, at the value date {format.date(payment.valueDate)}.
      </p>
      <form onSubmit={(event) => void submit.run(event)}>
        <LoadedContent loaded={items} loadingText="Loading open invoices…">
          {() => (
            <>
              {plan.suggestionError === null ? null : <ErrorMessage error={plan.suggestionError} />}
              <ApplicationPlanTable plan={plan} caption={`Application of ${payment.number} to open invoices`} />
            </>
          )}
        </LoadedContent>
        <ErrorMessage error={submit.error} />
        <div className="actions">
          <button type="submit" disabled={submit.busy || !plan.ready || plan.applications.length === 0}>
            Apply
          </button>
          <button type="button" className="secondary" onClick={onClose} disabled={submit.busy}>
            Cancel
          </button>
        </div>
      </form>
    </section>
  );
}

const historyLabels: Record<string, string> = {
  'payment.received': 'Received',
  'payment.applied': 'Applied to invoices',
  'application.undone': 'Application undone',
  'payment.refunded': 'Refunded',
  'payment.reversed': 'Reversed',
};

function historyFacts(entry: HistoryEntry, format: Formatters, currency: string): string[] {
  const record = entry.after !== null && typeof entry.after === 'object' ? (entry.after as Record<string, unknown>) : {};
  const text = (name: string) => (typeof record[name] === 'string' ? (record[name] as string) : undefined);
  const facts: string[] = [];
  if (text('invoice') !== undefined) facts.push(text('invoice')!);
  if (text('amount') !== undefined) facts.push(format.money(text('amount'), text('currency') ?? currency));
  if (text('method') !== undefined) facts.push(methodLabel(text('method')!).toLowerCase());
  if (text('valueDate') !== undefined) facts.push(`value date ${format.date(text('valueDate'))}`);
  if (Array.isArray(record.applied)) {
    for (const applied of record.applied as Array<Record<string, unknown>>) {
      if (typeof applied.invoice !== 'string' || typeof applied.amount !== 'string') continue;
      const appliedCurrency = typeof applied.currency === 'string' ? applied.currency : currency;
      const discount = typeof applied.discount === 'string' && compareDecimal(applied.discount, '0') !== 0 ? ` (discount ${format.money(applied.discount, appliedCurrency)})` : '';
      facts.push(`${applied.invoice} ${format.money(applied.amount, appliedCurrency)}${discount}`);
    }
  }
  if (text('left') !== undefined) facts.push(`${format.money(text('left'), currency)} left`);
  if (text('refund') !== undefined) facts.push(`refund ${text('refund')}`);
  if (typeof record.undone === 'number' && record.undone > 0) facts.push(`${record.undone} ${record.undone === 1 ? 'application' : 'applications'} undone`);
  if (text('journalEntry') !== undefined) facts.push(`entry ${text('journalEntry')}`);
  if (text('reason') !== undefined) facts.push(`reason: “${text('reason')}”`);
  return facts;
}

function PaymentHistory({ payment }: { readonly payment: Payment }) {
  const format = useFormatters();
  const load = useCallback(() => getPaymentHistory(payment.id), [payment.id]);
  return (
    <HistoryTimeline
      load={load}
      label={`History of ${payment.number}, oldest first`}
      describe={(entry) => historyLabels[entry.action] ?? humanize(entry.action.replace(/^payment\./, ''))}
      facts={(entry) => historyFacts(entry, format, payment.currency)}
    />
  );
}
