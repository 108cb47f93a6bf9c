import { newId } from '../../kernel';
import { recordAudit } from '../../platform/audit/audit';
import type { RequestContext } from '../../platform/auth/actor';
import type { Executor, Tx } from '../../platform/db/database';
import { AppError, notFound, versionConflict, type FieldIssue } from '../../platform/errors/app-error';
import { decodeCursor, toPage, type Page } from '../../platform/http/pagination';
import {
  checkPaymentTerms,
  normaliseDiscountPercent,
  type PaymentTermsBasis,
  type PaymentTermsFields,
  type PaymentTermsView,
} from './payment-terms.rules';
import './customers.tables';

const columns = ['id', 'code', 'name', 'net_days', 'basis', 'discount_percent', 'discount_days', 'active', 'version'] as const;

interface PaymentTermsRow {
  id: string;
  code: string;
  name: string;
  net_days: number;
  basis: PaymentTermsBasis;
  discount_percent: string | null;
  discount_days: number | null;
  active: boolean;
  version: number;
}

export function toPaymentTermsView(row: PaymentTermsRow): PaymentTermsView {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    netDays: row.net_days,
    basis: row.basis,
    discountPercent: row.discount_percent,
    discountDays: row.discount_days,
    active: row.active,
    version: row.version,
  };
}

function refuse(issues: readonly FieldIssue[]): never {
  throw new AppError('O2C_INVALID_VALUE', issues.map((issue) => `${issue.path}: ${issue.message}`).join('; '), issues);
}

export interface NewPaymentTerms extends PaymentTermsFields {
  code: string;
  name: string;
}

export async function createPaymentTerms(tx: Tx, context: RequestContext, input: NewPaymentTerms): Promise<PaymentTermsView> {
  const issues = checkPaymentTerms(input);
  if (issues.length > 0) refuse(issues);
  const tenantId = context.actor.tenantId;
  const code = input.code.toUpperCase();
  const taken = await tx.selectFrom('payment_terms').select('id').where('tenant_id', '=', tenantId).where('code', '=', code).executeTakeFirst();
  if (taken !== undefined) {
    throw new AppError('O2C_ALREADY_EXISTS', `payment terms ${code} already exist`, [{ path: 'body.code', message: 'is already used' }]);
  }
  const row = await tx
    .insertInto('payment_terms')
    .values({
      tenant_id: tenantId,
      id: newId(),
      code,
      name: input.name.trim(),
      net_days: input.netDays,
      basis: input.basis,
      discount_percent: input.discountPercent === null ? null : normaliseDiscountPercent(input.discountPercent),
      discount_days: input.discountDays,
    })
    .returning(columns)
    .executeTakeFirstOrThrow();
  const view = toPaymentTermsView(row);
  await recordAudit(tx, context, { action: 'payment_terms.created', entityType: 'payment_terms', entityId: view.id, after: view });
  return view;
}

export interface PaymentTermsChange {
  version: number;
  name?: string | undefined;
  netDays?: number | undefined;
  basis?: PaymentTermsBasis | undefined;
  discountPercent?: string | null | undefined;
  discountDays?: number | null | undefined;
  active?: boolean | undefined;
}

/**
 * Changes payment terms. The code stays: customers and documents name terms by it.
 * Deactivated terms stay on the customers that have them but cannot be given to
 * others. Invoices copy their terms when issued, so a change applies from the next
 * invoice on.
 */
