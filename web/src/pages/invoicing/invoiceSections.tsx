import { HistoryTimeline } from '../../components/HistoryTimeline';
import { useCallback, useEffect, useId, useState } from 'react';
import { getInvoiceHistory, getInvoiceValidation, invoicePdfUrl, type EinvoiceCheck, type HistoryEntry, type Invoice } from '../../api';
import { humanize } from '../../components/Badges';
import { ErrorMessage } from '../../components/ErrorMessage';
import type { Formatters } from '../../format';
import { useFormatters } from '../../session';
import { ViolationList, documentTitle, originLabels } from './invoicingParts';

/** The document as its PDF, shown in the page (same-origin, so the session cookie opens it). */
export function PdfPreview({ invoice }: { readonly invoice: Invoice }) {
  const id = useId();
  const url = invoicePdfUrl(invoice.id);
  return (
    <section className="section" aria-labelledby={`${id}-title`}>
      <div className="list-toolbar">
        <h2 id={`${id}-title`}>PDF preview</h2>
        <a href={url} target="_blank" rel="noopener noreferrer">
          Open the PDF in a new tab
        </a>
      </div>
      {/* A new version reloads the frame: a changed draft prints differently. */}
      <iframe key={invoice.version} className="pdf-preview" src={url} title={`PDF of ${documentTitle(invoice)}`} />
    </section>
  );
}

/** The UBL 2.1 schema and EN 16931 checks: run at once for issued documents, on request for drafts. */
export function EinvoiceCheckSection({ invoice }: { readonly invoice: Invoice }) {
  const id = useId();
  const [requested, setRequested] = useState(false);
  const active = requested || invoice.status === 'issued';
  const [check, setCheck] = useState<EinvoiceCheck | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    if (!active) return;
    let live = true;
    setBusy(true);
    setError(null);
    getInvoiceValidation(invoice.id).then(
      (result) => {
        if (!live) return;
        setCheck(result);
        setBusy(false);
      },
      (failure: unknown) => {
        if (!live) return;
        setError(failure);
        setBusy(false);
      },
    );
    return () => {
      live = false;
    };
  }, [active, invoice.id, invoice.version, generation]);

  return (
    <section className="section" aria-labelledby={`${id}-title`}>
      <div className="list-toolbar">
        <h2 id={`${id}-title`}>E-invoice check</h2>
        <button
          type="button"
          className="secondary"
          disabled={busy}
          onClick={() => {
            setRequested(true);
            setGeneration((value) => value + 1);
          }}
        >
          {check === null ? 'Check now' : 'Check again'}
        </button>
      </div>
      <p className="muted small">The UBL 2.1 schema and the EN 16931 rules (Peppol BIS Billing 3.0) the e-invoice must meet before it is sent.</p>
      <div aria-live="polite">
        {busy ? (
          <p className="loading" role="status">
            Checking…
          </p>
        ) : check === null ? (
          active ? null : <p className="muted">A draft is checked on request; it is checked again when it is sent.</p>
        ) : check.valid ? (
          <p className="message message-success" data-testid="einvoice-check">
            The e-invoice is valid: it meets the UBL 2.1 schema and every EN 16931 rule checked.
          </p>
        ) : (
          <div className="message message-warning" data-testid="einvoice-check">
            <p>The e-invoice breaks {check.violations.length === 1 ? 'a rule' : `${check.violations.length} rules`}:</p>
            <ViolationList violations={check.violations} />
          </div>
        )}
      </div>
      <ErrorMessage error={error} />
    </section>
  );
}

