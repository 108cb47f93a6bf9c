import { PdfDocumentBuilder } from '../../../platform/documents/pdf';
import type { TenantView } from '../../../platform/tenants/tenants';
import type { ShipmentView } from '../shipment-view';
import { fact, footer, linesBySku, shipToLines, tenantDateTime, unitSymbol } from './common';

/**
 * The pick list for the warehouse: which goods to take off the shelves for one
 * shipment, in SKU order, with a column to tick each line as it is picked.
 */
export async function renderPickList(tenant: TenantView, shipment: ShipmentView, generatedAt: Date = new Date()): Promise<Buffer> {
  const pdf = new PdfDocumentBuilder(`Pick list ${shipment.number}`, tenant.locale);
  const date = (value: string | null) => (value === null ? null : pdf.date(value));
  pdf.letterhead(tenant, 'Pick list', [
    ['Shipment', shipment.number],
    ['Order', shipment.orderNumber],
    ['Warehouse', shipment.warehouse.code],
    ...fact('Ship date', date(shipment.shipDate)),
    ...fact('Expected delivery', date(shipment.expectedDeliveryDate)),
    ['Printed', tenantDateTime(tenant, generatedAt)],
  ]);
  if (shipment.status === 'cancelled') pdf.paragraph('CANCELLED — do not pick this shipment.', { bold: true, size: 12, color: '#b00020' });
  pdf
    .addresses([
      { title: 'Warehouse', lines: [shipment.warehouse.name, shipment.warehouse.code] },
      { title: 'Customer', lines: [shipment.customer.name, shipment.customer.number] },
      { title: 'Ship to', lines: shipToLines(shipment) },
    ])
    .table(
      [
        { header: '#', width: 25 },
        { header: 'SKU', width: 100 },
        { header: 'Description', width: 205 },
        { header: 'Quantity', width: 65, align: 'right' },
        { header: 'Unit', width: 45 },
        { header: 'Picked', width: 55, align: 'right' },
      ],
      linesBySku(shipment).map((line) => [
        String(line.lineNo),
        line.sku,
        line.description,
        pdf.quantity(line.quantity),
        unitSymbol(line.unit),
        '☐',
      ]),
    )
    .paragraph(`${shipment.lines.length} ${shipment.lines.length === 1 ? 'line' : 'lines'} to pick.`, { color: '#333' })
    .paragraph('Picked by: ____________________     Date: ____________     Checked by: ____________________');
  return pdf.finish(footer(tenant, shipment));
}
