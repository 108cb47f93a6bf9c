import { Big, formatMinor, newId, parseMoney } from '../../kernel';
import type { RequestContext } from '../../platform/auth/actor';
import { recordAudit } from '../../platform/audit/audit';
import { personKey } from '../../platform/auth/person';
import type { Executor, Tx } from '../../platform/db/database';
import { AppError, notFound, readAt } from '../../platform/errors/app-error';
import { decodeCursor, toPage } from '../../platform/http/pagination';
import { emitEvent } from '../../platform/outbox/outbox';
import { getTenant } from '../../platform/tenants/tenants';
import { changeOpenBalance, lockInvoice, todayFor } from '../invoicing';
import { postEntry } from '../ledger';
import { readSettings } from './applications.service';
import { convertMinor } from './payments.rules';
import type { WriteOffsTable } from './payments.tables';
import type { Selectable } from 'kysely';

type WriteOffRow = Selectable<WriteOffsTable>;

/** Asks for an invoice's remaining balance (or part of it) to be written off as bad debt; another person decides. */
export async function requestWriteOff(tx: Tx, context: RequestContext, input: { invoiceId: string; amount?: string | undefined; reason: string }) {
  const tenantId = context.actor.tenantId;
  const invoice = await lockInvoice(tx, tenantId, input.invoiceId).catch((error: unknown) => {
    if (error instanceof AppError && error.code === 'O2C_NOT_FOUND') throw new AppError('O2C_NOT_FOUND', `invoice ${input.invoiceId} does not exist`, [{ path: 'body.invoiceId', message: 'no such invoice' }]);
    throw error;
  });
  if (invoice.kind !== 'invoice' || invoice.status !== 'issued') throw new AppError('O2C_BUSINESS_RULE', `${invoice.number ?? 'a draft'} is not an issued invoice; only what an invoice leaves open is written off`, [{ path: 'body.invoiceId', message: 'not an issued invoice' }]);
  if (invoice.open_minor === 0n) throw new AppError('O2C_EXCEEDS_OPEN', `${invoice.number} is settled; nothing is open to write off`, [{ path: 'body.invoiceId', message: 'nothing open' }]);
  const amountMinor = input.amount === undefined ? invoice.open_minor : readAt('body.amount', () => parseMoney(input.amount!, invoice.currency, 'amount')).amountMinor;
  if (amountMinor <= 0n) throw new AppError('O2C_INVALID_VALUE', 'body.amount: a write-off is more than zero', [{ path: 'body.amount', message: 'must be more than zero' }]);
  if (amountMinor > invoice.open_minor) {
    throw new AppError('O2C_EXCEEDS_OPEN', `${invoice.number} has ${formatMinor(invoice.open_minor, invoice.currency)} ${invoice.currency} open; ${formatMinor(amountMinor, invoice.currency)} is more`, [{ path: 'body.amount', message: `at most ${formatMinor(invoice.open_minor, invoice.currency)}` }]);
  }
  const pending = await tx.selectFrom('write_offs').select('id').where('tenant_id', '=', tenantId).where('invoice_id', '=', invoice.id).where('status', '=', 'requested').executeTakeFirst();
  if (pending !== undefined) throw new AppError('O2C_STATE_CONFLICT', `${invoice.number} already has a write-off waiting for a decision; approve or reject it first`);
  const tenant = await getTenant(tx, tenantId);
  const id = newId();
  await tx
    .insertInto('write_offs')
    .values({
      tenant_id: tenantId,
      id,
      invoice_id: invoice.id,
      customer_id: invoice.customer_id,
      currency: invoice.currency,
      amount_minor: amountMinor,
      base_amount_minor: invoice.currency === tenant.baseCurrency ? amountMinor : convertMinor(amountMinor, invoice.currency, tenant.baseCurrency, new Big(invoice.exchange_rate ?? '1')),
      reason: input.reason,
      requested_by_key: await personKey(tx, context),
      requested_by: context.actor.name,
    })
    .execute();
  await recordAudit(tx, context, { action: 'invoice.write_off_requested', entityType: 'invoice', entityId: invoice.id, after: { amount: formatMinor(amountMinor, invoice.currency), reason: input.reason } });
  return loadWriteOff(tx, tenantId, id);
}

/**
 * Approves or rejects a requested write-off. The requester never decides; above the
 * tenant's threshold (base currency) only a controller approves. Approval posts bad
 * debt against receivables at the invoice's rate and lowers the open balance.
 */
