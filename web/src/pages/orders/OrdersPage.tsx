import { useCallback, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { allows } from '../../access';
import { listOrders, orderStatuses, type OrderStatus, type OrderSummary } from '../../api';
import { OrderStatusBadge, ReservationBadge, orderStatusLabel } from '../../components/Badges';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Field } from '../../components/Field';
import { ExportCsvButton, FilterActions, ListFooter } from '../../components/ListControls';
import { SectionTabs, orderTabs } from '../../components/SectionTabs';
import type { CsvColumn } from '../../csv';
import { useFormatters, useMe } from '../../session';
import { usePagedList } from '../../usePagedList';
import { usePageTitle } from '../../usePageTitle';
import { CustomerFilter } from './orderParts';

const csvColumns: readonly CsvColumn<OrderSummary>[] = [
  { header: 'number', value: (order) => order.number },
  { header: 'orderDate', value: (order) => order.orderDate },
  { header: 'customerNumber', value: (order) => order.customer.number },
  { header: 'customerName', value: (order) => order.customer.name },
  { header: 'customerPoNumber', value: (order) => order.customerPoNumber },
  { header: 'status', value: (order) => order.status },
  { header: 'reservationStatus', value: (order) => order.reservationStatus },
  { header: 'requestedDeliveryDate', value: (order) => order.requestedDeliveryDate },
  { header: 'currency', value: (order) => order.currency },
  { header: 'linesNet', value: (order) => order.totals.linesNet },
  { header: 'charges', value: (order) => order.totals.charges },
  { header: 'taxable', value: (order) => order.totals.taxable },
  { header: 'tax', value: (order) => order.totals.tax },
  { header: 'gross', value: (order) => order.totals.gross },
  { header: 'source', value: (order) => order.source },
  { header: 'id', value: (order) => order.id },
];

export function OrdersPage() {
  usePageTitle('Orders');
  const me = useMe();
  const format = useFormatters();
  const [params, setParams] = useSearchParams();
  const statusParam = params.get('status');
  const status = orderStatuses.find((candidate) => candidate === statusParam);
  const customerId = params.get('customerId') ?? undefined;
  const q = params.get('q') ?? undefined;
  const from = params.get('from') ?? undefined;
  const to = params.get('to') ?? undefined;
  const [search, setSearch] = useState(q ?? '');
  const fetchPage = useCallback((cursor?: string) => listOrders({ status, customerId, q, from, to }, cursor), [status, customerId, q, from, to]);
  const list = usePagedList(fetchPage);

  const setParam = (changes: Record<string, string | undefined>) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        for (const [name, value] of Object.entries(changes)) {
          if (value === undefined || value === '') next.delete(name);
          else next.set(name, value);
        }
        return next;
      },
      { replace: true },
    );

  const onSearch = (event: FormEvent) => {
    event.preventDefault();
    setParam({ q: search.trim() });
  };

  const chips: ReadonlyArray<{ value: OrderStatus | undefined; label: string }> = [
    { value: undefined, label: 'All' },
    ...orderStatuses.map((value) => ({ value, label: orderStatusLabel(value) })),
  ];

  return (
    <>
      <SectionTabs label="Orders" links={orderTabs} />
      <div className="page-heading">
        <h1>Orders</h1>
        {allows(me.actor.roles, 'enterOrders') ? (
          <Link className="button" to="/orders/new">
            New order
          </Link>
        ) : null}
      </div>

      <div className="chips" role="group" aria-label="Show orders by status">
        {chips.map((chip) => (
          <button
            key={chip.label}
            type="button"
            className={chip.value === status ? 'chip chip-on' : 'chip'}
            aria-pressed={chip.value === status}
            onClick={() => setParam({ status: chip.value })}
          >
            {chip.label}
          </button>
        ))}
      </div>

      <form className="filters" onSubmit={onSearch} aria-label="Filter orders">
        <Field label="Search" type="search" value={search} onChange={setSearch} placeholder="Order number, customer or PO number" />
        <CustomerFilter customerId={customerId} onChange={(chosen) => setParam({ customerId: chosen })} />
        <Field label="Order date from" type="date" value={from ?? ''} onChange={(value) => setParam({ from: value })} className="field-date" />
        <Field label="to" type="date" value={to ?? ''} onChange={(value) => setParam({ to: value })} className="field-date" />
        <FilterActions
          onClear={() => {
            setSearch('');
            setParams({}, { replace: true });
          }}
        >
          <ExportCsvButton fileName="orders.csv" columns={csvColumns} rows={list.items} />
        </FilterActions>
      </form>

      <ErrorMessage error={list.error} />
      <div className="table-wrap">
        <table role="table">
          <caption className="visually-hidden">Orders</caption>
          <thead role="rowgroup">
            <tr role="row">
              <th scope="col" role="columnheader">Order</th>
              <th scope="col" role="columnheader">Date</th>
              <th scope="col" role="columnheader">Customer</th>
              <th scope="col" role="columnheader">PO number</th>
              <th scope="col" role="columnheader">Status</th>
              <th scope="col" role="columnheader">Stock</th>
              <th scope="col" role="columnheader" className="num">Net</th>
              <th scope="col" role="columnheader" className="num">Total</th>
            </tr>
          </thead>
          <tbody role="rowgroup">
            {list.items.map((order) => (
              <tr role="row" key={order.id} className={order.status === 'cancelled' ? 'row-muted' : undefined}>
                <td role="cell" data-label="Order">
                  <Link to={`/orders/${order.id}`}>{order.number}</Link>
                </td>
                <td role="cell" data-label="Date" className="nowrap">{format.date(order.orderDate)}</td>
                <td role="cell" data-label="Customer">
                  <Link to={`/customers/${order.customer.id}`}>{order.customer.name}</Link> <span className="muted small">{order.customer.number}</span>
                </td>
                <td role="cell" data-label="PO number">{order.customerPoNumber ?? '—'}</td>
                <td role="cell" data-label="Status">
                  <OrderStatusBadge status={order.status} />
                </td>
                <td role="cell" data-label="Stock">
                  <ReservationBadge status={order.reservationStatus} />
                </td>
                <td role="cell" data-label="Net" className="num">{format.money(order.totals.taxable, order.currency)}</td>
                <td role="cell" data-label="Total" className="num strong">{format.money(order.totals.gross, order.currency)}</td>
              </tr>
            ))}
            {!list.loading && list.items.length === 0 && list.error === null ? (
              <tr role="row">
                <td role="cell" colSpan={8} className="empty">
                  No orders match.
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
      <ListFooter count={list.items.length} hasMore={list.hasMore} loading={list.loading} onMore={list.loadMore} noun="orders" />
    </>
  );
}
