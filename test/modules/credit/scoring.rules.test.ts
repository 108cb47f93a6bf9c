import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, Big, currencyExponent, daysBetween as kernelDaysBetween } from '../../../src/kernel';
import {
  classForScore,
  daysBetween,
  recommendedLimitFor,
  riskClasses,
  scoreCustomer,
  weightedDaysLate,
  wholeMonthsBetween,
  type OpenInvoice,
  type PaidInvoice,
  type RiskClass,
  type ScoreFactor,
  type ScoreResult,
  type ScoringInput,
} from '../../../src/modules/credit/scoring.rules';

const asOf = '2026-06-30';

/** A customer of 12 months (tenure 0 points) with nothing else: the factors under test are added. */
const input = (overrides: Partial<ScoringInput> = {}): ScoringInput => ({
  asOf,
  currency: 'EUR',
  paidInvoices: [],
  openInvoices: [],
  limitMinor: null,
  exposureMinor: 0n,
  customerSince: '2025-06-30',
  reversedPayments: 0,
  monthlyBilledMinor: 0n,
  startingClass: 'C',
  ...overrides,
});

const paid = (amountMinor: bigint, daysLate: number): PaidInvoice => ({ amountMinor, daysLate });
const open = (openMinor: bigint, daysPastDue: number): OpenInvoice => ({ openMinor, daysPastDue });
/** One invoice not yet due: history without anything paid or overdue. */
const notYetDue = [open(10_000n, -5)];

const factorOf = (result: ScoreResult, code: ScoreFactor['code']): ScoreFactor | undefined => result.factors.find((factor) => factor.code === code);
const pointsOf = (overrides: Partial<ScoringInput>, code: ScoreFactor['code']): number | undefined => factorOf(scoreCustomer(input(overrides)), code)?.points;
const sumPoints = (result: ScoreResult) => result.factors.reduce((sum, factor) => sum + factor.points, 0);
const clamp = (score: number) => Math.min(100, Math.max(0, score));
const repeat = <T>(count: number, item: T): T[] => Array.from({ length: count }, () => item);

// ————————————————————————————————————————————— classes and dates

describe('classForScore', () => {
  it.each([
    [100, 'A'],
    [80, 'A'],
    [79, 'B'],
    [65, 'B'],
    [64, 'C'],
    [50, 'C'],
    [49, 'D'],
    [35, 'D'],
    [34, 'E'],
    [0, 'E'],
  ] as const)('puts %i in class %s', (score, riskClass) => {
    expect(classForScore(score)).toBe(riskClass);
  });

  it('never puts a higher score in a worse class (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 }), (a, b) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        expect(riskClasses.indexOf(classForScore(high)) <= riskClasses.indexOf(classForScore(low))).toBe(true);
      }),
    );
  });
});

describe('dates', () => {
  it('reuses the kernel day count', () => {
    expect(daysBetween).toBe(kernelDaysBetween);
    expect(daysBetween('2026-01-31', '2026-03-02')).toBe(30);
  });

  it.each([
    ['2026-06-30', '2026-06-30', 0],
    ['2026-03-15', '2026-04-14', 0],
    ['2026-03-15', '2026-04-15', 1],
    ['2026-01-31', '2026-02-27', 0],
    ['2026-01-31', '2026-02-28', 1],
    ['2028-01-31', '2028-02-28', 0],
    ['2028-01-31', '2028-02-29', 1],
    ['2028-02-29', '2029-02-28', 12],
    ['2025-12-31', '2026-06-30', 6],
    ['2024-06-30', '2026-06-30', 24],
    ['2026-07-01', '2026-06-30', 0],
    ['2026-08-30', '2026-06-30', -2],
  ] as const)('counts whole months from %s to %s: %i', (from, to, months) => {
    expect(wholeMonthsBetween(from, to)).toBe(months);
  });
});

// ————————————————————————————————————————————— no history

