import { useCallback } from 'react';
import { listAccounts, type Account, type AccountType, type Decimal, type EntrySide } from '../../api';
import { compareDecimal } from '../../decimal';
import { todayIn } from '../../format';
import { useFormatters } from '../../session';
import { useLoad, type Loaded } from '../../useLoad';

export const accountTypeLabels: Record<AccountType, string> = {
  asset: 'Asset',
  liability: 'Liability',
  equity: 'Equity',
  revenue: 'Revenue',
  expense: 'Expense',
};

/** The whole chart of accounts (it is small), sorted by number. */
export function useAccounts(): Loaded<Account[]> {
  const load = useCallback(async () => [...(await listAccounts()).items].sort((a, b) => a.number.localeCompare(b.number)), []);
  return useLoad(load);
}

export const accountText = (account: Pick<Account, 'number' | 'name'>) => `${account.number} ${account.name}`;

/** The first day of the year of a calendar date (YYYY-MM-DD). */
export const startOfYear = (isoDate: string) => `${isoDate.slice(0, 4)}-01-01`;

/** This year up to today, in the company's time zone. */
export function defaultRange(timeZone: string): { from: string; to: string } {
  const today = todayIn(timeZone);
  return { from: startOfYear(today), to: today };
}

export const isZero = (value: Decimal) => compareDecimal(value, '0') === 0;

/** An amount in a debit or credit column: blank when it belongs to the other side or is zero. */
export function SideAmount({ amount, currency, blankZero = false }: { readonly amount: Decimal; readonly currency: string; readonly blankZero?: boolean }) {
  const format = useFormatters();
  if (blankZero && isZero(amount)) return <span className="muted" aria-label="none">—</span>;
  return <>{format.money(amount, currency)}</>;
}

/** The amount of a line in its own column. */
export function sideCell(lineSide: EntrySide, column: EntrySide, amount: Decimal): Decimal | null {
  return lineSide === column ? amount : null;
}

export function SystemBadge({ systemKey }: { readonly systemKey: string | null }) {
  if (systemKey === null) return null;
  return (
    <span className="badge badge-info" title="A system account: o2c posts to it itself">
      System · {systemKey}
    </span>
  );
}

export const monthName = (year: number, month: number, locale: string) => {
  try {
    return new Intl.DateTimeFormat(locale, { month: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(year, month - 1, 1)));
  } catch {
    return `${year}-${String(month).padStart(2, '0')}`;
  }
};
