import { parseDecimal, formatDecimal, type Decimal } from './decimal';
import { KernelValueError } from './kernel-error';

/** Quantities are exact decimals with at most this many fractional digits (grams of a kilogram, …). */
export const quantityMaxDecimals = 6;

export function parseQuantity(text: string, label = 'quantity'): Decimal {
  return parseDecimal(text, quantityMaxDecimals, label);
}

/** A quantity that must be greater than zero (an order line, a receipt). */
export function parsePositiveQuantity(text: string, label = 'quantity'): Decimal {
  const value = parseQuantity(text, label);
  if (value.lte('0')) {
    throw new KernelValueError('decimal', `${label} must be greater than zero, got "${text}"`);
  }
  return value;
}

/** Canonical text of a quantity: no trailing zeros, no exponent ("2.5", "10"). */
export function formatQuantity(value: Decimal): string {
  return formatDecimal(value);
}
