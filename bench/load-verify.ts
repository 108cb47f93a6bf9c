import { sql, type RawBuilder } from 'kysely';
import type { Executor } from '../src/platform/db/database';
import type { Acknowledged } from './load-mix';

/** Where each acknowledged write must be found, and in what state. */
const evidence: Record<Acknowledged['kind'], { table: string; state?: RawBuilder<unknown> }> = {
  order: { table: 'sales_orders' },
  submit: { table: 'sales_orders', state: sql`status <> 'draft'` },
  release: { table: 'credit_reviews', state: sql`status = 'released'` },
  reject: { table: 'credit_reviews', state: sql`status = 'rejected'` },
  shipment: { table: 'shipments' },
  ship: { table: 'shipments' },
  invoice: { table: 'invoices' },
  issue: { table: 'invoices', state: sql`status = 'issued'` },
  credit_note: { table: 'invoices', state: sql`kind = 'credit_note' and status = 'issued'` },
  payment: { table: 'payments' },
  undo: { table: 'payment_applications', state: sql`status = 'undone'` },
  refund: { table: 'refunds' },
  write_off: { table: 'write_offs' },
  write_off_approval: { table: 'write_offs', state: sql`status = 'approved'` },
};

/** The acknowledged writes whose effect is not in the database: each one is a lost write. */
export async function missingWrites(executor: Executor, tenantId: string, acknowledged: readonly Acknowledged[]): Promise<Acknowledged[]> {
  const missing: Acknowledged[] = [];
  for (const [kind, where] of Object.entries(evidence) as Array<[Acknowledged['kind'], { table: string; state?: RawBuilder<unknown> }]>) {
    const ids = [...new Set(acknowledged.filter((write) => write.kind === kind).map((write) => write.id))];
    if (ids.length === 0) continue;
    const state = where.state ?? sql`true`;
    const found = await sql<{ id: string }>`select id from ${sql.table(where.table)} where tenant_id = ${tenantId} and id = any(${ids}::uuid[]) and ${state}`.execute(executor);
    const present = new Set(found.rows.map((row) => row.id));
    for (const write of acknowledged) if (write.kind === kind && !present.has(write.id)) missing.push(write);
  }
  return missing;
}
