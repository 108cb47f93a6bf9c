import { Big, decimalToMinor, findCurrencyExponent, formatMinor, isBusinessDate, minorToDecimal, unitPriceExtraDecimals, type Decimal } from '../../../kernel';
import type { DocumentTax, EnTaxCategoryCode, InvoiceDocument } from '../invoice-document';
import { paymentTermsText } from './ubl';

/**
 * o2c's own check of an invoice or credit note against the EN 16931 business rules
 * (and the few Peppol BIS Billing 3.0 rules our data can break), run on the
 * InvoiceDocument before the UBL is written, so a problem is reported as a sentence
 * that says what to fix rather than as a rejected e-invoice days later.
 *
 * The rules are read as they apply to our model, which fixes some of what EN 16931
 * checks: the specification identifier (BR-01) and type code (BR-04) are constants
 * of the renderer; every line, allowance and charge carries a VAT category
 * (BR-CO-04, BR-32, BR-37); allowances always carry reason code 95 (BR-33, BR-42,
 * BR-CO-21, BR-CO-23); and the renderer only writes payment means 30 or 58 with an
 * account (BR-61). Amounts are bigint minor units, so they are exact and have the
 * currency's decimals; BR-DEC can only fail for currencies with more than two.
 *
 * Rules of o2c's own (prefix O2C-) check what the standard takes for granted but
 * our model spells out: line arithmetic, the order discount's shares and the tax
 * allocation behind the VAT breakdown, and the form of decimals and percentages.
 */

export interface Violation {
  /** The rule's identifier, e.g. "BR-CO-15", "BR-S-02", "PEPPOL-EN16931-R003", "O2C-LINE-NET". */
  readonly rule: string;
  /** One sentence, starting with the rule id, that says what is wrong and what to fix. */
  readonly message: string;
  /** Where in the InvoiceDocument, e.g. "lines[2].netMinor". */
  readonly path?: string;
}

const hundred = new Big('100');
const zero = new Big('0');
/** Plain decimal text as the model keeps it ("12.5"); trailing zeros ("12.50") are tolerated, exponents and signs are not. */
const plainDecimal = /^-?\d+(\.\d+)?$/;
const plainPercent = /^\d+(\.\d+)?$/;
const quantityDecimals = 6;

/** What EN 16931 asks of each VAT category; the rule ids follow the standard's prefixes (K is "IC"). */
interface CategoryRules {
  readonly prefix: string;
  readonly label: string;
  /** Rates of lines, allowances and charges (rules -05 to -07). */
  readonly rate: 'positive' | 'zero' | 'none';
  /** The seller's VAT identifier: needed, or forbidden ("not subject to VAT"). */
  readonly sellerVat: 'required' | 'forbidden';
  /** The buyer's identifiers the category needs, or forbids. */
  readonly buyer: 'vat' | 'vat-or-legal' | 'forbidden' | 'any';
  /** Whether the VAT breakdown row states an exemption reason (rule -10). */
  readonly exemption: 'forbidden' | 'required';
  /** The VATEX code that means this category, when there is exactly one. */
  readonly vatex: string | null;
}

const categoryRules: Readonly<Record<EnTaxCategoryCode, CategoryRules>> = {
  S: { prefix: 'BR-S', label: 'standard rated', rate: 'positive', sellerVat: 'required', buyer: 'any', exemption: 'forbidden', vatex: null },
  Z: { prefix: 'BR-Z', label: 'zero rated', rate: 'zero', sellerVat: 'required', buyer: 'any', exemption: 'forbidden', vatex: null },
  E: { prefix: 'BR-E', label: 'exempt from VAT', rate: 'zero', sellerVat: 'required', buyer: 'any', exemption: 'required', vatex: null },
  AE: { prefix: 'BR-AE', label: 'reverse charge', rate: 'zero', sellerVat: 'required', buyer: 'vat-or-legal', exemption: 'required', vatex: 'VATEX-EU-AE' },
  K: { prefix: 'BR-IC', label: 'intra-Community supply', rate: 'zero', sellerVat: 'required', buyer: 'vat', exemption: 'required', vatex: 'VATEX-EU-IC' },
  G: { prefix: 'BR-G', label: 'export outside the EU', rate: 'zero', sellerVat: 'required', buyer: 'any', exemption: 'required', vatex: 'VATEX-EU-G' },
  O: { prefix: 'BR-O', label: 'not subject to VAT', rate: 'none', sellerVat: 'forbidden', buyer: 'forbidden', exemption: 'required', vatex: 'VATEX-EU-O' },
};

const categoryCodes = Object.keys(categoryRules) as EnTaxCategoryCode[];

/** VATEX codes that name one category; an exempt (E) row must not borrow them. */
const categoryVatexCodes = new Set(categoryCodes.map((code) => categoryRules[code].vatex).filter((code): code is string => code !== null));

const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });

function isCountryPrefix(prefix: string): boolean {
  if (!/^[A-Z]{2}$/.test(prefix)) return false;
  if (prefix === 'EL') return true; // Greece's VAT prefix (BR-CO-09 names it).
  const name = regionNames.of(prefix);
  return name !== undefined && name !== prefix && name !== 'Unknown Region';
}

function readDecimal(text: string | null | undefined): Decimal | null {
  return typeof text === 'string' && plainDecimal.test(text) ? new Big(text) : null;
}

function decimalsOf(text: string): number {
  return text.split('.')[1]?.length ?? 0;
}

/** The rate of a tax as a number to compare and compute with, or null when it is not a decimal. */
function rateOf(tax: DocumentTax): Decimal | null {
  return typeof tax.ratePercent === 'string' && plainPercent.test(tax.ratePercent) ? new Big(tax.ratePercent) : null;
}

function isBlank(text: string | null | undefined): boolean {
  return text === null || text === undefined || text.trim() === '';
}

/** A source of a taxable amount: a line (its net), a document allowance (negative) or a charge. */
interface TaxedPart {
  readonly kind: 'line' | 'allowance' | 'charge';
  readonly index: number;
  readonly tax: DocumentTax;
  /** Signed contribution to the category's taxable amount (BR-x-08). */
  readonly amountMinor: bigint;
}

