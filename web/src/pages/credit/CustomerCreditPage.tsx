import { useCallback, useRef, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { allows } from '../../access';
import { ActionKey, blockCredit, getCustomerCredit, scoreCustomerCredit, unblockCredit, type CustomerCredit } from '../../api';
import { DetailFallback } from '../../components/DetailFallback';
import { ErrorMessage } from '../../components/ErrorMessage';
import { ReasonPanel } from '../../components/ReasonPanel';
import { useFormatters, useMe } from '../../session';
import { useLoad } from '../../useLoad';
import { usePageTitle } from '../../usePageTitle';
import { LimitForm, LimitRequestForm } from './creditForms';
import {
  CreditBlockBadge,
  ExposureChart,
  LimitChangesTable,
  LimitFacts,
  LimitRequestsTable,
  OverdueTable,
  PositionNotes,
  ReviewsTable,
  ScoreCard,
  overdueSummary,
} from './creditParts';

export function CustomerCreditPage() {
  const { customerId = '' } = useParams();
  return <CustomerCreditLoader key={customerId} customerId={customerId} />;
}

function CustomerCreditLoader({ customerId }: { readonly customerId: string }) {
  const credit = useLoad(useCallback(() => getCustomerCredit(customerId), [customerId]));
  usePageTitle(credit.data === null ? 'Customer credit' : `Credit of ${credit.data.position.customer.name}`);
  if (credit.data === null) {
    return <DetailFallback error={credit.error} loadingText="Loading credit…" title="Customer credit" backTo={`/customers/${customerId}`} backLabel="Back to the customer" />;
  }
  return <CreditView credit={credit.data} onReload={credit.reload} reloading={credit.loading} />;
}

type Panel = 'limit' | 'request' | 'block' | 'unblock' | null;

function CreditView({ credit, onReload, reloading }: { readonly credit: CustomerCredit; readonly onReload: () => void; readonly reloading: boolean }) {
  const me = useMe();
  const format = useFormatters();
  const { position } = credit;
  const customer = position.customer;
  const currency = position.currency;
  const canDecide = allows(me.actor.roles, 'decideCredit');
  const canScore = allows(me.actor.roles, 'creditPolicy');
  const canRequest = allows(me.actor.roles, 'requestLimits');
  const [panel, setPanel] = useState<Panel>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [actionError, setActionError] = useState<unknown>(null);
  const [scoring, setScoring] = useState(false);
  const [blockKey] = useState(() => new ActionKey());
  const [scoreKey] = useState(() => new ActionKey());
  const heading = useRef<HTMLHeadingElement>(null);

  const done = (message: string) => {
    setPanel(null);
    setNotice(message);
    onReload();
    heading.current?.focus();
  };

  const toggle = (next: Exclude<Panel, null>) => {
    setNotice(null);
    setActionError(null);
    setPanel(panel === next ? null : next);
  };

  const scoreNow = async () => {
    setScoring(true);
    setNotice(null);
    setActionError(null);
    try {
      const score = await scoreKey.run({ score: customer.id }, (key) => scoreCustomerCredit(customer.id, key));
      done(`Scored on ${format.date(score.scoredOn)}: ${score.score} of 100, risk class ${score.riskClass}.`);
    } catch (failure) {
      setActionError(failure);
    } finally {
      setScoring(false);
    }
  };

  const panelButton = (target: Exclude<Panel, null>, label: string, className?: string) => (
    <button type="button" className={className} aria-expanded={panel === target} onClick={() => toggle(target)}>
      {label}
    </button>
  );

  return (
    <>
      <p className="breadcrumb">
        <Link to="/customers">Customers</Link> › <Link to={`/customers/${customer.id}`}>{customer.number}</Link> › Credit
      </p>
      <div className="page-heading">
        <h1 ref={heading} tabIndex={-1}>
          Credit of {customer.name} <CreditBlockBadge state={position.block.state} />
        </h1>
        <div className="actions">
          {canDecide ? panelButton('limit', 'Set limit') : null}
          {canRequest && !canDecide ? panelButton('request', 'Ask for a limit') : null}
          {canDecide && position.block.state !== 'manual' ? panelButton('block', 'Block credit', 'danger') : null}
          {canDecide && position.block.state !== 'none' ? panelButton('unblock', 'Lift credit block', 'secondary') : null}
          <Link className="button secondary" to={`/customers/${customer.id}/account`}>
            Account
          </Link>
        </div>
      </div>
      <p className="page-meta">
        {customer.number} · credit in {currency} · as of {format.date(position.asOf)}
      </p>

      {notice === null ? null : (
        <p className="message message-success" role="status">
          {notice}
        </p>
      )}
      <ErrorMessage error={actionError} />
      {panel === 'limit' ? (
        <LimitForm
          customer={customer}
          currency={currency}
          onClose={() => setPanel(null)}
          onDone={(change) =>
            done(
              change.expiresOn === null
                ? `Credit limit of ${customer.name} set to ${format.money(change.limit, change.currency)}.`
                : `Temporary limit of ${format.money(change.limit, change.currency)} in force until ${format.date(change.expiresOn)}.`,
            )
          }
        />
      ) : null}
      {panel === 'request' ? (
        <LimitRequestForm
          customer={{ id: customer.id, name: customer.name, currency }}
          onClose={() => setPanel(null)}
          onDone={(request) => done(`Limit of ${format.money(request.limit, request.currency)} asked for; it waits for a credit manager.`)}
        />
      ) : null}
      {panel === 'block' ? (
        <ReasonPanel
          title={`Block the credit of ${customer.name}?`}
          description="Its new orders go on credit hold until a person lifts the block; orders already approved go on."
          confirmLabel="Block credit"
          reasonLabel="Why credit is blocked"
          onConfirm={async (reason) => {
            await blockKey.run({ block: customer.id, reason }, (key) => blockCredit(customer.id, reason, key));
            done(`The credit of ${customer.name} is blocked.`);
          }}
          onClose={() => setPanel(null)}
        />
      ) : null}
      {panel === 'unblock' ? (
        <ReasonPanel
          title={`Lift the credit block of ${customer.name}?`}
          description={
            position.block.state === 'automatic'
              ? 'An automatic block comes back at the next check while its cause remains.'
              : 'New orders are checked against the limit again.'
          }
          confirmLabel="Lift credit block"
          reasonLabel="Why the block is lifted"
          danger={false}
          onConfirm={async (reason) => {
            await blockKey.run({ unblock: customer.id, reason }, (key) => unblockCredit(customer.id, reason, key));
            done(`The credit block of ${customer.name} is lifted.`);
          }}
          onClose={() => setPanel(null)}
        />
      ) : null}

      <PositionNotes position={position} />

      <div aria-busy={reloading}>
        <ExposureChart exposure={position.exposure} currency={currency} limit={position.limit} limitSource={position.limitSource} title={`Exposure: ${format.money(position.exposure.total, currency)}`} />

        <div className="cards">
          <section className="card" aria-labelledby="credit-limit-heading">
            <h2 id="credit-limit-heading">Limit</h2>
            <LimitFacts position={position} />
          </section>
        </div>

        <section className="section" aria-labelledby="credit-overdue-heading">
          <div className="list-toolbar">
            <h2 id="credit-overdue-heading">Past due</h2>
            <span className="muted small">{overdueSummary(position, format)}</span>
          </div>
          <OverdueTable position={position} caption={`Past-due invoices of ${customer.name}`} />
        </section>

        <ScoreCard
          score={credit.score}
          scores={credit.scores}
          action={
            canScore ? (
              <button type="button" className="secondary" onClick={() => void scoreNow()} disabled={scoring}>
                Score now
              </button>
            ) : null
          }
        />

        <section className="section" aria-labelledby="credit-changes-heading">
          <h2 id="credit-changes-heading">Limit changes</h2>
          <LimitChangesTable changes={credit.limitChanges} caption={`Limit changes of ${customer.name}, newest first`} />
        </section>

        <section className="section" aria-labelledby="credit-reviews-heading">
          <div className="list-toolbar">
            <h2 id="credit-reviews-heading">Credit reviews</h2>
            <Link to={`/credit/reviews?customerId=${encodeURIComponent(customer.id)}`}>Review queue of {customer.name}</Link>
          </div>
          <ReviewsTable reviews={credit.reviews} caption={`Credit reviews of ${customer.name}, newest first`} />
        </section>

        <section className="section" aria-labelledby="credit-requests-heading">
          <div className="list-toolbar">
            <h2 id="credit-requests-heading">Limit requests</h2>
            <Link to={`/credit/limit-requests?customerId=${encodeURIComponent(customer.id)}`}>All limit requests of {customer.name}</Link>
          </div>
          <LimitRequestsTable requests={credit.limitRequests} caption={`Limit requests of ${customer.name}, newest first`} showCustomer={false} empty="No limit was asked for." />
        </section>
      </div>
    </>
  );
}