export async function updatePaymentTerms(tx: Tx, context: RequestContext, id: string, change: PaymentTermsChange): Promise<PaymentTermsView> {
  const tenantId = context.actor.tenantId;
  const beforeRow = await tx
    .selectFrom('payment_terms')
    .select(columns)
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  if (beforeRow === undefined) throw notFound('payment terms', id);
  const before = toPaymentTermsView(beforeRow);
  if (before.version !== change.version) throw versionConflict('payment terms', id, change.version);
  const fields: PaymentTermsFields = {
    netDays: change.netDays ?? before.netDays,
    basis: change.basis ?? before.basis,
    discountPercent: change.discountPercent === undefined ? before.discountPercent : change.discountPercent,
    discountDays: change.discountDays === undefined ? before.discountDays : change.discountDays,
  };
  const issues = checkPaymentTerms(fields);
  if (issues.length > 0) refuse(issues);
  const row = await tx
    .updateTable('payment_terms')
    .set({
      name: change.name?.trim() ?? before.name,
      net_days: fields.netDays,
      basis: fields.basis,
      discount_percent: fields.discountPercent === null ? null : normaliseDiscountPercent(fields.discountPercent),
      discount_days: fields.discountDays,
      active: change.active ?? before.active,
      version: before.version + 1,
      updated_at: new Date(),
    })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .returning(columns)
    .executeTakeFirstOrThrow();
  const after = toPaymentTermsView(row);
  await recordAudit(tx, context, { action: 'payment_terms.updated', entityType: 'payment_terms', entityId: id, before, after });
  return after;
}

export async function getPaymentTerms(executor: Executor, tenantId: string, id: string): Promise<PaymentTermsView> {
  const row = await executor.selectFrom('payment_terms').select(columns).where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
  if (row === undefined) throw notFound('payment terms', id);
  return toPaymentTermsView(row);
}

export async function findPaymentTermsByCode(executor: Executor, tenantId: string, code: string): Promise<PaymentTermsView | undefined> {
  const row = await executor
    .selectFrom('payment_terms')
    .select(columns)
    .where('tenant_id', '=', tenantId)
    .where('code', '=', code.toUpperCase())
    .executeTakeFirst();
  return row === undefined ? undefined : toPaymentTermsView(row);
}

export interface PaymentTermsFilter {
  active?: boolean;
  limit: number;
  cursor?: string;
}

export async function listPaymentTerms(executor: Executor, tenantId: string, filter: PaymentTermsFilter): Promise<Page<PaymentTermsView>> {
  let query = executor.selectFrom('payment_terms').select(columns).where('tenant_id', '=', tenantId);
  if (filter.active !== undefined) query = query.where('active', '=', filter.active);
  if (filter.cursor !== undefined) {
    const [afterId] = decodeCursor(filter.cursor, 1) as [string];
    query = query.where('id', '>', afterId);
  }
  const rows = await query.orderBy('id').limit(filter.limit + 1).execute();
  return toPage(rows, filter.limit, toPaymentTermsView, (row) => [row.id]);
}

/** The terms every new tenant starts with. */
export const defaultPaymentTerms: readonly NewPaymentTerms[] = [
  { code: 'NET14', name: '14 days net', netDays: 14, basis: 'invoice_date', discountPercent: null, discountDays: null },
  { code: 'NET30', name: '30 days net', netDays: 30, basis: 'invoice_date', discountPercent: null, discountDays: null },
  { code: '2/10NET30', name: '2 % within 10 days, 30 days net', netDays: 30, basis: 'invoice_date', discountPercent: '2', discountDays: 10 },
  { code: 'EOM30', name: '30 days after the end of the invoice month', netDays: 30, basis: 'end_of_month', discountPercent: null, discountDays: null },
  { code: 'PREPAY', name: 'Payment in advance', netDays: 0, basis: 'invoice_date', discountPercent: null, discountDays: null },
];

/** Inserts the default terms for a new tenant (no audit: the tenant's creation is audited). */
export async function insertDefaultPaymentTerms(tx: Tx, tenantId: string): Promise<void> {
  await tx
    .insertInto('payment_terms')
    .values(
      defaultPaymentTerms.map((terms) => ({
        tenant_id: tenantId,
        id: newId(),
        code: terms.code,
        name: terms.name,
        net_days: terms.netDays,
        basis: terms.basis,
        discount_percent: terms.discountPercent === null ? null : normaliseDiscountPercent(terms.discountPercent),
        discount_days: terms.discountDays,
      })),
    )
    .execute();
}