class Findings {
  readonly violations: Violation[] = [];

  add(rule: string, text: string, path?: string): void {
    this.violations.push({ rule, message: `${rule}: ${text}`, ...(path === undefined ? {} : { path }) });
  }
}

/** Checks a document; an empty list means it meets every rule checked here. */
export function checkEn16931(doc: InvoiceDocument): Violation[] {
  const findings = new Findings();
  const exponent = findCurrencyExponent(doc.currency);
  const money = (amountMinor: bigint): string =>
    exponent === undefined ? `${amountMinor} minor units` : `${formatMinor(amountMinor, doc.currency)} ${doc.currency}`;
  const bare = (amountMinor: bigint): string => (exponent === undefined ? `${amountMinor}` : formatMinor(amountMinor, doc.currency));

  checkHeader(doc, findings);
  checkParties(doc, findings);
  checkLines(doc, findings, exponent, money);
  checkAllowancesAndCharges(doc, findings);
  checkTotals(doc, findings, money, bare);
  checkBreakdown(doc, findings, exponent, money);
  checkCategories(doc, findings, exponent, money);
  checkCurrencies(doc, findings, exponent);
  return findings.violations;
}

/** BR-02 to BR-05, BR-16, BR-55, BR-57, BR-CO-25, PEPPOL-EN16931-R003 and the date format. */
function checkHeader(doc: InvoiceDocument, findings: Findings): void {
  // BR-01: the specification identifier (BT-24) is the renderer's Peppol constant.
  // BR-02: an invoice shall have an invoice number (BT-1).
  if (isBlank(doc.number)) findings.add('BR-02', 'the document has no number (BT-1); issue it before sending it as an e-invoice.', 'number');
  // BR-03: an invoice shall have an issue date (BT-2).
  if (isBlank(doc.issueDate)) findings.add('BR-03', 'the document has no issue date (BT-2); issue it before sending it as an e-invoice.', 'issueDate');
  // BR-04: an invoice shall have a type code (BT-3); ours follows from the kind.
  if (doc.kind !== 'invoice' && doc.kind !== 'credit_note') {
    findings.add('BR-04', `the kind "${String(doc.kind)}" has no type code (BT-3); use "invoice" (380) or "credit_note" (381).`, 'kind');
  }
  // BR-05: an invoice shall have a currency code (BT-5), from ISO 4217 (BR-CL-04).
  if (isBlank(doc.currency)) findings.add('BR-05', 'the document has no currency (BT-5); set an ISO 4217 currency code.', 'currency');
  else if (findCurrencyExponent(doc.currency) === undefined) {
    findings.add('BR-CL-04', `the currency "${doc.currency}" is not an ISO 4217 code; set a valid currency code (BT-5).`, 'currency');
  }
  // BR-16: an invoice shall have at least one line (BG-25).
  if (doc.lines.length === 0) findings.add('BR-16', 'the document has no lines; an e-invoice needs at least one line (BG-25).', 'lines');
  // PEPPOL-EN16931-F001: dates are calendar dates YYYY-MM-DD.
  const dates: [string, string | null][] = [
    ['issueDate', doc.issueDate],
    ['dueDate', doc.dueDate],
    ['deliveryDate', doc.deliveryDate],
    ['discountDeadline', doc.discountDeadline],
    ['precedingInvoice.issueDate', doc.precedingInvoice?.issueDate ?? null],
  ];
  for (const [path, date] of dates) {
    if (!isBlank(date) && !isBusinessDate(date!)) findings.add('PEPPOL-EN16931-F001', `the date "${date}" at ${path} is not a calendar date YYYY-MM-DD; correct it.`, path);
  }
  // BR-55: a preceding invoice reference (BG-3) shall contain the preceding invoice's number (BT-25).
  if (doc.precedingInvoice !== null && isBlank(doc.precedingInvoice.number)) {
    findings.add('BR-55', 'the preceding invoice reference has no invoice number (BT-25); give the number of the invoice this document corrects.', 'precedingInvoice.number');
  }
  // BR-57: each deliver-to address (BG-15) shall contain a country code (BT-80).
  if (doc.deliverTo !== null && isBlank(doc.deliverTo.countryCode)) {
    findings.add('BR-57', 'the deliver-to address has no country (BT-80); add the country the goods went to.', 'deliverTo.countryCode');
  }
  // BR-CO-25: a positive amount due needs the payment due date (BT-9) or the payment terms (BT-20).
  if (doc.totals.payableMinor > 0n && (doc.kind !== 'invoice' || doc.dueDate === null) && paymentTermsText(doc) === null) {
    findings.add('BR-CO-25', 'an amount is due but the document has neither a due date (BT-9) nor payment terms (BT-20); set the payment terms or the due date.', 'dueDate');
  }
  // PEPPOL-EN16931-R003: a buyer reference (BT-10) or a purchase order reference (BT-13) must be given.
  if (isBlank(doc.buyerReference) && isBlank(doc.purchaseOrderReference)) {
    findings.add('PEPPOL-EN16931-R003', 'the document has neither a buyer reference (BT-10) nor a purchase order reference (BT-13); enter the reference the buyer asked for, or the customer number.', 'buyerReference');
  }
}

