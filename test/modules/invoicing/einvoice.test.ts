import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Big, formatMinor } from '../../../src/kernel';
import {
  checkEn16931,
  renderUblInvoice,
  ublFileName,
  ublSchemaRoot,
  validateUblSchema,
  type Violation,
} from '../../../src/modules/invoicing/einvoice';
import type { DocumentKind, DocumentTax, InvoiceDocument } from '../../../src/modules/invoicing/invoice-document';
import {
  amountIn,
  buildDocument,
  documentCases,
  exempt,
  exportDocument,
  intraCommunityDocument,
  jpyDocument,
  notSubject,
  reverseChargeDocument,
  sampleDocument,
  standardRate,
  standardRatedDocument,
  usdDocument,
  zeroRated,
  zeroRatedDocument,
  exemptDocument,
  type LineSpec,
} from './document-fixtures';

const projectRoot = path.resolve(import.meta.dirname, '../../..');
const oracleRoot = path.join(projectRoot, '../shared/oracles');
const ublOracle = path.join(oracleRoot, 'ubl-2.1');
const examples = path.join(oracleRoot, 'ubl-examples');
const kinds: DocumentKind[] = ['invoice', 'credit_note'];

/** Validates against the official schemas in the shared oracle folder, not the project's copy. */
async function validateAgainstOracle(xml: string, kind: DocumentKind) {
  return validateUblSchema(xml, kind, { schemaRoot: ublOracle });
}

function rules(violations: readonly Violation[]): string[] {
  return violations.map((violation) => violation.rule);
}

function readExample(name: string): string {
  return readFileSync(path.join(examples, name), 'utf8');
}

/** Start tags with their depth, read from the text (the documents here have no CDATA and no '>' in attributes). */
function startTags(xml: string): { name: string; depth: number; path: string }[] {
  const tags: { name: string; depth: number; path: string }[] = [];
  const stack: string[] = [];
  for (const match of xml.matchAll(/<(\/?)([A-Za-z_][\w:.-]*)[^>]*?(\/?)>/g)) {
    if (match[1] === '/') {
      stack.pop();
      continue;
    }
    const name = match[2]!;
    tags.push({ name, depth: stack.length, path: [...stack, name].join('/') });
    if (match[3] !== '/') stack.push(name);
  }
  return tags;
}

function topLevelNames(xml: string): string[] {
  return startTags(xml)
    .filter((tag) => tag.depth === 1)
    .map((tag) => tag.name);
}

/** Element paths with the document-kind-specific names made common, so invoices and credit notes compare. */
function elementPaths(xml: string): Set<string> {
  const common = (name: string) =>
    name
      .replace(/^(Invoice|CreditNote)(?=\/|$)/, 'Document')
      .replace(/cac:(InvoiceLine|CreditNoteLine)/g, 'cac:Line')
      .replace(/cbc:(InvoicedQuantity|CreditedQuantity)/g, 'cbc:Quantity');
  return new Set(startTags(xml).map((tag) => common(tag.path)));
}

/** The element names of a UBL main document type's xsd:sequence, in order. */
function schemaSequence(kind: DocumentKind): string[] {
  const file = kind === 'invoice' ? 'maindoc/UBL-Invoice-2.1.xsd' : 'maindoc/UBL-CreditNote-2.1.xsd';
  const xsd = readFileSync(path.join(ublOracle, file), 'utf8');
  const type = kind === 'invoice' ? 'InvoiceType' : 'CreditNoteType';
  const body = new RegExp(`<xsd:complexType name="${type}">([\\s\\S]*?)</xsd:complexType>`).exec(xsd)![1]!;
  return [...body.matchAll(/<xsd:element ref="([^"]+)"/g)].map((match) => match[1]!);
}

function withoutRepeats(names: readonly string[]): string[] {
  return names.filter((name, index) => index === 0 || names[index - 1] !== name);
}

/** Returns the text between <name …> and </name> of the first occurrence. */
function elementText(xml: string, name: string): string | undefined {
  return new RegExp(`<${name}(?: [^>]*)?>([^<]*)</${name}>`).exec(xml)?.[1];
}

describe('the UBL schemas shipped with o2c', () => {
  it('are unchanged copies of the OASIS UBL 2.1 schemas', () => {
    const files = [
      'maindoc/UBL-Invoice-2.1.xsd',
      'maindoc/UBL-CreditNote-2.1.xsd',
      ...readdirSync(path.join(ublOracle, 'common')).map((name) => `common/${name}`),
    ];
    expect(ublSchemaRoot).toBe(path.join(projectRoot, 'schemas/ubl-2.1'));
    for (const file of files) {
      expect(readFileSync(path.join(ublSchemaRoot, file), 'utf8'), file).toBe(readFileSync(path.join(ublOracle, file), 'utf8'));
    }
  });

  it('accept the official Peppol and EN 16931 examples and refuse an element out of order', async () => {
    for (const name of readdirSync(examples)) {
      const xml = readExample(name);
      const kind: DocumentKind = xml.includes('<CreditNote') ? 'credit_note' : 'invoice';
      const result = await validateUblSchema(xml, kind);
      expect(result.errors, name).toEqual([]);
      expect(result.valid, name).toBe(true);
    }
    const swapped = renderUblInvoice(sampleDocument()).replace(
      /(<cbc:ID>INV-2026-00017<\/cbc:ID>)\n {2}(<cbc:IssueDate>2026-03-02<\/cbc:IssueDate>)/,
      '$2\n  $1',
    );
    expect(swapped).toContain('<cbc:IssueDate>2026-03-02</cbc:IssueDate>\n  <cbc:ID>INV-2026-00017</cbc:ID>');
    const result = await validateUblSchema(swapped, 'invoice');
    expect(result.valid).toBe(false);
    expect(result.errors.join('\n')).toMatch(/IssueDate|ID/);
  });

  it('tell an invoice from a credit note', async () => {
    const result = await validateUblSchema(renderUblInvoice(sampleDocument()), 'credit_note');
    expect(result.valid).toBe(false);
    expect(result.errors.length).toBeGreaterThan(0);
  });
});

