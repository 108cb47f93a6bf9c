import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { formatMinor } from '../../../src/kernel';
import { renderInvoicePdf } from '../../../src/modules/invoicing/documents/invoice.pdf';
import type { DocumentParty, InvoiceDocument } from '../../../src/modules/invoicing/invoice-document';
import { creditorReferenceFor } from '../../../src/modules/invoicing/payment-reference.rules';
import {
  buildDocument,
  documentCases,
  exemptDocument,
  intraCommunityDocument,
  jpyDocument,
  reverseChargeDocument,
  sampleDocument,
  usdDocument,
  type LineSpec,
} from './document-fixtures';

// ---------------------------------------------------------------------------
// Sample documents beyond the shared cases
// ---------------------------------------------------------------------------

const lodzSeller: DocumentParty = {
  name: 'Ørsted Łódź',
  legalName: 'Ørsted Łódź Sp. z o.o.',
  address: { line1: 'ul. Piotrkowska 104', line2: 'Budynek C', postalCode: '90-926', city: 'Łódź', countryCode: 'PL' },
  vatId: 'PL7251234567',
  registrationId: 'KRS 0000123456',
  number: null,
  email: 'faktury@orsted-lodz.example',
};

/** Sixty lines from two orders and two shipments, so the references move from the header onto the lines. */
const longLines: LineSpec[] = Array.from({ length: 60 }, (_, index) => ({
  description: `Zahnrad Typ ${index + 1} für Getriebe`,
  quantity: '1',
  unitPrice: '10',
  orderNumber: index < 30 ? 'SO-2026-00017' : 'SO-2026-00018',
  orderLineNo: (index % 30) + 1,
  shipmentNumber: index < 30 ? 'SHP-2026-00042' : 'SHP-2026-00043',
}));
const long = buildDocument({
  number: 'INV-2026-00046',
  seller: lodzSeller,
  purchaseOrderReference: null,
  buyerReference: null,
  salesOrderReference: null,
  despatchReference: null,
  paymentReference: creditorReferenceFor('INV-2026-00046'),
  lines: longLines,
});

/**
 * A returned press (1,124.99 after its 10 % discount) and a 50.00 price reduction,
 * at 19 %. It carries the seller's account, which a credit note must not ask anyone to pay into.
 */
const creditNote = buildDocument({
  kind: 'credit_note',
  paymentReference: creditorReferenceFor('CN-2026-00003'),
  payeeIban: 'DE89370400440532013000',
  payeeBic: 'COBADEFFXXX',
  lines: [
    { description: 'Hydraulic press HP-20', sku: 'HP-20', quantity: '1', unitPrice: '1249.99', discountPercent: '10' },
    { description: 'Scratched paint', sku: null, quantity: '1', unitPrice: '50', isPriceReduction: true },
  ],
});

const draft = sampleDocument({ status: 'draft', number: null, issueDate: null, dueDate: null, discountDeadline: null, discountMinor: null, paymentReference: null });

// ---------------------------------------------------------------------------
// Reading the text back
// ---------------------------------------------------------------------------

const pdftotext = '/usr/bin/pdftotext';

interface PdfObject {
  readonly dict: string;
  readonly stream: string | null;
}

/** The indirect objects of a PDFKit file, their streams inflated. */
function pdfObjects(pdf: Buffer): Map<number, PdfObject> {
  const source = pdf.toString('latin1');
  const objects = new Map<number, PdfObject>();
  const header = /(\d+) 0 obj\s*/g;
  for (let match = header.exec(source); match !== null; match = header.exec(source)) {
    const start = header.lastIndex;
    const end = source.indexOf('endobj', start);
    const streamAt = source.indexOf('stream', start);
    if (streamAt === -1 || streamAt > end) {
      objects.set(Number(match[1]), { dict: source.slice(start, end), stream: null });
      continue;
    }
    const dict = source.slice(start, streamAt);
    const length = Number(/\/Length (\d+)/.exec(dict)?.[1]);
    const dataStart = streamAt + (source.startsWith('stream\r\n', streamAt) ? 8 : 7);
    const data = pdf.subarray(dataStart, dataStart + length);
    objects.set(Number(match[1]), { dict, stream: (dict.includes('/FlateDecode') ? inflateSync(data) : data).toString('latin1') });
    header.lastIndex = source.indexOf('endobj', dataStart + length);
  }
  return objects;
}

function utf16(hex: string): string {
  let text = '';
  for (let at = 0; at + 4 <= hex.length; at += 4) text += String.fromCharCode(Number.parseInt(hex.slice(at, at + 4), 16));
  return text;
}

