import { useCallback, useId, useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { allows } from '../../access';
import {
  ActionKey,
  createInvoiceDraft,
  getInvoicingSettings,
  getReadyToInvoice,
  runInvoicing,
  updateInvoicingSettings,
  type InvoiceRunResult,
  type InvoicingSettings,
  type ReadyToInvoiceLine,
} from '../../api';
import { ErrorMessage } from '../../components/ErrorMessage';
import { SaveError } from '../../components/SaveError';
import { SectionTabs } from '../../components/SectionTabs';
import { useFormatters, useMe } from '../../session';
import { useArrival } from '../../useArrival';
import { useLoad } from '../../useLoad';
import { usePageTitle } from '../../usePageTitle';
import { CustomerFilter } from '../orders/orderParts';
import { InvoiceBadges, documentTitle, invoicingTabs, useQueryParams } from './invoicingParts';

interface ShipmentGroup {
  readonly shipmentId: string;
  readonly shipmentNumber: string;
  readonly shipDate: string | null;
  readonly lines: ReadyToInvoiceLine[];
}

interface OrderGroup {
  readonly orderId: string;
  readonly orderNumber: string;
  readonly shipments: ShipmentGroup[];
  /** Open service lines: billed with the whole order. */
  readonly services: ReadyToInvoiceLine[];
}

interface CustomerGroup {
  readonly key: string;
  readonly customerId: string;
  readonly customerName: string;
  readonly currency: string;
  readonly orders: OrderGroup[];
  readonly lineCount: number;
}

/** The ready lines (sorted by customer, order, shipment) as customers, their orders, and the orders' shipments. */
function groupReady(lines: readonly ReadyToInvoiceLine[]): CustomerGroup[] {
  const customers = new Map<string, { orders: Map<string, OrderGroup>; first: ReadyToInvoiceLine; lineCount: number }>();
  for (const line of lines) {
    const key = `${line.customerId}|${line.currency}`;
    const customer = customers.get(key) ?? { orders: new Map<string, OrderGroup>(), first: line, lineCount: 0 };
    customers.set(key, customer);
    customer.lineCount += 1;
    const order = customer.orders.get(line.orderId) ?? { orderId: line.orderId, orderNumber: line.orderNumber, shipments: [], services: [] };
    customer.orders.set(line.orderId, order);
    if (line.shipmentId === null) {
      order.services.push(line);
      continue;
    }
    let shipment = order.shipments.find((candidate) => candidate.shipmentId === line.shipmentId);
    if (shipment === undefined) {
      shipment = { shipmentId: line.shipmentId, shipmentNumber: line.shipmentNumber ?? line.shipmentId, shipDate: line.shipDate, lines: [] };
      order.shipments.push(shipment);
    }
    shipment.lines.push(line);
  }
  return [...customers.entries()].map(([key, { orders, first, lineCount }]) => ({
    key,
    customerId: first.customerId,
    customerName: first.customerName,
    currency: first.currency,
    orders: [...orders.values()],
    lineCount,
  }));
}

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

/** The billing clerk's desk: what has shipped (or is a service) and is not invoiced yet, by customer. */
export function ReadyToInvoicePage() {
  usePageTitle('Ready to invoice');
  const me = useMe();
  const canBill = allows(me.actor.roles, 'issueInvoices');
  const query = useQueryParams();
  const customerId = query.get('customerId');
  const ready = useLoad(useCallback(() => getReadyToInvoice(customerId), [customerId]));
  const groups = ready.data === null ? [] : groupReady(ready.data.items);
  const [runKey] = useState(() => new ActionKey());
  const [running, setRunning] = useState(false);
  const [runError, setRunError] = useState<unknown>(null);
  const [runResult, setRunResult] = useState<InvoiceRunResult | null>(null);
  const arrival = useArrival<{ notice: string }>();

  const runAll = async () => {
    setRunning(true);
    setRunError(null);
    setRunResult(null);
    const body = customerId === undefined ? {} : { customerId };
    try {
      const result = await runKey.run({ run: body }, (key) => runInvoicing(body, key));
      setRunResult(result);
      ready.reload();
    } catch (failure) {
      setRunError(failure);
    } finally {
      setRunning(false);
    }
  };

  return (
    <>
      <SectionTabs label="Invoicing" links={invoicingTabs} />
      <div className="page-heading">
        <h1>Ready to invoice</h1>
        {canBill ? (
          <div className="actions">
            <button type="button" onClick={() => void runAll()} disabled={running || groups.length === 0}>
              {customerId === undefined ? 'Invoice all ready' : 'Invoice all ready for this customer'}
            </button>
          </div>
        ) : null}
      </div>
      <p className="page-intro">
        Shipped goods and open service lines not yet invoiced. Choose shipments or whole orders and create a draft to review, or invoice everything ready the way each customer is invoiced (one
        invoice per shipment, or one a day).
      </p>
      <AutoIssueSetting />

      {arrival.notice === undefined || runResult !== null ? null : (
        <p className="message message-success" role="status">
          {arrival.notice}
        </p>
      )}
      {runResult === null ? null : <RunResult invoices={runResult.invoices} failures={runResult.failures} />}
      <ErrorMessage error={runError} />

      <form className="filters" aria-label="Filter ready lines" onSubmit={(event) => event.preventDefault()}>
        <CustomerFilter customerId={customerId} onChange={(chosen) => query.set({ customerId: chosen })} />
        <div className="filter-actions">
          <button type="button" className="secondary" onClick={ready.reload} disabled={ready.loading}>
            Refresh
          </button>
          {customerId === undefined ? null : (
            <button type="button" className="secondary" onClick={query.clear}>
              Show all customers
            </button>
          )}
        </div>
      </form>

      <ErrorMessage error={ready.error} />
      {ready.data === null && ready.error === null ? (
        <p className="loading" role="status">
          Loading what is ready to invoice…
        </p>
      ) : null}
      {ready.data !== null && groups.length === 0 ? <p className="message message-info">Nothing is ready to invoice{customerId === undefined ? '' : ' for this customer'}.</p> : null}
      {groups.map((group) => (
        <CustomerReady key={group.key} group={group} canBill={canBill} />
      ))}
      <p className="muted small" aria-live="polite">
        {ready.loading ? 'Loading…' : ready.data === null ? '' : `${plural(ready.data.items.length, 'line', 'lines')} ready for ${plural(groups.length, 'customer', 'customers')}`}
      </p>
    </>
  );
}

/** Whether invoice runs issue at once or leave drafts; administrators switch it here. */
function AutoIssueSetting() {
  const me = useMe();
  const canChange = allows(me.actor.roles, 'editInvoicingSettings');
  const settings = useLoad(useCallback(() => getInvoicingSettings(), []));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  // The box shows the choice at once while it is saved; a refusal puts it back.
  const [pending, setPending] = useState<boolean | null>(null);
  const id = useId();

  const change = async (current: InvoicingSettings, autoIssue: boolean) => {
    setBusy(true);
    setPending(autoIssue);
    setError(null);
    setSaved(false);
    try {
      settings.set(await updateInvoicingSettings({ autoIssue, version: current.version }));
      setSaved(true);
    } catch (failure) {
      setError(failure);
    } finally {
      setPending(null);
      setBusy(false);
    }
  };

  if (settings.data === null) return <ErrorMessage error={settings.error} />;
  const current = settings.data;
  const explanation = current.autoIssue
    ? 'Automatic invoices (invoice runs and per-shipment invoicing) are issued at once.'
    : 'Automatic invoices (invoice runs and per-shipment invoicing) wait as drafts for review.';
  return (
    <div className="setting-line">
      {canChange ? (
        <label className="checkbox" htmlFor={`${id}-auto`}>
          <input id={`${id}-auto`} type="checkbox" checked={pending ?? current.autoIssue} disabled={busy} aria-describedby={`${id}-explanation`} onChange={(event) => void change(current, event.target.checked)} />
          Issue automatic invoices at once
        </label>
      ) : (
        <span className="label-inline">Automatic invoices</span>
      )}
      <span id={`${id}-explanation`} className="muted small">
        {explanation}
      </span>
      {saved ? (
        <span className="small text-success" role="status">
          Saved.
        </span>
      ) : null}
      <SaveError
        error={error}
        onReload={() => {
          setError(null);
          settings.reload();
        }}
        noun="the invoicing settings"
      />
    </div>
  );
}

function RunResult({ invoices, failures }: InvoiceRunResult) {
  const format = useFormatters();
  const problems =
    failures.length === 0 ? null : (
      <div className="message message-error" role="alert">
        <p>{plural(failures.length, 'invoice', 'invoices')} could not be made; the rest of the run went on:</p>
        <ul>
          {failures.map((failure, index) => (
            <li key={`${failure.customerId}-${index}`}>
              {failure.customerName}: {failure.message}
            </li>
          ))}
        </ul>
      </div>
    );
  if (invoices.length === 0) {
    if (problems !== null) return problems;
    return (
      <p className="message message-info" role="status">
        The invoice run found nothing to invoice.
      </p>
    );
  }
  const issued = invoices.filter((invoice) => invoice.status === 'issued').length;
  const summary =
    issued === invoices.length
      ? `${plural(invoices.length, 'invoice', 'invoices')} created and issued.`
      : issued === 0
        ? `${plural(invoices.length, 'draft invoice', 'draft invoices')} created for review.`
        : `${plural(invoices.length, 'invoice', 'invoices')} created, ${issued} of them issued.`;
  return (
    <>
      <div className="message message-success" role="status">
        <p>{summary}</p>
        <ul>
          {invoices.map((invoice) => (
            <li key={invoice.id}>
              <Link to={`/invoices/${invoice.id}`}>{documentTitle(invoice)}</Link> · {invoice.customer.name} · {format.money(invoice.gross, invoice.currency)} <InvoiceBadges document={invoice} />
            </li>
          ))}
        </ul>
      </div>
      {problems}
    </>
  );
}

/** One customer's ready shipments and orders; the chosen ones become one draft invoice. */
function CustomerReady({ group, canBill }: { readonly group: CustomerGroup; readonly canBill: boolean }) {
  const id = useId();
  const format = useFormatters();
  const navigate = useNavigate();
  const [orders, setOrders] = useState<ReadonlySet<string>>(new Set());
  const [shipments, setShipments] = useState<ReadonlySet<string>>(new Set());
  const [actionKey] = useState(() => new ActionKey());
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const toggle = (set: ReadonlySet<string>, value: string, on: boolean) => {
    const next = new Set(set);
    if (on) next.add(value);
    else next.delete(value);
    return next;
  };
  const orderIds = group.orders.filter((order) => orders.has(order.orderId)).map((order) => order.orderId);
  const shipmentIds = group.orders.filter((order) => !orders.has(order.orderId)).flatMap((order) => order.shipments.filter((shipment) => shipments.has(shipment.shipmentId)).map((shipment) => shipment.shipmentId));
  const chosen = orderIds.length + shipmentIds.length;

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (chosen === 0) {
      setError(new Error('Choose at least one shipment or order.'));
      return;
    }
    setBusy(true);
    setError(null);
    const body = { shipmentIds, orderIds };
    try {
      const draft = await actionKey.run(body, (key) => createInvoiceDraft(body, key));
      void navigate(`/invoices/${draft.id}`, {
        state: { notice: `Draft invoice created for ${group.customerName}: ${plural(draft.lines.length, 'line', 'lines')}, ${format.money(draft.gross, draft.currency)}. Review it, then issue it.` },
      });
    } catch (failure) {
      setError(failure);
      setBusy(false);
    }
  };

  const allChosen = group.orders.every((order) => orders.has(order.orderId));
  const titleId = `${id}-title`;
  return (
    <section className="card ready-customer" aria-labelledby={titleId}>
      <div className="list-toolbar list-toolbar-tight">
        <h2 id={titleId}>
          <Link to={`/customers/${group.customerId}`}>{group.customerName}</Link> <span className="muted small">{group.currency}</span>
        </h2>
        <span className="muted small">
          {plural(group.lineCount, 'line', 'lines')} in {plural(group.orders.length, 'order', 'orders')}
        </span>
      </div>
      <form onSubmit={(event) => void onSubmit(event)} aria-labelledby={titleId}>
        <div className="table-wrap">
          <table role="table" className="ready-lines">
            <caption className="visually-hidden">Ready to invoice for {group.customerName}</caption>
            <thead role="rowgroup">
              <tr role="row">
                <th scope="col" role="columnheader">Line</th>
                <th scope="col" role="columnheader">Item</th>
                <th scope="col" role="columnheader" className="num">Quantity</th>
              </tr>
            </thead>
            {group.orders.map((order) => {
              const wholeOrder = orders.has(order.orderId);
              return (
                <tbody role="rowgroup" key={order.orderId}>
                  <tr role="row" className="row-group">
                    <td role="cell" colSpan={3}>
                      {canBill ? (
                        <label className="checkbox">
                          <input type="checkbox" checked={wholeOrder} onChange={(event) => setOrders((current) => toggle(current, order.orderId, event.target.checked))} />
                          Whole order {order.orderNumber}
                        </label>
                      ) : (
                        <span className="strong">Order {order.orderNumber}</span>
                      )}{' '}
                      <Link to={`/orders/${order.orderId}`} className="small" aria-label={`Open order ${order.orderNumber}`}>
                        Open
                      </Link>
                      <span className="muted small"> · all its shipments, services and charges not yet invoiced</span>
                    </td>
                  </tr>
                  {order.shipments.map((shipment) => (
                    <ShipmentRows
                      key={shipment.shipmentId}
                      shipment={shipment}
                      canBill={canBill}
                      included={wholeOrder}
                      checked={wholeOrder || shipments.has(shipment.shipmentId)}
                      onChange={(on) => setShipments((current) => toggle(current, shipment.shipmentId, on))}
                    />
                  ))}
                  {order.services.length === 0 ? null : (
                    <>
                      <tr role="row" className="row-subgroup">
                        <td role="cell" colSpan={3}>
                          <span className="strong">Services</span> <span className="muted small">· invoiced with the whole order</span>
                        </td>
                      </tr>
                      {order.services.map((line) => (
                        <ReadyLineRow key={line.orderLineId} line={line} />
                      ))}
                    </>
                  )}
                </tbody>
              );
            })}
          </table>
        </div>
        {canBill ? (
          <>
            <ErrorMessage error={error} />
            <div className="actions">
              <button type="submit" disabled={busy || chosen === 0} aria-label={`Create draft for ${group.customerName}`}>
                Create draft
              </button>
              <button
                type="button"
                className="secondary"
                onClick={() => {
                  setOrders(allChosen ? new Set() : new Set(group.orders.map((order) => order.orderId)));
                  setShipments(new Set());
                }}
              >
                {allChosen ? 'Choose none' : 'Choose everything'}
              </button>
              <span className="muted small" aria-live="polite">
                {chosen === 0 ? 'Nothing chosen' : `${plural(orderIds.length, 'order', 'orders')} and ${plural(shipmentIds.length, 'shipment', 'shipments')} chosen`}
              </span>
            </div>
          </>
        ) : null}
      </form>
    </section>
  );
}

