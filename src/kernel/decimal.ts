import BigConstructor from 'big.js';
import { KernelValueError } from './kernel-error';

/**
 * Exact decimals (quantities, unit prices, rates) on big.js. Values are built from
 * strings or bigints only: strict mode makes big.js refuse a JavaScript number, so
 * no binary float can slip into an amount.
 */
export const Big = BigConstructor();
Big.strict = true;
Big.DP = 30;
export type Decimal = BigConstructor.Big;

/** How a value is rounded at the named places that round. */
export type RoundingMode = 'half_away_from_zero' | 'half_even' | 'toward_zero';

const bigRoundingMode: Record<RoundingMode, BigConstructor.RoundingMode> = {
  toward_zero: 0,
  half_away_from_zero: 1,
  half_even: 2,
};

const decimalPattern = /^(-)?(\d{1,30})(?:\.(\d{1,30}))?$/;

/**
 * Reads a plain decimal string ("12", "-0.125"). Refuses exponents, spaces, a
 * leading "+", and more fractional digits than `maxDecimals`: input is never rounded.
 */
export function parseDecimal(text: string, maxDecimals: number, label = 'value'): Decimal {
  const match = decimalPattern.exec(text);
  if (match === null) {
    throw new KernelValueError('decimal', `${label} must be a decimal string like "12.50", got "${truncate(text)}"`);
  }
  const fraction = match[3] ?? '';
  if (fraction.length > maxDecimals) {
    throw new KernelValueError(
      'precision',
      `${label} "${truncate(text)}" has ${fraction.length} decimals; at most ${maxDecimals} are allowed`,
    );
  }
  return new Big(text);
}

/** Rounds to `decimals` fractional digits with an explicit mode. */
export function roundDecimal(value: Decimal, decimals: number, mode: RoundingMode): Decimal {
  return value.round(decimals, bigRoundingMode[mode]);
}

/** Renders without exponent notation, with exactly `decimals` fractional digits when given. */
export function formatDecimal(value: Decimal, decimals?: number): string {
  return decimals === undefined ? value.toFixed() : value.toFixed(decimals);
}

/** The decimal as an integer count of 10^-scale units; the value must already fit the scale. */
export function decimalToScaledInteger(value: Decimal, scale: number): bigint {
  const scaled = value.times(new Big('10').pow(scale));
  if (!scaled.eq(scaled.round(0, 0))) {
    throw new KernelValueError('precision', `${value.toFixed()} has more than ${scale} decimals`);
  }
  return BigInt(scaled.toFixed(0));
}

export function scaledIntegerToDecimal(units: bigint, scale: number): Decimal {
  return new Big(units.toString()).div(new Big('10').pow(scale));
}

function truncate(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
