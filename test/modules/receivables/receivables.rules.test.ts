import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, Big, currencyExponent, minorToDecimal } from '../../../src/kernel';
import {
  addBuckets,
  agingBuckets,
  bucketOf,
  convertBuckets,
  daysPastDue,
  emptyBuckets,
  runningBalances,
  totalOf,
  type BucketAmounts,
} from '../../../src/modules/receivables/receivables.rules';

const buckets = (current: bigint, days1to30: bigint, days31to60: bigint, days61to90: bigint, over90: bigint, credits = 0n): BucketAmounts => ({ current, days1to30, days31to60, days61to90, over90, credits });

describe('aging buckets', () => {
  it.each([
    [-400, 'current'],
    [-1, 'current'],
    [0, 'current'],
    [1, 'days1to30'],
    [30, 'days1to30'],
    [31, 'days31to60'],
    [60, 'days31to60'],
    [61, 'days61to90'],
    [90, 'days61to90'],
    [91, 'over90'],
    [3650, 'over90'],
  ] as const)('puts %i days past due in %s', (pastDue, bucket) => {
    expect(bucketOf(pastDue)).toBe(bucket);
  });

  it('counts days past due from the due date, calendar days across months and leap days', () => {
    expect(daysPastDue('2026-03-01', '2026-03-01')).toBe(0);
    expect(daysPastDue('2026-03-01', '2026-02-28')).toBe(-1);
    expect(daysPastDue('2026-03-01', '2026-03-31')).toBe(30);
    expect(daysPastDue('2026-01-31', '2026-03-02')).toBe(30);
    expect(daysPastDue('2028-02-28', '2028-03-01')).toBe(2);
    expect(daysPastDue('2026-12-31', '2027-01-01')).toBe(1);
    // Due 1 October: current that day, 1–30 from the 2nd, over 90 from 31 December.
    expect(bucketOf(daysPastDue('2026-10-01', '2026-10-01'))).toBe('current');
    expect(bucketOf(daysPastDue('2026-10-01', '2026-10-02'))).toBe('days1to30');
    expect(bucketOf(daysPastDue('2026-10-01', '2026-10-31'))).toBe('days1to30');
    expect(bucketOf(daysPastDue('2026-10-01', '2026-11-01'))).toBe('days31to60');
    expect(bucketOf(daysPastDue('2026-10-01', '2026-12-30'))).toBe('days61to90');
    expect(bucketOf(daysPastDue('2026-10-01', '2026-12-31'))).toBe('over90');
  });

  it('ages an item one bucket at a time and never back (property)', () => {
    const order = ['current', ...agingBuckets.slice(1)];
    fc.assert(
      fc.property(fc.integer({ min: -1_000, max: 1_000 }), fc.integer({ min: 0, max: 400 }), (pastDue, later) => {
        expect(order.indexOf(bucketOf(pastDue + later)) >= order.indexOf(bucketOf(pastDue))).toBe(true);
        expect(daysPastDue('2026-06-30', addDays('2026-06-30', pastDue))).toBe(pastDue);
      }),
    );
  });
});

describe('bucket sums', () => {
  it('total the buckets less the credits', () => {
    expect(totalOf(buckets(100n, 200n, 300n, 400n, 500n, 250n))).toBe(1_250n);
    expect(totalOf(emptyBuckets())).toBe(0n);
    expect(totalOf(buckets(0n, 0n, 0n, 0n, 0n, 99n))).toBe(-99n);
  });

  it('add bucket by bucket, credits too', () => {
    const into = buckets(1n, 2n, 3n, 4n, 5n, 6n);
    addBuckets(into, buckets(10n, 20n, 30n, 40n, 50n, 60n));
    expect(into).toEqual(buckets(11n, 22n, 33n, 44n, 55n, 66n));
  });
});