/** BR-06 to BR-11, BR-CO-09 and BR-CO-26. */
function checkParties(doc: InvoiceDocument, findings: Findings): void {
  // BR-06 / BR-07: seller name (BT-27) and buyer name (BT-44), i.e. the registered names.
  if (isBlank(doc.seller.legalName)) findings.add('BR-06', 'the seller has no registered name (BT-27); complete the tenant profile.', 'seller.legalName');
  if (isBlank(doc.buyer.legalName)) findings.add('BR-07', 'the buyer has no name (BT-44); complete the customer record.', 'buyer.legalName');
  for (const [side, party, addressRule, countryRule] of [
    ['seller', doc.seller, 'BR-08', 'BR-09'],
    ['buyer', doc.buyer, 'BR-10', 'BR-11'],
  ] as const) {
    // BR-08 / BR-10: a postal address (BG-5, BG-8); BR-09 / BR-11: with a country code (BT-40, BT-55).
    const address = party.address;
    const empty = address === null || address === undefined || [address.line1, address.city, address.postalCode, address.countryCode].every(isBlank);
    if (empty) findings.add(addressRule, `the ${side} has no postal address; add street, postal code, city and country.`, `${side}.address`);
    else if (isBlank(address.countryCode) || !/^[A-Z]{2}$/.test(address.countryCode)) {
      findings.add(countryRule, `the ${side}'s address has no valid country code ("${address.countryCode}"); set the ISO 3166-1 alpha-2 code.`, `${side}.address.countryCode`);
    }
    // BR-CO-09: VAT identifiers start with an ISO 3166-1 alpha-2 prefix (Greece may use EL).
    if (!isBlank(party.vatId) && !isCountryPrefix(party.vatId!.slice(0, 2))) {
      findings.add('BR-CO-09', `the ${side}'s VAT identifier "${party.vatId}" does not start with a country code; write it with its prefix, e.g. DE123456789.`, `${side}.vatId`);
    }
  }
  // BR-CO-26: the seller needs an identifier (BT-29), a legal registration identifier (BT-30) or a VAT identifier (BT-31).
  if (isBlank(doc.seller.vatId) && isBlank(doc.seller.registrationId) && isBlank(doc.seller.number)) {
    findings.add('BR-CO-26', 'the seller has neither a VAT identifier nor a company registration number; add one to the tenant profile so the buyer can identify the seller.', 'seller');
  }
}

/** BR-21 to BR-27 and o2c's line arithmetic. */
function checkLines(doc: InvoiceDocument, findings: Findings, exponent: number | undefined, money: (minor: bigint) => string): void {
  doc.lines.forEach((line, index) => {
    const at = `lines[${index}]`;
    const name = `line ${Number.isInteger(line.lineNo) ? line.lineNo : index + 1}`;
    // BR-21: each line shall have an identifier (BT-126).
    if (!Number.isInteger(line.lineNo) || line.lineNo < 1) findings.add('BR-21', `${name} has no line number (BT-126); number the lines from 1.`, `${at}.lineNo`);
    // BR-22 / BR-23: an invoiced quantity (BT-129) with its unit of measure (BT-130).
    if (isBlank(line.quantity)) findings.add('BR-22', `${name} has no quantity (BT-129); enter the quantity invoiced.`, `${at}.quantity`);
    if (isBlank(line.unit)) findings.add('BR-23', `${name} has no unit of measure (BT-130); set a UN/ECE Rec 20 unit such as C62.`, `${at}.unit`);
    // BR-25: each line shall contain the item name (BT-153).
    if (isBlank(line.description)) findings.add('BR-25', `${name} has no item name (BT-153); describe what is invoiced.`, `${at}.description`);
    // BR-26: each line shall contain the item net price (BT-146); BR-27: it shall not be negative.
    if (isBlank(line.unitPrice)) findings.add('BR-26', `${name} has no unit price (BT-146); enter the net price.`, `${at}.unitPrice`);
    const quantity = readDecimal(line.quantity);
    const baseQuantity = line.priceBaseQuantity === null ? null : readDecimal(line.priceBaseQuantity);
    // BR-DEC and R121-style: a price base quantity, when stated, is a positive decimal.
    if (line.priceBaseQuantity !== null && (baseQuantity === null || !baseQuantity.gt(zero))) {
      findings.add('O2C-BASE-QUANTITY', `${name} has the price base quantity "${line.priceBaseQuantity}"; write a positive decimal.`, `${at}.priceBaseQuantity`);
    }
    const statedPrice = readDecimal(line.unitPrice);
    // The price per unit: BT-146 ÷ BT-149 when a base quantity is stated.
    const price = statedPrice === null || baseQuantity === null || !baseQuantity.gt(zero) ? statedPrice : statedPrice.div(baseQuantity);
    if (price !== null && price.lt(zero)) {
      findings.add('BR-27', `${name} has a negative unit price ${line.unitPrice}; use a positive price and a negative quantity, or a credit note.`, `${at}.unitPrice`);
    }
    // O2C-QUANTITY: quantities are plain decimals with at most six decimals (kernel/quantity.ts).
    if (!isBlank(line.quantity) && (quantity === null || decimalsOf(line.quantity) > quantityDecimals)) {
      findings.add('O2C-QUANTITY', `${name} has the quantity "${line.quantity}"; write it as a plain decimal with at most ${quantityDecimals} decimals.`, `${at}.quantity`);
    }
    // O2C-PRICE-DEC: unit prices carry at most the currency's decimals plus four.
    if (!isBlank(line.unitPrice) && exponent !== undefined && (statedPrice === null || decimalsOf(line.unitPrice) > exponent + unitPriceExtraDecimals)) {
      findings.add('O2C-PRICE-DEC', `${name} has the unit price "${line.unitPrice}"; write it as a plain decimal with at most ${exponent + unitPriceExtraDecimals} decimals for ${doc.currency}.`, `${at}.unitPrice`);
    }
    // O2C-PERCENT: the line discount is a plain percentage from 0 to 100.
    const discountPercent = line.discountPercent === null ? null : readPercent(line.discountPercent);
    if (line.discountPercent !== null && discountPercent === null) {
      findings.add('O2C-PERCENT', `${name} has the discount percentage "${line.discountPercent}"; write a plain number from 0 to 100 such as "12.5".`, `${at}.discountPercent`);
    }
    if (exponent === undefined) return;
    // O2C-LINE-GROSS: gross = unit price × quantity, rounded half away from zero to the currency.
    if (price !== null && quantity !== null) {
      const expected = decimalToMinor(price.times(quantity), doc.currency);
      if (expected !== line.grossMinor) {
        findings.add('O2C-LINE-GROSS', `${name}: ${line.quantity} × ${line.unitPrice} is ${money(expected)}, but the line's gross is ${money(line.grossMinor)}; recompute the line.`, `${at}.grossMinor`);
      }
    }
    // O2C-LINE-DISCOUNT: the line discount (BT-136) is the percentage of the gross (BT-137), rounded; none without a percentage.
    const expectedDiscount = discountPercent === null ? 0n : decimalToMinor(minorToDecimal(line.grossMinor, doc.currency).times(discountPercent).div(hundred), doc.currency);
    // A stated line (price base quantity set) may carry its discount as an amount without a percentage.
    const statedDiscount = line.priceBaseQuantity !== null && line.discountPercent === null;
    if (!statedDiscount && (line.discountPercent === null || discountPercent !== null) && expectedDiscount !== line.discountMinor) {
      const basis = line.discountPercent === null ? 'no discount percentage' : `${line.discountPercent} % of ${money(line.grossMinor)}`;
      findings.add('O2C-LINE-DISCOUNT', `${name} has a discount of ${money(line.discountMinor)} but ${basis} makes ${money(expectedDiscount)}; recompute the line.`, `${at}.discountMinor`);
    }
    // O2C-LINE-NET: the line net amount (BT-131) = gross − line discount.
    if (line.netMinor !== line.grossMinor - line.discountMinor) {
      findings.add('O2C-LINE-NET', `${name}'s net ${money(line.netMinor)} must equal its gross ${money(line.grossMinor)} less its discount ${money(line.discountMinor)}; recompute the line.`, `${at}.netMinor`);
    }
    // O2C-LINE-TAXABLE: the line's taxable amount = net − its share of the order discount.
    if (line.taxableMinor !== line.netMinor - line.allowanceShareMinor) {
      findings.add('O2C-LINE-TAXABLE', `${name}'s taxable amount ${money(line.taxableMinor)} must equal its net ${money(line.netMinor)} less its order-discount share ${money(line.allowanceShareMinor)}; recompute the line.`, `${at}.taxableMinor`);
    }
  });
}

