import { PdfDocumentBuilder } from '../../../platform/documents/pdf';
import type { TenantView } from '../../../platform/tenants/tenants';
import type { ShipmentView } from '../shipment-view';
import { decimalText, fact, footer, linesByNumber, packagesByNumber, shipToLines, tenantAddressLines, tenantDate, unitSymbol, weightSummary } from './common';

const blank = '______________________';

/**
 * A straight (non-negotiable) bill of lading for the carrier: shipper, consignee,
 * carrier, the packages with their weights, what the goods are, and the boxes where
 * shipper, driver and consignee sign.
 */
export async function renderBillOfLading(tenant: TenantView, shipment: ShipmentView, generatedAt: Date = new Date()): Promise<Buffer> {
  const pdf = new PdfDocumentBuilder(`Bill of lading ${shipment.number}`, tenant.locale);
  const kg = (value: string) => `${pdf.quantity(value)} kg`;
  const weights = weightSummary(shipment);
  pdf.letterhead(tenant, 'Bill of lading', [
    ['B/L number', shipment.number],
    ['Date', pdf.date(shipment.shipDate ?? tenantDate(tenant, generatedAt))],
    ['Order', shipment.orderNumber],
    ...fact('Customer PO', shipment.customerPoNumber),
  ]);
  if (shipment.status === 'cancelled') pdf.paragraph('CANCELLED — not valid for transport.', { bold: true, size: 12, color: '#b00020' });
  pdf.addresses([
    { title: 'Shipper', lines: tenantAddressLines(tenant) },
    { title: 'Consignee', lines: shipToLines(shipment) },
    {
      title: 'Carrier',
      lines: [
        shipment.carrier ?? blank,
        `Service: ${shipment.serviceLevel ?? '—'}`,
        `Tracking: ${shipment.trackingNumber ?? '—'}`,
        `Ship date: ${shipment.shipDate === null ? '—' : pdf.date(shipment.shipDate)}`,
        `Ship from: ${shipment.warehouse.name} (${shipment.warehouse.code})`,
      ],
    },
  ]);
  const packages = packagesByNumber(shipment);
  pdf.paragraph('Handling units', { bold: true });
  if (packages.length === 0) {
    pdf.paragraph('No packages recorded.', { color: '#555' });
  } else {
    pdf.table(
      [
        { header: 'Package', width: 60 },
        { header: 'Type', width: 335 },
        { header: 'Gross weight', width: 100, align: 'right' },
      ],
      packages.map((pkg) => [String(pkg.packageNo), pkg.packageType, pkg.weightKg === null ? 'not weighed' : kg(pkg.weightKg)]),
    );
  }
  pdf.totals(
    [
      ['Package count', String(weights.packageCount)],
      [
        'Total gross weight',
        weights.knownTotalKg === null
          ? '—'
          : weights.complete
            ? kg(decimalText(weights.knownTotalKg))
            : `${kg(decimalText(weights.knownTotalKg))} (${weights.packageCount - weights.weighedCount} not weighed)`,
      ],
    ],
    true,
  );
  pdf
    .paragraph('Description of goods', { bold: true })
    .table(
      [
        { header: '#', width: 25 },
        { header: 'SKU', width: 110 },
        { header: 'Description', width: 260 },
        { header: 'Quantity', width: 100, align: 'right' },
      ],
      linesByNumber(shipment).map((line) => [String(line.lineNo), line.sku, line.description, `${pdf.quantity(line.quantity)} ${unitSymbol(line.unit)}`]),
    )
    .paragraph(
      'Received, subject to the carrier’s conditions of carriage, the goods described above in apparent good order and condition, except as noted, to be delivered to the consignee at the address above.',
      { color: '#333' },
    )
    .table(
      [
        { header: 'Shipper', width: 165 },
        { header: 'Carrier', width: 165 },
        { header: 'Consignee', width: 165 },
      ],
      [
        ['\n\n\nSignature ____________________', '\n\n\nSignature ____________________', '\n\n\nSignature ____________________'],
        ['Name ________________________', 'Name ________________________', 'Name ________________________'],
        ['Date ________________________', 'Date ________________________', 'Date ________________________'],
      ],
    );
  return pdf.finish(footer(tenant, shipment));
}