describe('a customer without history', () => {
  it.each([
    ['A', 90],
    ['B', 72],
    ['C', 57],
    ['D', 42],
    ['E', 20],
  ] as const)('gets starting class %s at its mid score %i, whatever else is known', (startingClass, score) => {
    const result = scoreCustomer(input({ startingClass, limitMinor: 500_000n, reversedPayments: 3, customerSince: asOf, monthlyBilledMinor: 9_999_999n, exposureMinor: 900_000n }));
    expect(result).toEqual({
      score,
      riskClass: startingClass,
      recommendedLimitMinor: 500_000n,
      hasHistory: false,
      factors: [
        {
          code: 'no_history',
          label: 'Payment history',
          value: 'no invoices yet',
          points: 0,
          explanation: `No paid or open invoices yet, so the tenant's starting class ${startingClass} applies (score ${score}) and the limit in force is kept.`,
        },
      ],
    });
    expect(classForScore(score)).toBe(startingClass);
  });

  it('recommends the limit in force, or none', () => {
    expect(scoreCustomer(input({ limitMinor: null })).recommendedLimitMinor).toBe(0n);
    expect(scoreCustomer(input({ limitMinor: 0n })).recommendedLimitMinor).toBe(0n);
    expect(scoreCustomer(input({ limitMinor: 123_456n })).recommendedLimitMinor).toBe(123_456n);
  });

  it('has history with one open invoice, even one not yet due, or one paid invoice', () => {
    expect(scoreCustomer(input({ openInvoices: notYetDue })).hasHistory).toBe(true);
    expect(scoreCustomer(input({ paidInvoices: [paid(100n, 0)] })).hasHistory).toBe(true);
  });
});

// ————————————————————————————————————————————— days late

describe('days_late', () => {
  /** 99 % of the amount exactly `days` late, 1 % a day later: `days` + 0.01 on average. */
  const justOver = (days: number) => [paid(9_900n, days), paid(100n, days + 1)];

  it.each([
    ['all on time', [paid(10_000n, 0)], 10, '0.0 days'],
    ['all early (early counts as 0, not less)', [paid(10_000n, -12)], 10, '0.0 days'],
    ['a trace late', [paid(1_000_000n, 0), paid(1n, 1)], 5, '0.0 days'],
    ['exactly 1', [paid(10_000n, 1)], 5, '1.0 days'],
    ['exactly 5', [paid(10_000n, 5)], 5, '5.0 days'],
    ['5.01', justOver(5), 0, '5.0 days'],
    ['exactly 15', [paid(10_000n, 15)], 0, '15.0 days'],
    ['15.01', justOver(15), -10, '15.0 days'],
    ['exactly 30', [paid(10_000n, 30)], -10, '30.0 days'],
    ['30.01', justOver(30), -20, '30.0 days'],
    ['exactly 60', [paid(10_000n, 60)], -20, '60.0 days'],
    ['60.01', justOver(60), -30, '60.0 days'],
    ['200', [paid(10_000n, 200)], -30, '200.0 days'],
  ] as const)('%s → %i points, shown as %s', (_case, paidInvoices, points, value) => {
    const factor = factorOf(scoreCustomer(input({ paidInvoices })), 'days_late');
    expect(factor?.points).toBe(points);
    expect(factor?.value).toBe(value);
  });

  it('weights by amount and counts early payments as 0', () => {
    // 100.00 paid 30 days early and 100.00 paid 10 days late: 5.0 days, not −10.
    expect(factorOf(scoreCustomer(input({ paidInvoices: [paid(10_000n, -30), paid(10_000n, 10)] })), 'days_late')).toMatchObject({ value: '5.0 days', points: 5 });
    // 900.00 on time and 100.00 40 days late: 4.0 days (the count average would be 20).
    expect(factorOf(scoreCustomer(input({ paidInvoices: [paid(90_000n, 0), paid(10_000n, 40)] })), 'days_late')).toMatchObject({ value: '4.0 days', points: 5 });
  });

  it('rounds the days shown half up to one decimal', () => {
    // 0.55 × 12 + 0.45 × 13 = 12.45 → 12.5; 0.56 × 12 + 0.44 × 13 = 12.44 → 12.4.
    expect(factorOf(scoreCustomer(input({ paidInvoices: [paid(55n, 12), paid(45n, 13)] })), 'days_late')?.value).toBe('12.5 days');
    expect(factorOf(scoreCustomer(input({ paidInvoices: [paid(56n, 12), paid(44n, 13)] })), 'days_late')?.value).toBe('12.4 days');
    expect(factorOf(scoreCustomer(input({ paidInvoices: [paid(56n, 12), paid(44n, 13)] })), 'days_late')?.explanation).toBe('Paid 12.4 days late on average, weighted by amount: 0 points.');
  });

  it('explains on-time payment', () => {
    expect(factorOf(scoreCustomer(input({ paidInvoices: [paid(100n, 0)] })), 'days_late')?.explanation).toBe('Paid on time or early, weighted by amount: +10 points.');
  });

  it('is left out without paid invoices', () => {
    const result = scoreCustomer(input({ openInvoices: notYetDue }));
    expect(factorOf(result, 'days_late')).toBeUndefined();
    expect(factorOf(result, 'share_late')).toBeUndefined();
  });

  it('gives invoices of no amount no weight', () => {
    expect(weightedDaysLate([paid(0n, 40), paid(-500n, 40), paid(100n, 3)])).toEqual({ numerator: 300n, denominator: 100n });
    expect(factorOf(scoreCustomer(input({ paidInvoices: [paid(0n, 40)] })), 'days_late')).toMatchObject({ value: '0.0 days', points: 10 });
  });
});

