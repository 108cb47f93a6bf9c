import {
  addDays,
  allocateMinor,
  Big,
  decimalToMinor,
  lineAmountMinor,
  minorToDecimal,
  type BusinessDate,
} from '../../../src/kernel';
import type {
  DocumentAddress,
  DocumentAllowance,
  DocumentCharge,
  DocumentKind,
  DocumentLine,
  DocumentParty,
  DocumentPaymentTerms,
  DocumentTax,
  DocumentTaxSubtotal,
  EnTaxCategoryCode,
  InvoiceDocument,
} from '../../../src/modules/invoicing/invoice-document';

/**
 * Invoice documents for tests, built the way the invoicing module builds them so
 * every amount adds up: line gross = price × quantity rounded to the currency, the
 * line discount a rounded percentage of it, the order discount one allowance per
 * tax group (a rounded percentage of the group's net, shared over its lines by
 * largest remainder), tax per category and rate on the summed base (BR-CO-17) and
 * allocated back to lines and charges by largest remainder.
 */

const hundred = new Big('100');

/** A percentage of an amount in minor units, rounded half away from zero to the currency. */
function percentOf(amountMinor: bigint, percent: string, currency: string): bigint {
  return decimalToMinor(minorToDecimal(amountMinor, currency).times(new Big(percent)).div(hundred), currency);
}

// --- Tax categories -------------------------------------------------------------

export function standardRate(ratePercent: string): DocumentTax {
  return { categoryCode: 'S', ratePercent, exemptionReasonCode: null, exemptionReason: null };
}

export const zeroRated: DocumentTax = { categoryCode: 'Z', ratePercent: '0', exemptionReasonCode: null, exemptionReason: null };

export const exempt: DocumentTax = {
  categoryCode: 'E',
  ratePercent: '0',
  exemptionReasonCode: 'VATEX-EU-132',
  exemptionReason: 'Exempt under Article 132 of Council Directive 2006/112/EC',
};

export const reverseCharge: DocumentTax = {
  categoryCode: 'AE',
  ratePercent: '0',
  exemptionReasonCode: 'VATEX-EU-AE',
  exemptionReason: 'Reverse charge',
};

export const intraCommunity: DocumentTax = {
  categoryCode: 'K',
  ratePercent: '0',
  exemptionReasonCode: 'VATEX-EU-IC',
  exemptionReason: 'Intra-Community supply',
};

export const exportOutsideEu: DocumentTax = {
  categoryCode: 'G',
  ratePercent: '0',
  exemptionReasonCode: 'VATEX-EU-G',
  exemptionReason: 'Export outside the EU',
};

export const notSubject: DocumentTax = {
  categoryCode: 'O',
  ratePercent: '0',
  exemptionReasonCode: 'VATEX-EU-O',
  exemptionReason: 'Not subject to VAT',
};

/** The tax of a category with its usual exemption reason; S needs its rate. */
export function taxOf(categoryCode: EnTaxCategoryCode, ratePercent = '19'): DocumentTax {
  switch (categoryCode) {
    case 'S':
      return standardRate(ratePercent);
    case 'Z':
      return zeroRated;
    case 'E':
      return exempt;
    case 'AE':
      return reverseCharge;
    case 'K':
      return intraCommunity;
    case 'G':
      return exportOutsideEu;
    case 'O':
      return notSubject;
  }
}

// --- Parties --------------------------------------------------------------------

export const seller: DocumentParty = {
  name: 'Nordwind Maschinen',
  legalName: 'Nordwind Maschinen GmbH',
  address: { line1: 'Hafenstraße 12', line2: 'Halle 3', postalCode: '20457', city: 'Hamburg', countryCode: 'DE' },
  vatId: 'DE123456789',
  registrationId: 'HRB 123456',
  number: null,
  email: 'billing@nordwind.example',
};

export const domesticBuyer: DocumentParty = {
  name: 'Müller & Söhne',
  legalName: 'Müller & Söhne KG',
  address: { line1: 'Leopoldstraße 40', line2: null, postalCode: '80802', city: 'München', countryCode: 'DE' },
  vatId: 'DE987654321',
  registrationId: 'HRA 98765',
  number: 'C000042',
  email: 'accounts.payable@mueller.example',
};