/** Every attempt to e-mail the document, oldest first. */
export function SendingAttempts({ invoice, onRefresh }: { readonly invoice: Invoice; readonly onRefresh: () => void }) {
  const id = useId();
  const format = useFormatters();
  return (
    <section className="section" aria-labelledby={`${id}-title`}>
      <div className="list-toolbar">
        <h2 id={`${id}-title`}>Sending</h2>
        {invoice.sendingStatus === 'queued' ? (
          <button type="button" className="secondary" onClick={onRefresh}>
            Refresh
          </button>
        ) : null}
      </div>
      {invoice.sendingAttempts.length === 0 ? (
        <p className="muted">{invoice.sendingStatus === 'queued' ? 'Waiting to be sent.' : 'Not sent yet.'}</p>
      ) : (
        <div className="table-wrap">
          <table role="table">
            <caption className="visually-hidden">Sending attempts</caption>
            <thead role="rowgroup">
              <tr role="row">
                <th scope="col" role="columnheader">#</th>
                <th scope="col" role="columnheader">When</th>
                <th scope="col" role="columnheader">Recipient</th>
                <th scope="col" role="columnheader">Outcome</th>
                <th scope="col" role="columnheader">Detail</th>
              </tr>
            </thead>
            <tbody role="rowgroup">
              {invoice.sendingAttempts.map((attempt) => (
                <tr role="row" key={`${attempt.attemptNo}-${attempt.attemptedAt}`}>
                  <td role="cell" data-label="Attempt">{attempt.attemptNo}</td>
                  <td role="cell" data-label="When" className="nowrap">{format.instant(attempt.attemptedAt)}</td>
                  <td role="cell" data-label="Recipient">{attempt.recipient}</td>
                  <td role="cell" data-label="Outcome">
                    <span className={`badge ${attempt.outcome === 'sent' ? 'badge-good' : 'badge-bad'}`}>{attempt.outcome === 'sent' ? 'Sent' : 'Failed'}</span>
                  </td>
                  <td role="cell" data-label="Detail" className="small">{attempt.detail}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

const historyLabels: Record<string, string> = {
  'invoice.drafted': 'Draft created',
  'invoice.draft_changed': 'Draft changed',
  'invoice.issued': 'Issued',
  'credit_note.issued': 'Issued',
  'invoice.send_requested': 'Sending requested',
  'credit_note.send_requested': 'Sending requested',
  'invoice.credited': 'Credit note issued against it',
  'invoice.corrected': 'Corrected',
  'invoice.payment_applied': 'Payment applied',
  'invoice.application_undone': 'Application undone',
  'credit_note.applied': 'Credit applied to invoices',
  'credit_note.refunded': 'Credit refunded',
  'application.undone': 'Application undone',
  'invoice.write_off_requested': 'Write-off requested',
  'invoice.written_off': 'Written off',
  'invoice.write_off_rejected': 'Write-off rejected',
};

function historyLabel(action: string): string {
  return historyLabels[action] ?? humanize(action.replace(/^(invoice|credit_note)\./, ''));
}

/** A few words on what an entry recorded. */
function historyFacts(entry: HistoryEntry, format: Formatters, currency: string): string[] {
  const record = entry.after !== null && typeof entry.after === 'object' ? (entry.after as Record<string, unknown>) : {};
  const facts: string[] = [];
  const text = (name: string) => (typeof record[name] === 'string' ? (record[name] as string) : undefined);
  if (text('number') !== undefined) facts.push(text('number')!);
  if (text('origin') !== undefined) facts.push((originLabels[text('origin')!] ?? humanize(text('origin')!)).toLowerCase());
  if (Array.isArray(record.orders)) facts.push(`orders ${record.orders.filter((order): order is string => typeof order === 'string').join(', ')}`);
  if (typeof record.lines === 'number') facts.push(`${record.lines} ${record.lines === 1 ? 'line' : 'lines'}`);
  if (typeof record.removedLines === 'number' && record.removedLines > 0) facts.push(`${record.removedLines} ${record.removedLines === 1 ? 'line' : 'lines'} removed`);
  if (text('issueDate') !== undefined) facts.push(`dated ${format.date(text('issueDate'))}`);
  if (text('gross') !== undefined) facts.push(`total ${format.money(text('gross'), currency)}`);
  if (text('recipient') !== undefined) facts.push(`to ${text('recipient')}`);
  if (text('creditNote') !== undefined) facts.push(`credit note ${text('creditNote')}`);
  if (text('from') !== undefined) facts.push(`from ${text('from')}`);
  if (text('invoice') !== undefined) facts.push(text('invoice')!);
  if (text('refund') !== undefined) facts.push(`refund ${text('refund')}`);
  if (text('amount') !== undefined) facts.push(format.money(text('amount'), text('currency') ?? currency));
  if (text('discount') !== undefined && /[1-9]/.test(text('discount')!)) facts.push(`discount ${format.money(text('discount'), currency)}`);
  if (text('difference') !== undefined && /[1-9]/.test(text('difference')!)) facts.push(`difference ${format.money(text('difference'), currency)}`);
  if (Array.isArray(record.applied)) {
    for (const applied of record.applied as Array<Record<string, unknown>>) {
      if (typeof applied.invoice === 'string' && typeof applied.amount === 'string') facts.push(`${applied.invoice} ${format.money(applied.amount, typeof applied.currency === 'string' ? applied.currency : currency)}`);
    }
  }
  if (text('requestedBy') !== undefined) facts.push(`asked by ${text('requestedBy')}`);
  if (text('open') !== undefined) facts.push(`${format.money(text('open'), currency)} open`);
  if (text('creditItem') !== undefined && text('creditItem') !== '0.00') facts.push(`${format.money(text('creditItem'), currency)} left as credit`);
  if (text('reason') !== undefined) facts.push(`reason: “${text('reason')}”`);
  if (text('notes') !== undefined) facts.push(`notes: “${text('notes')}”`);
  if (text('note') !== undefined) facts.push(`note: “${text('note')}”`);
  return facts;
}

export function InvoiceHistory({ invoice }: { readonly invoice: Invoice }) {
  const format = useFormatters();
  const load = useCallback(() => getInvoiceHistory(invoice.id), [invoice.id]);
  return (
    <HistoryTimeline
      load={load}
      label={`History of ${documentTitle(invoice)}, oldest first`}
      describe={(entry) => historyLabel(entry.action)}
      facts={(entry) => historyFacts(entry, format, invoice.currency)}
    />
  );
}