// ————————————————————————————————————————————— share late

describe('share_late', () => {
  const share = (late: number, onTime: number) => [...repeat(late, paid(100n, 1)), ...repeat(onTime, paid(100n, 0))];

  it.each([
    [0, 10, 5, '0 % (0 of 10)'],
    [1, 19, 0, '5 % (1 of 20)'],
    [10, 90, 0, '10 % (10 of 100)'],
    [11, 89, -5, '11 % (11 of 100)'],
    [1, 9, 0, '10 % (1 of 10)'],
    [1, 3, -5, '25 % (1 of 4)'],
    [25, 75, -5, '25 % (25 of 100)'],
    [26, 74, -10, '26 % (26 of 100)'],
    [1, 1, -10, '50 % (1 of 2)'],
    [50, 50, -10, '50 % (50 of 100)'],
    [51, 49, -15, '51 % (51 of 100)'],
    [1, 0, -15, '100 % (1 of 1)'],
  ] as const)('%i late of %i + on time → %i points, shown as %s', (late, onTime, points, value) => {
    const factor = factorOf(scoreCustomer(input({ paidInvoices: share(late, onTime) })), 'share_late');
    expect(factor?.points).toBe(points);
    expect(factor?.value).toBe(value);
  });

  it('compares the exact share, not the rounded percentage', () => {
    // 1 of 9 is 11.1 %: over 10 %. 100 of 999 is 10.01 %, shown as 10 % but over 10 %.
    expect(pointsOf({ paidInvoices: share(1, 8) }, 'share_late')).toBe(-5);
    expect(factorOf(scoreCustomer(input({ paidInvoices: share(100, 899) })), 'share_late')).toMatchObject({ value: '10 % (100 of 999)', points: -5 });
  });

  it('rounds the percentage half up', () => {
    expect(factorOf(scoreCustomer(input({ paidInvoices: share(1, 7) })), 'share_late')?.value).toBe('13 % (1 of 8)');
    expect(factorOf(scoreCustomer(input({ paidInvoices: share(1, 2) })), 'share_late')?.value).toBe('33 % (1 of 3)');
    expect(factorOf(scoreCustomer(input({ paidInvoices: share(2, 1) })), 'share_late')?.value).toBe('67 % (2 of 3)');
  });

  it('counts a payment on its due day or earlier as on time', () => {
    expect(pointsOf({ paidInvoices: [paid(100n, 0), paid(100n, -3)] }, 'share_late')).toBe(5);
  });

  it('explains', () => {
    expect(factorOf(scoreCustomer(input({ paidInvoices: share(7, 13) })), 'share_late')?.explanation).toBe('7 of 20 paid invoices (35 %) were paid after the due date: −10 points.');
    expect(factorOf(scoreCustomer(input({ paidInvoices: share(0, 1) })), 'share_late')?.explanation).toBe('None of the 1 paid invoice was paid after its due date: +5 points.');
  });
});

// ————————————————————————————————————————————— overdue

