import { useCallback, useRef, useState } from 'react';
import { PostalAddress } from '../../components/PostalAddress';
import { Link, useParams } from 'react-router-dom';
import { allows } from '../../access';
import {
  ActionKey,
  cancelOrder,
  getOrder,
  getOrderHistory,
  listInvoices,
  listShipments,
  listWarehouses,
  orderConfirmationUrl,
  submitOrder,
  type HistoryEntry,
  type Order,
} from '../../api';
import { OrderStatusBadge, ReservationBadge, humanize } from '../../components/Badges';
import { DetailFallback } from '../../components/DetailFallback';
import { ErrorMessage } from '../../components/ErrorMessage';
import { ReasonPanel } from '../../components/ReasonPanel';
import { compareDecimal } from '../../decimal';
import type { Formatters } from '../../format';
import { useFormatters, useMe } from '../../session';
import { useArrival } from '../../useArrival';
import { useLoad } from '../../useLoad';
import { usePageTitle } from '../../usePageTitle';
import { UnitLabel } from '../../units';
import { OrderCreditSection } from '../credit/OrderCreditSection';
import { InvoicesTable } from '../invoicing/invoicingParts';
import { ShipmentsTable } from '../shipping/shippingParts';
import { TaxLabel, TotalsBox, chargeKindLabels, shippingPolicyLabels } from './orderParts';

interface DetailState {
  readonly notice?: string;
  readonly problem?: string | null;
}

export function OrderDetailPage() {
  const { orderId = '' } = useParams();
  const loadOrder = useCallback(() => getOrder(orderId), [orderId]);
  const order = useLoad(loadOrder);
  usePageTitle(order.data?.number ?? 'Order');
  const arrival = useArrival<DetailState>();

  if (order.data === null) {
    return <DetailFallback error={order.error} loadingText="Loading order…" title="Order" backTo="/orders" backLabel="Back to orders" />;
  }
  return <OrderView order={order.data} onChanged={order.set} arrival={arrival} />;
}

interface OrderViewProps {
  readonly order: Order;
  readonly onChanged: (order: Order) => void;
  readonly arrival: DetailState;
}

