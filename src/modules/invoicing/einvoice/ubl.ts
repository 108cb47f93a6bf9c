import { Big, formatMinor, formatUnitPrice, isKnownCurrency, minorToDecimal } from '../../../kernel';
import { group, leaf, ublAddress, ublCommonNamespaces, xmlDocument, type XmlNode } from '../../../platform/documents/xml';
import type {
  DocumentAllowance,
  DocumentCharge,
  DocumentLine,
  DocumentParty,
  DocumentTax,
  InvoiceDocument,
} from '../invoice-document';

/**
 * An invoice or credit note as a UBL 2.1 Invoice / CreditNote following Peppol BIS
 * Billing 3.0 (the EN 16931 core invoice usage specification of OpenPeppol).
 *
 * UBL is strict about element order: every block below lists its children in the
 * sequence of its type in the UBL 2.1 schemas (maindoc/UBL-Invoice-2.1.xsd,
 * maindoc/UBL-CreditNote-2.1.xsd, common/UBL-CommonAggregateComponents-2.1.xsd),
 * and the comment above each names that sequence. Absent values are left out rather
 * than sent empty, because Peppol refuses empty elements (PEPPOL-EN16931-R008).
 *
 * Amounts are written from minor units with exactly the currency's decimals
 * (formatMinor), each with its currencyID; unit prices keep the decimals they
 * have (at least the currency's), because BT-146 may be finer than the currency.
 */

export const peppolBillingCustomizationId = 'urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0';
export const peppolBillingProfileId = 'urn:fdc:peppol.eu:2017:poacc:billing:01:1.0';

/** UNTDID 1001: 380 commercial invoice, 381 credit note. */
export const invoiceTypeCode = '380';
export const creditNoteTypeCode = '381';

/** UNCL 5189 allowance reason code for a discount. */
const discountReasonCode = '95';

const rootNamespaces = {
  invoice: 'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2',
  credit_note: 'urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2',
} as const;

/**
 * Peppol Electronic Address Scheme (EAS) codes of the national VAT-number schemes
 * (the 99xx codes), by the VAT number's prefix. The seller's and buyer's EndpointID
 * (BT-34, BT-49) is their VAT number under their country's VAT scheme: it is the
 * one identifier our data has for every VAT-registered business, whereas the Peppol
 * examples use GLNs (0088) and company registers, which we do not keep. Parties
 * without a VAT number, or from a country without such a scheme (Denmark, Finland,
 * Italy, Sweden, non-European countries), get no EndpointID. UBL and EN 16931
 * allow that; Peppol does not (PEPPOL-EN16931-R010, R020), so such a document is
 * valid and can be archived or e-mailed, but it goes over the Peppol network only
 * once the party's Peppol identifier is known.
 */
const vatEndpointSchemes: Readonly<Record<string, string>> = {
  AD: '9922', AL: '9923', AT: '9914', BA: '9924', BE: '9925', BG: '9926', CH: '9927', CY: '9928',
  CZ: '9929', DE: '9930', EE: '9931', EL: '9933', ES: '9920', FR: '9957', GB: '9932',
  GR: '9933', HR: '9934', HU: '9910', IE: '9935', LI: '9936', LT: '9937', LU: '9938', LV: '9939',
  MC: '9940', ME: '9941', MK: '9942', MT: '9943', NL: '9944', PL: '9945', PT: '9946', RO: '9947',
  RS: '9948', SI: '9949', SK: '9950', SM: '9951', TR: '9952', VA: '9953',
};

/** The EndpointID scheme and value for a party, or null when it has no VAT number under a known scheme. */
export function endpointFor(party: DocumentParty): { scheme: string; id: string } | null {
  const vatId = party.vatId?.replace(/\s+/g, '').toUpperCase() ?? '';
  const scheme = vatEndpointSchemes[vatId.slice(0, 2)];
  return vatId.length > 2 && scheme !== undefined ? { scheme, id: vatId } : null;
}

function amount(name: string, amountMinor: bigint, currency: string): XmlNode {
  return leaf(name, formatMinor(amountMinor, currency), { currencyID: currency });
}

/** Peppol's tolerance between an allowance's amount and its percentage of the base (PEPPOL-EN16931-R040). */
const percentageSlack = new Big('0.02');

/**
 * Whether an allowance's percentage (BT-94, BT-138) and base (BT-93, BT-137)
 * reproduce its amount within Peppol's 0.02 (PEPPOL-EN16931-R040). Amounts rounded
 * to cents always do; in a currency without decimals (JPY) a rounded amount may
 * not, and then only the amount is sent, since percentage and base are optional.
 */