describe('overdue', () => {
  it.each([
    [-10, 5],
    [0, 5],
    [1, -5],
    [30, -5],
    [31, -15],
    [60, -15],
    [61, -25],
    [90, -25],
    [91, -35],
    [400, -35],
  ] as const)('an invoice %i days past due → %i points', (daysPastDue, points) => {
    expect(pointsOf({ openInvoices: [open(10_000n, daysPastDue)] }, 'overdue')).toBe(points);
  });

  it('scores the oldest overdue invoice and shows the amount overdue', () => {
    const factor = factorOf(scoreCustomer(input({ openInvoices: [open(25_000n, 10), open(100_000n, 40), open(99_999n, -3)] })), 'overdue');
    expect(factor).toMatchObject({ value: '1250.00 EUR, oldest 40 days', points: -15 });
    expect(factor?.explanation).toBe('1250.00 EUR is overdue, the oldest 40 days past due: −15 points.');
  });

  it('shows nothing overdue with only paid invoices', () => {
    expect(factorOf(scoreCustomer(input({ paidInvoices: [paid(100n, 0)] })), 'overdue')).toEqual({ code: 'overdue', label: 'Overdue now', value: 'none', points: 5, explanation: 'Nothing is overdue: +5 points.' });
  });

  it('takes 5 more when the overdue amount is more than half an average month’s billing', () => {
    // Half of 100.00 is 50.00: exactly 50.00 overdue is not more, 50.01 is.
    expect(pointsOf({ openInvoices: [open(5_000n, 10)], monthlyBilledMinor: 10_000n }, 'overdue')).toBe(-5);
    expect(pointsOf({ openInvoices: [open(5_001n, 10)], monthlyBilledMinor: 10_000n }, 'overdue')).toBe(-10);
    expect(pointsOf({ openInvoices: [open(2_501n, 95), open(2_500n, 1)], monthlyBilledMinor: 10_000n }, 'overdue')).toBe(-40);
    // Odd billing: half of 0.01 is 0.005, so 0.01 overdue is more.
    expect(pointsOf({ openInvoices: [open(1n, 10)], monthlyBilledMinor: 1n }, 'overdue')).toBe(-10);
    // Without billing, there is no month to compare with.
    expect(pointsOf({ openInvoices: [open(5_001n, 10)], monthlyBilledMinor: 0n }, 'overdue')).toBe(-5);
    // Only what is overdue counts, not what is open.
    expect(pointsOf({ openInvoices: [open(1_000n, 10), open(90_000n, -1)], monthlyBilledMinor: 10_000n }, 'overdue')).toBe(-5);
    expect(factorOf(scoreCustomer(input({ openInvoices: [open(5_001n, 10)], monthlyBilledMinor: 10_000n })), 'overdue')?.explanation).toBe(
      "50.01 EUR is overdue, the oldest 10 days past due (−5 points), and that is more than half an average month's billing of 100.00 EUR (−5 points): −10 points.",
    );
  });

  it('ignores invoices past due with nothing left open', () => {
    expect(pointsOf({ openInvoices: [open(0n, 120), open(-500n, 95)] }, 'overdue')).toBe(5);
  });

  it('shows amounts in the currency’s decimals', () => {
    expect(factorOf(scoreCustomer(input({ currency: 'JPY', openInvoices: [open(125_000n, 1)] })), 'overdue')?.value).toBe('125000 JPY, oldest 1 day');
    expect(factorOf(scoreCustomer(input({ currency: 'KWD', openInvoices: [open(1_250_500n, 61)] })), 'overdue')?.value).toBe('1250.500 KWD, oldest 61 days');
  });
});

// ————————————————————————————————————————————— limit use

describe('limit_use', () => {
  it.each([
    [-50_000n, 5, '0 % (-500.00 of 1000.00 EUR)'],
    [0n, 5, '0 % (0.00 of 1000.00 EUR)'],
    [50_000n, 5, '50 % (500.00 of 1000.00 EUR)'],
    [50_001n, 0, '50 % (500.01 of 1000.00 EUR)'],
    [80_000n, 0, '80 % (800.00 of 1000.00 EUR)'],
    [80_001n, -5, '80 % (800.01 of 1000.00 EUR)'],
    [100_000n, -5, '100 % (1000.00 of 1000.00 EUR)'],
    [100_001n, -15, '100 % (1000.01 of 1000.00 EUR)'],
    [250_000n, -15, '250 % (2500.00 of 1000.00 EUR)'],
  ] as const)('exposure %i of a 1000.00 limit → %i points, shown as %s', (exposureMinor, points, value) => {
    const factor = factorOf(scoreCustomer(input({ openInvoices: notYetDue, limitMinor: 100_000n, exposureMinor })), 'limit_use');
    expect(factor).toMatchObject({ points, value });
  });

  it('compares exactly on odd limits and rounds the percentage half up', () => {
    // Limit 0.03: 0.01 is 33 % (+5), 0.02 is 67 % (0), 0.03 is 100 % (−5).
    expect(pointsOf({ openInvoices: notYetDue, limitMinor: 3n, exposureMinor: 1n }, 'limit_use')).toBe(5);
    expect(pointsOf({ openInvoices: notYetDue, limitMinor: 3n, exposureMinor: 2n }, 'limit_use')).toBe(0);
    expect(pointsOf({ openInvoices: notYetDue, limitMinor: 3n, exposureMinor: 3n }, 'limit_use')).toBe(-5);
    expect(factorOf(scoreCustomer(input({ openInvoices: notYetDue, limitMinor: 200n, exposureMinor: 85n })), 'limit_use')?.value).toBe('43 % (0.85 of 2.00 EUR)');
  });

  it('is left out without a limit, or with a limit of 0', () => {
    expect(pointsOf({ openInvoices: notYetDue, limitMinor: null, exposureMinor: 50_000n }, 'limit_use')).toBeUndefined();
    expect(pointsOf({ openInvoices: notYetDue, limitMinor: 0n, exposureMinor: 50_000n }, 'limit_use')).toBeUndefined();
  });

  it('explains', () => {
    expect(factorOf(scoreCustomer(input({ openInvoices: notYetDue, limitMinor: 100_000n, exposureMinor: 62_500n })), 'limit_use')?.explanation).toBe('The exposure of 625.00 EUR uses 63 % of the 1000.00 EUR limit: 0 points.');
    expect(factorOf(scoreCustomer(input({ openInvoices: notYetDue, limitMinor: 100_000n, exposureMinor: 120_000n })), 'limit_use')?.explanation).toBe('The exposure of 1200.00 EUR is over the 1000.00 EUR limit (120 %): −15 points.');
  });
});

