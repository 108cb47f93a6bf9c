import { PdfDocumentBuilder } from '../../platform/documents/pdf';
import type { TenantView } from '../../platform/tenants/tenants';
import type { CustomerForOrder } from '../customers';
import type { Statement } from './receivables.service';

/** The customer account statement as the customer reads it: per currency, opening balance, every movement with its running balance, closing balance. */
export async function renderStatementPdf(tenant: TenantView, customer: CustomerForOrder, statement: Statement): Promise<Buffer> {
  const pdf = new PdfDocumentBuilder(`Statement ${customer.number} ${statement.from} – ${statement.to}`, tenant.locale);
  pdf.letterhead(tenant, 'Account statement', [
    ['Customer no.', customer.number],
    ['From', pdf.date(statement.from)],
    ['To', pdf.date(statement.to)],
  ]);
  const address = customer.billingAddress;
  pdf.addresses([{ title: 'Customer', lines: [customer.legalName, address.line1, address.line2, `${address.postalCode} ${address.city}`, address.countryCode] }]);
  if (statement.currencies.length === 0) pdf.paragraph('No movements and no balance in this period.');
  for (const section of statement.currencies) {
    const money = (amount: string | null) => (amount === null ? '' : pdf.money(amount, section.currency));
    pdf.paragraph(`${section.currency}`, { bold: true, size: 11 });
    pdf.table(
      [
        { header: 'Date', width: 62 },
        { header: 'Kind', width: 62 },
        { header: 'Description', width: 171 },
        { header: 'Debit', width: 66, align: 'right' },
        { header: 'Credit', width: 66, align: 'right' },
        { header: 'Balance', width: 68, align: 'right' },
      ],
      [
        [pdf.date(statement.from), '', 'Opening balance', '', '', money(section.opening)],
        ...section.movements.map((movement) => [pdf.date(movement.date), movement.kind, movement.description, money(movement.debit), money(movement.credit), money(movement.balance)]),
      ],
    );
    pdf.totals([
      ['Opening balance', money(section.opening)],
      ['Closing balance', money(section.closing)],
    ]);
  }
  pdf.paragraph('A positive balance is what you owe us; a negative balance is a credit in your favour. Please tell us within 30 days if anything on this statement is not as you have it.', { color: '#444', size: 8 });
  return pdf.finish(`${tenant.legalName} · Statement ${customer.number}`);
}
