import type { ModuleDefinition } from '../../platform/module';
import { defineNumberSeries } from '../../platform/number-series/number-series';
import { ordersRoutes } from './orders.routes';
import './orders.tables';

export { orderSchema, orderInputSchema, lineInputSchema, chargeInputSchema } from './orders.schemas';
export type { OrderView } from './order-view';
export type { OrderInput } from './order-draft';
export { priceOrder, type PricedOrder } from './order-pricing.rules';
export {
  cancelOrder,
  holdOrder,
  releaseHeldOrder,
  storeCreditDecision,
  orderHeadline,
  replaceOrderLines,
  reserveOrderLines,
  completeSubmission,
  createOrder,
  findOrderByCustomerPo,
  listBackorders,
  lockOrderForShipping,
  lockOrdersForInvoicing,
  recordInvoicedCharges,
  recordInvoicedQuantities,
  recordShipment,
  reserveBackorders,
  type BackorderLine,
  type ShippableOrder,
  loadOrder,
  orderLineReference,
  prepareSubmission,
  type CreditDecision,
  type Submission,
} from './orders.service';

/** Sales orders: capture, pricing, lifecycle, reservations. */
export const ordersModule: ModuleDefinition = {
  name: 'orders',
  routes: ordersRoutes,
  async setUpTenant(tx, tenantId) {
    await defineNumberSeries(tx, tenantId, 'sales_order', 'SO-{yyyy}-{seq:6}');
  },
};
