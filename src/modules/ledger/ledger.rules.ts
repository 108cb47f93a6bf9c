import { allocateMinor, decimalToMinor, formatMinor, minorToDecimal, type BusinessDate, type Decimal } from '../../kernel';
import type { Side } from './ledger.tables';

export interface PostingLine {
  readonly side: Side;
  readonly amountMinor: bigint;
}

export type BalanceCheck = { balanced: true } | { balanced: false; reason: string };

/** An entry needs two or more lines, positive amounts, and debits equal to credits. */
export function checkBalance(lines: readonly PostingLine[], currency: string): BalanceCheck {
  if (lines.length < 2) return { balanced: false, reason: `an entry needs at least two lines, it has ${lines.length}` };
  const nonPositive = lines.findIndex((line) => line.amountMinor <= 0n);
  if (nonPositive >= 0) return { balanced: false, reason: `line ${nonPositive + 1} has amount ${formatMinor(lines[nonPositive]!.amountMinor, currency)}; amounts are positive, the side says which way` };
  const debits = lines.filter((line) => line.side === 'debit').reduce((sum, line) => sum + line.amountMinor, 0n);
  const credits = lines.filter((line) => line.side === 'credit').reduce((sum, line) => sum + line.amountMinor, 0n);
  if (debits === credits) return { balanced: true };
  return { balanced: false, reason: `debits ${formatMinor(debits, currency)} and credits ${formatMinor(credits, currency)} ${currency} differ by ${formatMinor(debits - credits, currency)}` };
}

/**
 * The base-currency amounts of a balanced entry. Each side's total is converted
 * once (rounded half away from zero) and shared over that side's lines by largest
 * remainder, so the base amounts balance exactly as the document amounts do.
 */
export function toBaseAmounts(lines: readonly PostingLine[], currency: string, baseCurrency: string, rate: Decimal): bigint[] {
  if (currency === baseCurrency) return lines.map((line) => line.amountMinor);
  const base = [...lines.map(() => 0n)];
  for (const side of ['debit', 'credit'] as const) {
    const indexes = lines.flatMap((line, index) => (line.side === side ? [index] : []));
    if (indexes.length === 0) continue;
    const totalMinor = indexes.reduce((sum, index) => sum + lines[index]!.amountMinor, 0n);
    const totalBase = decimalToMinor(minorToDecimal(totalMinor, currency).times(rate), baseCurrency);
    const shares = allocateMinor(totalBase, indexes.map((index) => lines[index]!.amountMinor));
    indexes.forEach((index, position) => (base[index] = shares[position]!));
  }
  return base;
}

export interface PeriodKey {
  readonly year: number;
  readonly month: number;
}

export function periodOf(date: BusinessDate): PeriodKey {
  return { year: Number(date.slice(0, 4)), month: Number(date.slice(5, 7)) };
}

export function firstDayOf(period: PeriodKey): BusinessDate {
  return `${String(period.year).padStart(4, '0')}-${String(period.month).padStart(2, '0')}-01`;
}

export function nextPeriod(period: PeriodKey): PeriodKey {
  return period.month === 12 ? { year: period.year + 1, month: 1 } : { year: period.year, month: period.month + 1 };
}

export function periodLabel(period: PeriodKey): string {
  return firstDayOf(period).slice(0, 7);
}

/**
 * Where a posting lands: on its business date when that month is open. A manual
 * posting into a closed month is refused; an automatic one moves to the first day
 * of the next open month (bounded: 240 months ahead at most).
 */
export function postingDateFor(
  businessDate: BusinessDate,
  kind: 'manual' | 'automatic',
  isClosed: (period: PeriodKey) => boolean,
): { postingDate: BusinessDate } | { refused: string } {
  let period = periodOf(businessDate);
  if (!isClosed(period)) return { postingDate: businessDate };
  if (kind === 'manual') return { refused: `the period ${periodLabel(period)} is closed; reopen it or post in an open period` };
  for (let step = 0; step < 240; step += 1) {
    period = nextPeriod(period);
    if (!isClosed(period)) return { postingDate: firstDayOf(period) };
  }
  return { refused: 'no open period within 20 years after the business date' };
}

/** Signed balance of an account type in its normal direction: assets and expenses are debit accounts. */
export function normalBalanceMinor(type: string, debitMinor: bigint, creditMinor: bigint): bigint {
  return type === 'asset' || type === 'expense' ? debitMinor - creditMinor : creditMinor - debitMinor;
}

