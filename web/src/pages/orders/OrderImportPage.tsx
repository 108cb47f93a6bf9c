import { useRef, useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { ActionKey, ApiError, importOrders, type ImportResult } from '../../api';
import { OrderStatusBadge } from '../../components/Badges';
import { ErrorMessage } from '../../components/ErrorMessage';
import { RequirePermission } from '../../components/RequirePermission';
import { SectionTabs, orderTabs } from '../../components/SectionTabs';
import { usePageTitle } from '../../usePageTitle';

/** The columns of an order import, as POST /order-imports documents them. */
const columns: ReadonlyArray<{ name: string; required: boolean; meaning: string }> = [
  { name: 'customer_number', required: true, meaning: 'The customer number, e.g. C000001' },
  { name: 'po_number', required: true, meaning: "The customer's purchase order number; rows with the same customer and PO form one order" },
  { name: 'sku', required: true, meaning: 'The item SKU' },
  { name: 'quantity', required: true, meaning: 'A decimal quantity greater than zero, e.g. 10 or 2.5' },
  { name: 'order_date', required: false, meaning: 'YYYY-MM-DD (default today in the company time zone)' },
  { name: 'requested_delivery_date', required: false, meaning: 'YYYY-MM-DD' },
  { name: 'currency', required: false, meaning: 'ISO 4217 code (default the customer currency)' },
  { name: 'unit_price', required: false, meaning: 'Overrides the price list (needs the price_override permission and a price_override_reason)' },
  { name: 'price_override_reason', required: false, meaning: 'Why the price differs from the list' },
  { name: 'discount_percent', required: false, meaning: 'Line discount in percent, e.g. 5' },
  { name: 'description', required: false, meaning: 'Line text (default the item name)' },
  { name: 'shipping_policy', required: false, meaning: 'partial (default) or complete' },
  { name: 'notes', required: false, meaning: 'Order notes (taken from the first row of the order)' },
];

const example = 'customer_number,po_number,sku,quantity,requested_delivery_date\r\nC000001,PO-4711,BRG-6204-2RS,12,2026-12-01\r\nC000001,PO-4711,HOSE-12-2M,4,2026-12-01\r\n';

/** "row 3" → 3; other paths stay as they are. */
function rowOf(path: string): string {
  const match = /^row\s+(\d+)$/i.exec(path.trim());
  return match === null ? path : match[1]!;
}

export function OrderImportPage() {
  usePageTitle('Import orders');
  return (
    <RequirePermission permission="enterOrders">
      <OrderImport />
    </RequirePermission>
  );
}

function OrderImport() {
  const [actionKey] = useState(() => new ActionKey());
  const [file, setFile] = useState<File | null>(null);
  const [submit, setSubmit] = useState(false);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const resultHeading = useRef<HTMLHeadingElement>(null);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (file === null) return;
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const text = await file.text();
      // The same file twice is the same action: the server answers what it did the first time.
      const imported = await actionKey.run({ name: file.name, size: file.size, modified: file.lastModified, submit }, (key) => importOrders(text, submit, key));
      setResult(imported);
      requestAnimationFrame(() => resultHeading.current?.focus());
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  const rejected = error instanceof ApiError && error.fieldErrors.length > 0 ? error : null;
  const exampleUrl = `data:text/csv;charset=utf-8,${encodeURIComponent(example)}`;

  return (
    <>
      <SectionTabs label="Orders" links={orderTabs} />
      <h1>Import orders</h1>
      <p className="page-intro">
        Upload a CSV file with one row per order line; rows with the same customer number and PO number form one order. The import is all or
        nothing: when a row is wrong, nothing is written. A file imported twice creates nothing new.
      </p>

      <form className="card" onSubmit={(event) => void onSubmit(event)} aria-label="Import orders from CSV">
        <div className="field">
          <label htmlFor="import-file">CSV file</label>
          <input
            id="import-file"
            type="file"
            accept=".csv,text/csv"
            required
            onChange={(event) => {
              setFile(event.target.files?.[0] ?? null);
              setResult(null);
              setError(null);
            }}
          />
          <small className="field-hint">UTF-8, comma-separated, with the header row below. At most 50,000 rows.</small>
        </div>
        <label className="checkbox">
          <input type="checkbox" checked={submit} onChange={(event) => setSubmit(event.target.checked)} />
          Submit the new orders right away (otherwise they are saved as drafts)
        </label>
        <div className="actions">
          <button type="submit" disabled={busy || file === null}>
            {busy ? 'Importing…' : 'Import'}
          </button>
          <a className="button secondary" href={exampleUrl} download="orders-example.csv">
            Download an example file
          </a>
        </div>
      </form>

      {rejected === null ? (
        <ErrorMessage error={error} />
      ) : (
        <section className="card card-error" aria-labelledby="import-errors-heading">
          <h2 id="import-errors-heading" role="alert">
            The file was rejected; nothing was imported
          </h2>
          <p>Correct these rows and upload the file again.</p>
          <div className="table-wrap">
            <table role="table">
              <caption className="visually-hidden">Problems in the file</caption>
              <thead role="rowgroup">
                <tr role="row">
                  <th scope="col" role="columnheader">Row</th>
                  <th scope="col" role="columnheader">Problem</th>
                </tr>
              </thead>
              <tbody role="rowgroup">
                {rejected.fieldErrors.map((issue, index) => (
                  <tr role="row" key={`${issue.path}-${index}`}>
                    <td role="cell" data-label="Row" className="nowrap">
                      row {rowOf(issue.path)}
                    </td>
                    <td role="cell" data-label="Problem">{issue.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}

      {result === null ? null : (
        <section className="card" aria-labelledby="import-result-heading">
          <h2 id="import-result-heading" ref={resultHeading} tabIndex={-1}>
            Imported {result.rows} {result.rows === 1 ? 'row' : 'rows'}: {result.created.length} {result.created.length === 1 ? 'order' : 'orders'} created
            {result.skipped.length === 0 ? '' : `, ${result.skipped.length} skipped`}
          </h2>
          {result.created.length === 0 ? null : (
            <div className="table-wrap">
              <table role="table">
                <caption>Created</caption>
                <thead role="rowgroup">
                  <tr role="row">
                    <th scope="col" role="columnheader">Order</th>
                    <th scope="col" role="columnheader">Customer</th>
                    <th scope="col" role="columnheader">PO number</th>
                    <th scope="col" role="columnheader" className="num">Lines</th>
                    <th scope="col" role="columnheader">Status</th>
                  </tr>
                </thead>
                <tbody role="rowgroup">
                  {result.created.map((order) => (
                    <tr role="row" key={order.id}>
                      <td role="cell" data-label="Order">
                        <Link to={`/orders/${order.id}`}>{order.number}</Link>
                      </td>
                      <td role="cell" data-label="Customer">{order.customerNumber}</td>
                      <td role="cell" data-label="PO number">{order.poNumber}</td>
                      <td role="cell" data-label="Lines" className="num">{order.lines}</td>
                      <td role="cell" data-label="Status">
                        <OrderStatusBadge status={order.status} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {result.skipped.length === 0 ? null : (
            <div className="table-wrap">
              <table role="table">
                <caption>Skipped (imported before)</caption>
                <thead role="rowgroup">
                  <tr role="row">
                    <th scope="col" role="columnheader">Order</th>
                    <th scope="col" role="columnheader">Customer</th>
                    <th scope="col" role="columnheader">PO number</th>
                    <th scope="col" role="columnheader">Why</th>
                  </tr>
                </thead>
                <tbody role="rowgroup">
                  {result.skipped.map((order) => (
                    <tr role="row" key={`${order.customerNumber}-${order.poNumber}`}>
                      <td role="cell" data-label="Order">{order.number}</td>
                      <td role="cell" data-label="Customer">{order.customerNumber}</td>
                      <td role="cell" data-label="PO number">{order.poNumber}</td>
                      <td role="cell" data-label="Why">{order.reason}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      )}

      <section className="section" aria-labelledby="import-columns-heading">
        <h2 id="import-columns-heading">Columns</h2>
        <div className="table-wrap">
          <table role="table">
            <caption className="visually-hidden">CSV columns</caption>
            <thead role="rowgroup">
              <tr role="row">
                <th scope="col" role="columnheader">Column</th>
                <th scope="col" role="columnheader">Required</th>
                <th scope="col" role="columnheader">Meaning</th>
              </tr>
            </thead>
            <tbody role="rowgroup">
              {columns.map((column) => (
                <tr role="row" key={column.name}>
                  <td role="cell" data-label="Column">
                    <code>{column.name}</code>
                  </td>
                  <td role="cell" data-label="Required">{column.required ? 'required' : 'optional'}</td>
                  <td role="cell" data-label="Meaning">{column.meaning}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}
