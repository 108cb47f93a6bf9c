import type { BusinessDate } from '../../kernel';

/**
 * An invoice or credit note as one value: what the PDF prints, what the UBL
 * e-invoice carries and what the EN 16931 checks read. Amounts are bigint minor
 * units of `currency`, positive on credit notes too (a credit note states what it
 * credits); quantities, unit prices and percentages are canonical decimal strings
 * ("12.5", never "12.50" or a number). Built from the stored rows by
 * `invoices.service.ts`; the renderers never touch the database.
 */
export type DocumentKind = 'invoice' | 'credit_note';
export type EnTaxCategoryCode = 'S' | 'Z' | 'E' | 'AE' | 'K' | 'G' | 'O';

export interface DocumentAddress {
  readonly line1: string;
  readonly line2: string | null;
  readonly postalCode: string;
  readonly city: string;
  /** ISO 3166-1 alpha-2. */
  readonly countryCode: string;
}

export interface DocumentParty {
  /** Trading name (BT-28 / BT-45). */
  readonly name: string;
  /** Registered legal name (BT-27 / BT-44). */
  readonly legalName: string;
  readonly address: DocumentAddress;
  /** VAT identifier with its country prefix (BT-31 / BT-48), e.g. "DE123456789". */
  readonly vatId: string | null;
  /** Company registration id (BT-30 / BT-47). */
  readonly registrationId: string | null;
  /** Customer number for the buyer (BT-46); null for the seller. */
  readonly number: string | null;
  /** E-mail of the invoice contact (BT-58 for the buyer, BT-43 for the seller). */
  readonly email: string | null;
}

export interface DocumentTax {
  readonly categoryCode: EnTaxCategoryCode;
  /** Percentage as decimal text: "19", "5.5", "0". */
  readonly ratePercent: string;
  /** VATEX code (BT-121), set for E, AE, K, G and O. */
  readonly exemptionReasonCode: string | null;
  /** Exemption reason text (BT-120). */
  readonly exemptionReason: string | null;
}

/** A goods or service line (BG-25). */
export interface DocumentLine {
  readonly id: string;
  readonly lineNo: number;
  readonly sku: string | null;
  /** Item name (BT-153). */
  readonly description: string;
  /** UN/ECE Recommendation 20 unit code (BT-130), e.g. "C62", "KGM", "HUR". */
  readonly unit: string;
  /** BT-129. */
  readonly quantity: string;
  /** Net unit price before the line discount (BT-146), up to currency decimals + 4. */
  readonly unitPrice: string;
  /**
   * Set when the line's amounts are stated rather than computed from price ×
   * quantity — the last part of a line credited in pieces takes what is left of it.
   * The price (BT-146) is then the line's gross for this base quantity (BT-149),
   * which is the line's quantity, so quantity × price ÷ base quantity = gross exactly.
   */
  readonly priceBaseQuantity: string | null;
  /** Line discount percentage, null when none (or when the discount is a stated amount). */
  readonly discountPercent: string | null;
  /** round(unitPrice × quantity). */
  readonly grossMinor: bigint;
  /** Line allowance (BT-136): the line discount. */
  readonly discountMinor: bigint;
  /** Line net amount (BT-131) = grossMinor − discountMinor. */
  readonly netMinor: bigint;
  /** This line's share of the document allowance (the order discount); taxable = net − share. */
  readonly allowanceShareMinor: bigint;
  readonly taxableMinor: bigint;
  readonly tax: DocumentTax;
  /** This line's share of its tax group's tax (allocated; the group total follows BR-CO-17). */
  readonly taxMinor: bigint;
  /** Sales order, its line and the customer's PO, where the line came from an order (BT-132 order line reference). */
  readonly orderNumber: string | null;
  readonly orderLineNo: number | null;
  readonly shipmentNumber: string | null;
  /** Price reduction line of a credit note (an amount, not a quantity, credited). */
  readonly isPriceReduction: boolean;
}

/** A document-level charge (BG-21): freight, handling … */
export interface DocumentCharge {
  readonly id: string;
  readonly description: string;
  /** UNTDID 7161 reason code, e.g. "FC" freight, "ABK" handling, or null. */
  readonly reasonCode: string | null;
  readonly amountMinor: bigint;
  readonly tax: DocumentTax;
  readonly taxMinor: bigint;
}