export function percentageFits(amountMinor: bigint, baseMinor: bigint, percent: string, currency: string): boolean {
  if (!/^\d+(\.\d+)?$/.test(percent)) return false;
  const exact = minorToDecimal(baseMinor, currency).times(new Big(percent)).div(new Big('100'));
  return minorToDecimal(amountMinor, currency).minus(exact).abs().lte(percentageSlack);
}

/** A unit price with at least the currency's decimals; text that is not a decimal is passed on for the checks to report. */
function unitPriceText(unitPrice: string, currency: string): string {
  return /^-?\d+(\.\d+)?$/.test(unitPrice) ? formatUnitPrice(new Big(unitPrice), currency) : unitPrice;
}

/**
 * TaxCategoryType: ID, Name, Percent, …, TaxExemptionReasonCode, TaxExemptionReason,
 * …, TaxScheme. "Not subject to VAT" (O) carries no rate (BR-O-05 to BR-O-07); the
 * exemption reason belongs on the VAT breakdown only (BT-120, BT-121).
 */
function taxCategory(name: string, tax: DocumentTax, withExemption: boolean): XmlNode {
  return group(
    name,
    leaf('cbc:ID', tax.categoryCode),
    leaf('cbc:Percent', tax.categoryCode === 'O' ? null : tax.ratePercent),
    leaf('cbc:TaxExemptionReasonCode', withExemption ? tax.exemptionReasonCode : null),
    leaf('cbc:TaxExemptionReason', withExemption ? tax.exemptionReason : null),
    group('cac:TaxScheme', leaf('cbc:ID', 'VAT')),
  );
}

/**
 * PartyType: EndpointID, PartyIdentification, PartyName, PostalAddress,
 * PartyTaxScheme, PartyLegalEntity, Contact. The seller has no identifier of ours
 * (BT-29); the buyer's is its customer number (BT-46).
 */
function party(wrapper: string, value: DocumentParty): XmlNode {
  const endpoint = endpointFor(value);
  return group(
    wrapper,
    group(
      'cac:Party',
      endpoint === null ? null : leaf('cbc:EndpointID', endpoint.id, { schemeID: endpoint.scheme }),
      group('cac:PartyIdentification', leaf('cbc:ID', value.number)),
      group('cac:PartyName', leaf('cbc:Name', value.name)),
      ublAddress('cac:PostalAddress', value.address),
      (value.vatId ?? '').trim() === '' ? null : group('cac:PartyTaxScheme', leaf('cbc:CompanyID', value.vatId), group('cac:TaxScheme', leaf('cbc:ID', 'VAT'))),
      group('cac:PartyLegalEntity', leaf('cbc:RegistrationName', value.legalName), leaf('cbc:CompanyID', value.registrationId)),
      group('cac:Contact', leaf('cbc:ElectronicMail', value.email)),
    ),
  );
}

/** DeliveryType: ActualDeliveryDate, …, DeliveryLocation (LocationType: …, Address), …, DeliveryParty. */
function delivery(doc: InvoiceDocument): XmlNode {
  const deliverTo = doc.deliverTo;
  return group(
    'cac:Delivery',
    leaf('cbc:ActualDeliveryDate', doc.deliveryDate),
    deliverTo === null ? null : group('cac:DeliveryLocation', ublAddress('cac:Address', deliverTo)),
    deliverTo === null ? null : group('cac:DeliveryParty', group('cac:PartyName', leaf('cbc:Name', deliverTo.name))),
  );
}

/** The UNCL 4461 payment means: SEPA credit transfer for euros to an IBAN, another credit transfer otherwise. */
export function paymentMeansCode(doc: InvoiceDocument): { code: string; name: string } {
  if (doc.payeeIban === null) return { code: '1', name: 'Instrument not defined' };
  return doc.currency === 'EUR' ? { code: '58', name: 'SEPA credit transfer' } : { code: '30', name: 'Credit transfer' };
}

/**
 * PaymentMeansType: PaymentMeansCode, PaymentDueDate, …, PaymentID, …,
 * PayeeFinancialAccount (FinancialAccountType: ID, Name, …,
 * FinancialInstitutionBranch). A UBL CreditNote has no DueDate of its own, so
 * Peppol carries its BT-9 here. Left out when there is nothing to say: no account,
 * no reference and no credit-note due date.
 */
