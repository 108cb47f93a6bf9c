import { z } from 'zod';
import { isBusinessDate } from '../../kernel';

/** Request and response schemas of the order API. */
const decimalText = (description: string) => z.string().min(1).max(40).describe(description);
const dateText = z.string().refine(isBusinessDate, 'must be a calendar date YYYY-MM-DD that exists');

export const lineInputSchema = z.strictObject({
  lineId: z.uuid().optional().describe('An existing line to keep (when changing lines)'),
  itemId: z.uuid().optional(),
  sku: z.string().min(1).max(64).optional(),
  quantity: decimalText('Quantity, e.g. "10" or "2.5"'),
  unitPrice: decimalText('Overrides the price list (needs the price_override permission and a reason)').optional(),
  priceOverrideReason: z.string().trim().max(500).optional(),
  discountPercent: decimalText('Line discount in percent, e.g. "5"').optional(),
  description: z.string().trim().max(500).optional(),
});

export const chargeInputSchema = z.strictObject({
  kind: z.enum(['freight', 'handling', 'other']),
  amount: decimalText('Net amount in the order currency, e.g. "25.00"'),
  description: z.string().trim().max(200).optional(),
});

export const shipToSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  line1: z.string().trim().min(1).max(200),
  line2: z.string().trim().max(200).nullable().optional(),
  postalCode: z.string().trim().min(1).max(20),
  city: z.string().trim().min(1).max(100),
  countryCode: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code'),
});

export const orderInputSchema = z.strictObject({
  customerId: z.uuid().optional(),
  customerNumber: z.string().min(1).max(40).optional(),
  customerPoNumber: z.string().trim().max(100).nullable().optional(),
  currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code').optional().describe('Defaults to the customer currency'),
  orderDate: dateText.optional().describe('Defaults to today in the tenant time zone'),
  requestedDeliveryDate: dateText.nullable().optional(),
  shipToAddressId: z.uuid().optional().describe('One of the customer’s shipping addresses (default: its default one)'),
  shipTo: shipToSchema.optional().describe('A one-off ship-to address instead'),
  warehouseId: z.uuid().optional().describe('Defaults to the default warehouse'),
  shippingPolicy: z.enum(['partial', 'complete']).optional().describe('partial: reserve what is there and backorder the rest; complete: reserve only when every line can be met'),
  orderDiscountPercent: decimalText('Order-level discount in percent').nullable().optional(),
  allowOverDelivery: z.boolean().optional(),
  overDeliveryTolerancePercent: decimalText('Allowed over-delivery in percent').optional(),
  notes: z.string().trim().max(2000).nullable().optional(),
  lines: z.array(lineInputSchema).min(1).max(500),
  charges: z.array(chargeInputSchema).max(20).optional(),
});

const moneyText = z.string().describe('Decimal amount in the order currency');

export const totalsSchema = z.object({ linesNet: moneyText, orderDiscount: moneyText, charges: moneyText, taxable: moneyText, tax: moneyText, gross: moneyText });

export const orderSchema = z
  .object({
    id: z.uuid(),
    number: z.string(),
    status: z.string(),
    reservationStatus: z.string(),
    availableActions: z.array(z.string()),
    customer: z.object({ id: z.uuid(), number: z.string(), name: z.string() }),
    customerPoNumber: z.string().nullable(),
    currency: z.string(),
    orderDate: z.string(),
    requestedDeliveryDate: z.string().nullable(),
    shipTo: z.object({ name: z.string(), line1: z.string(), line2: z.string().nullable(), postalCode: z.string(), city: z.string(), countryCode: z.string() }),
    buyerVatId: z.string().nullable(),
    warehouseId: z.uuid(),
    shippingPolicy: z.string(),
    paymentTermsCode: z.string(),
    orderDiscountPercent: z.string().nullable(),
    allowOverDelivery: z.boolean(),
    overDeliveryTolerancePercent: z.string(),
    lines: z.array(
      z.object({
        id: z.uuid(),
        lineNo: z.number().int(),
        itemId: z.uuid(),
        sku: z.string(),
        description: z.string(),
        kind: z.string(),
        unit: z.string(),
        quantity: z.string(),
        unitPrice: z.string(),
        priceSource: z.string(),
        priceListId: z.string().nullable(),
        priceOverrideReason: z.string().nullable(),
        discountPercent: z.string().nullable(),
        grossAmount: moneyText,
        discountAmount: moneyText,
        netAmount: moneyText,
        orderDiscountShare: moneyText,
        taxableAmount: moneyText,
        taxCategory: z.string(),
        taxRatePercent: z.string(),
        taxExemptionReasonCode: z.string().nullable(),
        taxExemptionReason: z.string().nullable(),
        taxAmount: moneyText,
        quantityReserved: z.string(),
        quantityShipped: z.string(),
        quantityCancelled: z.string(),
        quantityInvoiced: z.string(),
        quantityOpen: z.string(),
        promisedShipDate: z.string().nullable(),
      }),
    ),
    charges: z.array(z.object({ id: z.uuid(), kind: z.string(), description: z.string(), amount: moneyText, taxCategory: z.string(), taxRatePercent: z.string(), taxAmount: moneyText })),
    totals: totalsSchema,
    taxBreakdown: z.array(z.object({ categoryCode: z.string(), ratePercent: z.string(), exemptionReasonCode: z.string().nullable(), taxableAmount: moneyText, taxAmount: moneyText })),
    source: z.string(),
    notes: z.string().nullable(),
    creditDecision: z.unknown().nullable(),
    cancelReason: z.string().nullable(),
    createdBy: z.string(),
    submittedAt: z.string().nullable(),
    approvedAt: z.string().nullable(),
    cancelledAt: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    version: z.number().int(),
  })
  .meta({ id: 'Order' });

export const orderListItemSchema = z
  .object({
    id: z.uuid(),
    number: z.string(),
    status: z.string(),
    reservationStatus: z.string(),
    customer: z.object({ id: z.uuid(), number: z.string(), name: z.string() }),
    customerPoNumber: z.string().nullable(),
    currency: z.string(),
    orderDate: z.string(),
    requestedDeliveryDate: z.string().nullable(),
    totals: totalsSchema,
    source: z.string(),
    version: z.number().int(),
  })
  .meta({ id: 'OrderSummary' });
