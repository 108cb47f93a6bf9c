import type { ModuleDefinition } from '../../platform/module';
import { defineNumberSeries } from '../../platform/number-series/number-series';
import { backorderJob, onStockReceived } from './backorders';
import { fulfillmentRoutes } from './fulfillment.routes';
import './fulfillment.tables';

export type { ShipmentView } from './shipment-view';
export { loadShipment, createShipment, pickShipment, packShipment, shipShipment, deliverShipment } from './shipments.service';
/** Demo shipments; they need the demo orders, which load after the modules. */
export { loadFulfillmentDemo } from './fulfillment.demo';

/** Fulfillment: shipments from reserved order lines, pick/pack/ship/deliver, documents, backorders. */
export const fulfillmentModule: ModuleDefinition = {
  name: 'fulfillment',
  routes: fulfillmentRoutes,
  jobs: [backorderJob],
  subscribers: { 'inventory.stock_received': [onStockReceived] },
  async setUpTenant(tx, tenantId) {
    await defineNumberSeries(tx, tenantId, 'shipment', 'SH-{yyyy}-{seq:6}');
  },
};
