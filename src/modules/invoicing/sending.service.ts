import type { Kysely, Selectable } from 'kysely';
import { formatMinor, newId } from '../../kernel';
import type { RequestContext } from '../../platform/auth/actor';
import { recordAudit } from '../../platform/audit/audit';
import { inTransaction, type Executor, type Tx } from '../../platform/db/database';
import type { Database } from '../../platform/db/schema';
import { AppError, invalidValue } from '../../platform/errors/app-error';
import type { Mailer } from '../../platform/mail/mailer';
import { emitEvent } from '../../platform/outbox/outbox';
import { renderInvoicePdf } from './documents/invoice.pdf';
import { documentOf, forEinvoice } from './document-of';
import { checkEn16931, renderUblInvoice, ublFileName, validateUblSchema } from './einvoice';
import type { InvoiceDocument } from './invoice-document';
import type { InvoiceView } from './invoice-view';
import type { InvoiceSendingsTable } from './invoicing.tables';
import { loadInvoice, lockInvoice } from './invoices.service';

/** Tries per sending, and the wait before each retry: a mail server that is down for an hour does not lose an invoice. */
export const maxSendAttempts = 5;
const retryDelaysMinutes = [1, 5, 15, 60];

export interface EinvoiceCheck {
  readonly valid: boolean;
  readonly violations: Array<{ rule: string; message: string }>;
}

/** The UBL schema and o2c's EN 16931 rules, both: what must pass before a document leaves. */
export async function checkDocument(printed: InvoiceDocument): Promise<EinvoiceCheck> {
  const document = forEinvoice(printed);
  const rules = checkEn16931(document).map((violation) => ({ rule: violation.rule, message: violation.message }));
  const schema = await validateUblSchema(renderUblInvoice(document), document.kind);
  const violations = [...rules, ...schema.errors.map((message) => ({ rule: 'UBL-2.1-XSD', message }))];
  return { valid: violations.length === 0, violations };
}

/**
 * Asks for an issued document to be e-mailed (PDF and UBL attached) to the
 * customer's invoice contact or the given address. It is checked first: a document
 * that breaks the UBL schema or an EN 16931 rule is refused with the rules it
 * breaks. The message itself leaves after commit, from the sending job.
 */
export async function requestSending(tx: Tx, context: RequestContext, id: string, input: { recipient?: string | undefined }): Promise<InvoiceView> {
  const tenantId = context.actor.tenantId;
  const row = await lockInvoice(tx, tenantId, id);
  if (row.status !== 'issued') throw new AppError('O2C_STATE_CONFLICT', 'a draft cannot be sent; issue it first');
  const recipient = input.recipient ?? row.customer_email;
  if (recipient === null) {
    throw invalidValue('body.recipient', `customer ${row.customer_number} has no contact for invoices; add a contact with the role "invoices" to the customer, or give a recipient`);
  }
  const check = await checkDocument(await documentOf(tx, tenantId, id));
  if (!check.valid) {
    throw new AppError(
      'O2C_EINVOICE_INVALID',
      `${row.number} cannot be sent: ${check.violations.map((violation) => `${violation.rule}: ${violation.message}`).join('; ')}`,
      check.violations.map((violation) => ({ path: violation.rule, message: violation.message })),
    );
  }
  const sendingId = newId();
  await tx
    .insertInto('invoice_sendings')
    .values({ tenant_id: tenantId, id: sendingId, invoice_id: id, recipient, status: 'queued', max_attempts: maxSendAttempts, next_attempt_at: new Date(), requested_by: context.actor.name })
    .execute();
  // A document once sent stays sent while it is sent again.
  await tx
    .updateTable('invoices')
    .set({ sending_status: row.sending_status === 'sent' ? 'sent' : 'queued', version: row.version + 1, updated_at: new Date() })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
  await recordAudit(tx, context, { action: `${row.kind}.send_requested`, entityType: 'invoice', entityId: id, after: { number: row.number, recipient } });
  await emitEvent(tx, tenantId, { type: 'invoice.send_requested', aggregateType: 'invoice', aggregateId: id, payload: { sendingId, number: row.number, recipient } });
  return loadInvoice(tx, tenantId, id);
}