// ————————————————————————————————————————————— tenure and reversed payments

describe('tenure', () => {
  it.each([
    ['2026-08-01', -5, '0 months'],
    ['2026-06-30', -5, '0 months'],
    ['2026-05-30', -5, '1 month'],
    ['2026-01-30', -5, '5 months'],
    ['2026-01-01', -5, '5 months'],
    ['2025-12-31', 0, '6 months'],
    ['2025-12-30', 0, '6 months'],
    ['2024-07-31', 0, '23 months'],
    ['2024-07-01', 0, '23 months'],
    ['2024-06-30', 5, '24 months'],
    ['2016-01-01', 5, '125 months'],
  ] as const)('a customer since %s → %i points (%s)', (customerSince, points, value) => {
    expect(factorOf(scoreCustomer(input({ openInvoices: notYetDue, customerSince })), 'tenure')).toMatchObject({ points, value });
  });

  it('explains', () => {
    expect(factorOf(scoreCustomer(input({ openInvoices: notYetDue, customerSince: '2024-03-15' })), 'tenure')?.explanation).toBe('A customer for 27 months (since 2024-03-15), 2 years or more: +5 points.');
  });
});

describe('reversed_payments', () => {
  it.each([
    [0, undefined],
    [1, -15],
    [2, -30],
    [7, -30],
  ] as const)('%i reversed → %s points', (reversedPayments, points) => {
    expect(pointsOf({ openInvoices: notYetDue, reversedPayments }, 'reversed_payments')).toBe(points);
  });

  it('explains', () => {
    expect(factorOf(scoreCustomer(input({ openInvoices: notYetDue, reversedPayments: 1 })), 'reversed_payments')).toEqual({
      code: 'reversed_payments',
      label: 'Reversed payments (12 months)',
      value: '1',
      points: -15,
      explanation: '1 payment reversed (bounced) in the last 12 months: −15 points.',
    });
  });
});

// ————————————————————————————————————————————— score, class and limit

describe('recommended limit', () => {
  it.each([
    // EUR: multiples of 100.00 = 10 000 minor.
    ['EUR', 'A', 1_234_567n, 3_700_000n], // 3 × 12 345.67 = 37 037.01 → 37 000.00
    ['EUR', 'B', 1_234_567n, 2_460_000n], // 2 × = 24 691.34 → 24 600.00
    ['EUR', 'C', 1_000_000n, 1_500_000n], // 1.5 × 10 000.00 = 15 000.00 exactly
    ['EUR', 'C', 1_000_001n, 1_500_000n],
    ['EUR', 'D', 1_999_999n, 990_000n], // 0.5 × 19 999.99 = 9 999.995 → 9 900.00
    ['EUR', 'D', 2_000_000n, 1_000_000n],
    ['EUR', 'E', 99_999_999n, 0n],
    ['EUR', 'A', 3_333n, 0n], // 3 × 33.33 = 99.99 → 0
    ['EUR', 'A', 3_334n, 10_000n], // 3 × 33.34 = 100.02 → 100.00
    // JPY, no decimals: multiples of ¥100.
    ['JPY', 'A', 123_456n, 370_300n], // 370 368 → 370 300
    ['JPY', 'C', 1_001n, 1_500n], // 1 501.5 → 1 500
    ['JPY', 'D', 199n, 0n], // 99.5 → 0
    // KWD, three decimals: multiples of 100.000 = 100 000 minor.
    ['KWD', 'B', 1_234_567n, 2_400_000n], // 2 × 1 234.567 = 2 469.134 → 2 400.000
    ['KWD', 'C', 66_667n, 100_000n], // 1.5 × 66.667 = 100.0005 → 100.000
    ['KWD', 'C', 66_666n, 0n], // 99.999 → 0
  ] as const)('%s class %s, monthly %i → %i', (currency, riskClass, monthlyBilledMinor, limit) => {
    expect(recommendedLimitFor(riskClass, monthlyBilledMinor, currency)).toBe(limit);
  });

  it('is never negative', () => {
    for (const riskClass of riskClasses) expect(recommendedLimitFor(riskClass, -5_000_000n, 'EUR')).toBe(0n);
    expect(recommendedLimitFor('A', 0n, 'EUR')).toBe(0n);
  });

  it('follows the class of the score', () => {
    // All on time, nothing overdue, 12 months: 70 + 10 + 5 + 5 = 90 → A → 3 × 2 000.00.
    const result = scoreCustomer(input({ paidInvoices: [paid(100n, 0)], monthlyBilledMinor: 200_000n }));
    expect(result).toMatchObject({ score: 90, riskClass: 'A', recommendedLimitMinor: 600_000n });
  });

  it('refuses an unknown currency', () => {
    expect(() => scoreCustomer(input({ currency: 'XXX', openInvoices: notYetDue }))).toThrow(/ISO 4217/);
  });
});