export const frenchBuyer: DocumentParty = {
  name: 'Atelier Lumière',
  legalName: 'Atelier Lumière SARL',
  address: { line1: '12 rue de la République', line2: null, postalCode: '69002', city: 'Lyon', countryCode: 'FR' },
  vatId: 'FR40303265045',
  registrationId: '303 265 045',
  number: 'C000077',
  email: 'factures@atelier-lumiere.example',
};

export const austrianBuyer: DocumentParty = {
  name: 'Alpenbau',
  legalName: 'Alpenbau GmbH',
  address: { line1: 'Mariahilfer Straße 1', line2: null, postalCode: '1060', city: 'Wien', countryCode: 'AT' },
  vatId: 'ATU13585627',
  registrationId: 'FN 123456a',
  number: 'C000051',
  email: null,
};

export const americanBuyer: DocumentParty = {
  name: 'Lakeshore Tools',
  legalName: 'Lakeshore Tools Inc.',
  address: { line1: '200 East Randolph Street', line2: 'Suite 5100', postalCode: '60601', city: 'Chicago', countryCode: 'US' },
  vatId: null,
  registrationId: null,
  number: 'C000090',
  email: 'ap@lakeshore.example',
};

export const japaneseBuyer: DocumentParty = {
  name: 'Sakura Kikai',
  legalName: 'Sakura Kikai K.K.',
  address: { line1: '1-1 Marunouchi', line2: 'Chiyoda-ku', postalCode: '100-0005', city: 'Tokyo', countryCode: 'JP' },
  vatId: null,
  registrationId: null,
  number: 'C000104',
  email: null,
};

export const net30: DocumentPaymentTerms = { code: 'NET30', name: 'Net 30 days', netDays: 30, discountPercent: null, discountDays: null };
export const twoTenNet30: DocumentPaymentTerms = {
  code: '2/10NET30',
  name: '2 % within 10 days, net 30 days',
  netDays: 30,
  discountPercent: '2',
  discountDays: 10,
};

// --- The builder ----------------------------------------------------------------

export interface LineSpec {
  readonly description: string;
  readonly sku?: string | null;
  readonly unit?: string;
  readonly quantity: string;
  readonly unitPrice: string;
  readonly discountPercent?: string | null;
  readonly tax?: DocumentTax;
  readonly orderNumber?: string | null;
  readonly orderLineNo?: number | null;
  readonly shipmentNumber?: string | null;
  readonly isPriceReduction?: boolean;
}

export interface ChargeSpec {
  readonly description: string;
  readonly reasonCode?: string | null;
  readonly amountMinor: bigint;
  readonly tax?: DocumentTax;
}

export interface DocumentSpec {
  readonly kind?: DocumentKind;
  readonly number?: string | null;
  readonly issueDate?: BusinessDate;
  readonly currency?: string;
  readonly baseCurrency?: string;
  /** Base-currency units per document-currency unit; required when the currencies differ. */
  readonly exchangeRate?: string | null;
  readonly seller?: DocumentParty;
  readonly buyer?: DocumentParty;
  readonly deliverTo?: (DocumentAddress & { readonly name: string }) | null;
  readonly deliveryDate?: BusinessDate | null;
  readonly lines: readonly LineSpec[];
  /** The order discount as a percentage of the lines' net, one allowance per tax group. */
  readonly orderDiscountPercent?: string | null;
  readonly charges?: readonly ChargeSpec[];
  readonly paymentTerms?: DocumentPaymentTerms | null;
  readonly prepaidMinor?: bigint;
  readonly precedingInvoice?: { readonly number: string; readonly issueDate: BusinessDate } | null;
  readonly creditReason?: string | null;
  readonly note?: string | null;
  readonly buyerReference?: string | null;
  readonly purchaseOrderReference?: string | null;
  readonly salesOrderReference?: string | null;
  readonly despatchReference?: string | null;
  readonly paymentReference?: string | null;
  readonly payeeIban?: string | null;
  readonly payeeBic?: string | null;
}

function taxKey(tax: DocumentTax): string {
  return `${tax.categoryCode}|${new Big(tax.ratePercent).toFixed()}`;
}