/** Glyph code to text from a ToUnicode CMap (the bfrange and bfchar forms). */
function toUnicode(cmap: string): Map<number, string> {
  const map = new Map<number, string>();
  for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const entry of block[1]!.matchAll(/<([0-9a-f]+)>\s*<([0-9a-f]+)>\s*(\[[^\]]*\]|<[0-9a-f]+>)/gi)) {
      const first = Number.parseInt(entry[1]!, 16);
      const last = Number.parseInt(entry[2]!, 16);
      const target = entry[3]!;
      if (target.startsWith('[')) {
        [...target.matchAll(/<([0-9a-f]+)>/gi)].forEach((unicode, offset) => map.set(first + offset, utf16(unicode[1]!)));
      } else {
        const base = Number.parseInt(target.slice(1, -1), 16);
        for (let code = first; code <= last; code += 1) map.set(code, String.fromCharCode(base + code - first));
      }
    }
  }
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const entry of block[1]!.matchAll(/<([0-9a-f]+)>\s*<([0-9a-f]+)>/gi)) map.set(Number.parseInt(entry[1]!, 16), utf16(entry[2]!));
  }
  return map;
}

const reference = (text: string, key: string): number | null => {
  const match = new RegExp(`/${key} (\\d+) 0 R`).exec(text);
  return match === null ? null : Number(match[1]);
};

/**
 * The text of each page, one printed line per line: text runs that share a
 * baseline are joined left to right. It reads only what PDFKit writes (Type0
 * fonts with 2-byte glyph codes and a ToUnicode map), so the checks below run
 * on every machine, with or without poppler's pdftotext.
 */
function decodeText(pdf: Buffer): string {
  const objects = pdfObjects(pdf);
  const get = (id: number | null) => (id === null ? undefined : objects.get(id));
  const catalog = [...objects.values()].find((object) => /\/Type \/Catalog/.test(object.dict))!;
  const pageIds: number[] = [];
  const collect = (id: number) => {
    const node = get(id)!;
    if (/\/Type \/Pages/.test(node.dict)) {
      for (const kid of /\/Kids \[([^\]]*)\]/.exec(node.dict)![1]!.matchAll(/(\d+) 0 R/g)) collect(Number(kid[1]));
    } else {
      pageIds.push(id);
    }
  };
  collect(reference(catalog.dict, 'Pages')!);
  return pageIds
    .map((pageId) => {
      const page = get(pageId)!;
      const resources = get(reference(page.dict, 'Resources'))!.dict;
      const fonts = new Map<string, Map<number, string>>();
      for (const entry of (/\/Font <<([^>]*)>>/.exec(resources)?.[1] ?? '').matchAll(/\/(\S+) (\d+) 0 R/g)) {
        fonts.set(entry[1]!, toUnicode(get(reference(get(Number(entry[2]))!.dict, 'ToUnicode'))!.stream!));
      }
      const runs: Array<{ x: number; y: number; text: string }> = [];
      for (const block of get(reference(page.dict, 'Contents'))!.stream!.matchAll(/\bBT\b([\s\S]*?)\bET\b/g)) {
        let font = new Map<number, string>();
        let x = 0;
        let y = 0;
        let text = '';
        for (const op of block[1]!.matchAll(/\/(\S+) [\d.]+ Tf|(-?[\d.]+) (-?[\d.]+) Tm|\[([^\]]*)\]\s*TJ|<([0-9a-f]*)>\s*Tj/gi)) {
          if (op[1] !== undefined) font = fonts.get(op[1]) ?? new Map();
          else if (op[2] !== undefined) [x, y] = [Number(op[2]), Number(op[3])];
          else {
            for (const hex of (op[4] ?? `<${op[5]}>`).matchAll(/<([0-9a-f]*)>/gi)) {
              for (let at = 0; at + 4 <= hex[1]!.length; at += 4) text += font.get(Number.parseInt(hex[1]!.slice(at, at + 4), 16)) ?? '\uFFFD';
            }
          }
        }
        runs.push({ x, y, text });
      }
      const lines = new Map<string, Array<{ x: number; text: string }>>();
      for (const run of runs) {
        const key = run.y.toFixed(0);
        lines.set(key, [...(lines.get(key) ?? []), run]);
      }
      return [...lines.entries()]
        .sort(([a], [b]) => Number(b) - Number(a))
        .map(([, parts]) => parts.sort((a, b) => a.x - b.x).map((part) => part.text).join('   '))
        .join('\n');
    })
    .join('\f');
}

