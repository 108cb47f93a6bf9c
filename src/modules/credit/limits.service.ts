import { currencyExponent, formatMinor, newId, parseMoney, type BusinessDate } from '../../kernel';
import { systemContext, type RequestContext } from '../../platform/auth/actor';
import { personKey } from '../../platform/auth/person';
import { recordAudit } from '../../platform/audit/audit';
import type { Executor, Tx } from '../../platform/db/database';
import { AppError, notFound, readAt } from '../../platform/errors/app-error';
import { emitEvent } from '../../platform/outbox/outbox';
import { getTenant } from '../../platform/tenants/tenants';
import { lockCustomer, setCreditLimitMinor } from '../customers';
import { todayFor } from '../invoicing';
import { riskClasses, type RiskClass } from './scoring.rules';
import { readCreditSettings } from './exposure.service';
import type { LimitRequestStatus } from './credit.tables';

// ————————————————————————————————————————————— settings

export async function creditSettingsView(executor: Executor, tenantId: string) {
  const [settings, tenant] = await Promise.all([readCreditSettings(executor, tenantId), getTenant(executor, tenantId)]);
  return {
    currency: tenant.baseCurrency,
    defaultLimit: formatMinor(settings.defaultLimitMinor, tenant.baseCurrency),
    graceDays: settings.graceDays,
    blockAfterDays: settings.blockAfterDays,
    startingClass: settings.startingClass as RiskClass,
  };
}

export async function updateCreditSettings(
  tx: Tx,
  context: RequestContext,
  input: { defaultLimit?: string | undefined; graceDays?: number | undefined; blockAfterDays?: number | undefined; startingClass?: string | undefined },
) {
  const tenantId = context.actor.tenantId;
  const before = await creditSettingsView(tx, tenantId);
  const defaultLimitMinor = input.defaultLimit === undefined ? undefined : limitMinorOf(input.defaultLimit, before.currency, 'body.defaultLimit');
  if (input.startingClass !== undefined && !(riskClasses as readonly string[]).includes(input.startingClass)) {
    throw new AppError('O2C_INVALID_VALUE', 'body.startingClass: must be one of A, B, C, D, E', [{ path: 'body.startingClass', message: 'must be one of A, B, C, D, E' }]);
  }
  await tx
    .insertInto('credit_settings')
    .values({ tenant_id: tenantId })
    .onConflict((conflict) => conflict.column('tenant_id').doNothing())
    .execute();
  await tx
    .updateTable('credit_settings')
    .set((eb) => ({
      ...(defaultLimitMinor === undefined ? {} : { default_limit_minor: defaultLimitMinor }),
      ...(input.graceDays === undefined ? {} : { grace_days: input.graceDays }),
      ...(input.blockAfterDays === undefined ? {} : { block_after_days: input.blockAfterDays }),
      ...(input.startingClass === undefined ? {} : { starting_class: input.startingClass }),
      version: eb('version', '+', 1),
      updated_at: new Date(),
    }))
    .where('tenant_id', '=', tenantId)
    .execute();
  const after = await creditSettingsView(tx, tenantId);
  await recordAudit(tx, context, { action: 'credit.settings_changed', entityType: 'credit_settings', entityId: tenantId, before, after });
  await emitEvent(tx, tenantId, { type: 'credit.settings_changed', aggregateType: 'credit_settings', aggregateId: tenantId, payload: after });
  return after;
}

/** A limit as entered: a decimal in the currency, zero or more, with no more decimals than the currency has. */
export function limitMinorOf(text: string, currency: string, path: string): bigint {
  const minor = readAt(path, () => parseMoney(text, currency, 'limit')).amountMinor;
  if (minor < 0n) throw new AppError('O2C_INVALID_VALUE', `${path}: a credit limit is zero or more`, [{ path, message: 'must be zero or more' }]);
  if (minor >= 10n ** BigInt(13 + currencyExponent(currency))) throw new AppError('O2C_INVALID_VALUE', `${path}: a credit limit has at most 13 digits before the decimal point`, [{ path, message: 'is too large' }]);
  return minor;
}