/** Builds a complete, arithmetically consistent document from a short description. */
export function buildDocument(spec: DocumentSpec): InvoiceDocument {
  const kind = spec.kind ?? 'invoice';
  const currency = spec.currency ?? 'EUR';
  const baseCurrency = spec.baseCurrency ?? 'EUR';
  const issueDate = spec.issueDate ?? '2026-03-02';
  const defaultTax = standardRate('19');

  const priced = spec.lines.map((line) => {
    const grossMinor = lineAmountMinor(new Big(line.unitPrice), new Big(line.quantity), currency);
    const discountPercent = line.discountPercent ?? null;
    const discountMinor = discountPercent === null ? 0n : percentOf(grossMinor, discountPercent, currency);
    return { spec: line, tax: line.tax ?? defaultTax, grossMinor, discountPercent, discountMinor, netMinor: grossMinor - discountMinor };
  });

  // The order discount: one allowance per tax group of the lines, shared over that group's lines.
  const shares = priced.map(() => 0n);
  const allowances: DocumentAllowance[] = [];
  const orderDiscountPercent = spec.orderDiscountPercent ?? null;
  if (orderDiscountPercent !== null) {
    const lineGroups = new Map<string, number[]>();
    priced.forEach((line, index) => lineGroups.set(taxKey(line.tax), [...(lineGroups.get(taxKey(line.tax)) ?? []), index]));
    for (const indexes of lineGroups.values()) {
      const baseMinor = indexes.reduce((sum, index) => sum + priced[index]!.netMinor, 0n);
      const amountMinor = baseMinor > 0n ? percentOf(baseMinor, orderDiscountPercent, currency) : 0n;
      if (amountMinor === 0n) continue;
      const groupShares = allocateMinor(amountMinor, indexes.map((index) => priced[index]!.netMinor));
      indexes.forEach((index, position) => (shares[index] = groupShares[position]!));
      allowances.push({
        description: `Order discount ${orderDiscountPercent} %`,
        percent: orderDiscountPercent,
        baseMinor,
        amountMinor,
        tax: priced[indexes[0]!]!.tax,
      });
    }
  }

  // Tax per category and rate on the summed base, allocated back to lines and charges.
  const chargeSpecs = spec.charges ?? [];
  const parts = [
    ...priced.map((line, index) => ({ tax: line.tax, baseMinor: line.netMinor - shares[index]! })),
    ...chargeSpecs.map((charge) => ({ tax: charge.tax ?? priced[0]?.tax ?? defaultTax, baseMinor: charge.amountMinor })),
  ];
  const partTax = parts.map(() => 0n);
  const taxSubtotals: DocumentTaxSubtotal[] = [];
  const groups = new Map<string, number[]>();
  parts.forEach((part, index) => groups.set(taxKey(part.tax), [...(groups.get(taxKey(part.tax)) ?? []), index]));
  for (const indexes of groups.values()) {
    const tax = parts[indexes[0]!]!.tax;
    const taxableMinor = indexes.reduce((sum, index) => sum + parts[index]!.baseMinor, 0n);
    const taxMinor = percentOf(taxableMinor, tax.ratePercent, currency);
    const weights = indexes.map((index) => (parts[index]!.baseMinor < 0n ? 0n : parts[index]!.baseMinor));
    if (taxMinor !== 0n && weights.some((weight) => weight > 0n)) {
      allocateMinor(taxMinor, weights).forEach((share, position) => (partTax[indexes[position]!] = share));
    }
    taxSubtotals.push({ ...tax, taxableMinor, taxMinor });
  }

  const lines: DocumentLine[] = priced.map((line, index) => ({
    id: `0195f3a0-0000-7000-8000-${String(index + 1).padStart(12, '0')}`,
    lineNo: index + 1,
    sku: line.spec.sku === undefined ? `SKU-${index + 1}` : line.spec.sku,
    description: line.spec.description,
    unit: line.spec.unit ?? 'C62',
    quantity: line.spec.quantity,
    unitPrice: line.spec.unitPrice,
    priceBaseQuantity: null,
    discountPercent: line.discountPercent,
    grossMinor: line.grossMinor,
    discountMinor: line.discountMinor,
    netMinor: line.netMinor,
    allowanceShareMinor: shares[index]!,
    taxableMinor: line.netMinor - shares[index]!,
    tax: line.tax,
    taxMinor: partTax[index]!,
    orderNumber: line.spec.orderNumber === undefined ? (spec.salesOrderReference ?? null) : line.spec.orderNumber,
    orderLineNo: line.spec.orderLineNo === undefined ? index + 1 : line.spec.orderLineNo,
    shipmentNumber: line.spec.shipmentNumber === undefined ? (spec.despatchReference ?? null) : line.spec.shipmentNumber,
    isPriceReduction: line.spec.isPriceReduction ?? false,
  }));

  const charges: DocumentCharge[] = chargeSpecs.map((charge, index) => ({
    id: `0195f3a0-0000-7000-8000-1${String(index + 1).padStart(11, '0')}`,
    description: charge.description,
    reasonCode: charge.reasonCode ?? null,
    amountMinor: charge.amountMinor,
    tax: parts[priced.length + index]!.tax,
    taxMinor: partTax[priced.length + index]!,
  }));

  const linesNetMinor = lines.reduce((sum, line) => sum + line.netMinor, 0n);
  const allowancesMinor = allowances.reduce((sum, allowance) => sum + allowance.amountMinor, 0n);
  const chargesMinor = charges.reduce((sum, charge) => sum + charge.amountMinor, 0n);
  const taxExclusiveMinor = linesNetMinor - allowancesMinor + chargesMinor;
  const taxMinor = taxSubtotals.reduce((sum, subtotal) => sum + subtotal.taxMinor, 0n);
  const grossMinor = taxExclusiveMinor + taxMinor;
  const prepaidMinor = spec.prepaidMinor ?? 0n;

  const paymentTerms = spec.paymentTerms === undefined ? (kind === 'invoice' ? net30 : null) : spec.paymentTerms;
  const earlyDiscount = paymentTerms?.discountPercent != null && paymentTerms.discountDays != null;
  const exchangeRate = currency === baseCurrency ? null : (spec.exchangeRate ?? null);
  const taxInBaseMinor =
    exchangeRate === null ? null : decimalToMinor(minorToDecimal(taxMinor, currency).times(new Big(exchangeRate)), baseCurrency);

  return {
    id: '0195f3a0-0000-7000-8000-00000000f001',
    kind,
    number: spec.number === undefined ? (kind === 'invoice' ? 'INV-2026-00017' : 'CN-2026-00003') : spec.number,
    status: 'issued',
    issueDate,
    dueDate: kind === 'invoice' && paymentTerms !== null ? addDays(issueDate, paymentTerms.netDays) : null,
    currency,
    baseCurrency,
    taxInBaseMinor,
    exchangeRate,
    buyerReference: spec.buyerReference === undefined ? 'PO-4711' : spec.buyerReference,
    purchaseOrderReference: spec.purchaseOrderReference === undefined ? 'PO-4711' : spec.purchaseOrderReference,
    salesOrderReference: spec.salesOrderReference === undefined ? 'SO-2026-00031' : spec.salesOrderReference,
    despatchReference: spec.despatchReference === undefined ? 'SHP-2026-00042' : spec.despatchReference,
    deliveryDate: spec.deliveryDate === undefined ? '2026-02-27' : spec.deliveryDate,
    precedingInvoice: spec.precedingInvoice ?? (kind === 'credit_note' ? { number: 'INV-2026-00017', issueDate: '2026-03-02' } : null),
    creditReason: spec.creditReason ?? (kind === 'credit_note' ? 'Goods returned damaged' : null),
    note: spec.note ?? null,
    seller: spec.seller ?? seller,
    buyer: spec.buyer ?? domesticBuyer,
    deliverTo:
      spec.deliverTo === undefined
        ? { name: `${(spec.buyer ?? domesticBuyer).name} – Wareneingang`, ...(spec.buyer ?? domesticBuyer).address }
        : spec.deliverTo,
    paymentTerms,
    discountDeadline: earlyDiscount ? addDays(issueDate, paymentTerms.discountDays!) : null,
    discountMinor: earlyDiscount ? percentOf(grossMinor - prepaidMinor, paymentTerms.discountPercent!, currency) : null,
    // A credit note is paid out by the seller, so it names no account of the seller's to pay into.
    paymentReference: spec.paymentReference === undefined ? (kind === 'invoice' ? 'RF18539007547034' : null) : spec.paymentReference,
    payeeIban: spec.payeeIban === undefined ? (kind === 'invoice' ? 'DE89370400440532013000' : null) : spec.payeeIban,
    payeeBic: spec.payeeBic === undefined ? (kind === 'invoice' ? 'COBADEFFXXX' : null) : spec.payeeBic,
    lines,
    allowances,
    charges,
    taxSubtotals,
    totals: {
      linesNetMinor,
      allowancesMinor,
      chargesMinor,
      taxExclusiveMinor,
      taxMinor,
      grossMinor,
      prepaidMinor,
      payableMinor: grossMinor - prepaidMinor,
    },
    locale: 'de-DE',
  };
}

