import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { Link } from 'react-router-dom';
import {
  ApiError,
  refundMethods,
  type ApplicationRequest,
  type OpenItem,
  type PaymentApplication,
  type PaymentPreview,
  type PaymentPreviewLine,
  type Refund,
  type RefundInput,
  type RefundMethod,
  type WriteOffStatus,
} from '../../api';
import { humanize } from '../../components/Badges';
import { describeError } from '../../components/ErrorMessage';
import { Field, SelectField, TextAreaField } from '../../components/Field';
import { FormActions } from '../../components/FormActions';
import { SaveError } from '../../components/SaveError';
import { compareDecimal, isPositiveDecimal, parseDecimalInput } from '../../decimal';
import { useFormatters } from '../../session';
import { useSubmit } from '../../useSubmit';

export const paymentsTabs = [
  { to: '/payments', label: 'Payments', end: true },
  { to: '/payments/new', label: 'Record payment', permission: 'recordPayments' as const },
  { to: '/write-offs', label: 'Write-offs' },
];

const methodLabels: Record<string, string> = {
  bank_transfer: 'Bank transfer',
  card: 'Card',
  cheque: 'Cheque',
  direct_debit: 'Direct debit',
  cash: 'Cash',
};

export const methodLabel = (method: string) => methodLabels[method] ?? humanize(method);

export function PaymentStatusBadge({ status }: { readonly status: string }) {
  return status === 'reversed' ? <span className="badge badge-bad">Reversed</span> : <span className="badge badge-info">Received</span>;
}

/** Whether a payment's cash is all applied (or refunded), or some still waits. */
export function UnappliedBadge({ status, unapplied, currency }: { readonly status: string; readonly unapplied: string; readonly currency: string }) {
  const format = useFormatters();
  if (status === 'reversed') return null;
  return compareDecimal(unapplied, '0') === 0 ? (
    <span className="badge badge-good">Applied</span>
  ) : (
    <span className="badge badge-warn">{format.money(unapplied, currency)} unapplied</span>
  );
}

export const writeOffStatusLabels: Record<WriteOffStatus, string> = { requested: 'Waiting for a decision', approved: 'Approved', rejected: 'Rejected' };
const writeOffTones: Record<WriteOffStatus, string> = { requested: 'warn', approved: 'good', rejected: 'neutral' };

export function WriteOffStatusBadge({ status }: { readonly status: WriteOffStatus }) {
  return <span className={`badge badge-${writeOffTones[status]}`}>{writeOffStatusLabels[status]}</span>;
}

/** "1.234,50 €" for a positive difference or discount, "—" for none. */
function moneyOrDash(amount: string, currency: string, format: ReturnType<typeof useFormatters>): string {
  return compareDecimal(amount, '0') === 0 ? '—' : format.money(amount, currency);
}

// ---- planning the applications of a payment (new or recorded): suggestion, changes, preview

export interface PlanRow {
  readonly amount: string;
  readonly takeDiscount: boolean;
  readonly acceptDifference: boolean;
}

const untouched: PlanRow = { amount: '', takeDiscount: true, acceptDifference: false };
const previewDelayMs = 350;

interface ParsedRow {
  readonly invoice: OpenItem;
  readonly row: PlanRow;
  readonly amount: string | null;
  readonly problem: string | undefined;
}

function parseRows(invoices: readonly OpenItem[], rows: Readonly<Record<string, PlanRow>>): ParsedRow[] {
  return invoices.map((invoice) => {
    const row = rows[invoice.id] ?? untouched;
    const text = row.amount.trim();
    const amount = text === '' ? null : parseDecimalInput(text);
    const problem = text !== '' && (amount === null || compareDecimal(amount, '0') < 0) ? 'Enter an amount such as 120.50, or leave it empty.' : undefined;
    return { invoice, row, amount, problem };
  });
}

function applicationsOf(parsed: readonly ParsedRow[]): ApplicationRequest[] {
  return parsed
    .filter((entry) => entry.amount !== null && entry.problem === undefined)
    .map((entry) => ({ invoiceId: entry.invoice.id, amount: entry.amount!, takeDiscount: entry.row.takeDiscount, acceptDifference: entry.row.acceptDifference }));
}

