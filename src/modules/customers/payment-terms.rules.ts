import {
  addDays,
  businessDateAt,
  Big,
  daysInMonth,
  parseDecimal,
  percentageOf,
  yearOf,
  type BusinessDate,
  type CurrencyCode,
} from '../../kernel';
import type { FieldIssue } from '../../platform/errors/app-error';

/**
 * Payment terms: when an invoice falls due and until when an early-payment
 * discount may be taken ("2/10 net 30": 2 % within 10 days, the full amount within
 * 30). Pure functions of the terms and the invoice date; no clock, no database.
 */

/**
 * Where the days are counted from. `invoice_date`: the invoice date itself.
 * `end_of_month`: the last day of the invoice's month ("30 days end of month", as
 * commonly agreed in Europe), so every invoice of a month falls due on one day.
 */
export const paymentTermsBases = ['invoice_date', 'end_of_month'] as const;
export type PaymentTermsBasis = (typeof paymentTermsBases)[number];

/** Payment terms as other modules see them. `discountPercent` is a decimal string ("2.00") or null. */
export interface PaymentTermsView {
  id: string;
  code: string;
  name: string;
  netDays: number;
  basis: PaymentTermsBasis;
  discountPercent: string | null;
  discountDays: number | null;
  active: boolean;
  version: number;
}

/** The part of the terms the date and discount rules read. */
export type PaymentTermsRule = Pick<PaymentTermsView, 'netDays' | 'basis' | 'discountPercent' | 'discountDays'>;

export const maxNetDays = 365;
export const discountPercentDecimals = 2;

/** The day the days are counted from. */
export function termsStartDate(basis: PaymentTermsBasis, invoiceDate: BusinessDate): BusinessDate {
  if (basis === 'invoice_date') return invoiceDate;
  const year = yearOf(invoiceDate);
  const month = Number(invoiceDate.slice(5, 7));
  return `${invoiceDate.slice(0, 8)}${String(daysInMonth(year, month)).padStart(2, '0')}`;
}

/** The last day the invoice may be paid in full without being overdue. */
export function dueDate(terms: PaymentTermsRule, invoiceDate: BusinessDate): BusinessDate {
  return addDays(termsStartDate(terms.basis, invoiceDate), terms.netDays);
}

/** The last day a payment still earns the early-payment discount; null when the terms offer none. */
export function discountDeadline(terms: PaymentTermsRule, invoiceDate: BusinessDate): BusinessDate | null {
  if (terms.discountPercent === null || terms.discountDays === null) return null;
  return addDays(termsStartDate(terms.basis, invoiceDate), terms.discountDays);
}

/**
 * The early-payment discount on a gross amount, in minor units of `currency`,
 * rounded half away from zero (by the kernel, the one place that rounds). Zero
 * when the terms offer no discount. The discount is taken on the gross amount; the
 * ledger later splits it into its net and tax parts.
 */
export function discountAmountMinor(terms: PaymentTermsRule, grossMinor: bigint, currency: CurrencyCode): bigint {
  if (terms.discountPercent === null || terms.discountDays === null) return 0n;
  return percentageOf({ amountMinor: grossMinor, currency }, new Big(terms.discountPercent)).amountMinor;
}

/**
 * The invoice date of an invoice issued at `instant`: the calendar day in the
 * tenant's time zone (23:30 UTC on 31 December is already 1 January in Berlin).
 */
export function invoiceDateFor(instant: Date, timeZone: string): BusinessDate {
  return businessDateAt(instant, timeZone);
}

export interface PaymentTermsFields {
  netDays: number;
  basis: PaymentTermsBasis;
  discountPercent: string | null;
  discountDays: number | null;
}

/**
 * Checks a set of terms as a whole: a discount needs both a percentage and a number
 * of days, the percentage lies strictly between 0 and 100 with at most two
 * decimals, and the discount period ends before the net period.
 */
export function checkPaymentTerms(fields: PaymentTermsFields, pathPrefix = 'body'): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const at = (field: string): string => `${pathPrefix}.${field}`;
  if (!Number.isInteger(fields.netDays) || fields.netDays < 0 || fields.netDays > maxNetDays) {
    issues.push({ path: at('netDays'), message: `must be a whole number of days from 0 to ${maxNetDays}` });
  }
  if ((fields.discountPercent === null) !== (fields.discountDays === null)) {
    const missing = fields.discountPercent === null ? 'discountPercent' : 'discountDays';
    issues.push({ path: at(missing), message: 'is needed together with the other discount field (give both or neither)' });
    return issues;
  }
  if (fields.discountPercent !== null) {
    const percentIssue = checkDiscountPercent(fields.discountPercent);
    if (percentIssue !== undefined) issues.push({ path: at('discountPercent'), message: percentIssue });
  }
  if (fields.discountDays !== null) {
    if (!Number.isInteger(fields.discountDays) || fields.discountDays < 0) {
      issues.push({ path: at('discountDays'), message: 'must be a whole number of days, 0 or more' });
    } else if (fields.discountDays >= fields.netDays) {
      issues.push({ path: at('discountDays'), message: `must be fewer than the net days (${fields.netDays})` });
    }
  }
  return issues;
}

function checkDiscountPercent(text: string): string | undefined {
  let value;
  try {
    value = parseDecimal(text, discountPercentDecimals, 'discountPercent');
  } catch {
    return `must be a decimal string with at most ${discountPercentDecimals} decimals, such as "2" or "2.50"`;
  }
  if (value.lte(new Big('0')) || value.gte(new Big('100'))) return 'must be more than 0 and less than 100';
  return undefined;
}

/** The percentage as stored and shown: exactly two decimals ("2.00"). */
export function normaliseDiscountPercent(text: string): string {
  return new Big(text).toFixed(discountPercentDecimals);
}