// --- The cases ------------------------------------------------------------------

export interface CaseOptions {
  readonly kind?: DocumentKind;
  readonly currency?: string;
  readonly baseCurrency?: string;
  readonly exchangeRate?: string | null;
}

/**
 * Standard rated at 19 % and 7 %, with a line discount, a 5 % order discount
 * (one allowance per rate) and a freight charge at 19 %; early-payment terms.
 */
export function standardRatedDocument(options: CaseOptions = {}): InvoiceDocument {
  return buildDocument({
    ...options,
    paymentTerms: (options.kind ?? 'invoice') === 'invoice' ? twoTenNet30 : null,
    lines: [
      { description: 'Hydraulic press HP-20', sku: 'HP-20', quantity: '2', unitPrice: '1249.99', discountPercent: '10', tax: standardRate('19') },
      { description: 'Bolts M8 × 40, zinc plated', sku: 'BOLT-M8', quantity: '250', unitPrice: '0.1235', tax: standardRate('19') },
      { description: 'Technical handbook (print)', sku: 'BOOK-HP', quantity: '3', unitPrice: '24.9', tax: standardRate('7') },
      { description: 'Copper wire 2.5 mm²', sku: 'WIRE-CU-2.5', unit: 'MTR', quantity: '120.5', unitPrice: '1.37', tax: standardRate('19') },
    ],
    orderDiscountPercent: '5',
    charges: [{ description: 'Freight', reasonCode: 'FC', amountMinor: amountIn(options.currency ?? 'EUR', '45.00'), tax: standardRate('19') }],
  });
}

