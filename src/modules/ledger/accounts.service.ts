import { newId } from '../../kernel';
import type { RequestContext } from '../../platform/auth/actor';
import { recordAudit } from '../../platform/audit/audit';
import type { Executor, Tx } from '../../platform/db/database';
import { AppError, notFound, versionConflict } from '../../platform/errors/app-error';
import type { AccountType } from './ledger.tables';
import './ledger.tables';

export interface AccountView {
  id: string;
  number: string;
  name: string;
  type: AccountType;
  systemKey: string | null;
  requiresCustomer: boolean;
  active: boolean;
  version: number;
}

const columns = ['id', 'number', 'name', 'type', 'system_key', 'requires_customer', 'active', 'version'] as const;

type AccountRow = { id: string; number: string; name: string; type: AccountType; system_key: string | null; requires_customer: boolean; active: boolean; version: number };

export function toAccountView(row: AccountRow): AccountView {
  return { id: row.id, number: row.number, name: row.name, type: row.type, systemKey: row.system_key, requiresCustomer: row.requires_customer, active: row.active, version: row.version };
}

/**
 * The default chart of accounts (numbers after the German SKR03, which the demo
 * company uses; all can be renamed and renumbered). System accounts carry a key the
 * postings of o2c refer to.
 */
export const defaultChart: ReadonlyArray<{ number: string; name: string; type: AccountType; systemKey: string | null; requiresCustomer?: boolean }> = [
  { number: '1200', name: 'Bank', type: 'asset', systemKey: 'bank' },
  { number: '1360', name: 'Card receipts clearing', type: 'asset', systemKey: 'card_clearing' },
  { number: '1361', name: 'Cheque receipts clearing', type: 'asset', systemKey: 'cheque_clearing' },
  { number: '1400', name: 'Accounts receivable', type: 'asset', systemKey: 'receivables', requiresCustomer: true },
  { number: '1590', name: 'Unapplied cash', type: 'liability', systemKey: 'unapplied_cash', requiresCustomer: true },
  { number: '1771', name: 'VAT payable 7 %', type: 'liability', systemKey: 'vat_payable:7' },
  { number: '1776', name: 'VAT payable 19 %', type: 'liability', systemKey: 'vat_payable:19' },
  { number: '1779', name: 'VAT payable, other rates', type: 'liability', systemKey: 'vat_payable' },
  { number: '0800', name: 'Equity', type: 'equity', systemKey: null },
  { number: '8400', name: 'Revenue', type: 'revenue', systemKey: 'revenue' },
  { number: '8730', name: 'Sales discounts', type: 'revenue', systemKey: 'sales_discounts' },
  { number: '2700', name: 'Fee income', type: 'revenue', systemKey: 'fee_income' },
  { number: '2660', name: 'Realised FX gain', type: 'revenue', systemKey: 'fx_gain' },
  { number: '2150', name: 'Realised FX loss', type: 'expense', systemKey: 'fx_loss' },
  { number: '4970', name: 'Bank charges', type: 'expense', systemKey: 'bank_charges' },
  { number: '2400', name: 'Bad debt expense', type: 'expense', systemKey: 'bad_debt' },
];

export async function createDefaultChart(tx: Tx, tenantId: string): Promise<void> {
  await tx
    .insertInto('accounts')
    .values(
      defaultChart.map((account) => ({
        tenant_id: tenantId,
        id: newId(),
        number: account.number,
        name: account.name,
        type: account.type,
        system_key: account.systemKey,
        requires_customer: account.requiresCustomer ?? false,
      })),
    )
    .execute();
}

