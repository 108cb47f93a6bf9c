import { useCallback, useId, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router-dom';
import { allows } from '../../access';
import { getCustomer, getOpenItems, getStatement, listPayments, statementUrl, type Customer, type CustomerStatement, type StatementMovement } from '../../api';
import { CustomerStatusBadge } from '../../components/Badges';
import { DetailFallback } from '../../components/DetailFallback';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Field } from '../../components/Field';
import { ListFooter } from '../../components/ListControls';
import { todayIn } from '../../format';
import { useFormatters, useMe } from '../../session';
import { useLoad } from '../../useLoad';
import { usePagedList } from '../../usePagedList';
import { usePageTitle } from '../../usePageTitle';
import { useQueryParams } from '../invoicing/invoicingParts';
import { PaymentStatusBadge, UnappliedBadge, methodLabel } from '../payments/paymentParts';
import { BalanceFacts, OpenItemsTable } from './receivablesParts';

export function CustomerAccountPage() {
  const { customerId = '' } = useParams();
  const customer = useLoad(useCallback(() => getCustomer(customerId), [customerId]));
  usePageTitle(customer.data === null ? 'Customer account' : `Account of ${customer.data.name}`);
  if (customer.data === null) {
    return <DetailFallback error={customer.error} loadingText="Loading customer…" title="Customer account" backTo="/customers" backLabel="Back to customers" />;
  }
  return <AccountView key={customer.data.id} customer={customer.data} />;
}

/** The first day of the month three months back, and today: the statement's default period. */
function defaultPeriod(today: string): { from: string; to: string } {
  const [year, month] = today.split('-').map((part) => Number.parseInt(part, 10)) as [number, number];
  const back = year * 12 + (month - 1) - 2;
  const from = `${String(Math.floor(back / 12)).padStart(4, '0')}-${String((back % 12) + 1).padStart(2, '0')}-01`;
  return { from, to: today };
}

