import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateXML, type XMLFileInfo } from 'xmllint-wasm';
import { renderBillOfLading, renderDespatchAdvice, renderPackingSlip, renderPickList } from '../../../src/modules/fulfillment/documents';
import type { ShipmentView } from '../../../src/modules/fulfillment/shipment-view';
import type { TenantView } from '../../../src/platform/tenants/tenants';

const generatedAt = new Date('2026-03-10T23:30:00Z'); // already 11 March in Warsaw

const tenant: TenantView = {
  id: '0195f3a0-0000-7000-8000-000000000001',
  slug: 'orsted',
  legalName: 'Ørsted Łódź Sp. z o.o.',
  addressLine1: 'ul. Piotrkowska 104',
  addressLine2: 'Budynek C',
  postalCode: '90-926',
  city: 'Łódź',
  countryCode: 'PL',
  vatId: 'PL7251234567',
  registrationId: 'KRS 0000123456',
  iban: null,
  bic: null,
  baseCurrency: 'PLN',
  timeZone: 'Europe/Warsaw',
  locale: 'pl-PL',
  emailSender: null,
  version: 1,
  updatedAt: '2026-01-01T00:00:00.000Z',
};

const shipment: ShipmentView = {
  id: '0195f3a0-0000-7000-8000-0000000000a1',
  number: 'SHP-2026-00042',
  status: 'shipped',
  orderId: '0195f3a0-0000-7000-8000-0000000000b1',
  orderNumber: 'SO-2026-00017',
  customerPoNumber: 'PO-4711/Ü',
  customer: { id: '0195f3a0-0000-7000-8000-0000000000c1', number: 'C-1001', name: 'Müller Maschinenbau GmbH' },
  warehouse: { id: '0195f3a0-0000-7000-8000-0000000000d1', code: 'LDZ-1', name: 'Magazyn Łódź Widzew' },
  shipTo: { name: 'Müller Maschinenbau GmbH – Wareneingang', line1: 'Hauptstraße 5', line2: 'Tor 3', postalCode: '80331', city: 'München', countryCode: 'DE' },
  carrier: 'DHL',
  serviceLevel: 'Express 12:00',
  trackingNumber: 'JD014600003828455512',
  shipDate: '2026-03-09',
  expectedDeliveryDate: '2026-03-11',
  deliveredAt: null,
  receivedBy: null,
  deliveryException: null,
  deliveryNote: null,
  readyToInvoice: true,
  lines: [
    {
      id: '0195f3a0-0000-7000-8000-0000000000e2',
      lineNo: 2,
      orderLineId: '0195f3a0-0000-7000-8000-0000000000f2',
      itemId: '0195f3a0-0000-7000-8000-000000000102',
      sku: 'BOLT-M8',
      description: 'Śruba M8 × 40, ocynkowana',
      unit: 'C62',
      quantity: '250',
    },
    {
      id: '0195f3a0-0000-7000-8000-0000000000e1',
      lineNo: 1,
      orderLineId: '0195f3a0-0000-7000-8000-0000000000f1',
      itemId: '0195f3a0-0000-7000-8000-000000000101',
      sku: 'WIRE-CU-2.5',
      description: 'Przewód miedziany 2,5 mm²',
      unit: 'MTR',
      quantity: '120.5',
    },
  ],
  packages: [
    { packageNo: 1, packageType: 'Carton', weightKg: '12.4' },
    { packageNo: 2, packageType: 'Pallet', weightKg: '180.25' },
  ],
  documents: [],
  availableActions: ['deliver'],
  version: 4,
  createdAt: '2026-03-08T09:00:00.000Z',
  updatedAt: '2026-03-09T15:00:00.000Z',
};

/** The same shipment with everything optional missing, and names that need escaping. */
const bareShipment: ShipmentView = {
  ...shipment,
  number: 'SHP-2026-00043',
  status: 'packed',
  customerPoNumber: null,
  customer: { ...shipment.customer, name: '<Müller & Söhne>' },
  shipTo: { ...shipment.shipTo, name: '<Müller & Söhne> "Lager"', line2: null },
  carrier: null,
  serviceLevel: null,
  trackingNumber: null,
  shipDate: null,
  expectedDeliveryDate: null,
  lines: [{ ...shipment.lines[0]!, description: "Bolts 'M8' <zinc> & washers" }],
  packages: [{ packageNo: 1, packageType: 'Carton', weightKg: null }],
};