async function customerForLimit(tx: Tx, tenantId: string, customerId: string) {
  await lockCustomer(tx, tenantId, customerId);
  const customer = await tx.selectFrom('customers').select(['id', 'number', 'currency', 'credit_limit_minor']).where('tenant_id', '=', tenantId).where('id', '=', customerId).executeTakeFirst();
  if (customer === undefined) throw notFound('customer', customerId);
  return customer;
}

function checkExpiry(expiresOn: BusinessDate | null, today: BusinessDate, path: string): void {
  if (expiresOn !== null && expiresOn < today) {
    throw new AppError('O2C_INVALID_VALUE', `${path}: a temporary limit ends today or later, not on ${expiresOn}`, [{ path, message: `must be ${today} or later` }]);
  }
}

// ————————————————————————————————————————————— limits

export interface LimitChange {
  readonly limit: string;
  readonly reason: string;
  /** The last day of a temporary limit; left out, the customer's own limit changes. */
  readonly expiresOn?: BusinessDate | null | undefined;
}

/**
 * Sets a customer's credit limit with a reason. Without an expiry date it is the
 * customer's own limit (and ends any temporary one); with one it is a temporary
 * limit in force until that day, after which the customer's own applies again.
 */
export async function setCreditLimit(tx: Tx, context: RequestContext, customerId: string, change: LimitChange, requestId: string | null = null) {
  const tenantId = context.actor.tenantId;
  const customer = await customerForLimit(tx, tenantId, customerId);
  const limitMinor = limitMinorOf(change.limit, customer.currency, 'body.limit');
  const expiresOn = change.expiresOn ?? null;
  const today = await todayFor(tx, tenantId);
  checkExpiry(expiresOn, today, 'body.expiresOn');
  const state = await tx.selectFrom('customer_credit').selectAll().where('tenant_id', '=', tenantId).where('customer_id', '=', customerId).executeTakeFirst();
  const temporaryInForce = state?.temporary_limit_until != null && state.temporary_limit_until >= today;
  const previous = temporaryInForce ? state.temporary_limit_minor : customer.credit_limit_minor;
  if (expiresOn === null) await setCreditLimitMinor(tx, tenantId, customerId, limitMinor);
  await tx
    .insertInto('customer_credit')
    .values({ tenant_id: tenantId, customer_id: customerId, temporary_limit_minor: expiresOn === null ? null : limitMinor, temporary_limit_until: expiresOn })
    .onConflict((conflict) =>
      conflict.columns(['tenant_id', 'customer_id']).doUpdateSet((eb) => ({
        temporary_limit_minor: expiresOn === null ? null : limitMinor,
        temporary_limit_until: expiresOn,
        version: eb('customer_credit.version', '+', 1),
        updated_at: new Date(),
      })),
    )
    .execute();
  const id = newId();
  await tx
    .insertInto('credit_limit_changes')
    .values({ tenant_id: tenantId, id, customer_id: customerId, currency: customer.currency, previous_limit_minor: previous, limit_minor: limitMinor, expires_on: expiresOn, reason: change.reason, request_id: requestId, changed_by: context.actor.name })
    .execute();
  const show = (minor: bigint | null) => (minor === null ? null : formatMinor(minor, customer.currency));
  await recordAudit(tx, context, {
    action: 'credit.limit_changed',
    entityType: 'customer',
    entityId: customerId,
    before: { limit: show(previous) },
    after: { limit: show(limitMinor), currency: customer.currency, expiresOn, reason: change.reason, requestId },
  });
  await emitEvent(tx, tenantId, {
    type: 'credit.limit_changed',
    aggregateType: 'customer',
    aggregateId: customerId,
    payload: { number: customer.number, limit: show(limitMinor), currency: customer.currency, expiresOn, reason: change.reason },
  });
  return { id, customerId, currency: customer.currency, previousLimit: show(previous), limit: show(limitMinor)!, expiresOn, reason: change.reason, changedBy: context.actor.name };
}

