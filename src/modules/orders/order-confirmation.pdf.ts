import type { Executor } from '../../platform/db/database';
import { PdfDocumentBuilder } from '../../platform/documents/pdf';
import { unitSymbol } from '../../platform/documents/units';
import { getTenant } from '../../platform/tenants/tenants';
import { getCustomerForOrder } from '../customers';
import type { OrderView } from './order-view';

const reservationNotes: Record<string, string> = {
  complete: 'All goods are reserved for you and ship on the promised dates.',
  partial: 'Goods we hold are reserved; the rest ships as soon as it arrives.',
  backordered: 'The goods are on backorder; we will confirm ship dates as soon as they arrive.',
  not_needed: '',
  none: '',
};

/**
 * The order confirmation a customer receives: seller, buyer and ship-to, each
 * line with its promised ship date, the tax summary per category and rate, totals
 * and payment terms.
 */
export async function renderOrderConfirmation(executor: Executor, tenantId: string, order: OrderView): Promise<Buffer> {
  const tenant = await getTenant(executor, tenantId);
  const customer = await getCustomerForOrder(executor, tenant.id, order.customer.id);
  const pdf = new PdfDocumentBuilder(`Order confirmation ${order.number}`, tenant.locale);
  const money = (amount: string) => pdf.money(amount, order.currency);
  pdf
    .letterhead(tenant, 'Order confirmation', [
      ['Order', order.number],
      ['Order date', pdf.date(order.orderDate)],
      ['Customer', customer.number],
      ...(order.customerPoNumber === null ? [] : ([['Your PO', order.customerPoNumber]] as const)),
      ...(order.requestedDeliveryDate === null ? [] : ([['Requested', pdf.date(order.requestedDeliveryDate)]] as const)),
    ])
    .addresses([
      {
        title: 'Customer',
        lines: [
          customer.legalName,
          customer.billingAddress.line1,
          customer.billingAddress.line2,
          `${customer.billingAddress.postalCode} ${customer.billingAddress.city}`,
          customer.billingAddress.countryCode,
          customer.vatId === null ? null : `VAT ${customer.vatId}`,
        ],
      },
      { title: 'Ship to', lines: [order.shipTo.name, order.shipTo.line1, order.shipTo.line2, `${order.shipTo.postalCode} ${order.shipTo.city}`, order.shipTo.countryCode] },
    ])
    .table(
      [
        { header: '#', width: 20 },
        { header: 'Item', width: 140 },
        { header: 'Quantity', width: 55, align: 'right' },
        { header: 'Unit price', width: 62, align: 'right' },
        { header: 'Disc. %', width: 38, align: 'right' },
        { header: 'Tax', width: 42, align: 'right' },
        { header: 'Ships', width: 58, align: 'right' },
        { header: 'Net', width: 80, align: 'right' },
      ],
      order.lines.map((line) => [
        String(line.lineNo),
        `${line.description}\n${line.sku}`,
        `${pdf.quantity(line.quantity)} ${unitSymbol(line.unit)}`,
        money(line.unitPrice),
        line.discountPercent ?? '',
        `${line.taxCategory} ${line.taxRatePercent}%`,
        line.promisedShipDate === null ? 'backorder' : pdf.date(line.promisedShipDate),
        money(line.netAmount),
      ]),
    );
  if (order.charges.length > 0) {
    pdf.table(
      [
        { header: 'Charge', width: 395 },
        { header: 'Tax', width: 50, align: 'right' },
        { header: 'Amount', width: 50, align: 'right' },
      ],
      order.charges.map((charge) => [charge.description, `${charge.taxCategory} ${charge.taxRatePercent}%`, money(charge.amount)]),
    );
  }
  pdf.totals([
    ['Lines net', money(order.totals.linesNet)],
    ...(/^0(\.0+)?$/.test(order.totals.orderDiscount)
      ? []
      : ([[`Order discount ${order.orderDiscountPercent ?? ''}%`, `−${money(order.totals.orderDiscount)}`]] as const)),
    ...(order.charges.length === 0 ? [] : ([['Charges', money(order.totals.charges)]] as const)),
    ...order.taxBreakdown.map(
      (entry) => [`Tax ${entry.categoryCode} ${entry.ratePercent}% on ${money(entry.taxableAmount)}`, money(entry.taxAmount)] as const,
    ),
    ['Total', money(order.totals.gross)],
  ]);
  for (const reason of new Set(order.lines.flatMap((line) => (line.taxExemptionReason === null ? [] : [line.taxExemptionReason])))) {
    pdf.paragraph(reason, { color: '#333' });
  }
  pdf.paragraph(`Payment terms: ${customer.paymentTerms.name}`);
  const note = reservationNotes[order.reservationStatus] ?? '';
  if (note !== '') pdf.paragraph(note);
  if (order.notes !== null) pdf.paragraph(order.notes, { color: '#333' });
  return pdf.finish(`${tenant.legalName} · ${order.number}`);
}

