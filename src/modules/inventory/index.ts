import { newId } from '../../kernel';
import type { ModuleDefinition } from '../../platform/module';
import { getTenant } from '../../platform/tenants/tenants';
import { inventoryRoutes } from './inventory.routes';
import { loadInventoryDemo } from './inventory.demo';
import './inventory.tables';

export type { ReservationPolicy } from './inventory.rules';
export { getAvailability, releaseReservations, reserveStock, shipReserved, type ReservationLine, type StockLevelView } from './stock.service';
export { getDefaultWarehouse, getWarehouse, type WarehouseView } from './warehouses.service';

/** Inventory: warehouses, stock levels, reservations and the movement history. */
export const inventoryModule: ModuleDefinition = {
  name: 'inventory',
  routes: inventoryRoutes,
  async setUpTenant(tx, tenantId) {
    const tenant = await getTenant(tx, tenantId);
    await tx
      .insertInto('warehouses')
      .values({ tenant_id: tenantId, id: newId(), code: 'MAIN', name: 'Main warehouse', country_code: tenant.countryCode, is_default: true })
      .execute();
  },
  loadDemo: loadInventoryDemo,
};
