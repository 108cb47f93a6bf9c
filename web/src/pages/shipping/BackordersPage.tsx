import { useCallback, useState } from 'react';
import { Link } from 'react-router-dom';
import { allows } from '../../access';
import { ActionKey, allocateBackorders, listBackorders } from '../../api';
import { ErrorMessage } from '../../components/ErrorMessage';
import { SectionTabs, shippingTabs } from '../../components/SectionTabs';
import { useFormatters, useMe } from '../../session';
import { useLoad } from '../../useLoad';
import { usePageTitle } from '../../usePageTitle';
import { shippingPolicyLabels } from '../orders/orderParts';

/** Order lines waiting for stock, oldest order first; arrived stock can be allocated at once. */
export function BackordersPage() {
  usePageTitle('Backorders');
  const me = useMe();
  const format = useFormatters();
  const canAllocate = allows(me.actor.roles, 'shipGoods');
  const backorders = useLoad(useCallback(() => listBackorders(), []));
  const [actionKey] = useState(() => new ActionKey());
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  const allocate = async () => {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      const result = await actionKey.run({ allocate: true }, (key) => allocateBackorders(key));
      const count = result.reserved.length;
      setNotice(count === 0 ? 'No stock could be allocated: nothing waiting has arrived.' : `Stock reserved for ${count} ${count === 1 ? 'order' : 'orders'}: ${result.reserved.join(', ')}.`);
      backorders.reload();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  const items = backorders.data?.items ?? [];
  return (
    <>
      <SectionTabs label="Shipping" links={shippingTabs} />
      <div className="page-heading">
        <h1>Backorders</h1>
        {canAllocate ? (
          <div className="actions">
            <button type="button" onClick={() => void allocate()} disabled={busy}>
              Allocate now
            </button>
          </div>
        ) : null}
      </div>
      <p className="page-intro">Order lines waiting for stock, oldest order first. Every goods receipt allocates automatically; “Allocate now” does it at once.</p>
      {notice === null ? null : (
        <p className="message message-success" role="status">
          {notice}
        </p>
      )}
      <ErrorMessage error={error ?? backorders.error} />
      <div className="table-wrap">
        <table role="table">
          <caption className="visually-hidden">Backorders</caption>
          <thead role="rowgroup">
            <tr role="row">
              <th scope="col" role="columnheader">Order</th>
              <th scope="col" role="columnheader">Customer</th>
              <th scope="col" role="columnheader">Line</th>
              <th scope="col" role="columnheader">SKU</th>
              <th scope="col" role="columnheader" className="num">Waiting</th>
              <th scope="col" role="columnheader">Waiting since</th>
              <th scope="col" role="columnheader">Requested delivery</th>
              <th scope="col" role="columnheader">Shipping</th>
            </tr>
          </thead>
          <tbody role="rowgroup">
            {items.map((entry) => (
              <tr role="row" key={`${entry.orderId}-${entry.lineNo}`}>
                <td role="cell" data-label="Order">
                  <Link to={`/orders/${entry.orderId}`}>{entry.orderNumber}</Link>
                </td>
                <td role="cell" data-label="Customer">{entry.customerName}</td>
                <td role="cell" data-label="Line">{entry.lineNo}</td>
                <td role="cell" data-label="SKU">
                  <Link to={`/items/${entry.itemId}`}>
                    <code>{entry.sku}</code>
                  </Link>
                </td>
                <td role="cell" data-label="Waiting" className="num strong">{format.quantity(entry.waiting)}</td>
                <td role="cell" data-label="Waiting since" className="nowrap">{format.instant(entry.approvedAt)}</td>
                <td role="cell" data-label="Requested delivery" className="nowrap">{format.date(entry.requestedDeliveryDate)}</td>
                <td role="cell" data-label="Shipping" className="small">{shippingPolicyLabels[entry.shippingPolicy] ?? entry.shippingPolicy}</td>
              </tr>
            ))}
            {backorders.data !== null && items.length === 0 ? (
              <tr role="row">
                <td role="cell" colSpan={8} className="empty">
                  No order waits for stock.
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
      <p className="muted small" aria-live="polite">
        {backorders.loading ? 'Loading…' : `${items.length} waiting ${items.length === 1 ? 'line' : 'lines'}`}
      </p>
    </>
  );
}
