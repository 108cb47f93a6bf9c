import { Link, useSearchParams } from 'react-router-dom';
import { ApiError, type EinvoiceCheck, type InvoiceKind, type InvoiceListItem, type RelatedInvoice } from '../../api';
import { humanize } from '../../components/Badges';
import { compareDecimal } from '../../decimal';
import { describeError } from '../../components/ErrorMessage';
import { SaveError } from '../../components/SaveError';
import { useFormatters } from '../../session';

export const invoicingTabs = [
  { to: '/invoicing', label: 'Ready to invoice', end: true },
  { to: '/invoices', label: 'Invoices & credit notes' },
];

const kindLabels: Record<InvoiceKind, string> = { invoice: 'Invoice', credit_note: 'Credit note' };

export const kindLabel = (kind: string) => kindLabels[kind as InvoiceKind] ?? humanize(kind);

/** "Invoice INV-2026-000001", "Draft credit note". */
export function documentTitle(document: Pick<InvoiceListItem, 'kind' | 'number'>): string {
  const kind = kindLabel(document.kind);
  return document.number === null ? `Draft ${kind.toLowerCase()}` : `${kind} ${document.number}`;
}

export const sendingLabels: Record<string, string> = { not_sent: 'Not sent', queued: 'Sending', sent: 'Sent', failed: 'Sending failed' };

const paymentLabels: Record<InvoiceKind, Record<string, string>> = {
  invoice: { open: 'Unpaid', partially_paid: 'Partly paid', paid: 'Paid' },
  credit_note: { open: 'Credit open', partially_paid: 'Credit partly used', paid: 'Credit used' },
};

export const paymentFilterLabels: Record<string, string> = { open: 'Unpaid / credit open', partially_paid: 'Partly paid', paid: 'Paid / used' };

export const originLabels: Record<string, string> = { automatic: 'Automatic', manual: 'Manual', correction: 'Correction', credit: 'Credit' };

export function DocumentStatusBadge({ status }: { readonly status: string }) {
  return status === 'draft' ? <span className="badge badge-neutral">Draft</span> : <span className="badge badge-info">{humanize(status)}</span>;
}

export function SendingBadge({ status }: { readonly status: string }) {
  const tone = status === 'sent' ? 'good' : status === 'failed' ? 'bad' : status === 'queued' ? 'info' : 'neutral';
  return <span className={`badge badge-outline badge-${tone}`}>{sendingLabels[status] ?? humanize(status)}</span>;
}

/**
 * Paid, partly paid or unpaid; nothing open and nothing paid means credited (invoice) or applied (credit note).
 * The server calls an invoice with nothing open "paid" however it was settled: one credited in full
 * (credited equals its total, when the document tells) shows as credited.
 */
export function PaymentBadge({ kind, status, open, gross, credited }: { readonly kind: string; readonly status: string; readonly open: string; readonly gross?: string; readonly credited?: string }) {
  const nothingOpen = compareDecimal(open, '0') === 0;
  const creditedInFull = kind === 'invoice' && gross !== undefined && credited !== undefined && compareDecimal(gross, '0') > 0 && compareDecimal(credited, gross) >= 0;
  if (nothingOpen && (status === 'open' || creditedInFull)) {
    return <span className="badge badge-good">{kind === 'credit_note' ? 'Applied' : 'Credited'}</span>;
  }
  const tone = status === 'paid' ? 'good' : status === 'partially_paid' ? 'warn' : 'neutral';
  return <span className={`badge badge-${tone}`}>{paymentLabels[kind as InvoiceKind]?.[status] ?? humanize(status)}</span>;
}

/** The state of a document as badges: draft, or issued with its sending, payment and overdue state. */
export function InvoiceBadges({ document }: { readonly document: Pick<InvoiceListItem, 'kind' | 'status' | 'sendingStatus' | 'paymentStatus' | 'overdue' | 'open' | 'gross'> & { readonly credited?: string } }) {
  if (document.status === 'draft') return <DocumentStatusBadge status="draft" />;
  return (
    <span className="badge-group">
      <DocumentStatusBadge status={document.status} />
      <SendingBadge status={document.sendingStatus} />
      <PaymentBadge kind={document.kind} status={document.paymentStatus} open={document.open} gross={document.gross} credited={document.credited} />
      {document.overdue ? <span className="badge badge-bad">Overdue</span> : null}
    </span>
  );
}

/** A link to a related invoice or credit note with its date and total. */
export function RelatedLink({ document, currency }: { readonly document: RelatedInvoice; readonly currency: string }) {
  const format = useFormatters();
  return (
    <>
      <Link to={`/invoices/${document.id}`}>{documentTitle(document)}</Link>{' '}
      <span className="muted small">
        {document.issueDate === null ? 'not issued' : format.date(document.issueDate)} · {format.money(document.gross, currency)}
      </span>
    </>
  );
}

