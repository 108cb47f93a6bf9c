import { friendlyFormatIBAN } from 'ibantools';
import { formatMinor } from '../../../kernel';
import { PdfDocumentBuilder, type LetterheadParty } from '../../../platform/documents/pdf';
import { unitSymbol } from '../../../platform/documents/units';
import type { DocumentAddress, DocumentLine, DocumentParty, DocumentTax, EnTaxCategoryCode, InvoiceDocument } from '../invoice-document';
import { formatCreditorReference } from '../payment-reference.rules';

/** What each EN 16931 tax category means, for readers who do not know the codes. */
const categoryNames: Readonly<Record<EnTaxCategoryCode, string>> = {
  S: 'Standard rate',
  Z: 'Zero rated',
  E: 'Exempt',
  AE: 'Reverse charge',
  K: 'Intra-Community supply',
  G: 'Export outside the EU',
  O: 'Outside the scope of VAT',
};

type Fact = readonly [string, string];

/**
 * The invoice or credit note as the customer reads it: who bills whom, the facts
 * their accounts payable match on (number, dates, their PO, our order and
 * shipment), every line, the VAT breakdown with the reason for any exemption,
 * the totals, and how to pay with the reference to quote. Everything printed
 * comes from the document value, so a reprint shows what was issued.
 */