describe('every document case', () => {
  for (const [name, make] of Object.entries(documentCases)) {
    for (const kind of kinds) {
      it(`${name} as ${kind === 'invoice' ? 'an invoice' : 'a credit note'} passes the EN 16931 checks and the UBL 2.1 schema`, async () => {
        const doc = make(kind);
        expect(doc.kind).toBe(kind);
        expect(checkEn16931(doc)).toEqual([]);
        const xml = renderUblInvoice(doc);
        const result = await validateAgainstOracle(xml, kind);
        expect(result.errors).toEqual([]);
        expect(result.valid).toBe(true);
        expect(xml).not.toMatch(/undefined|NaN|null|\[object/);
        // Every amount names its currency; only BT-111 is in the base currency.
        const amounts = [...xml.matchAll(/<cbc:(\w+Amount) currencyID="([A-Z]{3})">([^<]*)</g)];
        expect(amounts.length).toBeGreaterThan(5);
        for (const [, element, currency, value] of amounts) {
          const decimals = currency === 'JPY' ? 0 : 2;
          if (element !== 'PriceAmount') expect(value, `${element} ${value}`).toMatch(decimals === 0 ? /^-?\d+$/ : /^-?\d+\.\d{2}$/);
          expect([doc.currency, doc.baseCurrency]).toContain(currency);
        }
        expect(xml.match(/currencyID="/g)!.length).toBe(xml.match(/Amount currencyID="/g)!.length);
      });
    }
  }
});

describe('renderUblInvoice', () => {
  it('writes a standard-rated invoice field by field as Peppol BIS Billing 3.0 asks', () => {
    const doc = standardRatedDocument();
    const xml = renderUblInvoice(doc);
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"')).toBe(true);
    expect(elementText(xml, 'cbc:CustomizationID')).toBe('urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0');
    expect(elementText(xml, 'cbc:ProfileID')).toBe('urn:fdc:peppol.eu:2017:poacc:billing:01:1.0');
    expect(elementText(xml, 'cbc:ID')).toBe('INV-2026-00017');
    expect(elementText(xml, 'cbc:IssueDate')).toBe('2026-03-02');
    expect(elementText(xml, 'cbc:DueDate')).toBe('2026-04-01');
    expect(elementText(xml, 'cbc:InvoiceTypeCode')).toBe('380');
    expect(elementText(xml, 'cbc:DocumentCurrencyCode')).toBe('EUR');
    expect(xml).not.toContain('TaxCurrencyCode');
    expect(elementText(xml, 'cbc:BuyerReference')).toBe('PO-4711');
    expect(xml).toContain('<cac:OrderReference><cbc:ID>PO-4711</cbc:ID><cbc:SalesOrderID>SO-2026-00031</cbc:SalesOrderID></cac:OrderReference>');
    expect(xml).toContain('<cac:DespatchDocumentReference><cbc:ID>SHP-2026-00042</cbc:ID></cac:DespatchDocumentReference>');
    // Seller: endpoint under the German VAT scheme, names, address, VAT, registration, e-mail.
    expect(xml).toContain(
      '<cac:AccountingSupplierParty><cac:Party><cbc:EndpointID schemeID="9930">DE123456789</cbc:EndpointID><cac:PartyName><cbc:Name>Nordwind Maschinen</cbc:Name></cac:PartyName>',
    );
    expect(xml).toContain('<cac:PartyTaxScheme><cbc:CompanyID>DE123456789</cbc:CompanyID><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>');
    expect(xml).toContain('<cac:PartyLegalEntity><cbc:RegistrationName>Nordwind Maschinen GmbH</cbc:RegistrationName><cbc:CompanyID>HRB 123456</cbc:CompanyID></cac:PartyLegalEntity>');
    expect(xml).toContain('<cac:Contact><cbc:ElectronicMail>billing@nordwind.example</cbc:ElectronicMail></cac:Contact>');
    // Buyer: the customer number as its identifier (BT-46), names escaped.
    expect(xml).toContain('<cac:PartyIdentification><cbc:ID>C000042</cbc:ID></cac:PartyIdentification><cac:PartyName><cbc:Name>Müller &amp; Söhne</cbc:Name>');
    expect(xml).toContain('<cbc:RegistrationName>Müller &amp; Söhne KG</cbc:RegistrationName>');
    // Delivery, payment means (SEPA credit transfer with RF reference), terms with the early-payment discount.
    expect(xml).toContain('<cac:Delivery><cbc:ActualDeliveryDate>2026-02-27</cbc:ActualDeliveryDate><cac:DeliveryLocation><cac:Address><cbc:StreetName>Leopoldstraße 40</cbc:StreetName>');
    expect(xml).toContain('<cac:DeliveryParty><cac:PartyName><cbc:Name>Müller &amp; Söhne – Wareneingang</cbc:Name></cac:PartyName></cac:DeliveryParty>');
    expect(xml).toContain(
      '<cac:PaymentMeans><cbc:PaymentMeansCode name="SEPA credit transfer">58</cbc:PaymentMeansCode><cbc:PaymentID>RF18539007547034</cbc:PaymentID><cac:PayeeFinancialAccount><cbc:ID>DE89370400440532013000</cbc:ID>',
    );
    expect(xml).toContain('<cac:FinancialInstitutionBranch><cbc:ID>COBADEFFXXX</cbc:ID></cac:FinancialInstitutionBranch>');
    expect(xml).toContain(`pay ${formatMinor(doc.totals.payableMinor, 'EUR')} EUR by 2026-04-01`);
    expect(xml).toContain(`early-payment discount (${formatMinor(doc.discountMinor!, 'EUR')} EUR) if paid by 2026-03-12`);
    // Document allowances (order discount 5 % per rate) and the freight charge.
    expect(xml).toContain(
      '<cac:AllowanceCharge><cbc:ChargeIndicator>false</cbc:ChargeIndicator><cbc:AllowanceChargeReasonCode>95</cbc:AllowanceChargeReasonCode><cbc:AllowanceChargeReason>Order discount 5 %</cbc:AllowanceChargeReason><cbc:MultiplierFactorNumeric>5</cbc:MultiplierFactorNumeric>',
    );
    const [allowance19, allowance7] = doc.allowances;
    expect(allowance19!.tax.ratePercent).toBe('19');
    expect(allowance7!.tax.ratePercent).toBe('7');
    expect(xml).toContain(
      '<cbc:Amount currencyID="EUR">122.30</cbc:Amount><cbc:BaseAmount currencyID="EUR">2445.95</cbc:BaseAmount><cac:TaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>19</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:TaxCategory></cac:AllowanceCharge>',
    );
    expect(xml).toContain(
      '<cac:AllowanceCharge><cbc:ChargeIndicator>true</cbc:ChargeIndicator><cbc:AllowanceChargeReasonCode>FC</cbc:AllowanceChargeReasonCode><cbc:AllowanceChargeReason>Freight</cbc:AllowanceChargeReason><cbc:Amount currencyID="EUR">45.00</cbc:Amount>',
    );
    // The VAT breakdown: one row per rate, tax on the summed base.
    expect(xml).toContain(
      '<cac:TaxSubtotal><cbc:TaxableAmount currencyID="EUR">2368.65</cbc:TaxableAmount><cbc:TaxAmount currencyID="EUR">450.04</cbc:TaxAmount><cac:TaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>19</cbc:Percent>',
    );
    expect(xml).toContain(
      '<cac:TaxSubtotal><cbc:TaxableAmount currencyID="EUR">70.96</cbc:TaxableAmount><cbc:TaxAmount currencyID="EUR">4.97</cbc:TaxAmount><cac:TaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>7</cbc:Percent>',
    );
    expect(xml).toContain(
      '<cac:LegalMonetaryTotal><cbc:LineExtensionAmount currencyID="EUR">2520.65</cbc:LineExtensionAmount><cbc:TaxExclusiveAmount currencyID="EUR">2439.61</cbc:TaxExclusiveAmount><cbc:TaxInclusiveAmount currencyID="EUR">2894.62</cbc:TaxInclusiveAmount><cbc:AllowanceTotalAmount currencyID="EUR">126.04</cbc:AllowanceTotalAmount><cbc:ChargeTotalAmount currencyID="EUR">45.00</cbc:ChargeTotalAmount><cbc:PayableAmount currencyID="EUR">2894.62</cbc:PayableAmount></cac:LegalMonetaryTotal>',
    );
    expect(xml).not.toContain('PrepaidAmount');
    // Lines: quantity with unit, net, order line, the line discount as a line allowance, item, price with 4 extra decimals.
    expect(xml).toContain(
      '<cac:InvoiceLine><cbc:ID>1</cbc:ID><cbc:InvoicedQuantity unitCode="C62">2</cbc:InvoicedQuantity><cbc:LineExtensionAmount currencyID="EUR">2249.98</cbc:LineExtensionAmount><cac:OrderLineReference><cbc:LineID>1</cbc:LineID></cac:OrderLineReference><cac:AllowanceCharge><cbc:ChargeIndicator>false</cbc:ChargeIndicator><cbc:AllowanceChargeReasonCode>95</cbc:AllowanceChargeReasonCode><cbc:AllowanceChargeReason>Discount</cbc:AllowanceChargeReason><cbc:MultiplierFactorNumeric>10</cbc:MultiplierFactorNumeric><cbc:Amount currencyID="EUR">250.00</cbc:Amount><cbc:BaseAmount currencyID="EUR">2499.98</cbc:BaseAmount></cac:AllowanceCharge>',
    );
    expect(xml).toContain(
      '<cac:Item><cbc:Name>Hydraulic press HP-20</cbc:Name><cac:SellersItemIdentification><cbc:ID>HP-20</cbc:ID></cac:SellersItemIdentification><cac:ClassifiedTaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>19</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:ClassifiedTaxCategory></cac:Item><cac:Price><cbc:PriceAmount currencyID="EUR">1249.99</cbc:PriceAmount></cac:Price></cac:InvoiceLine>',
    );
    expect(xml).toContain('<cbc:InvoicedQuantity unitCode="MTR">120.5</cbc:InvoicedQuantity>');
    expect(xml).toContain('<cbc:PriceAmount currencyID="EUR">0.1235</cbc:PriceAmount>');
    expect(xml).toContain('<cbc:PriceAmount currencyID="EUR">24.90</cbc:PriceAmount>');
  });

  it('writes a credit note with its type code, the credited invoice and the reason as the one note', async () => {
    const doc = standardRatedDocument({ kind: 'credit_note' });
    const xml = renderUblInvoice({ ...doc, note: 'Thank you for your patience.' });
    expect(xml).toContain('<CreditNote xmlns="urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"');
    expect(elementText(xml, 'cbc:CreditNoteTypeCode')).toBe('381');
    expect(xml).not.toContain('InvoiceTypeCode');
    expect(xml).not.toContain('<cbc:DueDate>');
    expect(topLevelNames(xml).filter((name) => name === 'cbc:Note')).toHaveLength(1);
    expect(xml).toContain('<cbc:Note>Goods returned damaged\nThank you for your patience.</cbc:Note>');
    expect(xml).toContain(
      '<cac:BillingReference><cac:InvoiceDocumentReference><cbc:ID>INV-2026-00017</cbc:ID><cbc:IssueDate>2026-03-02</cbc:IssueDate></cac:InvoiceDocumentReference></cac:BillingReference>',
    );
    expect(xml).toContain('<cac:CreditNoteLine><cbc:ID>1</cbc:ID><cbc:CreditedQuantity unitCode="C62">2</cbc:CreditedQuantity>');
    expect(xml).not.toContain('InvoiceLine');
    expect(xml).toContain('<cac:PaymentTerms><cbc:Note>Credit for invoice INV-2026-00017 of 2026-03-02: 2894.62 EUR is refunded or set off against open invoices.</cbc:Note></cac:PaymentTerms>');
    expect(xml).not.toContain('PaymentMeans'); // no account of the seller's to pay into, no reference, no due date
    expect((await validateAgainstOracle(xml, 'credit_note')).valid).toBe(true);
  });

  it('puts a credit note due date into PaymentMeans/PaymentDueDate, since a UBL CreditNote has no DueDate', async () => {
    const doc: InvoiceDocument = { ...standardRatedDocument({ kind: 'credit_note' }), dueDate: '2026-03-16', paymentReference: 'RF18539007547034' };
    const xml = renderUblInvoice(doc);
    expect(xml).toContain(
      '<cac:PaymentMeans><cbc:PaymentMeansCode name="Instrument not defined">1</cbc:PaymentMeansCode><cbc:PaymentDueDate>2026-03-16</cbc:PaymentDueDate><cbc:PaymentID>RF18539007547034</cbc:PaymentID></cac:PaymentMeans>',
    );
    expect(xml).toContain('is refunded by 2026-03-16');
    expect(checkEn16931(doc)).toEqual([]);
    const result = await validateAgainstOracle(xml, 'credit_note');
    expect(result.errors).toEqual([]);
  });

  it('adds the tax currency and the VAT total in the books currency for a foreign-currency invoice (BT-6, BT-111)', () => {
    const doc = usdDocument();
    const xml = renderUblInvoice(doc);
    expect(elementText(xml, 'cbc:DocumentCurrencyCode')).toBe('USD');
    expect(elementText(xml, 'cbc:TaxCurrencyCode')).toBe('EUR');
    expect(xml.indexOf('<cbc:DocumentCurrencyCode>')).toBeLessThan(xml.indexOf('<cbc:TaxCurrencyCode>'));
    const taxTotals = [...xml.matchAll(/<cac:TaxTotal>(.*?)<\/cac:TaxTotal>/g)].map((match) => match[1]!);
    expect(taxTotals).toHaveLength(2);
    expect(taxTotals[0]).toContain('<cac:TaxSubtotal>');
    expect(taxTotals[1]).toBe(`<cbc:TaxAmount currencyID="EUR">${formatMinor(doc.taxInBaseMinor!, 'EUR')}</cbc:TaxAmount>`);
    // 455.01 USD × 0.9217 = 419.382… EUR
    expect(doc.taxInBaseMinor).toBe(41938n);
    expect(xml).toContain('<cbc:PaymentMeansCode name="Credit transfer">30</cbc:PaymentMeansCode>'); // SEPA is for euros only
    expect(xml).toContain('<cbc:PayableAmount currencyID="USD">');
  });

  it('writes yen without decimals and leaves out a percentage that does not reproduce a rounded amount', async () => {
    const doc = jpyDocument();
    const xml = renderUblInvoice(doc);
    expect(xml).toContain('<cbc:PriceAmount currencyID="JPY">205000</cbc:PriceAmount>');
    expect(xml).toContain('<cbc:PriceAmount currencyID="JPY">18.5</cbc:PriceAmount>');
    expect(xml).toContain('<cbc:InvoicedQuantity unitCode="C62">333</cbc:InvoicedQuantity><cbc:LineExtensionAmount currencyID="JPY">6161</cbc:LineExtensionAmount>');
    // 3 % of 205000 is exactly 6150: percentage and base go with the line discount.
    expect(xml).toContain('<cbc:MultiplierFactorNumeric>3</cbc:MultiplierFactorNumeric><cbc:Amount currencyID="JPY">6150</cbc:Amount><cbc:BaseAmount currencyID="JPY">205000</cbc:BaseAmount>');
    // 2.5 % of 205011 is 5125.275, sent as 5125: only the amount goes (PEPPOL-EN16931-R040 allows 0.02).
    const orderDiscount = doc.allowances.find((allowance) => allowance.tax.ratePercent === '19')!;
    expect(orderDiscount.amountMinor).toBe(5125n);
    expect(xml).toContain('<cbc:AllowanceChargeReason>Order discount 2.5 %</cbc:AllowanceChargeReason><cbc:Amount currencyID="JPY">5125</cbc:Amount><cac:TaxCategory>');
    expect(elementText(xml, 'cbc:TaxCurrencyCode')).toBe('EUR');
    expect([...xml.matchAll(/currencyID="JPY">([^<]*)</g)].filter(([whole]) => !whole.includes('18.5')).every(([, value]) => /^\d+$/.test(value!))).toBe(true);
    expect(checkEn16931(doc)).toEqual([]);
    expect((await validateAgainstOracle(xml, 'invoice')).valid).toBe(true);
  });

  it('states the exemption reason on the VAT breakdown of E, AE, K and G and never on lines', () => {
    const cases: [InvoiceDocument, string, string][] = [
      [exemptDocument(), 'E', 'VATEX-EU-132'],
      [reverseChargeDocument(), 'AE', 'VATEX-EU-AE'],
      [intraCommunityDocument(), 'K', 'VATEX-EU-IC'],
      [exportDocument(), 'G', 'VATEX-EU-G'],
    ];
    for (const [doc, category, code] of cases) {
      const xml = renderUblInvoice(doc);
      const subtotal = doc.taxSubtotals[0]!;
      expect(xml).toContain(
        `<cac:TaxCategory><cbc:ID>${category}</cbc:ID><cbc:Percent>0</cbc:Percent><cbc:TaxExemptionReasonCode>${code}</cbc:TaxExemptionReasonCode><cbc:TaxExemptionReason>${subtotal.exemptionReason}</cbc:TaxExemptionReason><cac:TaxScheme>`,
      );
      expect(xml.match(/TaxExemptionReasonCode>/g)).toHaveLength(2); // one element, opened and closed
      expect(xml).toContain(`<cac:ClassifiedTaxCategory><cbc:ID>${category}</cbc:ID><cbc:Percent>0</cbc:Percent><cac:TaxScheme>`);
    }
    const intraCommunity = renderUblInvoice(intraCommunityDocument());
    expect(intraCommunity).toContain('<cbc:ActualDeliveryDate>2026-02-26</cbc:ActualDeliveryDate>');
    expect(intraCommunity).toContain('<cbc:CityName>Lyon</cbc:CityName><cbc:PostalZone>69008</cbc:PostalZone><cac:Country><cbc:IdentificationCode>FR</cbc:IdentificationCode></cac:Country></cac:Address>');
    expect(intraCommunity).toContain('<cbc:EndpointID schemeID="9957">FR40303265045</cbc:EndpointID>');
    // The American buyer has no VAT number: no endpoint, no tax scheme, but its customer number.
    const exported = renderUblInvoice(exportDocument());
    const buyer = /<cac:AccountingCustomerParty>.*<\/cac:AccountingCustomerParty>/.exec(exported)![0];
    expect(buyer).not.toContain('EndpointID');
    expect(buyer).not.toContain('PartyTaxScheme');
    expect(buyer).toContain('<cbc:ID>C000090</cbc:ID>');
  });

  it('writes "not subject to VAT" without any rate and without VAT identifiers', async () => {
    const doc = buildDocument({
      seller: { ...standardRatedDocument().seller, vatId: null },
      buyer: { ...standardRatedDocument().buyer, vatId: null },
      lines: [{ description: 'Damages for late acceptance', sku: null, quantity: '1', unitPrice: '500', tax: notSubject }],
    });
    const xml = renderUblInvoice(doc);
    expect(xml).not.toContain('<cbc:Percent>');
    expect(xml).toContain('<cac:TaxCategory><cbc:ID>O</cbc:ID><cbc:TaxExemptionReasonCode>VATEX-EU-O</cbc:TaxExemptionReasonCode>');
    expect(xml).not.toContain('PartyTaxScheme');
    expect(checkEn16931(doc)).toEqual([]);
    expect((await validateAgainstOracle(xml, 'invoice')).errors).toEqual([]);
  });

  it('leaves out what the document lacks and escapes what needs escaping', async () => {
    const base = zeroRatedDocument();
    const doc: InvoiceDocument = {
      ...base,
      buyerReference: 'Ref <7> & "8"',
      purchaseOrderReference: null,
      despatchReference: null,
      deliveryDate: null,
      deliverTo: null,
      paymentReference: null,
      payeeIban: null,
      payeeBic: null,
      buyer: { ...base.buyer, email: null, registrationId: null, address: { ...base.buyer.address, line2: null } },
      lines: base.lines.map((line) => ({ ...line, sku: null, orderLineNo: null, description: `${line.description} <"Süd"> & 'Nord'` })),
    };
    const xml = renderUblInvoice(doc);
    expect(xml).toContain('<cbc:BuyerReference>Ref &lt;7&gt; &amp; &quot;8&quot;</cbc:BuyerReference>');
    expect(xml).toContain('<cac:OrderReference><cbc:ID>NA</cbc:ID><cbc:SalesOrderID>SO-2026-00031</cbc:SalesOrderID></cac:OrderReference>');
    for (const absent of ['DespatchDocumentReference', 'cac:Delivery', 'PaymentMeans', 'SellersItemIdentification', 'OrderLineReference', 'AllowanceCharge', 'AllowanceTotalAmount']) {
      expect(xml, absent).not.toContain(absent);
    }
    expect(xml).toContain('&lt;&quot;Süd&quot;&gt; &amp; &apos;Nord&apos;');
    expect(xml).not.toMatch(/<(\w+:\w+)><\/\1>/); // no empty elements (PEPPOL-EN16931-R008)
    expect(checkEn16931(doc)).toEqual([]);
    expect((await validateAgainstOracle(xml, 'invoice')).errors).toEqual([]);
  });

  it('names the file after the kind and the number', () => {
    expect(ublFileName(sampleDocument())).toBe('invoice-INV-2026-00017.xml');
    expect(ublFileName(standardRatedDocument({ kind: 'credit_note' }))).toBe('credit-note-CN-2026-00003.xml');
    expect(ublFileName(sampleDocument({ number: 'RE 2026/17' }))).toBe('invoice-RE_2026_17.xml');
    expect(ublFileName(sampleDocument({ number: null, status: 'draft' }))).toBe('invoice-draft-0195f3a0-0000-7000-8000-00000000f001.xml');
  });
});

describe('the output compared with the official Peppol examples', () => {
  it('orders the top-level elements as peppol-base-example.xml does and as the UBL 2.1 sequence requires', () => {
    for (const kind of kinds) {
      const example = readExample(kind === 'invoice' ? 'peppol-base-example.xml' : 'peppol-base-creditnote-correction.xml');
      const sequence = schemaSequence(kind);
      for (const make of Object.values(documentCases)) {
        const ours = topLevelNames(renderUblInvoice(make(kind)));
        const theirs = topLevelNames(example);
        // Every top-level element of ours is in the schema's sequence, in non-decreasing position.
        const positions = ours.map((name) => sequence.indexOf(name));
        expect(positions.every((position) => position >= 0), ours.join(' ')).toBe(true);
        expect(positions).toEqual([...positions].sort((a, b) => a - b));
        // The elements both documents have come in the same order.
        const shared = (names: string[], other: string[]) => withoutRepeats(names.filter((name) => other.includes(name)));
        expect(shared(ours, theirs)).toEqual(shared(theirs, ours));
        // The example's mandatory core is all there.
        for (const name of ['cbc:CustomizationID', 'cbc:ProfileID', 'cbc:ID', 'cbc:IssueDate', 'cbc:DocumentCurrencyCode', 'cbc:BuyerReference', 'cac:AccountingSupplierParty', 'cac:AccountingCustomerParty', 'cac:TaxTotal', 'cac:LegalMonetaryTotal']) {
          expect(ours, name).toContain(name);
        }
      }
    }
  });

  it('uses the same specification and profile identifiers and type codes as the examples', () => {
    const invoiceExample = readExample('peppol-base-example.xml');
    const creditExample = readExample('peppol-base-creditnote-correction.xml');
    const invoice = renderUblInvoice(sampleDocument());
    const credit = renderUblInvoice(standardRatedDocument({ kind: 'credit_note' }));
    for (const name of ['cbc:CustomizationID', 'cbc:ProfileID']) {
      expect(elementText(invoice, name)).toBe(elementText(invoiceExample, name));
      expect(elementText(credit, name)).toBe(elementText(creditExample, name));
    }
    expect(elementText(invoice, 'cbc:InvoiceTypeCode')).toBe(elementText(invoiceExample, 'cbc:InvoiceTypeCode'));
    expect(elementText(credit, 'cbc:CreditNoteTypeCode')).toBe(elementText(creditExample, 'cbc:CreditNoteTypeCode'));
  });

  it('writes only element paths the official examples use, besides the references they happen not to show', () => {
    const known = new Set<string>();
    for (const name of readdirSync(examples)) for (const element of elementPaths(readExample(name))) known.add(element);
    // Peppol BIS 3 elements our documents carry that none of the examples happens to include.
    const alsoAllowed = new Set([
      'Document/cac:OrderReference/cbc:SalesOrderID', // BT-14
      'Document/cac:DespatchDocumentReference', // BT-16
      'Document/cac:DespatchDocumentReference/cbc:ID',
      'Document/cac:BillingReference/cac:InvoiceDocumentReference/cbc:IssueDate', // BT-26
      'Document/cac:PaymentMeans/cbc:PaymentDueDate', // BT-9 of a credit note
    ]);
    const documents = [
      ...Object.values(documentCases).flatMap((make) => kinds.map((kind) => make(kind))),
      { ...standardRatedDocument({ kind: 'credit_note' }), dueDate: '2026-03-16' },
    ];
    for (const doc of documents) {
      const unknown = [...elementPaths(renderUblInvoice(doc))].filter((element) => !known.has(element) && !alsoAllowed.has(element));
      expect(unknown).toEqual([]);
    }
  });
});

describe('checkEn16931', () => {
  it('reports each problem with its rule id first, a sentence on what to fix, and where', () => {
    const doc = sampleDocument({ totals: { ...sampleDocument().totals, grossMinor: sampleDocument().totals.grossMinor + 1n } });
    const violations = checkEn16931(doc);
    const violation = violations.find((candidate) => candidate.rule === 'BR-CO-15')!;
    expect(violation.message).toBe(
      'BR-CO-15: the gross 2894.63 EUR must equal tax-exclusive 2439.61 + tax 455.01 = 2894.62 EUR; recompute the totals.',
    );
    expect(violation.path).toBe('totals.grossMinor');
    for (const each of violations) expect(each.message.startsWith(`${each.rule}: `)).toBe(true);
  });

  const totalsOffByOne: [keyof InvoiceDocument['totals'], string[]][] = [
    ['linesNetMinor', ['BR-CO-10', 'BR-CO-13']],
    ['allowancesMinor', ['BR-CO-11', 'BR-CO-13']],
    ['chargesMinor', ['BR-CO-12', 'BR-CO-13']],
    ['taxExclusiveMinor', ['BR-CO-13', 'BR-CO-15']],
    ['taxMinor', ['BR-CO-14', 'BR-CO-15']],
    ['grossMinor', ['BR-CO-15', 'BR-CO-16']],
    ['prepaidMinor', ['BR-CO-16']],
    ['payableMinor', ['BR-CO-16']],
  ];
  for (const [field, expected] of totalsOffByOne) {
    it(`catches ${field} off by one minor unit with ${expected.join(' and ')}`, () => {
      const doc = sampleDocument();
      const found = rules(checkEn16931({ ...doc, totals: { ...doc.totals, [field]: doc.totals[field] + 1n } }));
      expect(found.sort()).toEqual([...expected].sort());
    });
  }

  it('checks the mandatory fields BR-02 to BR-16', () => {
    const doc = sampleDocument();
    const expectRule = (changed: InvoiceDocument, rule: string, path?: string) => {
      const violations = checkEn16931(changed);
      expect(rules(violations), rule).toContain(rule);
      if (path !== undefined) expect(violations.find((violation) => violation.rule === rule)!.path).toBe(path);
    };
    expectRule({ ...doc, number: null, status: 'draft' }, 'BR-02', 'number');
    expectRule({ ...doc, issueDate: null }, 'BR-03', 'issueDate');
    expectRule({ ...doc, kind: 'order' as unknown as DocumentKind }, 'BR-04', 'kind');
    expectRule({ ...doc, currency: '' }, 'BR-05', 'currency');
    expectRule({ ...doc, currency: 'EURO' }, 'BR-CL-04', 'currency');
    expectRule({ ...doc, seller: { ...doc.seller, legalName: ' ' } }, 'BR-06', 'seller.legalName');
    expectRule({ ...doc, buyer: { ...doc.buyer, legalName: '' } }, 'BR-07', 'buyer.legalName');
    expectRule({ ...doc, seller: { ...doc.seller, address: { line1: '', line2: null, postalCode: '', city: '', countryCode: '' } } }, 'BR-08', 'seller.address');
    expectRule({ ...doc, seller: { ...doc.seller, address: { ...doc.seller.address, countryCode: '' } } }, 'BR-09');
    expectRule({ ...doc, buyer: { ...doc.buyer, address: { line1: '', line2: null, postalCode: '', city: '', countryCode: '' } } }, 'BR-10', 'buyer.address');
    expectRule({ ...doc, buyer: { ...doc.buyer, address: { ...doc.buyer.address, countryCode: 'Germany' } } }, 'BR-11');
    expectRule({ ...doc, lines: [] }, 'BR-16', 'lines');
    expectRule({ ...doc, taxSubtotals: [] }, 'BR-CO-18', 'taxSubtotals');
    expectRule({ ...doc, lines: doc.lines.map((line, index) => (index === 1 ? { ...line, description: '' } : line)) }, 'BR-25', 'lines[1].description');
    expectRule({ ...doc, lines: doc.lines.map((line, index) => (index === 0 ? { ...line, unit: '' } : line)) }, 'BR-23', 'lines[0].unit');
    expectRule({ ...doc, lines: doc.lines.map((line, index) => (index === 0 ? { ...line, quantity: '' } : line)) }, 'BR-22', 'lines[0].quantity');
    expectRule({ ...doc, lines: doc.lines.map((line, index) => (index === 0 ? { ...line, unitPrice: '-1249.99' } : line)) }, 'BR-27', 'lines[0].unitPrice');
    expectRule({ ...doc, charges: doc.charges.map((charge) => ({ ...charge, description: '', reasonCode: null })) }, 'BR-38', 'charges[0].description');
    expectRule({ ...doc, precedingInvoice: { number: '', issueDate: '2026-01-01' } }, 'BR-55');
    expectRule({ ...doc, deliverTo: { ...doc.deliverTo!, countryCode: '' } }, 'BR-57', 'deliverTo.countryCode');
    expectRule({ ...doc, dueDate: null, paymentTerms: null, discountDeadline: null, discountMinor: null }, 'BR-CO-25');
    expectRule({ ...doc, seller: { ...doc.seller, vatId: null, registrationId: null } }, 'BR-CO-26', 'seller');
    expectRule({ ...doc, buyer: { ...doc.buyer, vatId: '987654321' } }, 'BR-CO-09', 'buyer.vatId');
    expectRule({ ...doc, buyerReference: null, purchaseOrderReference: null }, 'PEPPOL-EN16931-R003', 'buyerReference');
    expectRule({ ...doc, dueDate: '2026-02-30' }, 'PEPPOL-EN16931-F001', 'dueDate');
  });

  it('accepts Greek VAT numbers with EL and leaves credit notes without due date alone (their terms note covers BR-CO-25)', () => {
    const doc = sampleDocument({ buyer: { ...sampleDocument().buyer, vatId: 'EL094259216' } });
    expect(checkEn16931(doc)).toEqual([]);
    expect(checkEn16931({ ...standardRatedDocument({ kind: 'credit_note' }), paymentTerms: null, dueDate: null })).toEqual([]);
  });

  it('applies the standard-rate rules BR-S-01 to BR-S-10', () => {
    const doc = sampleDocument();
    const withoutVat = { ...doc, seller: { ...doc.seller, vatId: null } };
    expect(rules(checkEn16931(withoutVat))).toEqual(expect.arrayContaining(['BR-S-02', 'BR-S-03', 'BR-S-04']));
    const message = checkEn16931(withoutVat).find((violation) => violation.rule === 'BR-S-02')!.message;
    expect(message).toBe("BR-S-02: standard rated lines need the seller's VAT identifier (BT-31); add the VAT id to the tenant profile.");

    const zeroRate = { ...doc, lines: doc.lines.map((line, index) => (index === 2 ? { ...line, tax: standardRate('0') } : line)) };
    expect(rules(checkEn16931(zeroRate))).toContain('BR-S-05');
    const allowanceRate = { ...doc, allowances: doc.allowances.map((allowance) => ({ ...allowance, tax: standardRate('0') })) };
    expect(rules(checkEn16931(allowanceRate))).toContain('BR-S-06');
    const chargeRate = { ...doc, charges: doc.charges.map((charge) => ({ ...charge, tax: standardRate('0') })) };
    expect(rules(checkEn16931(chargeRate))).toContain('BR-S-07');

    const subtotals = doc.taxSubtotals;
    const taxable = { ...doc, taxSubtotals: subtotals.map((row, index) => (index === 1 ? { ...row, taxableMinor: row.taxableMinor + 1n } : row)) };
    expect(rules(checkEn16931(taxable))).toEqual(expect.arrayContaining(['BR-S-08', 'O2C-BREAKDOWN-TAXABLE']));
    const tax = { ...doc, taxSubtotals: subtotals.map((row, index) => (index === 0 ? { ...row, taxMinor: row.taxMinor + 1n } : row)), totals: { ...doc.totals, taxMinor: doc.totals.taxMinor + 1n, grossMinor: doc.totals.grossMinor + 1n, payableMinor: doc.totals.payableMinor + 1n } };
    expect(rules(checkEn16931(tax)).sort()).toEqual(['BR-CO-17', 'BR-S-09', 'O2C-TAX-ALLOCATION']);
    const co17 = checkEn16931(tax).find((violation) => violation.rule === 'BR-CO-17')!;
    expect(co17.message).toBe('BR-CO-17: the category S at 19 % tax 450.05 EUR must equal 2368.65 EUR × 19 % = 450.04 EUR; recompute the VAT breakdown.');

    const reason = { ...doc, taxSubtotals: subtotals.map((row) => ({ ...row, exemptionReason: 'Exempt' })) };
    expect(rules(checkEn16931(reason))).toContain('BR-S-10');
    // BR-S-01 asks for at least one S row; a rate without its own row is o2c's check.
    const missingRate = { ...doc, taxSubtotals: subtotals.filter((row) => row.ratePercent === '7') };
    expect(rules(checkEn16931(missingRate))).toContain('O2C-BREAKDOWN');
    expect(rules(checkEn16931(missingRate))).not.toContain('BR-S-01');
    expect(rules(checkEn16931({ ...doc, taxSubtotals: [] }))).toEqual(expect.arrayContaining(['BR-CO-18', 'BR-S-01']));
  });

  it('applies the zero-rate rules BR-Z', () => {
    const doc = zeroRatedDocument();
    expect(rules(checkEn16931({ ...doc, seller: { ...doc.seller, vatId: null } }))).toContain('BR-Z-02');
    expect(rules(checkEn16931({ ...doc, lines: doc.lines.map((line) => ({ ...line, tax: { ...zeroRated, ratePercent: '7' } })) }))).toContain('BR-Z-05');
    expect(rules(checkEn16931({ ...doc, taxSubtotals: doc.taxSubtotals.map((row) => ({ ...row, exemptionReasonCode: 'VATEX-EU-132' })) }))).toContain('BR-Z-10');
    const taxed = { ...doc, taxSubtotals: doc.taxSubtotals.map((row) => ({ ...row, taxMinor: 1n })) };
    expect(rules(checkEn16931(taxed))).toContain('BR-Z-09');
  });

  it('applies the exemption rules BR-E', () => {
    const doc = exemptDocument();
    expect(rules(checkEn16931({ ...doc, seller: { ...doc.seller, vatId: null } }))).toContain('BR-E-02');
    const noReason = { ...doc, taxSubtotals: doc.taxSubtotals.map((row) => ({ ...row, exemptionReasonCode: null, exemptionReason: null })) };
    expect(checkEn16931(noReason).map((violation) => violation.message)).toEqual([
      'BR-E-10: the exempt from VAT (E) row needs an exemption reason; give a VATEX code such as VATEX-EU-132 or the legal ground as text.',
    ]);
    const textOnly = { ...doc, taxSubtotals: doc.taxSubtotals.map((row) => ({ ...row, exemptionReasonCode: null })) };
    expect(checkEn16931(textOnly)).toEqual([]);
    const borrowed = { ...doc, taxSubtotals: doc.taxSubtotals.map((row) => ({ ...row, exemptionReasonCode: 'VATEX-EU-IC' })) };
    expect(rules(checkEn16931(borrowed))).toEqual(['BR-E-10']);
    const badCode = { ...doc, taxSubtotals: doc.taxSubtotals.map((row) => ({ ...row, exemptionReasonCode: 'Article 132' })) };
    expect(rules(checkEn16931(badCode))).toContain('BR-CL-22');
    // Two E rows with different grounds: EN 16931 wants exactly one.
    const split = buildDocument({
      lines: [
        { description: 'Training', quantity: '1', unitPrice: '100', tax: exempt },
        { description: 'Medical device', quantity: '1', unitPrice: '100', tax: { ...exempt, exemptionReasonCode: 'VATEX-EU-132-1B', exemptionReason: 'Hospital care' } },
      ],
    });
    const twoRows = { ...split, taxSubtotals: split.lines.map((line) => ({ ...line.tax, taxableMinor: line.taxableMinor, taxMinor: 0n })) };
    expect(rules(checkEn16931(twoRows))).toContain('BR-E-01');
  });

  it('applies the reverse-charge rules BR-AE', () => {
    const doc = reverseChargeDocument();
    const noBuyerId = { ...doc, buyer: { ...doc.buyer, vatId: null, registrationId: null } };
    const violations = checkEn16931(noBuyerId);
    expect(rules(violations)).toEqual(['BR-AE-02']);
    expect(violations[0]!.message).toBe(
      "BR-AE-02: reverse charge lines need the buyer's VAT identifier (BT-48) or legal registration number (BT-47); add the customer's VAT id.",
    );
    // The buyer's legal registration number is enough for BR-AE-02.
    expect(checkEn16931({ ...doc, buyer: { ...doc.buyer, vatId: null } })).toEqual([]);
    expect(rules(checkEn16931({ ...doc, seller: { ...doc.seller, vatId: null } }))).toContain('BR-AE-02');
    const taxed = { ...doc, lines: doc.lines.map((line) => ({ ...line, tax: { ...line.tax, ratePercent: '19' } })) };
    expect(rules(checkEn16931(taxed))).toContain('BR-AE-05');
    const wrongCode = { ...doc, taxSubtotals: doc.taxSubtotals.map((row) => ({ ...row, exemptionReasonCode: 'VATEX-EU-G' })) };
    expect(rules(checkEn16931(wrongCode))).toEqual(['BR-AE-10']);
    const withTax = { ...doc, taxSubtotals: doc.taxSubtotals.map((row) => ({ ...row, taxMinor: 100n })) };
    expect(rules(checkEn16931(withTax))).toContain('BR-AE-09');
  });

  it('applies the intra-Community rules BR-IC', () => {
    const doc = intraCommunityDocument();
    expect(rules(checkEn16931({ ...doc, buyer: { ...doc.buyer, vatId: null } }))).toEqual(['BR-IC-02', 'BR-IC-04']);
    expect(rules(checkEn16931({ ...doc, deliveryDate: null }))).toEqual(['BR-IC-11']);
    expect(rules(checkEn16931({ ...doc, deliverTo: null }))).toEqual(['BR-IC-12']);
    const taxed = { ...doc, charges: doc.charges.map((charge) => ({ ...charge, tax: { ...charge.tax, ratePercent: '20' } })) };
    expect(rules(checkEn16931(taxed))).toContain('BR-IC-07');
    const summed = { ...doc, taxSubtotals: doc.taxSubtotals.map((row) => ({ ...row, taxableMinor: row.taxableMinor - 1n })) };
    expect(rules(checkEn16931(summed))).toContain('BR-IC-08');
  });

  it('applies the export rules BR-G', () => {
    const doc = exportDocument();
    expect(rules(checkEn16931({ ...doc, seller: { ...doc.seller, vatId: null } }))).toEqual(['BR-G-02']);
    const noReason = { ...doc, taxSubtotals: doc.taxSubtotals.map((row) => ({ ...row, exemptionReasonCode: null, exemptionReason: null })) };
    expect(rules(checkEn16931(noReason))).toEqual(['BR-G-10']);
  });

  it('applies the not-subject rules BR-O', () => {
    const base = buildDocument({
      seller: { ...standardRatedDocument().seller, vatId: null },
      buyer: { ...standardRatedDocument().buyer, vatId: null },
      lines: [{ description: 'Damages', quantity: '1', unitPrice: '500', tax: notSubject }],
    });
    expect(checkEn16931(base)).toEqual([]);
    expect(rules(checkEn16931({ ...base, seller: { ...base.seller, vatId: 'DE123456789' } }))).toEqual(['BR-O-02']);
    const mixed = buildDocument({
      seller: base.seller,
      buyer: base.buyer,
      lines: [
        { description: 'Damages', quantity: '1', unitPrice: '500', tax: notSubject },
        { description: 'Spare part', quantity: '1', unitPrice: '10', tax: standardRate('19') },
      ],
    });
    expect(rules(checkEn16931(mixed))).toEqual(expect.arrayContaining(['BR-O-11', 'BR-O-12', 'BR-S-02']));
  });

  it('checks the foreign-currency fields BR-53 and PEPPOL-EN16931-R055 and the decimals BR-DEC', () => {
    const doc = usdDocument();
    expect(rules(checkEn16931({ ...doc, taxInBaseMinor: null }))).toEqual(['BR-53']);
    expect(rules(checkEn16931({ ...doc, taxInBaseMinor: -doc.taxInBaseMinor! }))).toEqual(['PEPPOL-EN16931-R055']);
    const kuwait = standardRatedDocument({ currency: 'KWD', baseCurrency: 'KWD' });
    expect(rules(checkEn16931(kuwait))).toEqual(['BR-DEC-09']);
  });

  it("checks o2c's own arithmetic behind the lines and the breakdown", () => {
    const doc = sampleDocument();
    const change = (index: number, patch: Partial<InvoiceDocument['lines'][number]>) => ({
      ...doc,
      lines: doc.lines.map((line, position) => (position === index ? { ...line, ...patch } : line)),
    });
    expect(rules(checkEn16931(change(1, { unitPrice: '0.1234567' })))).toEqual(expect.arrayContaining(['O2C-PRICE-DEC']));
    expect(rules(checkEn16931(change(1, { quantity: '2.5e2' })))).toContain('O2C-QUANTITY');
    expect(rules(checkEn16931(change(0, { discountPercent: '110' })))).toContain('O2C-PERCENT');
    expect(rules(checkEn16931(change(0, { grossMinor: doc.lines[0]!.grossMinor + 1n })))).toEqual(expect.arrayContaining(['O2C-LINE-GROSS', 'O2C-LINE-NET']));
    expect(rules(checkEn16931(change(0, { discountMinor: doc.lines[0]!.discountMinor + 1n })))).toEqual(expect.arrayContaining(['O2C-LINE-DISCOUNT', 'O2C-LINE-NET']));
    expect(rules(checkEn16931(change(0, { taxableMinor: doc.lines[0]!.taxableMinor - 1n })))).toEqual(expect.arrayContaining(['O2C-LINE-TAXABLE', 'O2C-BREAKDOWN-TAXABLE']));
    expect(rules(checkEn16931(change(3, { allowanceShareMinor: doc.lines[3]!.allowanceShareMinor + 1n, taxableMinor: doc.lines[3]!.taxableMinor - 1n })))).toEqual(expect.arrayContaining(['O2C-ALLOWANCE-SHARE', 'O2C-BREAKDOWN-TAXABLE']));
    expect(rules(checkEn16931(change(3, { taxMinor: doc.lines[3]!.taxMinor + 1n })))).toEqual(['O2C-TAX-ALLOCATION']);
    expect(rules(checkEn16931({ ...doc, allowances: doc.allowances.map((allowance) => ({ ...allowance, baseMinor: null })) }))).toContain('PEPPOL-EN16931-R041');
    expect(rules(checkEn16931({ ...doc, allowances: doc.allowances.map((allowance) => ({ ...allowance, percent: null })) }))).toContain('PEPPOL-EN16931-R042');
    const rate = doc.taxSubtotals.map((row) => ({ ...row, ratePercent: '19 %' }));
    expect(rules(checkEn16931({ ...doc, taxSubtotals: rate }))).toContain('O2C-PERCENT');
  });
});

// --- Properties -------------------------------------------------------------------

const lineTaxes: DocumentTax[] = [standardRate('19'), standardRate('7'), zeroRated, exempt];

/** A decimal with up to `maxDecimals` decimals between 0 and max, as canonical text. */
function decimalText(maxWhole: number, maxDecimals: number, minUnits = 0) {
  return fc
    .tuple(fc.integer({ min: 0, max: maxDecimals }), fc.integer({ min: minUnits, max: maxWhole }), fc.integer({ min: 0, max: 999_999 }))
    .map(([decimals, whole, fraction]) => {
      const scale = new Big('10').pow(decimals);
      const fractionPart = new Big(String(fraction % Number(scale.toFixed()))).div(scale);
      return new Big(String(whole)).plus(fractionPart).toFixed();
    });
}

const lineSpec: fc.Arbitrary<LineSpec> = fc.record({
  description: fc.constantFrom('Hydraulic press', 'Bolts M8', 'Copper wire', 'Training day', 'Manual'),
  unit: fc.constantFrom('C62', 'KGM', 'MTR', 'HUR'),
  quantity: decimalText(500, 3, 1),
  unitPrice: decimalText(20_000, 6),
  discountPercent: fc.option(fc.constantFrom('2', '5', '10', '12.5', '33.33'), { nil: null }),
  tax: fc.constantFrom(...lineTaxes),
});

const documentArbitrary: fc.Arbitrary<InvoiceDocument> = fc
  .record({
    kind: fc.constantFrom<DocumentKind>('invoice', 'credit_note'),
    lines: fc.array(lineSpec, { minLength: 1, maxLength: 6 }),
    orderDiscountPercent: fc.option(fc.constantFrom('1', '2.5', '5', '7.25'), { nil: null }),
    freight: fc.option(fc.bigInt({ min: 1n, max: 50_000n }), { nil: null }),
  })
  .map(({ kind, lines, orderDiscountPercent, freight }) =>
    buildDocument({
      kind,
      lines,
      orderDiscountPercent,
      charges: freight === null ? [] : [{ description: 'Freight', reasonCode: 'FC', amountMinor: freight, tax: lines[0]!.tax }],
    }),
  );

type Perturbation = { path: string; apply: (doc: InvoiceDocument, delta: bigint) => InvoiceDocument };

const totalFields: (keyof InvoiceDocument['totals'])[] = [
  'linesNetMinor',
  'allowancesMinor',
  'chargesMinor',
  'taxExclusiveMinor',
  'taxMinor',
  'grossMinor',
  'prepaidMinor',
  'payableMinor',
];

const perturbations: Perturbation[] = [
  ...totalFields.map((field) => ({
    path: `totals.${field}`,
    apply: (doc: InvoiceDocument, delta: bigint) => ({ ...doc, totals: { ...doc.totals, [field]: doc.totals[field] + delta } }),
  })),
  {
    path: 'taxSubtotals[0].taxableMinor',
    apply: (doc, delta) => ({ ...doc, taxSubtotals: doc.taxSubtotals.map((row, index) => (index === 0 ? { ...row, taxableMinor: row.taxableMinor + delta } : row)) }),
  },
  {
    path: 'taxSubtotals[0].taxMinor',
    apply: (doc, delta) => ({ ...doc, taxSubtotals: doc.taxSubtotals.map((row, index) => (index === 0 ? { ...row, taxMinor: row.taxMinor + delta } : row)) }),
  },
  {
    path: 'lines[0].netMinor',
    apply: (doc, delta) => ({ ...doc, lines: doc.lines.map((line, index) => (index === 0 ? { ...line, netMinor: line.netMinor + delta } : line)) }),
  },
];

describe('properties', () => {
  it('random consistent documents pass every EN 16931 check', () => {
    fc.assert(
      fc.property(documentArbitrary, (doc) => {
        expect(checkEn16931(doc)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('random consistent documents validate against the UBL 2.1 schema', async () => {
    await fc.assert(
      fc.asyncProperty(documentArbitrary, async (doc) => {
        const result = await validateAgainstOracle(renderUblInvoice(doc), doc.kind);
        expect(result.errors).toEqual([]);
        expect(result.valid).toBe(true);
      }),
      { numRuns: 25 },
    );
  });

  it('a single minor unit more or less in any total is caught', () => {
    fc.assert(
      fc.property(documentArbitrary, fc.constantFrom(...perturbations), fc.constantFrom(1n, -1n), (doc, perturbation, delta) => {
        const violations = checkEn16931(perturbation.apply(doc, delta));
        expect(violations.length, perturbation.path).toBeGreaterThan(0);
        expect(violations.some((violation) => /^BR-(CO|S|Z|E)-/.test(violation.rule)), perturbation.path).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('amounts in the XML are the minor units written with the currency decimals', () => {
    fc.assert(
      fc.property(documentArbitrary, (doc) => {
        const xml = renderUblInvoice(doc);
        const payable = elementText(xml, 'cbc:PayableAmount');
        expect(payable).toBe(formatMinor(doc.totals.payableMinor, 'EUR'));
        expect(amountIn('EUR', payable!)).toBe(doc.totals.payableMinor);
      }),
      { numRuns: 100 },
    );
  });
});
