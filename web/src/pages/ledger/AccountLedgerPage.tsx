import { useCallback } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { accountLedgerCsvUrl, getAccountLedger, type AccountLedger } from '../../api';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Field, SelectField } from '../../components/Field';
import { SectionTabs, ledgerTabs } from '../../components/SectionTabs';
import { useFormatters, useMe } from '../../session';
import { useLoad } from '../../useLoad';
import { usePageTitle } from '../../usePageTitle';
import { accountText, defaultRange, useAccounts } from './ledgerParts';

export function AccountLedgerPage() {
  usePageTitle('Account ledger');
  const me = useMe();
  const format = useFormatters();
  const accounts = useAccounts();
  const [params, setParams] = useSearchParams();
  const range = defaultRange(me.tenant.timeZone);
  const accountId = params.get('accountId') ?? '';
  const from = params.get('from') ?? range.from;
  const to = params.get('to') ?? range.to;
  const load = useCallback(async (): Promise<AccountLedger | null> => (accountId === '' ? null : getAccountLedger(accountId, from, to)), [accountId, from, to]);
  const ledger = useLoad(load);

  const setParam = (name: string, value: string) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (value === '') next.delete(name);
        else next.set(name, value);
        return next;
      },
      { replace: true },
    );

  const data = ledger.data;
  const currency = data?.currency ?? me.tenant.baseCurrency;
  // The server gives balances in the account's normal direction: positive is a debit balance on assets and expenses, a credit balance on the others.
  const normalDebit = data === null || data.account.type === 'asset' || data.account.type === 'expense';
  const balance = (amount: string) => {
    const negative = amount.startsWith('-');
    const debit = negative ? !normalDebit : normalDebit;
    return (
      <>
        {format.money(negative ? amount.slice(1) : amount, currency)}{' '}
        <abbr className="muted small" title={debit ? 'Debit balance' : 'Credit balance'}>
          {debit ? 'Dr' : 'Cr'}
        </abbr>
      </>
    );
  };

  return (
    <>
      <SectionTabs label="Ledger" links={ledgerTabs} />
      <div className="page-heading">
        <h1>Account ledger</h1>
        {data === null || accountId === '' ? null : (
          <a className="button secondary" href={accountLedgerCsvUrl(accountId, from, to)} download>
            Download CSV
          </a>
        )}
      </div>
      <form className="filters" aria-label="Account and period" onSubmit={(event) => event.preventDefault()}>
        <SelectField label="Account" value={accountId} onChange={(value) => setParam('accountId', value)}>
          <option value="">Choose an account</option>
          {(accounts.data ?? []).map((account) => (
            <option key={account.id} value={account.id}>
              {accountText(account)}
            </option>
          ))}
        </SelectField>
        <Field label="From" type="date" required value={from} onChange={(value) => setParam('from', value)} className="field-date" />
        <Field label="To" type="date" required value={to} onChange={(value) => setParam('to', value)} className="field-date" />
      </form>
      <ErrorMessage error={ledger.error ?? accounts.error} />
      {accountId === '' ? <p className="muted">Choose an account to see its lines with the running balance.</p> : null}
      {data === null ? null : (
        <>
          {data.truncated ? (
            <div className="message message-warning" role="status">
              Only the first lines are shown; choose a shorter period or download the CSV for all of them.
            </div>
          ) : null}
          <div className="table-wrap">
            <table role="table" aria-busy={ledger.loading}>
              <caption className="visually-hidden">
                Ledger of account {data.account.number} {data.account.name}
              </caption>
              <thead role="rowgroup">
                <tr role="row">
                  <th scope="col" role="columnheader">Date</th>
                  <th scope="col" role="columnheader">Entry</th>
                  <th scope="col" role="columnheader">Description</th>
                  <th scope="col" role="columnheader">Source</th>
                  <th scope="col" role="columnheader" className="num">Debit</th>
                  <th scope="col" role="columnheader" className="num">Credit</th>
                  <th scope="col" role="columnheader" className="num">Balance</th>
                </tr>
              </thead>
              <tbody role="rowgroup">
                <tr role="row" className="muted">
                  <td role="cell">{format.date(data.from)}</td>
                  <td role="cell" colSpan={5}>Opening balance</td>
                  <td role="cell" className="num">{balance(data.openingBalance)}</td>
                </tr>
                {data.lines.map((line, index) => (
                  <tr role="row" key={`${line.entryId}-${index}`}>
                    <td role="cell" data-label="Date" className="nowrap">{format.date(line.businessDate)}</td>
                    <td role="cell" data-label="Entry" className="nowrap">
                      <Link to={`/ledger/journal/${line.entryId}`}>{line.entryNumber}</Link>
                    </td>
                    <td role="cell" data-label="Description">{line.description}</td>
                    <td role="cell" data-label="Source">
                      <span className="muted small">{line.sourceType}</span> {line.sourceId}
                    </td>
                    {(['debit', 'credit'] as const).map((side) => (
                      <td role="cell" key={side} data-label={side === 'debit' ? 'Debit' : 'Credit'} className="num">
                        {line.side === side ? (
                          <>
                            {format.money(line.baseAmount, currency)}
                            {line.currency === currency ? null : (
                              <>
                                <br />
                                <span className="muted small">{format.money(line.amount, line.currency)}</span>
                              </>
                            )}
                          </>
                        ) : null}
                      </td>
                    ))}
                    <td role="cell" data-label="Balance" className="num">{balance(line.balance)}</td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr role="row" className="strong">
                  <th scope="row" role="rowheader" colSpan={6}>
                    Closing balance {format.date(data.to)}
                  </th>
                  <td role="cell" className="num" data-testid="closing-balance">{balance(data.closingBalance)}</td>
                </tr>
              </tfoot>
            </table>
          </div>
        </>
      )}
    </>
  );
}
