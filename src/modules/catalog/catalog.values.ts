import {
  Big,
  currencyExponent,
  formatQuantity,
  isBusinessDate,
  parseDecimal,
  parseQuantity,
  parseUnitPrice,
  type CurrencyCode,
  type Decimal,
} from '../../kernel';
import { invalidValue, readAt } from '../../platform/errors/app-error';

/**
 * Reading and writing the catalog's values at the edge: each reader names the
 * request path of the value it refuses, so a client knows which field to fix.
 */

/** A VAT percentage: 0 up to below 100, at most 4 decimals (numeric(7,4)). */
export function readRatePercent(text: string, path: string): Decimal {
  const rate = readDecimal(() => parseDecimal(text, 4, 'the rate'), path);
  if (rate.lt(new Big('0')) || rate.gte(new Big('100'))) throw invalidValue(path, 'must be a percentage from 0 to below 100');
  return rate;
}

/** A quantity break or order quantity: at most 6 decimals, not negative. */
export function readQuantity(text: string, path: string): Decimal {
  const quantity = readDecimal(() => parseQuantity(text, 'the quantity'), path);
  if (quantity.lt(new Big('0'))) throw invalidValue(path, 'must not be negative');
  return quantity;
}

/** A unit price: not negative, at most the currency's decimals plus four; never rounded. */
export function readUnitPrice(text: string, currency: CurrencyCode, path: string): Decimal {
  const price = readDecimal(() => parseUnitPrice(text, currency, 'the unit price'), path);
  if (price.lt(new Big('0'))) throw invalidValue(path, 'must not be negative');
  return price;
}

/** A validity period from a request body: real dates, the end (if any) not before the start. */
export function checkValidity(validity: { validFrom: string; validTo: string | null }): void {
  readBusinessDate(validity.validFrom, 'body.validFrom');
  if (validity.validTo !== null) {
    readBusinessDate(validity.validTo, 'body.validTo');
    if (validity.validTo < validity.validFrom) throw invalidValue('body.validTo', `must not be before validFrom (${validity.validFrom})`);
  }
}

export function readBusinessDate(text: string, path: string): string {
  if (!isBusinessDate(text)) throw invalidValue(path, 'must be a calendar date YYYY-MM-DD that exists');
  return text;
}

function readDecimal(parse: () => Decimal, path: string): Decimal {
  return readAt(path, parse);
}

/** Canonical text of a rate or quantity read from the database: "19.0000" → "19", "5.5000" → "5.5". */
export function canonicalDecimal(text: string): string {
  return formatQuantity(new Big(text));
}

/**
 * A unit price as text with at least the currency's decimals and no trailing
 * zeros beyond them: "12.50", "0.0125", "1200" (JPY).
 */
export function formatUnitPrice(value: Decimal, currency: CurrencyCode): string {
  const exponent = currencyExponent(currency);
  const plain = value.toFixed();
  const decimals = plain.includes('.') ? plain.length - plain.indexOf('.') - 1 : 0;
  return decimals >= exponent ? plain : value.toFixed(exponent);
}

export const unitPriceText = (text: string, currency: CurrencyCode): string => formatUnitPrice(new Big(text), currency);