function readPercent(text: string): Decimal | null {
  if (!plainPercent.test(text)) return null;
  const value = new Big(text);
  return value.gt(hundred) ? null : value;
}

/** BR-31, BR-36, BR-38 (BR-CO-22) and the Peppol rules on percentages and base amounts. */
function checkAllowancesAndCharges(doc: InvoiceDocument, findings: Findings): void {
  doc.allowances.forEach((allowance, index) => {
    const at = `allowances[${index}]`;
    const name = `the allowance "${allowance.description}"`;
    // BR-31: each document level allowance shall have an amount (BT-92).
    if (typeof allowance.amountMinor !== 'bigint') findings.add('BR-31', `${name} has no amount (BT-92); enter it.`, `${at}.amountMinor`);
    const percent = allowance.percent === null ? null : readPercent(allowance.percent);
    if (allowance.percent !== null && percent === null) {
      findings.add('O2C-PERCENT', `${name} has the percentage "${allowance.percent}"; write a plain number from 0 to 100 such as "2.5".`, `${at}.percent`);
    }
    // PEPPOL-EN16931-R041: a percentage (BT-94) needs its base amount (BT-93); R042: a base amount needs its percentage.
    if (allowance.percent !== null && allowance.baseMinor === null) {
      findings.add('PEPPOL-EN16931-R041', `${name} has a percentage but no base amount (BT-93); give the amount the percentage applies to.`, `${at}.baseMinor`);
    }
    if (allowance.percent === null && allowance.baseMinor !== null) {
      findings.add('PEPPOL-EN16931-R042', `${name} has a base amount but no percentage (BT-94); give the percentage or drop the base.`, `${at}.percent`);
    }
    // PEPPOL-EN16931-R040 (amount = base × percentage / 100 within 0.02) is kept by the renderer,
    // which sends percentage and base only when they reproduce the amount (ubl.ts percentageFits).
  });
  doc.charges.forEach((charge, index) => {
    const at = `charges[${index}]`;
    // BR-36: each document level charge shall have an amount (BT-99).
    if (typeof charge.amountMinor !== 'bigint') findings.add('BR-36', `the charge "${charge.description}" has no amount (BT-99); enter it.`, `${at}.amountMinor`);
    // BR-38 / BR-CO-22: each charge shall have a reason (BT-104) or a reason code (BT-105).
    if (isBlank(charge.description) && isBlank(charge.reasonCode)) {
      findings.add('BR-38', `charge ${index + 1} has neither a reason (BT-104) nor a reason code (BT-105); describe it, e.g. "Freight" with code FC.`, `${at}.description`);
    }
  });
}