interface ShipmentRowsProps {
  readonly shipment: ShipmentGroup;
  readonly canBill: boolean;
  /** The whole order is chosen, so the shipment is in it. */
  readonly included: boolean;
  readonly checked: boolean;
  readonly onChange: (on: boolean) => void;
}

function ShipmentRows({ shipment, canBill, included, checked, onChange }: ShipmentRowsProps) {
  const format = useFormatters();
  return (
    <>
      <tr role="row" className="row-subgroup">
        <td role="cell" colSpan={3}>
          {canBill ? (
            <label className="checkbox">
              <input type="checkbox" checked={checked} disabled={included} onChange={(event) => onChange(event.target.checked)} />
              Shipment {shipment.shipmentNumber}
            </label>
          ) : (
            <span className="strong">Shipment {shipment.shipmentNumber}</span>
          )}{' '}
          <Link to={`/shipments/${shipment.shipmentId}`} className="small" aria-label={`Open shipment ${shipment.shipmentNumber}`}>
            Open
          </Link>
          <span className="muted small"> · shipped {format.date(shipment.shipDate)}</span>
        </td>
      </tr>
      {shipment.lines.map((line) => (
        <ReadyLineRow key={line.shipmentLineId ?? line.orderLineId} line={line} />
      ))}
    </>
  );
}

function ReadyLineRow({ line }: { readonly line: ReadyToInvoiceLine }) {
  const format = useFormatters();
  return (
    <tr role="row">
      <td role="cell" data-label="Line" className="ready-line-no">
        {line.lineNo}
      </td>
      <td role="cell" data-label="Item">
        <code>{line.sku}</code>
        <div className="small">{line.description}</div>
      </td>
      <td role="cell" data-label="Quantity" className="num strong">
        {format.quantity(line.quantity)}
      </td>
    </tr>
  );
}
