import { Big, lineAmountMinor, minorToDecimal } from '../../kernel';
import { percentOfMinor } from './invoice-pricing.rules';
import type { Executor } from '../../platform/db/database';
import { getTenant } from '../../platform/tenants/tenants';
import type { DocumentAllowance, DocumentTax, InvoiceDocument } from './invoice-document';
import type { InvoiceLineRow, InvoiceRow } from './invoice-view';
import { findInvoiceRow, linesOf } from './invoices.service';
import type { StoredTaxBreakdown } from './invoicing.tables';

const chargeReasonCodes: Record<string, string> = { freight: 'FC', handling: 'ABK', other: 'ZZZ' };

const canonical = (value: string) => new Big(value).toFixed();

function taxOf(line: Pick<InvoiceLineRow, 'tax_category' | 'tax_rate_percent' | 'tax_exemption_reason_code' | 'tax_exemption_reason'>): DocumentTax {
  const exempt = line.tax_category !== 'S' && line.tax_category !== 'Z';
  return {
    categoryCode: line.tax_category,
    ratePercent: canonical(line.tax_rate_percent),
    exemptionReasonCode: exempt ? line.tax_exemption_reason_code : null,
    exemptionReason: exempt ? line.tax_exemption_reason : null,
  };
}

/**
 * A line whose amounts are stated rather than computed: the last part of a line
 * credited in pieces takes what is left, which price × quantity (or the discount
 * percentage) need not reproduce to the cent.
 */
function isStated(line: InvoiceLineRow, currency: string): boolean {
  const grossMinor = lineAmountMinor(new Big(line.unit_price), new Big(line.quantity), currency);
  const discountMinor = line.discount_percent === null ? 0n : percentOfMinor(line.gross_minor, new Big(line.discount_percent), currency);
  return grossMinor !== line.gross_minor || discountMinor !== line.discount_minor;
}

/** The one value every output of a document reads: the PDF, the UBL e-invoice and the EN 16931 checks. */
export async function documentOf(executor: Executor, tenantId: string, id: string): Promise<InvoiceDocument> {
  const row = await findInvoiceRow(executor, tenantId, id);
  const [tenant, lines, preceding] = await Promise.all([
    getTenant(executor, tenantId),
    linesOf(executor, tenantId, id),
    row.credited_invoice_id === null ? Promise.resolve(undefined) : findInvoiceRow(executor, tenantId, row.credited_invoice_id),
  ]);
  return buildDocument(row, lines, tenant, preceding);
}

