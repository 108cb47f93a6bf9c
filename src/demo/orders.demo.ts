import type { RequestContext } from '../platform/auth/actor';
import type { Tx } from '../platform/db/database';
import { cancelOrder, createOrder } from '../modules/orders';
import { findCustomerIdByNumber } from '../modules/customers';
import { submitOrder } from '../workflows/submit-order';

/**
 * Demo orders in every state order capture produces: drafts, approved orders with
 * stock reserved, partly reserved and backordered, a multi-currency export order,
 * an intra-EU one, and a cancelled one.
 */
export async function loadOrdersDemo(tx: Tx, context: RequestContext): Promise<void> {
  const customer = async (number: string) => {
    const id = await findCustomerIdByNumber(tx, context.actor.tenantId, number);
    if (id === null) throw new Error(`demo customer ${number} is missing`);
    return id;
  };
  const bakery = await customer('C000002');
  const muller = await customer('C000001');
  const lumiere = await customer('C000004');
  const greatLakes = await customer('C000007');
  const thornbury = await customer('C000008');

  // A draft still being put together.
  await createOrder(tx, context, { customerId: bakery, customerPoNumber: 'SB-2026-118', lines: [{ sku: 'FILM-500', quantity: '6' }, { sku: 'GLOVE-9', quantity: '20' }] }, 'ui');

  // Approved and fully reserved, with freight and a line discount.
  const reserved = await createOrder(
    tx,
    context,
    {
      customerId: muller,
      customerPoNumber: '4500012345',
      requestedDeliveryDate: null,
      lines: [
        { sku: 'BRG-6204-2RS', quantity: '120' },
        { sku: 'HOSE-12-2M', quantity: '10', discountPercent: '5' },
        { sku: 'SVC-INSTALL', quantity: '4' },
      ],
      charges: [{ kind: 'freight', amount: '45.00' }],
    },
    'api',
  );
  await submitOrder(tx, context, reserved.id);

  // Approved, part of the goods reserved and the rest backordered.
  const partial = await createOrder(tx, context, { customerId: bakery, customerPoNumber: 'SB-2026-119', lines: [{ sku: 'GLOVE-9', quantity: '30' }] }, 'csv');
  await submitOrder(tx, context, partial.id);

  // Ship-complete order waiting as a backorder: nothing reserved until every line can be met.
  const backorder = await createOrder(
    tx,
    context,
    { customerId: lumiere, customerPoNumber: 'AL-7781', shippingPolicy: 'complete', lines: [{ sku: 'SHELF-2000', quantity: '50' }, { sku: 'BRG-6204-2RS', quantity: '10' }] },
    'api',
  );
  await submitOrder(tx, context, backorder.id);

  // Export orders in USD and GBP.
  const export1 = await createOrder(tx, context, { customerId: greatLakes, customerPoNumber: 'GL-PO-88213', lines: [{ sku: 'BRG-6204-2RS', quantity: '40' }, { sku: 'OIL-HLP46', quantity: '2' }] }, 'shop');
  await submitOrder(tx, context, export1.id);
  await createOrder(tx, context, { customerId: thornbury, customerPoNumber: 'TH-5531', lines: [{ sku: 'SVC-MAINT', quantity: '1' }] }, 'edi');

  // Cancelled by the customer before it shipped.
  const cancelled = await createOrder(tx, context, { customerId: muller, customerPoNumber: '4500012399', lines: [{ sku: 'HOSE-12-2M', quantity: '5' }] }, 'api');
  await submitOrder(tx, context, cancelled.id);
  await cancelOrder(tx, context, cancelled.id, 'Customer ordered the wrong hose length');
}