/** A zero-rated supply (Z). */
export function zeroRatedDocument(options: CaseOptions = {}): InvoiceDocument {
  return buildDocument({
    ...options,
    lines: [
      { description: 'Photovoltaic module 430 W', sku: 'PV-430', quantity: '24', unitPrice: '119', tax: zeroRated },
      { description: 'Mounting rail 2.2 m', sku: 'PV-RAIL', quantity: '16', unitPrice: '18.45', tax: zeroRated },
    ],
  });
}

/** An exempt supply (E) with its exemption reason. */
export function exemptDocument(options: CaseOptions = {}): InvoiceDocument {
  return buildDocument({
    ...options,
    deliverTo: null,
    despatchReference: null,
    lines: [{ description: 'Safety training course (2 days)', sku: 'TRAIN-SAFE', unit: 'DAY', quantity: '2', unitPrice: '850', tax: exempt }],
  });
}

/** A reverse-charge supply (AE): a service to a business in another member state. */
export function reverseChargeDocument(options: CaseOptions = {}): InvoiceDocument {
  return buildDocument({
    ...options,
    buyer: austrianBuyer,
    deliverTo: null,
    despatchReference: null,
    lines: [
      { description: 'Commissioning of press line', sku: 'SRV-COMM', unit: 'HUR', quantity: '16', unitPrice: '95', tax: reverseCharge },
      { description: 'Travel allowance', sku: null, unit: 'DAY', quantity: '2', unitPrice: '28', tax: reverseCharge },
    ],
  });
}

