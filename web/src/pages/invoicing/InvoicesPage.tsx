import { useCallback, useState, type FormEvent } from 'react';
import { listInvoices, paymentStatuses, sendingStatuses, type InvoiceFilter, type InvoiceListItem } from '../../api';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Field, SelectField } from '../../components/Field';
import { ExportCsvButton, FilterActions, ListFooter } from '../../components/ListControls';
import { SectionTabs } from '../../components/SectionTabs';
import type { CsvColumn } from '../../csv';
import { usePagedList } from '../../usePagedList';
import { usePageTitle } from '../../usePageTitle';
import { CustomerFilter } from '../orders/orderParts';
import { InvoicesTable, invoicingTabs, paymentFilterLabels, sendingLabels, useQueryParams } from './invoicingParts';

const csvColumns: readonly CsvColumn<InvoiceListItem>[] = [
  { header: 'kind', value: (invoice) => invoice.kind },
  { header: 'number', value: (invoice) => invoice.number },
  { header: 'status', value: (invoice) => invoice.status },
  { header: 'origin', value: (invoice) => invoice.origin },
  { header: 'customerNumber', value: (invoice) => invoice.customer.number },
  { header: 'customerName', value: (invoice) => invoice.customer.name },
  { header: 'issueDate', value: (invoice) => invoice.issueDate },
  { header: 'dueDate', value: (invoice) => invoice.dueDate },
  { header: 'currency', value: (invoice) => invoice.currency },
  { header: 'gross', value: (invoice) => invoice.gross },
  { header: 'open', value: (invoice) => invoice.open },
  { header: 'sendingStatus', value: (invoice) => invoice.sendingStatus },
  { header: 'paymentStatus', value: (invoice) => invoice.paymentStatus },
  { header: 'overdue', value: (invoice) => invoice.overdue },
  { header: 'creditedInvoiceId', value: (invoice) => invoice.creditedInvoiceId },
  { header: 'id', value: (invoice) => invoice.id },
];

/** The three views of the list: issued and draft invoices, credit notes, and every draft. */
const views = [
  { value: 'invoices', label: 'Invoices', filter: { kind: 'invoice' } },
  { value: 'credit-notes', label: 'Credit notes', filter: { kind: 'credit_note' } },
  { value: 'drafts', label: 'Drafts', filter: { status: 'draft' } },
] as const satisfies ReadonlyArray<{ value: string; label: string; filter: InvoiceFilter }>;

type View = (typeof views)[number];

export function InvoicesPage() {
  const query = useQueryParams();
  const view: View = views.find((candidate) => candidate.value === query.get('view')) ?? views[0];
  usePageTitle(view.label);
  const status = view.value === 'drafts' ? undefined : query.oneOf('status', ['draft', 'issued'] as const);
  const sendingStatus = query.oneOf('sendingStatus', sendingStatuses);
  const paymentStatus = query.oneOf('paymentStatus', paymentStatuses);
  const overdue = query.oneOf('overdue', ['true', 'false'] as const);
  const customerId = query.get('customerId');
  const dueFrom = query.get('dueFrom');
  const dueTo = query.get('dueTo');
  const search = query.get('search');
  const [searchText, setSearchText] = useState(search ?? '');
  const fetchPage = useCallback(
    (cursor?: string) => listInvoices({ ...view.filter, ...(status === undefined ? {} : { status }), sendingStatus, paymentStatus, overdue, customerId, dueFrom, dueTo, search }, cursor),
    [view, status, sendingStatus, paymentStatus, overdue, customerId, dueFrom, dueTo, search],
  );
  const list = usePagedList(fetchPage);

  const onSearch = (event: FormEvent) => {
    event.preventDefault();
    query.set({ search: searchText.trim() });
  };

  const noun = view.value === 'credit-notes' ? 'credit notes' : view.value === 'drafts' ? 'drafts' : 'invoices';
  return (
    <>
      <SectionTabs label="Invoicing" links={invoicingTabs} />
      <h1>Invoices &amp; credit notes</h1>

      <div className="chips" role="group" aria-label="Show documents">
        {views.map((candidate) => (
          <button
            key={candidate.value}
            type="button"
            className={candidate === view ? 'chip chip-on' : 'chip'}
            aria-pressed={candidate === view}
            onClick={() => query.set({ view: candidate.value === 'invoices' ? undefined : candidate.value, ...(candidate.value === 'drafts' ? { status: undefined } : {}) })}
          >
            {candidate.label}
          </button>
        ))}
      </div>

      <form className="filters" onSubmit={onSearch} aria-label={`Filter ${noun}`}>
        <Field label="Search" type="search" value={searchText} onChange={setSearchText} placeholder="Number, customer name or number" />
        <CustomerFilter customerId={customerId} onChange={(chosen) => query.set({ customerId: chosen })} />
        {view.value === 'drafts' ? null : (
          <SelectField label="Status" value={status ?? ''} onChange={(value) => query.set({ status: value })} className="field-narrow">
            <option value="">Any</option>
            <option value="draft">Draft</option>
            <option value="issued">Issued</option>
          </SelectField>
        )}
        <SelectField label="Sending" value={sendingStatus ?? ''} onChange={(value) => query.set({ sendingStatus: value })} className="field-narrow">
          <option value="">Any</option>
          {sendingStatuses.map((value) => (
            <option key={value} value={value}>
              {sendingLabels[value]}
            </option>
          ))}
        </SelectField>
        <SelectField label="Payment" value={paymentStatus ?? ''} onChange={(value) => query.set({ paymentStatus: value })} className="field-narrow">
          <option value="">Any</option>
          {paymentStatuses.map((value) => (
            <option key={value} value={value}>
              {paymentFilterLabels[value]}
            </option>
          ))}
        </SelectField>
        <SelectField label="Overdue" value={overdue ?? ''} onChange={(value) => query.set({ overdue: value })} className="field-narrow">
          <option value="">Any</option>
          <option value="true">Overdue</option>
          <option value="false">Not overdue</option>
        </SelectField>
        <Field label="Due from" type="date" value={dueFrom ?? ''} onChange={(value) => query.set({ dueFrom: value })} className="field-date" />
        <Field label="Due to" type="date" value={dueTo ?? ''} onChange={(value) => query.set({ dueTo: value })} className="field-date" />
        <FilterActions
          onClear={() => {
            setSearchText('');
            query.set({ search: undefined, customerId: undefined, status: undefined, sendingStatus: undefined, paymentStatus: undefined, overdue: undefined, dueFrom: undefined, dueTo: undefined });
          }}
        >
          <ExportCsvButton fileName={`${view.value}.csv`} columns={csvColumns} rows={list.items} />
        </FilterActions>
      </form>

      <ErrorMessage error={list.error} />
      <InvoicesTable invoices={list.items} caption={`${view.label}, newest first`} empty={!list.loading && list.error === null ? `No ${noun} match.` : null} />
      <ListFooter count={list.items.length} hasMore={list.hasMore} loading={list.loading} onMore={list.loadMore} noun={noun} />
    </>
  );
}