export async function renderInvoicePdf(doc: InvoiceDocument): Promise<Buffer> {
  const isCredit = doc.kind === 'credit_note';
  const isDraft = doc.status === 'draft';
  const title = isCredit ? 'Credit note' : 'Invoice';
  const numberText = doc.number ?? 'Draft';
  const pdf = new PdfDocumentBuilder(`${title} ${numberText}`, doc.locale);
  const money = (minor: bigint, currency: string = doc.currency) => pdf.money(formatMinor(minor, currency), currency);
  const date = (value: string | null) => (value === null ? null : pdf.date(value));

  pdf.letterhead(letterheadOf(doc.seller), title, [
    [isCredit ? 'Credit note no.' : 'Invoice no.', isDraft ? 'Draft' : numberText],
    ...fact('Issue date', date(doc.issueDate)),
    ...(isCredit ? [] : fact('Due date', date(doc.dueDate))),
    ...fact('Customer no.', doc.buyer.number),
    ...fact('Your PO', doc.purchaseOrderReference),
    ...fact('Your reference', distinctReference(doc)),
    ...fact('Our order', doc.salesOrderReference),
    ...fact('Shipment', doc.despatchReference),
    ...fact('Delivery date', date(doc.deliveryDate)),
  ]);
  if (isDraft) {
    pdf.paragraph(`DRAFT – not a valid ${isCredit ? 'credit note' : 'invoice'} until it is issued with a number`, {
      bold: true,
      size: 12,
      color: '#b00020',
    });
  }
  pdf.addresses([
    { title: isCredit ? 'Credit to' : 'Bill to', lines: partyLines(doc.buyer) },
    ...(doc.deliverTo === null ? [] : [{ title: 'Deliver to', lines: [doc.deliverTo.name, ...addressLines(doc.deliverTo)] }]),
    { title: 'Seller', lines: [...partyLines(doc.seller), doc.seller.email] },
  ]);
  if (isCredit && doc.precedingInvoice !== null) {
    pdf.paragraph(`Credits invoice ${doc.precedingInvoice.number} of ${pdf.date(doc.precedingInvoice.issueDate)}`, { bold: true });
  }
  if (isCredit && doc.creditReason !== null) pdf.paragraph(`Reason: ${doc.creditReason}`);

  const spansOrders = doc.salesOrderReference === null && doc.lines.some((line) => line.orderNumber !== null);
  const spansShipments = doc.despatchReference === null && doc.lines.some((line) => line.shipmentNumber !== null);
  pdf.table(
    [
      { header: '#', width: 20 },
      { header: 'Item', width: 190 },
      { header: 'Quantity', width: 55, align: 'right' },
      { header: 'Unit price', width: 62, align: 'right' },
      { header: 'Disc. %', width: 38, align: 'right' },
      { header: 'Tax', width: 50, align: 'right' },
      { header: 'Net', width: 80, align: 'right' },
    ],
    [...doc.lines]
      .sort((a, b) => a.lineNo - b.lineNo)
      .map((line) => [
        String(line.lineNo),
        itemText(line, spansOrders, spansShipments),
        line.isPriceReduction ? '' : `${pdf.quantity(line.quantity)} ${unitSymbol(line.unit)}`,
        line.isPriceReduction ? '' : line.priceBaseQuantity === null ? pdf.unitPrice(line.unitPrice, doc.currency) : `${pdf.unitPrice(line.unitPrice, doc.currency)} / ${pdf.quantity(line.priceBaseQuantity)}`,
        line.discountPercent === null ? '' : pdf.quantity(line.discountPercent),
        taxText(pdf, line.tax),
        money(line.netMinor),
      ]),
  );

  if (doc.allowances.length > 0 || doc.charges.length > 0) {
    pdf.table(
      [
        { header: 'Allowances and charges', width: 215 },
        { header: 'Basis', width: 150, align: 'right' },
        { header: 'Tax', width: 50, align: 'right' },
        { header: 'Amount', width: 80, align: 'right' },
      ],
      [
        ...doc.allowances.map((allowance) => [
          allowance.description,
          allowance.percent === null || allowance.baseMinor === null ? '' : `${pdf.quantity(allowance.percent)} % of ${money(allowance.baseMinor)}`,
          taxText(pdf, allowance.tax),
          `−${money(allowance.amountMinor)}`,
        ]),
        ...doc.charges.map((charge) => [charge.description, '', taxText(pdf, charge.tax), money(charge.amountMinor)]),
      ],
    );
  }

  const anyExemption = doc.taxSubtotals.some((subtotal) => subtotal.exemptionReason !== null || subtotal.exemptionReasonCode !== null);
  pdf.table(
    [
      { header: 'VAT', width: 130 },
      { header: anyExemption ? 'Exemption reason' : '', width: 150 },
      { header: 'Rate', width: 45, align: 'right' },
      { header: 'Taxable amount', width: 90, align: 'right' },
      { header: 'VAT amount', width: 80, align: 'right' },
    ],
    doc.taxSubtotals.map((subtotal) => [
      `${subtotal.categoryCode} ${categoryNames[subtotal.categoryCode]}`,
      subtotal.exemptionReason ?? subtotal.exemptionReasonCode ?? '',
      `${pdf.quantity(subtotal.ratePercent)} %`,
      money(subtotal.taxableMinor),
      money(subtotal.taxMinor),
    ]),
  );

  const totals = doc.totals;
  pdf.totals([
    ['Lines net', money(totals.linesNetMinor)],
    ...(totals.allowancesMinor === 0n ? [] : ([['Allowances', `−${money(totals.allowancesMinor)}`]] as const)),
    ...(totals.chargesMinor === 0n ? [] : ([['Charges', money(totals.chargesMinor)]] as const)),
    ['Total without VAT', money(totals.taxExclusiveMinor)],
    ['VAT', money(totals.taxMinor)],
    ['Total with VAT', money(totals.grossMinor)],
    ...(totals.prepaidMinor === 0n ? [] : ([['Paid in advance', `−${money(totals.prepaidMinor)}`]] as const)),
    [isCredit ? 'Amount credited' : 'Amount payable', money(totals.payableMinor)],
  ]);
  if (doc.currency !== doc.baseCurrency && doc.taxInBaseMinor !== null) {
    const rate = doc.exchangeRate === null ? '' : ` at 1 ${doc.currency} = ${exactDecimal(doc.locale, doc.exchangeRate)} ${doc.baseCurrency}`;
    pdf.paragraph(`VAT in ${doc.baseCurrency}: ${money(doc.taxInBaseMinor, doc.baseCurrency)}${rate}`, { bold: true });
  }

  pdf.paragraph('Payment', { bold: true, size: 10 });
  for (const sentence of isCredit ? creditSettlement(doc) : paymentInstructions(doc, pdf, money)) pdf.paragraph(sentence);
  if (doc.note !== null) pdf.paragraph(doc.note, { color: '#333' });

  return pdf.finish(`${doc.seller.legalName} · ${title} ${numberText}`);
}