export async function limitHistory(executor: Executor, tenantId: string, customerId: string) {
  const rows = await executor.selectFrom('credit_limit_changes').selectAll().where('tenant_id', '=', tenantId).where('customer_id', '=', customerId).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(200).execute();
  return rows.map((row) => ({
    id: row.id,
    currency: row.currency,
    previousLimit: row.previous_limit_minor === null ? null : formatMinor(row.previous_limit_minor, row.currency),
    limit: formatMinor(row.limit_minor, row.currency),
    expiresOn: row.expires_on,
    reason: row.reason,
    requestId: row.request_id,
    changedBy: row.changed_by,
    changedAt: row.created_at.toISOString(),
  }));
}

// ————————————————————————————————————————————— limit requests

export async function requestLimit(tx: Tx, context: RequestContext, input: { customerId: string; limit: string; reason: string; expiresOn?: BusinessDate | null | undefined }) {
  const tenantId = context.actor.tenantId;
  const customer = await tx.selectFrom('customers').select(['id', 'number', 'currency']).where('tenant_id', '=', tenantId).where('id', '=', input.customerId).executeTakeFirst();
  if (customer === undefined) throw new AppError('O2C_NOT_FOUND', `customer ${input.customerId} does not exist`, [{ path: 'body.customerId', message: 'no such customer' }]);
  const limitMinor = limitMinorOf(input.limit, customer.currency, 'body.limit');
  const expiresOn = input.expiresOn ?? null;
  checkExpiry(expiresOn, await todayFor(tx, tenantId), 'body.expiresOn');
  const id = newId();
  await tx
    .insertInto('credit_limit_requests')
    .values({ tenant_id: tenantId, id, customer_id: customer.id, currency: customer.currency, limit_minor: limitMinor, expires_on: expiresOn, reason: input.reason, requested_by: context.actor.name, requested_by_key: await personKey(tx, context) })
    .execute();
  await recordAudit(tx, context, { action: 'credit.limit_requested', entityType: 'credit_limit_request', entityId: id, after: { customer: customer.number, limit: formatMinor(limitMinor, customer.currency), expiresOn, reason: input.reason } });
  await emitEvent(tx, tenantId, { type: 'credit.limit_requested', aggregateType: 'credit_limit_request', aggregateId: id, payload: { customerId: customer.id, number: customer.number, limit: formatMinor(limitMinor, customer.currency), currency: customer.currency } });
  return loadLimitRequest(tx, tenantId, id);
}

/** Approves (sets the limit asked for) or rejects a limit request; the person who asked cannot decide it. */
export async function decideLimitRequest(tx: Tx, context: RequestContext, id: string, decision: { approve: boolean; reason: string }) {
  const tenantId = context.actor.tenantId;
  const found = await tx.selectFrom('credit_limit_requests').select('customer_id').where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
  if (found === undefined) throw notFound('credit limit request', id);
  await lockCustomer(tx, tenantId, found.customer_id);
  const row = await tx.selectFrom('credit_limit_requests').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).forUpdate().executeTakeFirstOrThrow();
  if (row.status !== 'pending') throw new AppError('O2C_STATE_CONFLICT', `this limit request was already ${row.status} by ${row.decided_by ?? 'someone'}`);
  if (row.requested_by_key === (await personKey(tx, context))) {
    throw new AppError('O2C_SEGREGATION_OF_DUTIES', `you asked for this limit; another person with the credit role must ${decision.approve ? 'approve' : 'reject'} it`);
  }
  if (decision.approve) {
    const today = await todayFor(tx, tenantId);
    if (row.expires_on !== null && row.expires_on < today) throw new AppError('O2C_STATE_CONFLICT', `the limit was asked for until ${row.expires_on}, which has passed; reject it and ask again`);
    await setCreditLimit(tx, context, row.customer_id, { limit: formatMinor(row.limit_minor, row.currency), reason: `${decision.reason} (request of ${row.requested_by}: ${row.reason})`, expiresOn: row.expires_on }, row.id);
  }
  const status: LimitRequestStatus = decision.approve ? 'approved' : 'rejected';
  await tx
    .updateTable('credit_limit_requests')
    .set({ status, decided_by: context.actor.name, decided_at: new Date(), decision_reason: decision.reason })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
  await recordAudit(tx, context, { action: `credit.limit_request_${status}`, entityType: 'credit_limit_request', entityId: id, before: { status: 'pending' }, after: { status, reason: decision.reason } });
  await emitEvent(tx, tenantId, { type: `credit.limit_request_${status}`, aggregateType: 'credit_limit_request', aggregateId: id, payload: { customerId: row.customer_id, status, reason: decision.reason } });
  return loadLimitRequest(tx, tenantId, id);
}

