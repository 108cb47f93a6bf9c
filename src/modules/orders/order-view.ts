import { Big, formatMinor, formatQuantity, formatUnitPrice } from '../../kernel';
import { availableActions, type OrderAction } from './order-lifecycle.rules';
import type { SalesOrderChargesTable, SalesOrderLinesTable, SalesOrdersTable } from './orders.tables';
import type { Selectable } from 'kysely';

export type OrderRow = Selectable<SalesOrdersTable>;
export type OrderLineRow = Selectable<SalesOrderLinesTable>;
export type OrderChargeRow = Selectable<SalesOrderChargesTable>;

/** The order as the API shows it: money as decimal strings in the order currency. */
export function toOrderView(order: OrderRow, lines: readonly OrderLineRow[], charges: readonly OrderChargeRow[]) {
  const money = (minor: bigint) => formatMinor(minor, order.currency);
  const quantity = (text: string) => formatQuantity(new Big(text));
  return {
    id: order.id,
    number: order.number,
    status: order.status,
    reservationStatus: order.reservation_status,
    availableActions: availableActions(order.status) as OrderAction[],
    customer: { id: order.customer_id, number: order.customer_number, name: order.customer_name },
    customerPoNumber: order.customer_po_number,
    currency: order.currency,
    orderDate: order.order_date,
    requestedDeliveryDate: order.requested_delivery_date,
    shipTo: {
      name: order.ship_to_name,
      line1: order.ship_to_line1,
      line2: order.ship_to_line2,
      postalCode: order.ship_to_postal_code,
      city: order.ship_to_city,
      countryCode: order.ship_to_country_code,
    },
    buyerVatId: order.buyer_vat_id,
    warehouseId: order.warehouse_id,
    shippingPolicy: order.shipping_policy,
    paymentTermsCode: order.payment_terms_code,
    orderDiscountPercent: order.order_discount_percent === null ? null : formatQuantity(new Big(order.order_discount_percent)),
    allowOverDelivery: order.allow_over_delivery,
    overDeliveryTolerancePercent: formatQuantity(new Big(order.over_delivery_tolerance_percent)),
    lines: lines.map((line) => ({
      id: line.id,
      lineNo: line.line_no,
      itemId: line.item_id,
      sku: line.sku,
      description: line.description,
      kind: line.item_kind,
      unit: line.unit,
      quantity: quantity(line.quantity),
      unitPrice: formatUnitPrice(new Big(line.unit_price), order.currency),
      priceSource: line.price_source,
      priceListId: line.price_list_id,
      priceOverrideReason: line.price_override_reason,
      discountPercent: line.discount_percent === null ? null : formatQuantity(new Big(line.discount_percent)),
      grossAmount: money(line.gross_minor),
      discountAmount: money(line.discount_minor),
      netAmount: money(line.net_minor),
      orderDiscountShare: money(line.order_discount_share_minor),
      taxableAmount: money(line.taxable_minor),
      taxCategory: line.tax_category,
      taxRatePercent: formatQuantity(new Big(line.tax_rate_percent)),
      taxExemptionReasonCode: line.tax_exemption_reason_code,
      taxExemptionReason: line.tax_exemption_reason,
      taxAmount: money(line.tax_minor),
      quantityReserved: quantity(line.quantity_reserved),
      quantityShipped: quantity(line.quantity_shipped),
      quantityCancelled: quantity(line.quantity_cancelled),
      quantityInvoiced: quantity(line.quantity_invoiced),
      quantityOpen: formatQuantity(new Big(line.quantity).minus(new Big(line.quantity_shipped)).minus(new Big(line.quantity_cancelled))),
      promisedShipDate: line.promised_ship_date,
    })),
    charges: charges.map((charge) => ({
      id: charge.id,
      kind: charge.kind,
      description: charge.description,
      amount: money(charge.amount_minor),
      taxCategory: charge.tax_category,
      taxRatePercent: formatQuantity(new Big(charge.tax_rate_percent)),
      taxAmount: money(charge.tax_minor),
    })),
    totals: {
      linesNet: money(order.lines_net_minor),
      orderDiscount: money(order.order_discount_minor),
      charges: money(order.charges_minor),
      taxable: money(order.taxable_minor),
      tax: money(order.tax_minor),
      gross: money(order.gross_minor),
    },
    taxBreakdown: (order.tax_breakdown as Array<{ categoryCode: string; ratePercent: string; exemptionReasonCode: string | null; taxableMinor: string; taxMinor: string }>).map(
      (entry) => ({
        categoryCode: entry.categoryCode,
        ratePercent: entry.ratePercent,
        exemptionReasonCode: entry.exemptionReasonCode,
        taxableAmount: money(BigInt(entry.taxableMinor)),
        taxAmount: money(BigInt(entry.taxMinor)),
      }),
    ),
    source: order.source,
    notes: order.notes,
    creditDecision: order.credit_decision ?? null,
    cancelReason: order.cancel_reason,
    createdBy: order.created_by,
    submittedAt: order.submitted_at?.toISOString() ?? null,
    approvedAt: order.approved_at?.toISOString() ?? null,
    cancelledAt: order.cancelled_at?.toISOString() ?? null,
    createdAt: order.created_at.toISOString(),
    updatedAt: order.updated_at.toISOString(),
    version: order.version,
  };
}

export type OrderView = ReturnType<typeof toOrderView>;