interface PreviewState {
  /** The basis and applications it answers. */
  readonly text: string;
  /** The invoices sent, in order: field errors name them by index. */
  readonly ids: readonly string[];
  readonly data: PaymentPreview | null;
  readonly error: unknown;
}

export interface ApplicationPlan {
  readonly invoices: readonly OpenItem[];
  readonly parsed: readonly ParsedRow[];
  /** What the confirmation sends (in the order of the invoices). */
  readonly applications: ApplicationRequest[];
  /** The suggestion is being worked out. */
  readonly suggesting: boolean;
  readonly suggestionError: unknown;
  /** The preview shown belongs to other entries than the ones now in the form. */
  readonly stale: boolean;
  readonly preview: PreviewState | null;
  /** Entries complete, previewed and accepted by the server: ready to confirm. */
  readonly ready: boolean;
  readonly available: string;
  readonly currency: string;
  setRow(invoiceId: string, change: Partial<PlanRow>): void;
  suggestAgain(): void;
  clear(): void;
}

/**
 * The applications of an amount to a customer's open invoices: as soon as the
 * basis (who paid how much, in what, when) is complete the server suggests them,
 * oldest due first; every change is previewed again (discount, accepted difference,
 * what stays unapplied) before anything is recorded.
 *
 * `basis` is '' while incomplete and changes exactly when what is applied changes;
 * `runPreview` without applications asks for the suggestion.
 */
export function useApplicationPlan(
  basis: string,
  invoices: readonly OpenItem[],
  available: string,
  currency: string,
  runPreview: (applications?: ApplicationRequest[]) => Promise<PaymentPreview>,
): ApplicationPlan {
  const [rows, setRows] = useState<Readonly<Record<string, PlanRow>>>({});
  const [suggested, setSuggested] = useState<{ readonly basis: string; readonly error: unknown } | null>(null);
  const [preview, setPreview] = useState<PreviewState | null>(null);
  const [generation, setGeneration] = useState(0);
  const run = useRef(runPreview);
  const currentInvoices = useRef(invoices);
  const suggestionTicket = useRef(0);
  const previewTicket = useRef(0);
  useEffect(() => {
    run.current = runPreview;
    currentInvoices.current = invoices;
  });

  const parsed = parseRows(invoices, rows);
  const applications = applicationsOf(parsed);
  const hasProblems = parsed.some((entry) => entry.problem !== undefined);
  const text = basis === '' ? '' : JSON.stringify({ basis, applications });

  // A new basis: ask for the suggestion and take it as the entries.
  useEffect(() => {
    const mine = ++suggestionTicket.current;
    previewTicket.current++;
    setSuggested(null);
    setPreview(null);
    setRows({});
    if (basis === '') return;
    const timer = setTimeout(() => {
      run.current(undefined).then(
        (data) => {
          if (mine !== suggestionTicket.current) return;
          const next: Record<string, PlanRow> = {};
          for (const line of data.applications) next[line.invoiceId] = { amount: line.amount, takeDiscount: true, acceptDifference: false };
          const suggestion = applicationsOf(parseRows(currentInvoices.current, next));
          setRows(next);
          setSuggested({ basis, error: null });
          setPreview({ text: JSON.stringify({ basis, applications: suggestion }), ids: suggestion.map((entry) => entry.invoiceId), data, error: null });
        },
        (failure: unknown) => {
          if (mine !== suggestionTicket.current) return;
          setSuggested({ basis, error: failure });
        },
      );
    }, previewDelayMs);
    return () => clearTimeout(timer);
  }, [basis, generation]);

  // Changed entries: preview them again.
  const suggestionDone = suggested !== null && suggested.basis === basis;
  useEffect(() => {
    if (text === '' || !suggestionDone || hasProblems) return;
    if (preview !== null && preview.text === text) return;
    const sent = (JSON.parse(text) as { applications: ApplicationRequest[] }).applications;
    const mine = ++previewTicket.current;
    if (sent.length === 0) {
      setPreview({ text, ids: [], data: null, error: null });
      return;
    }
    const timer = setTimeout(() => {
      run.current(sent).then(
        (data) => {
          if (mine === previewTicket.current) setPreview({ text, ids: sent.map((entry) => entry.invoiceId), data, error: null });
        },
        (failure: unknown) => {
          if (mine === previewTicket.current) setPreview({ text, ids: sent.map((entry) => entry.invoiceId), data: null, error: failure });
        },
      );
    }, previewDelayMs);
    return () => clearTimeout(timer);
  }, [text, suggestionDone, hasProblems, preview]);

  const current = preview !== null && preview.text === text;
  return {
    invoices,
    parsed,
    applications,
    suggesting: basis !== '' && !suggestionDone,
    suggestionError: suggestionDone ? suggested.error : null,
    stale: !current,
    preview,
    ready: basis !== '' && suggestionDone && !hasProblems && current && preview.error === null && (applications.length === 0 || preview.data !== null),
    available,
    currency,
    setRow: (invoiceId, change) => setRows((all) => ({ ...all, [invoiceId]: { ...untouched, ...all[invoiceId], ...change } })),
    suggestAgain: () => setGeneration((value) => value + 1),
    clear: () => setRows({}),
  };
}