/** The EN 16931 and UBL rules a document breaks, one per line. */
export function ViolationList({ violations }: { readonly violations: EinvoiceCheck['violations'] }) {
  return (
    <ul className="violations">
      {violations.map((violation, index) => (
        <li key={`${violation.rule}-${index}`}>
          <code>{violation.rule}</code> {violation.message}
        </li>
      ))}
    </ul>
  );
}

/**
 * A refusal. An e-invoice the checks refuse lists the rules it breaks instead of one long sentence; a business
 * refusal (too much credited, nothing to invoice) keeps its explanation while its fields are marked too.
 */
export function InvoiceActionError({ error, shownFields = [], onReload }: { readonly error: unknown; readonly shownFields?: readonly string[]; readonly onReload?: () => void }) {
  if (error instanceof ApiError && error.code === 'O2C_EINVOICE_INVALID') {
    return (
      <div className="message message-error" role="alert">
        <p>The e-invoice breaks {error.fieldErrors.length === 1 ? 'a rule' : `${error.fieldErrors.length} rules`} of EN 16931 or UBL and cannot be sent:</p>
        <ViolationList violations={error.fieldErrors.map((issue) => ({ rule: issue.path, message: issue.message }))} />
      </div>
    );
  }
  if (error instanceof ApiError && error.status === 422 && error.fieldErrors.length > 0) {
    return (
      <div className="message message-error" role="alert">
        <p>{describeError(error)}</p>
      </div>
    );
  }
  return <SaveError error={error} shownFields={shownFields} onReload={onReload} noun="this document" />;
}

/** The page's filter in its address: read a parameter, change several at once (empty removes). */
export function useQueryParams() {
  const [params, setParams] = useSearchParams();
  const get = (name: string) => params.get(name) ?? undefined;
  const set = (changes: Record<string, string | undefined>) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        for (const [name, value] of Object.entries(changes)) {
          if (value === undefined || value === '') next.delete(name);
          else next.set(name, value);
        }
        return next;
      },
      { replace: true },
    );
  const clear = () => setParams({}, { replace: true });
  /** The parameter when it is one of the options. */
  const oneOf = <T extends string>(name: string, options: readonly T[]): T | undefined => options.find((option) => option === params.get(name));
  return { get, set, clear, oneOf };
}


/** Invoices and credit notes as a table: document, customer, dates, status badges, total and what is open. */
export function InvoicesTable({ invoices, caption, empty, showCustomer = true }: { readonly invoices: readonly InvoiceListItem[]; readonly caption: string; readonly empty: string | null; readonly showCustomer?: boolean }) {
  const format = useFormatters();
  return (
    <div className="table-wrap">
      <table role="table">
        <caption className="visually-hidden">{caption}</caption>
        <thead role="rowgroup">
          <tr role="row">
            <th scope="col" role="columnheader">Document</th>
            {showCustomer ? <th scope="col" role="columnheader">Customer</th> : null}
            <th scope="col" role="columnheader">Issued</th>
            <th scope="col" role="columnheader">Due</th>
            <th scope="col" role="columnheader">Status</th>
            <th scope="col" role="columnheader" className="num">Total</th>
            <th scope="col" role="columnheader" className="num">Open</th>
          </tr>
        </thead>
        <tbody role="rowgroup">
          {invoices.map((invoice) => (
            <tr role="row" key={invoice.id} data-testid={`invoice-${invoice.number ?? invoice.id}`}>
              <td role="cell" data-label="Document">
                <Link to={`/invoices/${invoice.id}`}>{invoice.number ?? documentTitle(invoice)}</Link>
                <div className="muted small">{invoice.number === null ? `created ${format.instant(invoice.createdAt)}` : kindLabel(invoice.kind)}</div>
              </td>
              {showCustomer ? (
                <td role="cell" data-label="Customer">
                  <Link to={`/customers/${invoice.customer.id}`}>{invoice.customer.name}</Link> <span className="muted small">{invoice.customer.number}</span>
                </td>
              ) : null}
              <td role="cell" data-label="Issued" className="nowrap">{format.date(invoice.issueDate)}</td>
              <td role="cell" data-label="Due" className={invoice.overdue ? 'nowrap text-danger strong' : 'nowrap'}>
                {format.date(invoice.dueDate)}
              </td>
              <td role="cell" data-label="Status">
                <InvoiceBadges document={invoice} />
              </td>
              <td role="cell" data-label="Total" className="num strong">{format.money(invoice.gross, invoice.currency)}</td>
              <td role="cell" data-label="Open" className="num">{invoice.status === 'draft' ? '—' : format.money(invoice.open, invoice.currency)}</td>
            </tr>
          ))}
          {invoices.length === 0 && empty !== null ? (
            <tr role="row">
              <td role="cell" colSpan={showCustomer ? 7 : 6} className="empty">
                {empty}
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
    </div>
  );
}