/** The files a customer receives: the PDF and the UBL e-invoice. */
export async function documentFiles(executor: Executor, tenantId: string, id: string) {
  const document = await documentOf(executor, tenantId, id);
  const pdf = await renderInvoicePdf(document);
  const xml = renderUblInvoice(forEinvoice(document));
  const base = (document.number ?? 'draft').replace(/[^A-Za-z0-9._-]/g, '_');
  return { document, pdf, pdfName: `${base}.pdf`, xml, xmlName: ublFileName(document) };
}

/** A sending taken for one attempt, and the number of that attempt. */
export interface TakenSending {
  readonly sending: Selectable<InvoiceSendingsTable>;
  readonly attemptNo: number;
  /** When the attempt began; a retry is due a delay after it. */
  readonly takenAt: Date;
}

/**
 * How long a taken sending is left alone before the sweep may take it again: longer
 * than the mailer's connection, greeting and socket timeouts together, so an attempt
 * still in flight is never started twice.
 */
export const sendLeaseMinutes = 5;

/** What the mail server answered to one attempt. */
export interface SendOutcome {
  readonly sent: boolean;
  readonly detail: string;
}

/**
 * Works one sending: takes it (a lease: the next try moves forward first, so a
 * crash mid-send retries later instead of losing it), sends the message outside
 * any transaction, then records the attempt and its outcome. A failure retries
 * with growing delays until the attempts run out; then the sending has failed.
 */
export async function deliverSending(db: Kysely<Database>, mailer: Mailer, mailFrom: string, tenantId: string, sendingId: string): Promise<'sent' | 'retry' | 'failed' | 'skipped'> {
  const taken = await inTransaction(db, (tx) => takeSending(tx, tenantId, sendingId));
  if (taken === undefined) return 'skipped';
  const outcome = await sendDocument(db, mailer, mailFrom, tenantId, taken.sending);
  return inTransaction(db, (tx) => recordSendOutcome(tx, tenantId, taken, outcome));
}

/** Takes a queued sending whose next try is due at `now` for one attempt, moving its next try forward (the lease); undefined when there is none. */
export async function takeSending(tx: Tx, tenantId: string, sendingId: string, now: Date = new Date()): Promise<TakenSending | undefined> {
  const sending = await tx
    .selectFrom('invoice_sendings')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', sendingId)
    .where('status', '=', 'queued')
    .where('next_attempt_at', '<=', now)
    .forUpdate()
    .skipLocked()
    .executeTakeFirst();
  if (sending === undefined) return undefined;
  const attemptNo = sending.attempts + 1;
  await tx
    .updateTable('invoice_sendings')
    .set({ attempts: attemptNo, next_attempt_at: new Date(now.getTime() + sendLeaseMinutes * 60_000) })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', sendingId)
    .execute();
  return { sending, attemptNo, takenAt: now };
}

/** Composes the e-mail of a sending (PDF and UBL attached) and hands it to the mail server; a refusal is an outcome, not an error. */
export async function sendDocument(executor: Executor, mailer: Mailer, mailFrom: string, tenantId: string, sending: Selectable<InvoiceSendingsTable>): Promise<SendOutcome> {
  try {
    const files = await documentFiles(executor, tenantId, sending.invoice_id);
    const { document } = files;
    const title = document.kind === 'invoice' ? 'Invoice' : 'Credit note';
    const amount = `${formatMinor(document.totals.grossMinor, document.currency)} ${document.currency}`;
    const lines = [
      `Dear ${document.buyer.name},`,
      '',
      `please find attached our ${title.toLowerCase()} ${document.number} of ${document.issueDate} over ${amount}.`,
      ...(document.kind === 'invoice' && document.dueDate !== null ? [`It is due on ${document.dueDate}. Please quote the payment reference ${document.paymentReference} with your payment.`] : []),
      '',
      'The PDF is for reading; the XML file is the same document as a Peppol BIS Billing 3.0 e-invoice for your accounting system.',
      '',
      document.seller.legalName,
    ];
    const result = await mailer.send({
      from: document.seller.email ?? mailFrom,
      to: sending.recipient,
      subject: `${title} ${document.number} from ${document.seller.legalName}`,
      text: lines.join('\n'),
      attachments: [
        { filename: files.pdfName, contentType: 'application/pdf', content: files.pdf },
        { filename: files.xmlName, contentType: 'application/xml', content: Buffer.from(files.xml, 'utf8') },
      ],
    });
    return { sent: true, detail: `accepted by the mail server: ${result.response}`.slice(0, 1000) };
  } catch (error) {
    return { sent: false, detail: (error instanceof Error ? error.message : String(error)).slice(0, 1000) };
  }
}