/** BR-12 to BR-15 and the document totals BR-CO-10 to BR-CO-16. */
function checkTotals(doc: InvoiceDocument, findings: Findings, money: (minor: bigint) => string, bare: (minor: bigint) => string): void {
  const totals = doc.totals;
  // BR-12 to BR-15: the sum of line nets (BT-106), total without VAT (BT-109), with VAT (BT-112) and amount due (BT-115).
  const required: [string, keyof typeof totals, string][] = [
    ['BR-12', 'linesNetMinor', 'sum of line net amounts (BT-106)'],
    ['BR-13', 'taxExclusiveMinor', 'total without VAT (BT-109)'],
    ['BR-14', 'grossMinor', 'total with VAT (BT-112)'],
    ['BR-15', 'payableMinor', 'amount due (BT-115)'],
  ];
  let complete = true;
  for (const [rule, field, label] of required) {
    if (typeof totals[field] !== 'bigint') {
      complete = false;
      findings.add(rule, `the document has no ${label}; compute the totals.`, `totals.${field}`);
    }
  }
  if (!complete) return;
  const sum = (values: readonly bigint[]) => values.reduce((total, value) => total + value, 0n);
  // BR-CO-10: BT-106 = Σ line net amounts (BT-131).
  const linesNet = sum(doc.lines.map((line) => line.netMinor));
  if (totals.linesNetMinor !== linesNet) {
    findings.add('BR-CO-10', `the sum of line net amounts ${money(totals.linesNetMinor)} must equal the lines' nets added up, ${money(linesNet)}; recompute the totals.`, 'totals.linesNetMinor');
  }
  // BR-CO-11: BT-107 = Σ document level allowance amounts (BT-92).
  const allowances = sum(doc.allowances.map((allowance) => allowance.amountMinor));
  if (totals.allowancesMinor !== allowances) {
    findings.add('BR-CO-11', `the allowance total ${money(totals.allowancesMinor)} must equal the allowances added up, ${money(allowances)}; recompute the totals.`, 'totals.allowancesMinor');
  }
  // BR-CO-12: BT-108 = Σ document level charge amounts (BT-99).
  const charges = sum(doc.charges.map((charge) => charge.amountMinor));
  if (totals.chargesMinor !== charges) {
    findings.add('BR-CO-12', `the charge total ${money(totals.chargesMinor)} must equal the charges added up, ${money(charges)}; recompute the totals.`, 'totals.chargesMinor');
  }
  // BR-CO-13: BT-109 = BT-106 − BT-107 + BT-108.
  const taxExclusive = totals.linesNetMinor - totals.allowancesMinor + totals.chargesMinor;
  if (totals.taxExclusiveMinor !== taxExclusive) {
    findings.add(
      'BR-CO-13',
      `the total without VAT ${money(totals.taxExclusiveMinor)} must equal lines ${bare(totals.linesNetMinor)} − allowances ${bare(totals.allowancesMinor)} + charges ${bare(totals.chargesMinor)} = ${money(taxExclusive)}; recompute the totals.`,
      'totals.taxExclusiveMinor',
    );
  }
  // BR-CO-14: BT-110 = Σ VAT category tax amounts (BT-117).
  const subtotalTax = sum(doc.taxSubtotals.map((subtotal) => subtotal.taxMinor));
  if (totals.taxMinor !== subtotalTax) {
    findings.add('BR-CO-14', `the VAT total ${money(totals.taxMinor)} must equal the VAT breakdown's tax added up, ${money(subtotalTax)}; recompute the totals.`, 'totals.taxMinor');
  }
  // BR-CO-15: BT-112 = BT-109 + BT-110.
  if (totals.grossMinor !== totals.taxExclusiveMinor + totals.taxMinor) {
    findings.add(
      'BR-CO-15',
      `the gross ${money(totals.grossMinor)} must equal tax-exclusive ${bare(totals.taxExclusiveMinor)} + tax ${bare(totals.taxMinor)} = ${money(totals.taxExclusiveMinor + totals.taxMinor)}; recompute the totals.`,
      'totals.grossMinor',
    );
  }
  // BR-CO-16: BT-115 = BT-112 − BT-113 (we send no rounding amount, BT-114).
  if (totals.payableMinor !== totals.grossMinor - totals.prepaidMinor) {
    findings.add(
      'BR-CO-16',
      `the amount due ${money(totals.payableMinor)} must equal gross ${bare(totals.grossMinor)} − paid ${bare(totals.prepaidMinor)} = ${money(totals.grossMinor - totals.prepaidMinor)}; recompute the totals.`,
      'totals.payableMinor',
    );
  }
}

function taxKey(tax: DocumentTax): string {
  const rate = rateOf(tax);
  return `${tax.categoryCode}|${rate === null ? tax.ratePercent : rate.toFixed()}`;
}

function describeTax(tax: DocumentTax): string {
  return tax.categoryCode === 'O' ? 'category O' : `category ${tax.categoryCode} at ${tax.ratePercent} %`;
}

function taxedParts(doc: InvoiceDocument): TaxedPart[] {
  return [
    ...doc.lines.map((line, index) => ({ kind: 'line' as const, index, tax: line.tax, amountMinor: line.netMinor })),
    ...doc.allowances.map((allowance, index) => ({ kind: 'allowance' as const, index, tax: allowance.tax, amountMinor: -allowance.amountMinor })),
    ...doc.charges.map((charge, index) => ({ kind: 'charge' as const, index, tax: charge.tax, amountMinor: charge.amountMinor })),
  ];
}

/**
 * Whether a category's tax is its taxable amount × rate. An invoice's is exact. A
 * credit note's may differ by one minor unit: it carries the difference of the
 * rounded tax on everything credited so far, so the credit notes of an invoice
 * together reverse its VAT to the cent (the EN 16931 schematron itself allows ±1).
 */
function taxMatches(doc: InvoiceDocument, expectedMinor: bigint, actualMinor: bigint): boolean {
  const difference = expectedMinor - actualMinor;
  return doc.kind === 'credit_note' ? difference >= -1n && difference <= 1n : difference === 0n;
}

