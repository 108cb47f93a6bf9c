import { useCallback, useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { allows } from '../../access';
import { ActionKey, correctInvoice, deleteInvoiceDraft, getInvoice, invoicePdfUrl, invoiceUblUrl, issueInvoice, refundCreditNote, type Invoice, type InvoiceLine } from '../../api';
import { DetailFallback } from '../../components/DetailFallback';
import { Fact } from '../../components/Fact';
import { PostalAddress } from '../../components/PostalAddress';
import { ReasonPanel } from '../../components/ReasonPanel';
import { SectionTabs } from '../../components/SectionTabs';
import { compareDecimal } from '../../decimal';
import { useFormatters, useMe } from '../../session';
import { useArrival } from '../../useArrival';
import { useLoad } from '../../useLoad';
import { usePageTitle } from '../../usePageTitle';
import { UnitLabel } from '../../units';
import { TaxLabel, TotalsBox, taxCategoryName } from '../orders/orderParts';
import { RefundPanel } from '../payments/paymentParts';
import { ConfirmPanel, CreditNotePanel, EditDraftPanel, SendPanel } from './invoicePanels';
import { CreditApplyPanel, InvoicePaymentsSection, WriteOffRequestPanel } from './invoicePayments';
import { EinvoiceCheckSection, InvoiceHistory, PdfPreview, SendingAttempts } from './invoiceSections';
import { InvoiceBadges, RelatedLink, documentTitle, invoicingTabs, kindLabel, originLabels } from './invoicingParts';

interface DetailState {
  readonly notice?: string;
}

export function InvoiceDetailPage() {
  const { invoiceId = '' } = useParams();
  // Another document (a related one, the draft of a correction) starts afresh: its own load, notice and panels.
  return <InvoiceDetail key={invoiceId} invoiceId={invoiceId} />;
}

function InvoiceDetail({ invoiceId }: { readonly invoiceId: string }) {
  const invoice = useLoad(useCallback(() => getInvoice(invoiceId), [invoiceId]));
  usePageTitle(invoice.data === null ? 'Invoice' : documentTitle(invoice.data));
  const arrival = useArrival<DetailState>();

  if (invoice.data === null) {
    return <DetailFallback error={invoice.error} loadingText="Loading invoice…" title="Invoice" backTo="/invoices" backLabel="Back to invoices" />;
  }
  return <InvoiceView invoice={invoice.data} onChanged={invoice.set} onReload={invoice.reload} arrivalNotice={arrival.notice ?? null} />;
}

type Panel = 'edit' | 'issue' | 'delete' | 'send' | 'credit' | 'correct' | 'writeOff' | 'applyCredit' | 'refundCredit' | null;

interface Notice {
  readonly text: string;
  readonly link?: { readonly to: string; readonly label: string };
}

interface InvoiceViewProps {
  readonly invoice: Invoice;
  readonly onChanged: (invoice: Invoice) => void;
  readonly onReload: () => void;
  readonly arrivalNotice: string | null;
}

function InvoiceView({ invoice, onChanged, onReload, arrivalNotice }: InvoiceViewProps) {
  const me = useMe();
  const format = useFormatters();
  const navigate = useNavigate();
  const canBill = allows(me.actor.roles, 'issueInvoices');
  const actions = canBill ? invoice.availableActions : [];
  const [panel, setPanel] = useState<Panel>(null);
  const [notice, setNotice] = useState<Notice | null>(arrivalNotice === null ? null : { text: arrivalNotice });
  const [issueKey] = useState(() => new ActionKey());
  const [correctKey] = useState(() => new ActionKey());
  const [refundKey] = useState(() => new ActionKey());
  // Write-offs and applications change without always changing the document: the payments section loads afresh after each.
  const [paymentsRound, setPaymentsRound] = useState(0);
  const canRecordPayment = allows(me.actor.roles, 'recordPayments');
  const somethingOpen = invoice.status === 'issued' && compareDecimal(invoice.open, '0') > 0;
  const canRequestWriteOff = invoice.kind === 'invoice' && somethingOpen && allows(me.actor.roles, 'requestWriteOffs');
  const canUseCredit = invoice.kind === 'credit_note' && somethingOpen && canRecordPayment;
  const heading = useRef<HTMLHeadingElement>(null);
  const title = documentTitle(invoice);
  const noun = kindLabel(invoice.kind).toLowerCase();

  const done = (next: Invoice, message: Notice) => {
    onChanged(next);
    setPanel(null);
    setNotice(message);
    heading.current?.focus();
  };

  /** After an action whose result is loaded again: the panel closes, the notice shows (and the payments section loads afresh). */
  const reloadAfter = (message: Notice, paymentsChanged = false) => {
    setPanel(null);
    setNotice(message);
    if (paymentsChanged) setPaymentsRound((round) => round + 1);
    onReload();
    heading.current?.focus();
  };

  const toggle = (next: Panel) => {
    setNotice(null);
    setPanel(panel === next ? null : next);
  };

  const panelButton = (target: Panel, label: string, className?: string) => (
    <button type="button" className={className} onClick={() => toggle(target)} aria-expanded={panel === target}>
      {label}
    </button>
  );

  const actionButton = (action: string, target: Panel, label: string, className?: string) => (actions.includes(action) ? panelButton(target, label, className) : null);

  const items = invoice.lines.filter((line) => line.kind === 'item');
  const charges = invoice.lines.filter((line) => line.kind === 'charge');

  return (
    <>
      <SectionTabs label="Invoicing" links={invoicingTabs} />
      <p className="breadcrumb">
        <Link to={invoice.kind === 'credit_note' ? '/invoices?view=credit-notes' : invoice.status === 'draft' ? '/invoices?view=drafts' : '/invoices'}>
          {invoice.kind === 'credit_note' ? 'Credit notes' : invoice.status === 'draft' ? 'Drafts' : 'Invoices'}
        </Link>{' '}
        › {invoice.number ?? 'Draft'}
      </p>
      <div className="page-heading">
        <h1 ref={heading} tabIndex={-1}>
          {title}
        </h1>
        <div className="actions">
          {actionButton('issue', 'issue', 'Issue')}
          {actionButton('update', 'edit', 'Edit draft', 'secondary')}
          {actionButton('send', 'send', invoice.sendingStatus === 'not_sent' ? 'Send' : 'Send again', invoice.sendingStatus === 'not_sent' ? undefined : 'secondary')}
          {actionButton('credit', 'credit', 'Credit note', 'secondary')}
          {actionButton('correct', 'correct', 'Correct', 'secondary')}
          {actionButton('delete', 'delete', 'Delete draft', 'danger')}
          {canUseCredit ? (
            <>
              {panelButton('applyCredit', 'Apply to invoices')}
              {panelButton('refundCredit', 'Refund', 'secondary')}
            </>
          ) : null}
          {canRequestWriteOff ? panelButton('writeOff', 'Request write-off', 'secondary') : null}
        </div>
      </div>

      <div className="status-line">
        <span className="label-inline">Status</span> <InvoiceBadges document={invoice} />
        <span className="badge badge-outline badge-neutral">{originLabels[invoice.origin] ?? invoice.origin}</span>
        <span className="muted small">version {invoice.version}</span>
      </div>

      <nav className="actions documents-bar" aria-label="Documents">
        <a className="button secondary" href={invoicePdfUrl(invoice.id)} target="_blank" rel="noopener noreferrer">
          Open PDF
        </a>
        <a className="button secondary" href={invoiceUblUrl(invoice.id)} download={`${invoice.number ?? 'draft'}.xml`}>
          Download e-invoice (UBL XML)
        </a>
      </nav>

      {notice === null ? null : (
        <p className="message message-success" role="status">
          {notice.text}
          {notice.link === undefined ? null : (
            <>
              {' '}
              <Link to={notice.link.to}>{notice.link.label}</Link>
            </>
          )}
        </p>
      )}
      {invoice.status === 'draft' ? (
        <p className="message message-info" role="note">
          A draft has no number yet and is not posted. Issuing gives it its number, due date and payment reference and fixes it; after that only a credit note or a correction changes it.
        </p>
      ) : null}

      {panel === 'edit' ? <EditDraftPanel invoice={invoice} onClose={() => setPanel(null)} onReload={onReload} onDone={(next) => done(next, { text: 'Draft saved.' })} /> : null}
      {panel === 'issue' ? (
        <ConfirmPanel
          title={`Issue this ${noun}?`}
          description="It gets the next number in the series, its due date and payment reference, and is posted to the ledger. Issued documents are never changed or deleted."
          confirmLabel={`Issue ${noun}`}
          onConfirm={async () => {
            const issued = await issueKey.run({ issue: invoice.id }, (key) => issueInvoice(invoice.id, key));
            done(issued, { text: `${documentTitle(issued)} issued, due ${format.date(issued.dueDate)}.` });
          }}
          onClose={() => setPanel(null)}
          onReload={onReload}
        />
      ) : null}
      {panel === 'delete' ? (
        <ConfirmPanel
          title="Delete this draft?"
          description="The draft is removed; what it billed is ready to invoice again."
          confirmLabel="Delete draft"
          danger
          onConfirm={async () => {
            await deleteInvoiceDraft(invoice.id, invoice.version);
            void navigate('/invoicing', { state: { notice: `The draft ${noun} for ${invoice.customer.name} was deleted; what it billed is ready to invoice again.` } });
          }}
          onClose={() => setPanel(null)}
          onReload={onReload}
        />
      ) : null}
      {panel === 'send' ? <SendPanel invoice={invoice} onClose={() => setPanel(null)} onDone={(next, recipient) => done(next, { text: `${documentTitle(next)} is on its way to ${recipient}.` })} /> : null}
      {panel === 'credit' ? (
        <CreditNotePanel
          invoice={invoice}
          onClose={() => setPanel(null)}
          onDone={(creditNote) =>
            reloadAfter({ text: `${documentTitle(creditNote)} issued for ${format.money(creditNote.gross, creditNote.currency)}.`, link: { to: `/invoices/${creditNote.id}`, label: `Open ${creditNote.number ?? 'the credit note'}` } })
          }
        />
      ) : null}
      {panel === 'correct' ? (
        <ReasonPanel
          title={`Correct ${title}?`}
          description={`${invoice.number ?? 'The invoice'} is credited in full by a new credit note, and a new draft with the same lines opens for you to change and issue.`}
          confirmLabel="Credit and open a corrected draft"
          reasonLabel="What is being corrected"
          onConfirm={async (reason) => {
            const result = await correctKey.run({ correct: invoice.id, reason }, (key) => correctInvoice(invoice.id, reason, key));
            void navigate(`/invoices/${result.draft.id}`, {
              state: { notice: `${invoice.number ?? 'The invoice'} was credited in full by ${result.creditNote.number ?? 'a credit note'}. This draft carries the same lines: change what was wrong, then issue it.` },
            });
          }}
          onClose={() => setPanel(null)}
        />
      ) : null}

      {panel === 'writeOff' ? (
        <WriteOffRequestPanel
          invoice={invoice}
          onClose={() => setPanel(null)}
          onDone={(writeOff) =>
            reloadAfter({ text: `Write-off of ${format.money(writeOff.amount, writeOff.currency)} requested; it waits for another person's decision.`, link: { to: '/write-offs?status=requested', label: 'Write-offs waiting' } }, true)
          }
        />
      ) : null}
      {panel === 'applyCredit' ? (
        <CreditApplyPanel
          creditNote={invoice}
          onClose={() => setPanel(null)}
          onDone={(open, count) => reloadAfter({ text: `Credit applied to ${count === 1 ? '1 invoice' : `${count} invoices`}; ${format.money(open, invoice.currency)} of credit is left.` }, true)}
        />
      ) : null}
      {panel === 'refundCredit' ? (
        <RefundPanel
          title={`Refund the credit of ${title}`}
          available={invoice.open}
          currency={invoice.currency}
          onClose={() => setPanel(null)}
          onRefund={async (body) => {
            const refund = await refundKey.run({ refund: invoice.id, body }, (key) => refundCreditNote(invoice.id, body, key));
            reloadAfter({ text: `Refund ${refund.number} of ${format.money(refund.amount, refund.currency)} paid back.` });
          }}
        />
      ) : null}

      <div className="cards">
        <DocumentFacts invoice={invoice} />
        <section className="card" aria-labelledby="invoice-bill-to-heading">
          <h2 id="invoice-bill-to-heading">Bill to</h2>
          <dl className="details">
            <dt>Customer</dt>
            <dd>
              <Link to={`/customers/${invoice.customer.id}`}>{invoice.customer.name}</Link> <span className="muted">{invoice.customer.number}</span>
            </dd>
            <dt>Address</dt>
            <dd>
              <PostalAddress address={{ name: invoice.customer.legalName, ...invoice.customer.billingAddress }} />
            </dd>
            <dt>VAT ID</dt>
            <dd>{invoice.customer.vatId ?? '—'}</dd>
            <dt>Invoice e-mail</dt>
            <dd>{invoice.customer.email ?? <span className="muted">none on file</span>}</dd>
            {invoice.deliverTo === null ? null : (
              <>
                <dt>Deliver to</dt>
                <dd>
                  <PostalAddress address={invoice.deliverTo} />
                </dd>
              </>
            )}
          </dl>
        </section>
        <PaymentFacts invoice={invoice} />
      </div>

      <RelatedDocuments invoice={invoice} />
      {invoice.status === 'issued' ? (
        <InvoicePaymentsSection
          key={`${invoice.version}-${invoice.open}-${paymentsRound}`}
          invoice={invoice}
          canRecordPayment={canRecordPayment}
          onChanged={(text) => {
            setNotice({ text });
            setPaymentsRound((round) => round + 1);
            onReload();
          }}
        />
      ) : null}

      <section className="section" aria-labelledby="invoice-lines-heading">
        <div className="list-toolbar">
          <h2 id="invoice-lines-heading">Lines</h2>
          <span className="muted small">{items.length === 1 ? '1 line' : `${items.length} lines`}</span>
        </div>
        {items.length === 0 ? <p className="muted">No lines.</p> : <LinesTable lines={items} currency={invoice.currency} />}
      </section>

      <div className="order-bottom">
        <div>
          <section className="section" aria-labelledby="invoice-charges-heading">
            <h2 id="invoice-charges-heading">Charges</h2>
            {charges.length === 0 ? <p className="muted">No charges.</p> : <ChargesTable charges={charges} currency={invoice.currency} />}
          </section>
          <TaxBreakdown invoice={invoice} />
          {invoice.notes === null ? null : (
            <section className="section" aria-labelledby="invoice-notes-heading">
              <h2 id="invoice-notes-heading">Notes</h2>
              <p className="notes">{invoice.notes}</p>
            </section>
          )}
        </div>
        <TotalsBox
          totals={{ linesNet: invoice.linesNet, orderDiscount: invoice.allowances, charges: invoice.charges, taxable: invoice.taxable, tax: invoice.tax, gross: invoice.gross }}
          taxBreakdown={[]}
          currency={invoice.currency}
        />
      </div>

      <PdfPreview invoice={invoice} />
      <EinvoiceCheckSection invoice={invoice} />
      {invoice.status === 'issued' ? <SendingAttempts invoice={invoice} onRefresh={onReload} /> : null}

      <section className="section" aria-labelledby="invoice-history-heading">
        <h2 id="invoice-history-heading">History</h2>
        <InvoiceHistory key={invoice.version} invoice={invoice} />
      </section>
    </>
  );
}

function DocumentFacts({ invoice }: { readonly invoice: Invoice }) {
  const me = useMe();
  const format = useFormatters();
  return (
    <section className="card" aria-labelledby="invoice-document-heading">
      <h2 id="invoice-document-heading">{kindLabel(invoice.kind)}</h2>
      <dl className="details">
        <Fact term="Number">{invoice.number ?? <span className="muted">given on issue</span>}</Fact>
        <Fact term="Issue date">{invoice.issueDate === null ? <span className="muted">the day it is issued</span> : format.date(invoice.issueDate)}</Fact>
        <Fact term="Delivery date">{format.date(invoice.deliveryDate)}</Fact>
        <Fact term="Buyer reference">{invoice.buyerReference ?? '—'}</Fact>
        {invoice.creditReason === null ? null : <Fact term="Reason">“{invoice.creditReason}”</Fact>}
        {invoice.issuedAt === null ? null : (
          <Fact term="Issued">
            {format.instant(invoice.issuedAt)}
            {invoice.issuedBy === null ? null : <> by {invoice.issuedBy}</>}
          </Fact>
        )}
        {invoice.journalEntryId === null ? null : (
          <Fact term="Posting">{allows(me.actor.roles, 'readLedger') ? <Link to={`/ledger/journal/${invoice.journalEntryId}`}>Journal entry</Link> : 'Posted'}</Fact>
        )}
        <Fact term="Created">{format.instant(invoice.createdAt)}</Fact>
      </dl>
    </section>
  );
}

function PaymentFacts({ invoice }: { readonly invoice: Invoice }) {
  const format = useFormatters();
  const terms = invoice.paymentTerms;
  const isInvoice = invoice.kind === 'invoice';
  return (
    <section className="card" aria-labelledby="invoice-payment-heading">
      <h2 id="invoice-payment-heading">{isInvoice ? 'Payment' : 'Credit'}</h2>
      <dl className="details">
        {isInvoice ? (
          <>
            <Fact term="Terms">
              {terms.name} <span className="muted small">{terms.code}</span>
            </Fact>
            <Fact term="Due date">
              {invoice.dueDate === null ? <span className="muted">set on issue</span> : <span className={invoice.overdue ? 'text-danger strong' : undefined}>{format.date(invoice.dueDate)}</span>}
            </Fact>
            {terms.discountPercent === null ? null : (
              <Fact term="Early payment">
                {format.percent(terms.discountPercent)} discount
                {invoice.discountDeadline === null ? <> within {terms.discountDays} days</> : <> until {format.date(invoice.discountDeadline)}</>}
                {invoice.discountAmount === null ? null : <div className="muted small">{format.money(invoice.discountAmount, invoice.currency)} off when paid in time</div>}
              </Fact>
            )}
            <Fact term="Payment reference">{invoice.paymentReference === null ? <span className="muted">set on issue</span> : <code className="payment-reference">{invoice.paymentReference}</code>}</Fact>
          </>
        ) : null}
        <Fact term="Total">{format.money(invoice.gross, invoice.currency)}</Fact>
        {invoice.status === 'issued' ? (
          <>
            {isInvoice && compareDecimal(invoice.credited, '0') !== 0 ? <Fact term="Credited">{format.money(invoice.credited, invoice.currency)}</Fact> : null}
            <Fact term={isInvoice ? 'Open' : 'Credit open'}>
              <strong>{format.money(invoice.open, invoice.currency)}</strong>
            </Fact>
          </>
        ) : null}
        {invoice.currency === invoice.baseCurrency ? null : (
          <>
            <Fact term="Exchange rate">{invoice.exchangeRate === null ? <span className="muted">set on issue</span> : `1 ${invoice.currency} = ${format.quantity(invoice.exchangeRate)} ${invoice.baseCurrency}`}</Fact>
            {invoice.taxInBaseCurrency === null ? null : <Fact term={`VAT in ${invoice.baseCurrency}`}>{format.money(invoice.taxInBaseCurrency, invoice.baseCurrency)}</Fact>}
          </>
        )}
      </dl>
    </section>
  );
}

function RelatedDocuments({ invoice }: { readonly invoice: Invoice }) {
  const entries: Array<{ key: string; label: string; document: Invoice['creditNotes'][number] }> = [
    ...(invoice.creditedInvoice === null ? [] : [{ key: 'credited', label: 'Credits', document: invoice.creditedInvoice }]),
    ...(invoice.corrects === null ? [] : [{ key: 'corrects', label: 'Corrects', document: invoice.corrects }]),
    ...invoice.creditNotes.map((document) => ({ key: `credit-${document.id}`, label: 'Credit note', document })),
    ...invoice.correctedBy.map((document) => ({ key: `correction-${document.id}`, label: 'Corrected by', document })),
  ];
  if (entries.length === 0) return null;
  return (
    <section className="section" aria-labelledby="invoice-related-heading">
      <h2 id="invoice-related-heading">Related documents</h2>
      <ul className="related-list" aria-labelledby="invoice-related-heading">
        {entries.map((entry) => (
          <li key={entry.key}>
            <span className="label-inline">{entry.label}</span> <RelatedLink document={entry.document} currency={invoice.currency} />
          </li>
        ))}
      </ul>
    </section>
  );
}

function LinesTable({ lines, currency }: { readonly lines: readonly InvoiceLine[]; readonly currency: string }) {
  const format = useFormatters();
  return (
    <div className="table-wrap">
      <table role="table" className="order-detail-lines">
        <caption className="visually-hidden">Invoice lines</caption>
        <thead role="rowgroup">
          <tr role="row">
            <th scope="col" role="columnheader">#</th>
            <th scope="col" role="columnheader">Item</th>
            <th scope="col" role="columnheader">From</th>
            <th scope="col" role="columnheader" className="num">Quantity</th>
            <th scope="col" role="columnheader" className="num">Unit price</th>
            <th scope="col" role="columnheader" className="num">Discount</th>
            <th scope="col" role="columnheader" className="num">Net</th>
            <th scope="col" role="columnheader">VAT</th>
          </tr>
        </thead>
        <tbody role="rowgroup">
          {lines.map((line) => (
            <tr role="row" key={line.id} data-testid={`invoice-line-${line.lineNo}`}>
              <td role="cell" data-label="Line">{line.lineNo}</td>
              <td role="cell" data-label="Item">
                {line.sku === null ? null : line.itemId === null ? (
                  <code>{line.sku}</code>
                ) : (
                  <Link to={`/items/${line.itemId}`}>
                    <code>{line.sku}</code>
                  </Link>
                )}
                {line.isPriceReduction ? <span className="badge badge-outline badge-info">Price reduction</span> : null}
                <div className="small">{line.description}</div>
              </td>
              <td role="cell" data-label="From" className="small">
                {line.orderId === null ? null : (
                  <div>
                    <Link to={`/orders/${line.orderId}`}>{line.orderNumber}</Link>
                  </div>
                )}
                {line.shipmentId === null ? null : (
                  <div>
                    <Link to={`/shipments/${line.shipmentId}`}>{line.shipmentNumber}</Link>
                  </div>
                )}
              </td>
              <td role="cell" data-label="Quantity" className="num nowrap">
                {format.quantity(line.quantity)} <span className="muted small"><UnitLabel code={line.unit} /></span>
              </td>
              <td role="cell" data-label="Unit price" className="num">{format.unitPrice(line.unitPrice, currency)}</td>
              <td role="cell" data-label="Discount" className="num">
                {line.discountPercent === null ? (
                  '—'
                ) : (
                  <>
                    {format.percent(line.discountPercent)}
                    <div className="muted small">−{format.money(line.discount, currency)}</div>
                  </>
                )}
              </td>
              <td role="cell" data-label="Net" className="num strong">{format.money(line.net, currency)}</td>
              <td role="cell" data-label="VAT" className="nowrap">
                <TaxLabel category={line.taxCategory} ratePercent={line.taxRatePercent} />
                {line.taxExemptionReason === null ? null : <div className="muted small">{line.taxExemptionReason}</div>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ChargesTable({ charges, currency }: { readonly charges: readonly InvoiceLine[]; readonly currency: string }) {
  const format = useFormatters();
  return (
    <div className="table-wrap">
      <table role="table">
        <caption className="visually-hidden">Charges</caption>
        <thead role="rowgroup">
          <tr role="row">
            <th scope="col" role="columnheader">Charge</th>
            <th scope="col" role="columnheader">VAT</th>
            <th scope="col" role="columnheader" className="num">Net</th>
            <th scope="col" role="columnheader" className="num">VAT amount</th>
          </tr>
        </thead>
        <tbody role="rowgroup">
          {charges.map((charge) => (
            <tr role="row" key={charge.id}>
              <td role="cell" data-label="Charge">
                {charge.description}
                {charge.orderNumber === null ? null : <div className="muted small">{charge.orderNumber}</div>}
              </td>
              <td role="cell" data-label="VAT">
                <TaxLabel category={charge.taxCategory} ratePercent={charge.taxRatePercent} />
              </td>
              <td role="cell" data-label="Net" className="num">{format.money(charge.net, currency)}</td>
              <td role="cell" data-label="VAT amount" className="num">{format.money(charge.tax, currency)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The VAT per category and rate, with the reason for every exemption (EN 16931 BG-23). */
function TaxBreakdown({ invoice }: { readonly invoice: Invoice }) {
  const format = useFormatters();
  if (invoice.taxBreakdown.length === 0) return null;
  return (
    <section className="section" aria-labelledby="invoice-tax-heading">
      <h2 id="invoice-tax-heading">VAT breakdown</h2>
      <div className="table-wrap">
        <table role="table">
          <caption className="visually-hidden">VAT breakdown</caption>
          <thead role="rowgroup">
            <tr role="row">
              <th scope="col" role="columnheader">VAT rate</th>
              <th scope="col" role="columnheader" className="num">Taxable</th>
              <th scope="col" role="columnheader" className="num">VAT</th>
              <th scope="col" role="columnheader">Exemption reason</th>
            </tr>
          </thead>
          <tbody role="rowgroup">
            {invoice.taxBreakdown.map((entry) => (
              <tr role="row" key={`${entry.categoryCode}-${entry.ratePercent}`}>
                <td role="cell" data-label="VAT rate">
                  <TaxLabel category={entry.categoryCode} ratePercent={entry.ratePercent} />
                </td>
                <td role="cell" data-label="Taxable" className="num">{format.money(entry.taxable, invoice.currency)}</td>
                <td role="cell" data-label="VAT" className="num">{format.money(entry.tax, invoice.currency)}</td>
                <td role="cell" data-label="Exemption" className="small">
                  {entry.exemptionReason === null && entry.exemptionReasonCode === null ? (
                    <span className="muted">{entry.categoryCode === 'S' ? '—' : taxCategoryName(entry.categoryCode)}</span>
                  ) : (
                    <>
                      {entry.exemptionReason}
                      {entry.exemptionReasonCode === null ? null : (
                        <>
                          {' '}
                          <code>{entry.exemptionReasonCode}</code>
                        </>
                      )}
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
