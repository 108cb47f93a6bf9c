import type { Selectable } from 'kysely';
import { Big, formatMinor, formatQuantity, type BusinessDate } from '../../kernel';
import type { InvoiceLinesTable, InvoicesTable, InvoiceSendAttemptsTable, StoredTaxBreakdown } from './invoicing.tables';

export type InvoiceRow = Selectable<InvoicesTable>;
export type InvoiceLineRow = Selectable<InvoiceLinesTable>;
export type SendAttemptRow = Selectable<InvoiceSendAttemptsTable>;

export type InvoiceAction = 'update' | 'delete' | 'issue' | 'send' | 'credit' | 'correct';

/** What a person may do with a document in its state (the UI's buttons). */
export function invoiceActions(row: Pick<InvoiceRow, 'kind' | 'status' | 'credited_minor'>, hasCreditNotes: boolean): InvoiceAction[] {
  if (row.status === 'draft') return ['update', 'delete', 'issue'];
  if (row.kind === 'credit_note') return ['send'];
  return hasCreditNotes ? ['send', 'credit'] : ['send', 'credit', 'correct'];
}

/** Overdue is derived, never stored: an issued invoice with something open after its due date. */
export function isOverdue(row: Pick<InvoiceRow, 'kind' | 'status' | 'open_minor' | 'due_date'>, today: BusinessDate): boolean {
  return row.kind === 'invoice' && row.status === 'issued' && row.open_minor > 0n && row.due_date !== null && row.due_date < today;
}

export interface RelatedDocument {
  readonly id: string;
  readonly number: string | null;
  readonly kind: 'invoice' | 'credit_note';
  readonly status: 'draft' | 'issued';
  readonly issueDate: string | null;
  readonly gross: string;
}

export function toListItem(row: InvoiceRow, today: BusinessDate) {
  return {
    id: row.id,
    kind: row.kind,
    number: row.number,
    status: row.status,
    origin: row.origin,
    sendingStatus: row.sending_status,
    paymentStatus: row.payment_status,
    overdue: isOverdue(row, today),
    customer: { id: row.customer_id, number: row.customer_number, name: row.customer_name },
    currency: row.currency,
    issueDate: row.issue_date,
    dueDate: row.due_date,
    gross: formatMinor(row.gross_minor, row.currency),
    open: formatMinor(row.open_minor, row.currency),
    credited: formatMinor(row.credited_minor, row.currency),
    creditedInvoiceId: row.credited_invoice_id,
    createdAt: row.created_at.toISOString(),
  };
}

export type InvoiceListItem = ReturnType<typeof toListItem>;

