import { useCallback, useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { allows } from '../../access';
import { listPayments, paymentStates, type PaymentListItem } from '../../api';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Field, SelectField } from '../../components/Field';
import { ExportCsvButton, ListFooter } from '../../components/ListControls';
import { SectionTabs } from '../../components/SectionTabs';
import type { CsvColumn } from '../../csv';
import { useFormatters, useMe } from '../../session';
import { usePagedList } from '../../usePagedList';
import { usePageTitle } from '../../usePageTitle';
import { useQueryParams } from '../invoicing/invoicingParts';
import { CustomerFilter } from '../orders/orderParts';
import { PaymentStatusBadge, UnappliedBadge, methodLabel, paymentsTabs } from './paymentParts';

const csvColumns: readonly CsvColumn<PaymentListItem>[] = [
  { header: 'number', value: (payment) => payment.number },
  { header: 'customerNumber', value: (payment) => payment.customer.number },
  { header: 'customerName', value: (payment) => payment.customer.name },
  { header: 'valueDate', value: (payment) => payment.valueDate },
  { header: 'method', value: (payment) => payment.method },
  { header: 'currency', value: (payment) => payment.currency },
  { header: 'amount', value: (payment) => payment.amount },
  { header: 'unapplied', value: (payment) => payment.unapplied },
  { header: 'status', value: (payment) => payment.status },
  { header: 'createdAt', value: (payment) => payment.createdAt },
  { header: 'id', value: (payment) => payment.id },
];

const pick = <T extends string>(options: readonly T[], value: string | undefined): T | undefined => options.find((option) => option === value);

export function PaymentsPage() {
  usePageTitle('Payments');
  const me = useMe();
  const format = useFormatters();
  const query = useQueryParams();
  const customerId = query.get('customerId');
  const status = pick(paymentStates, query.get('status'));
  const unapplied = pick(['true', 'false'] as const, query.get('unapplied'));
  const search = query.get('search');
  const [searchText, setSearchText] = useState(search ?? '');
  const fetchPage = useCallback((cursor?: string) => listPayments({ customerId, status, unapplied, search }, cursor), [customerId, status, unapplied, search]);
  const list = usePagedList(fetchPage);
  const canRecord = allows(me.actor.roles, 'recordPayments');

  const onSearch = (event: FormEvent) => {
    event.preventDefault();
    query.set({ search: searchText.trim() });
  };

  return (
    <>
      <SectionTabs label="Payments" links={paymentsTabs} />
      <div className="page-heading">
        <h1>Payments</h1>
        {canRecord ? (
          <div className="actions">
            <Link className="button" to={customerId === undefined ? '/payments/new' : `/payments/new?customerId=${encodeURIComponent(customerId)}`}>
              Record payment
            </Link>
          </div>
        ) : null}
      </div>

      <form className="filters" onSubmit={onSearch} aria-label="Filter payments">
        <Field label="Search" type="search" maxLength={100} value={searchText} onChange={setSearchText} placeholder="Number, payer reference, customer" />
        <CustomerFilter customerId={customerId} onChange={(chosen) => query.set({ customerId: chosen })} />
        <SelectField label="Status" value={status ?? ''} onChange={(value) => query.set({ status: value })} className="field-narrow">
          <option value="">Any</option>
          <option value="received">Received</option>
          <option value="reversed">Reversed</option>
        </SelectField>
        <SelectField label="Unapplied cash" value={unapplied ?? ''} onChange={(value) => query.set({ unapplied: value })}>
          <option value="">Any</option>
          <option value="true">Some unapplied</option>
          <option value="false">All applied</option>
        </SelectField>
        <div className="filter-actions">
          <button type="submit">Search</button>
          <button
            type="button"
            className="secondary"
            onClick={() => {
              setSearchText('');
              query.set({ search: undefined, customerId: undefined, status: undefined, unapplied: undefined });
            }}
          >
            Clear
          </button>
          <ExportCsvButton fileName="payments.csv" columns={csvColumns} rows={list.items} />
        </div>
      </form>

      {unapplied === 'true' ? (
        <p className="page-intro">Payments with cash still to apply: open one to apply it to the customer's invoices, or refund it.</p>
      ) : null}
      <ErrorMessage error={list.error} />
      <div className="table-wrap">
        <table role="table">
          <caption className="visually-hidden">Payments, newest first</caption>
          <thead role="rowgroup">
            <tr role="row">
              <th scope="col" role="columnheader">Payment</th>
              <th scope="col" role="columnheader">Customer</th>
              <th scope="col" role="columnheader">Value date</th>
              <th scope="col" role="columnheader">Method</th>
              <th scope="col" role="columnheader">Status</th>
              <th scope="col" role="columnheader" className="num">Amount</th>
              <th scope="col" role="columnheader" className="num">Unapplied</th>
            </tr>
          </thead>
          <tbody role="rowgroup">
            {list.items.map((payment) => (
              <tr role="row" key={payment.id} data-testid={`payment-${payment.number}`}>
                <td role="cell" data-label="Payment">
                  <Link to={`/payments/${payment.id}`}>{payment.number}</Link>
                </td>
                <td role="cell" data-label="Customer">
                  <Link to={`/customers/${payment.customer.id}/account`}>{payment.customer.name}</Link> <span className="muted small">{payment.customer.number}</span>
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
            {list.items.length === 0 && !list.loading && list.error === null ? (
              <tr role="row">
                <td role="cell" colSpan={7} className="empty">
                  {unapplied === 'true' ? 'No payment has cash left to apply.' : 'No payments match.'}
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
      <ListFooter count={list.items.length} hasMore={list.hasMore} loading={list.loading} onMore={list.loadMore} noun="payments" />
    </>
  );
}
