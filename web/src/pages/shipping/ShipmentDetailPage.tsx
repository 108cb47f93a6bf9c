import { HistoryTimeline } from '../../components/HistoryTimeline';
import { useCallback, useId, useRef, useState, type ChangeEvent, type FormEvent } from 'react';
import { PostalAddress } from '../../components/PostalAddress';
import { Link, useParams } from 'react-router-dom';
import { allows } from '../../access';
import {
  ActionKey,
  ApiError,
  cancelShipment,
  deliverShipment,
  deliveryExceptionKinds,
  getShipment,
  getShipmentHistory,
  packShipment,
  packageTypes,
  pickShipment,
  proofMediaTypes,
  reportDeliveryException,
  shipShipment,
  shipmentFileUrl,
  shippingDocumentUrl,
  uploadProofOfDelivery,
  type DeliveryExceptionKind,
  type HistoryEntry,
  type PackageType,
  type Shipment,
  type ShipInput,
} from '../../api';
import { ShipmentStatusBadge, humanize, shipmentStatusLabel } from '../../components/Badges';
import { DetailFallback } from '../../components/DetailFallback';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Field, SelectField, TextAreaField } from '../../components/Field';
import { FormActions } from '../../components/FormActions';
import { ReasonPanel } from '../../components/ReasonPanel';
import { SectionTabs, shippingTabs } from '../../components/SectionTabs';
import { parseDecimalInput } from '../../decimal';
import { todayIn, type Formatters } from '../../format';
import { useFormatters, useMe } from '../../session';
import { useArrival } from '../../useArrival';
import { useLoad } from '../../useLoad';
import { useSubmit } from '../../useSubmit';
import { usePageTitle } from '../../usePageTitle';
import { UnitLabel } from '../../units';
import { exceptionLabel, exceptionLabels, packageTypeLabels } from './shippingParts';

interface DetailState {
  readonly notice?: string;
}

export function ShipmentDetailPage() {
  const { shipmentId = '' } = useParams();
  const shipment = useLoad(useCallback(() => getShipment(shipmentId), [shipmentId]));
  usePageTitle(shipment.data?.number ?? 'Shipment');
  const arrival = useArrival<DetailState>();

  if (shipment.data === null) {
    return <DetailFallback error={shipment.error} loadingText="Loading shipment…" title="Shipment" backTo="/shipping" backLabel="Back to shipping" />;
  }
  return <ShipmentView shipment={shipment.data} onChanged={shipment.set} notice={arrival.notice ?? null} />;
}

type Panel = 'pack' | 'ship' | 'deliver' | 'exception' | 'cancel' | null;

const steps = ['created', 'picked', 'packed', 'shipped', 'delivered'] as const;

