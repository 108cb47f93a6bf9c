import { useCallback, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { allows } from '../../access';
import { ActionKey, closePeriod, listPeriods, reopenPeriod, type AccountingPeriod } from '../../api';
import { ErrorMessage } from '../../components/ErrorMessage';
import { SectionTabs, ledgerTabs } from '../../components/SectionTabs';
import { ListTableHead } from '../../components/TableParts';
import { todayIn } from '../../format';
import { useFormatters, useMe } from '../../session';
import { useLoad } from '../../useLoad';
import { usePageTitle } from '../../usePageTitle';
import { monthName } from './ledgerParts';

export function PeriodsPage() {
  usePageTitle('Periods');
  const me = useMe();
  const canClose = allows(me.actor.roles, 'closePeriods');
  const [params, setParams] = useSearchParams();
  const thisYear = Number(todayIn(me.tenant.timeZone).slice(0, 4));
  const yearParam = Number(params.get('year'));
  const year = Number.isInteger(yearParam) && yearParam >= 1900 && yearParam <= 9999 ? yearParam : thisYear;
  const load = useCallback(async () => (await listPeriods(year)).items, [year]);
  const periods = useLoad(load);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const setYear = (next: number) => {
    setConfirming(null);
    setNotice(null);
    setParams({ year: String(next) }, { replace: true });
  };

  return (
    <>
      <SectionTabs label="Ledger" links={ledgerTabs} />
      <div className="page-heading">
        <h1>Periods</h1>
      </div>
      <p className="page-intro">
        Nothing can be posted into a closed month: invoices, payments and manual entries dated in it are refused until it is reopened.
        {canClose ? null : ' Only a controller closes and reopens months.'}
      </p>
      <div className="list-toolbar" role="group" aria-label="Year">
        <button type="button" className="secondary small" onClick={() => setYear(year - 1)} aria-label={`Previous year, ${year - 1}`}>
          ‹ {year - 1}
        </button>
        <label className="label-inline" htmlFor="period-year">
          Year
        </label>
        <select id="period-year" value={year} onChange={(event) => setYear(Number(event.target.value))}>
          {Array.from({ length: 7 }, (_, index) => thisYear - 5 + index).concat(year).filter((value, index, all) => all.indexOf(value) === index).sort().map((value) => (
            <option key={value} value={value}>
              {value}
            </option>
          ))}
        </select>
        <button type="button" className="secondary small" onClick={() => setYear(year + 1)} aria-label={`Next year, ${year + 1}`}>
          {year + 1} ›
        </button>
      </div>
      {notice === null ? null : (
        <div className="message message-success" role="status">
          {notice}
        </div>
      )}
      <ErrorMessage error={periods.error} />
      <div className="table-wrap">
        <table role="table" aria-busy={periods.loading}>
          <caption className="visually-hidden">Months of {year}</caption>
          <ListTableHead columns={['Month', 'Status', 'Last change']} />
          <tbody role="rowgroup">
            {(periods.data ?? []).map((period) => (
              <PeriodRow
                key={period.period}
                period={period}
                canClose={canClose}
                confirming={confirming === period.period}
                onAsk={() => {
                  setNotice(null);
                  setConfirming(period.period);
                }}
                onCancel={() => setConfirming(null)}
                onDone={(changed) => {
                  setConfirming(null);
                  setNotice(`${monthName(changed.year, changed.month, me.tenant.locale)} ${changed.year} is ${changed.status === 'closed' ? 'closed' : 'open again'}.`);
                  periods.reload();
                }}
              />
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

interface PeriodRowProps {
  readonly period: AccountingPeriod;
  readonly canClose: boolean;
  readonly confirming: boolean;
  onAsk(): void;
  onCancel(): void;
  onDone(period: AccountingPeriod): void;
}

function PeriodRow({ period, canClose, confirming, onAsk, onCancel, onDone }: PeriodRowProps) {
  const me = useMe();
  const format = useFormatters();
  const [actionKey] = useState(() => new ActionKey());
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const closed = period.status === 'closed';
  const name = `${monthName(period.year, period.month, me.tenant.locale)} ${period.year}`;
  const action = closed ? 'Reopen' : 'Close';

  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      const identity = { period: period.period, action };
      const changed = await actionKey.run(identity, (key) => (closed ? reopenPeriod(period.period, key) : closePeriod(period.period, key)));
      onDone(changed);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <tr role="row" data-testid={`period-${period.period}`}>
        <th scope="row" role="rowheader">
          {name}
        </th>
        <td role="cell" data-label="Status">
          <span className={`badge ${closed ? 'badge-neutral' : 'badge-good'}`}>{closed ? 'Closed' : 'Open'}</span>
        </td>
        <td role="cell" data-label="Last change" className="muted small">
          {period.changedAt === null ? '—' : `${format.instant(period.changedAt)} · ${period.changedBy ?? ''}`}
        </td>
        <td role="cell" className="cell-actions">
          {canClose && !confirming ? (
            <button type="button" className={closed ? 'secondary small' : 'small'} onClick={onAsk} aria-label={`${action} ${name}`}>
              {action}
            </button>
          ) : null}
        </td>
      </tr>
      {confirming ? (
        <tr role="row" className="row-confirm">
          <td role="cell" colSpan={4}>
            <div className="confirm" role="alertdialog" aria-label={`${action} ${name}?`}>
              <p>
                {closed
                  ? `Reopen ${name}? Entries dated in it can be posted again until it is closed once more.`
                  : `Close ${name}? Nothing dated in it can be posted until it is reopened.`}
              </p>
              <ErrorMessage error={error} />
              <div className="actions">
                <button type="button" className={closed ? undefined : 'danger'} onClick={() => void run()} disabled={busy} autoFocus>
                  {action} {name}
                </button>
                <button type="button" className="secondary" onClick={onCancel} disabled={busy}>
                  Cancel
                </button>
              </div>
            </div>
          </td>
        </tr>
      ) : null}
    </>
  );
}