const bareTenant: TenantView = { ...tenant, addressLine2: null, vatId: null, registrationId: null };

const projectRoot = path.resolve(import.meta.dirname, '../../..');
const ublRoot = path.join(projectRoot, '../shared/oracles/ubl-2.1');
const mainSchema = 'maindoc/UBL-DespatchAdvice-2.1.xsd';

function schemaFiles(): { schema: XMLFileInfo; preload: XMLFileInfo[] } {
  const files = ['maindoc', 'common'].flatMap((folder) =>
    readdirSync(path.join(ublRoot, folder))
      .filter((name) => name.endsWith('.xsd'))
      .map((name) => `${folder}/${name}`),
  );
  const read = (fileName: string): XMLFileInfo => ({ fileName, contents: readFileSync(path.join(ublRoot, fileName), 'utf8') });
  return { schema: read(mainSchema), preload: files.filter((name) => name !== mainSchema).map(read) };
}

async function validate(xml: string) {
  const { schema, preload } = schemaFiles();
  return validateXML({ xml: { fileName: 'despatch-advice.xml', contents: xml }, schema, preload });
}

const pdftotext = '/usr/bin/pdftotext';

function pdfText(pdf: Buffer): string | null {
  if (!existsSync(pdftotext)) return null;
  return execFileSync(pdftotext, ['-layout', '-', '-'], { input: pdf }).toString('utf8');
}