function selectRequests(executor: Executor, tenantId: string) {
  return executor
    .selectFrom('credit_limit_requests as r')
    .innerJoin('customers as c', (join) => join.onRef('c.tenant_id', '=', 'r.tenant_id').onRef('c.id', '=', 'r.customer_id'))
    .selectAll('r')
    .select(['c.number as customer_number', 'c.name as customer_name', 'c.credit_limit_minor as current_limit_minor'])
    .where('r.tenant_id', '=', tenantId);
}

type RequestRow = Awaited<ReturnType<ReturnType<typeof selectRequests>['executeTakeFirstOrThrow']>>;

function requestView(row: RequestRow) {
  return {
    id: row.id,
    customer: { id: row.customer_id, number: row.customer_number, name: row.customer_name },
    currency: row.currency,
    currentLimit: row.current_limit_minor === null ? null : formatMinor(row.current_limit_minor, row.currency),
    limit: formatMinor(row.limit_minor, row.currency),
    expiresOn: row.expires_on,
    reason: row.reason,
    status: row.status,
    requestedBy: row.requested_by,
    requestedAt: row.requested_at.toISOString(),
    decidedBy: row.decided_by,
    decidedAt: row.decided_at?.toISOString() ?? null,
    decisionReason: row.decision_reason,
  };
}

export type LimitRequestView = ReturnType<typeof requestView>;

export async function loadLimitRequest(executor: Executor, tenantId: string, id: string): Promise<LimitRequestView> {
  const row = await selectRequests(executor, tenantId).where('r.id', '=', id).executeTakeFirst();
  if (row === undefined) throw notFound('credit limit request', id);
  return requestView(row);
}

export async function listLimitRequests(executor: Executor, tenantId: string, filter: { status?: LimitRequestStatus | undefined; customerId?: string | undefined }): Promise<LimitRequestView[]> {
  let query = selectRequests(executor, tenantId);
  if (filter.status !== undefined) query = query.where('r.status', '=', filter.status);
  if (filter.customerId !== undefined) query = query.where('r.customer_id', '=', filter.customerId);
  return (await query.orderBy('r.requested_at', 'desc').orderBy('r.id', 'desc').limit(500).execute()).map(requestView);
}

/** Ends temporary limits whose last day has passed: the customer's own limit applies again (audited, in the outbox). */
export async function endExpiredTemporaryLimits(tx: Tx, tenantId: string): Promise<number> {
  const today = await todayFor(tx, tenantId);
  const ended = await tx
    .updateTable('customer_credit')
    .set((eb) => ({ temporary_limit_minor: null, temporary_limit_until: null, version: eb('version', '+', 1), updated_at: new Date() }))
    .where('tenant_id', '=', tenantId)
    .where('temporary_limit_until', '<', today)
    .returning(['customer_id', 'temporary_limit_until'])
    .execute();
  const context = systemContext(tenantId, 'credit control');
  for (const row of ended) {
    await recordAudit(tx, context, { action: 'credit.temporary_limit_ended', entityType: 'customer', entityId: row.customer_id, after: { endedAfter: row.temporary_limit_until } });
    await emitEvent(tx, tenantId, { type: 'credit.limit_changed', aggregateType: 'customer', aggregateId: row.customer_id, payload: { customerId: row.customer_id, temporaryLimitEnded: true } });
  }
  return ended.length;
}
