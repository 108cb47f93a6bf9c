import { Link } from 'react-router-dom';
import type { Shipment } from '../../api';
import { ShipmentStatusBadge, humanize } from '../../components/Badges';
import { useFormatters } from '../../session';

export const packageTypeLabels: Record<string, string> = { box: 'Box', pallet: 'Pallet', envelope: 'Envelope', crate: 'Crate' };

export const exceptionLabels: Record<string, string> = { damaged: 'Damaged', refused: 'Refused', lost: 'Lost' };

export const exceptionLabel = (kind: string) => exceptionLabels[kind] ?? humanize(kind);

interface ShipmentsTableProps {
  readonly shipments: readonly Shipment[];
  readonly caption: string;
  /** On the order's own page the order column is left out. */
  readonly showOrder?: boolean;
  readonly empty: string;
  readonly loading?: boolean;
}

/** Shipments as a table: number (a link), order, customer, status, carrier and tracking. */
export function ShipmentsTable({ shipments, caption, showOrder = true, empty, loading = false }: ShipmentsTableProps) {
  const format = useFormatters();
  const columns = showOrder ? 7 : 5;
  return (
    <div className="table-wrap">
      <table role="table">
        <caption className="visually-hidden">{caption}</caption>
        <thead role="rowgroup">
          <tr role="row">
            <th scope="col" role="columnheader">Shipment</th>
            {showOrder ? (
              <>
                <th scope="col" role="columnheader">Order</th>
                <th scope="col" role="columnheader">Customer</th>
              </>
            ) : null}
            <th scope="col" role="columnheader">Status</th>
            <th scope="col" role="columnheader">Carrier</th>
            <th scope="col" role="columnheader">Shipped</th>
            <th scope="col" role="columnheader">Created</th>
          </tr>
        </thead>
        <tbody role="rowgroup">
          {shipments.map((shipment) => (
            <tr role="row" key={shipment.id}>
              <td role="cell" data-label="Shipment">
                <Link to={`/shipments/${shipment.id}`}>{shipment.number}</Link>
              </td>
              {showOrder ? (
                <>
                  <td role="cell" data-label="Order">
                    <Link to={`/orders/${shipment.orderId}`}>{shipment.orderNumber}</Link>
                  </td>
                  <td role="cell" data-label="Customer">{shipment.customer.name}</td>
                </>
              ) : null}
              <td role="cell" data-label="Status">
                <ShipmentStatusBadge status={shipment.status} />
                {shipment.deliveryException === null ? null : (
                  <span className="badge badge-warn">Exception: {exceptionLabel(shipment.deliveryException)}</span>
                )}
              </td>
              <td role="cell" data-label="Carrier">
                {shipment.carrier ?? '—'}
                {shipment.trackingNumber === null ? null : <div className="muted small">{shipment.trackingNumber}</div>}
              </td>
              <td role="cell" data-label="Shipped" className="nowrap">{format.date(shipment.shipDate)}</td>
              <td role="cell" data-label="Created" className="nowrap">{format.instant(shipment.createdAt)}</td>
            </tr>
          ))}
          {!loading && shipments.length === 0 ? (
            <tr role="row">
              <td role="cell" colSpan={columns} className="empty">
                {empty}
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
    </div>
  );
}
