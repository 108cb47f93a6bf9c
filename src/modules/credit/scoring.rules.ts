import { currencyExponent, daysBetween, daysInMonth, formatMinor, type BusinessDate } from '../../kernel';

/**
 * The credit score of a customer: 0..100 points from its payment behaviour, what it
 * owes now, how much of its limit it uses, how long it has been a customer and its
 * bounced payments; a risk class from the score and a recommended limit from the
 * class and what it buys. All amounts are bigint minor units, all comparisons exact.
 * The method is described for credit managers in docs/CREDIT-SCORING.md.
 */

/** Calendar days from one business date to another (the kernel's; re-exported for the credit module). */
export { daysBetween };

export const riskClasses = ['A', 'B', 'C', 'D', 'E'] as const;
export type RiskClass = (typeof riskClasses)[number];

/** An invoice settled in the last 12 months; daysLate is the settled date minus the due date (0 or less: on time). */
export interface PaidInvoice {
  readonly amountMinor: bigint;
  readonly daysLate: number;
}

/** An invoice open today; daysPastDue 0 or less: not yet due. */
export interface OpenInvoice {
  readonly openMinor: bigint;
  readonly daysPastDue: number;
}

export interface ScoringInput {
  readonly asOf: BusinessDate;
  /** The customer's currency (ISO 4217): every amount below is in its minor units. */
  readonly currency: string;
  /** Invoices settled in the last 12 months. */
  readonly paidInvoices: readonly PaidInvoice[];
  /** Invoices open today. */
  readonly openInvoices: readonly OpenInvoice[];
  /** The limit in force (null: none). */
  readonly limitMinor: bigint | null;
  /** Current exposure (may be 0 or less). */
  readonly exposureMinor: bigint;
  /** The first invoice date, or the customer's creation date when there is none. */
  readonly customerSince: BusinessDate;
  /** Payments reversed (bounced) in the last 12 months. */
  readonly reversedPayments: number;
  /** Average gross invoiced per month over the last 12 months (0 or more). */
  readonly monthlyBilledMinor: bigint;
  /** The tenant's class for a customer without history. */
  readonly startingClass: RiskClass;
}

export interface ScoreFactor {
  readonly code: 'days_late' | 'share_late' | 'overdue' | 'limit_use' | 'tenure' | 'reversed_payments' | 'no_history';
  readonly label: string;
  /** The measured value as a person reads it ("12.4 days", "35 % (7 of 20)"). */
  readonly value: string;
  /** Integer, signed: what this factor added to or took from the score. */
  readonly points: number;
  /** One sentence why. */
  readonly explanation: string;
}

export interface ScoreResult {
  /** Integer 0..100. */
  readonly score: number;
  readonly riskClass: RiskClass;
  /** 0 or more, in the customer's currency. */
  readonly recommendedLimitMinor: bigint;
  readonly hasHistory: boolean;
  /** Sorted by |points| descending, then by code. */
  readonly factors: readonly ScoreFactor[];
}

/** Every customer with history starts here; the factors add to it or take from it. */
export const baseScore = 70;

/** The score of a customer without history: the middle of its starting class. */
export const midScoreByClass: Readonly<Record<RiskClass, number>> = Object.freeze({ A: 90, B: 72, C: 57, D: 42, E: 20 });

/** The lowest score of each class (E: anything below D). */
export const classFloors: Readonly<Record<RiskClass, number>> = Object.freeze({ A: 80, B: 65, C: 50, D: 35, E: 0 });

/** Months of average billing a class is recommended as limit, in half months (A 3, B 2, C 1.5, D 0.5, E 0). */
const halfMonthsByClass: Readonly<Record<RiskClass, bigint>> = Object.freeze({ A: 6n, B: 4n, C: 3n, D: 1n, E: 0n });

/** Recommended limits are whole multiples of this many major units of the currency. */
export const limitStepMajor = 100n;

/** A ≥ 80, B ≥ 65, C ≥ 50, D ≥ 35, else E. */
export function classForScore(score: number): RiskClass {
  if (score >= classFloors.A) return 'A';
  if (score >= classFloors.B) return 'B';
  if (score >= classFloors.C) return 'C';
  if (score >= classFloors.D) return 'D';
  return 'E';
}

/**
 * Whole calendar months from one date to another: a month is complete on the same
 * day of a later month, or on that month's last day when it is shorter (31 January
 * to 28 February is one month). Negative when `to` is before `from`.
 */
export function wholeMonthsBetween(from: BusinessDate, to: BusinessDate): number {
  if (to < from) {
    const back = wholeMonthsBetween(to, from);
    return back === 0 ? 0 : -back;
  }
  const [fromYear, fromMonth, fromDay] = from.split('-').map(Number) as [number, number, number];
  const [toYear, toMonth, toDay] = to.split('-').map(Number) as [number, number, number];
  const months = (toYear - fromYear) * 12 + (toMonth - fromMonth);
  return toDay < Math.min(fromDay, daysInMonth(toYear, toMonth)) ? months - 1 : months;
}