describe('scoreCustomer', () => {
  const workedExample: ScoringInput = {
    asOf: '2026-06-30',
    currency: 'EUR',
    paidInvoices: [paid(200_000n, -2), paid(150_000n, 12), paid(50_000n, 40), paid(100_000n, 0)],
    openInvoices: [open(125_000n, 40), open(300_000n, -10)],
    limitMinor: 1_000_000n,
    exposureMinor: 425_000n,
    customerSince: '2024-03-15',
    reversedPayments: 0,
    monthlyBilledMinor: 245_000n,
    startingClass: 'B',
  };

  it('scores the worked example of docs/CREDIT-SCORING.md', () => {
    const result = scoreCustomer(workedExample);
    expect(result).toEqual({
      score: 50,
      riskClass: 'C',
      recommendedLimitMinor: 360_000n,
      hasHistory: true,
      factors: [
        {
          code: 'overdue',
          label: 'Overdue now',
          value: '1250.00 EUR, oldest 40 days',
          points: -20,
          explanation: "1250.00 EUR is overdue, the oldest 40 days past due (−15 points), and that is more than half an average month's billing of 2450.00 EUR (−5 points): −20 points.",
        },
        { code: 'share_late', label: 'Share of invoices paid late', value: '50 % (2 of 4)', points: -10, explanation: '2 of 4 paid invoices (50 %) were paid after the due date: −10 points.' },
        { code: 'limit_use', label: 'Credit limit used', value: '43 % (4250.00 of 10000.00 EUR)', points: 5, explanation: 'The exposure of 4250.00 EUR uses 43 % of the 10000.00 EUR limit: +5 points.' },
        { code: 'tenure', label: 'Time as a customer', value: '27 months', points: 5, explanation: 'A customer for 27 months (since 2024-03-15), 2 years or more: +5 points.' },
        { code: 'days_late', label: 'Average days paid late (by amount)', value: '7.6 days', points: 0, explanation: 'Paid 7.6 days late on average, weighted by amount: 0 points.' },
      ],
    });
  });

  it('scores the worked example with one bounced payment 35, class D', () => {
    expect(scoreCustomer({ ...workedExample, reversedPayments: 1 })).toMatchObject({ score: 35, riskClass: 'D', recommendedLimitMinor: 120_000n });
  });

  it('reaches 100 at best and clamps at 0', () => {
    const best = scoreCustomer(input({ paidInvoices: [paid(100n, 0)], limitMinor: 100n, customerSince: '2020-01-01' }));
    expect(best.score).toBe(100);
    expect(sumPoints(best)).toBe(30);
    const worst = scoreCustomer(input({ paidInvoices: [paid(100n, 90)], openInvoices: [open(100_000n, 200)], monthlyBilledMinor: 1n, limitMinor: 1n, exposureMinor: 100_000n, customerSince: asOf, reversedPayments: 2 }));
    expect(sumPoints(worst)).toBe(-30 - 15 - 40 - 15 - 5 - 30);
    expect(worst).toMatchObject({ score: 0, riskClass: 'E', recommendedLimitMinor: 0n });
  });

  it('sorts the factors by points, largest either way first, then by code', () => {
    const result = scoreCustomer(input({ paidInvoices: [paid(100n, 3)], openInvoices: [open(100n, 10)], limitMinor: 1_000n, exposureMinor: 0n, customerSince: '2026-03-01', reversedPayments: 1 }));
    // days_late +5, share_late −15, overdue −5, limit_use +5, tenure −5, reversed −15.
    expect(result.factors.map((factor) => [factor.code, factor.points])).toEqual([
      ['reversed_payments', -15],
      ['share_late', -15],
      ['days_late', 5],
      ['limit_use', 5],
      ['overdue', -5],
      ['tenure', -5],
    ]);
    expect(result.score).toBe(70 - 30);
  });
});

// ————————————————————————————————————————————— properties

