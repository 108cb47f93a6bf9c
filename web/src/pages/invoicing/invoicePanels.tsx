import { useId, useState } from 'react';
import {
  ActionKey,
  ApiError,
  creditInvoice,
  sendInvoice,
  updateInvoiceDraft,
  type CreditLineInput,
  type Invoice,
  type InvoiceDraftChange,
  type InvoiceLine,
} from '../../api';
import { Field, TextAreaField } from '../../components/Field';
import { FormActions } from '../../components/FormActions';
import { compareDecimal, isPositiveDecimal, parseDecimalInput, subtractDecimal } from '../../decimal';
import { todayIn } from '../../format';
import { useFormatters, useMe } from '../../session';
import { useSubmit } from '../../useSubmit';
import { UnitLabel } from '../../units';
import { InvoiceActionError, documentTitle } from './invoicingParts';

interface PanelProps {
  readonly invoice: Invoice;
  readonly onClose: () => void;
}

const lineName = (line: InvoiceLine) => `line ${line.lineNo} (${line.sku ?? line.description})`;

/** An inline confirmation without a reason: issuing, deleting a draft. */
export function ConfirmPanel({
  title,
  description,
  confirmLabel,
  danger = false,
  onConfirm,
  onClose,
  onReload,
}: {
  readonly title: string;
  readonly description: string;
  readonly confirmLabel: string;
  readonly danger?: boolean;
  readonly onConfirm: () => Promise<void>;
  readonly onClose: () => void;
  readonly onReload?: () => void;
}) {
  const id = useId();
  const submit = useSubmit(onConfirm);
  return (
    <form className="confirm card card-highlight" role="group" aria-labelledby={`${id}-title`} onSubmit={(event) => void submit.run(event)}>
      <h2 id={`${id}-title`}>{title}</h2>
      <p>{description}</p>
      <InvoiceActionError error={submit.error} onReload={onReload} />
      <div className="actions">
        <button type="submit" className={danger ? 'danger' : undefined} disabled={submit.busy} autoFocus>
          {confirmLabel}
        </button>
        <button type="button" className="secondary" onClick={onClose} disabled={submit.busy}>
          Back
        </button>
      </div>
    </form>
  );
}

/** Change a draft: its date, buyer reference and notes, and lines to leave out. */
export function EditDraftPanel({ invoice, onClose, onDone, onReload }: PanelProps & { readonly onDone: (invoice: Invoice) => void; readonly onReload: () => void }) {
  const id = useId();
  const me = useMe();
  const [issueDate, setIssueDate] = useState(invoice.issueDate ?? '');
  const [buyerReference, setBuyerReference] = useState(invoice.buyerReference ?? '');
  const [notes, setNotes] = useState(invoice.notes ?? '');
  const [removed, setRemoved] = useState<ReadonlySet<string>>(new Set());
  const submit = useSubmit(async () => {
    const body: InvoiceDraftChange = {
      version: invoice.version,
      issueDate: issueDate === '' ? null : issueDate,
      buyerReference: buyerReference.trim() === '' ? null : buyerReference.trim(),
      notes: notes.trim() === '' ? null : notes.trim(),
      ...(removed.size === 0 ? {} : { removeLineIds: invoice.lines.filter((line) => removed.has(line.id)).map((line) => line.id) }),
    };
    onDone(await updateInvoiceDraft(invoice.id, body));
  });
  const apiError = submit.error instanceof ApiError ? submit.error : null;
  const toggle = (lineId: string, on: boolean) =>
    setRemoved((current) => {
      const next = new Set(current);
      if (on) next.add(lineId);
      else next.delete(lineId);
      return next;
    });
  const left = invoice.lines.length - removed.size;
  return (
    <section className="card card-highlight" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Edit draft</h2>
      <form onSubmit={(event) => void submit.run(event)}>
        <div className="field-grid">
          <Field
            label="Issue date"
            type="date"
            max={todayIn(me.tenant.timeZone)}
            value={issueDate}
            onChange={setIssueDate}
            hint="Empty: the day it is issued."
            error={apiError?.fieldError('issueDate')}
            autoFocus
          />
          <Field label="Buyer reference" maxLength={100} value={buyerReference} onChange={setBuyerReference} hint="The customer's reference, e.g. a cost centre or Leitweg-ID." error={apiError?.fieldError('buyerReference')} />
        </div>
        <TextAreaField label="Notes" maxLength={2000} value={notes} onChange={setNotes} hint="Printed on the invoice." error={apiError?.fieldError('notes')} />
        <fieldset>
          <legend>Leave lines out</legend>
          <p className="muted small">What a removed line bills becomes ready to invoice again.</p>
          <div className="checkbox-list">
            {invoice.lines.map((line) => (
              <label key={line.id} className="checkbox">
                <input type="checkbox" checked={removed.has(line.id)} onChange={(event) => toggle(line.id, event.target.checked)} />
                Remove {lineName(line)}
                <span className="muted small">{line.description}</span>
              </label>
            ))}
          </div>
          {apiError?.errorAt('removeLineIds', true) === undefined ? null : <small className="field-error">{apiError.errorAt('removeLineIds', true)}</small>}
          {left === 0 ? (
            <p className="message message-warning" role="note">
              Without lines the draft cannot be issued; delete it instead if nothing should be invoiced.
            </p>
          ) : null}
        </fieldset>
        <InvoiceActionError error={submit.error} shownFields={['issueDate', 'buyerReference', 'notes', 'removeLineIds']} onReload={onReload} />
        <FormActions submit="Save draft" busy={submit.busy} onCancel={onClose} />
      </form>
    </section>
  );
}

