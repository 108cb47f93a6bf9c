import { Big, decimalToMinor, minorToDecimal, type BusinessDate, type Decimal } from '../../kernel';
import { daysBetween } from '../../kernel';

export const agingBuckets = ['current', 'days1to30', 'days31to60', 'days61to90', 'over90'] as const;
export type AgingBucket = (typeof agingBuckets)[number];

/** Days an item is past its due date on a day (0 or less: not yet due). */
export function daysPastDue(dueDate: BusinessDate, asOf: BusinessDate): number {
  return daysBetween(dueDate, asOf);
}

/** The aging bucket by days past due: current (not yet due, or due that day), 1–30, 31–60, 61–90, over 90. */
export function bucketOf(pastDue: number): AgingBucket {
  if (pastDue <= 0) return 'current';
  if (pastDue <= 30) return 'days1to30';
  if (pastDue <= 60) return 'days31to60';
  if (pastDue <= 90) return 'days61to90';
  return 'over90';
}

export type BucketAmounts = Record<AgingBucket, bigint> & { credits: bigint };

export function emptyBuckets(): BucketAmounts {
  return { current: 0n, days1to30: 0n, days31to60: 0n, days61to90: 0n, over90: 0n, credits: 0n };
}

/** What is owed in all: the buckets less the credits (credit items and unapplied cash). */
export function totalOf(buckets: BucketAmounts): bigint {
  return agingBuckets.reduce((sum, bucket) => sum + buckets[bucket], 0n) - buckets.credits;
}

export function addBuckets(into: BucketAmounts, from: BucketAmounts): void {
  for (const bucket of agingBuckets) into[bucket] += from[bucket];
  into.credits += from.credits;
}

/**
 * Converts each bucket (and the credits) to the base currency at one rate so that
 * the converted buckets add up to the converted total: each is rounded on its own,
 * then the total's rounding difference is moved one minor unit at a time onto the
 * amount whose rounding went furthest the other way (largest remainder). No amount
 * ends a whole minor unit or more from its exact value, so none turns negative.
 */
export function convertBuckets(buckets: BucketAmounts, from: string, to: string, rate: Decimal): BucketAmounts {
  if (from === to) return { ...buckets };
  const exact = (minor: bigint) => minorToDecimal(minor, from).times(rate);
  const converted = emptyBuckets();
  const parts = [...agingBuckets, 'credits'] as const;
  for (const part of parts) converted[part] = decimalToMinor(exact(buckets[part]), to);
  let difference = decimalToMinor(exact(totalOf(buckets)), to) - totalOf(converted);
  // Rounding errors in major units of `to`; a bucket adds to the total, the credits subtract from it.
  const error = (part: (typeof parts)[number]) => minorToDecimal(converted[part], to).minus(exact(buckets[part]));
  const sign = (part: (typeof parts)[number]) => (part === 'credits' ? -1n : 1n);
  // The difference is a few minor units at most (one per rounded amount): bounded.
  for (let moved = 0; difference !== 0n && moved < parts.length * 2; moved += 1) {
    const step = difference > 0n ? 1n : -1n;
    // How far each amount's rounding went against the step; the furthest takes it.
    const against = (part: (typeof parts)[number]) => error(part).times((-step * sign(part)).toString());
    const chosen = parts.reduce((best, part) => (against(part).gt(against(best)) ? part : best));
    converted[chosen] += step * sign(chosen);
    difference -= step;
  }
  if (difference !== 0n) throw new Error(`converted buckets miss their total by ${difference} minor units`);
  return converted;
}

export interface StatementMovement {
  readonly date: BusinessDate;
  /** Signed: what it adds to what the customer owes (an invoice +, a payment −). */
  readonly amountMinor: bigint;
}

/** The running balance after each movement, from an opening balance. */
export function runningBalances(openingMinor: bigint, movements: readonly StatementMovement[]): bigint[] {
  let balance = openingMinor;
  return movements.map((movement) => (balance += movement.amountMinor));
}

export const one = new Big('1');