const currencies = ['EUR', 'JPY', 'KWD'] as const;
const paidArb = fc.record({ amountMinor: fc.oneof(fc.bigInt({ min: 1n, max: 10n ** 9n }), fc.bigInt({ min: 0n, max: 50n })), daysLate: fc.integer({ min: -30, max: 150 }) });
const openArb = fc.record({ openMinor: fc.oneof(fc.bigInt({ min: 1n, max: 10n ** 9n }), fc.bigInt({ min: -50n, max: 50n })), daysPastDue: fc.integer({ min: -60, max: 150 }) });
const inputArb: fc.Arbitrary<ScoringInput> = fc
  .record({
    asOfOffset: fc.integer({ min: -400, max: 400 }),
    sinceDaysAgo: fc.integer({ min: -30, max: 1_500 }),
    currency: fc.constantFrom(...currencies),
    paidInvoices: fc.array(paidArb, { maxLength: 8 }),
    openInvoices: fc.array(openArb, { maxLength: 6 }),
    limitMinor: fc.option(fc.bigInt({ min: 0n, max: 2n * 10n ** 9n })),
    exposureMinor: fc.bigInt({ min: -(10n ** 8n), max: 3n * 10n ** 9n }),
    reversedPayments: fc.integer({ min: 0, max: 4 }),
    monthlyBilledMinor: fc.oneof(fc.bigInt({ min: 0n, max: 10n ** 9n }), fc.constant(0n)),
    startingClass: fc.constantFrom(...riskClasses),
  })
  .map(({ asOfOffset, sinceDaysAgo, ...rest }) => {
    const day = addDays(asOf, asOfOffset);
    return { ...rest, asOf: day, customerSince: addDays(day, -sinceDaysAgo) };
  });
const withHistory = inputArb.filter((candidate) => candidate.paidInvoices.length + candidate.openInvoices.length > 0);
const withPaid = inputArb.filter((candidate) => candidate.paidInvoices.length > 0);

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