function AccountView({ customer }: { readonly customer: Customer }) {
  const me = useMe();
  const format = useFormatters();
  const query = useQueryParams();
  const today = todayIn(me.tenant.timeZone);
  const asOf = query.get('asOf');
  const openItems = useLoad(useCallback(() => getOpenItems(customer.id, asOf), [customer.id, asOf]));
  const fetchPayments = useCallback((cursor?: string) => listPayments({ customerId: customer.id }, cursor, 20), [customer.id]);
  const payments = usePagedList(fetchPayments);
  const canRecord = allows(me.actor.roles, 'recordPayments');

  return (
    <>
      <p className="breadcrumb">
        <Link to="/customers">Customers</Link> › <Link to={`/customers/${customer.id}`}>{customer.number}</Link> › Account
      </p>
      <div className="page-heading">
        <h1>
          Account of {customer.name} <CustomerStatusBadge status={customer.status} />
        </h1>
        <div className="actions">
          {canRecord ? (
            <Link className="button" to={`/payments/new?customerId=${encodeURIComponent(customer.id)}`}>
              Record payment
            </Link>
          ) : null}
          <Link className="button secondary" to={`/invoices?customerId=${encodeURIComponent(customer.id)}`}>
            Invoices
          </Link>
        </div>
      </div>
      <p className="page-meta">
        {customer.number} · invoices in {customer.currency} · payment terms <code>{customer.paymentTermsCode}</code>
      </p>

      <section className="section" aria-labelledby="account-open-heading">
        <div className="list-toolbar">
          <h2 id="account-open-heading">Open items</h2>
          <Field
            label="As of"
            type="date"
            max={today}
            value={asOf ?? today}
            onChange={(value) => query.set({ asOf: value === today ? undefined : value })}
            className="field-date field-inline"
          />
        </div>
        <ErrorMessage error={openItems.error} />
        {openItems.data === null ? (
          openItems.error === null ? (
            <p className="loading" role="status">
              Loading open items…
            </p>
          ) : null
        ) : (
          <div className="stack" aria-busy={openItems.loading}>
            <div className="card">
              <BalanceFacts openItems={openItems.data} />
            </div>
            <OpenItemsTable items={openItems.data.items} caption={`Open items of ${customer.name} as of ${format.date(openItems.data.asOf)}`} />
          </div>
        )}
      </section>

      <section className="section" aria-labelledby="account-payments-heading">
        <div className="list-toolbar">
          <h2 id="account-payments-heading">Payments</h2>
          <Link to={`/payments?customerId=${encodeURIComponent(customer.id)}`}>All payments of {customer.name}</Link>
        </div>
        <ErrorMessage error={payments.error} />
        <div className="table-wrap">
          <table role="table">
            <caption className="visually-hidden">Payments of {customer.name}, newest first</caption>
            <thead role="rowgroup">
              <tr role="row">
                <th scope="col" role="columnheader">Payment</th>
                <th scope="col" role="columnheader">Value date</th>
                <th scope="col" role="columnheader">Method</th>
                <th scope="col" role="columnheader">Status</th>
                <th scope="col" role="columnheader" className="num">Amount</th>
                <th scope="col" role="columnheader" className="num">Unapplied</th>
              </tr>
            </thead>
            <tbody role="rowgroup">
              {payments.items.map((payment) => (
                <tr role="row" key={payment.id}>
                  <td role="cell" data-label="Payment">
                    <Link to={`/payments/${payment.id}`}>{payment.number}</Link>
                  </td>
                  <td role="cell" data-label="Value date" className="nowrap">{format.date(payment.valueDate)}</td>
                  <td role="cell" data-label="Method">{methodLabel(payment.method)}</td>
                  <td role="cell" data-label="Status">
                    <span className="badge-group">
                      <PaymentStatusBadge status={payment.status} />
                      <UnappliedBadge status={payment.status} unapplied={payment.unapplied} currency={payment.currency} />
                    </span>
                  </td>
                  <td role="cell" data-label="Amount" className="num strong">{format.money(payment.amount, payment.currency)}</td>
                  <td role="cell" data-label="Unapplied" className="num">{format.money(payment.unapplied, payment.currency)}</td>
                </tr>
              ))}
              {payments.items.length === 0 && !payments.loading && payments.error === null ? (
                <tr role="row">
                  <td role="cell" colSpan={6} className="empty">
                    No payments received yet.
                  </td>
                </tr>
              ) : null}
            </tbody>
          </table>
        </div>
        <ListFooter count={payments.items.length} hasMore={payments.hasMore} loading={payments.loading} onMore={payments.loadMore} noun="payments" />
      </section>

      <StatementSection customer={customer} today={today} />
    </>
  );
}