function expectSoundPdf(pdf: Buffer): string | null {
  expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  const bytes = pdf.toString('latin1');
  expect(bytes).toMatch(/FontFile2/);
  expect(bytes).toMatch(/DejaVuSans/);
  const text = pdfText(pdf);
  if (text !== null) {
    expect(text).not.toMatch(/undefined|NaN|null|\[object/);
  }
  return text;
}

describe('shipment documents', () => {
  it('renders a pick list in SKU order with a column to tick', async () => {
    const text = expectSoundPdf(await renderPickList(tenant, shipment, generatedAt));
    if (text === null) return;
    for (const expected of ['Pick list', 'SHP-2026-00042', 'SO-2026-00017', 'LDZ-1', 'Magazyn Łódź Widzew', 'München', 'Picked', '☐', 'pcs', 'Ørsted']) {
      expect(text).toContain(expected);
    }
    expect(text.indexOf('BOLT-M8')).toBeLessThan(text.indexOf('WIRE-CU-2.5'));
    expect(text).toContain('250');
    expect(text).toContain('120,5');
  });

  it('renders a packing slip with PO, packages, carrier and tracking', async () => {
    const text = expectSoundPdf(await renderPackingSlip(tenant, shipment, generatedAt));
    if (text === null) return;
    for (const expected of ['Packing slip', 'Ørsted Łódź', 'PO-4711/Ü', 'SO-2026-00017', 'Müller Maschinenbau', 'DHL', 'Express 12:00', 'JD014600003828455512', 'Carton', 'Pallet']) {
      expect(text).toContain(expected);
    }
    expect(text).toContain('192,65 kg'); // 12.4 + 180.25, exact, pl-PL
  });

  it('renders a bill of lading with shipper, consignee, weights and signature fields', async () => {
    const text = expectSoundPdf(await renderBillOfLading(tenant, shipment, generatedAt));
    if (text === null) return;
    for (const expected of ['Bill of lading', 'SHIPPER', 'CONSIGNEE', 'CARRIER', 'Ørsted Łódź Sp. z o.o.', 'ul. Piotrkowska 104', 'DHL', 'JD014600003828455512', 'Package count', '192,65 kg', 'Śruba M8', 'Signature']) {
      expect(text).toContain(expected);
    }
    expect(text.match(/Signature/g)?.length).toBe(3);
  });

  it('renders all three PDFs for a shipment that lacks the optional facts', async () => {
    for (const render of [renderPickList, renderPackingSlip, renderBillOfLading]) {
      const text = expectSoundPdf(await render(bareTenant, bareShipment, generatedAt));
      if (text !== null) expect(text).toContain('<Müller & Söhne>');
    }
  });

  it('writes a DespatchAdvice that validates against the UBL 2.1 schema', async () => {
    const xml = renderDespatchAdvice(tenant, shipment, generatedAt);
    const result = await validate(xml);
    expect(result.errors.map((error) => error.rawMessage)).toEqual([]);
    expect(result.valid).toBe(true);

    expect(xml).toContain('<cbc:UBLVersionID>2.1</cbc:UBLVersionID>');
    expect(xml).toContain('<cbc:CustomizationID>urn:fdc:peppol.eu:poacc:trns:despatch_advice:3</cbc:CustomizationID>');
    expect(xml).toContain('<cbc:ProfileID>urn:fdc:peppol.eu:poacc:bis:despatch_advice:3</cbc:ProfileID>');
    expect(xml).toContain('<cbc:ID>SHP-2026-00042</cbc:ID>');
    expect(xml).toContain('<cbc:IssueDate>2026-03-11</cbc:IssueDate>'); // the tenant's day, not UTC's
    expect(xml).toMatch(/<cac:OrderReference><cbc:ID>PO-4711\/Ü<\/cbc:ID><cbc:SalesOrderID>SO-2026-00017<\/cbc:SalesOrderID>/);
    expect(xml).toContain('<cbc:CompanyID>PL7251234567</cbc:CompanyID><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme>');
    expect(xml).toContain('<cbc:CityName>Łódź</cbc:CityName>');
    expect(xml).toContain('<cbc:GrossWeightMeasure unitCode="KGM">192.65</cbc:GrossWeightMeasure>');
    expect(xml).toContain('<cbc:TotalTransportHandlingUnitQuantity>2</cbc:TotalTransportHandlingUnitQuantity>');
    expect(xml).toContain('<cac:CarrierParty><cac:PartyName><cbc:Name>DHL</cbc:Name></cac:PartyName></cac:CarrierParty>');
    expect(xml).toContain('<cbc:TrackingID>JD014600003828455512</cbc:TrackingID>');
    expect(xml).toContain('<cac:DeliveryParty><cac:PartyName><cbc:Name>Müller Maschinenbau GmbH – Wareneingang</cbc:Name>');
    expect(xml).toContain('<cbc:ActualDespatchDate>2026-03-09</cbc:ActualDespatchDate>');
    expect(xml).toContain('<cbc:DeliveredQuantity unitCode="MTR">120.5</cbc:DeliveredQuantity>');
    expect(xml).toContain('<cbc:LineID>0195f3a0-0000-7000-8000-0000000000f1</cbc:LineID>');
    expect(xml).toContain('<cac:SellersItemIdentification><cbc:ID>BOLT-M8</cbc:ID></cac:SellersItemIdentification>');
    // Lines in line-number order.
    expect(xml.indexOf('<cbc:ID>1</cbc:ID>')).toBeLessThan(xml.indexOf('<cbc:ID>2</cbc:ID>'));
  });

  it('leaves out what the shipment lacks and escapes special characters', async () => {
    const xml = renderDespatchAdvice(bareTenant, bareShipment, generatedAt);
    const result = await validate(xml);
    expect(result.errors.map((error) => error.rawMessage)).toEqual([]);
    expect(result.valid).toBe(true);

    expect(xml).not.toContain('GrossWeightMeasure');
    expect(xml).not.toContain('TrackingID');
    expect(xml).not.toContain('cac:Consignment');
    expect(xml).not.toContain('ActualDespatchDate');
    expect(xml).not.toContain('cac:PartyTaxScheme');
    expect(xml).toContain('<cac:OrderReference><cbc:ID>SO-2026-00017</cbc:ID>');
    expect(xml).toContain('<cbc:TotalTransportHandlingUnitQuantity>1</cbc:TotalTransportHandlingUnitQuantity>');
    expect(xml).toContain('<cbc:Name>&lt;Müller &amp; Söhne&gt;</cbc:Name>');
    expect(xml).toContain('&lt;Müller &amp; Söhne&gt; &quot;Lager&quot;');
    expect(xml).toContain('Bolts &apos;M8&apos; &lt;zinc&gt; &amp; washers');
    expect(xml).not.toContain('<Müller');
  });

  it('the schema oracle rejects elements out of UBL order', async () => {
    const xml = renderDespatchAdvice(tenant, shipment, generatedAt).replace(
      '<cbc:ID>SHP-2026-00042</cbc:ID>\n  <cbc:IssueDate>2026-03-11</cbc:IssueDate>',
      '<cbc:IssueDate>2026-03-11</cbc:IssueDate>\n  <cbc:ID>SHP-2026-00042</cbc:ID>',
    );
    expect(xml).toContain('<cbc:IssueDate>2026-03-11</cbc:IssueDate>\n  <cbc:ID>');
    const result = await validate(xml);
    expect(result.valid).toBe(false);
    expect(result.errors.length).toBeGreaterThan(0);
  });
});