function paymentMeans(doc: InvoiceDocument): XmlNode {
  const creditNoteDueDate = doc.kind === 'credit_note' ? doc.dueDate : null;
  if (doc.payeeIban === null && doc.paymentReference === null && creditNoteDueDate === null) return null;
  const means = paymentMeansCode(doc);
  return group(
    'cac:PaymentMeans',
    leaf('cbc:PaymentMeansCode', means.code, { name: means.name }),
    leaf('cbc:PaymentDueDate', creditNoteDueDate),
    leaf('cbc:PaymentID', doc.paymentReference),
    doc.payeeIban === null
      ? null
      : group(
          'cac:PayeeFinancialAccount',
          leaf('cbc:ID', doc.payeeIban.replace(/\s+/g, '')),
          leaf('cbc:Name', doc.seller.legalName),
          group('cac:FinancialInstitutionBranch', leaf('cbc:ID', doc.payeeBic)),
        ),
  );
}

/**
 * The payment terms as one sentence (BT-20): the terms, the amount and when it
 * is due, and the early-payment discount with its amount and last day. A credit
 * note states what it credits and that the amount is refunded or set off. Null
 * when there is nothing to state; EN 16931 then needs the due date (BR-CO-25).
 */
export function paymentTermsText(doc: InvoiceDocument): string | null {
  const currency = doc.currency;
  const payable = isKnownCurrency(currency) ? `${formatMinor(doc.totals.payableMinor, currency)} ${currency}` : null;
  if (doc.kind === 'credit_note') {
    const credited = doc.precedingInvoice === null ? '' : ` for invoice ${doc.precedingInvoice.number} of ${doc.precedingInvoice.issueDate}`;
    const when = doc.dueDate === null ? '' : ` by ${doc.dueDate}`;
    return `Credit${credited}: ${payable ?? 'the amount'} is refunded${when} or set off against open invoices.`;
  }
  const terms = doc.paymentTerms;
  const parts: string[] = [];
  if (terms !== null) {
    const due = doc.dueDate === null ? ` within ${terms.netDays} days` : ` by ${doc.dueDate}`;
    parts.push(`${terms.name}: pay ${payable ?? 'the amount'}${due}.`);
  } else if (doc.dueDate !== null) {
    parts.push(`Pay ${payable ?? 'the amount'} by ${doc.dueDate}.`);
  }
  if (doc.discountMinor !== null && doc.discountMinor > 0n && doc.discountDeadline !== null && isKnownCurrency(currency)) {
    const percent = terms === null || terms.discountPercent === null ? '' : `${terms.discountPercent} % `;
    parts.push(`${percent}early-payment discount (${formatMinor(doc.discountMinor, currency)} ${currency}) if paid by ${doc.discountDeadline}.`);
  }
  return parts.length === 0 ? null : parts.join(' ');
}

/**
 * AllowanceChargeType: ChargeIndicator, AllowanceChargeReasonCode,
 * AllowanceChargeReason, MultiplierFactorNumeric, …, Amount, BaseAmount, …,
 * TaxCategory. A document allowance is the order discount (UNCL 5189 code 95);
 * its percentage and base go with it when they reproduce the amount.
 */
function documentAllowance(allowance: DocumentAllowance, currency: string): XmlNode {
  const withPercent =
    allowance.percent !== null && allowance.baseMinor !== null && percentageFits(allowance.amountMinor, allowance.baseMinor, allowance.percent, currency);
  return group(
    'cac:AllowanceCharge',
    leaf('cbc:ChargeIndicator', 'false'),
    leaf('cbc:AllowanceChargeReasonCode', discountReasonCode),
    leaf('cbc:AllowanceChargeReason', allowance.description.trim() === '' ? 'Discount' : allowance.description),
    leaf('cbc:MultiplierFactorNumeric', withPercent ? allowance.percent : null),
    amount('cbc:Amount', allowance.amountMinor, currency),
    withPercent ? amount('cbc:BaseAmount', allowance.baseMinor!, currency) : null,
    taxCategory('cac:TaxCategory', allowance.tax, false),
  );
}

/** A document charge (freight, handling …) with its UNTDID 7161 reason code. */
function documentCharge(charge: DocumentCharge, currency: string): XmlNode {
  return group(
    'cac:AllowanceCharge',
    leaf('cbc:ChargeIndicator', 'true'),
    leaf('cbc:AllowanceChargeReasonCode', charge.reasonCode),
    leaf('cbc:AllowanceChargeReason', charge.description),
    amount('cbc:Amount', charge.amountMinor, currency),
    taxCategory('cac:TaxCategory', charge.tax, false),
  );
}

/**
 * TaxTotalType: TaxAmount, …, TaxSubtotal (TaxSubtotalType: TaxableAmount,
 * TaxAmount, …, TaxCategory). When the seller accounts for VAT in another
 * currency, a second TaxTotal holds only the tax in that currency (BT-111).
 */
