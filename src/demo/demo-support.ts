import type { Tx } from '../platform/db/database';
import { findCustomerIdByNumber } from '../modules/customers';

/** Finds the demo customers by number; a missing one is a broken demo, not a user error. */
export function demoCustomers(tx: Tx, tenantId: string) {
  return async (number: string): Promise<string> => {
    const id = await findCustomerIdByNumber(tx, tenantId, number);
    if (id === null) throw new Error(`demo customer ${number} is missing`);
    return id;
  };
}
