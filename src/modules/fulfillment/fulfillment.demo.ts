import type { RequestContext } from '../../platform/auth/actor';
import type { Tx } from '../../platform/db/database';
import { cancelShipment, createShipment, deliverShipment, packShipment, pickShipment, reportDeliveryException, shipShipment } from './shipments.service';

/**
 * Demo shipments in every state, from the demo orders that hold stock (orders load
 * before shipments in the demo, see src/demo).
 */
export async function loadFulfillmentDemo(tx: Tx, context: RequestContext): Promise<void> {
  const orders = await tx
    .selectFrom('sales_orders')
    .select(['id', 'number'])
    .where('tenant_id', '=', context.actor.tenantId)
    .where('status', '=', 'approved')
    .where('reservation_status', '=', 'complete')
    .orderBy('number')
    .execute();
  const [first, second] = orders;
  if (first === undefined) return;
  const goods = (await tx.selectFrom('sales_order_lines').select(['id', 'item_kind']).where('order_id', '=', first.id).orderBy('line_no').execute()).filter((line) => line.item_kind === 'goods');
  const [bearings, hoses] = goods;
  if (bearings === undefined || hoses === undefined) return;
  // The first order ships in parts: 20 bearings delivered, 50 packed, the hoses waiting in a new shipment
  // (an earlier one was cancelled), the rest of the bearings not yet in a shipment.
  const delivered = await createShipment(tx, context, { orderId: first.id, lines: [{ orderLineId: bearings.id, quantity: '20' }] });
  await pickShipment(tx, context, delivered.id);
  await packShipment(tx, context, delivered.id, [{ packageType: 'box', weightKg: '12.5' }]);
  await shipShipment(tx, context, delivered.id, { carrier: 'DHL Freight', serviceLevel: 'Standard', trackingNumber: 'JJD000390007123456' });
  await deliverShipment(tx, context, delivered.id, { receivedBy: 'J. Müller, goods receipt' });
  const packed = await createShipment(tx, context, { orderId: first.id, lines: [{ orderLineId: bearings.id, quantity: '50' }] });
  await pickShipment(tx, context, packed.id);
  await packShipment(tx, context, packed.id, [{ packageType: 'box', weightKg: '30' }, { packageType: 'box', weightKg: '31.2' }]);
  const mistaken = await createShipment(tx, context, { orderId: first.id, lines: [{ orderLineId: hoses.id, quantity: '10' }] });
  await cancelShipment(tx, context, mistaken.id, 'Created for the wrong warehouse bay');
  await createShipment(tx, context, { orderId: first.id, lines: [{ orderLineId: hoses.id, quantity: '10' }] });
  if (second !== undefined) {
    const shipped = await createShipment(tx, context, { orderId: second.id });
    await pickShipment(tx, context, shipped.id);
    await packShipment(tx, context, shipped.id, [{ packageType: 'pallet', weightKg: '180' }, { packageType: 'box', weightKg: '8.2' }]);
    await shipShipment(tx, context, shipped.id, { carrier: 'DB Schenker', trackingNumber: 'SCH-4471-2209' });
    await reportDeliveryException(tx, context, shipped.id, { kind: 'damaged', note: 'Customer reports one pallet wrap torn; goods inspected on arrival' });
  }
}