function OrderView({ order, onChanged, arrival }: OrderViewProps) {
  const me = useMe();
  const format = useFormatters();
  const canAct = allows(me.actor.roles, 'enterOrders');
  const [submitKey] = useState(() => new ActionKey());
  const [cancelKey] = useState(() => new ActionKey());
  const [cancelling, setCancelling] = useState(false);
  const [actionError, setActionError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(arrival.notice ?? null);
  const [busy, setBusy] = useState(false);
  const [historyOpen, setHistoryOpen] = useState(false);
  const loadWarehouses = useCallback(async () => (await listWarehouses()).items, []);
  const warehouses = useLoad(loadWarehouses);
  const warehouse = warehouses.data?.find((candidate) => candidate.id === order.warehouseId);
  const heading = useRef<HTMLHeadingElement>(null);
  const actions = order.availableActions;

  const submit = async () => {
    setBusy(true);
    setActionError(null);
    setNotice(null);
    try {
      const submitted = await submitKey.run({ submit: order.id }, (key) => submitOrder(order.id, key));
      onChanged(submitted);
      setNotice(`Order ${submitted.number} submitted: ${humanize(submitted.status).toLowerCase()}.`);
    } catch (failure) {
      setActionError(failure);
    } finally {
      setBusy(false);
    }
  };

  const openLines = order.lines.filter((line) => compareDecimal(line.quantityOpen, '0') > 0);

  return (
    <>
      <p className="breadcrumb">
        <Link to="/orders">Orders</Link> › {order.number}
      </p>
      <div className="page-heading">
        <h1 ref={heading} tabIndex={-1}>
          Order {order.number}
        </h1>
        <div className="actions">
          <a className="button secondary" href={orderConfirmationUrl(order.id)} target="_blank" rel="noopener noreferrer">
            Order confirmation (PDF)
          </a>
          {canAct && actions.includes('change_lines') ? (
            <Link className="button secondary" to={`/orders/${order.id}/edit`}>
              Edit lines
            </Link>
          ) : null}
          {canAct && actions.includes('submit') ? (
            <button type="button" onClick={() => void submit()} disabled={busy}>
              Submit
            </button>
          ) : null}
          {canAct && actions.includes('cancel') ? (
            <button type="button" className="danger" onClick={() => setCancelling(true)} aria-expanded={cancelling} disabled={busy}>
              Cancel order
            </button>
          ) : null}
        </div>
      </div>
      <div className="status-line">
        <span className="label-inline">Status</span> <OrderStatusBadge status={order.status} />
        <span className="label-inline">Stock</span> <ReservationBadge status={order.reservationStatus} />
        <span className="muted small">version {order.version}</span>
      </div>

      {arrival.problem === null || arrival.problem === undefined ? null : (
        <div className="message message-error" role="alert">
          {arrival.problem}
        </div>
      )}
      {notice === null ? null : (
        <p className="message message-success" role="status">
          {notice}
        </p>
      )}
      <ErrorMessage error={actionError} />
      {order.status === 'on_credit_hold' ? (
        <p className="message message-warning" role="note">
          This order waits for credit management: nothing is reserved or shipped until it is released.
        </p>
      ) : null}

      {cancelling ? (
        <ReasonPanel
          title={`Cancel order ${order.number}?`}
          description={
            order.lines.some((line) => compareDecimal(line.quantityShipped, '0') > 0)
              ? 'Everything not yet shipped is cancelled and its stock released; what was shipped stays.'
              : 'The whole order is cancelled and its reserved stock released.'
          }
          confirmLabel="Confirm cancellation"
          reasonLabel="Reason for the cancellation"
          onConfirm={async (reason) => {
            const cancelled = await cancelKey.run({ cancel: order.id, reason }, (key) => cancelOrder(order.id, reason, key));
            onChanged(cancelled);
            setCancelling(false);
            setNotice(`Order ${cancelled.number} cancelled.`);
            heading.current?.focus();
          }}
          onClose={() => setCancelling(false)}
        />
      ) : null}

      <div className="cards">
        <section className="card" aria-labelledby="order-customer-heading">
          <h2 id="order-customer-heading">Customer</h2>
          <dl className="details">
            <dt>Customer</dt>
            <dd>
              <Link to={`/customers/${order.customer.id}`}>{order.customer.name}</Link> <span className="muted">{order.customer.number}</span>
            </dd>
            <dt>PO number</dt>
            <dd>{order.customerPoNumber ?? '—'}</dd>
            <dt>VAT ID</dt>
            <dd>{order.buyerVatId ?? '—'}</dd>
            <dt>Payment terms</dt>
            <dd>
              <code>{order.paymentTermsCode}</code>
            </dd>
            <dt>Ship to</dt>
            <dd>
              <PostalAddress address={order.shipTo} />
            </dd>
          </dl>
        </section>
        <section className="card" aria-labelledby="order-dates-heading">
          <h2 id="order-dates-heading">Order</h2>
          <dl className="details">
            <dt>Order date</dt>
            <dd>{format.date(order.orderDate)}</dd>
            <dt>Requested delivery</dt>
            <dd>{format.date(order.requestedDeliveryDate)}</dd>
            <dt>Shipping</dt>
            <dd>{shippingPolicyLabels[order.shippingPolicy] ?? order.shippingPolicy}</dd>
            <dt>Warehouse</dt>
            <dd>{warehouse === undefined ? '…' : `${warehouse.code} — ${warehouse.name}`}</dd>
            <dt>Currency</dt>
            <dd>{order.currency}</dd>
            <dt>Entered</dt>
            <dd>
              {format.instant(order.createdAt)} by {order.createdBy} <span className="muted">({order.source})</span>
            </dd>
            {order.submittedAt === null ? null : (
              <>
                <dt>Submitted</dt>
                <dd>{format.instant(order.submittedAt)}</dd>
              </>
            )}
            {order.approvedAt === null ? null : (
              <>
                <dt>Approved</dt>
                <dd>{format.instant(order.approvedAt)}</dd>
              </>
            )}
            {order.cancelledAt === null ? null : (
              <>
                <dt>Cancelled</dt>
                <dd>
                  {format.instant(order.cancelledAt)}
                  {order.cancelReason === null ? null : <div>“{order.cancelReason}”</div>}
                </dd>
              </>
            )}
          </dl>
        </section>
      </div>

      <OrderCreditSection key={`credit-${order.version}`} order={order} />

      <section className="section" aria-labelledby="order-lines-heading">
        <div className="list-toolbar">
          <h2 id="order-lines-heading">Lines</h2>
          <span className="muted small">{openLines.length === 0 ? 'Nothing open' : `${openLines.length} of ${order.lines.length} lines open`}</span>
        </div>
        <div className="table-wrap">
          <table role="table" className="order-detail-lines">
            <caption className="visually-hidden">Order lines</caption>
            <thead role="rowgroup">
              <tr role="row">
                <th scope="col" role="columnheader">#</th>
                <th scope="col" role="columnheader">Item</th>
                <th scope="col" role="columnheader" className="num">Quantity</th>
                <th scope="col" role="columnheader" className="num">Unit price</th>
                <th scope="col" role="columnheader" className="num">Discount</th>
                <th scope="col" role="columnheader" className="num">Net</th>
                <th scope="col" role="columnheader">VAT</th>
                <th scope="col" role="columnheader" className="num">Reserved</th>
                <th scope="col" role="columnheader" className="num">Shipped</th>
                <th scope="col" role="columnheader" className="num">Cancelled</th>
                <th scope="col" role="columnheader" className="num">Open</th>
                <th scope="col" role="columnheader">Promised</th>
              </tr>
            </thead>
            <tbody role="rowgroup">
              {order.lines.map((line) => (
                <tr role="row" key={line.id} data-testid={`order-line-${line.lineNo}`}>
                  <td role="cell" data-label="Line">{line.lineNo}</td>
                  <td role="cell" data-label="Item">
                    <Link to={`/items/${line.itemId}`}>
                      <code>{line.sku}</code>
                    </Link>
                    <div className="small">{line.description}</div>
                    {line.priceSource === 'override' ? <div className="muted small">Price override: {line.priceOverrideReason}</div> : null}
                  </td>
                  <td role="cell" data-label="Quantity" className="num nowrap">
                    {format.quantity(line.quantity)} <span className="muted small"><UnitLabel code={line.unit} /></span>
                  </td>
                  <td role="cell" data-label="Unit price" className="num">{format.unitPrice(line.unitPrice, order.currency)}</td>
                  <td role="cell" data-label="Discount" className="num">
                    {line.discountPercent === null ? '—' : (
                      <>
                        {format.percent(line.discountPercent)}
                        <div className="muted small">−{format.money(line.discountAmount, order.currency)}</div>
                      </>
                    )}
                  </td>
                  <td role="cell" data-label="Net" className="num strong">{format.money(line.netAmount, order.currency)}</td>
                  <td role="cell" data-label="VAT" className="nowrap">
                    <TaxLabel category={line.taxCategory} ratePercent={line.taxRatePercent} />
                    {line.taxExemptionReason === null ? null : <div className="muted small">{line.taxExemptionReason}</div>}
                  </td>
                  <td role="cell" data-label="Reserved" className="num" data-testid={`order-line-${line.lineNo}-reserved`}>
                    {line.kind === 'service' ? '—' : format.quantity(line.quantityReserved)}
                  </td>
                  <td role="cell" data-label="Shipped" className="num">{format.quantity(line.quantityShipped)}</td>
                  <td role="cell" data-label="Cancelled" className="num">{format.quantity(line.quantityCancelled)}</td>
                  <td role="cell" data-label="Open" className="num strong">{format.quantity(line.quantityOpen)}</td>
                  <td role="cell" data-label="Promised" className="nowrap">{format.date(line.promisedShipDate)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <div className="order-bottom">
        <div>
          <section className="section" aria-labelledby="order-charges-heading">
            <h2 id="order-charges-heading">Charges</h2>
            {order.charges.length === 0 ? (
              <p className="muted">No charges.</p>
            ) : (
              <div className="table-wrap">
                <table role="table">
                  <caption className="visually-hidden">Charges</caption>
                  <thead role="rowgroup">
                    <tr role="row">
                      <th scope="col" role="columnheader">Charge</th>
                      <th scope="col" role="columnheader">VAT</th>
                      <th scope="col" role="columnheader" className="num">Net</th>
                      <th scope="col" role="columnheader" className="num">VAT amount</th>
                    </tr>
                  </thead>
                  <tbody role="rowgroup">
                    {order.charges.map((charge) => (
                      <tr role="row" key={charge.id}>
                        <td role="cell" data-label="Charge">
                          {charge.description === '' ? (chargeKindLabels[charge.kind] ?? charge.kind) : charge.description}
                          {charge.description !== '' && charge.description !== chargeKindLabels[charge.kind] ? (
                            <span className="muted small"> ({chargeKindLabels[charge.kind] ?? charge.kind})</span>
                          ) : null}
                        </td>
                        <td role="cell" data-label="VAT">
                          <TaxLabel category={charge.taxCategory} ratePercent={charge.taxRatePercent} />
                        </td>
                        <td role="cell" data-label="Net" className="num">{format.money(charge.amount, order.currency)}</td>
                        <td role="cell" data-label="VAT amount" className="num">{format.money(charge.taxAmount, order.currency)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
          {order.notes === null ? null : (
            <section className="section" aria-labelledby="order-notes-heading">
              <h2 id="order-notes-heading">Notes</h2>
              <p className="notes">{order.notes}</p>
            </section>
          )}
          {order.orderDiscountPercent === null ? null : (
            <p>
              Order discount: <strong>{format.percent(order.orderDiscountPercent)}</strong>
            </p>
          )}
        </div>
        <TotalsBox totals={order.totals} taxBreakdown={order.taxBreakdown} currency={order.currency} />
      </div>

      <OrderShipments key={order.version} orderId={order.id} />
      <OrderInvoices key={`invoices-${order.version}`} orderId={order.id} />

      <section className="section" aria-labelledby="order-history-heading">
        <div className="list-toolbar">
          <h2 id="order-history-heading">History</h2>
          <button type="button" className="secondary" aria-expanded={historyOpen} aria-controls="order-history" onClick={() => setHistoryOpen((open) => !open)}>
            {historyOpen ? 'Hide history' : 'Show history'}
          </button>
        </div>
        {historyOpen ? <OrderHistory key={order.version} orderId={order.id} currency={order.currency} /> : null}
      </section>
    </>
  );
}

/** The order's shipments, newest first (GET /shipments?orderId=). */
function OrderShipments({ orderId }: { readonly orderId: string }) {
  const load = useCallback(async () => (await listShipments({ orderId }, undefined, 100)).items, [orderId]);
  const shipments = useLoad(load);
  return (
    <section className="section" aria-labelledby="order-shipments-heading">
      <h2 id="order-shipments-heading">Shipments</h2>
      <ErrorMessage error={shipments.error} />
      {shipments.data === null ? (
        shipments.error === null ? (
          <p className="loading" role="status">
            Loading shipments…
          </p>
        ) : null
      ) : (
        <ShipmentsTable shipments={shipments.data} caption="Shipments of this order" showOrder={false} empty="Nothing shipped yet." />
      )}
    </section>
  );
}

/** The invoices and credit notes that bill this order, newest first (GET /invoices?orderId=). */
function OrderInvoices({ orderId }: { readonly orderId: string }) {
  const load = useCallback(async () => (await listInvoices({ orderId }, undefined, 100)).items, [orderId]);
  const invoices = useLoad(load);
  return (
    <section className="section" aria-labelledby="order-invoices-heading">
      <h2 id="order-invoices-heading">Invoices</h2>
      <ErrorMessage error={invoices.error} />
      {invoices.data === null ? (
        invoices.error === null ? (
          <p className="loading" role="status">
            Loading invoices…
          </p>
        ) : null
      ) : (
        <InvoicesTable invoices={invoices.data} caption="Invoices and credit notes of this order" empty="Nothing invoiced yet." showCustomer={false} />
      )}
    </section>
  );
}

const historyLabels: Record<string, string> = {
  'order.created': 'Order entered',
  'order.submitted': 'Submitted',
  'order.approved': 'Approved',
  'order.held': 'Put on credit hold',
  'order.released': 'Released from credit hold',
  'order.rejected': 'Rejected',
  'order.cancelled': 'Cancelled',
  'order.short_closed': 'Short-closed (rest cancelled)',
  'order.lines_changed': 'Lines changed',
  'order.header_changed': 'Details changed',
  'order.updated': 'Details changed',
};

function historyLabel(action: string): string {
  return historyLabels[action] ?? humanize(action.replace(/^order\./, ''));
}

/** A few words on what an entry changed, from its recorded values. */
function historySummary(entry: HistoryEntry, format: Formatters, currency: string): string[] {
  const after = entry.after;
  if (after === null || typeof after !== 'object') return [];
  const facts: string[] = [];
  const record = after as Record<string, unknown>;
  if (typeof record.number === 'string') facts.push(record.number);
  if (typeof record.lines === 'number') facts.push(`${record.lines} ${record.lines === 1 ? 'line' : 'lines'}`);
  const totals = record.totals as Record<string, unknown> | undefined;
  if (totals !== undefined && typeof totals.gross === 'string') facts.push(`total ${format.money(totals.gross, currency)}`);
  if (typeof record.status === 'string') facts.push(`status ${humanize(record.status).toLowerCase()}`);
  if (typeof record.reservation === 'string') facts.push(`stock ${humanize(record.reservation).toLowerCase()}`);
  if (typeof record.reason === 'string') facts.push(`reason: “${record.reason}”`);
  const decision = record.decision as Record<string, unknown> | undefined;
  if (decision !== undefined && Array.isArray(decision.reasons)) facts.push(...decision.reasons.filter((reason): reason is string => typeof reason === 'string'));
  return facts;
}

function OrderHistory({ orderId, currency }: { readonly orderId: string; readonly currency: string }) {
  const format = useFormatters();
  const load = useCallback(() => getOrderHistory(orderId), [orderId]);
  const history = useLoad(load);
  const [expanded, setExpanded] = useState<number | null>(null);
  if (history.error !== null) return <ErrorMessage error={history.error} />;
  if (history.data === null) {
    return (
      <p className="loading" role="status">
        Loading history…
      </p>
    );
  }
  return (
    <ol className="timeline" id="order-history" aria-label="Order history, oldest first">
      {history.data.items.map((entry, index) => {
        const facts = historySummary(entry, format, currency);
        const open = expanded === index;
        return (
          <li key={`${entry.occurredAt}-${index}`} className="timeline-entry">
            <div className="timeline-head">
              <strong>{historyLabel(entry.action)}</strong>
              <span className="muted small">
                {format.instant(entry.occurredAt)} · {entry.actorName}
              </span>
            </div>
            {facts.length === 0 ? null : <p className="timeline-facts">{facts.join(' · ')}</p>}
            {entry.before === null && entry.after === null ? null : (
              <button type="button" className="link-button small" aria-expanded={open} onClick={() => setExpanded(open ? null : index)}>
                {open ? 'Hide recorded values' : 'Recorded values'}
              </button>
            )}
            {open ? (
              <div className="json-pair">
                <div>
                  <h3>Before</h3>
                  <pre>{entry.before === null ? '—' : JSON.stringify(entry.before, null, 2)}</pre>
                </div>
                <div>
                  <h3>After</h3>
                  <pre>{entry.after === null ? '—' : JSON.stringify(entry.after, null, 2)}</pre>
                </div>
              </div>
            ) : null}
          </li>
        );
      })}
      {history.data.items.length === 0 ? <li className="muted">Nothing recorded yet.</li> : null}
    </ol>
  );
}
