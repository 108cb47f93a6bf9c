import type { TenantSummary } from './api';

export interface Formatters {
  /** An instant (ISO 8601) as a date and time in the tenant's locale and time zone. */
  instant(iso: string | null | undefined): string;
  /** A calendar date (YYYY-MM-DD, a business date) in the tenant's format; no time zone shift. */
  date(isoDate: string | null | undefined): string;
  /** An amount (exact decimal string) with its currency, e.g. "1.234,50 €" in de-DE. */
  money(amount: string | null | undefined, currency: string): string;
  /** A unit price: the currency's decimals, and up to four more when the price has them. */
  unitPrice(amount: string | null | undefined, currency: string): string;
  /** An exact decimal quantity, grouped in the tenant's locale. */
  quantity(value: string | null | undefined): string;
  /** A percentage given as its number ("19" → "19 %"). */
  percent(value: string | null | undefined): string;
}

/**
 * Intl.NumberFormat formats a decimal string exactly (no binary float on the way):
 * the string is passed as it is, never through parseFloat or Number().
 */
type NumericString = Intl.StringNumericLiteral;
const asNumeric = (value: string) => value.trim() as NumericString;

const cache = new Map<string, Formatters>();

function safeLocale(locale: string): string | undefined {
  try {
    return Intl.NumberFormat.supportedLocalesOf([locale]).length > 0 ? locale : undefined;
  } catch {
    return undefined;
  }
}

/** The number of minor-unit digits of a currency (EUR 2, JPY 0, BHD 3). */
export function currencyDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** Formatters for the tenant's locale and time zone; a bad setting falls back to the browser's. */
export function formattersFor(tenant: Pick<TenantSummary, 'locale' | 'timeZone'>): Formatters {
  const cacheKey = `${tenant.locale}|${tenant.timeZone}`;
  const cached = cache.get(cacheKey);
  if (cached !== undefined) return cached;
  const locale = safeLocale(tenant.locale);
  let dateTime: Intl.DateTimeFormat;
  try {
    dateTime = new Intl.DateTimeFormat(locale, { timeZone: tenant.timeZone, dateStyle: 'medium', timeStyle: 'short' });
  } catch {
    dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  }
  // Calendar dates are formatted as UTC midnight in UTC, so no zone moves them a day.
  const calendarDate = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', dateStyle: 'medium' });
  const quantityFormat = new Intl.NumberFormat(locale, { maximumFractionDigits: 20 });
  const percentFormat = new Intl.NumberFormat(locale, { style: 'unit', unit: 'percent', maximumFractionDigits: 20 });
  const moneyFormats = new Map<string, Intl.NumberFormat>();
  const moneyFormat = (currency: string, extraDigits: number): Intl.NumberFormat | null => {
    const key = `${currency}|${extraDigits}`;
    let format = moneyFormats.get(key);
    if (format === undefined) {
      try {
        const digits = currencyDigits(currency);
        format = new Intl.NumberFormat(locale, {
          style: 'currency',
          currency,
          minimumFractionDigits: digits,
          maximumFractionDigits: digits + extraDigits,
        });
      } catch {
        return null;
      }
      moneyFormats.set(key, format);
    }
    return format;
  };
  const formatAmount = (amount: string | null | undefined, currency: string, extraDigits: number): string => {
    if (amount === null || amount === undefined || amount === '') return '—';
    const format = moneyFormat(currency, extraDigits);
    if (format === null || !isDecimalText(amount)) return `${amount} ${currency}`;
    return format.format(asNumeric(amount));
  };

  const formatters: Formatters = {
    instant(iso) {
      if (iso === null || iso === undefined || iso === '') return '—';
      const date = new Date(iso);
      return Number.isNaN(date.getTime()) ? iso : dateTime.format(date);
    },
    date(isoDate) {
      if (isoDate === null || isoDate === undefined || isoDate === '') return '—';
      const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
      if (match === null) return isoDate;
      const [, year, month, day] = match;
      const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
      return Number.isNaN(date.getTime()) ? isoDate : calendarDate.format(date);
    },
    money: (amount, currency) => formatAmount(amount, currency, 0),
    unitPrice: (amount, currency) => formatAmount(amount, currency, 4),
    quantity(value) {
      if (value === null || value === undefined || value === '') return '—';
      return isDecimalText(value) ? quantityFormat.format(asNumeric(value)) : value;
    },
    percent(value) {
      if (value === null || value === undefined || value === '') return '—';
      return isDecimalText(value) ? percentFormat.format(asNumeric(value)) : `${value} %`;
    },
  };
  cache.set(cacheKey, formatters);
  return formatters;
}

function isDecimalText(value: string): boolean {
  return /^\s*[-+]?\d+(\.\d+)?\s*$/.test(value);
}

/** Today's calendar date (YYYY-MM-DD) in a time zone, e.g. the tenant's. */
export function todayIn(timeZone: string): string {
  try {
    return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
  } catch {
    return new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
  }
}