/** An intra-Community supply of goods (K), delivered to France. */
export function intraCommunityDocument(options: CaseOptions = {}): InvoiceDocument {
  return buildDocument({
    ...options,
    buyer: frenchBuyer,
    deliveryDate: '2026-02-26',
    deliverTo: { name: 'Atelier Lumière – Entrepôt', line1: '5 avenue des Frères Lumière', line2: null, postalCode: '69008', city: 'Lyon', countryCode: 'FR' },
    lines: [
      { description: 'Hydraulic press HP-20', sku: 'HP-20', quantity: '1', unitPrice: '1249.99', tax: intraCommunity },
      { description: 'Spare seal kit', sku: 'HP-SEAL', quantity: '4', unitPrice: '37.5', discountPercent: '5', tax: intraCommunity },
    ],
    charges: [{ description: 'Freight to Lyon', reasonCode: 'FC', amountMinor: amountIn(options.currency ?? 'EUR', '120.00'), tax: intraCommunity }],
  });
}

/** An export outside the EU (G). */
export function exportDocument(options: CaseOptions = {}): InvoiceDocument {
  return buildDocument({
    ...options,
    buyer: options.currency === 'JPY' ? japaneseBuyer : americanBuyer,
    lines: [
      { description: 'Hydraulic press HP-20', sku: 'HP-20', quantity: '3', unitPrice: options.currency === 'JPY' ? '205000' : '1349', tax: exportOutsideEu },
      { description: 'Export packing (crate)', sku: 'PACK-CRATE', quantity: '3', unitPrice: options.currency === 'JPY' ? '9500' : '64', tax: exportOutsideEu },
    ],
  });
}

/** A standard-rated invoice in US dollars for a seller who keeps its books in euros (BT-6, BT-111). */
export function usdDocument(kind: DocumentKind = 'invoice'): InvoiceDocument {
  return standardRatedDocument({ kind, currency: 'USD', baseCurrency: 'EUR', exchangeRate: '0.9217' });
}

/** A standard-rated invoice in yen (no decimals) for a seller who keeps its books in euros. */
export function jpyDocument(kind: DocumentKind = 'invoice'): InvoiceDocument {
  return buildDocument({
    kind,
    currency: 'JPY',
    baseCurrency: 'EUR',
    exchangeRate: '0.0062',
    paymentTerms: kind === 'invoice' ? twoTenNet30 : null,
    lines: [
      { description: 'Hydraulic press HP-20', sku: 'HP-20', quantity: '1', unitPrice: '205000', discountPercent: '3', tax: standardRate('19') },
      { description: 'Bolts M8 × 40, zinc plated', sku: 'BOLT-M8', quantity: '333', unitPrice: '18.5', tax: standardRate('19') },
      { description: 'Technical handbook (print)', sku: 'BOOK-HP', quantity: '7', unitPrice: '3950', tax: standardRate('7') },
    ],
    orderDiscountPercent: '2.5',
    charges: [{ description: 'Freight', reasonCode: 'FC', amountMinor: 7300n, tax: standardRate('19') }],
  });
}

/** A major-unit amount ("45.00") in minor units of the currency. */
export function amountIn(currency: string, major: string): bigint {
  return decimalToMinor(new Big(major), currency);
}

/** The standard-rated invoice, with any fields replaced. */
export function sampleDocument(overrides: Partial<InvoiceDocument> = {}): InvoiceDocument {
  return { ...standardRatedDocument(), ...overrides };
}

/** Every case the e-invoice must handle, by name, as invoice and as credit note. */
export const documentCases: Readonly<Record<string, (kind: DocumentKind) => InvoiceDocument>> = {
  'standard rated S 19 % and 7 % (EUR)': (kind) => standardRatedDocument({ kind }),
  'zero rated Z': (kind) => zeroRatedDocument({ kind }),
  'exempt E': (kind) => exemptDocument({ kind }),
  'reverse charge AE': (kind) => reverseChargeDocument({ kind }),
  'intra-Community supply K': (kind) => intraCommunityDocument({ kind }),
  'export G': (kind) => exportDocument({ kind }),
  'standard rated in USD, books in EUR': (kind) => usdDocument(kind),
  'export G in USD, books in EUR': (kind) => exportDocument({ kind, currency: 'USD', baseCurrency: 'EUR', exchangeRate: '0.9217' }),
  'standard rated in JPY, books in EUR': (kind) => jpyDocument(kind),
  'export G in JPY, books in EUR': (kind) => exportDocument({ kind, currency: 'JPY', baseCurrency: 'EUR', exchangeRate: '0.0062' }),
};