/**
 * A document-level allowance (BG-20): the order discount. One per tax group of
 * the lines, so each carries one category and rate (BR-CO-17 needs it so).
 */
export interface DocumentAllowance {
  readonly description: string;
  /** Percentage of the lines' net the allowance is, or null. */
  readonly percent: string | null;
  /** Base the percentage applies to (BT-93), when percent is set. */
  readonly baseMinor: bigint | null;
  readonly amountMinor: bigint;
  readonly tax: DocumentTax;
}

/** One row of the VAT breakdown (BG-23). */
export interface DocumentTaxSubtotal extends DocumentTax {
  readonly taxableMinor: bigint;
  readonly taxMinor: bigint;
}

export interface DocumentTotals {
  /** Σ line net amounts (BT-106). */
  readonly linesNetMinor: bigint;
  /** Σ document allowances (BT-107). */
  readonly allowancesMinor: bigint;
  /** Σ document charges (BT-108). */
  readonly chargesMinor: bigint;
  /** BT-109 = linesNet − allowances + charges. */
  readonly taxExclusiveMinor: bigint;
  /** BT-110. */
  readonly taxMinor: bigint;
  /** BT-112 = taxExclusive + tax. */
  readonly grossMinor: bigint;
  /** Paid before issue (BT-113), normally 0. */
  readonly prepaidMinor: bigint;
  /** BT-115 = gross − prepaid. */
  readonly payableMinor: bigint;
}

export interface DocumentPaymentTerms {
  readonly code: string;
  readonly name: string;
  readonly netDays: number;
  readonly discountPercent: string | null;
  readonly discountDays: number | null;
}

export interface InvoiceDocument {
  readonly id: string;
  readonly kind: DocumentKind;
  /** BT-1; null while a draft. */
  readonly number: string | null;
  readonly status: 'draft' | 'issued';
  /** BT-2; null on a draft that takes the issue day. */
  readonly issueDate: BusinessDate | null;
  /** BT-9; invoices only. */
  readonly dueDate: BusinessDate | null;
  /** BT-5. */
  readonly currency: string;
  /** The seller's accounting currency; when it differs from `currency` it is BT-6 and taxInBaseMinor is BT-111. */
  readonly baseCurrency: string;
  readonly taxInBaseMinor: bigint | null;
  /** Base-currency units per document-currency unit used for taxInBaseMinor. */
  readonly exchangeRate: string | null;
  /** BT-10: the buyer reference (defaults to the PO number or the customer number). */
  readonly buyerReference: string | null;
  /** BT-13: the customer's purchase order number, when all lines come from one order that has one. */
  readonly purchaseOrderReference: string | null;
  /** BT-14: our sales order number, when all lines come from one order. */
  readonly salesOrderReference: string | null;
  /** BT-16: the despatch advice (shipment) number, when all lines come from one shipment. */
  readonly despatchReference: string | null;
  /** BT-72: the actual delivery (ship) date, when known. */
  readonly deliveryDate: BusinessDate | null;
  /** BG-3: the invoice a credit note credits (BT-25, BT-26). */
  readonly precedingInvoice: { readonly number: string; readonly issueDate: BusinessDate } | null;
  /** Why a credit note was issued; printed and sent as a note. */
  readonly creditReason: string | null;
  /** Free text (BT-22). */
  readonly note: string | null;
  readonly seller: DocumentParty;
  readonly buyer: DocumentParty;
  /** BG-13 deliver-to, when goods ship. */
  readonly deliverTo: (DocumentAddress & { readonly name: string }) | null;
  readonly paymentTerms: DocumentPaymentTerms | null;
  /** Early-payment discount: the last day and the amount (on the gross). */
  readonly discountDeadline: BusinessDate | null;
  readonly discountMinor: bigint | null;
  /** ISO 11649 RF creditor reference (BT-83). */
  readonly paymentReference: string | null;
  /** Where to pay (BG-17): the seller's IBAN and BIC; null IBAN means no transfer details. */
  readonly payeeIban: string | null;
  readonly payeeBic: string | null;
  readonly lines: readonly DocumentLine[];
  readonly allowances: readonly DocumentAllowance[];
  readonly charges: readonly DocumentCharge[];
  readonly taxSubtotals: readonly DocumentTaxSubtotal[];
  readonly totals: DocumentTotals;
  /** BCP 47 locale for dates and numbers on the PDF, e.g. "de-DE". */
  readonly locale: string;
}
