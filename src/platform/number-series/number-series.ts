import { sql } from 'kysely';
import type { Executor, Tx } from '../db/database';
import { yearOf, type BusinessDate } from '../../kernel';

/**
 * Gapless, human-readable numbers per tenant, series and year ("SO-2026-000123").
 * The counter row is incremented inside the caller's transaction: concurrent
 * callers queue on its row lock, and a rollback takes the number back, so the
 * numbers that exist are 1, 2, 3 … without holes.
 */
const tokenPattern = /\{(yyyy|yy|seq(?::(\d{1,2}))?)\}/g;

export class NumberSeriesError extends Error {}

export function validatePattern(pattern: string): void {
  const tokens = [...pattern.matchAll(tokenPattern)].map((match) => match[1] ?? '');
  if (tokens.filter((token) => token.startsWith('seq')).length !== 1) {
    throw new NumberSeriesError(`pattern "${pattern}" must contain exactly one {seq} or {seq:N}`);
  }
  if (pattern.length > 60) throw new NumberSeriesError('pattern must be at most 60 characters');
}

/** Whether the counter restarts each year: only when the number shows the year. */
function isYearly(pattern: string): boolean {
  return /\{yy(yy)?\}/.test(pattern);
}

export function formatNumber(pattern: string, year: number, sequence: bigint): string {
  return pattern.replace(tokenPattern, (_match, token: string, width: string | undefined) => {
    if (token === 'yyyy') return String(year).padStart(4, '0');
    if (token === 'yy') return String(year % 100).padStart(2, '0');
    return sequence.toString().padStart(Number(width ?? '1'), '0');
  });
}

/** Creates or changes a series' pattern (existing counters keep counting). */
export async function defineNumberSeries(executor: Executor, tenantId: string, series: string, pattern: string): Promise<void> {
  validatePattern(pattern);
  await executor
    .insertInto('number_series')
    .values({ tenant_id: tenantId, series, pattern })
    .onConflict((conflict) => conflict.columns(['tenant_id', 'series']).doUpdateSet({ pattern }))
    .execute();
}

/** Takes the next number of a series for a business date; must run in the transaction that uses it. */
export async function nextNumber(tx: Tx, tenantId: string, series: string, businessDate: BusinessDate): Promise<string> {
  const definition = await tx
    .selectFrom('number_series')
    .select('pattern')
    .where('tenant_id', '=', tenantId)
    .where('series', '=', series)
    .executeTakeFirst();
  if (definition === undefined) {
    throw new NumberSeriesError(`number series "${series}" is not defined for tenant ${tenantId}`);
  }
  const year = isYearly(definition.pattern) ? yearOf(businessDate) : 0;
  const row = await tx
    .insertInto('number_series_counters')
    .values({ tenant_id: tenantId, series, year, last_value: 1 })
    .onConflict((conflict) =>
      conflict.columns(['tenant_id', 'series', 'year']).doUpdateSet({ last_value: sql`number_series_counters.last_value + 1` }),
    )
    .returning('last_value')
    .executeTakeFirstOrThrow();
  return formatNumber(definition.pattern, year === 0 ? yearOf(businessDate) : year, row.last_value);
}