describe('convertBuckets', () => {
  it('returns a copy in the same currency, unconverted', () => {
    const original = buckets(100n, 200n, 300n, 400n, 500n, 50n);
    const converted = convertBuckets(original, 'EUR', 'EUR', new Big('0.9210'));
    expect(converted).toEqual(original);
    expect(converted).not.toBe(original);
  });

  it('converts each bucket and the credits at the rate', () => {
    // USD → EUR at 0.9210: 1,000.00 → 921.00, 250.00 → 230.25, 100.00 → 92.10.
    expect(convertBuckets(buckets(100_000n, 25_000n, 0n, 0n, 10_000n, 10_000n), 'USD', 'EUR', new Big('0.9210'))).toEqual(buckets(92_100n, 23_025n, 0n, 0n, 9_210n, 9_210n));
  });

  it('makes the converted buckets add up to the converted total, moving the rounding difference', () => {
    // Five buckets of 0.05 USD each convert to 0.04605 → 0.05, together 0.25; the total 0.25 converts to 0.23025 → 0.23.
    const converted = convertBuckets(buckets(5n, 5n, 5n, 5n, 5n), 'USD', 'EUR', new Big('0.9210'));
    expect(totalOf(converted)).toBe(23n);
    for (const bucket of agingBuckets) expect([4n, 5n]).toContain(converted[bucket]);
  });

  it('never makes a bucket negative when every bucket and the credits are not', () => {
    // Five buckets of 0.01 at 0.5: each converts to 0.005 → 0.01, the total 0.05 to 0.025 → 0.03.
    const converted = convertBuckets(buckets(1n, 1n, 1n, 1n, 1n), 'USD', 'EUR', new Big('0.5'));
    expect(totalOf(converted)).toBe(3n);
    for (const bucket of agingBuckets) expect(converted[bucket] >= 0n, `${bucket} ${converted[bucket]}`).toBe(true);
  });

  it('converts into and out of currencies with 0 and 3 decimals', () => {
    // ¥10,000 and ¥5,000 at 0.0062 EUR: 62.00 and 31.00.
    expect(convertBuckets(buckets(10_000n, 5_000n, 0n, 0n, 0n), 'JPY', 'EUR', new Big('0.0062'))).toEqual(buckets(6_200n, 3_100n, 0n, 0n, 0n));
    // KWD 1.000 at 2.98 EUR → 2.98; KWD 0.500 → 1.49.
    expect(convertBuckets(buckets(0n, 1_000n, 500n, 0n, 0n), 'KWD', 'EUR', new Big('2.98'))).toEqual(buckets(0n, 298n, 149n, 0n, 0n));
    const intoYen = convertBuckets(buckets(1_234n, 1n, 0n, 0n, 0n, 2n), 'EUR', 'JPY', new Big('161.235'));
    // 12.34 → ¥1,990 (1,989.6399), 0.01 → ¥2 (1.61235), credits 0.02 → ¥3 (3.2247); the total 12.33 → ¥1,988 (1,988.02755).
    expect(totalOf(intoYen)).toBe(1_988n);
    expect(intoYen.credits).toBe(3n);
  });

  const amount = fc.bigInt({ min: 0n, max: 10n ** 11n });
  const small = fc.bigInt({ min: 0n, max: 20n });
  const bucketAmounts = fc.record({ current: fc.oneof(amount, small), days1to30: fc.oneof(amount, small), days31to60: fc.oneof(amount, small), days61to90: fc.oneof(amount, small), over90: fc.oneof(amount, small), credits: fc.oneof(amount, small) });
  const currencyPair = fc.constantFrom(['USD', 'EUR'], ['JPY', 'EUR'], ['KWD', 'EUR'], ['EUR', 'JPY'], ['EUR', 'KWD'], ['SEK', 'EUR']) as fc.Arbitrary<[string, string]>;
  const rate = fc.constantFrom('0.0062', '0.0871', '0.5', '0.9210', '1.1655', '2.98', '161.235', '0.3356');

  it('adds up to the converted total, keeps every bucket within a minor unit of its exact value, and never turns one negative (property)', () => {
    fc.assert(
      fc.property(bucketAmounts, currencyPair, rate, (amounts, [from, to], rateText) => {
        const converted = convertBuckets(amounts, from, to, new Big(rateText));
        const exact = (minor: bigint) => minorToDecimal(minor, from).times(rateText).times(new Big('10').pow(currencyExponent(to)));
        // Big's half-up rounds halves away from zero, negative totals too.
        expect(totalOf(converted)).toBe(BigInt(exact(totalOf(amounts)).round(0, Big.roundHalfUp).toFixed(0)));
        for (const bucket of [...agingBuckets, 'credits'] as const) {
          expect(new Big(converted[bucket].toString()).minus(exact(amounts[bucket])).abs().lt('1'), `${bucket}: ${converted[bucket]} for ${exact(amounts[bucket]).toFixed()}`).toBe(true);
          expect(converted[bucket] >= 0n, bucket).toBe(true);
        }
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('runningBalances', () => {
  it('carries the balance from the opening through each movement', () => {
    expect(
      runningBalances(100_000n, [
        { date: '2026-10-01', amountMinor: 50_000n },
        { date: '2026-10-05', amountMinor: -30_000n },
        { date: '2026-10-09', amountMinor: -120_000n },
        { date: '2026-10-10', amountMinor: 1n },
      ]),
    ).toEqual([150_000n, 120_000n, 0n, 1n]);
  });

  it('has no balances without movements, and goes below zero when the customer is in credit', () => {
    expect(runningBalances(5_000n, [])).toEqual([]);
    expect(runningBalances(0n, [{ date: '2026-10-01', amountMinor: -2_500n }])).toEqual([-2_500n]);
  });

  it('ends at the opening plus every movement, each step the movement (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }), fc.array(fc.bigInt({ min: -(10n ** 10n), max: 10n ** 10n }), { maxLength: 50 }), (openingMinor, amounts) => {
        const balances = runningBalances(openingMinor, amounts.map((amountMinor) => ({ date: '2026-10-01', amountMinor })));
        expect(balances).toHaveLength(amounts.length);
        expect(balances.at(-1) ?? openingMinor).toBe(amounts.reduce((total, value) => total + value, openingMinor));
        balances.forEach((balance, index) => expect(balance - (index === 0 ? openingMinor : balances[index - 1]!)).toBe(amounts[index]));
      }),
    );
  });
});
