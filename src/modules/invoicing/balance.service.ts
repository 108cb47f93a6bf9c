import { formatMinor, newId, type BusinessDate } from '../../kernel';
import type { Tx } from '../../platform/db/database';
import { AppError } from '../../platform/errors/app-error';
import type { InvoiceRow } from './invoice-view';
import type { BalanceMovementKind, PaymentStatus } from './invoicing.tables';

export interface BalanceChange {
  /** Signed: what the change adds to the open balance (a payment applied is negative). */
  readonly deltaMinor: bigint;
  readonly kind: BalanceMovementKind;
  readonly businessDate: BusinessDate;
  readonly source: { readonly type: string; readonly id: string };
}

/**
 * Open → partially paid → paid follows the money: paid when nothing is open, partly
 * paid when less is open than the document left after credit notes.
 */
export function paymentStatusFor(row: Pick<InvoiceRow, 'gross_minor' | 'credited_minor'>, openMinor: bigint): PaymentStatus {
  if (openMinor === 0n) return 'paid';
  return openMinor < row.gross_minor - row.credited_minor ? 'partially_paid' : 'open';
}

/**
 * Changes the open balance of an issued invoice or credit note the caller locked
 * (lockInvoice), and records each change dated, so the open balance as of any date
 * can be told. Refuses to take it below zero or above what the document is.
 */
export async function changeOpenBalance(tx: Tx, row: InvoiceRow, changes: readonly BalanceChange[]): Promise<InvoiceRow> {
  if (row.status !== 'issued') throw new AppError('O2C_STATE_CONFLICT', 'a draft has no open balance; issue it first');
  const openMinor = changes.reduce((sum, change) => sum + change.deltaMinor, row.open_minor);
  const most = row.gross_minor - row.credited_minor;
  if (openMinor < 0n || openMinor > most) {
    throw new AppError('O2C_BUSINESS_RULE', `${row.number} has ${formatMinor(row.open_minor, row.currency)} ${row.currency} open; this change would make it ${formatMinor(openMinor, row.currency)}`);
  }
  const updated = await tx
    .updateTable('invoices')
    .set({ open_minor: openMinor, payment_status: paymentStatusFor(row, openMinor), version: row.version + 1, updated_at: new Date() })
    .where('tenant_id', '=', row.tenant_id)
    .where('id', '=', row.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordMovements(tx, row, changes);
  return updated;
}

export async function recordMovements(tx: Tx, row: Pick<InvoiceRow, 'tenant_id' | 'id' | 'customer_id' | 'currency'>, changes: readonly BalanceChange[]): Promise<void> {
  const rows = changes
    .filter((change) => change.deltaMinor !== 0n)
    .map((change) => ({
      tenant_id: row.tenant_id,
      id: newId(),
      invoice_id: row.id,
      customer_id: row.customer_id,
      currency: row.currency,
      business_date: change.businessDate,
      amount_minor: change.deltaMinor,
      kind: change.kind,
      source_type: change.source.type,
      source_id: change.source.id,
    }));
  if (rows.length > 0) await tx.insertInto('invoice_balance_movements').values(rows).execute();
}
