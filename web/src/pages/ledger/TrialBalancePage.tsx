import { useCallback, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { getTrialBalance, trialBalanceCsvUrl, type TrialBalanceRow } from '../../api';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Field } from '../../components/Field';
import { SectionTabs, ledgerTabs } from '../../components/SectionTabs';
import { useFormatters, useMe } from '../../session';
import { useLoad } from '../../useLoad';
import { usePageTitle } from '../../usePageTitle';
import { defaultRange, isZero } from './ledgerParts';

const amountFields = ['openingDebit', 'openingCredit', 'debits', 'credits', 'closingDebit', 'closingCredit'] as const;

export function TrialBalancePage() {
  usePageTitle('Trial balance');
  const me = useMe();
  const format = useFormatters();
  const [params, setParams] = useSearchParams();
  const range = defaultRange(me.tenant.timeZone);
  const from = params.get('from') ?? range.from;
  const to = params.get('to') ?? range.to;
  const [showEmpty, setShowEmpty] = useState(false);
  const load = useCallback(() => getTrialBalance(from, to), [from, to]);
  const report = useLoad(load);

  const setParam = (name: 'from' | 'to', value: string) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (value === '') next.delete(name);
        else next.set(name, value);
        return next;
      },
      { replace: true },
    );

  const data = report.data;
  const rows = (data?.accounts ?? []).filter((row: TrialBalanceRow) => showEmpty || amountFields.some((field) => !isZero(row[field])));
  const money = (amount: string) => (data === null ? '' : isZero(amount) ? '' : format.money(amount, data.currency));

  return (
    <>
      <SectionTabs label="Ledger" links={ledgerTabs} />
      <div className="page-heading">
        <h1>Trial balance</h1>
        {data === null ? null : (
          <a className="button secondary" href={trialBalanceCsvUrl(from, to)} download>
            Download CSV
          </a>
        )}
      </div>
      <form className="filters" aria-label="Period of the trial balance" onSubmit={(event) => event.preventDefault()}>
        <Field label="From" type="date" required value={from} onChange={(value) => setParam('from', value)} className="field-date" />
        <Field label="To" type="date" required value={to} onChange={(value) => setParam('to', value)} className="field-date" />
        <label className="checkbox">
          <input type="checkbox" checked={showEmpty} onChange={(event) => setShowEmpty(event.target.checked)} />
          Show accounts without amounts
        </label>
      </form>
      <ErrorMessage error={report.error} />
      {data === null ? null : (
        <p className="page-meta">
          {format.date(data.from)} – {format.date(data.to)} · amounts in {data.currency}
        </p>
      )}
      <div className="table-wrap">
        <table role="table" aria-busy={report.loading}>
          <caption className="visually-hidden">Trial balance</caption>
          <thead role="rowgroup">
            <tr role="row">
              <th scope="col" role="columnheader">Account</th>
              <th scope="col" role="columnheader">Name</th>
              <th scope="col" role="columnheader" className="num">Opening debit</th>
              <th scope="col" role="columnheader" className="num">Opening credit</th>
              <th scope="col" role="columnheader" className="num">Debits</th>
              <th scope="col" role="columnheader" className="num">Credits</th>
              <th scope="col" role="columnheader" className="num">Closing debit</th>
              <th scope="col" role="columnheader" className="num">Closing credit</th>
            </tr>
          </thead>
          <tbody role="rowgroup">
            {rows.map((row) => (
              <tr role="row" key={row.accountId}>
                <td role="cell" data-label="Account">
                  <Link to={`/ledger/account-ledger?accountId=${row.accountId}&from=${from}&to=${to}`}>
                    <code>{row.number}</code>
                  </Link>
                </td>
                <td role="cell" data-label="Name">{row.name}</td>
                {amountFields.map((field) => (
                  <td role="cell" key={field} className="num">
                    {money(row[field])}
                  </td>
                ))}
              </tr>
            ))}
            {!report.loading && data !== null && rows.length === 0 ? (
              <tr role="row">
                <td role="cell" colSpan={8} className="empty">
                  Nothing was posted in this period.
                </td>
              </tr>
            ) : null}
          </tbody>
          {data === null ? null : (
            <tfoot>
              <tr role="row" className="strong" data-testid="trial-balance-totals">
                <th scope="row" role="rowheader" colSpan={2}>
                  Total
                </th>
                {amountFields.map((field) => (
                  <td role="cell" key={field} className="num" data-testid={`total-${field}`}>
                    {format.money(data.totals[field], data.currency)}
                  </td>
                ))}
              </tr>
            </tfoot>
          )}
        </table>
      </div>
    </>
  );
}
