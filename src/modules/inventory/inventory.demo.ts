import { Big } from '../../kernel';
import type { RequestContext } from '../../platform/auth/actor';
import type { Tx } from '../../platform/db/database';
import { demoItems, getItemsBySkus } from '../catalog';
import { receiveStock } from './stock.service';
import { createWarehouse, getDefaultWarehouse } from './warehouses.service';

/**
 * Demo stock: a second warehouse in Hamburg, and receipts of every goods item in
 * the main warehouse — plenty of most, a little of some and none of one, so orders
 * show every reservation outcome (reserved, partly reserved, backordered).
 */
const demoQuantities: ReadonlyArray<string> = ['500', '120', '40', '8', '250', '3', '0', '60', '75', '30'];

export async function loadInventoryDemo(tx: Tx, context: RequestContext): Promise<void> {
  const tenantId = context.actor.tenantId;
  const main = await getDefaultWarehouse(tx, tenantId);
  if (main === undefined) return;
  const hamburg = await createWarehouse(tx, context, { code: 'HAM', name: 'Hamburg port warehouse', countryCode: 'DE' });
  const goods = demoItems.filter((item) => item.kind === 'goods');
  const items = await getItemsBySkus(tx, tenantId, goods.map((item) => item.sku));
  for (const [index, demo] of goods.entries()) {
    const item = items.get(demo.sku.toUpperCase());
    const quantity = demoQuantities[index % demoQuantities.length]!;
    if (item === undefined || quantity === '0') continue;
    await receiveStock(tx, context, { itemId: item.id, warehouseId: main.id, quantity: new Big(quantity), reason: 'Opening stock' });
    if (index % 3 === 0) {
      await receiveStock(tx, context, { itemId: item.id, warehouseId: hamburg.id, quantity: new Big('25'), reason: 'Opening stock' });
    }
  }
}
