import { useCallback, useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { allows } from '../../access';
import {
  ActionKey,
  ApiError,
  createShipment,
  getOrder,
  getShippingQueue,
  listAll,
  listShipments,
  shipmentStatuses,
  type Order,
  type ShipmentStatus,
  type ShippingQueueEntry,
} from '../../api';
import { OrderStatusBadge, ReservationBadge, shipmentStatusLabel } from '../../components/Badges';
import { ErrorMessage } from '../../components/ErrorMessage';
import { ListFooter } from '../../components/ListControls';
import { SectionTabs, shippingTabs } from '../../components/SectionTabs';
import { ListTableHead } from '../../components/TableParts';
import { addDecimal, compareDecimal, isDecimal, parseDecimalInput, subtractDecimal } from '../../decimal';
import { useFormatters, useMe } from '../../session';
import { useLoad } from '../../useLoad';
import { usePagedList } from '../../usePagedList';
import { usePageTitle } from '../../usePageTitle';
import { UnitLabel } from '../../units';
import { ShipmentsTable } from './shippingParts';

/** The warehouse's desk: orders ready to ship, and the shipments by status. */
export function ShippingPage() {
  usePageTitle('Shipping');
  const me = useMe();
  const format = useFormatters();
  const canShip = allows(me.actor.roles, 'shipGoods');
  const [params, setParams] = useSearchParams();
  const statusParam = params.get('status');
  const status = shipmentStatuses.find((candidate) => candidate === statusParam);
  const queue = useLoad(useCallback(() => getShippingQueue(), []));
  const fetchPage = useCallback((cursor?: string) => listShipments({ status }, cursor, 25), [status]);
  const shipments = usePagedList(fetchPage);
  const [creatingFor, setCreatingFor] = useState<ShippingQueueEntry | null>(null);

  const chips: ReadonlyArray<{ value: ShipmentStatus | undefined; label: string }> = [
    { value: undefined, label: 'All' },
    ...shipmentStatuses.map((value) => ({ value, label: shipmentStatusLabel(value) })),
  ];
  const setStatus = (value: ShipmentStatus | undefined) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (value === undefined) next.delete('status');
        else next.set('status', value);
        return next;
      },
      { replace: true },
    );

  return (
    <>
      <SectionTabs label="Shipping" links={shippingTabs} />
      <h1>Shipping</h1>
      <p className="page-intro">Orders whose goods are reserved and not yet in a shipment, earliest requested delivery first.</p>

      <section className="section" aria-labelledby="queue-heading">
        <div className="list-toolbar">
          <h2 id="queue-heading">Ready to ship</h2>
          <button type="button" className="secondary" onClick={queue.reload} disabled={queue.loading}>
            Refresh
          </button>
        </div>
        <ErrorMessage error={queue.error} />
        <div className="table-wrap">
          <table role="table">
            <caption className="visually-hidden">Orders ready to ship</caption>
            <ListTableHead columns={['Order', 'Customer', 'Requested delivery', 'Order date', 'Status', { label: 'Lines ready', className: 'num' }]} />
            <tbody role="rowgroup">
              {(queue.data?.items ?? []).map((entry) => (
                <tr role="row" key={entry.orderId}>
                  <td role="cell" data-label="Order">
                    <Link to={`/orders/${entry.orderId}`}>{entry.orderNumber}</Link>
                  </td>
                  <td role="cell" data-label="Customer">{entry.customerName}</td>
                  <td role="cell" data-label="Requested delivery" className="nowrap">{format.date(entry.requestedDeliveryDate)}</td>
                  <td role="cell" data-label="Order date" className="nowrap">{format.date(entry.orderDate)}</td>
                  <td role="cell" data-label="Status">
                    <OrderStatusBadge status={entry.status} /> <ReservationBadge status={entry.reservationStatus} />
                  </td>
                  <td role="cell" data-label="Lines ready" className="num">{entry.linesReady}</td>
                  <td role="cell" className="cell-actions">
                    {canShip ? (
                      <button type="button" onClick={() => setCreatingFor(entry)} aria-label={`Create shipment for ${entry.orderNumber}`}>
                        Create shipment
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
              {queue.data !== null && queue.data.items.length === 0 ? (
                <tr role="row">
                  <td role="cell" colSpan={7} className="empty">
                    Nothing waits to be shipped.
                  </td>
                </tr>
              ) : null}
            </tbody>
          </table>
        </div>
      </section>

      <section className="section" aria-labelledby="shipments-heading">
        <h2 id="shipments-heading">Shipments</h2>
        <div className="chips" role="group" aria-label="Show shipments by status">
          {chips.map((chip) => (
            <button
              key={chip.label}
              type="button"
              className={chip.value === status ? 'chip chip-on' : 'chip'}
              aria-pressed={chip.value === status}
              onClick={() => setStatus(chip.value)}
            >
              {chip.label}
            </button>
          ))}
        </div>
        <ErrorMessage error={shipments.error} />
        <ShipmentsTable
          shipments={shipments.items}
          caption="Shipments"
          loading={shipments.loading}
          empty={status === undefined ? 'No shipments yet.' : `No ${shipmentStatusLabel(status).toLowerCase()} shipments.`}
        />
        <ListFooter count={shipments.items.length} hasMore={shipments.hasMore} loading={shipments.loading} onMore={shipments.loadMore} noun="shipments" />
      </section>

      {creatingFor === null ? null : <CreateShipmentDialog entry={creatingFor} onClose={() => setCreatingFor(null)} />}
    </>
  );
}

interface DialogLine {
  readonly orderLineId: string;
  readonly lineNo: number;
  readonly sku: string;
  readonly description: string;
  readonly unit: string;
  /** Reserved and not yet in an open shipment. */
  readonly free: string;
}

const openStatuses = new Set(['created', 'picked', 'packed']);

/** The reserved goods lines of an order less what open shipments already hold. */
async function loadReadyLines(orderId: string): Promise<{ order: Order; lines: DialogLine[] }> {
  const [order, shipments] = await Promise.all([getOrder(orderId), listAll((cursor) => listShipments({ orderId }, cursor, 100))]);
  const held = new Map<string, string>();
  for (const shipment of shipments) {
    if (!openStatuses.has(shipment.status)) continue;
    for (const line of shipment.lines) {
      const before = held.get(line.orderLineId) ?? '0';
      held.set(line.orderLineId, addDecimal(before, line.quantity));
    }
  }
  const lines = order.lines
    .filter((line) => line.kind === 'goods')
    .map((line) => ({
      orderLineId: line.id,
      lineNo: line.lineNo,
      sku: line.sku,
      description: line.description,
      unit: line.unit,
      free: subtractDecimal(line.quantityReserved, held.get(line.id) ?? '0'),
    }))
    .filter((line) => compareDecimal(line.free, '0') > 0);
  return { order, lines };
}

/** A modal dialog: the reserved lines of one order with the quantities to ship, which may be lowered. */
function CreateShipmentDialog({ entry, onClose }: { readonly entry: ShippingQueueEntry; readonly onClose: () => void }) {
  const id = useId();
  const format = useFormatters();
  const navigate = useNavigate();
  const dialog = useRef<HTMLDialogElement>(null);
  const ready = useLoad(useCallback(() => loadReadyLines(entry.orderId), [entry.orderId]));
  const [quantities, setQuantities] = useState<Record<string, string>>({});
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [sent, setSent] = useState<readonly string[]>([]);
  const [busy, setBusy] = useState(false);
  const [actionKey] = useState(() => new ActionKey());

  useEffect(() => {
    const element = dialog.current;
    if (element !== null && !element.open) element.showModal();
    return () => element?.close();
  }, []);

  const valueOf = (line: DialogLine) => quantities[line.orderLineId] ?? line.free;

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (ready.data === null) return;
    setError(null);
    const problems: Record<string, string> = {};
    const lines: Array<{ orderLineId: string; quantity: string }> = [];
    for (const line of ready.data.lines) {
      const typed = valueOf(line).trim();
      const value = typed === '' ? '0' : parseDecimalInput(typed);
      if (value === null || !isDecimal(value) || compareDecimal(value, '0') < 0) {
        problems[line.orderLineId] = 'Enter a quantity such as 5 or 2.5 (0 leaves the line out).';
        continue;
      }
      if (compareDecimal(value, '0') > 0) lines.push({ orderLineId: line.orderLineId, quantity: value });
    }
    setLocalErrors(problems);
    if (Object.keys(problems).length > 0) return;
    if (lines.length === 0) {
      setError(new Error('Enter a quantity for at least one line.'));
      return;
    }
    setBusy(true);
    setSent(lines.map((line) => line.orderLineId));
    const body = { orderId: entry.orderId, lines };
    try {
      const shipment = await actionKey.run(body, (key) => createShipment(body, key));
      void navigate(`/shipments/${shipment.id}`, { state: { notice: `Shipment ${shipment.number} created for ${entry.orderNumber}.` } });
    } catch (failure) {
      setError(failure);
      setBusy(false);
    }
  };

  const apiError = error instanceof ApiError ? error : null;
  const serverLineError = (orderLineId: string): string | undefined => {
    const index = sent.indexOf(orderLineId);
    return index < 0 ? undefined : apiError?.errorAt(`lines.${index}.quantity`) ?? apiError?.errorAt(`lines.${index}`, true);
  };

  return (
    <dialog ref={dialog} className="dialog" aria-labelledby={`${id}-title`} onClose={onClose}>
      <form onSubmit={(event) => void onSubmit(event)}>
        <h2 id={`${id}-title`}>Create shipment for {entry.orderNumber}</h2>
        <p className="muted">{entry.customerName}. Lower a quantity to ship less now; 0 leaves the line for a later shipment.</p>
        {ready.data === null ? (
          ready.error === null ? (
            <p className="loading" role="status">
              Loading reserved lines…
            </p>
          ) : (
            <ErrorMessage error={ready.error} />
          )
        ) : ready.data.lines.length === 0 ? (
          <p className="message message-warning" role="note">
            Nothing reserved is left to ship: open shipments already hold it.
          </p>
        ) : (
          <table className="plain-table dialog-lines">
            <caption className="visually-hidden">Reserved lines</caption>
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Item</th>
                <th scope="col" className="num">Reserved, not shipped</th>
                <th scope="col" className="num">Ship now</th>
              </tr>
            </thead>
            <tbody>
              {ready.data.lines.map((line) => {
                const lineError = localErrors[line.orderLineId] ?? serverLineError(line.orderLineId);
                const errorId = `${id}-line-${line.lineNo}-error`;
                return (
                  <tr key={line.orderLineId}>
                    <td>{line.lineNo}</td>
                    <td>
                      <code>{line.sku}</code>
                      <div className="small">{line.description}</div>
                    </td>
                    <td className="num nowrap">
                      {format.quantity(line.free)} <span className="muted small"><UnitLabel code={line.unit} /></span>
                    </td>
                    <td className={lineError === undefined ? 'num' : 'num field-invalid'}>
                      <input
                        className="num-input"
                        inputMode="decimal"
                        size={8}
                        aria-label={`Quantity to ship, line ${line.lineNo} (${line.sku})`}
                        value={valueOf(line)}
                        onChange={(event) => setQuantities((current) => ({ ...current, [line.orderLineId]: event.target.value }))}
                        aria-invalid={lineError === undefined ? undefined : true}
                        aria-describedby={lineError === undefined ? undefined : errorId}
                      />
                      {lineError === undefined ? null : (
                        <small id={errorId} className="field-error">
                          {lineError}
                        </small>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
        <ErrorMessage error={error} />
        <div className="actions">
          <button type="submit" disabled={busy || ready.data === null || ready.data.lines.length === 0}>
            Create shipment
          </button>
          <button type="button" className="secondary" onClick={() => dialog.current?.close()} disabled={busy}>
            Cancel
          </button>
        </div>
      </form>
    </dialog>
  );
}