describe('properties', () => {
  it('scores an integer 0..100 from 70 plus the factors, in the class of the score, with a limit in whole hundreds, without touching the input', () => {
    fc.assert(
      fc.property(inputArb, (candidate) => {
        const snapshot = structuredClone(candidate);
        const result = scoreCustomer(deepFreeze(candidate));
        expect(candidate).toEqual(snapshot);
        expect(Number.isInteger(result.score) && result.score >= 0 && result.score <= 100).toBe(true);
        for (const factor of result.factors) expect(Number.isInteger(factor.points)).toBe(true);
        const step = 100n * 10n ** BigInt(currencyExponent(candidate.currency));
        expect(result.recommendedLimitMinor >= 0n).toBe(true);
        expect(result.hasHistory).toBe(candidate.paidInvoices.length + candidate.openInvoices.length > 0);
        if (result.hasHistory) {
          expect(result.score).toBe(clamp(70 + sumPoints(result)));
          expect(result.riskClass).toBe(classForScore(result.score));
          expect(result.recommendedLimitMinor % step).toBe(0n);
          expect(result.recommendedLimitMinor <= 3n * candidate.monthlyBilledMinor).toBe(true);
          expect(result.factors.some((factor) => factor.code === 'no_history')).toBe(false);
        } else {
          expect(result.score).toBe({ A: 90, B: 72, C: 57, D: 42, E: 20 }[candidate.startingClass]);
          expect(result.riskClass).toBe(candidate.startingClass);
          expect(result.factors.map((factor) => [factor.code, factor.points])).toEqual([['no_history', 0]]);
          const limit = candidate.limitMinor ?? 0n;
          expect(result.recommendedLimitMinor).toBe(limit > 0n ? limit : 0n);
        }
        const order = result.factors.map((factor) => [Math.abs(factor.points), factor.code] as const);
        for (let index = 1; index < order.length; index += 1) {
          const [previous, current] = [order[index - 1]!, order[index]!];
          expect(previous[0] > current[0] || (previous[0] === current[0] && previous[1] < current[1])).toBe(true);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('never raises the score when a paid invoice was paid later (property)', () => {
    fc.assert(
      fc.property(withPaid, fc.nat(), fc.integer({ min: 0, max: 200 }), (candidate, pick, later) => {
        const index = pick % candidate.paidInvoices.length;
        const slower = candidate.paidInvoices.map((invoice, at) => (at === index ? { ...invoice, daysLate: invoice.daysLate + later } : invoice));
        expect(scoreCustomer({ ...candidate, paidInvoices: slower }).score).toBeLessThanOrEqual(scoreCustomer(candidate).score);
      }),
      { numRuns: 300 },
    );
  });

  it('never raises the score when a late payment is added, at least as late as the average so far (property)', () => {
    fc.assert(
      fc.property(withHistory, fc.bigInt({ min: 0n, max: 10n ** 9n }), fc.integer({ min: 0, max: 200 }), (candidate, amountMinor, extra) => {
        const { numerator, denominator } = weightedDaysLate(candidate.paidInvoices);
        // The smallest whole day count at least the exact average, and late (1 day or more).
        const average = denominator === 0n ? 0 : Number((numerator + denominator - 1n) / denominator);
        const added = paid(amountMinor, Math.max(1, average) + extra);
        expect(scoreCustomer({ ...candidate, paidInvoices: [...candidate.paidInvoices, added] }).score).toBeLessThanOrEqual(scoreCustomer(candidate).score);
      }),
      { numRuns: 300 },
    );
  });

  it('never raises the score when a late payment is added to a record of payments on time (property)', () => {
    fc.assert(
      fc.property(withHistory, fc.bigInt({ min: 0n, max: 10n ** 9n }), fc.integer({ min: 1, max: 200 }), (candidate, amountMinor, daysLate) => {
        const onTime = { ...candidate, paidInvoices: candidate.paidInvoices.map((invoice) => ({ ...invoice, daysLate: Math.min(0, invoice.daysLate) })) };
        expect(scoreCustomer({ ...onTime, paidInvoices: [...onTime.paidInvoices, paid(amountMinor, daysLate)] }).score).toBeLessThanOrEqual(scoreCustomer(onTime).score);
      }),
      { numRuns: 200 },
    );
  });

  it('never raises the score when a payment is reversed (property)', () => {
    fc.assert(
      fc.property(inputArb, fc.integer({ min: 1, max: 3 }), (candidate, more) => {
        expect(scoreCustomer({ ...candidate, reversedPayments: candidate.reversedPayments + more }).score).toBeLessThanOrEqual(scoreCustomer(candidate).score);
      }),
      { numRuns: 200 },
    );
  });

  it('never raises the score when an open invoice grows older (property)', () => {
    fc.assert(
      fc.property(
        inputArb.filter((candidate) => candidate.openInvoices.length > 0),
        fc.nat(),
        fc.integer({ min: 0, max: 200 }),
        (candidate, pick, older) => {
          const index = pick % candidate.openInvoices.length;
          const aged = candidate.openInvoices.map((invoice, at) => (at === index ? { ...invoice, daysPastDue: invoice.daysPastDue + older } : invoice));
          expect(scoreCustomer({ ...candidate, openInvoices: aged }).score).toBeLessThanOrEqual(scoreCustomer(candidate).score);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('computes the weighted days late exactly: band and display against an independent rational (property)', () => {
    const band = (quotient: bigint, remainder: bigint): number => {
      // value ≤ k ⇔ quotient < k, or quotient = k with no remainder.
      const atMost = (k: bigint) => quotient < k || (quotient === k && remainder === 0n);
      if (quotient === 0n && remainder === 0n) return 10;
      return atMost(5n) ? 5 : atMost(15n) ? 0 : atMost(30n) ? -10 : atMost(60n) ? -20 : -30;
    };
    fc.assert(
      fc.property(withPaid, (candidate) => {
        let amountTimesDays = 0n;
        let amounts = 0n;
        for (const invoice of candidate.paidInvoices) {
          if (invoice.amountMinor <= 0n) continue;
          amounts += invoice.amountMinor;
          if (invoice.daysLate > 0) amountTimesDays += invoice.amountMinor * BigInt(invoice.daysLate);
        }
        const factor = factorOf(scoreCustomer(candidate), 'days_late')!;
        if (amounts === 0n) {
          expect(factor).toMatchObject({ points: 10, value: '0.0 days' });
          return;
        }
        expect(factor.points).toBe(band(amountTimesDays / amounts, amountTimesDays % amounts));
        const shown = new Big(amountTimesDays.toString()).div(new Big(amounts.toString())).round(1, Big.roundHalfUp).toFixed(1);
        expect(factor.value).toBe(`${shown} days`);
      }),
      { numRuns: 400 },
    );
  });

  it('recommends a whole multiple of 100 major units, never negative, at most the class’s months of billing (property)', () => {
    const months: Record<RiskClass, [bigint, bigint]> = { A: [3n, 1n], B: [2n, 1n], C: [3n, 2n], D: [1n, 2n], E: [0n, 1n] };
    fc.assert(
      fc.property(fc.constantFrom(...riskClasses), fc.bigInt({ min: -(10n ** 6n), max: 10n ** 12n }), fc.constantFrom(...currencies), (riskClass, monthly, currency) => {
        const limit = recommendedLimitFor(riskClass, monthly, currency);
        const step = 100n * 10n ** BigInt(currencyExponent(currency));
        const [times, per] = months[riskClass];
        const exact = monthly > 0n ? monthly * times : 0n; // in 1/per minor units
        expect(limit >= 0n && limit % step === 0n).toBe(true);
        // The largest multiple of the step not above the exact amount.
        expect(limit * per <= exact && (limit + step) * per > exact).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