/** E-mail the document (PDF and UBL) to the invoice contact or another address. */
export function SendPanel({ invoice, onClose, onDone }: PanelProps & { readonly onDone: (invoice: Invoice, recipient: string) => void }) {
  const id = useId();
  const [actionKey] = useState(() => new ActionKey());
  const [recipient, setRecipient] = useState('');
  const submit = useSubmit(async () => {
    const to = recipient.trim() === '' ? undefined : recipient.trim();
    const sent = await actionKey.run({ send: invoice.id, to }, (key) => sendInvoice(invoice.id, to, key));
    onDone(sent, to ?? invoice.customer.email ?? 'the invoice contact');
  });
  const apiError = submit.error instanceof ApiError ? submit.error : null;
  const again = invoice.sendingStatus !== 'not_sent';
  return (
    <section className="card card-highlight" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{again ? 'Send again' : 'Send'}</h2>
      <p className="muted">The PDF and the e-invoice (UBL, Peppol BIS Billing 3.0) go out by e-mail once they pass the EN 16931 checks.</p>
      <form onSubmit={(event) => void submit.run(event)}>
        <Field
          label="Recipient"
          type="email"
          maxLength={254}
          value={recipient}
          onChange={setRecipient}
          placeholder={invoice.customer.email ?? ''}
          hint={invoice.customer.email === null ? 'The customer has no invoice contact: enter an address.' : `Empty: the customer's invoice contact, ${invoice.customer.email}.`}
          error={apiError?.fieldError('recipient')}
          required={invoice.customer.email === null}
          autoFocus
        />
        <InvoiceActionError error={submit.error} shownFields={['recipient']} />
        <FormActions submit={again ? 'Send again' : 'Send'} busy={submit.busy} onCancel={onClose} />
      </form>
    </section>
  );
}

interface CreditEntry {
  readonly quantity: string;
  readonly amount: string;
}

