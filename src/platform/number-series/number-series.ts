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

/**
 * Takes the next number of a series for a business date; must run in the
 * transaction that uses it. One statement: it reads the pattern and increments the
 * counter of the year (or the single counter when the pattern shows no year).
 */
export async function nextNumber(tx: Tx, tenantId: string, series: string, businessDate: BusinessDate): Promise<string> {
  const year = yearOf(businessDate);
  const result = await sql<{ last_value: string; pattern: string }>`
    with definition as (select pattern from number_series where tenant_id = ${tenantId} and series = ${series})
    insert into number_series_counters as counter (tenant_id, series, year, last_value)
    select ${tenantId}, ${series}, case when definition.pattern ~ '[{]yy(yy)?[}]' then ${year}::integer else 0 end, 1 from definition
    on conflict (tenant_id, series, year) do update set last_value = counter.last_value + 1
    returning counter.last_value, (select pattern from definition) as pattern`.execute(tx);
  const row = result.rows[0];
  if (row === undefined) throw new NumberSeriesError(`number series "${series}" is not defined for tenant ${tenantId}`);
  return formatNumber(row.pattern, year, BigInt(row.last_value));
}
