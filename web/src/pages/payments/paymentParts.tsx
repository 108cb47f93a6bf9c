import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { Link } from 'react-router-dom';
import {
  ApiError,
  refundMethods,
  type ApplicationRequest,
  type OpenItem,
  type PaymentApplication,
  type PaymentListItem,
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
import { CellError, CellInput, DataTable, EmptyRow } from '../../components/TableParts';
import { compareDecimal, parseDecimalInput, parseOptionalAmount } from '../../decimal';
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

/** A payment's state: received or reversed, and whether its cash is all applied. */
export function PaymentBadges({ payment }: { readonly payment: Pick<PaymentListItem, 'status' | 'unapplied' | 'currency'> }) {
  return (
    <span className="badge-group">
      <PaymentStatusBadge status={payment.status} />
      <UnappliedBadge status={payment.status} unapplied={payment.unapplied} currency={payment.currency} />
    </span>
  );
}

/** Payments as a table: number, customer (unless all are one customer's), value date, method, state and amounts. */
export function PaymentsTable({
  payments,
  caption,
  empty,
  showCustomer = true,
}: {
  readonly payments: readonly PaymentListItem[];
  readonly caption: string;
  /** Shown when there are no payments; null while that is not known yet. */
  readonly empty: string | null;
  readonly showCustomer?: boolean;
}) {
  const format = useFormatters();
  const columns = ['Payment', ...(showCustomer ? ['Customer'] : []), 'Value date', 'Method', 'Status', { label: 'Amount', className: 'num' }, { label: 'Unapplied', className: 'num' }];
  return (
    <DataTable caption={caption} columns={columns}>
      {payments.map((payment) => (
        <tr role="row" key={payment.id} data-testid={`payment-${payment.number}`}>
          <td role="cell" data-label="Payment">
            <Link to={`/payments/${payment.id}`}>{payment.number}</Link>
          </td>
          {showCustomer ? (
            <td role="cell" data-label="Customer">
              <Link to={`/customers/${payment.customer.id}/account`}>{payment.customer.name}</Link> <span className="muted small">{payment.customer.number}</span>
            </td>
          ) : null}
          <td role="cell" data-label="Value date" className="nowrap">{format.date(payment.valueDate)}</td>
          <td role="cell" data-label="Method">{methodLabel(payment.method)}</td>
          <td role="cell" data-label="Status">
            <PaymentBadges payment={payment} />
          </td>
          <td role="cell" data-label="Amount" className="num strong">{format.money(payment.amount, payment.currency)}</td>
          <td role="cell" data-label="Unapplied" className="num">{format.money(payment.unapplied, payment.currency)}</td>
        </tr>
      ))}
      {payments.length === 0 && empty !== null ? <EmptyRow colSpan={columns.length}>{empty}</EmptyRow> : null}
    </DataTable>
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

const planColumns = [
  'Invoice',
  'Due',
  { label: 'Open', className: 'num' },
  { label: 'Cash applied', className: 'num' },
  'Discount',
  'Difference',
  { label: 'Open after', className: 'num' },
];

/** A choice for one invoice of the plan, named with the invoice for screen readers. */
function PlanCheckbox({ label, invoiceNumber, checked, onChange }: { readonly label: string; readonly invoiceNumber: string; readonly checked: boolean; readonly onChange: (checked: boolean) => void }) {
  return (
    <label className="checkbox small">
      <input type="checkbox" checked={checked} onChange={(event) => onChange(event.target.checked)} />
      <span>
        {label}<span className="visually-hidden"> on {invoiceNumber}</span>
      </span>
    </label>
  );
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
      <DataTable caption={caption} columns={planColumns} className={plan.stale ? 'plan-table stale' : 'plan-table'} busy={plan.stale || plan.suggesting}>
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
                  <CellInput
                    label={`Amount applied to ${invoice.number}`}
                    value={row.amount}
                    placeholder="—"
                    onChange={(value) => plan.setRow(invoice.id, { amount: value })}
                    error={error}
                    errorId={errorId}
                  />
                  <span className="muted small">{invoice.currency}</span>
                </span>
                {foreign && line !== undefined ? (
                  <div className="muted small">
                    {format.money(line.paymentAmount, plan.currency)}
                    {line.rate === null ? null : <> at {format.quantity(line.rate)}</>}
                  </div>
                ) : null}
                <CellError id={errorId} error={error} />
              </td>
              <td role="cell" data-label="Discount">
                <PlanCheckbox label="Take discount" invoiceNumber={invoice.number} checked={row.takeDiscount} onChange={(checked) => plan.setRow(invoice.id, { takeDiscount: checked })} />
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
                <PlanCheckbox label="Accept difference" invoiceNumber={invoice.number} checked={row.acceptDifference} onChange={(checked) => plan.setRow(invoice.id, { acceptDifference: checked })} />
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
      </DataTable>
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
  const columns = [show === 'invoice' ? 'Invoice' : 'From', 'Date', { label: 'Amount', className: 'num' }, { label: 'Discount', className: 'num' }, { label: 'Difference', className: 'num' }, 'Status'];
  return (
    <DataTable caption={caption} columns={columns} actions={withAction}>
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
    </DataTable>
  );
}

export function RefundsTable({ refunds, caption }: { readonly refunds: readonly Refund[]; readonly caption: string }) {
  const format = useFormatters();
  return (
    <DataTable caption={caption} columns={['Refund', 'Date', 'Method', 'Reason', { label: 'Amount', className: 'num' }]}>
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
    </DataTable>
  );
}

/**
 * An amount field that may be left empty for "all of it". `check` answers the amount (null for all), or undefined
 * after marking the field with `problem` when the text is not an amount above zero.
 */
export function useOptionalAmount(problem: string) {
  const [text, setText] = useState('');
  const [shownProblem, setShownProblem] = useState<string | undefined>(undefined);
  const check = (): string | null | undefined => {
    const amount = parseOptionalAmount(text);
    setShownProblem(amount === undefined ? problem : undefined);
    return amount;
  };
  return { text, setText, problem: shownProblem, check };
}

interface OptionalAmountFieldProps {
  readonly label: string;
  readonly amount: ReturnType<typeof useOptionalAmount>;
  /** All of it, formatted: the placeholder. */
  readonly all: string;
  /** What an empty field means. */
  readonly hint: string;
  readonly className: string;
  /** The server's refusal of the amount. */
  readonly serverError: string | undefined;
}

/** The field of useOptionalAmount, focused first. */
export function OptionalAmountField({ label, amount, all, hint, className, serverError }: OptionalAmountFieldProps) {
  return (
    <Field label={label} inputMode="decimal" className={className} value={amount.text} onChange={amount.setText} placeholder={all} hint={hint} error={amount.problem ?? serverError} autoFocus />
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
  const amount = useOptionalAmount('Enter an amount above zero, such as 50.00, or leave it empty for all.');
  const [method, setMethod] = useState<RefundMethod>('bank_transfer');
  const [reference, setReference] = useState('');
  const [reason, setReason] = useState('');
  const submit = useSubmit(async () => {
    const parsed = amount.check();
    if (parsed === undefined) return;
    await onRefund({ ...(parsed === null ? {} : { amount: parsed }), method, reference: reference.trim() === '' ? null : reference.trim(), reason: reason.trim() });
  });
  const apiError = submit.error instanceof ApiError ? submit.error : null;
  return (
    <section className="card card-highlight" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{title}</h2>
      <p className="muted">{format.money(available, currency)} can be paid back. The refund is posted at once against the bank (or the card clearing account).</p>
      <form onSubmit={(event) => void submit.run(event)}>
        <div className="field-grid">
          <OptionalAmountField
            label="Amount to refund"
            className="num-input"
            amount={amount}
            all={format.money(available, currency)}
            hint={`Empty: all ${format.money(available, currency)}.`}
            serverError={apiError?.fieldError('amount')}
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
