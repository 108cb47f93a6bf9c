import { useCallback } from 'react';
import { Link } from 'react-router-dom';
import { allows } from '../../access';
import { getReconciliation, type ReconciliationComparison, type ReconciliationDifference } from '../../api';
import { humanize } from '../../components/Badges';
import { LoadedContent } from '../../components/LoadedContent';
import { SectionTabs } from '../../components/SectionTabs';
import { DataTable, EmptyRow } from '../../components/TableParts';
import { compareDecimal } from '../../decimal';
import { useFormatters, useMe } from '../../session';
import { useLoad } from '../../useLoad';
import { usePageTitle } from '../../usePageTitle';
import { AsOfFilter, receivablesTabs, useAsOf } from './receivablesParts';

const accountLabels: Record<ReconciliationDifference['account'], string> = { receivables: 'Receivables', unapplied_cash: 'Unapplied cash' };

export function ReconciliationPage() {
  usePageTitle('Reconciliation');
  const me = useMe();
  const format = useFormatters();
  const date = useAsOf();
  const { asOf } = date;
  const report = useLoad(useCallback(() => getReconciliation(asOf), [asOf]));

  return (
    <>
      <SectionTabs label="Receivables" links={receivablesTabs} />
      <h1>Reconciliation</h1>
      <p className="page-intro">
        The subledger against the ledger: the receivables account against the open invoices less credit items, and the unapplied-cash account against the payments' unapplied cash, per customer and currency.
      </p>
      <AsOfFilter label="Reconciliation date" date={date} />
      <LoadedContent loaded={report} loadingText="Reconciling…">
        {(data) => (
          <div aria-busy={report.loading}>
            {data.balanced ? (
              <p className="message message-success" role="status" data-testid="reconciliation-result">
                Balanced on {format.date(data.asOf)}: the subledger equals the ledger for every customer and currency.
              </p>
            ) : (
              <div className="message message-error" role="alert" data-testid="reconciliation-result">
                <p>
                  Not balanced on {format.date(data.asOf)}: {data.differences.length === 1 ? '1 difference' : `${data.differences.length} differences`} between the subledger and the ledger, listed below with the entries behind them.
                </p>
              </div>
            )}
            <div className="cards">
              <ComparisonCard title="Receivables" rows={data.receivables} />
              <ComparisonCard title="Unapplied cash" rows={data.unappliedCash} />
            </div>
            {data.differences.map((difference) => (
              <DifferenceSection key={`${difference.account}-${difference.customer.id}-${difference.currency}`} difference={difference} canReadLedger={allows(me.actor.roles, 'readLedger')} />
            ))}
          </div>
        )}
      </LoadedContent>
    </>
  );
}

function ComparisonCard({ title, rows }: { readonly title: string; readonly rows: readonly ReconciliationComparison[] }) {
  const format = useFormatters();
  return (
    <section className="card" aria-label={title}>
      <h2>{title}</h2>
      {rows.length === 0 ? (
        <p className="muted">Nothing on the account and nothing open.</p>
      ) : (
        <table className="plain-table">
          <thead>
            <tr>
              <th scope="col">Currency</th>
              <th scope="col" className="num">Ledger</th>
              <th scope="col" className="num">Open items</th>
              <th scope="col" className="num">Difference</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.currency}>
                <td>{row.currency}</td>
                <td className="num">{format.money(row.ledger, row.currency)}</td>
                <td className="num">{format.money(row.items, row.currency)}</td>
                <td className={compareDecimal(row.difference, '0') === 0 ? 'num text-success' : 'num text-danger strong'}>{format.money(row.difference, row.currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function DifferenceSection({ difference, canReadLedger }: { readonly difference: ReconciliationDifference; readonly canReadLedger: boolean }) {
  const format = useFormatters();
  const title = `${accountLabels[difference.account]} of ${difference.customer.name} in ${difference.currency}`;
  return (
    <section className="section" aria-label={title}>
      <h2>{title}</h2>
      <p>
        Ledger {format.money(difference.ledger, difference.currency)}, open items {format.money(difference.items, difference.currency)}:{' '}
        <strong className="text-danger">difference {format.money(difference.difference, difference.currency)}</strong>.{' '}
        <Link to={`/customers/${difference.customer.id}/account`}>Customer account</Link>
      </p>
      <DataTable caption={`Entries behind the difference: ${title}`} columns={['Entry', 'Date', 'Description', 'Source', { label: 'Amount', className: 'num' }]}>
        {difference.entries.map((entry) => (
          <tr role="row" key={`${entry.entryId}-${entry.amount}`}>
            <td role="cell" data-label="Entry">{canReadLedger ? <Link to={`/ledger/journal/${entry.entryId}`}>{entry.number}</Link> : entry.number}</td>
            <td role="cell" data-label="Date" className="nowrap">{format.date(entry.date)}</td>
            <td role="cell" data-label="Description" className="small">{entry.description}</td>
            <td role="cell" data-label="Source">
              <SourceLink type={entry.sourceType} id={entry.sourceId} />
            </td>
            <td role="cell" data-label="Amount" className="num">{format.money(entry.amount, difference.currency)}</td>
          </tr>
        ))}
        {difference.entries.length === 0 ? <EmptyRow colSpan={5}>No ledger entries: the open items have no posting behind them.</EmptyRow> : null}
      </DataTable>
    </section>
  );
}

function SourceLink({ type, id }: { readonly type: string; readonly id: string }) {
  if (type === 'invoice' || type === 'credit_note') return <Link to={`/invoices/${id}`}>{humanize(type)}</Link>;
  if (type === 'payment') return <Link to={`/payments/${id}`}>Payment</Link>;
  return <>{humanize(type)}</>;
}
