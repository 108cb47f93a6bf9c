import { findCurrencyExponent, type CurrencyCode } from './currencies';
import {
  Big,
  decimalToScaledInteger,
  parseDecimal,
  roundDecimal,
  scaledIntegerToDecimal,
  type Decimal,
  type RoundingMode,
} from './decimal';
import { KernelValueError } from './kernel-error';

/**
 * Money is an integer count of the currency's minor unit (cents for EUR, yen for
 * JPY, fils for KWD) with the currency beside it. All rounding of amounts happens in
 * this file.
 */
export interface Money {
  readonly amountMinor: bigint;
  readonly currency: CurrencyCode;
}

/** Unit prices may carry this many decimals beyond the currency's own (0.0125 EUR). */
export const unitPriceExtraDecimals = 4;

export function currencyExponent(currency: string): number {
  const exponent = findCurrencyExponent(currency);
  if (exponent === undefined) {
    throw new KernelValueError('currency', `"${currency}" is not an ISO 4217 currency code`);
  }
  return exponent;
}

export function money(amountMinor: bigint, currency: CurrencyCode): Money {
  currencyExponent(currency);
  return { amountMinor, currency };
}

/** Reads "1234.50" in major units; more decimals than the currency has is refused. */
export function parseMoney(text: string, currency: CurrencyCode, label = 'amount'): Money {
  const exponent = currencyExponent(currency);
  const value = parseDecimal(text, exponent, label);
  return { amountMinor: decimalToScaledInteger(value, exponent), currency };
}

/** Writes the amount in major units with exactly the currency's decimals ("1234.50", "-0.05", "120"). */
export function formatMoney(value: Money): string {
  return formatMinor(value.amountMinor, value.currency);
}

export function formatMinor(amountMinor: bigint, currency: CurrencyCode): string {
  const exponent = currencyExponent(currency);
  const negative = amountMinor < 0n;
  const digits = (negative ? -amountMinor : amountMinor).toString().padStart(exponent + 1, '0');
  const whole = digits.slice(0, digits.length - exponent);
  const fraction = digits.slice(digits.length - exponent);
  return `${negative ? '-' : ''}${whole}${exponent > 0 ? `.${fraction}` : ''}`;
}

export function addMoney(a: Money, b: Money): Money {
  assertSameCurrency(a, b);
  return { amountMinor: a.amountMinor + b.amountMinor, currency: a.currency };
}

export function subtractMoney(a: Money, b: Money): Money {
  assertSameCurrency(a, b);
  return { amountMinor: a.amountMinor - b.amountMinor, currency: a.currency };
}

export function sumMoney(values: readonly Money[], currency: CurrencyCode): Money {
  let total = 0n;
  for (const value of values) {
    assertSameCurrency(value, { amountMinor: 0n, currency });
    total += value.amountMinor;
  }
  return { amountMinor: total, currency };
}

export function assertSameCurrency(a: Money, b: Money): void {
  if (a.currency !== b.currency) {
    throw new KernelValueError('currency_mismatch', `cannot combine ${a.currency} with ${b.currency}`);
  }
}

/** Reads a unit price: up to the currency's decimals plus four ("0.0125" EUR). */
export function parseUnitPrice(text: string, currency: CurrencyCode, label = 'unit price'): Decimal {
  return parseDecimal(text, currencyExponent(currency) + unitPriceExtraDecimals, label);
}

/** Writes a unit price with at least the currency's decimals ("4.40", "0.0125", "95.00"). */
export function formatUnitPrice(price: Decimal, currency: CurrencyCode): string {
  const exponent = currencyExponent(currency);
  const decimals = Math.max(exponent, (price.toFixed().split('.')[1] ?? '').length);
  return price.toFixed(decimals);
}

/**
 * Converts an exact decimal amount in major units to minor units of the currency,
 * rounding at this one named place.
 */
export function decimalToMinor(value: Decimal, currency: CurrencyCode, mode: RoundingMode = 'half_away_from_zero'): bigint {
  const exponent = currencyExponent(currency);
  return decimalToScaledInteger(roundDecimal(value, exponent, mode), exponent);
}

export function minorToDecimal(amountMinor: bigint, currency: CurrencyCode): Decimal {
  return scaledIntegerToDecimal(amountMinor, currencyExponent(currency));
}

/** A line amount: unit price × quantity, rounded to the currency (half away from zero unless told). */
export function lineAmountMinor(
  unitPrice: Decimal,
  quantity: Decimal,
  currency: CurrencyCode,
  mode: RoundingMode = 'half_away_from_zero',
): bigint {
  return decimalToMinor(unitPrice.times(quantity), currency, mode);
}

/** An amount times a rate (a tax rate of "0.19", an exchange rate), rounded to `currency`. */
export function multiplyMoney(
  value: Money,
  rate: Decimal,
  currency: CurrencyCode = value.currency,
  mode: RoundingMode = 'half_away_from_zero',
): Money {
  const product = minorToDecimal(value.amountMinor, value.currency).times(rate);
  return { amountMinor: decimalToMinor(product, currency, mode), currency };
}

/** A percentage ("19", "2.5") of an amount, rounded to the currency. */
export function percentageOf(value: Money, percent: Decimal, mode: RoundingMode = 'half_away_from_zero'): Money {
  return multiplyMoney(value, percent.div(new Big('100')), value.currency, mode);
}

/**
 * Splits `totalMinor` over non-negative integer weights by the largest-remainder
 * method: each part gets the floor of its exact share, and the units left over go,
 * one each, to the parts with the largest remainders (earlier parts win ties). The
 * parts always add up to the total exactly.
 */
export function allocateMinor(totalMinor: bigint, weights: readonly bigint[]): bigint[] {
  if (weights.length === 0) {
    throw new KernelValueError('allocation', 'cannot allocate over no weights');
  }
  let weightSum = 0n;
  for (const weight of weights) {
    if (weight < 0n) throw new KernelValueError('allocation', 'allocation weights must not be negative');
    weightSum += weight;
  }
  if (weightSum === 0n) {
    throw new KernelValueError('allocation', 'allocation weights must not all be zero');
  }
  const sign = totalMinor < 0n ? -1n : 1n;
  const magnitude = totalMinor * sign;
  const parts = weights.map((weight) => (magnitude * weight) / weightSum);
  const remainders = weights.map((weight, index) => ({ index, remainder: (magnitude * weight) % weightSum }));
  let leftover = magnitude - parts.reduce((sum, part) => sum + part, 0n);
  remainders.sort((a, b) => (a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1));
  for (let position = 0; leftover > 0n; position += 1, leftover -= 1n) {
    const target = remainders[position % remainders.length]!;
    parts[target.index]! += 1n;
  }
  return parts.map((part) => part * sign);
}

export function allocateMoney(total: Money, weights: readonly bigint[]): Money[] {
  return allocateMinor(total.amountMinor, weights).map((amountMinor) => ({ amountMinor, currency: total.currency }));
}