/** BR-45 to BR-48, BR-CO-17, BR-CO-18 and o2c's checks that the breakdown follows from the lines. */
function checkBreakdown(doc: InvoiceDocument, findings: Findings, exponent: number | undefined, money: (minor: bigint) => string): void {
  // BR-CO-18: an invoice shall have at least one VAT breakdown (BG-23).
  if (doc.taxSubtotals.length === 0) {
    findings.add('BR-CO-18', 'the document has no VAT breakdown (BG-23); compute the tax per category and rate.', 'taxSubtotals');
    return;
  }
  const seen = new Map<string, number>();
  doc.taxSubtotals.forEach((subtotal, index) => {
    const at = `taxSubtotals[${index}]`;
    // BR-45 / BR-46: each breakdown row has a taxable amount (BT-116) and a tax amount (BT-117).
    if (typeof subtotal.taxableMinor !== 'bigint') findings.add('BR-45', `VAT breakdown row ${index + 1} has no taxable amount (BT-116).`, `${at}.taxableMinor`);
    if (typeof subtotal.taxMinor !== 'bigint') findings.add('BR-46', `VAT breakdown row ${index + 1} has no tax amount (BT-117).`, `${at}.taxMinor`);
    // BR-47: each row is defined by a VAT category code (BT-118), from UNCL 5305 (BR-CL-17).
    if (isBlank(subtotal.categoryCode)) findings.add('BR-47', `VAT breakdown row ${index + 1} has no VAT category (BT-118).`, `${at}.categoryCode`);
    else if (!categoryCodes.includes(subtotal.categoryCode)) {
      findings.add('BR-CL-17', `VAT breakdown row ${index + 1} has the unknown VAT category "${subtotal.categoryCode}"; use S, Z, E, AE, K, G or O.`, `${at}.categoryCode`);
    }
    // BR-48: each row has a VAT rate (BT-119), except "not subject to VAT".
    const rate = rateOf(subtotal);
    if (isBlank(subtotal.ratePercent)) {
      if (subtotal.categoryCode !== 'O') findings.add('BR-48', `VAT breakdown row ${index + 1} (category ${subtotal.categoryCode}) has no VAT rate (BT-119).`, `${at}.ratePercent`);
    } else if (rate === null || rate.gt(hundred)) {
      findings.add('O2C-PERCENT', `VAT breakdown row ${index + 1} has the rate "${subtotal.ratePercent}"; write a plain percentage from 0 to 100 such as "19" or "5.5".`, `${at}.ratePercent`);
    }
    // BR-CO-17: tax (BT-117) = taxable (BT-116) × rate (BT-119) / 100, rounded half away from zero to the currency.
    if (subtotal.categoryCode !== 'O' && rate !== null && exponent !== undefined) {
      const expected = decimalToMinor(minorToDecimal(subtotal.taxableMinor, doc.currency).times(rate).div(hundred), doc.currency);
      if (!taxMatches(doc, expected, subtotal.taxMinor)) {
        findings.add(
          'BR-CO-17',
          `the ${describeTax(subtotal)} tax ${money(subtotal.taxMinor)} must equal ${money(subtotal.taxableMinor)} × ${subtotal.ratePercent} % = ${money(expected)}; recompute the VAT breakdown.`,
          `${at}.taxMinor`,
        );
      }
    }
    const key = taxKey(subtotal);
    if (seen.has(key) && subtotal.categoryCode === 'S') {
      // O2C-BREAKDOWN: one row per category and rate, so each row's taxable amount is that group's whole base.
      findings.add('O2C-BREAKDOWN', `the VAT breakdown has two rows for ${describeTax(subtotal)}; merge them into one.`, at);
    }
    seen.set(key, (seen.get(key) ?? 0) + 1);
  });

  if (exponent === undefined) return;
  // O2C-ALLOWANCE-SHARE, O2C-BREAKDOWN-TAXABLE, O2C-TAX-ALLOCATION: the breakdown, the order discount's
  // shares and the tax shares of lines and charges must follow from each other, group by group.
  const groups = new Map<string, { tax: DocumentTax; shares: bigint; allowances: bigint; taxable: bigint; taxShares: bigint }>();
  const groupOf = (tax: DocumentTax) => {
    const key = taxKey(tax);
    let entry = groups.get(key);
    if (entry === undefined) {
      entry = { tax, shares: 0n, allowances: 0n, taxable: 0n, taxShares: 0n };
      groups.set(key, entry);
    }
    return entry;
  };
  for (const line of doc.lines) {
    const entry = groupOf(line.tax);
    entry.shares += line.allowanceShareMinor;
    entry.taxable += line.taxableMinor;
    entry.taxShares += line.taxMinor;
  }
  for (const allowance of doc.allowances) groupOf(allowance.tax).allowances += allowance.amountMinor;
  for (const charge of doc.charges) {
    const entry = groupOf(charge.tax);
    entry.taxable += charge.amountMinor;
    entry.taxShares += charge.taxMinor;
  }
  for (const [key, entry] of groups) {
    const label = describeTax(entry.tax);
    if (entry.shares !== entry.allowances) {
      findings.add('O2C-ALLOWANCE-SHARE', `the lines of ${label} carry ${money(entry.shares)} of order discount, but its allowances are ${money(entry.allowances)}; share the allowance over the lines again.`, 'lines');
    }
    const rows = doc.taxSubtotals.filter((subtotal) => taxKey(subtotal) === key);
    if (rows.length === 0 && entry.tax.categoryCode === 'S') {
      // O2C-BREAKDOWN: BR-S-01 is met by any S row, so a rate without its own row is caught here.
      findings.add('O2C-BREAKDOWN', `there are items of ${label} but no VAT breakdown row for them; recompute the VAT breakdown.`, 'taxSubtotals');
    }
    if (rows.length !== 1) continue;
    const row = rows[0]!;
    if (row.taxableMinor !== entry.taxable) {
      findings.add('O2C-BREAKDOWN-TAXABLE', `the VAT breakdown gives ${label} a taxable amount of ${money(row.taxableMinor)}, but its lines' taxable amounts and charges add up to ${money(entry.taxable)}; recompute the VAT breakdown.`, `taxSubtotals[${doc.taxSubtotals.indexOf(row)}].taxableMinor`);
    }
    if (row.taxMinor !== entry.taxShares) {
      findings.add('O2C-TAX-ALLOCATION', `the VAT breakdown gives ${label} a tax of ${money(row.taxMinor)}, but the tax shares of its lines and charges add up to ${money(entry.taxShares)}; allocate the tax again.`, `taxSubtotals[${doc.taxSubtotals.indexOf(row)}].taxMinor`);
    }
  }
}

