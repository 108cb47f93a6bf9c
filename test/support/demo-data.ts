import { modules } from '../../src/app';
import { systemContext } from '../../src/platform/auth/actor';
import { inTransaction, type DatabaseHandle } from '../../src/platform/db/database';
import { relaxCreditPolicy } from './app';

/** Loads every module's demo records (items, prices, customers, stock …) into a test tenant, keeping its relaxed credit policy. */
export async function loadDemoRecords(handle: DatabaseHandle, tenantId: string): Promise<void> {
  await inTransaction(handle.db, async (tx) => {
    const context = systemContext(tenantId, 'test demo');
    for (const module of modules) await module.loadDemo?.(tx, context);
    await relaxCreditPolicy(tx, tenantId);
  });
}