/** The open invoices with what to apply to each, and what the server worked out: discount, difference, open after, unapplied. */
export function ApplicationPlanTable({ plan, caption }: { readonly plan: ApplicationPlan; readonly caption: string }) {
  const id = useId();
  const format = useFormatters();
  const { preview } = plan;
  const previewError = preview?.error instanceof ApiError ? preview.error : null;
  const lineFor = (invoiceId: string): PaymentPreviewLine | undefined => preview?.data?.applications.find((line) => line.invoiceId === invoiceId);
  const rowError = (invoiceId: string): string | undefined => {
    if (previewError === null || preview === null || plan.stale) return undefined;
    const index = preview.ids.indexOf(invoiceId);
    return index < 0 ? undefined : previewError.errorAt(`applications.${index}`, true);
  };
  const applied = preview?.data?.applied ?? '0';
  const unapplied = preview?.data?.unapplied ?? plan.available;

  if (plan.invoices.length === 0) {
    return <p className="muted">The customer has no open invoices: the whole amount stays as unapplied cash, to apply later or refund.</p>;
  }
  return (
    <>
      <div className="plan-toolbar">
        <button type="button" className="secondary small" onClick={plan.suggestAgain} disabled={plan.suggesting}>
          Suggest again
        </button>
        <button type="button" className="secondary small" onClick={plan.clear} disabled={plan.suggesting || plan.applications.length === 0}>
          Apply nothing
        </button>
        <span className="muted small" aria-live="polite">
          {plan.suggesting ? 'Working out the suggestion…' : plan.stale && !plan.parsed.some((entry) => entry.problem !== undefined) ? 'Updating the preview…' : ''}
        </span>
      </div>
      <div className={plan.stale ? 'table-wrap plan-table stale' : 'table-wrap plan-table'} aria-busy={plan.stale || plan.suggesting}>
        <table role="table">
          <caption className="visually-hidden">{caption}</caption>
          <thead role="rowgroup">
            <tr role="row">
              <th scope="col" role="columnheader">Invoice</th>
              <th scope="col" role="columnheader">Due</th>
              <th scope="col" role="columnheader" className="num">Open</th>
              <th scope="col" role="columnheader" className="num">Cash applied</th>
              <th scope="col" role="columnheader">Discount</th>
              <th scope="col" role="columnheader">Difference</th>
              <th scope="col" role="columnheader" className="num">Open after</th>
            </tr>
          </thead>
          <tbody role="rowgroup">
            {plan.parsed.map(({ invoice, row, amount, problem }) => {
              const line = amount === null ? undefined : lineFor(invoice.id);
              const error = problem ?? rowError(invoice.id);
              const errorId = `${id}-${invoice.id}-error`;
              const foreign = invoice.currency !== plan.currency;
              return (
                <tr role="row" key={invoice.id} className={error === undefined ? (amount === null ? 'row-muted' : undefined) : 'row-invalid'} data-testid={`plan-${invoice.number}`}>
                  <td role="cell" data-label="Invoice">
                    <Link to={`/invoices/${invoice.id}`}>{invoice.number}</Link>
                    <div className="muted small">{format.date(invoice.documentDate)}</div>
                  </td>
                  <td role="cell" data-label="Due" className={invoice.daysPastDue !== null && invoice.daysPastDue > 0 ? 'nowrap text-danger' : 'nowrap'}>
                    {format.date(invoice.dueDate)}
                    {invoice.daysPastDue !== null && invoice.daysPastDue > 0 ? <div className="small">{invoice.daysPastDue} days late</div> : null}
                  </td>
                  <td role="cell" data-label="Open" className="num">{format.money(invoice.open, invoice.currency)}</td>
                  <td role="cell" data-label="Cash applied" className="num">
                    <span className="amount-input">
                      <input
                        className="num-input"
                        inputMode="decimal"
                        size={10}
                        aria-label={`Amount applied to ${invoice.number}`}
                        value={row.amount}
                        placeholder="—"
                        onChange={(event) => plan.setRow(invoice.id, { amount: event.target.value })}
                        aria-invalid={error === undefined ? undefined : true}
                        aria-describedby={error === undefined ? undefined : errorId}
                      />
                      <span className="muted small">{invoice.currency}</span>
                    </span>
                    {foreign && line !== undefined ? (
                      <div className="muted small">
                        {format.money(line.paymentAmount, plan.currency)}
                        {line.rate === null ? null : <> at {format.quantity(line.rate)}</>}
                      </div>
                    ) : null}
                    {error === undefined ? null : (
                      <small id={errorId} className="field-error">
                        {error}
                      </small>
                    )}
                  </td>
                  <td role="cell" data-label="Discount">
                    <label className="checkbox small">
                      <input type="checkbox" checked={row.takeDiscount} onChange={(event) => plan.setRow(invoice.id, { takeDiscount: event.target.checked })} />
                      <span>
                        Take discount<span className="visually-hidden"> on {invoice.number}</span>
                      </span>
                    </label>
                    {line === undefined ? null : (
                      <div className="small" data-testid={`discount-${invoice.number}`}>
                        {compareDecimal(line.discount, '0') > 0 ? (
                          <strong>{format.money(line.discount, invoice.currency)}</strong>
                        ) : compareDecimal(line.discountAvailable, '0') > 0 ? (
                          <span className="muted">{format.money(line.discountAvailable, invoice.currency)} available when the amount covers the rest</span>
                        ) : (
                          <span className="muted">none available</span>
                        )}
                      </div>
                    )}
                  </td>
                  <td role="cell" data-label="Difference">
                    <label className="checkbox small">
                      <input type="checkbox" checked={row.acceptDifference} onChange={(event) => plan.setRow(invoice.id, { acceptDifference: event.target.checked })} />
                      <span>
                        Accept difference<span className="visually-hidden"> on {invoice.number}</span>
                      </span>
                    </label>
                    {line === undefined || compareDecimal(line.difference, '0') === 0 ? null : (
                      <div className="small strong" data-testid={`difference-${invoice.number}`}>
                        {format.money(line.difference, invoice.currency)} to bank charges
                      </div>
                    )}
                  </td>
                  <td role="cell" data-label="Open after" className="num" data-testid={`open-after-${invoice.number}`}>
                    {line === undefined ? (
                      <span className="muted">{amount === null ? format.money(invoice.open, invoice.currency) : '…'}</span>
                    ) : compareDecimal(line.openAfter, '0') === 0 ? (
                      <span className="text-success">Settled</span>
                    ) : (
                      format.money(line.openAfter, invoice.currency)
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {previewError !== null && !plan.stale ? (
        <div className="message message-error" role="alert">
          <p>{describeError(previewError)}</p>
        </div>
      ) : null}
      {preview !== null && preview.error !== null && !(preview.error instanceof ApiError) && !plan.stale ? (
        <div className="message message-error" role="alert">
          <p>{describeError(preview.error)}</p>
        </div>
      ) : null}
      <dl className="totals plan-totals" aria-label="What the payment does" data-testid="plan-totals">
        <dt>Payment</dt>
        <dd>{format.money(plan.available, plan.currency)}</dd>
        <dt>Applied</dt>
        <dd data-testid="plan-applied">{format.money(applied, plan.currency)}</dd>
        <dt className="grand">Stays unapplied</dt>
        <dd className="grand" data-testid="plan-unapplied">
          {format.money(unapplied, plan.currency)}
        </dd>
      </dl>
    </>
  );
}

// ---- applications and refunds as tables

/** Applications of a payment or credit note (showing the invoice), or of an invoice (showing where the money came from). */
export function ApplicationsTable({
  applications,
  show,
  caption,
  renderAction,
}: {
  readonly applications: readonly PaymentApplication[];
  readonly show: 'invoice' | 'source';
  readonly caption: string;
  readonly renderAction?: (application: PaymentApplication) => ReactNode;
}) {
  const format = useFormatters();
  const withAction = renderAction !== undefined;
  return (
    <div className="table-wrap">
      <table role="table">
        <caption className="visually-hidden">{caption}</caption>
        <thead role="rowgroup">
          <tr role="row">
            <th scope="col" role="columnheader">{show === 'invoice' ? 'Invoice' : 'From'}</th>
            <th scope="col" role="columnheader">Date</th>
            <th scope="col" role="columnheader" className="num">Amount</th>
            <th scope="col" role="columnheader" className="num">Discount</th>
            <th scope="col" role="columnheader" className="num">Difference</th>
            <th scope="col" role="columnheader">Status</th>
            {withAction ? (
              <th scope="col" role="columnheader">
                <span className="visually-hidden">Actions</span>
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody role="rowgroup">
          {applications.map((application) => {
            const undone = application.status === 'undone';
            const currency = application.invoice.currency;
            return (
              <tr role="row" key={application.id} className={undone ? 'row-muted' : undefined} data-testid={`application-${show === 'invoice' ? application.invoice.number : application.source.number}`}>
                <td role="cell" data-label={show === 'invoice' ? 'Invoice' : 'From'}>
                  {show === 'invoice' ? (
                    <Link to={`/invoices/${application.invoice.id}`}>{application.invoice.number}</Link>
                  ) : application.sourceType === 'payment' ? (
                    <>
                      <Link to={`/payments/${application.source.id}`}>{application.source.number}</Link>
                      <div className="muted small">Payment</div>
                    </>
                  ) : (
                    <>
                      <Link to={`/invoices/${application.source.id}`}>{application.source.number}</Link>
                      <div className="muted small">Credit note</div>
                    </>
                  )}
                </td>
                <td role="cell" data-label="Date" className="nowrap">
                  {format.date(application.businessDate)}
                  <div className="muted small">{application.createdBy}</div>
                </td>
                <td role="cell" data-label="Amount" className="num">
                  {format.money(application.amount, currency)}
                  {application.source.currency === currency ? null : (
                    <div className="muted small">
                      {format.money(application.sourceAmount, application.source.currency)}
                      {application.rate === null ? null : <> at {format.quantity(application.rate)}</>}
                    </div>
                  )}
                </td>
                <td role="cell" data-label="Discount" className="num">{moneyOrDash(application.discount, currency, format)}</td>
                <td role="cell" data-label="Difference" className="num">{moneyOrDash(application.difference, currency, format)}</td>
                <td role="cell" data-label="Status">
                  {undone ? (
                    <>
                      <span className="badge badge-neutral">Undone</span>
                      <div className="small">
                        {format.date(application.undoDate)}
                        {application.undoneBy === null ? null : <> by {application.undoneBy}</>}
                        {application.undoReason === null ? null : <>: “{application.undoReason}”</>}
                      </div>
                    </>
                  ) : (
                    <span className="badge badge-good">Applied</span>
                  )}
                </td>
                {withAction ? (
                  <td role="cell" className="cell-actions">
                    {renderAction(application)}
                  </td>
                ) : null}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

export function RefundsTable({ refunds, caption }: { readonly refunds: readonly Refund[]; readonly caption: string }) {
  const format = useFormatters();
  return (
    <div className="table-wrap">
      <table role="table">
        <caption className="visually-hidden">{caption}</caption>
        <thead role="rowgroup">
          <tr role="row">
            <th scope="col" role="columnheader">Refund</th>
            <th scope="col" role="columnheader">Date</th>
            <th scope="col" role="columnheader">Method</th>
            <th scope="col" role="columnheader">Reason</th>
            <th scope="col" role="columnheader" className="num">Amount</th>
          </tr>
        </thead>
        <tbody role="rowgroup">
          {refunds.map((refund) => (
            <tr role="row" key={refund.id}>
              <td role="cell" data-label="Refund">
                {refund.number}
                {refund.reference === null ? null : <div className="muted small">{refund.reference}</div>}
              </td>
              <td role="cell" data-label="Date" className="nowrap">
                {format.date(refund.businessDate)}
                <div className="muted small">{refund.createdBy}</div>
              </td>
              <td role="cell" data-label="Method">{methodLabel(refund.method)}</td>
              <td role="cell" data-label="Reason">“{refund.reason}”</td>
              <td role="cell" data-label="Amount" className="num strong">{format.money(refund.amount, refund.currency)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Paying back unapplied cash or an open credit item: how much (all by default), how, and why. */
export function RefundPanel({
  title,
  available,
  currency,
  onRefund,
  onClose,
}: {
  readonly title: string;
  readonly available: string;
  readonly currency: string;
  readonly onRefund: (body: RefundInput) => Promise<void>;
  readonly onClose: () => void;
}) {
  const id = useId();
  const format = useFormatters();
  const [amount, setAmount] = useState('');
  const [method, setMethod] = useState<RefundMethod>('bank_transfer');
  const [reference, setReference] = useState('');
  const [reason, setReason] = useState('');
  const [amountProblem, setAmountProblem] = useState<string | undefined>(undefined);
  const submit = useSubmit(async () => {
    const parsed = amount.trim() === '' ? null : parseDecimalInput(amount);
    if (amount.trim() !== '' && !isPositiveDecimal(parsed)) {
      setAmountProblem('Enter an amount above zero, such as 50.00, or leave it empty for all.');
      return;
    }
    setAmountProblem(undefined);
    await onRefund({ ...(parsed === null ? {} : { amount: parsed }), method, reference: reference.trim() === '' ? null : reference.trim(), reason: reason.trim() });
  });
  const apiError = submit.error instanceof ApiError ? submit.error : null;
  return (
    <section className="card card-highlight" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{title}</h2>
      <p className="muted">{format.money(available, currency)} can be paid back. The refund is posted at once against the bank (or the card clearing account).</p>
      <form onSubmit={(event) => void submit.run(event)}>
        <div className="field-grid">
          <Field
            label="Amount to refund"
            inputMode="decimal"
            className="num-input"
            value={amount}
            onChange={setAmount}
            placeholder={format.money(available, currency)}
            hint={`Empty: all ${format.money(available, currency)}.`}
            error={amountProblem ?? apiError?.fieldError('amount')}
            autoFocus
          />
          <SelectField label="Refund method" value={method} onChange={(value) => setMethod(value as RefundMethod)} error={apiError?.fieldError('method')}>
            {refundMethods.map((candidate) => (
              <option key={candidate} value={candidate}>
                {methodLabel(candidate)}
              </option>
            ))}
          </SelectField>
          <Field label="Reference" maxLength={200} value={reference} onChange={setReference} hint="e.g. the transfer's reference." error={apiError?.fieldError('reference')} />
        </div>
        <TextAreaField label="Reason for the refund" required maxLength={500} value={reason} onChange={setReason} error={apiError?.fieldError('reason')} />
        <SaveError error={submit.error} shownFields={['amount', 'method', 'reference', 'reason']} />
        <FormActions submit="Refund" busy={submit.busy} onCancel={onClose} />
      </form>
    </section>
  );
}