/** A credit note: quantities given back or amounts off per line, or everything not yet credited; always with a reason. */
export function CreditNotePanel({ invoice, onClose, onDone }: PanelProps & { readonly onDone: (creditNote: Invoice) => void }) {
  const id = useId();
  const format = useFormatters();
  const [actionKey] = useState(() => new ActionKey());
  const [mode, setMode] = useState<'lines' | 'all'>('lines');
  const [entries, setEntries] = useState<Record<string, CreditEntry>>({});
  const [reason, setReason] = useState('');
  const [goodsReturned, setGoodsReturned] = useState(false);
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});
  const [sent, setSent] = useState<readonly string[]>([]);
  const submit = useSubmit(async () => {
    const problems: Record<string, string> = {};
    const lines: CreditLineInput[] = [];
    if (mode === 'lines') {
      for (const line of invoice.lines) {
        const entry = entries[line.id];
        const quantityText = entry?.quantity.trim() ?? '';
        const amountText = entry?.amount.trim() ?? '';
        if (quantityText === '' && amountText === '') continue;
        if (quantityText !== '' && amountText !== '') {
          problems[line.id] = 'Give a quantity or an amount, not both.';
          continue;
        }
        const value = parseDecimalInput(quantityText === '' ? amountText : quantityText);
        if (!isPositiveDecimal(value)) {
          problems[line.id] = quantityText === '' ? 'Enter an amount above zero, such as 12.50.' : 'Enter a quantity above zero, such as 2.';
          continue;
        }
        lines.push(quantityText === '' ? { invoiceLineId: line.id, amount: value } : { invoiceLineId: line.id, quantity: value });
      }
      if (Object.keys(problems).length === 0 && lines.length === 0) {
        setLocalErrors({});
        throw new Error('Enter a quantity or an amount for at least one line, or choose to credit everything left.');
      }
    }
    setLocalErrors(problems);
    if (Object.keys(problems).length > 0) return;
    setSent(lines.map((line) => line.invoiceLineId));
    const body = { reason: reason.trim(), ...(mode === 'all' ? {} : { lines }), ...(goodsReturned ? { goodsReturned } : {}) };
    onDone(await actionKey.run({ credit: invoice.id, body }, (key) => creditInvoice(invoice.id, body, key)));
  });
  const apiError = submit.error instanceof ApiError ? submit.error : null;
  const lineError = (line: InvoiceLine): string | undefined => {
    const local = localErrors[line.id];
    if (local !== undefined) return local;
    const index = sent.indexOf(line.id);
    return index < 0 ? undefined : (apiError?.errorAt(`lines.${index}`, true) ?? undefined);
  };
  const update = (lineId: string, change: Partial<CreditEntry>) =>
    setEntries((current) => ({ ...current, [lineId]: { quantity: '', amount: '', ...current[lineId], ...change } }));

  return (
    <section className="card card-highlight" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Credit note for {documentTitle(invoice)}</h2>
      <p className="muted">
        A quantity gives goods or services back (they can be invoiced again, unless the goods came back); an amount is a price reduction on the line, before VAT. The credit note is issued and posted at once.
      </p>
      <form onSubmit={(event) => void submit.run(event)}>
        <fieldset>
          <legend>What to credit</legend>
          <div className="checkbox-grid">
            <label className="checkbox">
              <input type="radio" name={`${id}-mode`} checked={mode === 'lines'} onChange={() => setMode('lines')} />
              Chosen lines
            </label>
            <label className="checkbox">
              <input type="radio" name={`${id}-mode`} checked={mode === 'all'} onChange={() => setMode('all')} />
              Credit everything left
            </label>
          </div>
        </fieldset>
        {mode === 'all' ? (
          <p className="message message-info">Every line is credited for what is not credited yet: {format.money(invoice.open, invoice.currency)} is still open on the invoice.</p>
        ) : (
          <div className="table-wrap credit-lines">
            <table role="table">
              <caption className="visually-hidden">Lines to credit</caption>
              <thead role="rowgroup">
                <tr role="row">
                  <th scope="col" role="columnheader">#</th>
                  <th scope="col" role="columnheader">Item</th>
                  <th scope="col" role="columnheader" className="num">Invoiced</th>
                  <th scope="col" role="columnheader" className="num">Left to credit</th>
                  <th scope="col" role="columnheader" className="num">Quantity</th>
                  <th scope="col" role="columnheader" className="num">or amount</th>
                </tr>
              </thead>
              <tbody role="rowgroup">
                {invoice.lines.map((line) => {
                  const quantityLeft = subtractDecimal(line.quantity, line.creditedQuantity ?? '0');
                  const netLeft = line.creditable ?? line.taxable;
                  const byQuantity = line.kind === 'item' && !line.isPriceReduction;
                  const error = lineError(line);
                  const errorId = `${id}-line-${line.lineNo}-error`;
                  const entry = entries[line.id] ?? { quantity: '', amount: '' };
                  const nothingLeft = compareDecimal(netLeft, '0') <= 0;
                  return (
                    <tr role="row" key={line.id} className={error === undefined ? (nothingLeft ? 'row-muted' : undefined) : 'row-invalid'}>
                      <td role="cell" data-label="Line">{line.lineNo}</td>
                      <td role="cell" data-label="Item">
                        {line.sku === null ? null : <code>{line.sku}</code>}
                        <div className="small">{line.description}</div>
                      </td>
                      <td role="cell" data-label="Invoiced" className="num nowrap">
                        {byQuantity ? (
                          <>
                            {format.quantity(line.quantity)} <span className="muted small"><UnitLabel code={line.unit} /></span>
                          </>
                        ) : null}
                        <div className="muted small">{format.money(line.taxable, invoice.currency)}</div>
                      </td>
                      <td role="cell" data-label="Left" className="num nowrap">
                        {byQuantity ? <>{format.quantity(quantityLeft)} · </> : null}
                        {format.money(netLeft, invoice.currency)}
                      </td>
                      <td role="cell" data-label="Quantity" className="num">
                        {byQuantity ? (
                          <input
                            className="num-input"
                            inputMode="decimal"
                            size={7}
                            aria-label={`Quantity to credit, line ${line.lineNo}`}
                            value={entry.quantity}
                            disabled={nothingLeft}
                            onChange={(event) => update(line.id, { quantity: event.target.value })}
                            aria-invalid={error === undefined ? undefined : true}
                            aria-describedby={error === undefined ? undefined : errorId}
                          />
                        ) : (
                          <span className="muted small">—</span>
                        )}
                      </td>
                      <td role="cell" data-label="Amount" className="num">
                        <input
                          className="num-input"
                          inputMode="decimal"
                          size={9}
                          aria-label={`Amount to credit, line ${line.lineNo}`}
                          value={entry.amount}
                          disabled={nothingLeft}
                          onChange={(event) => update(line.id, { amount: event.target.value })}
                          aria-invalid={error === undefined ? undefined : true}
                          aria-describedby={error === undefined ? undefined : errorId}
                        />
                        {error === undefined ? null : (
                          <small id={errorId} className="field-error">
                            {error}
                          </small>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
        <label className="checkbox">
          <input type="checkbox" checked={goodsReturned} onChange={(event) => setGoodsReturned(event.target.checked)} />
          The goods came back (a return): do not bill these quantities again
        </label>
        <TextAreaField label="Reason" required maxLength={500} value={reason} onChange={setReason} hint="Printed on the credit note." error={apiError?.fieldError('reason')} />
        <InvoiceActionError error={submit.error} shownFields={['reason', ...(sent.length > 0 ? ['lines'] : [])]} />
        <FormActions submit="Create credit note" busy={submit.busy} onCancel={onClose} />
      </form>
    </section>
  );
}