/** Every reading of the text there is on this machine: the decoder above, and pdftotext where installed. */
function readings(pdf: Buffer): string[] {
  const texts = [decodeText(pdf)];
  if (existsSync(pdftotext)) texts.push(execFileSync(pdftotext, ['-layout', '-', '-'], { input: pdf }).toString('utf8'));
  // Intl puts no-break spaces between amount and currency symbol; the checks read plain spaces.
  return texts.map((text) => text.replace(/[\u00a0\u202f]/g, ' '));
}

async function render(doc: InvoiceDocument): Promise<string[]> {
  const pdf = await renderInvoicePdf(doc);
  expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  const bytes = pdf.toString('latin1');
  expect(bytes).toMatch(/FontFile2/);
  expect(bytes).toMatch(/DejaVuSans/);
  const texts = readings(pdf);
  for (const text of texts) expect(text).not.toMatch(/undefined|NaN|null|\[object|\uFFFD/);
  return texts;
}

const squeeze = (text: string) => text.replace(/\s+/g, '');

/**
 * True when one printed line holds all the parts, in order. Spaces are left out
 * of the comparison: pdftotext's layout mode drops some between narrow glyphs
 * ("8h" for "8 h").
 */
function hasRow(text: string, parts: readonly string[]): boolean {
  return text.split('\n').some((line) => {
    const row = squeeze(line);
    let from = 0;
    for (const part of parts.map(squeeze)) {
      const at = row.indexOf(part, from);
      if (at === -1) return false;
      from = at + part.length;
    }
    return true;
  });
}

function expectRow(text: string, ...parts: string[]): void {
  expect(hasRow(text, parts), `a line with ${parts.join(' … ')} in:\n${text}`).toBe(true);
}

// ---------------------------------------------------------------------------

describe('invoice PDF', () => {
  it('decodes PDFKit text the way pdftotext does', async () => {
    const texts = await render(sampleDocument());
    expect(texts[0]).toContain('INV-2026-00017');
    if (texts.length === 2) {
      // The same characters, whatever the two make of the spacing.
      const characters = (text: string) => [...squeeze(text)].sort().join('');
      expect(characters(texts[0]!)).toBe(characters(texts[1]!));
    }
  });

  it('prints a standard invoice with parties, facts, lines, tax summary, totals and how to pay', async () => {
    for (const text of await render(sampleDocument({ note: 'Thank you for your order.' }))) {
      for (const expected of [
        'Invoice',
        'Nordwind Maschinen GmbH',
        'Hafenstraße 12',
        'VAT DE123456789',
        'Reg. HRB 123456',
        'billing@nordwind.example',
        'Müller & Söhne KG',
        'Leopoldstraße 40',
        '80802 München',
        'VAT DE987654321',
        'DELIVER TO',
        'Wareneingang',
        'HP-20',
        'Bolts M8 × 40, zinc plated',
        'Copper wire 2.5 mm²',
        'Thank you for your order.',
      ]) {
        expect(text).toContain(expected);
      }
      expect(text).not.toContain('DRAFT');
      expectRow(text, 'Invoice no.', 'INV-2026-00017');
      expectRow(text, 'Issue date', '02.03.2026');
      expectRow(text, 'Due date', '01.04.2026');
      expectRow(text, 'Customer no.', 'C000042');
      expectRow(text, 'Your PO', 'PO-4711');
      expectRow(text, 'Our order', 'SO-2026-00031');
      expectRow(text, 'Shipment', 'SHP-2026-00042');
      expectRow(text, 'Delivery date', '27.02.2026');
      // Number, item, quantity with its unit, unit price, discount, tax and net on one row.
      expectRow(text, '1', 'Hydraulic press HP-20', '2 pcs', '1.249,99 €', '10', 'S 19 %', '2.249,98 €');
      // Unit prices keep the decimals the currency lacks.
      expectRow(text, '2', 'Bolts M8', '250 pcs', '0,1235 €', 'S 19 %', '30,88 €');
      expectRow(text, '3', 'Technical handbook', '3 pcs', '24,90 €', 'S 7 %', '74,70 €');
      expectRow(text, '4', 'Copper wire', '120,5 m', '1,37 €', 'S 19 %', '165,09 €');
      // One order and one shipment: the references are in the facts, not on each line.
      expect(text).not.toContain('Order SO-2026-00031/');
      expectRow(text, 'Order discount 5 %', '5 % of 2.445,95 €', 'S 19 %', '−122,30 €');
      expectRow(text, 'Order discount 5 %', '5 % of 74,70 €', 'S 7 %', '−3,74 €');
      expectRow(text, 'Freight', 'S 19 %', '45,00 €');
      expectRow(text, 'S Standard rate', '19 %', '2.368,65 €', '450,04 €');
      expectRow(text, 'S Standard rate', '7 %', '70,96 €', '4,97 €');
      expect(text).not.toContain('Exemption reason');
      expectRow(text, 'Lines net', '2.520,65 €');
      expectRow(text, 'Allowances', '−126,04 €');
      expectRow(text, 'Charges', '45,00 €');
      expectRow(text, 'Total without VAT', '2.439,61 €');
      expectRow(text, 'VAT', '455,01 €');
      expectRow(text, 'Total with VAT', '2.894,62 €');
      expectRow(text, 'Amount payable', '2.894,62 €');
      expect(text).not.toContain('VAT in');
      expect(text).toContain('Payment terms: 2 % within 10 days, net 30 days. Please pay 2.894,62 € by 01.04.2026.');
      expect(text).toContain('Early payment: pay 2.836,73 € by 12.03.2026, deducting a discount of 57,89 € (2 %).');
      expect(text).toContain('Bank transfer to Nordwind Maschinen GmbH:');
      expect(text).toContain('IBAN DE89 3704 0044 0532 0130 00 · BIC COBADEFFXXX');
      expect(text).toContain('Payment reference: RF18 5390 0754 7034');
      expect(text).toContain('Please quote this reference with your payment');
      expect(text).toContain('Nordwind Maschinen GmbH · Invoice INV-2026-00017 · 1/1');
    }
  });

  it('keeps Polish and German names intact', async () => {
    for (const text of await render(sampleDocument({ seller: lodzSeller }))) {
      for (const expected of ['Ørsted Łódź Sp. z o.o.', 'ul. Piotrkowska 104', '90-926 Łódź', 'Reg. KRS 0000123456', 'Müller & Söhne KG', 'München', 'Bank transfer to Ørsted Łódź Sp. z o.o.:']) {
        expect(text).toContain(expected);
      }
    }
  });

  it('continues a 60-line invoice on further pages with the table header repeated and the references on the lines', async () => {
    const pdf = await renderInvoicePdf(long);
    expect(pdf.toString('latin1').match(/\/Type \/Page\b/g)?.length).toBeGreaterThanOrEqual(2);
    for (const text of await render(long)) {
      const pages = text.split('\f').filter((page) => page.trim() !== '');
      const count = pages.length;
      expect(count).toBeGreaterThanOrEqual(2);
      expect(pages[0]).toContain(`Invoice INV-2026-00046 · 1/${count}`);
      expect(pages[1]).toContain(`Invoice INV-2026-00046 · 2/${count}`);
      expectRow(pages[1]!, 'Item', 'Quantity', 'Unit price', 'Net');
      for (let lineNo = 1; lineNo <= 60; lineNo += 1) expect(text).toContain(`Zahnrad Typ ${lineNo} für Getriebe`);
      expect(text).toContain('SKU-1 · Order SO-2026-00017/1');
      expect(text).toContain('SKU-60 · Order SO-2026-00018/30');
      expect(text).toContain('Shipment SHP-2026-00042');
      expect(text).toContain('Shipment SHP-2026-00043');
      expect(text).not.toContain('Our order');
      expect(text).not.toContain('Your PO');
      expectRow(text, 'Amount payable', '714,00 €');
      expect(pages.at(-1)).toContain('Payment reference: RF');
      expect(text).toContain('Łódź');
    }
  });

  it('prints a credit note with the invoice it credits, the reason, price reductions and no demand to pay', async () => {
    for (const text of await render(creditNote)) {
      expectRow(text, 'Credit note');
      expectRow(text, 'Credit note no.', 'CN-2026-00003');
      expect(text).toContain('CREDIT TO');
      expect(text).toContain('Credits invoice INV-2026-00017 of 02.03.2026');
      expect(text).toContain('Reason: Goods returned damaged');
      expectRow(text, '1', 'Hydraulic press HP-20', '1 pcs', '1.249,99 €', '10', 'S 19 %', '1.124,99 €');
      expectRow(text, '2', 'Price reduction: Scratched paint', 'S 19 %', '50,00 €');
      expectRow(text, 'S Standard rate', '19 %', '1.174,99 €', '223,25 €');
      expectRow(text, 'Amount credited', '1.398,24 €');
      expect(text).not.toContain('Due date');
      expect(text).not.toContain('IBAN');
      expect(text).not.toContain('Amount payable');
      expect(text).not.toContain('Early payment');
      expect(text).toContain('Reference: RF39 CN20 2600 003');
      expect(text).toContain('Nordwind Maschinen GmbH · Credit note CN-2026-00003 · 1/1');
    }
  });

  it('states the VAT in the base currency on an invoice in a foreign currency', async () => {
    for (const text of await render(usdDocument())) {
      expectRow(text, 'Total with VAT', '2.894,62 $');
      expectRow(text, 'S Standard rate', '19 %', '2.368,65 $', '450,04 $');
      expect(text).toContain('VAT in EUR: 419,38 € at 1 USD = 0,9217 EUR');
    }
    // The rate printed is the one used, to every decimal it has.
    for (const text of await render({ ...usdDocument(), exchangeRate: '0.9217034512' })) {
      expect(text).toContain('at 1 USD = 0,9217034512 EUR');
    }
    for (const text of await render({ ...usdDocument(), locale: 'en-US' })) {
      expectRow(text, 'Issue date', 'Mar 2, 2026');
      expectRow(text, 'Amount payable', '$2,894.62');
      expect(text).toContain('VAT in EUR: €419.38 at 1 USD = 0.9217 EUR');
    }
  });

  it('prints yen without decimals', async () => {
    const doc = jpyDocument();
    for (const text of await render(doc)) {
      expectRow(text, 'Amount payable', `${formatMinor(doc.totals.payableMinor, 'JPY').replace(/\B(?=(\d{3})+$)/g, '.')} ¥`);
      expect(text).toMatch(/VAT in EUR: \d+,\d\d €/);
      expect(text).not.toMatch(/,\d\d ¥/);
    }
  });

  it('marks a draft and prints "Draft" for the number it does not have yet', async () => {
    for (const text of await render(draft)) {
      expect(text).toContain('DRAFT – not a valid invoice until it is issued with a number');
      expectRow(text, 'Invoice no.', 'Draft');
      expect(text).not.toContain('Issue date');
      expect(text).not.toContain('Due date');
      expect(text).not.toContain('Payment reference');
      expect(text).not.toContain('Early payment');
      expect(text).toContain('Nordwind Maschinen GmbH · Invoice Draft · 1/1');
      expectRow(text, 'Amount payable', '2.894,62 €');
    }
    for (const text of await render({ ...draft, kind: 'credit_note' })) {
      expect(text).toContain('DRAFT – not a valid credit note until it is issued with a number');
      expectRow(text, 'Credit note no.', 'Draft');
    }
  });

  it('prints the reason of a reverse charge, an exemption and an intra-Community supply in the tax summary', async () => {
    for (const text of await render(reverseChargeDocument())) {
      expect(text).toContain('Alpenbau GmbH');
      expect(text).toContain('VAT ATU13585627');
      expectRow(text, 'Commissioning of press line', '16 h', '95,00 €', 'AE 0 %', '1.520,00 €');
      expectRow(text, 'AE Reverse charge', 'Reverse charge', '0 %', '1.576,00 €', '0,00 €');
      expectRow(text, 'VAT', '0,00 €');
      expectRow(text, 'Amount payable', '1.576,00 €');
      expect(text).not.toContain('DELIVER TO');
    }
    for (const text of await render(exemptDocument())) {
      expectRow(text, 'E Exempt', 'Exempt under Article 132', '0 %', '1.700,00 €', '0,00 €');
      expect(text).toContain('2006/112/EC');
    }
    for (const text of await render(intraCommunityDocument())) {
      expect(text).toContain('VAT FR40303265045');
      expectRow(text, 'K Intra-Community supply', 'Intra-Community supply', '0 %', '1.512,49 €', '0,00 €');
      expectRow(text, 'Freight to Lyon', 'K 0 %', '120,00 €');
    }
  });

  it('renders every shared case as invoice and as credit note with its tax rows and gross', async () => {
    for (const [name, build] of Object.entries(documentCases)) {
      for (const kind of ['invoice', 'credit_note'] as const) {
        const doc = build(kind);
        const gross = new Intl.NumberFormat(doc.locale, { style: 'currency', currency: doc.currency }).format(formatMinor(doc.totals.grossMinor, doc.currency) as unknown as number);
        for (const text of await render(doc)) {
          expect(text, name).toContain(doc.number!);
          expectRow(text, 'Total with VAT', gross.replace(/[\u00a0\u202f]/g, ' '));
          for (const subtotal of doc.taxSubtotals) expectRow(text, subtotal.categoryCode, `${subtotal.ratePercent} %`);
          if (doc.currency !== doc.baseCurrency) expect(text, name).toContain(`VAT in ${doc.baseCurrency}`);
        }
      }
    }
  });

  it('prints any reference it is given in groups of four', async () => {
    for (const text of await render(sampleDocument({ paymentReference: creditorReferenceFor('INV-2026-00017') }))) {
      expect(text).toContain('Payment reference: RF32 INV2 0260 0017');
    }
  });
});