function ShipmentView({ shipment, onChanged, notice: arrivalNotice }: { readonly shipment: Shipment; readonly onChanged: (shipment: Shipment) => void; readonly notice: string | null }) {
  const me = useMe();
  const format = useFormatters();
  const canShip = allows(me.actor.roles, 'shipGoods');
  const [panel, setPanel] = useState<Panel>(null);
  const [notice, setNotice] = useState<string | null>(arrivalNotice);
  const [actionError, setActionError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [pickKey] = useState(() => new ActionKey());
  const [cancelKey] = useState(() => new ActionKey());
  const heading = useRef<HTMLHeadingElement>(null);
  const actions = canShip ? shipment.availableActions : [];

  const done = (next: Shipment, message: string) => {
    onChanged(next);
    setPanel(null);
    setActionError(null);
    setNotice(message);
    heading.current?.focus();
  };

  const pick = async () => {
    setBusy(true);
    setActionError(null);
    setNotice(null);
    try {
      const picked = await pickKey.run({ pick: shipment.id }, (key) => pickShipment(shipment.id, key));
      done(picked, `Shipment ${picked.number} picked.`);
    } catch (failure) {
      setActionError(failure);
    } finally {
      setBusy(false);
    }
  };

  const toggle = (next: Panel) => {
    setNotice(null);
    setPanel(panel === next ? null : next);
  };

  const stepIndex = steps.indexOf(shipment.status as (typeof steps)[number]);

  return (
    <>
      <SectionTabs label="Shipping" links={shippingTabs} />
      <p className="breadcrumb">
        <Link to="/shipping">Shipping</Link> › {shipment.number}
      </p>
      <div className="page-heading">
        <h1 ref={heading} tabIndex={-1}>
          Shipment {shipment.number}
        </h1>
        <div className="actions">
          {actions.includes('pick') ? (
            <button type="button" onClick={() => void pick()} disabled={busy}>
              Mark picked
            </button>
          ) : null}
          {actions.includes('pack') ? (
            <button type="button" onClick={() => toggle('pack')} aria-expanded={panel === 'pack'} disabled={busy}>
              Pack
            </button>
          ) : null}
          {actions.includes('ship') ? (
            <button type="button" onClick={() => toggle('ship')} aria-expanded={panel === 'ship'} disabled={busy}>
              Ship
            </button>
          ) : null}
          {actions.includes('deliver') ? (
            <button type="button" onClick={() => toggle('deliver')} aria-expanded={panel === 'deliver'} disabled={busy}>
              Record delivery
            </button>
          ) : null}
          {actions.includes('report_exception') ? (
            <button type="button" className="secondary" onClick={() => toggle('exception')} aria-expanded={panel === 'exception'} disabled={busy}>
              Report delivery exception
            </button>
          ) : null}
          {actions.includes('cancel') ? (
            <button type="button" className="danger" onClick={() => toggle('cancel')} aria-expanded={panel === 'cancel'} disabled={busy}>
              Cancel shipment
            </button>
          ) : null}
        </div>
      </div>

      <div className="status-line">
        <span className="label-inline">Status</span> <ShipmentStatusBadge status={shipment.status} />
        {shipment.deliveryException === null ? null : <span className="badge badge-warn">Delivery exception: {exceptionLabel(shipment.deliveryException)}</span>}
        {shipment.readyToInvoice ? <span className="badge badge-outline badge-good">Ready to invoice</span> : null}
        <span className="muted small">version {shipment.version}</span>
      </div>

      {shipment.status === 'cancelled' ? null : (
        <ol className="steps" aria-label="Progress">
          {steps.map((step, index) => (
            <li key={step} className={index < stepIndex ? 'step step-done' : index === stepIndex ? 'step step-current' : 'step'} aria-current={index === stepIndex ? 'step' : undefined}>
              {shipmentStatusLabel(step)}
            </li>
          ))}
        </ol>
      )}

      <nav className="actions documents-bar" aria-label="Shipping documents">
        <a className="button secondary" href={shippingDocumentUrl(shipment.id, 'pick-list.pdf')} target="_blank" rel="noopener noreferrer">
          Print pick list
        </a>
        <a className="button secondary" href={shippingDocumentUrl(shipment.id, 'packing-slip.pdf')} target="_blank" rel="noopener noreferrer">
          Print packing slip
        </a>
        <a className="button secondary" href={shippingDocumentUrl(shipment.id, 'bill-of-lading.pdf')} target="_blank" rel="noopener noreferrer">
          Print bill of lading
        </a>
        <a className="button secondary" href={shippingDocumentUrl(shipment.id, 'despatch-advice.xml')} download={`${shipment.number}-despatch-advice.xml`}>
          Download despatch advice (XML)
        </a>
      </nav>

      {notice === null ? null : (
        <p className="message message-success" role="status">
          {notice}
        </p>
      )}
      <ErrorMessage error={actionError} />

      {panel === 'pack' ? <PackPanel shipment={shipment} onDone={(next) => done(next, `Shipment ${next.number} packed in ${next.packages.length} ${next.packages.length === 1 ? 'package' : 'packages'}.`)} onClose={() => setPanel(null)} /> : null}
      {panel === 'ship' ? <ShipPanel shipment={shipment} onDone={(next) => done(next, `Shipment ${next.number} shipped with ${next.carrier ?? 'the carrier'}.`)} onClose={() => setPanel(null)} /> : null}
      {panel === 'deliver' ? <DeliverPanel shipment={shipment} onDone={(next) => done(next, `Delivery of ${next.number} recorded.`)} onClose={() => setPanel(null)} /> : null}
      {panel === 'exception' ? <ExceptionPanel shipment={shipment} onDone={(next) => done(next, `Delivery exception recorded for ${next.number}.`)} onClose={() => setPanel(null)} /> : null}
      {panel === 'cancel' ? (
        <ReasonPanel
          title={`Cancel shipment ${shipment.number}?`}
          description="The goods stay reserved for the order and return to the shipping queue."
          confirmLabel="Confirm cancellation"
          reasonLabel="Reason for the cancellation"
          onConfirm={async (reason) => {
            const cancelled = await cancelKey.run({ cancel: shipment.id, reason }, (key) => cancelShipment(shipment.id, reason, key));
            done(cancelled, `Shipment ${cancelled.number} cancelled.`);
          }}
          onClose={() => setPanel(null)}
        />
      ) : null}

      <div className="cards">
        <section className="card" aria-labelledby="shipment-order-heading">
          <h2 id="shipment-order-heading">Order</h2>
          <dl className="details">
            <dt>Order</dt>
            <dd>
              <Link to={`/orders/${shipment.orderId}`}>{shipment.orderNumber}</Link>
            </dd>
            <dt>Customer</dt>
            <dd>
              <Link to={`/customers/${shipment.customer.id}`}>{shipment.customer.name}</Link> <span className="muted">{shipment.customer.number}</span>
            </dd>
            <dt>PO number</dt>
            <dd>{shipment.customerPoNumber ?? '—'}</dd>
            <dt>Warehouse</dt>
            <dd>
              {shipment.warehouse.code} — {shipment.warehouse.name}
            </dd>
            <dt>Ship to</dt>
            <dd>
              <PostalAddress address={shipment.shipTo} />
            </dd>
          </dl>
        </section>
        <section className="card" aria-labelledby="shipment-carrier-heading">
          <h2 id="shipment-carrier-heading">Transport and delivery</h2>
          <dl className="details" data-testid="shipment-transport">
            <dt>Carrier</dt>
            <dd>{shipment.carrier ?? '—'}</dd>
            <dt>Service level</dt>
            <dd>{shipment.serviceLevel ?? '—'}</dd>
            <dt>Tracking number</dt>
            <dd>{shipment.trackingNumber ?? '—'}</dd>
            <dt>Ship date</dt>
            <dd>{format.date(shipment.shipDate)}</dd>
            <dt>Expected delivery</dt>
            <dd>{format.date(shipment.expectedDeliveryDate)}</dd>
            <dt>Delivered</dt>
            <dd>{format.instant(shipment.deliveredAt)}</dd>
            <dt>Received by</dt>
            <dd>{shipment.receivedBy ?? '—'}</dd>
            {shipment.deliveryException === null ? null : (
              <>
                <dt>Exception</dt>
                <dd>
                  {exceptionLabel(shipment.deliveryException)}
                  {shipment.deliveryNote === null ? null : <div>“{shipment.deliveryNote}”</div>}
                </dd>
              </>
            )}
            <dt>Created</dt>
            <dd>{format.instant(shipment.createdAt)}</dd>
          </dl>
        </section>
      </div>

      <section className="section" aria-labelledby="shipment-lines-heading">
        <h2 id="shipment-lines-heading">Lines</h2>
        <div className="table-wrap">
          <table role="table">
            <caption className="visually-hidden">Shipment lines</caption>
            <thead role="rowgroup">
              <tr role="row">
                <th scope="col" role="columnheader">#</th>
                <th scope="col" role="columnheader">Item</th>
                <th scope="col" role="columnheader">Description</th>
                <th scope="col" role="columnheader" className="num">Quantity</th>
              </tr>
            </thead>
            <tbody role="rowgroup">
              {shipment.lines.map((line) => (
                <tr role="row" key={line.id}>
                  <td role="cell" data-label="Line">{line.lineNo}</td>
                  <td role="cell" data-label="Item">
                    <Link to={`/items/${line.itemId}`}>
                      <code>{line.sku}</code>
                    </Link>
                  </td>
                  <td role="cell" data-label="Description">{line.description}</td>
                  <td role="cell" data-label="Quantity" className="num nowrap">
                    {format.quantity(line.quantity)} <span className="muted small"><UnitLabel code={line.unit} /></span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section className="section" aria-labelledby="shipment-packages-heading">
        <h2 id="shipment-packages-heading">Packages</h2>
        {shipment.packages.length === 0 ? (
          <p className="muted">Not packed yet.</p>
        ) : (
          <table className="plain-table">
            <caption className="visually-hidden">Packages</caption>
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Type</th>
                <th scope="col" className="num">Weight</th>
              </tr>
            </thead>
            <tbody>
              {shipment.packages.map((item) => (
                <tr key={item.packageNo}>
                  <td>{item.packageNo}</td>
                  <td>{packageTypeLabels[item.packageType] ?? item.packageType}</td>
                  <td className="num">{item.weightKg === null ? '—' : `${format.quantity(item.weightKg)} kg`}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <ProofOfDelivery shipment={shipment} canUpload={canShip} onChanged={(next, message) => done(next, message)} />

      <section className="section" aria-labelledby="shipment-history-heading">
        <h2 id="shipment-history-heading">History</h2>
        <ShipmentHistory key={`${shipment.version}-${shipment.documents.length}`} shipmentId={shipment.id} />
      </section>
    </>
  );
}

interface PanelProps {
  readonly shipment: Shipment;
  readonly onDone: (shipment: Shipment) => void;
  readonly onClose: () => void;
}

/** Runs one action of a panel: busy while it runs, the refusal kept to show. */
interface PackageRow {
  readonly key: number;
  readonly packageType: PackageType;
  readonly weight: string;
}

function PackPanel({ shipment, onDone, onClose }: PanelProps) {
  const id = useId();
  const [actionKey] = useState(() => new ActionKey());
  const [rows, setRows] = useState<readonly PackageRow[]>([{ key: 1, packageType: 'box', weight: '' }]);
  const [localErrors, setLocalErrors] = useState<Record<number, string>>({});
  const submit = useSubmit(async () => {
    const problems: Record<number, string> = {};
    const packages = rows.map((row, index) => {
      if (row.weight.trim() === '') return { packageType: row.packageType, weightKg: null };
      const weight = parseDecimalInput(row.weight);
      if (weight === null) problems[index] = 'Enter a weight in kg such as 2.5, or leave it empty.';
      return { packageType: row.packageType, weightKg: weight };
    });
    setLocalErrors(problems);
    if (Object.keys(problems).length > 0) return;
    const body = { packages };
    onDone(await actionKey.run({ pack: shipment.id, body }, (key) => packShipment(shipment.id, body, key)));
  });
  const apiError = submit.error instanceof ApiError ? submit.error : null;
  const update = (index: number, change: Partial<PackageRow>) => setRows((current) => current.map((row, at) => (at === index ? { ...row, ...change } : row)));

  return (
    <section className="card card-highlight" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Pack</h2>
      <form onSubmit={(event) => void submit.run(event)}>
        {rows.map((row, index) => (
          <div className="field-grid package-row" role="group" aria-label={`Package ${index + 1}`} key={row.key}>
            <SelectField
              label="Package type"
              value={row.packageType}
              onChange={(value) => update(index, { packageType: packageTypes.find((type) => type === value) ?? 'box' })}
              error={apiError?.errorAt(`packages.${index}.packageType`)}
            >
              {packageTypes.map((type) => (
                <option key={type} value={type}>
                  {packageTypeLabels[type]}
                </option>
              ))}
            </SelectField>
            <Field
              label="Weight (kg)"
              inputMode="decimal"
              className="num-input"
              value={row.weight}
              onChange={(value) => update(index, { weight: value })}
              error={localErrors[index] ?? apiError?.errorAt(`packages.${index}.weightKg`)}
            />
            {rows.length > 1 ? (
              <div className="field field-button">
                <button type="button" className="secondary" onClick={() => setRows((current) => current.filter((_, at) => at !== index))}>
                  Remove package {index + 1}
                </button>
              </div>
            ) : null}
          </div>
        ))}
        <p>
          <button type="button" className="secondary" onClick={() => setRows((current) => [...current, { key: Math.max(...current.map((r) => r.key)) + 1, packageType: 'box', weight: '' }])}>
            Add package
          </button>
        </p>
        <ErrorMessage error={submit.error} shownFields={['packages']} />
        <FormActions submit="Mark packed" busy={submit.busy} onCancel={onClose} />
      </form>
    </section>
  );
}

function ShipPanel({ shipment, onDone, onClose }: PanelProps) {
  const id = useId();
  const me = useMe();
  const [actionKey] = useState(() => new ActionKey());
  const [carrier, setCarrier] = useState('');
  const [serviceLevel, setServiceLevel] = useState('');
  const [trackingNumber, setTrackingNumber] = useState('');
  const [shipDate, setShipDate] = useState(() => todayIn(me.tenant.timeZone));
  const [expected, setExpected] = useState('');
  const submit = useSubmit(async () => {
    const body: ShipInput = {
      carrier: carrier.trim(),
      serviceLevel: serviceLevel.trim() === '' ? null : serviceLevel.trim(),
      trackingNumber: trackingNumber.trim() === '' ? null : trackingNumber.trim(),
      ...(shipDate === '' ? {} : { shipDate }),
      expectedDeliveryDate: expected === '' ? null : expected,
    };
    onDone(await actionKey.run({ ship: shipment.id, body }, (key) => shipShipment(shipment.id, body, key)));
  });
  const apiError = submit.error instanceof ApiError ? submit.error : null;
  const fields = ['carrier', 'serviceLevel', 'trackingNumber', 'shipDate', 'expectedDeliveryDate'];
  return (
    <section className="card card-highlight" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Ship</h2>
      <p className="muted">Shipping takes the goods out of stock and counts them as shipped on the order.</p>
      <form onSubmit={(event) => void submit.run(event)}>
        <div className="field-grid">
          <Field label="Carrier" required maxLength={100} value={carrier} onChange={setCarrier} error={apiError?.fieldError('carrier')} autoFocus />
          <Field label="Service level" maxLength={100} value={serviceLevel} onChange={setServiceLevel} hint="e.g. Express, Standard" error={apiError?.fieldError('serviceLevel')} />
          <Field label="Tracking number" maxLength={100} value={trackingNumber} onChange={setTrackingNumber} error={apiError?.fieldError('trackingNumber')} />
          <Field label="Ship date" type="date" value={shipDate} onChange={setShipDate} error={apiError?.fieldError('shipDate')} />
          <Field label="Expected delivery date" type="date" value={expected} onChange={setExpected} error={apiError?.fieldError('expectedDeliveryDate')} />
        </div>
        <ErrorMessage error={submit.error} shownFields={fields} />
        <FormActions submit="Confirm shipping" busy={submit.busy} onCancel={onClose} />
      </form>
    </section>
  );
}

/** "2026-11-22T14:05" for a datetime-local input, in the browser's time zone. */
function localDateTime(date: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

function DeliverPanel({ shipment, onDone, onClose }: PanelProps) {
  const id = useId();
  const [actionKey] = useState(() => new ActionKey());
  const [deliveredAt, setDeliveredAt] = useState(() => localDateTime(new Date()));
  const [receivedBy, setReceivedBy] = useState('');
  const [localError, setLocalError] = useState<string | undefined>(undefined);
  const submit = useSubmit(async () => {
    const instant = deliveredAt === '' ? null : new Date(deliveredAt);
    if (instant !== null && Number.isNaN(instant.getTime())) {
      setLocalError('Enter a date and time.');
      return;
    }
    setLocalError(undefined);
    const body = { receivedBy: receivedBy.trim(), ...(instant === null ? {} : { deliveredAt: instant.toISOString() }) };
    onDone(await actionKey.run({ deliver: shipment.id, body }, (key) => deliverShipment(shipment.id, body, key)));
  });
  const apiError = submit.error instanceof ApiError ? submit.error : null;
  return (
    <section className="card card-highlight" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Record delivery</h2>
      <form onSubmit={(event) => void submit.run(event)}>
        <div className="field-grid">
          <Field
            label="Delivered at"
            type="datetime-local"
            value={deliveredAt}
            onChange={setDeliveredAt}
            hint="Your local time"
            error={localError ?? apiError?.fieldError('deliveredAt')}
          />
          <Field label="Received by" required maxLength={200} value={receivedBy} onChange={setReceivedBy} error={apiError?.fieldError('receivedBy')} autoFocus />
        </div>
        <p className="muted small">Upload the signed proof of delivery below, before or after recording the delivery.</p>
        <ErrorMessage error={submit.error} shownFields={['deliveredAt', 'receivedBy']} />
        <FormActions submit="Confirm delivery" busy={submit.busy} onCancel={onClose} />
      </form>
    </section>
  );
}

function ExceptionPanel({ shipment, onDone, onClose }: PanelProps) {
  const id = useId();
  const [actionKey] = useState(() => new ActionKey());
  const [kind, setKind] = useState<DeliveryExceptionKind>('damaged');
  const [note, setNote] = useState('');
  const submit = useSubmit(async () => {
    const body = { kind, note: note.trim() };
    onDone(await actionKey.run({ exception: shipment.id, body }, (key) => reportDeliveryException(shipment.id, body, key)));
  });
  const apiError = submit.error instanceof ApiError ? submit.error : null;
  return (
    <section className="card card-highlight" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Report delivery exception</h2>
      <p className="muted">The shipment stays open until someone decides how to go on.</p>
      <form onSubmit={(event) => void submit.run(event)}>
        <SelectField label="What happened" value={kind} onChange={(value) => setKind(deliveryExceptionKinds.find((candidate) => candidate === value) ?? 'damaged')} error={apiError?.fieldError('kind')}>
          {deliveryExceptionKinds.map((candidate) => (
            <option key={candidate} value={candidate}>
              {exceptionLabels[candidate]}
            </option>
          ))}
        </SelectField>
        <TextAreaField label="Note" required maxLength={1000} value={note} onChange={setNote} error={apiError?.fieldError('note')} />
        <ErrorMessage error={submit.error} shownFields={['kind', 'note']} />
        <FormActions submit="Record exception" busy={submit.busy} onCancel={onClose} />
      </form>
    </section>
  );
}

const maxProofBytes = 5 * 1024 * 1024;

/** The media type to send: the browser's, or one judged by the file name. */
function proofType(file: File): string | null {
  if ((proofMediaTypes as readonly string[]).includes(file.type)) return file.type;
  const name = file.name.toLowerCase();
  if (name.endsWith('.pdf')) return 'application/pdf';
  if (name.endsWith('.png')) return 'image/png';
  if (name.endsWith('.jpg') || name.endsWith('.jpeg')) return 'image/jpeg';
  return null;
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function ProofOfDelivery({ shipment, canUpload, onChanged }: { readonly shipment: Shipment; readonly canUpload: boolean; readonly onChanged: (shipment: Shipment, message: string) => void }) {
  const id = useId();
  const format = useFormatters();
  const [actionKey] = useState(() => new ActionKey());
  const [file, setFile] = useState<File | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const open = shipment.status === 'shipped' || shipment.status === 'delivered';

  const onPick = (event: ChangeEvent<HTMLInputElement>) => {
    setError(null);
    setFile(event.target.files?.[0] ?? null);
  };

  const onUpload = async (event: FormEvent) => {
    event.preventDefault();
    if (file === null) {
      setError(new Error('Choose a file first.'));
      return;
    }
    const type = proofType(file);
    if (type === null) {
      setError(new Error('The file must be a PDF, PNG or JPEG.'));
      return;
    }
    if (file.size > maxProofBytes) {
      setError(new Error(`The file has ${formatSize(file.size)}; at most 5 MB are accepted.`));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const identity = { proof: shipment.id, name: file.name, size: file.size, modified: file.lastModified };
      const next = await actionKey.run(identity, (key) => uploadProofOfDelivery(shipment.id, file, type, key));
      setFile(null);
      if (input.current !== null) input.current.value = '';
      onChanged(next, `${file.name} uploaded as proof of delivery.`);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="section" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Proof of delivery</h2>
      {shipment.documents.length === 0 ? (
        <p className="muted">No proof of delivery uploaded.</p>
      ) : (
        <ul className="file-list" aria-label="Uploaded proof of delivery">
          {shipment.documents.map((document) => (
            <li key={document.id}>
              <a href={shipmentFileUrl(shipment.id, document.id)} target="_blank" rel="noopener noreferrer">
                {document.fileName}
              </a>{' '}
              <span className="muted small">
                {formatSize(document.sizeBytes)} · {format.instant(document.uploadedAt)}
              </span>
            </li>
          ))}
        </ul>
      )}
      {canUpload && open ? (
        <form className="upload-form" onSubmit={(event) => void onUpload(event)}>
          <div className="field">
            <label htmlFor={`${id}-file`}>Proof of delivery file (PDF, PNG or JPEG, at most 5 MB)</label>
            <input id={`${id}-file`} ref={input} type="file" accept=".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg" onChange={onPick} />
          </div>
          <ErrorMessage error={error} />
          <div className="actions">
            <button type="submit" className="secondary" disabled={busy || file === null}>
              Upload
            </button>
          </div>
        </form>
      ) : null}
      {canUpload && !open && shipment.status !== 'cancelled' ? <p className="muted small">A proof of delivery can be uploaded once the shipment has shipped.</p> : null}
    </section>
  );
}

const historyLabels: Record<string, string> = {
  'shipment.created': 'Shipment created',
  'shipment.picked': 'Picked',
  'shipment.packed': 'Packed',
  'shipment.shipped': 'Shipped',
  'shipment.delivered': 'Delivered',
  'shipment.cancelled': 'Cancelled',
  'shipment.proof_attached': 'Proof of delivery uploaded',
};

function recordOf(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
}

/** The entry's values under either spelling (the audit records snake_case columns and camelCase inputs). */
function text(record: Record<string, unknown>, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = record[name];
    if (typeof value === 'string') return value;
  }
  return undefined;
}

function historyLabel(entry: HistoryEntry): string {
  const after = recordOf(entry.after);
  if (entry.action === 'shipment.updated' && text(after, 'delivery_exception', 'deliveryException') !== undefined) return 'Delivery exception reported';
  return historyLabels[entry.action] ?? humanize(entry.action.replace(/^shipment\./, ''));
}

function historyFacts(entry: HistoryEntry, format: Formatters): string[] {
  const record = recordOf(entry.after);
  const facts: string[] = [];
  const push = (value: string | undefined, shown: (value: string) => string = (v) => v) => {
    if (value !== undefined) facts.push(shown(value));
  };
  push(text(record, 'number'));
  push(text(record, 'order'), (v) => `order ${v}`);
  if (typeof record.lines === 'number') facts.push(`${record.lines} ${record.lines === 1 ? 'line' : 'lines'}`);
  push(text(record, 'carrier'));
  push(text(record, 'service_level', 'serviceLevel'));
  push(text(record, 'tracking_number', 'trackingNumber'), (v) => `tracking ${v}`);
  push(text(record, 'ship_date', 'shipDate'), (v) => `ship date ${format.date(v)}`);
  push(text(record, 'received_by', 'receivedBy'), (v) => `received by ${v}`);
  push(text(record, 'delivered_at', 'deliveredAt'), (v) => format.instant(v));
  push(text(record, 'delivery_exception', 'deliveryException'), exceptionLabel);
  push(text(record, 'delivery_note', 'deliveryNote', 'note'), (v) => `“${v}”`);
  push(text(record, 'cancel_reason', 'reason'), (v) => `reason: “${v}”`);
  push(text(record, 'fileName', 'file_name'));
  if (Array.isArray(record.packages)) facts.push(`${record.packages.length} ${record.packages.length === 1 ? 'package' : 'packages'}`);
  return facts;
}

function ShipmentHistory({ shipmentId }: { readonly shipmentId: string }) {
  const format = useFormatters();
  const load = useCallback(() => getShipmentHistory(shipmentId), [shipmentId]);
  return <HistoryTimeline load={load} label="Shipment history, oldest first" describe={historyLabel} facts={(entry) => historyFacts(entry, format)} />;
}
