import { sql } from 'kysely';
import { daysBetween } from '../../kernel';
import { systemContext, type RequestContext } from '../../platform/auth/actor';
import { recordAudit } from '../../platform/audit/audit';
import { inTransaction, type Executor, type Tx } from '../../platform/db/database';
import type { JobDefinition } from '../../platform/jobs/worker';
import { AppError } from '../../platform/errors/app-error';
import { emitEvent, type EventSubscriber } from '../../platform/outbox/outbox';
import { lockCustomer } from '../customers';
import { todayFor } from '../invoicing';
import { automaticBlockReason } from './credit.rules';
import { readCreditSettings } from './exposure.service';
import type { CreditBlock } from './credit.tables';

async function lockCreditState(tx: Tx, tenantId: string, customerId: string) {
  await lockCustomer(tx, tenantId, customerId);
  await tx
    .insertInto('customer_credit')
    .values({ tenant_id: tenantId, customer_id: customerId })
    .onConflict((conflict) => conflict.columns(['tenant_id', 'customer_id']).doNothing())
    .execute();
  return tx.selectFrom('customer_credit').selectAll().where('tenant_id', '=', tenantId).where('customer_id', '=', customerId).forUpdate().executeTakeFirstOrThrow();
}

async function writeBlock(tx: Tx, context: RequestContext, customerId: string, before: { block: CreditBlock; block_reason: string | null }, block: CreditBlock, reason: string | null): Promise<void> {
  const tenantId = context.actor.tenantId;
  await tx
    .updateTable('customer_credit')
    .set((eb) => ({ block, block_reason: block === 'none' ? null : reason, blocked_at: block === 'none' ? null : new Date(), version: eb('version', '+', 1), updated_at: new Date() }))
    .where('tenant_id', '=', tenantId)
    .where('customer_id', '=', customerId)
    .execute();
  const type = block === 'none' ? 'credit.customer_unblocked' : 'credit.customer_blocked';
  await recordAudit(tx, context, { action: type, entityType: 'customer', entityId: customerId, before: { block: before.block, reason: before.block_reason }, after: { block, reason } });
  await emitEvent(tx, tenantId, { type, aggregateType: 'customer', aggregateId: customerId, payload: { customerId, block, reason } });
}

/** A credit manager blocks a customer's credit by hand: new orders go on hold; only a person lifts it. */
export async function blockCredit(tx: Tx, context: RequestContext, customerId: string, reason: string) {
  const state = await lockCreditState(tx, context.actor.tenantId, customerId);
  if (state.block === 'manual') throw new AppError('O2C_STATE_CONFLICT', `the customer's credit is already blocked by hand: ${state.block_reason ?? ''}`);
  await writeBlock(tx, context, customerId, state, 'manual', reason);
}

/**
 * A credit manager lifts a block (set by hand or automatically) with a reason.
 * An automatic block comes back at the next check while its cause remains.
 */
export async function unblockCredit(tx: Tx, context: RequestContext, customerId: string, reason: string) {
  const state = await lockCreditState(tx, context.actor.tenantId, customerId);
  if (state.block === 'none') throw new AppError('O2C_STATE_CONFLICT', "the customer's credit is not blocked");
  await writeBlock(tx, context, customerId, state, 'none', reason);
}

/** Reversed payments whose invoices are open again: a bounced payment that has not been made good. */
async function reversedPaymentsStillOpen(executor: Executor, tenantId: string, customerId: string): Promise<string[]> {
  const rows = await sql<{ number: string }>`
    select distinct p.number
      from payments p
      join payment_applications a on a.tenant_id = p.tenant_id and a.payment_id = p.id
      join invoices i on i.tenant_id = a.tenant_id and i.id = a.invoice_id
     where p.tenant_id = ${tenantId} and p.customer_id = ${customerId} and p.status = 'reversed' and i.open_minor > 0
     order by p.number`.execute(executor);
  return rows.rows.map((row) => row.number);
}

/**
 * Blocks a customer's credit automatically when an item is past due beyond the
 * tenant's threshold or a reversed payment left invoices open, and lifts an
 * automatic block when neither holds any more. A block set by hand is left alone.
 * Returns the state after.
 */
export async function evaluateAutomaticBlock(tx: Tx, tenantId: string, customerId: string): Promise<CreditBlock> {
  const state = await lockCreditState(tx, tenantId, customerId);
  if (state.block === 'manual') return 'manual';
  const [settings, today, oldest, reversed] = await Promise.all([
    readCreditSettings(tx, tenantId),
    todayFor(tx, tenantId),
    tx
      .selectFrom('invoices')
      .select((eb) => eb.fn.min('due_date').as('due_date'))
      .where('tenant_id', '=', tenantId)
      .where('customer_id', '=', customerId)
      .where('kind', '=', 'invoice')
      .where('status', '=', 'issued')
      .where('open_minor', '>', 0n)
      .executeTakeFirst(),
    reversedPaymentsStillOpen(tx, tenantId, customerId),
  ]);
  const due = oldest?.due_date ?? null;
  const pastDue = due === null ? null : daysBetween(due, today);
  const reason = automaticBlockReason({ oldestOverdueDays: pastDue !== null && pastDue > 0 ? pastDue : null, blockAfterDays: settings.blockAfterDays, reversedPayments: reversed });
  const context = systemContext(tenantId, 'credit control');
  if (reason !== null && state.block === 'none') {
    await writeBlock(tx, context, customerId, state, 'automatic', reason);
    return 'automatic';
  }
  if (reason === null && state.block === 'automatic') {
    await writeBlock(tx, context, customerId, state, 'none', 'the overdue items and reversed payments that caused it are settled');
    return 'none';
  }
  return state.block;
}

export const evaluateBlockJobName = 'credit.evaluate-block';

/**
 * Money moved on a customer's account: check its automatic block again, in a job
 * of its own after the relay commits (the check locks the customer; the relay's
 * transaction must not hold customer locks while it works other events).
 */
export const onCustomerAccountChanged: EventSubscriber = async (event, _tx, queueJob) => {
  const customerId = (event.payload as { customerId?: unknown }).customerId;
  if (typeof customerId === 'string') queueJob({ name: evaluateBlockJobName, data: { tenantId: event.tenantId, customerId } });
};

export const evaluateBlockJob: JobDefinition = {
  name: evaluateBlockJobName,
  async handler(data, { db }) {
    await inTransaction(db, (tx) => evaluateAutomaticBlock(tx, String(data.tenantId), String(data.customerId)));
  },
};

/** The customers whose automatic block may need to change today: something past due beyond the threshold, or blocked automatically. */
export async function customersToCheck(executor: Executor, tenantId: string): Promise<string[]> {
  const settings = await readCreditSettings(executor, tenantId);
  const today = await todayFor(executor, tenantId);
  const rows = await sql<{ customer_id: string }>`
    select customer_id from invoices
     where tenant_id = ${tenantId} and kind = 'invoice' and status = 'issued' and open_minor > 0 and due_date < ${today}::date - ${settings.blockAfterDays}::int
    union
    select customer_id from customer_credit where tenant_id = ${tenantId} and block = 'automatic'
    union
    select customer_id from payments where tenant_id = ${tenantId} and status = 'reversed'
    order by customer_id`.execute(executor);
  return rows.rows.map((row) => row.customer_id);
}