/**
 * The recommended limit for a class: the average monthly billing times the class's
 * months (A 3, B 2, C 1.5, D 0.5, E 0), rounded down to a multiple of 100 major
 * units of the currency; never negative.
 */
export function recommendedLimitFor(riskClass: RiskClass, monthlyBilledMinor: bigint, currency: string): bigint {
  if (monthlyBilledMinor <= 0n) return 0n;
  const step = limitStepMajor * 10n ** BigInt(currencyExponent(currency));
  // monthly × half months ÷ 2, floored to the step in one exact division.
  return ((monthlyBilledMinor * halfMonthsByClass[riskClass]) / (2n * step)) * step;
}

/** The amount-weighted average days late as an exact fraction: early payments count as 0, amounts below 0 weigh nothing. */
export function weightedDaysLate(paidInvoices: readonly PaidInvoice[]): { readonly numerator: bigint; readonly denominator: bigint } {
  let numerator = 0n;
  let denominator = 0n;
  for (const invoice of paidInvoices) {
    const weight = invoice.amountMinor > 0n ? invoice.amountMinor : 0n;
    numerator += weight * BigInt(Math.max(0, Math.trunc(invoice.daysLate)));
    denominator += weight;
  }
  return { numerator, denominator };
}

export function scoreCustomer(input: ScoringInput): ScoreResult {
  const currency = input.currency;
  // Refuses an unknown currency before anything is measured.
  currencyExponent(currency);
  const hasHistory = input.paidInvoices.length > 0 || input.openInvoices.length > 0;

  if (!hasHistory) {
    const score = midScoreByClass[input.startingClass];
    const limit = input.limitMinor ?? 0n;
    return {
      score,
      riskClass: input.startingClass,
      recommendedLimitMinor: limit > 0n ? limit : 0n,
      hasHistory: false,
      factors: [
        {
          code: 'no_history',
          label: 'Payment history',
          value: 'no invoices yet',
          points: 0,
          explanation: `No paid or open invoices yet, so the tenant's starting class ${input.startingClass} applies (score ${score}) and the limit in force is kept.`,
        },
      ],
    };
  }

  const factors: ScoreFactor[] = [];
  if (input.paidInvoices.length > 0) {
    factors.push(daysLateFactor(input.paidInvoices), shareLateFactor(input.paidInvoices));
  }
  factors.push(overdueFactor(input.openInvoices, input.monthlyBilledMinor, currency));
  if (input.limitMinor !== null && input.limitMinor > 0n) factors.push(limitUseFactor(input.exposureMinor, input.limitMinor, currency));
  factors.push(tenureFactor(input.customerSince, input.asOf));
  if (input.reversedPayments > 0) factors.push(reversedFactor(input.reversedPayments));

  factors.sort((a, b) => Math.abs(b.points) - Math.abs(a.points) || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  const total = baseScore + factors.reduce((sum, factor) => sum + factor.points, 0);
  const score = Math.min(100, Math.max(0, total));
  const riskClass = classForScore(score);
  return { score, riskClass, recommendedLimitMinor: recommendedLimitFor(riskClass, input.monthlyBilledMinor, currency), hasHistory: true, factors };
}

// ————————————————————————————————————————————— factors

function daysLateFactor(paidInvoices: readonly PaidInvoice[]): ScoreFactor {
  const { numerator, denominator } = weightedDaysLate(paidInvoices);
  // Bands compare the exact fraction numerator ÷ denominator (no weight at all: 0 days).
  const atMost = (days: bigint) => numerator <= days * denominator;
  const points = numerator === 0n ? 10 : atMost(5n) ? 5 : atMost(15n) ? 0 : atMost(30n) ? -10 : atMost(60n) ? -20 : -30;
  const days = denominator === 0n ? '0.0' : tenthsText(roundHalfUp(numerator * 10n, denominator));
  const explanation =
    numerator === 0n
      ? `Paid on time or early, weighted by amount: ${pointsText(points)}.`
      : `Paid ${days} days late on average, weighted by amount: ${pointsText(points)}.`;
  return { code: 'days_late', label: 'Average days paid late (by amount)', value: `${days} days`, points, explanation };
}

function shareLateFactor(paidInvoices: readonly PaidInvoice[]): ScoreFactor {
  const count = BigInt(paidInvoices.length);
  const late = BigInt(paidInvoices.filter((invoice) => invoice.daysLate > 0).length);
  const points = late === 0n ? 5 : late * 10n <= count ? 0 : late * 4n <= count ? -5 : late * 2n <= count ? -10 : -15;
  const percent = roundHalfUp(late * 100n, count);
  const explanation =
    late === 0n
      ? `None of the ${count} paid ${plural(count, 'invoice')} was paid after its due date: ${pointsText(points)}.`
      : `${late} of ${count} paid ${plural(count, 'invoice')} (${percent} %) ${late === 1n ? 'was' : 'were'} paid after the due date: ${pointsText(points)}.`;
  return { code: 'share_late', label: 'Share of invoices paid late', value: `${percent} % (${late} of ${count})`, points, explanation };
}

function overdueFactor(openInvoices: readonly OpenInvoice[], monthlyBilledMinor: bigint, currency: string): ScoreFactor {
  // Overdue: past its due date with something still open.
  const overdue = openInvoices.filter((invoice) => invoice.daysPastDue > 0 && invoice.openMinor > 0n);
  const label = 'Overdue now';
  if (overdue.length === 0) {
    return { code: 'overdue', label, value: 'none', points: 5, explanation: `Nothing is overdue: ${pointsText(5)}.` };
  }
  const amount = overdue.reduce((sum, invoice) => sum + invoice.openMinor, 0n);
  const oldest = Math.max(...overdue.map((invoice) => Math.trunc(invoice.daysPastDue)));
  const agePoints = oldest <= 30 ? -5 : oldest <= 60 ? -15 : oldest <= 90 ? -25 : -35;
  const heavy = monthlyBilledMinor > 0n && amount * 2n > monthlyBilledMinor;
  const points = agePoints + (heavy ? -5 : 0);
  const money = `${formatMinor(amount, currency)} ${currency}`;
  const explanation = heavy
    ? `${money} is overdue, the oldest ${oldest} ${plural(oldest, 'day')} past due (${pointsText(agePoints)}), and that is more than half an average month's billing of ${formatMinor(monthlyBilledMinor, currency)} ${currency} (${pointsText(-5)}): ${pointsText(points)}.`
    : `${money} is overdue, the oldest ${oldest} ${plural(oldest, 'day')} past due: ${pointsText(points)}.`;
  return { code: 'overdue', label, value: `${money}, oldest ${oldest} ${plural(oldest, 'day')}`, points, explanation };
}

function limitUseFactor(exposureMinor: bigint, limitMinor: bigint, currency: string): ScoreFactor {
  // Bands compare exposure ÷ limit exactly: ≤ 1/2, ≤ 4/5, ≤ 1.
  const points = exposureMinor * 2n <= limitMinor ? 5 : exposureMinor * 5n <= limitMinor * 4n ? 0 : exposureMinor <= limitMinor ? -5 : -15;
  const percent = exposureMinor > 0n ? roundHalfUp(exposureMinor * 100n, limitMinor) : 0n;
  const exposure = `${formatMinor(exposureMinor, currency)} ${currency}`;
  const limit = `${formatMinor(limitMinor, currency)} ${currency}`;
  return {
    code: 'limit_use',
    label: 'Credit limit used',
    value: `${percent} % (${formatMinor(exposureMinor, currency)} of ${limit})`,
    points,
    explanation:
      exposureMinor > limitMinor
        ? `The exposure of ${exposure} is over the ${limit} limit (${percent} %): ${pointsText(points)}.`
        : `The exposure of ${exposure} uses ${percent} % of the ${limit} limit: ${pointsText(points)}.`,
  };
}

function tenureFactor(customerSince: BusinessDate, asOf: BusinessDate): ScoreFactor {
  const months = Math.max(0, wholeMonthsBetween(customerSince, asOf));
  const points = months < 6 ? -5 : months < 24 ? 0 : 5;
  const value = `${months} ${plural(months, 'month')}`;
  const why = months < 6 ? 'less than 6 months' : months < 24 ? 'between 6 months and 2 years' : '2 years or more';
  return {
    code: 'tenure',
    label: 'Time as a customer',
    value,
    points,
    explanation: `A customer for ${value} (since ${customerSince}), ${why}: ${pointsText(points)}.`,
  };
}

function reversedFactor(reversed: number): ScoreFactor {
  const points = reversed >= 2 ? -30 : -15;
  return {
    code: 'reversed_payments',
    label: 'Reversed payments (12 months)',
    value: `${reversed}`,
    points,
    explanation: `${reversed} ${plural(reversed, 'payment')} reversed (bounced) in the last 12 months: ${pointsText(points)}.`,
  };
}

// ————————————————————————————————————————————— display

/** numerator ÷ denominator rounded half up, for numerator ≥ 0 and denominator > 0. */
function roundHalfUp(numerator: bigint, denominator: bigint): bigint {
  return (numerator * 2n + denominator) / (denominator * 2n);
}

function tenthsText(tenths: bigint): string {
  return `${tenths / 10n}.${tenths % 10n}`;
}

/** "+5 points", "−10 points" (a true minus sign), "0 points". */
export function pointsText(points: number): string {
  const sign = points > 0 ? '+' : points < 0 ? '\u2212' : '';
  return `${sign}${Math.abs(points)} ${Math.abs(points) === 1 ? 'point' : 'points'}`;
}

function plural(count: number | bigint, word: string): string {
  return count === 1 || count === 1n ? word : `${word}s`;
}