export function toInvoiceView(
  row: InvoiceRow,
  lines: readonly InvoiceLineRow[],
  attempts: readonly SendAttemptRow[],
  related: { creditNotes: RelatedDocument[]; creditedInvoice: RelatedDocument | null; correctedBy: RelatedDocument[]; corrects: RelatedDocument | null },
  today: BusinessDate,
  creditedByLine: ReadonlyMap<string, { quantity: string; taxableMinor: bigint }> = new Map(),
) {
  const money = (minor: bigint) => formatMinor(minor, row.currency);
  const breakdown = row.tax_breakdown as StoredTaxBreakdown[];
  return {
    ...toListItem(row, today),
    customer: {
      id: row.customer_id,
      number: row.customer_number,
      name: row.customer_name,
      legalName: row.customer_legal_name,
      vatId: row.customer_vat_id,
      email: row.customer_email,
      billingAddress: { line1: row.billing_line1, line2: row.billing_line2, postalCode: row.billing_postal_code, city: row.billing_city, countryCode: row.billing_country_code },
    },
    deliverTo:
      row.deliver_to_name === null
        ? null
        : { name: row.deliver_to_name, line1: row.deliver_to_line1 ?? '', line2: row.deliver_to_line2, postalCode: row.deliver_to_postal_code ?? '', city: row.deliver_to_city ?? '', countryCode: row.deliver_to_country_code ?? '' },
    baseCurrency: row.base_currency,
    exchangeRate: row.exchange_rate === null ? null : new Big(row.exchange_rate).toFixed(),
    taxInBaseCurrency: row.tax_base_minor === null ? null : formatMinor(row.tax_base_minor, row.base_currency),
    deliveryDate: row.delivery_date,
    paymentTerms: {
      code: row.payment_terms_code,
      name: row.payment_terms_name,
      netDays: row.payment_terms_net_days,
      discountPercent: row.payment_terms_discount_percent === null ? null : new Big(row.payment_terms_discount_percent).toFixed(),
      discountDays: row.payment_terms_discount_days,
    },
    discountDeadline: row.discount_deadline,
    discountAmount: row.discount_minor === null ? null : money(row.discount_minor),
    paymentReference: row.payment_reference,
    buyerReference: row.buyer_reference,
    linesNet: money(row.lines_net_minor),
    allowances: money(row.allowances_minor),
    charges: money(row.charges_minor),
    taxable: money(row.taxable_minor),
    tax: money(row.tax_minor),
    taxBreakdown: breakdown.map((entry) => ({
      categoryCode: entry.categoryCode,
      ratePercent: entry.ratePercent,
      exemptionReasonCode: entry.exemptionReasonCode,
      exemptionReason: entry.exemptionReason,
      taxable: money(BigInt(entry.taxableMinor)),
      tax: money(BigInt(entry.taxMinor)),
    })),
    lines: lines.map((line) => ({
      id: line.id,
      lineNo: line.line_no,
      kind: line.kind,
      orderId: line.order_id,
      orderNumber: line.order_number,
      orderLineId: line.order_line_id,
      shipmentId: line.shipment_id,
      shipmentNumber: line.shipment_number,
      shipmentLineId: line.shipment_line_id,
      creditedLineId: line.credited_line_id,
      isPriceReduction: line.is_price_reduction,
      itemId: line.item_id,
      sku: line.sku,
      description: line.description,
      unit: line.unit,
      quantity: formatQuantity(new Big(line.quantity)),
      unitPrice: new Big(line.unit_price).toFixed(),
      discountPercent: line.discount_percent === null ? null : new Big(line.discount_percent).toFixed(),
      gross: money(line.gross_minor),
      discount: money(line.discount_minor),
      net: money(line.net_minor),
      allowanceShare: money(line.allowance_share_minor),
      taxable: money(line.taxable_minor),
      taxCategory: line.tax_category,
      taxRatePercent: new Big(line.tax_rate_percent).toFixed(),
      taxExemptionReason: line.tax_exemption_reason,
      tax: money(line.tax_minor),
      // What issued credit notes took from an invoice line so far, and what is left to credit (net).
      creditedQuantity: row.kind === 'invoice' ? formatQuantity(new Big(creditedByLine.get(line.id)?.quantity ?? '0')) : null,
      creditable: row.kind === 'invoice' && row.status === 'issued' ? money(line.taxable_minor - (creditedByLine.get(line.id)?.taxableMinor ?? 0n)) : null,
    })),
    sendingAttempts: attempts.map((attempt) => ({
      attemptNo: attempt.attempt_no,
      recipient: attempt.recipient,
      outcome: attempt.outcome,
      detail: attempt.detail,
      attemptedAt: attempt.attempted_at.toISOString(),
    })),
    creditReason: row.credit_reason,
    notes: row.notes,
    creditNotes: related.creditNotes,
    creditedInvoice: related.creditedInvoice,
    corrects: related.corrects,
    correctedBy: related.correctedBy,
    journalEntryId: row.journal_entry_id,
    issuedBy: row.issued_by,
    issuedAt: row.issued_at?.toISOString() ?? null,
    availableActions: invoiceActions(row, related.creditNotes.length > 0),
    version: row.version,
    updatedAt: row.updated_at.toISOString(),
  };
}

export type InvoiceView = ReturnType<typeof toInvoiceView>;