function taxTotals(doc: InvoiceDocument): XmlNode[] {
  const currency = doc.currency;
  const main = group(
    'cac:TaxTotal',
    amount('cbc:TaxAmount', doc.totals.taxMinor, currency),
    ...doc.taxSubtotals.map((subtotal) =>
      group(
        'cac:TaxSubtotal',
        amount('cbc:TaxableAmount', subtotal.taxableMinor, currency),
        amount('cbc:TaxAmount', subtotal.taxMinor, currency),
        taxCategory('cac:TaxCategory', subtotal, true),
      ),
    ),
  );
  const accounting = hasTaxCurrency(doc) ? group('cac:TaxTotal', amount('cbc:TaxAmount', doc.taxInBaseMinor!, doc.baseCurrency)) : null;
  return [main, accounting];
}

/** BT-6 is sent when the seller's accounting currency differs and the tax in it is known. */
export function hasTaxCurrency(doc: InvoiceDocument): boolean {
  return doc.baseCurrency !== doc.currency && doc.taxInBaseMinor !== null;
}

/**
 * MonetaryTotalType: LineExtensionAmount, TaxExclusiveAmount, TaxInclusiveAmount,
 * AllowanceTotalAmount, ChargeTotalAmount, PrepaidAmount, …, PayableAmount.
 * The allowance and charge totals are sent whenever there is something to total,
 * so BR-CO-11 and BR-CO-12 have both sides to compare.
 */
function monetaryTotal(doc: InvoiceDocument): XmlNode {
  const { totals, currency } = doc;
  const withAllowances = doc.allowances.length > 0 || totals.allowancesMinor !== 0n;
  const withCharges = doc.charges.length > 0 || totals.chargesMinor !== 0n;
  return group(
    'cac:LegalMonetaryTotal',
    amount('cbc:LineExtensionAmount', totals.linesNetMinor, currency),
    amount('cbc:TaxExclusiveAmount', totals.taxExclusiveMinor, currency),
    amount('cbc:TaxInclusiveAmount', totals.grossMinor, currency),
    withAllowances ? amount('cbc:AllowanceTotalAmount', totals.allowancesMinor, currency) : null,
    withCharges ? amount('cbc:ChargeTotalAmount', totals.chargesMinor, currency) : null,
    totals.prepaidMinor === 0n ? null : amount('cbc:PrepaidAmount', totals.prepaidMinor, currency),
    amount('cbc:PayableAmount', totals.payableMinor, currency),
  );
}

/**
 * InvoiceLineType / CreditNoteLineType: ID, …, InvoicedQuantity | CreditedQuantity,
 * LineExtensionAmount, …, OrderLineReference, …, AllowanceCharge, Item, Price.
 * (A CreditNoteLine puts TaxTotal before AllowanceCharge; lines carry no TaxTotal
 * here, so both share this order.) The line discount is a line allowance (BT-136)
 * with the percentage and the gross as its base; ItemType: Name, …,
 * SellersItemIdentification, …, ClassifiedTaxCategory.
 */
function documentLine(line: DocumentLine, doc: InvoiceDocument): XmlNode {
  const currency = doc.currency;
  const isCreditNote = doc.kind === 'credit_note';
  const withPercent = line.discountPercent !== null && percentageFits(line.discountMinor, line.grossMinor, line.discountPercent, currency);
  return group(
    isCreditNote ? 'cac:CreditNoteLine' : 'cac:InvoiceLine',
    leaf('cbc:ID', String(line.lineNo)),
    leaf(isCreditNote ? 'cbc:CreditedQuantity' : 'cbc:InvoicedQuantity', line.quantity, { unitCode: line.unit }),
    amount('cbc:LineExtensionAmount', line.netMinor, currency),
    line.orderLineNo === null ? null : group('cac:OrderLineReference', leaf('cbc:LineID', String(line.orderLineNo))),
    line.discountMinor === 0n
      ? null
      : group(
          'cac:AllowanceCharge',
          leaf('cbc:ChargeIndicator', 'false'),
          leaf('cbc:AllowanceChargeReasonCode', discountReasonCode),
          leaf('cbc:AllowanceChargeReason', 'Discount'),
          leaf('cbc:MultiplierFactorNumeric', withPercent ? line.discountPercent : null),
          amount('cbc:Amount', line.discountMinor, currency),
          withPercent ? amount('cbc:BaseAmount', line.grossMinor, currency) : null,
        ),
    group(
      'cac:Item',
      leaf('cbc:Name', line.description),
      group('cac:SellersItemIdentification', leaf('cbc:ID', line.sku)),
      taxCategory('cac:ClassifiedTaxCategory', line.tax, false),
    ),
    group(
      'cac:Price',
      leaf('cbc:PriceAmount', unitPriceText(line.unitPrice, currency), { currencyID: currency }),
      line.priceBaseQuantity === null ? null : leaf('cbc:BaseQuantity', line.priceBaseQuantity, { unitCode: line.unit }),
    ),
  );
}