function paymentInstructions(doc: InvoiceDocument, pdf: PdfDocumentBuilder, money: (minor: bigint) => string): string[] {
  const sentences: string[] = [];
  const terms = doc.paymentTerms === null ? null : `Payment terms: ${doc.paymentTerms.name}.`;
  const due = doc.dueDate === null ? null : `Please pay ${money(doc.totals.payableMinor)} by ${pdf.date(doc.dueDate)}.`;
  const termsAndDue = [terms, due].filter((part) => part !== null).join(' ');
  if (termsAndDue !== '') sentences.push(termsAndDue);
  if (doc.discountMinor !== null && doc.discountMinor > 0n && doc.discountDeadline !== null) {
    const percent = doc.paymentTerms?.discountPercent ?? null;
    const discount = percent === null ? money(doc.discountMinor) : `${money(doc.discountMinor)} (${pdf.quantity(percent)} %)`;
    sentences.push(
      `Early payment: pay ${money(doc.totals.payableMinor - doc.discountMinor)} by ${pdf.date(doc.discountDeadline)}, deducting a discount of ${discount}.`,
    );
  }
  if (doc.payeeIban !== null) {
    // The account gets its own line so the IBAN never wraps in the middle.
    sentences.push(`Bank transfer to ${doc.seller.legalName}:`);
    const bic = doc.payeeBic === null ? '' : ` · BIC ${doc.payeeBic}`;
    sentences.push(`IBAN ${friendlyFormatIBAN(doc.payeeIban) ?? doc.payeeIban}${bic}`);
  }
  if (doc.paymentReference !== null) {
    sentences.push(`Payment reference: ${formatCreditorReference(doc.paymentReference)}`);
    sentences.push('Please quote this reference with your payment so that we can match it to this invoice.');
  }
  return sentences;
}

function creditSettlement(doc: InvoiceDocument): string[] {
  return [
    'We settle the amount credited against your open invoices, or refund it where none are open.',
    ...(doc.paymentReference === null ? [] : [`Reference: ${formatCreditorReference(doc.paymentReference)}`]),
  ];
}

function letterheadOf(party: DocumentParty): LetterheadParty {
  return {
    legalName: party.legalName,
    addressLine1: party.address.line1,
    addressLine2: party.address.line2,
    postalCode: party.address.postalCode,
    city: party.address.city,
    countryCode: party.address.countryCode,
    vatId: party.vatId,
  };
}

function addressLines(address: DocumentAddress): Array<string | null> {
  return [address.line1, address.line2, `${address.postalCode} ${address.city}`, address.countryCode];
}

function partyLines(party: DocumentParty): Array<string | null> {
  return [
    party.legalName,
    party.name === party.legalName ? null : party.name,
    ...addressLines(party.address),
    party.vatId === null ? null : `VAT ${party.vatId}`,
    party.registrationId === null ? null : `Reg. ${party.registrationId}`,
  ];
}

/**
 * Description, then SKU and, when the document spans several orders or
 * shipments, where the line came from; the shipment gets a line of its own as
 * the item column is narrow.
 */
function itemText(line: DocumentLine, spansOrders: boolean, spansShipments: boolean): string {
  const order = spansOrders && line.orderNumber !== null ? `Order ${line.orderNumber}${line.orderLineNo === null ? '' : `/${line.orderLineNo}`}` : null;
  const skuAndOrder = [line.sku, order].filter((part) => part !== null && part !== '').join(' · ');
  return [
    line.isPriceReduction ? `Price reduction: ${line.description}` : line.description,
    skuAndOrder,
    spansShipments && line.shipmentNumber !== null ? `Shipment ${line.shipmentNumber}` : '',
  ]
    .filter((part) => part !== '')
    .join('\n');
}

function taxText(pdf: PdfDocumentBuilder, tax: DocumentTax): string {
  return `${tax.categoryCode} ${pdf.quantity(tax.ratePercent)} %`;
}

/**
 * A decimal in the document's locale with every digit it has: the exchange rate
 * carries up to ten decimals and the statement must name the rate actually used.
 * Intl reads the string as an exact decimal, so no float is involved.
 */
function exactDecimal(locale: string, value: string): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 20 }).format(value as unknown as number);
}

/** The buyer reference only when it says something the PO and customer number do not. */
function distinctReference(doc: InvoiceDocument): string | null {
  const reference = doc.buyerReference;
  return reference === null || reference === doc.purchaseOrderReference || reference === doc.buyer.number ? null : reference;
}

function fact(label: string, value: string | null): Fact[] {
  return value === null || value === '' ? [] : [[label, value] as const];
}
