import { recordAudit } from '../../platform/audit/audit';
import type { RequestContext } from '../../platform/auth/actor';
import type { Tx } from '../../platform/db/database';
import { AppError, versionConflict } from '../../platform/errors/app-error';
import { emitEvent } from '../../platform/outbox/outbox';
import { refuseTransition, statusTransitions, type StatusAction } from './customers.rules';
import { getCustomer, lockCustomerRow, type CustomerView } from './customers.repo';

/**
 * Status changes are explicit actions. Blocking stops new orders (a reason is
 * required and shown); archiving retires a customer that others still reference,
 * in place of deleting it; restoring brings an archived customer back.
 */
export async function changeCustomerStatus(
  tx: Tx,
  context: RequestContext,
  id: string,
  action: StatusAction,
  input: { version?: number | undefined; reason?: string | undefined },
): Promise<CustomerView> {
  const tenantId = context.actor.tenantId;
  const row = await lockCustomerRow(tx, tenantId, id);
  if (input.version !== undefined && row.version !== input.version) throw versionConflict('customer', id, input.version);
  const refusal = refuseTransition(action, row.status);
  if (refusal !== null) throw new AppError('O2C_STATE_CONFLICT', `customer ${row.number}: ${refusal}`);
  const transition = statusTransitions[action];
  const reason = action === 'block' ? (input.reason ?? '') : null;
  if (action === 'block' && reason === '') {
    throw new AppError('O2C_INVALID_VALUE', 'body.reason: a block needs a reason', [{ path: 'body.reason', message: 'is required to block a customer' }]);
  }
  const before = await getCustomer(tx, tenantId, id);
  await tx
    .updateTable('customers')
    .set({ status: transition.to, blocked_reason: reason, version: row.version + 1, updated_at: new Date() })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
  const after = await getCustomer(tx, tenantId, id);
  await recordAudit(tx, context, { action: `customer.${transition.done}`, entityType: 'customer', entityId: id, before, after });
  await emitEvent(tx, tenantId, {
    type: `customer.${transition.done}`,
    aggregateType: 'customer',
    aggregateId: id,
    payload: { number: after.number, status: after.status, ...(reason === null ? {} : { reason }) },
  });
  return after;
}