function StatementSection({ customer, today }: { readonly customer: Customer; readonly today: string }) {
  const id = useId();
  const format = useFormatters();
  const [period, setPeriod] = useState(() => defaultPeriod(today));
  const [shown, setShown] = useState<{ from: string; to: string } | null>(null);
  const [statement, setStatement] = useState<CustomerStatement | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const periodProblem = period.from !== '' && period.to !== '' && period.from > period.to ? 'The period starts after it ends.' : undefined;

  const onShow = async (event: FormEvent) => {
    event.preventDefault();
    if (periodProblem !== undefined || period.from === '' || period.to === '') return;
    setBusy(true);
    setError(null);
    try {
      setStatement(await getStatement(customer.id, period.from, period.to));
      setShown(period);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  const files = shown ?? (periodProblem === undefined && period.from !== '' && period.to !== '' ? period : null);
  return (
    <section className="section" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Statement</h2>
      <form className="filters" onSubmit={(event) => void onShow(event)} aria-label="Statement period">
        <Field label="From" type="date" required max={today} value={period.from} onChange={(from) => setPeriod((current) => ({ ...current, from }))} className="field-date" error={periodProblem} />
        <Field label="To" type="date" required value={period.to} onChange={(to) => setPeriod((current) => ({ ...current, to }))} className="field-date" />
        <div className="filter-actions">
          <button type="submit" disabled={busy}>
            Show statement
          </button>
          {files === null ? null : (
            <>
              <a className="button secondary" href={statementUrl(customer.id, files.from, files.to, 'pdf')} target="_blank" rel="noopener noreferrer">
                Statement PDF
              </a>
              <a className="button secondary" href={statementUrl(customer.id, files.from, files.to, 'csv')} download={`statement-${customer.number}-${files.from}-${files.to}.csv`}>
                Statement CSV
              </a>
            </>
          )}
        </div>
      </form>
      <ErrorMessage error={error} />
      {statement === null ? (
        <p className="muted">Choose the period and show the statement: opening balance, every movement and the closing balance, per currency, as the ledger has them.</p>
      ) : statement.currencies.length === 0 ? (
        <p className="muted">
          Nothing between {format.date(statement.from)} and {format.date(statement.to)}, and no balance before.
        </p>
      ) : (
        statement.currencies.map((section) => (
          <div key={section.currency} className="statement-currency">
            <h3>
              {section.currency}: {format.date(statement.from)} – {format.date(statement.to)}
            </h3>
            <div className="table-wrap">
              <table role="table">
                <caption className="visually-hidden">
                  Statement of {customer.name} in {section.currency}
                </caption>
                <thead role="rowgroup">
                  <tr role="row">
                    <th scope="col" role="columnheader">Date</th>
                    <th scope="col" role="columnheader">Movement</th>
                    <th scope="col" role="columnheader">Description</th>
                    <th scope="col" role="columnheader" className="num">Debit</th>
                    <th scope="col" role="columnheader" className="num">Credit</th>
                    <th scope="col" role="columnheader" className="num">Balance</th>
                  </tr>
                </thead>
                <tbody role="rowgroup">
                  <tr role="row" className="row-total">
                    <td role="cell" data-label="Date" className="nowrap">{format.date(statement.from)}</td>
                    <td role="cell" data-label="Movement" colSpan={4}>
                      Opening balance
                    </td>
                    <td role="cell" data-label="Balance" className="num strong">{format.money(section.opening, section.currency)}</td>
                  </tr>
                  {section.movements.map((movement, index) => (
                    <tr role="row" key={`${movement.entryNumber}-${index}`}>
                      <td role="cell" data-label="Date" className="nowrap">{format.date(movement.date)}</td>
                      <td role="cell" data-label="Movement">
                        <MovementSource movement={movement} />
                        <div className="muted small">{movement.entryNumber}</div>
                      </td>
                      <td role="cell" data-label="Description" className="small">{movement.description}</td>
                      <td role="cell" data-label="Debit" className="num">{movement.debit === null ? '' : format.money(movement.debit, section.currency)}</td>
                      <td role="cell" data-label="Credit" className="num">{movement.credit === null ? '' : format.money(movement.credit, section.currency)}</td>
                      <td role="cell" data-label="Balance" className="num">{format.money(movement.balance, section.currency)}</td>
                    </tr>
                  ))}
                  <tr role="row" className="row-total">
                    <td role="cell" data-label="Date" className="nowrap">{format.date(statement.to)}</td>
                    <td role="cell" data-label="Movement" colSpan={4}>
                      Closing balance
                    </td>
                    <td role="cell" data-label="Balance" className="num strong">{format.money(section.closing, section.currency)}</td>
                  </tr>
                </tbody>
              </table>
            </div>
          </div>
        ))
      )}
    </section>
  );
}

/** The movement's kind, linking to its document where the UI has one. */
function MovementSource({ movement }: { readonly movement: StatementMovement }) {
  if (movement.sourceType === 'invoice' || movement.sourceType === 'credit_note') return <Link to={`/invoices/${movement.sourceId}`}>{movement.kind}</Link>;
  if (movement.sourceType === 'payment') return <Link to={`/payments/${movement.sourceId}`}>{movement.kind}</Link>;
  return <>{movement.kind}</>;
}