/**
 * Records an attempt and its outcome: the sending is sent, failed (its attempts ran
 * out) or stays queued for the retry, and the document's sending status follows.
 */
export async function recordSendOutcome(tx: Tx, tenantId: string, taken: TakenSending, outcome: SendOutcome): Promise<'sent' | 'retry' | 'failed'> {
  const { sending, attemptNo } = taken;
  const sendingId = sending.id;
  const finalFailure = !outcome.sent && attemptNo >= sending.max_attempts;
  const status = outcome.sent ? 'sent' : finalFailure ? 'failed' : 'queued';
  const delay = retryDelaysMinutes[Math.min(attemptNo - 1, retryDelaysMinutes.length - 1)]!;
  await tx
    .insertInto('invoice_send_attempts')
    .values({ tenant_id: tenantId, id: newId(), sending_id: sendingId, invoice_id: sending.invoice_id, attempt_no: attemptNo, recipient: sending.recipient, outcome: outcome.sent ? 'sent' : 'failed', detail: outcome.detail })
    .execute();
  // Only the attempt that still holds the sending decides it: a late answer after the lease ran out is recorded, not obeyed.
  const decided = await tx
    .updateTable('invoice_sendings')
    .set({ status, ...(status === 'queued' ? { next_attempt_at: new Date(taken.takenAt.getTime() + delay * 60_000) } : { finished_at: new Date() }) })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', sendingId)
    .where('status', '=', 'queued')
    .where('attempts', '=', attemptNo)
    .executeTakeFirst();
  if (decided.numUpdatedRows === 0n) return outcome.sent ? 'sent' : 'retry';
  const invoice = await lockInvoice(tx, tenantId, sending.invoice_id);
  // A document once sent stays sent; a later resend that fails does not unsay it.
  const sendingStatus = outcome.sent ? 'sent' : invoice.sending_status === 'sent' ? 'sent' : status === 'failed' ? 'failed' : 'queued';
  await tx.updateTable('invoices').set({ sending_status: sendingStatus, version: invoice.version + 1, updated_at: new Date() }).where('tenant_id', '=', tenantId).where('id', '=', invoice.id).execute();
  if (status !== 'queued') {
    await emitEvent(tx, tenantId, { type: outcome.sent ? 'invoice.sent' : 'invoice.sending_failed', aggregateType: 'invoice', aggregateId: invoice.id, payload: { number: invoice.number, recipient: sending.recipient, attempts: attemptNo, detail: outcome.detail } });
  }
  return outcome.sent ? 'sent' : finalFailure ? 'failed' : 'retry';
}

/** Every sending whose next try is due, oldest first (the sweep behind retries and restarts). */
export async function deliverDueSendings(db: Kysely<Database>, mailer: Mailer, mailFrom: string, limit = 100): Promise<number> {
  const due = await db.selectFrom('invoice_sendings').select(['tenant_id', 'id']).where('status', '=', 'queued').where('next_attempt_at', '<=', new Date()).orderBy('next_attempt_at').limit(limit).execute();
  let worked = 0;
  for (const sending of due) if ((await deliverSending(db, mailer, mailFrom, sending.tenant_id, sending.id)) !== 'skipped') worked += 1;
  return worked;
}
