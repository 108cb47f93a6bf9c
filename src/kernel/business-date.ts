import { KernelValueError } from './kernel-error';

/**
 * A business date is a calendar day ("2026-11-22") in the tenant's time zone; an
 * instant is a UTC timestamp. The two are never mixed: converting needs a time zone.
 */
export type BusinessDate = string;

const datePattern = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isBusinessDate(text: string): boolean {
  const match = datePattern.exec(text);
  if (match === null) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= daysInMonth(year, month);
}

export function parseBusinessDate(text: string, label = 'date'): BusinessDate {
  if (!isBusinessDate(text)) {
    throw new KernelValueError('date', `${label} must be a calendar date YYYY-MM-DD that exists, got "${text}"`);
  }
  return text;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Date formatters per time zone: building one is costly, and the set of zones is small and fixed. */
const dayFormatters = new Map<string, Intl.DateTimeFormat>();

function dayFormatter(timeZone: string): Intl.DateTimeFormat | undefined {
  let formatter = dayFormatters.get(timeZone);
  if (formatter === undefined) {
    try {
      formatter = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    } catch {
      return undefined;
    }
    dayFormatters.set(timeZone, formatter);
  }
  return formatter;
}

export function isValidTimeZone(timeZone: string): boolean {
  return dayFormatter(timeZone) !== undefined;
}

/** The calendar day an instant falls on in a time zone. */
export function businessDateAt(instant: Date, timeZone: string): BusinessDate {
  const formatter = dayFormatter(timeZone);
  if (formatter === undefined) {
    throw new KernelValueError('time_zone', `"${timeZone}" is not an IANA time zone`);
  }
  const parts = formatter.formatToParts(instant);
  const part = (type: string): string => parts.find((candidate) => candidate.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

export function yearOf(date: BusinessDate): number {
  return Number(date.slice(0, 4));
}

export function addDays(date: BusinessDate, days: number): BusinessDate {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

/** Negative when a is before b, zero when equal, positive after. */
export function compareBusinessDates(a: BusinessDate, b: BusinessDate): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function daysBetween(from: BusinessDate, to: BusinessDate): number {
  const toUtc = (date: BusinessDate): number => {
    const [year, month, day] = date.split('-').map(Number) as [number, number, number];
    return Date.UTC(year, month - 1, day);
  };
  return Math.trunc((toUtc(to) - toUtc(from)) / 86_400_000);
}