/**
 * The one free-text note (BT-22): Peppol allows a single note on the document
 * (PEPPOL-EN16931-R002), so the credit reason and the note share it.
 */
export function documentNote(doc: InvoiceDocument): string | null {
  const parts = [doc.creditReason, doc.note].map((part) => part?.trim() ?? '').filter((part) => part !== '');
  return parts.length === 0 ? null : parts.join('\n');
}

/** OrderReferenceType: ID, SalesOrderID. Without a purchase order, Peppol asks for "NA" as the order ID. */
function orderReference(doc: InvoiceDocument): XmlNode {
  if (doc.purchaseOrderReference === null && doc.salesOrderReference === null) return null;
  return group('cac:OrderReference', leaf('cbc:ID', doc.purchaseOrderReference ?? 'NA'), leaf('cbc:SalesOrderID', doc.salesOrderReference));
}

/**
 * Renders the document. The top-level children follow InvoiceType / CreditNoteType:
 * CustomizationID, ProfileID, ID, IssueDate, (DueDate, InvoiceTypeCode |
 * CreditNoteTypeCode), Note, DocumentCurrencyCode, TaxCurrencyCode, BuyerReference,
 * OrderReference, BillingReference, DespatchDocumentReference,
 * AccountingSupplierParty, AccountingCustomerParty, Delivery, PaymentMeans,
 * PaymentTerms, AllowanceCharge, TaxTotal, LegalMonetaryTotal, lines.
 */
export function renderUblInvoice(doc: InvoiceDocument): string {
  const isCreditNote = doc.kind === 'credit_note';
  const currency = doc.currency;
  const children: XmlNode[] = [
    leaf('cbc:CustomizationID', peppolBillingCustomizationId),
    leaf('cbc:ProfileID', peppolBillingProfileId),
    leaf('cbc:ID', doc.number),
    leaf('cbc:IssueDate', doc.issueDate),
    isCreditNote ? null : leaf('cbc:DueDate', doc.dueDate),
    isCreditNote ? leaf('cbc:CreditNoteTypeCode', creditNoteTypeCode) : leaf('cbc:InvoiceTypeCode', invoiceTypeCode),
    leaf('cbc:Note', documentNote(doc)),
    leaf('cbc:DocumentCurrencyCode', currency),
    leaf('cbc:TaxCurrencyCode', hasTaxCurrency(doc) ? doc.baseCurrency : null),
    leaf('cbc:BuyerReference', doc.buyerReference),
    orderReference(doc),
    doc.precedingInvoice === null
      ? null
      : group(
          'cac:BillingReference',
          group('cac:InvoiceDocumentReference', leaf('cbc:ID', doc.precedingInvoice.number), leaf('cbc:IssueDate', doc.precedingInvoice.issueDate)),
        ),
    group('cac:DespatchDocumentReference', leaf('cbc:ID', doc.despatchReference)),
    party('cac:AccountingSupplierParty', doc.seller),
    party('cac:AccountingCustomerParty', doc.buyer),
    delivery(doc),
    paymentMeans(doc),
    group('cac:PaymentTerms', leaf('cbc:Note', paymentTermsText(doc))),
    ...doc.allowances.map((allowance) => documentAllowance(allowance, currency)),
    ...doc.charges.map((charge) => documentCharge(charge, currency)),
    ...taxTotals(doc),
    monetaryTotal(doc),
    ...[...doc.lines].sort((a, b) => a.lineNo - b.lineNo).map((line) => documentLine(line, doc)),
  ];
  return xmlDocument(isCreditNote ? 'CreditNote' : 'Invoice', { xmlns: rootNamespaces[doc.kind], ...ublCommonNamespaces }, children);
}

/** The file name of the e-invoice: "invoice-INV-2026-00017.xml", "credit-note-CN-2026-00003.xml". */
export function ublFileName(doc: InvoiceDocument): string {
  const prefix = doc.kind === 'credit_note' ? 'credit-note' : 'invoice';
  const reference = (doc.number ?? `draft-${doc.id}`).replace(/[^A-Za-z0-9._-]+/g, '_');
  return `${prefix}-${reference}.xml`;
}