export function buildDocument(row: InvoiceRow, lines: readonly InvoiceLineRow[], tenant: Awaited<ReturnType<typeof getTenant>>, preceding: InvoiceRow | undefined): InvoiceDocument {
  // A document of charges alone (a credit note for freight) states them as lines: EN 16931 BR-16 wants one line at least.
  const chargesAsLines = !lines.some((line) => line.kind === 'item');
  const items = chargesAsLines ? lines : lines.filter((line) => line.kind === 'item');
  const charges = chargesAsLines ? [] : lines.filter((line) => line.kind === 'charge');
  const single = <T,>(values: ReadonlyArray<T | null>): T | null => {
    const distinct = [...new Set(values)];
    return distinct.length === 1 ? distinct[0]! : null;
  };
  // The order discount as document allowances, one per tax group so each carries one category and rate.
  const allowanceGroups = new Map<string, { tax: DocumentTax; amountMinor: bigint; baseMinor: bigint; percents: Set<string> }>();
  for (const line of items) {
    if (line.allowance_share_minor === 0n) continue;
    const tax = taxOf(line);
    const key = JSON.stringify(tax);
    const group = allowanceGroups.get(key) ?? { tax, amountMinor: 0n, baseMinor: 0n, percents: new Set<string>() };
    group.amountMinor += line.allowance_share_minor;
    group.baseMinor += line.net_minor;
    if (line.allowance_percent !== null) group.percents.add(canonical(line.allowance_percent));
    allowanceGroups.set(key, group);
  }
  const allowances: DocumentAllowance[] = [...allowanceGroups.values()].map((group) => {
    const percent = group.percents.size === 1 ? [...group.percents][0]! : null;
    return { description: percent === null ? 'Order discount' : `Order discount ${percent} %`, percent: null, baseMinor: null, amountMinor: group.amountMinor, tax: group.tax };
  });
  const breakdown = row.tax_breakdown as StoredTaxBreakdown[];
  const shipments = single(items.map((line) => line.shipment_number));
  return {
    id: row.id,
    kind: row.kind,
    number: row.number,
    status: row.status,
    issueDate: row.issue_date,
    dueDate: row.due_date,
    currency: row.currency,
    baseCurrency: row.base_currency,
    taxInBaseMinor: row.tax_base_minor,
    exchangeRate: row.exchange_rate === null ? null : canonical(row.exchange_rate),
    buyerReference: row.buyer_reference,
    purchaseOrderReference: single(lines.map((line) => line.customer_po_number)),
    salesOrderReference: single(lines.map((line) => line.order_number)),
    despatchReference: items.every((line) => line.shipment_number !== null) ? shipments : null,
    deliveryDate: row.delivery_date,
    precedingInvoice: preceding === undefined || preceding.number === null || preceding.issue_date === null ? null : { number: preceding.number, issueDate: preceding.issue_date },
    creditReason: row.credit_reason,
    note: row.notes,
    seller: {
      name: tenant.legalName,
      legalName: tenant.legalName,
      address: { line1: tenant.addressLine1, line2: tenant.addressLine2, postalCode: tenant.postalCode, city: tenant.city, countryCode: tenant.countryCode },
      vatId: tenant.vatId,
      registrationId: tenant.registrationId,
      number: null,
      email: tenant.emailSender,
    },
    buyer: {
      name: row.customer_name,
      legalName: row.customer_legal_name,
      address: { line1: row.billing_line1, line2: row.billing_line2, postalCode: row.billing_postal_code, city: row.billing_city, countryCode: row.billing_country_code },
      vatId: row.customer_vat_id,
      registrationId: null,
      number: row.customer_number,
      email: row.customer_email,
    },
    deliverTo:
      row.deliver_to_name === null
        ? null
        : {
            name: row.deliver_to_name,
            line1: row.deliver_to_line1 ?? '',
            line2: row.deliver_to_line2,
            postalCode: row.deliver_to_postal_code ?? '',
            city: row.deliver_to_city ?? '',
            countryCode: row.deliver_to_country_code ?? '',
          },
    paymentTerms:
      row.kind === 'credit_note'
        ? null
        : {
            code: row.payment_terms_code,
            name: row.payment_terms_name,
            netDays: row.payment_terms_net_days,
            discountPercent: row.payment_terms_discount_percent === null ? null : canonical(row.payment_terms_discount_percent),
            discountDays: row.payment_terms_discount_days,
          },
    discountDeadline: row.discount_deadline,
    discountMinor: row.discount_minor,
    paymentReference: row.payment_reference,
    payeeIban: tenant.iban,
    payeeBic: tenant.bic,
    lines: items.map((line) => {
      const stated = isStated(line, row.currency);
      return {
        id: line.id,
        lineNo: line.line_no,
        sku: line.sku,
        description: line.description,
        unit: line.unit,
        quantity: canonical(line.quantity),
        unitPrice: stated ? minorToDecimal(line.gross_minor, row.currency).toFixed() : canonical(line.unit_price),
        priceBaseQuantity: stated ? canonical(line.quantity) : null,
        discountPercent: stated || line.discount_percent === null || line.discount_minor === 0n ? null : canonical(line.discount_percent),
        grossMinor: line.gross_minor,
        discountMinor: line.discount_minor,
        netMinor: line.net_minor,
        allowanceShareMinor: line.allowance_share_minor,
        taxableMinor: line.taxable_minor,
        tax: taxOf(line),
        taxMinor: line.tax_minor,
        orderNumber: line.order_number,
        orderLineNo: line.order_line_no,
        shipmentNumber: line.shipment_number,
        isPriceReduction: line.is_price_reduction,
      };
    }),
    allowances,
    charges: charges.map((line) => ({
      id: line.id,
      description: line.description,
      reasonCode: chargeReasonCodes[line.charge_kind ?? 'other'] ?? null,
      amountMinor: line.net_minor,
      tax: taxOf(line),
      taxMinor: line.tax_minor,
    })),
    taxSubtotals: breakdown.map((entry) => ({
      categoryCode: entry.categoryCode,
      ratePercent: entry.ratePercent,
      exemptionReasonCode: entry.categoryCode === 'S' || entry.categoryCode === 'Z' ? null : entry.exemptionReasonCode,
      exemptionReason: entry.categoryCode === 'S' || entry.categoryCode === 'Z' ? null : entry.exemptionReason,
      taxableMinor: BigInt(entry.taxableMinor),
      taxMinor: BigInt(entry.taxMinor),
    })),
    totals: {
      linesNetMinor: chargesAsLines ? row.lines_net_minor + row.charges_minor : row.lines_net_minor,
      allowancesMinor: row.allowances_minor,
      chargesMinor: chargesAsLines ? 0n : row.charges_minor,
      taxExclusiveMinor: row.taxable_minor,
      taxMinor: row.tax_minor,
      grossMinor: row.gross_minor,
      prepaidMinor: 0n,
      payableMinor: row.gross_minor,
    },
    locale: tenant.locale,
  };
}

/**
 * The document as the e-invoice states it. EN 16931 BR-O-02: a document with a line
 * not subject to VAT (category O) names no VAT identifier of seller or buyer; the
 * seller is then identified by its registration id (BR-CO-26). The PDF keeps them.
 */
export function forEinvoice(document: InvoiceDocument): InvoiceDocument {
  const notSubject =
    document.lines.some((line) => line.tax.categoryCode === 'O') ||
    document.charges.some((charge) => charge.tax.categoryCode === 'O') ||
    document.allowances.some((allowance) => allowance.tax.categoryCode === 'O');
  if (!notSubject) return document;
  return { ...document, seller: { ...document.seller, vatId: null }, buyer: { ...document.buyer, vatId: null } };
}