export async function decideWriteOff(tx: Tx, context: RequestContext, id: string, decision: { approve: boolean; note?: string | null | undefined }) {
  const tenantId = context.actor.tenantId;
  const row = await tx.selectFrom('write_offs').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).forUpdate().executeTakeFirst();
  if (row === undefined) throw notFound('write-off', id);
  if (row.status !== 'requested') throw new AppError('O2C_STATE_CONFLICT', `this write-off was already ${row.status} by ${row.decided_by}`);
  if (row.requested_by_key === (await personKey(tx, context))) throw new AppError('O2C_SEGREGATION_OF_DUTIES', `you requested this write-off; another person must ${decision.approve ? 'approve' : 'reject'} it`);
  const tenant = await getTenant(tx, tenantId);
  if (decision.approve) {
    const settings = await readSettings(tx, tenantId);
    if (row.base_amount_minor > settings.writeOffThresholdMinor && !context.actor.roles.includes('controller')) {
      throw new AppError(
        'O2C_FORBIDDEN',
        `this write-off is ${formatMinor(row.base_amount_minor, tenant.baseCurrency)} ${tenant.baseCurrency}, above the ${formatMinor(settings.writeOffThresholdMinor, tenant.baseCurrency)} ${tenant.baseCurrency} threshold; a controller must approve it`,
      );
    }
  }
  const today = await todayFor(tx, tenantId);
  let entryId: string | null = null;
  if (decision.approve) {
    const invoice = await lockInvoice(tx, tenantId, row.invoice_id);
    if (row.amount_minor > invoice.open_minor) {
      throw new AppError('O2C_STATE_CONFLICT', `${invoice.number} has only ${formatMinor(invoice.open_minor, invoice.currency)} ${invoice.currency} open now (it was paid or credited since the request); reject this request and ask again`);
    }
    const entry = await postEntry(tx, context, {
      businessDate: today,
      description: `Write-off of ${invoice.number} ${invoice.customer_name}: ${row.reason}`.slice(0, 500),
      source: { type: 'write_off', id },
      currency: invoice.currency,
      kind: 'automatic',
      ...(invoice.currency === tenant.baseCurrency ? {} : { rate: new Big(invoice.exchange_rate ?? '1') }),
      lines: [
        { systemKey: 'bad_debt', side: 'debit', amountMinor: row.amount_minor },
        { systemKey: 'receivables', side: 'credit', amountMinor: row.amount_minor, customerId: invoice.customer_id },
      ],
    });
    entryId = entry.id;
    await changeOpenBalance(tx, invoice, [{ deltaMinor: -row.amount_minor, kind: 'written_off', businessDate: today, source: { type: 'write_off', id } }]);
    await emitEvent(tx, tenantId, { type: 'invoice.written_off', aggregateType: 'invoice', aggregateId: invoice.id, payload: { number: invoice.number, customerId: invoice.customer_id, amount: formatMinor(row.amount_minor, row.currency), currency: row.currency } });
  }
  await tx
    .updateTable('write_offs')
    .set({ status: decision.approve ? 'approved' : 'rejected', decided_by: context.actor.name, decided_at: new Date(), decision_note: decision.note ?? null, business_date: decision.approve ? today : null, journal_entry_id: entryId, version: row.version + 1 })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
  await recordAudit(tx, context, {
    action: decision.approve ? 'invoice.written_off' : 'invoice.write_off_rejected',
    entityType: 'invoice',
    entityId: row.invoice_id,
    after: { amount: formatMinor(row.amount_minor, row.currency), requestedBy: row.requested_by, note: decision.note ?? null },
  });
  return loadWriteOff(tx, tenantId, id);
}

function toWriteOffView(row: WriteOffRow & { invoice_number: string | null; customer_name: string }) {
  return {
    id: row.id,
    invoice: { id: row.invoice_id, number: row.invoice_number ?? '' },
    customer: { id: row.customer_id, name: row.customer_name },
    currency: row.currency,
    amount: formatMinor(row.amount_minor, row.currency),
    reason: row.reason,
    status: row.status,
    requestedBy: row.requested_by,
    requestedAt: row.requested_at.toISOString(),
    decidedBy: row.decided_by,
    decidedAt: row.decided_at?.toISOString() ?? null,
    decisionNote: row.decision_note,
    journalEntryId: row.journal_entry_id,
    version: row.version,
  };
}

function selectWriteOffs(executor: Executor, tenantId: string) {
  return executor
    .selectFrom('write_offs as w')
    .innerJoin('invoices as i', (join) => join.onRef('i.tenant_id', '=', 'w.tenant_id').onRef('i.id', '=', 'w.invoice_id'))
    .selectAll('w')
    .select(['i.number as invoice_number', 'i.customer_name as customer_name'])
    .where('w.tenant_id', '=', tenantId);
}

export async function loadWriteOff(executor: Executor, tenantId: string, id: string) {
  const row = await selectWriteOffs(executor, tenantId).where('w.id', '=', id).executeTakeFirst();
  if (row === undefined) throw notFound('write-off', id);
  return toWriteOffView(row);
}

export async function listWriteOffs(executor: Executor, tenantId: string, filter: { status?: 'requested' | 'approved' | 'rejected' | undefined; invoiceId?: string | undefined; limit: number; cursor?: string | undefined }) {
  let query = selectWriteOffs(executor, tenantId);
  if (filter.status !== undefined) query = query.where('w.status', '=', filter.status);
  if (filter.invoiceId !== undefined) query = query.where('w.invoice_id', '=', filter.invoiceId);
  if (filter.cursor !== undefined) {
    const [at, id] = decodeCursor(filter.cursor, 2) as [string, string];
    query = query.where((where) => where.or([where('w.requested_at', '<', new Date(at)), where.and([where('w.requested_at', '=', new Date(at)), where('w.id', '<', id)])]));
  }
  const rows = await query.orderBy('w.requested_at', 'desc').orderBy('w.id', 'desc').limit(filter.limit + 1).execute();
  return toPage(rows, filter.limit, toWriteOffView, (row) => [row.requested_at.toISOString(), row.id]);
}

export type WriteOffView = ReturnType<typeof toWriteOffView>;
