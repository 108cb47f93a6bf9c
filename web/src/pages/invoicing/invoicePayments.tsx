import { useCallback, useId, useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import {
  ActionKey,
  ApiError,
  applyCreditNote,
  getOpenItems,
  listPaymentApplications,
  listWriteOffs,
  requestWriteOff,
  undoPaymentApplication,
  type Invoice,
  type OpenItem,
  type PaymentApplication,
  type WriteOff,
} from '../../api';
import { ErrorMessage } from '../../components/ErrorMessage';
import { TextAreaField } from '../../components/Field';
import { FormActions } from '../../components/FormActions';
import { LoadedContent } from '../../components/LoadedContent';
import { ReasonPanel } from '../../components/ReasonPanel';
import { SaveError } from '../../components/SaveError';
import { CellError, CellInput, DataTable } from '../../components/TableParts';
import { compareDecimal, isPositiveDecimal, parseDecimalInput, subtractDecimal } from '../../decimal';
import { useFormatters } from '../../session';
import { useLoad } from '../../useLoad';
import { useSubmit } from '../../useSubmit';
import { ApplicationsTable, OptionalAmountField, WriteOffStatusBadge, useOptionalAmount } from '../payments/paymentParts';
import { documentTitle } from './invoicingParts';

/**
 * What settled an issued invoice (payments, credit notes), or what a credit note's
 * credit settled; and the write-offs asked for on an invoice.
 */
export function InvoicePaymentsSection({ invoice, canRecordPayment, onChanged }: { readonly invoice: Invoice; readonly canRecordPayment: boolean; readonly onChanged: (notice: string) => void }) {
  const id = useId();
  const format = useFormatters();
  const [undoing, setUndoing] = useState<PaymentApplication | null>(null);
  const [undoKey] = useState(() => new ActionKey());
  const isInvoice = invoice.kind === 'invoice';
  const applications = useLoad(
    useCallback(() => listPaymentApplications(isInvoice ? { invoiceId: invoice.id } : { creditNoteId: invoice.id }), [isInvoice, invoice.id]),
  );
  const writeOffs = useLoad(useCallback(async () => (isInvoice ? (await listWriteOffs({ invoiceId: invoice.id }, undefined, 20)).items : []), [isInvoice, invoice.id]));
  const open = compareDecimal(invoice.open, '0') > 0;
  // Not a named region: the payment-terms card above is the page's "Payment" region.
  return (
    <section className="section" data-testid="invoice-payments">
      <div className="list-toolbar">
        <h2 id={`${id}-title`}>{isInvoice ? 'Payments' : 'Credit used'}</h2>
        {isInvoice && open && canRecordPayment ? (
          <Link className="button secondary" to={`/payments/new?customerId=${encodeURIComponent(invoice.customer.id)}`}>
            Record payment
          </Link>
        ) : null}
        <Link to={`/customers/${invoice.customer.id}/account`}>Account of {invoice.customer.name}</Link>
      </div>
      <LoadedContent loaded={applications} loadingText="Loading payments…">
        {(data) =>
          data.items.length === 0 ? (
            <p className="muted">{isInvoice ? 'No payment or credit applied yet.' : 'The credit has not been applied to any invoice.'}</p>
          ) : (
            <ApplicationsTable
              applications={data.items}
              show={isInvoice ? 'source' : 'invoice'}
              caption={isInvoice ? `Payments and credits applied to ${documentTitle(invoice)}` : `Invoices settled by ${documentTitle(invoice)}`}
              renderAction={
                canRecordPayment
                  ? (application) =>
                      application.status === 'active' ? (
                        <button type="button" className="secondary small" aria-expanded={undoing?.id === application.id} onClick={() => setUndoing(undoing?.id === application.id ? null : application)}>
                          Undo<span className="visually-hidden"> the application of {application.source.number} to {application.invoice.number}</span>
                        </button>
                      ) : null
                  : undefined
              }
            />
          )
        }
      </LoadedContent>
      {undoing === null ? null : (
        <ReasonPanel
          key={undoing.id}
          title={`Undo the application of ${undoing.source.number} to ${undoing.invoice.number}?`}
          description={`${undoing.invoice.number} is open again by what it settled (${format.money(undoing.amount, undoing.invoice.currency)}); ${
            undoing.sourceType === 'payment' ? `the cash goes back to ${undoing.source.number} as unapplied cash` : `the credit goes back to ${undoing.source.number}`
          }.`}
          confirmLabel="Undo application"
          reasonLabel="Why it is undone"
          onConfirm={async (reason) => {
            await undoKey.run({ undo: undoing.id, reason }, (key) => undoPaymentApplication(undoing.id, reason, key));
            setUndoing(null);
            onChanged(`The application of ${undoing.source.number} to ${undoing.invoice.number} was undone.`);
          }}
          onClose={() => setUndoing(null)}
        />
      )}
      {writeOffs.data === null || writeOffs.data.length === 0 ? null : <WriteOffList writeOffs={writeOffs.data} />}
      <ErrorMessage error={writeOffs.error} />
    </section>
  );
}

function WriteOffList({ writeOffs }: { readonly writeOffs: readonly WriteOff[] }) {
  const format = useFormatters();
  return (
    <>
      <h3>Write-offs</h3>
      <ul className="related-list" aria-label="Write-offs of this invoice">
        {writeOffs.map((writeOff) => (
          <li key={writeOff.id}>
            <WriteOffStatusBadge status={writeOff.status} /> <strong>{format.money(writeOff.amount, writeOff.currency)}</strong> “{writeOff.reason}”{' '}
            <span className="muted small">
              asked by {writeOff.requestedBy}, {format.instant(writeOff.requestedAt)}
              {writeOff.decidedBy === null ? null : (
                <>
                  ; decided by {writeOff.decidedBy}
                  {writeOff.decisionNote === null ? null : <>: “{writeOff.decisionNote}”</>}
                </>
              )}
            </span>{' '}
            {writeOff.status === 'requested' ? <Link to="/write-offs?status=requested">Decide</Link> : null}
          </li>
        ))}
      </ul>
    </>
  );
}

/** Asks for what is open (or part of it) to be written off; another person decides. */
export function WriteOffRequestPanel({ invoice, onClose, onDone }: { readonly invoice: Invoice; readonly onClose: () => void; readonly onDone: (writeOff: WriteOff) => void }) {
  const id = useId();
  const format = useFormatters();
  const [actionKey] = useState(() => new ActionKey());
  const amount = useOptionalAmount('Enter an amount above zero, such as 12.50, or leave it empty for all that is open.');
  const [reason, setReason] = useState('');
  const submit = useSubmit(async () => {
    const parsed = amount.check();
    if (parsed === undefined) return;
    const body = { invoiceId: invoice.id, ...(parsed === null ? {} : { amount: parsed }), reason: reason.trim() };
    onDone(await actionKey.run(body, (key) => requestWriteOff(body, key)));
  });
  const apiError = submit.error instanceof ApiError ? submit.error : null;
  return (
    <section className="card card-highlight" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Request write-off of {invoice.number}</h2>
      <p className="muted">
        {format.money(invoice.open, invoice.currency)} is open. Another person approves or rejects the request; only then is the amount posted to bad debt.
      </p>
      <form onSubmit={(event) => void submit.run(event)}>
        <OptionalAmountField
          label="Amount to write off"
          className="num-input field-percent"
          amount={amount}
          all={format.money(invoice.open, invoice.currency)}
          hint={`Empty: all ${format.money(invoice.open, invoice.currency)} open.`}
          serverError={apiError?.fieldError('amount')}
        />
        <TextAreaField label="Why it cannot be collected" required maxLength={500} value={reason} onChange={setReason} error={apiError?.fieldError('reason')} />
        <SaveError error={submit.error} shownFields={['amount', 'reason']} noun="this invoice" />
        <FormActions submit="Request write-off" busy={submit.busy} onCancel={onClose} />
      </form>
    </section>
  );
}

/** Uses a credit note's open credit to settle invoices of the same customer and currency, oldest due first as suggested. */
export function CreditApplyPanel({ creditNote, onClose, onDone }: { readonly creditNote: Invoice; readonly onClose: () => void; readonly onDone: (open: string, count: number) => void }) {
  const id = useId();
  const format = useFormatters();
  const [actionKey] = useState(() => new ActionKey());
  const items = useLoad(useCallback(() => getOpenItems(creditNote.customer.id), [creditNote.customer.id]));
  const invoices = useMemo(
    () => (items.data === null ? [] : items.data.items.filter((item) => item.type === 'invoice' && item.currency === creditNote.currency && compareDecimal(item.open, '0') > 0)),
    [items.data, creditNote.currency],
  );
  const [amounts, setAmounts] = useState<Record<string, string> | null>(null);
  const suggested = useMemo(() => suggest(invoices, creditNote.open), [invoices, creditNote.open]);
  const entries = amounts ?? suggested;
  const [sent, setSent] = useState<readonly string[]>([]);
  const parsed = invoices.map((invoice) => {
    const text = (entries[invoice.id] ?? '').trim();
    const amount = text === '' ? null : parseDecimalInput(text);
    const problem = text !== '' && !isPositiveDecimal(amount) ? 'Enter an amount above zero, or leave it empty.' : undefined;
    return { invoice, amount, problem };
  });
  const submit = useSubmit(async () => {
    if (parsed.some((entry) => entry.problem !== undefined)) throw new Error('Correct the marked amounts.');
    const applications = parsed.filter((entry) => entry.amount !== null).map((entry) => ({ invoiceId: entry.invoice.id, amount: entry.amount! }));
    if (applications.length === 0) throw new Error('Enter an amount for at least one invoice.');
    setSent(applications.map((entry) => entry.invoiceId));
    const result = await actionKey.run({ creditNote: creditNote.id, applications }, (key) => applyCreditNote(creditNote.id, applications, key));
    onDone(result.open, applications.length);
  });
  const apiError = submit.error instanceof ApiError ? submit.error : null;
  const rowError = (invoiceId: string) => {
    const index = sent.indexOf(invoiceId);
    return index < 0 ? undefined : apiError?.errorAt(`applications.${index}`, true);
  };
  return (
    <section className="card card-highlight" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Apply {documentTitle(creditNote)} to invoices</h2>
      <p className="muted">
        {format.money(creditNote.open, creditNote.currency)} of credit is open. It settles invoices of {creditNote.customer.name} in {creditNote.currency}; the suggestion takes the oldest due first.
      </p>
      <LoadedContent loaded={items} loadingText="Loading open invoices…">
        {() =>
          invoices.length === 0 ? (
            <p className="message message-info">
              {creditNote.customer.name} has no open invoice in {creditNote.currency}. Refund the credit instead, or apply it when the next invoice is issued.
            </p>
          ) : (
            <form onSubmit={(event) => void submit.run(event)}>
              <DataTable caption="Open invoices to settle with the credit" columns={['Invoice', 'Due', { label: 'Open', className: 'num' }, { label: 'Apply', className: 'num' }]} className="credit-lines">
                {parsed.map(({ invoice, problem }) => {
                  const error = problem ?? rowError(invoice.id);
                  const errorId = `${id}-${invoice.id}-error`;
                  return (
                    <tr role="row" key={invoice.id} className={error === undefined ? undefined : 'row-invalid'}>
                      <td role="cell" data-label="Invoice">
                        <Link to={`/invoices/${invoice.id}`}>{invoice.number}</Link>
                      </td>
                      <td role="cell" data-label="Due" className="nowrap">{format.date(invoice.dueDate)}</td>
                      <td role="cell" data-label="Open" className="num">{format.money(invoice.open, invoice.currency)}</td>
                      <td role="cell" data-label="Apply" className="num">
                        <CellInput
                          label={`Credit applied to ${invoice.number}`}
                          value={entries[invoice.id] ?? ''}
                          onChange={(value) => setAmounts({ ...entries, [invoice.id]: value })}
                          error={error}
                          errorId={errorId}
                        />
                        <CellError id={errorId} error={error} />
                      </td>
                    </tr>
                  );
                })}
              </DataTable>
              {apiError !== null && apiError.status === 422 ? (
                <div className="message message-error" role="alert">
                  <p>{apiError.detail}</p>
                </div>
              ) : (
                <SaveError error={submit.error} noun="this credit note" />
              )}
              <FormActions submit="Apply credit" busy={submit.busy} onCancel={onClose} />
            </form>
          )
        }
      </LoadedContent>
    </section>
  );
}

/** The credit spread over the invoices in order: each takes what is open, until the credit is used up. */
function suggest(invoices: readonly OpenItem[], credit: string): Record<string, string> {
  const amounts: Record<string, string> = {};
  let left = credit;
  for (const invoice of invoices) {
    if (compareDecimal(left, '0') <= 0) break;
    const take = compareDecimal(invoice.open, left) <= 0 ? invoice.open : left;
    amounts[invoice.id] = take;
    left = subtractDecimal(left, take);
  }
  return amounts;
}
