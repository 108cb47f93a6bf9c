import { PdfDocumentBuilder } from '../../../platform/documents/pdf';
import type { TenantView } from '../../../platform/tenants/tenants';
import type { ShipmentView } from '../shipment-view';
import { decimalText, fact, footer, linesByNumber, packagesByNumber, shipToLines, weightSummary, unitSymbol } from './common';

/**
 * The packing slip that travels in the box: who sent it, to whom, against which
 * order, what is inside, and how it ships.
 */
export async function renderPackingSlip(tenant: TenantView, shipment: ShipmentView, _generatedAt: Date = new Date()): Promise<Buffer> {
  const pdf = new PdfDocumentBuilder(`Packing slip ${shipment.number}`, tenant.locale);
  const date = (value: string | null) => (value === null ? null : pdf.date(value));
  const kg = (value: string) => `${pdf.quantity(value)} kg`;
  pdf.letterhead(tenant, 'Packing slip', [
    ['Shipment', shipment.number],
    ['Order', shipment.orderNumber],
    ...fact('Your PO', shipment.customerPoNumber),
    ['Customer', shipment.customer.number],
    ...fact('Ship date', date(shipment.shipDate)),
  ]);
  if (shipment.status === 'cancelled') pdf.paragraph('CANCELLED', { bold: true, size: 12, color: '#b00020' });
  pdf
    .addresses([
      { title: 'Ship to', lines: shipToLines(shipment) },
      { title: 'Customer', lines: [shipment.customer.name, shipment.customer.number] },
      {
        title: 'Shipping',
        lines: [
          shipment.carrier === null ? 'Carrier: —' : `Carrier: ${shipment.carrier}`,
          shipment.serviceLevel === null ? null : `Service: ${shipment.serviceLevel}`,
          shipment.trackingNumber === null ? null : `Tracking: ${shipment.trackingNumber}`,
          shipment.expectedDeliveryDate === null ? null : `Expected: ${pdf.date(shipment.expectedDeliveryDate)}`,
        ],
      },
    ])
    .table(
      [
        { header: '#', width: 25 },
        { header: 'SKU', width: 110 },
        { header: 'Description', width: 260 },
        { header: 'Quantity', width: 100, align: 'right' },
      ],
      linesByNumber(shipment).map((line) => [String(line.lineNo), line.sku, line.description, `${pdf.quantity(line.quantity)} ${unitSymbol(line.unit)}`]),
    );
  const packages = packagesByNumber(shipment);
  if (packages.length > 0) {
    pdf.table(
      [
        { header: 'Package', width: 60 },
        { header: 'Type', width: 335 },
        { header: 'Weight', width: 100, align: 'right' },
      ],
      packages.map((pkg) => [`${pkg.packageNo} of ${packages.length}`, pkg.packageType, pkg.weightKg === null ? '—' : kg(pkg.weightKg)]),
    );
  }
  const weights = weightSummary(shipment);
  pdf.totals(
    [
      ['Packages', String(weights.packageCount)],
      ...(weights.knownTotalKg === null
        ? []
        : ([[weights.complete ? 'Total weight' : `Weight of ${weights.weighedCount} weighed`, kg(decimalText(weights.knownTotalKg))]] as const)),
    ],
    false,
  );
  pdf.paragraph('Please check the goods against this slip on arrival and tell us within 48 hours about anything missing or damaged.', {
    color: '#333',
  });
  return pdf.finish(footer(tenant, shipment));
}