/** The per-category rules BR-S, BR-Z, BR-E, BR-AE, BR-IC (K), BR-G and BR-O, numbered -01 to -14 as in EN 16931. */
function checkCategories(doc: InvoiceDocument, findings: Findings, exponent: number | undefined, money: (minor: bigint) => string): void {
  const parts = taxedParts(doc);
  const rowsOf = (code: EnTaxCategoryCode) => doc.taxSubtotals.map((row, index) => ({ row, index })).filter(({ row }) => row.categoryCode === code);
  const sellerVat = !isBlank(doc.seller.vatId);
  const buyerVat = !isBlank(doc.buyer.vatId);
  const buyerLegal = !isBlank(doc.buyer.registrationId);

  for (const part of parts) {
    // BR-CL-18: the categories of lines, allowances and charges come from UNCL 5305 (the ones EN 16931 knows).
    if (!categoryCodes.includes(part.tax.categoryCode)) {
      findings.add('BR-CL-18', `${partName(part)} has the unknown VAT category "${part.tax.categoryCode}"; use S, Z, E, AE, K, G or O.`, `${partPath(part)}.tax.categoryCode`);
    }
  }

  for (const code of categoryCodes) {
    const rules = categoryRules[code];
    const used = parts.filter((part) => part.tax.categoryCode === code);
    const rows = rowsOf(code);
    if (used.length === 0 && rows.length === 0) continue;

    // -01: a category used by a line, allowance or charge appears in the VAT breakdown: S at least once, the others exactly once.
    if (used.length > 0 && (rows.length === 0 || (code !== 'S' && rows.length > 1))) {
      findings.add(
        `${rules.prefix}-01`,
        rows.length === 0
          ? `the document has ${rules.label} (${code}) items but no ${code} row in the VAT breakdown; add it.`
          : `the VAT breakdown has ${rows.length} rows for ${rules.label} (${code}); EN 16931 allows exactly one, so merge them (one exemption reason for the category).`,
        'taxSubtotals',
      );
    }

    // -02 to -04: the identifiers the category needs (or forbids), for lines, allowances and charges in turn.
    for (const [suffix, kind] of [['02', 'line'], ['03', 'allowance'], ['04', 'charge']] as const) {
      if (!used.some((part) => part.kind === kind)) continue;
      const rule = `${rules.prefix}-${suffix}`;
      const what = kind === 'line' ? 'lines' : kind === 'allowance' ? 'allowances' : 'charges';
      if (rules.sellerVat === 'required' && !sellerVat) {
        findings.add(rule, `${rules.label} ${what} need the seller's VAT identifier (BT-31); add the VAT id to the tenant profile.`, 'seller.vatId');
      }
      if (rules.buyer === 'vat' && !buyerVat) {
        findings.add(rule, `${rules.label} ${what} need the buyer's VAT identifier (BT-48); add the customer's VAT id.`, 'buyer.vatId');
      }
      if (rules.buyer === 'vat-or-legal' && !buyerVat && !buyerLegal) {
        findings.add(rule, `${rules.label} ${what} need the buyer's VAT identifier (BT-48) or legal registration number (BT-47); add the customer's VAT id.`, 'buyer.vatId');
      }
      if (rules.sellerVat === 'forbidden' && (sellerVat || buyerVat)) {
        findings.add(rule, `${rules.label} ${what} must not state the seller's or the buyer's VAT identifier; leave both out of this document.`, sellerVat ? 'seller.vatId' : 'buyer.vatId');
      }
    }

    // -05 to -07: the rate of each line, allowance and charge of the category.
    for (const part of used) {
      const rate = rateOf(part.tax);
      if (rate === null) continue; // O2C-PERCENT below names the malformed rate.
      const suffix = part.kind === 'line' ? '05' : part.kind === 'allowance' ? '06' : '07';
      const wrong = rules.rate === 'positive' ? !rate.gt(zero) : !rate.eq(zero);
      if (!wrong) continue;
      const expectation =
        rules.rate === 'positive' ? 'must be above zero (zero-rated goods are category Z)' : rules.rate === 'zero' ? 'must be 0' : 'is not stated for goods outside the scope of VAT; set 0';
      findings.add(`${rules.prefix}-${suffix}`, `${partName(part)} is ${rules.label} at ${part.tax.ratePercent} %; the rate ${expectation}.`, `${partPath(part)}.tax.ratePercent`);
    }

    for (const { row, index } of rows) {
      const at = `taxSubtotals[${index}]`;
      const rate = rateOf(row);
      // -08: the row's taxable amount = Σ line nets + Σ charges − Σ allowances of the category (and, for S, of its rate).
      const members = used.filter((part) => code !== 'S' || (rate !== null && rateOf(part.tax)?.eq(rate) === true));
      const expected = members.reduce((total, part) => total + part.amountMinor, 0n);
      if (row.taxableMinor !== expected) {
        findings.add(
          `${rules.prefix}-08`,
          `the ${describeTax(row)} taxable amount ${money(row.taxableMinor)} must equal its line nets plus charges less allowances, ${money(expected)}; recompute the VAT breakdown.`,
          `${at}.taxableMinor`,
        );
      }
      // -09: S: tax = taxable × rate (as BR-CO-17); every other category: tax 0.
      if (code === 'S') {
        if (rate !== null && exponent !== undefined) {
          const expectedTax = decimalToMinor(minorToDecimal(row.taxableMinor, doc.currency).times(rate).div(hundred), doc.currency);
          if (!taxMatches(doc, expectedTax, row.taxMinor)) {
            findings.add('BR-S-09', `the standard-rated tax at ${row.ratePercent} % is ${money(row.taxMinor)} but ${money(row.taxableMinor)} × ${row.ratePercent} % = ${money(expectedTax)}; recompute it.`, `${at}.taxMinor`);
          }
        }
      } else if (row.taxMinor !== 0n) {
        findings.add(`${rules.prefix}-09`, `the ${rules.label} (${code}) tax is ${money(row.taxMinor)} but must be 0; no VAT is charged in this category.`, `${at}.taxMinor`);
      }
      // -10: S and Z state no exemption reason; the others state a reason text (BT-120) or code (BT-121) that means the category.
      const hasCode = !isBlank(row.exemptionReasonCode);
      const hasText = !isBlank(row.exemptionReason);
      if (rules.exemption === 'forbidden' && (hasCode || hasText)) {
        findings.add(`${rules.prefix}-10`, `the ${rules.label} (${code}) row must not carry an exemption reason; remove "${row.exemptionReasonCode ?? row.exemptionReason}".`, `${at}.exemptionReasonCode`);
      }
      if (rules.exemption === 'required') {
        const code121 = row.exemptionReasonCode?.trim().toUpperCase() ?? '';
        if (!hasCode && !hasText) {
          const hint = rules.vatex === null ? 'a VATEX code such as VATEX-EU-132 or the legal ground as text' : `${rules.vatex} or the text "${categoryTexts[code]}"`;
          findings.add(`${rules.prefix}-10`, `the ${rules.label} (${code}) row needs an exemption reason; give ${hint}.`, `${at}.exemptionReasonCode`);
        } else if (hasCode && rules.vatex !== null && code121 !== rules.vatex) {
          findings.add(`${rules.prefix}-10`, `the ${rules.label} (${code}) row has the exemption code ${row.exemptionReasonCode}; the code for this category is ${rules.vatex}.`, `${at}.exemptionReasonCode`);
        } else if (hasCode && rules.vatex === null && categoryVatexCodes.has(code121)) {
          findings.add(`${rules.prefix}-10`, `the exempt (E) row has the exemption code ${row.exemptionReasonCode}, which belongs to another VAT category; use the VATEX code of the exemption's legal ground.`, `${at}.exemptionReasonCode`);
        }
      }
      // BR-CL-22: exemption reason codes come from the VATEX list.
      if (hasCode && !/^VATEX-[A-Z]{2}-[A-Z0-9-]+$/i.test(row.exemptionReasonCode!.trim())) {
        findings.add('BR-CL-22', `the exemption code "${row.exemptionReasonCode}" is not a VATEX code; use one such as VATEX-EU-132 or VATEX-EU-IC.`, `${at}.exemptionReasonCode`);
      }
    }

    // BR-IC-11 / BR-IC-12: an intra-Community supply states the delivery date (or invoicing period) and the deliver-to country.
    if (code === 'K' && rows.length > 0) {
      if (isBlank(doc.deliveryDate)) {
        findings.add('BR-IC-11', 'an intra-Community supply needs the actual delivery date (BT-72); ship the goods before invoicing or enter the delivery date.', 'deliveryDate');
      }
      if (doc.deliverTo === null || isBlank(doc.deliverTo.countryCode)) {
        findings.add('BR-IC-12', 'an intra-Community supply needs the deliver-to country (BT-80); add the ship-to address the goods went to.', 'deliverTo.countryCode');
      }
    }

    // BR-O-11 to BR-O-14: a document "not subject to VAT" has no other category anywhere.
    if (code === 'O' && rows.length > 0) {
      const others = [
        ['BR-O-11', doc.taxSubtotals.some((row) => row.categoryCode !== 'O'), 'VAT breakdown rows', 'taxSubtotals'],
        ['BR-O-12', doc.lines.some((line) => line.tax.categoryCode !== 'O'), 'lines', 'lines'],
        ['BR-O-13', doc.allowances.some((allowance) => allowance.tax.categoryCode !== 'O'), 'allowances', 'allowances'],
        ['BR-O-14', doc.charges.some((charge) => charge.tax.categoryCode !== 'O'), 'charges', 'charges'],
      ] as const;
      for (const [rule, present, what, path] of others) {
        if (present) findings.add(rule, `a document not subject to VAT (O) must not have ${what} in another VAT category; invoice those on a separate document.`, path);
      }
    }
  }

  // O2C-PERCENT: rates of lines, allowances and charges are plain percentages from 0 to 100.
  for (const part of parts) {
    const rate = rateOf(part.tax);
    if (part.tax.categoryCode === 'O' && isBlank(part.tax.ratePercent)) continue;
    if (rate === null || rate.gt(hundred)) {
      findings.add('O2C-PERCENT', `${partName(part)} has the VAT rate "${part.tax.ratePercent}"; write a plain percentage from 0 to 100 such as "19" or "5.5".`, `${partPath(part)}.tax.ratePercent`);
    }
  }
}

