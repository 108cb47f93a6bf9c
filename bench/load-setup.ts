import type { Kysely } from 'kysely';
import type { Database } from '../src/platform/db/schema';
import type { Role, Send } from './load-mix';

export const loadSkus = ['BRG-6204-2RS', 'HOSE-12-2M', 'FILM-500', 'GLOVE-9', 'OIL-HLP46', 'SVC-INSTALL'] as const;

/**
 * Prepares a tenant with the demo records for the load mix: plenty of most goods,
 * a few gloves that submits race for, one customer with a small limit so orders
 * go on credit hold, and the EUR customers to order for.
 */
export async function prepareLoadTenant(db: Kysely<Database>, tenantId: string, send: Send, keys: Readonly<Record<Role | 'admin', string>>): Promise<{ customers: string[] }> {
  const must = async (path: string, key: string, body: unknown, method: 'POST' | 'PUT' = 'POST') => {
    const answer = await send({ method, path, key, body });
    if (answer.status >= 300) throw new Error(`${method} ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
  };
  const warehouse = await db.selectFrom('warehouses').select('id').where('tenant_id', '=', tenantId).where('code', '=', 'MAIN').executeTakeFirstOrThrow();
  const items = await db.selectFrom('items').select(['id', 'sku']).where('tenant_id', '=', tenantId).where('kind', '=', 'goods').execute();
  for (const item of items) {
    await must('/stock/adjustments', keys.warehouse, { itemId: item.id, warehouseId: warehouse.id, countedQuantity: item.sku === 'GLOVE-9' ? '40' : '1000000', reason: 'load: stock count' });
  }
  const customers = await db.selectFrom('customers').select(['id', 'number']).where('tenant_id', '=', tenantId).where('currency', '=', 'EUR').where('status', '=', 'active').orderBy('number').execute();
  const tight = customers[0]!;
  await must(`/credit/customers/${tight.id}/limit`, keys.credit, { limit: '1500.00', reason: 'load: a customer that often goes over its limit' }, 'PUT');
  return { customers: customers.map((customer) => customer.id) };
}
