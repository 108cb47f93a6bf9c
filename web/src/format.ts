import type { TenantSummary } from './api';

export interface Formatters {
  /** An instant (ISO 8601) as a date and time in the tenant's locale and time zone. */
  instant(iso: string | null | undefined): string;
}

const cache = new Map<string, Formatters>();

/** Formatters for the tenant's locale and time zone; a bad setting falls back to the browser's. */
export function formattersFor(tenant: Pick<TenantSummary, 'locale' | 'timeZone'>): Formatters {
  const cacheKey = `${tenant.locale}|${tenant.timeZone}`;
  const cached = cache.get(cacheKey);
  if (cached !== undefined) return cached;
  let dateTime: Intl.DateTimeFormat;
  try {
    dateTime = new Intl.DateTimeFormat(tenant.locale, { timeZone: tenant.timeZone, dateStyle: 'medium', timeStyle: 'short' });
  } catch {
    dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  }
  const formatters: Formatters = {
    instant(iso) {
      if (iso === null || iso === undefined || iso === '') return '—';
      const date = new Date(iso);
      return Number.isNaN(date.getTime()) ? iso : dateTime.format(date);
    },
  };
  cache.set(cacheKey, formatters);
  return formatters;
}
