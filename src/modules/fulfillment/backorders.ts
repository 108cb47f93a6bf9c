import { sql } from 'kysely';
import type { RequestContext } from '../../platform/auth/actor';
import { systemContext } from '../../platform/auth/actor';
import type { Tx } from '../../platform/db/database';
import type { JobDefinition } from '../../platform/jobs/worker';
import type { EventSubscriber } from '../../platform/outbox/outbox';
import { reserveBackorders } from '../orders';

/**
 * Reserves stock for backordered lines wherever some is available, oldest order
 * first: for every item and warehouse with waiting lines and free stock. Run by hand,
 * by the job every 15 minutes, and for one item whenever stock is received.
 */
export async function allocateBackorders(tx: Tx, context: RequestContext): Promise<string[]> {
  const tenantId = context.actor.tenantId;
  const candidates = await sql<{ item_id: string; warehouse_id: string }>`
    select distinct l.item_id, o.warehouse_id
    from sales_order_lines l
    join sales_orders o on o.tenant_id = l.tenant_id and o.id = l.order_id
    join stock_levels s on s.tenant_id = l.tenant_id and s.item_id = l.item_id and s.warehouse_id = o.warehouse_id
    where l.tenant_id = ${tenantId} and o.status in ('approved', 'partially_shipped') and o.reservation_status in ('backordered', 'partial')
      and l.quantity - l.quantity_shipped - l.quantity_cancelled - l.quantity_reserved > 0
      and s.on_hand > s.reserved
    order by l.item_id, o.warehouse_id
    limit 500`.execute(tx);
  const reserved: string[] = [];
  for (const candidate of candidates.rows) reserved.push(...(await reserveBackorders(tx, context, candidate.item_id, candidate.warehouse_id)));
  return [...new Set(reserved)];
}

/** On every receipt, the waiting orders for that item and warehouse get their stock. */
export const onStockReceived: EventSubscriber = async (event, tx) => {
  const { itemId, warehouseId } = event.payload as { itemId: string; warehouseId: string };
  await reserveBackorders(tx, systemContext(event.tenantId, 'backorder allocation'), itemId, warehouseId);
};

/** The sweep for what a receipt did not cover (stock freed by a cancellation, an adjustment). */
export const backorderJob: JobDefinition = {
  name: 'fulfillment.allocate-backorders',
  cron: '*/15 * * * *',
  async handler(_data, { db, logger }) {
    const tenants = await db.selectFrom('tenants').select('id').execute();
    for (const tenant of tenants) {
      const reserved = await db.transaction().execute((tx) => allocateBackorders(tx, systemContext(tenant.id, 'backorder allocation')));
      if (reserved.length > 0) logger.info({ tenantId: tenant.id, orders: reserved }, 'backorders reserved');
    }
  },
};
