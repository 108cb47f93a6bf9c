import { createRequire } from 'node:module';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import { currencyExponent, unitPriceExtraDecimals } from '../../kernel';
import type { TenantView } from '../tenants/tenants';

/**
 * The platform's PDF toolkit: A4 documents with an embedded Unicode font (DejaVu
 * Sans), so names like Łódź, Ørsted or Müller print right, the tenant letterhead,
 * address blocks and tables with right-aligned money. Modules describe their
 * document; this file draws it.
 */
const require = createRequire(import.meta.url);
const fontDirectory = path.join(path.dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
const regularFont = path.join(fontDirectory, 'DejaVuSans.ttf');
const boldFont = path.join(fontDirectory, 'DejaVuSans-Bold.ttf');

export interface TableColumn {
  readonly header: string;
  readonly width: number;
  readonly align?: 'left' | 'right';
}

/**
 * Who a document is from, as the letterhead prints it: a tenant, or the seller
 * recorded on a document that must show the details it was issued with.
 */
export type LetterheadParty = Pick<TenantView, 'legalName' | 'addressLine1' | 'addressLine2' | 'postalCode' | 'city' | 'countryCode' | 'vatId'>;

export interface AddressBlock {
  readonly title: string;
  readonly lines: readonly (string | null | undefined)[];
}

export class PdfDocumentBuilder {
  private readonly document: PDFKit.PDFDocument;
  private readonly chunks: Buffer[] = [];
  private readonly left = 50;
  private readonly right = 545;

  constructor(title: string, private readonly locale: string) {
    this.document = new PDFDocument({ size: 'A4', margin: 50, info: { Title: title, Producer: 'o2c' }, bufferPages: true });
    this.document.registerFont('regular', regularFont);
    this.document.registerFont('bold', boldFont);
    this.document.font('regular').fontSize(9);
    this.document.on('data', (chunk: Buffer) => this.chunks.push(chunk));
  }

  /** The tenant's name and address at the top, the document title and its key facts beside it. */
  letterhead(tenant: LetterheadParty, title: string, facts: ReadonlyArray<readonly [string, string]>): this {
    const doc = this.document;
    doc.font('bold').fontSize(14).text(tenant.legalName, this.left, 50, { width: 300 });
    doc.font('regular').fontSize(8).fillColor('#444');
    const address = [tenant.addressLine1, tenant.addressLine2, `${tenant.postalCode} ${tenant.city}`, tenant.countryCode, tenant.vatId ? `VAT ${tenant.vatId}` : null];
    doc.text(address.filter(Boolean).join(' · '), this.left, doc.y + 2, { width: 300 });
    doc.fillColor('black').font('bold').fontSize(16).text(title, 350, 50, { width: this.right - 350, align: 'right' });
    doc.font('regular').fontSize(9);
    let y = 75;
    for (const [label, value] of facts) {
      doc.fillColor('#555').text(label, 350, y, { width: 90 });
      doc.fillColor('black').text(value, 440, y, { width: this.right - 440, align: 'right' });
      y += 13;
    }
    doc.y = Math.max(doc.y, y) + 15;
    return this;
  }

  addresses(blocks: readonly AddressBlock[]): this {
    const doc = this.document;
    const top = doc.y;
    const width = (this.right - this.left) / blocks.length;
    let bottom = top;
    blocks.forEach((block, index) => {
      const x = this.left + index * width;
      doc.font('bold').fontSize(8).fillColor('#555').text(block.title.toUpperCase(), x, top, { width: width - 10 });
      doc.font('regular').fontSize(9).fillColor('black').text(block.lines.filter(Boolean).join('\n'), x, doc.y + 2, { width: width - 10 });
      bottom = Math.max(bottom, doc.y);
    });
    doc.y = bottom + 15;
    doc.x = this.left;
    return this;
  }

  /** A table that continues on new pages with its header repeated. */
  table(columns: readonly TableColumn[], rows: ReadonlyArray<readonly string[]>): this {
    const doc = this.document;
    const drawHeader = () => {
      let x = this.left;
      const y = doc.y;
      doc.font('bold').fontSize(8).fillColor('#333');
      for (const column of columns) {
        doc.text(column.header, x, y, { width: column.width - 4, align: column.align ?? 'left' });
        x += column.width;
      }
      doc.moveTo(this.left, doc.y + 2).lineTo(this.right, doc.y + 2).strokeColor('#999').stroke();
      doc.y += 5;
      doc.font('regular').fontSize(9).fillColor('black');
    };
    drawHeader();
    for (const row of rows) {
      const height = Math.max(...row.map((cell, index) => doc.heightOfString(cell, { width: columns[index]!.width - 4 })));
      if (doc.y + height > doc.page.height - 90) {
        doc.addPage();
        drawHeader();
      }
      const y = doc.y;
      let x = this.left;
      row.forEach((cell, index) => {
        const column = columns[index]!;
        doc.text(cell, x, y, { width: column.width - 4, align: column.align ?? 'left' });
        x += column.width;
      });
      doc.y = y + height + 4;
    }
    doc.x = this.left;
    doc.y += 6;
    return this;
  }

  /** Label–amount pairs aligned right under a table; the last one in bold when `emphasiseLast`. */
  totals(entries: ReadonlyArray<readonly [string, string]>, emphasiseLast = true): this {
    const doc = this.document;
    entries.forEach(([label, value], index) => {
      const bold = emphasiseLast && index === entries.length - 1;
      const y = doc.y;
      doc.font(bold ? 'bold' : 'regular').fontSize(bold ? 10 : 9);
      doc.text(label, 330, y, { width: 130, align: 'right' });
      doc.text(value, 460, y, { width: this.right - 460, align: 'right' });
      doc.y = y + (bold ? 15 : 13);
    });
    doc.font('regular').fontSize(9);
    doc.x = this.left;
    doc.y += 8;
    return this;
  }

  paragraph(text: string, options: { bold?: boolean; size?: number; color?: string } = {}): this {
    this.document
      .font(options.bold === true ? 'bold' : 'regular')
      .fontSize(options.size ?? 9)
      .fillColor(options.color ?? 'black')
      .text(text, this.left, this.document.y, { width: this.right - this.left });
    this.document.moveDown(0.5);
    return this;
  }

  /** Formats a decimal amount string in the document locale with its currency (no float on the way). */
  money(amount: string, currency: string): string {
    return new Intl.NumberFormat(this.locale, { style: 'currency', currency }).format(amount as unknown as number);
  }

  /** Formats a decimal unit price with the currency's decimals and up to four more ("0,0125 €"), which `money` would round away. */
  unitPrice(amount: string, currency: string): string {
    const decimals = currencyExponent(currency);
    return new Intl.NumberFormat(this.locale, {
      style: 'currency',
      currency,
      minimumFractionDigits: decimals,
      maximumFractionDigits: decimals + unitPriceExtraDecimals,
    }).format(amount as unknown as number);
  }

  quantity(amount: string): string {
    return new Intl.NumberFormat(this.locale, { maximumFractionDigits: 6 }).format(amount as unknown as number);
  }

  date(isoDate: string): string {
    const [year, month, day] = isoDate.split('-').map(Number) as [number, number, number];
    return new Intl.DateTimeFormat(this.locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(Date.UTC(year, month - 1, day)));
  }

  /** Page numbers in the footer, then the finished file. */
  async finish(footer: string): Promise<Buffer> {
    const doc = this.document;
    const range = doc.bufferedPageRange();
    for (let index = range.start; index < range.start + range.count; index += 1) {
      doc.switchToPage(index);
      // The footer sits inside the bottom margin; lift the margin so it does not start a new page.
      doc.page.margins.bottom = 0;
      doc.font('regular').fontSize(7).fillColor('#777');
      doc.text(`${footer} · ${index + 1}/${range.count}`, this.left, doc.page.height - 40, { width: this.right - this.left, align: 'center', lineBreak: false });
    }
    const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(this.chunks))));
    doc.end();
    return done;
  }
}