export async function listAccounts(executor: Executor, tenantId: string, filter: { type?: AccountType | undefined; active?: boolean | undefined; q?: string | undefined }): Promise<AccountView[]> {
  let query = executor.selectFrom('accounts').select(columns).where('tenant_id', '=', tenantId);
  if (filter.type !== undefined) query = query.where('type', '=', filter.type);
  if (filter.active !== undefined) query = query.where('active', '=', filter.active);
  if (filter.q !== undefined && filter.q !== '') {
    const pattern = `%${filter.q.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
    query = query.where((where) => where.or([where('number', 'ilike', pattern), where('name', 'ilike', pattern)]));
  }
  return (await query.orderBy('number').execute()).map(toAccountView);
}

export async function getAccount(executor: Executor, tenantId: string, id: string): Promise<AccountView> {
  const row = await executor.selectFrom('accounts').select(columns).where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
  if (row === undefined) throw notFound('account', id);
  return toAccountView(row);
}

async function refuseTakenNumber(tx: Tx, tenantId: string, number: string, exceptId?: string): Promise<void> {
  let query = tx.selectFrom('accounts').select('id').where('tenant_id', '=', tenantId).where('number', '=', number);
  if (exceptId !== undefined) query = query.where('id', '!=', exceptId);
  if ((await query.executeTakeFirst()) !== undefined) {
    throw new AppError('O2C_ALREADY_EXISTS', `account number ${number} is already used`, [{ path: 'body.number', message: 'is already used' }]);
  }
}

export async function createAccount(tx: Tx, context: RequestContext, input: { number: string; name: string; type: AccountType }): Promise<AccountView> {
  const tenantId = context.actor.tenantId;
  await refuseTakenNumber(tx, tenantId, input.number);
  const row = await tx
    .insertInto('accounts')
    .values({ tenant_id: tenantId, id: newId(), number: input.number, name: input.name.trim(), type: input.type, system_key: null })
    .returning(columns)
    .executeTakeFirstOrThrow();
  const view = toAccountView(row);
  await recordAudit(tx, context, { action: 'account.created', entityType: 'account', entityId: view.id, after: view });
  return view;
}

/** Renames or renumbers any account; changes the type or (de)activates only accounts o2c does not post to by itself. */
export async function updateAccount(
  tx: Tx,
  context: RequestContext,
  id: string,
  change: { version: number; number?: string | undefined; name?: string | undefined; type?: AccountType | undefined; active?: boolean | undefined },
): Promise<AccountView> {
  const tenantId = context.actor.tenantId;
  const beforeRow = await tx.selectFrom('accounts').select(columns).where('tenant_id', '=', tenantId).where('id', '=', id).forUpdate().executeTakeFirst();
  if (beforeRow === undefined) throw notFound('account', id);
  const before = toAccountView(beforeRow);
  if (before.version !== change.version) throw versionConflict('account', before.number, change.version);
  if (before.systemKey !== null && ((change.type !== undefined && change.type !== before.type) || change.active === false)) {
    throw new AppError('O2C_ACCOUNT_PROTECTED', `account ${before.number} is a system account (${before.systemKey}); it can be renamed and renumbered, not retyped or deactivated`);
  }
  if (change.number !== undefined && change.number !== before.number) await refuseTakenNumber(tx, tenantId, change.number, id);
  const row = await tx
    .updateTable('accounts')
    .set({
      number: change.number ?? before.number,
      name: change.name?.trim() ?? before.name,
      type: change.type ?? before.type,
      active: change.active ?? before.active,
      version: before.version + 1,
      updated_at: new Date(),
    })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .returning(columns)
    .executeTakeFirstOrThrow();
  const after = toAccountView(row);
  await recordAudit(tx, context, { action: 'account.updated', entityType: 'account', entityId: id, before, after });
  return after;
}

/** Deletes an account nobody posted to; system accounts and accounts with postings stay. */
export async function deleteAccount(tx: Tx, context: RequestContext, id: string): Promise<void> {
  const tenantId = context.actor.tenantId;
  const account = await getAccount(tx, tenantId, id);
  if (account.systemKey !== null) throw new AppError('O2C_ACCOUNT_PROTECTED', `account ${account.number} is a system account (${account.systemKey}) and cannot be deleted`);
  const used = await tx.selectFrom('journal_lines').select('id').where('tenant_id', '=', tenantId).where('account_id', '=', id).limit(1).executeTakeFirst();
  if (used !== undefined) throw new AppError('O2C_REFERENCED', `account ${account.number} has postings; deactivate it instead`);
  await tx.deleteFrom('accounts').where('tenant_id', '=', tenantId).where('id', '=', id).execute();
  await recordAudit(tx, context, { action: 'account.deleted', entityType: 'account', entityId: id, before: account });
}
