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
 * Converts each bucket to the base currency at one rate, rounding each and giving
 * the total's rounding difference to the largest bucket, so the converted buckets
 * add up to the converted total.
 */
export function convertBuckets(buckets: BucketAmounts, from: string, to: string, rate: Decimal): BucketAmounts {
  if (from === to) return { ...buckets };
  const convert = (minor: bigint) => decimalToMinor(minorToDecimal(minor, from).times(rate), to);
  const converted = emptyBuckets();
  for (const bucket of agingBuckets) converted[bucket] = convert(buckets[bucket]);
  converted.credits = convert(buckets.credits);
  const target = convert(totalOf(buckets));
  const difference = target - totalOf(converted);
  if (difference !== 0n) {
    const largest = agingBuckets.reduce((best, bucket) => (abs(converted[bucket]) > abs(converted[best]) ? bucket : best), 'current' as AgingBucket);
    converted[largest] += difference;
  }
  return converted;
}

const abs = (value: bigint) => (value < 0n ? -value : value);

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
