import { useCallback, useId, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router-dom';
import { allows } from '../../access';
import { getCustomer, getOpenItems, getStatement, listPayments, statementUrl, type Customer, type CustomerStatement, type StatementMovement } from '../../api';
import { CustomerStatusBadge } from '../../components/Badges';
import { DetailFallback } from '../../components/DetailFallback';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Field } from '../../components/Field';
import { ListFooter } from '../../components/ListControls';
import { LoadedContent } from '../../components/LoadedContent';
import { DataTable } from '../../components/TableParts';
import { useFormatters, useMe } from '../../session';
import { useLoad } from '../../useLoad';
import { usePagedList } from '../../usePagedList';
import { usePageTitle } from '../../usePageTitle';
import { PaymentsTable } from '../payments/paymentParts';
import { AsOfField, BalanceFacts, OpenItemsTable, useAsOf } from './receivablesParts';

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
  const date = useAsOf();
  const { today, asOf } = date;
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
          <AsOfField date={date} className="field-date field-inline" />
        </div>
        <LoadedContent loaded={openItems} loadingText="Loading open items…">
          {(data) => (
            <div className="stack" aria-busy={openItems.loading}>
              <div className="card">
                <BalanceFacts openItems={data} />
              </div>
              <OpenItemsTable items={data.items} caption={`Open items of ${customer.name} as of ${format.date(data.asOf)}`} />
            </div>
          )}
        </LoadedContent>
      </section>

      <section className="section" aria-labelledby="account-payments-heading">
        <div className="list-toolbar">
          <h2 id="account-payments-heading">Payments</h2>
          <Link to={`/payments?customerId=${encodeURIComponent(customer.id)}`}>All payments of {customer.name}</Link>
        </div>
        <ErrorMessage error={payments.error} />
        <PaymentsTable
          payments={payments.items}
          caption={`Payments of ${customer.name}, newest first`}
          empty={!payments.loading && payments.error === null ? 'No payments received yet.' : null}
          showCustomer={false}
        />
        <ListFooter count={payments.items.length} hasMore={payments.hasMore} loading={payments.loading} onMore={payments.loadMore} noun="payments" />
      </section>

      <StatementSection customer={customer} today={today} />
    </>
  );
}

const statementColumns = ['Date', 'Movement', 'Description', { label: 'Debit', className: 'num' }, { label: 'Credit', className: 'num' }, { label: 'Balance', className: 'num' }];

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
            <DataTable caption={`Statement of ${customer.name} in ${section.currency}`} columns={statementColumns}>
              <BalanceRow date={statement.from} label="Opening balance" amount={section.opening} currency={section.currency} />
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
              <BalanceRow date={statement.to} label="Closing balance" amount={section.closing} currency={section.currency} />
            </DataTable>
          </div>
        ))
      )}
    </section>
  );
}

/** The opening or closing balance of a statement. */
function BalanceRow({ date, label, amount, currency }: { readonly date: string; readonly label: string; readonly amount: string; readonly currency: string }) {
  const format = useFormatters();
  return (
    <tr role="row" className="row-total">
      <td role="cell" data-label="Date" className="nowrap">{format.date(date)}</td>
      <td role="cell" data-label="Movement" colSpan={4}>
        {label}
      </td>
      <td role="cell" data-label="Balance" className="num strong">{format.money(amount, currency)}</td>
    </tr>
  );
}

/** The movement's kind, linking to its document where the UI has one. */
function MovementSource({ movement }: { readonly movement: StatementMovement }) {
  if (movement.sourceType === 'invoice' || movement.sourceType === 'credit_note') return <Link to={`/invoices/${movement.sourceId}`}>{movement.kind}</Link>;
  if (movement.sourceType === 'payment') return <Link to={`/payments/${movement.sourceId}`}>{movement.kind}</Link>;
  return <>{movement.kind}</>;
}