const categoryTexts: Readonly<Record<EnTaxCategoryCode, string>> = {
  S: 'Standard rate',
  Z: 'Zero rated goods',
  E: 'Exempt from VAT',
  AE: 'Reverse charge',
  K: 'Intra-Community supply',
  G: 'Export outside the EU',
  O: 'Not subject to VAT',
};

function partName(part: TaxedPart): string {
  return part.kind === 'line' ? `line ${part.index + 1}` : `${part.kind} ${part.index + 1}`;
}

function partPath(part: TaxedPart): string {
  return `${part.kind === 'line' ? 'lines' : part.kind === 'allowance' ? 'allowances' : 'charges'}[${part.index}]`;
}

/** BR-53, PEPPOL-EN16931-R055 and BR-DEC. */
function checkCurrencies(doc: InvoiceDocument, findings: Findings, exponent: number | undefined): void {
  // BR-53: when the VAT accounting currency (BT-6) differs — our base currency — the VAT total in it (BT-111) is given.
  const foreign = doc.baseCurrency !== doc.currency;
  if (foreign && doc.taxInBaseMinor === null) {
    findings.add('BR-53', `the document is in ${doc.currency} but the books are kept in ${doc.baseCurrency}; give the VAT total in ${doc.baseCurrency} (BT-111) from the exchange rate of the tax point.`, 'taxInBaseMinor');
  }
  // PEPPOL-EN16931-R055: the VAT total (BT-110) and the VAT total in accounting currency (BT-111) have the same sign.
  if (foreign && doc.taxInBaseMinor !== null && doc.taxInBaseMinor * doc.totals.taxMinor < 0n) {
    findings.add('PEPPOL-EN16931-R055', `the VAT total in ${doc.baseCurrency} and the VAT total in ${doc.currency} have opposite signs; convert the VAT total again.`, 'taxInBaseMinor');
  }
  // BR-DEC-01 to BR-DEC-28: amounts have at most two decimals. Minor units have the currency's
  // decimals exactly, so only currencies with three (BHD, KWD, …) can break it, and then every amount does.
  if (exponent !== undefined && exponent > 2) {
    findings.add('BR-DEC-09', `${doc.currency} amounts have ${exponent} decimals but EN 16931 allows 2 (BR-DEC-01 to BR-DEC-28); issue the document in another currency.`, 'currency');
  }
  const baseExponent = findCurrencyExponent(doc.baseCurrency);
  if (foreign && doc.taxInBaseMinor !== null && baseExponent !== undefined && baseExponent > 2) {
    findings.add('BR-DEC-15', `the VAT total in ${doc.baseCurrency} (BT-111) has ${baseExponent} decimals but EN 16931 allows 2; it cannot be sent in this form.`, 'taxInBaseMinor');
  }
}
