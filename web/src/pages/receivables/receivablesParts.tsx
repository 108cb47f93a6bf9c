import { Link } from 'react-router-dom';
import type { AgingAmounts, AgingBucket, OpenItem, OpenItems } from '../../api';
import { Field } from '../../components/Field';
import { DataTable, EmptyRow } from '../../components/TableParts';
import { compareDecimal, subtractDecimal, sumDecimals } from '../../decimal';
import { todayIn } from '../../format';
import { useFormatters, useMe } from '../../session';
import { useQueryParams } from '../invoicing/invoicingParts';

export const receivablesTabs = [
  { to: '/receivables/aging', label: 'Aging' },
  { to: '/receivables/reconciliation', label: 'Reconciliation', permission: 'reconcileReceivables' as const },
];

export const bucketLabels: Record<AgingBucket | 'credits' | 'total', string> = {
  current: 'Current',
  days1to30: '1–30 days',
  days31to60: '31–60 days',
  days61to90: '61–90 days',
  over90: 'Over 90 days',
  credits: 'Credits',
  total: 'Total',
};

export const agingColumns = ['current', 'days1to30', 'days31to60', 'days61to90', 'over90', 'credits', 'total'] as const satisfies ReadonlyArray<keyof AgingAmounts>;

/** The aging columns as table headers. */
export const agingHeaders = agingColumns.map((column) => ({ label: bucketLabels[column], className: 'num' }));

export interface AsOf {
  readonly today: string;
  /** The date in the address (?asOf=); none means today. */
  readonly asOf: string | undefined;
  setAsOf(date: string): void;
}

/** The date a report or balance is as of, kept in the address; today leaves it out. */
export function useAsOf(): AsOf {
  const me = useMe();
  const query = useQueryParams();
  const today = todayIn(me.tenant.timeZone);
  return { today, asOf: query.get('asOf'), setAsOf: (date) => query.set({ asOf: date === today ? undefined : date }) };
}

export function AsOfField({ date, className = 'field-date' }: { readonly date: AsOf; readonly className?: string }) {
  return <Field label="As of" type="date" max={date.today} value={date.asOf ?? date.today} onChange={date.setAsOf} className={className} />;
}

/** A report's date as its only filter. */
export function AsOfFilter({ label, date }: { readonly label: string; readonly date: AsOf }) {
  return (
    <form className="filters" aria-label={label} onSubmit={(event) => event.preventDefault()}>
      <AsOfField date={date} />
    </form>
  );
}

const openItemLabels: Record<OpenItem['type'], string> = { invoice: 'Invoice', credit_note: 'Credit note', payment: 'Unapplied cash' };

/** Where an open item's document lives in the UI. */
export const openItemPath = (item: Pick<OpenItem, 'type' | 'id'>) => (item.type === 'payment' ? `/payments/${item.id}` : `/invoices/${item.id}`);

/** A customer's open items: invoices with what is open and how late, credit items and unapplied cash (negative). */
export function OpenItemsTable({ items, caption }: { readonly items: readonly OpenItem[]; readonly caption: string }) {
  const format = useFormatters();
  return (
    <DataTable
      caption={caption}
      columns={['Document', 'Date', 'Due', { label: 'Days late', className: 'num' }, { label: 'Amount', className: 'num' }, { label: 'Open', className: 'num' }]}
    >
      {items.map((item) => {
        const late = item.daysPastDue !== null && item.daysPastDue > 0;
        return (
          <tr role="row" key={`${item.type}-${item.id}`} data-testid={`open-item-${item.number}`}>
            <td role="cell" data-label="Document">
              <Link to={openItemPath(item)}>{item.number}</Link>
              <div className="muted small">{openItemLabels[item.type]}</div>
            </td>
            <td role="cell" data-label="Date" className="nowrap">{format.date(item.documentDate)}</td>
            <td role="cell" data-label="Due" className={late ? 'nowrap text-danger strong' : 'nowrap'}>{item.dueDate === null ? '—' : format.date(item.dueDate)}</td>
            <td role="cell" data-label="Days late" className="num">
              {item.daysPastDue === null ? '—' : late ? item.daysPastDue : <span className="muted">not due</span>}
            </td>
            <td role="cell" data-label="Amount" className="num">{format.money(item.amount, item.currency)}</td>
            <td role="cell" data-label="Open" className={compareDecimal(item.open, '0') < 0 ? 'num strong text-success' : 'num strong'}>
              {format.money(item.open, item.currency)}
            </td>
          </tr>
        );
      })}
      {items.length === 0 ? <EmptyRow colSpan={6}>Nothing is open.</EmptyRow> : null}
    </DataTable>
  );
}

/** What the customer owes per currency, and the unapplied cash within it. */
export function BalanceFacts({ openItems }: { readonly openItems: OpenItems }) {
  const format = useFormatters();
  const unapplied = [...new Set(openItems.items.filter((item) => item.type === 'payment').map((item) => item.currency))].map((currency) => ({
    currency,
    amount: subtractDecimal(
      '0',
      sumDecimals(openItems.items.filter((item) => item.type === 'payment' && item.currency === currency).map((item) => item.open)),
    ),
  }));
  return (
    <dl className="details" data-testid="balances">
      <dt>Balance</dt>
      <dd>
        {openItems.balances.length === 0 ? (
          <span className="muted">nothing open</span>
        ) : (
          <ul className="plain-list">
            {openItems.balances.map((balance) => (
              <li key={balance.currency} className={compareDecimal(balance.balance, '0') < 0 ? 'num-inline text-success' : 'num-inline strong'}>
                {format.money(balance.balance, balance.currency)}
              </li>
            ))}
          </ul>
        )}
      </dd>
      <dt>Unapplied cash</dt>
      <dd>
        {unapplied.length === 0 ? (
          <span className="muted">none</span>
        ) : (
          <ul className="plain-list">
            {unapplied.map((entry) => (
              <li key={entry.currency} className="num-inline">
                {format.money(entry.amount, entry.currency)}
              </li>
            ))}
          </ul>
        )}
      </dd>
    </dl>
  );
}
