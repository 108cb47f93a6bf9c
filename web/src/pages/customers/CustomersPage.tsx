import { useCallback, useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { allows } from '../../access';
import { listCustomers, type CustomerFilter, type CustomerStatus, type CustomerSummary } from '../../api';
import { CustomerStatusBadge } from '../../components/Badges';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Field, SelectField } from '../../components/Field';
import { ExportCsvButton, ListFooter } from '../../components/ListControls';
import type { CsvColumn } from '../../csv';
import { useFormatters, useMe } from '../../session';
import { usePagedList } from '../../usePagedList';
import { usePageTitle } from '../../usePageTitle';

const csvColumns: readonly CsvColumn<CustomerSummary>[] = [
  { header: 'number', value: (customer) => customer.number },
  { header: 'name', value: (customer) => customer.name },
  { header: 'legalName', value: (customer) => customer.legalName },
  { header: 'vatId', value: (customer) => customer.vatId },
  { header: 'countryCode', value: (customer) => customer.countryCode },
  { header: 'currency', value: (customer) => customer.currency },
  { header: 'language', value: (customer) => customer.language },
  { header: 'paymentTermsCode', value: (customer) => customer.paymentTermsCode },
  { header: 'creditLimit', value: (customer) => customer.creditLimit },
  { header: 'invoicingMoment', value: (customer) => customer.invoicingMoment },
  { header: 'invoiceGrouping', value: (customer) => customer.invoiceGrouping },
  { header: 'status', value: (customer) => customer.status },
  { header: 'blockedReason', value: (customer) => customer.blockedReason },
  { header: 'id', value: (customer) => customer.id },
];

const statuses: readonly CustomerStatus[] = ['active', 'blocked', 'archived'];

export function CustomersPage() {
  usePageTitle('Customers');
  const me = useMe();
  const format = useFormatters();
  const [filter, setFilter] = useState<CustomerFilter>({});
  const [search, setSearch] = useState('');
  const [country, setCountry] = useState('');
  const [currency, setCurrency] = useState('');
  const fetchPage = useCallback((cursor?: string) => listCustomers(filter, cursor), [filter]);
  const list = usePagedList(fetchPage);

  const onSearch = (event: FormEvent) => {
    event.preventDefault();
    const clean = (text: string) => (text.trim() === '' ? undefined : text.trim().toUpperCase());
    setFilter((current) => ({
      ...current,
      q: search.trim() === '' ? undefined : search.trim(),
      country: clean(country),
      currency: clean(currency),
    }));
  };

  return (
    <>
      <div className="page-heading">
        <h1>Customers</h1>
        {allows(me.actor.roles, 'editCustomers') ? (
          <Link className="button" to="/customers/new">
            New customer
          </Link>
        ) : null}
      </div>

      <form className="filters" onSubmit={onSearch} aria-label="Filter customers">
        <Field label="Search" type="search" value={search} onChange={setSearch} placeholder="Number, name or VAT ID" />
        <SelectField
          label="Status"
          value={filter.status ?? ''}
          onChange={(value) => setFilter((current) => ({ ...current, status: statuses.find((status) => status === value) }))}
        >
          <option value="">Active and blocked</option>
          <option value="active">Active</option>
          <option value="blocked">Blocked</option>
          <option value="archived">Archived</option>
        </SelectField>
        <Field label="Country" value={country} onChange={setCountry} maxLength={2} className="uppercase field-narrow" placeholder="DE" />
        <Field label="Currency" value={currency} onChange={setCurrency} maxLength={3} className="uppercase field-narrow" placeholder="EUR" />
        <div className="filter-actions">
          <button type="submit">Search</button>
          <ExportCsvButton fileName="customers.csv" columns={csvColumns} rows={list.items} />
        </div>
      </form>

      <ErrorMessage error={list.error} />
      <div className="table-wrap">
        <table role="table">
          <caption className="visually-hidden">Customers</caption>
          <thead role="rowgroup">
            <tr role="row">
              <th scope="col" role="columnheader">Number</th>
              <th scope="col" role="columnheader">Name</th>
              <th scope="col" role="columnheader">Country</th>
              <th scope="col" role="columnheader">Currency</th>
              <th scope="col" role="columnheader">Payment terms</th>
              <th scope="col" role="columnheader" className="num">Credit limit</th>
              <th scope="col" role="columnheader">Status</th>
            </tr>
          </thead>
          <tbody role="rowgroup">
            {list.items.map((customer) => (
              <tr role="row" key={customer.id} className={customer.status === 'archived' ? 'row-muted' : undefined}>
                <td role="cell" data-label="Number">
                  <Link to={`/customers/${customer.id}`}>{customer.number}</Link>
                </td>
                <td role="cell" data-label="Name">
                  <Link to={`/customers/${customer.id}`}>{customer.name}</Link>
                  {customer.legalName !== customer.name ? <div className="muted small">{customer.legalName}</div> : null}
                </td>
                <td role="cell" data-label="Country">{customer.countryCode}</td>
                <td role="cell" data-label="Currency">{customer.currency}</td>
                <td role="cell" data-label="Payment terms">
                  <code>{customer.paymentTermsCode}</code>
                </td>
                <td role="cell" data-label="Credit limit" className="num">
                  {customer.creditLimit === null ? <span className="muted">none</span> : format.money(customer.creditLimit, customer.currency)}
                </td>
                <td role="cell" data-label="Status">
                  <CustomerStatusBadge status={customer.status} />
                </td>
              </tr>
            ))}
            {!list.loading && list.items.length === 0 && list.error === null ? (
              <tr role="row">
                <td role="cell" colSpan={7} className="empty">
                  No customers match.
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
      <ListFooter count={list.items.length} hasMore={list.hasMore} loading={list.loading} onMore={list.loadMore} noun="customers" />
    </>
  );
}
