import { useCallback, useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { allows } from '../../access';
import { listPayments, paymentStates, type PaymentListItem } from '../../api';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Field, SelectField } from '../../components/Field';
import { ExportCsvButton, FilterActions, ListFooter } from '../../components/ListControls';
import { SectionTabs } from '../../components/SectionTabs';
import type { CsvColumn } from '../../csv';
import { useMe } from '../../session';
import { usePagedList } from '../../usePagedList';
import { usePageTitle } from '../../usePageTitle';
import { useQueryParams } from '../invoicing/invoicingParts';
import { CustomerFilter } from '../orders/orderParts';
import { PaymentsTable, paymentsTabs } from './paymentParts';

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

export function PaymentsPage() {
  usePageTitle('Payments');
  const me = useMe();
  const query = useQueryParams();
  const customerId = query.get('customerId');
  const status = query.oneOf('status', paymentStates);
  const unapplied = query.oneOf('unapplied', ['true', 'false'] as const);
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
        <FilterActions
          onClear={() => {
            setSearchText('');
            query.set({ search: undefined, customerId: undefined, status: undefined, unapplied: undefined });
          }}
        >
          <ExportCsvButton fileName="payments.csv" columns={csvColumns} rows={list.items} />
        </FilterActions>
      </form>

      {unapplied === 'true' ? (
        <p className="page-intro">Payments with cash still to apply: open one to apply it to the customer's invoices, or refund it.</p>
      ) : null}
      <ErrorMessage error={list.error} />
      <PaymentsTable
        payments={list.items}
        caption="Payments, newest first"
        empty={!list.loading && list.error === null ? (unapplied === 'true' ? 'No payment has cash left to apply.' : 'No payments match.') : null}
      />
      <ListFooter count={list.items.length} hasMore={list.hasMore} loading={list.loading} onMore={list.loadMore} noun="payments" />
    </>
  );
}
