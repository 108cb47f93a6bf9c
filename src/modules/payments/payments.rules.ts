import { allocateMinor, Big, decimalToMinor, formatMinor, minorToDecimal, percentageOf, type BusinessDate, type Decimal } from '../../kernel';

/** One VAT group of an invoice: its category and rate, what is taxable and its tax. */
export interface TaxGroup {
  readonly categoryCode: string;
  readonly ratePercent: string;
  readonly taxableMinor: bigint;
  readonly taxMinor: bigint;
}

/** The part of a discount (or any gross reduction) that falls on one VAT group: net and VAT. */
export interface DiscountPart {
  readonly categoryCode: string;
  readonly ratePercent: string;
  readonly netMinor: bigint;
  readonly taxMinor: bigint;
}

/**
 * Splits a gross discount over the invoice's VAT groups in proportion to each
 * group's gross (by largest remainder, so the parts add up exactly), then each
 * part into net and VAT at the group's rate. Only standard-rated groups (S) carry
 * VAT back; exempt (E), zero-rated (Z), reverse-charge (AE), intra-EU (K) and
 * export (G, O) groups have none to correct.
 */
export function splitDiscount(groups: readonly TaxGroup[], discountMinor: bigint, currency: string): DiscountPart[] {
  if (discountMinor === 0n) return [];
  const weights = groups.map((group) => group.taxableMinor + group.taxMinor);
  if (groups.length === 0 || weights.every((weight) => weight <= 0n)) return [{ categoryCode: 'O', ratePercent: '0', netMinor: discountMinor, taxMinor: 0n }];
  const shares = allocateMinor(discountMinor, weights.map((weight) => (weight < 0n ? 0n : weight)));
  return groups.flatMap((group, index): DiscountPart[] => {
    const share = shares[index]!;
    if (share === 0n) return [];
    const rate = new Big(group.ratePercent);
    const carriesTax = group.categoryCode === 'S' && rate.gt('0') && group.taxMinor > 0n;
    const taxMinor = carriesTax ? decimalToMinor(minorToDecimal(share, currency).times(rate).div(rate.plus('100')), currency) : 0n;
    return [{ categoryCode: group.categoryCode, ratePercent: group.ratePercent, netMinor: share - taxMinor, taxMinor }];
  });
}

/** What an invoice offers for paying early. */
export interface DiscountTerms {
  readonly discountPercent: string | null;
  readonly discountDeadline: BusinessDate | null;
  /** The invoice after credit notes (gross − credited): the discount is on this gross amount. */
  readonly discountableMinor: bigint;
  /** Discount already granted on the invoice by earlier applications still in force. */
  readonly grantedMinor: bigint;
}

/**
 * The early-payment discount still available to a payment with this value date:
 * the terms' percentage of the invoice's gross (after credit notes), less what was
 * granted before; none after the deadline.
 */
export function availableDiscount(terms: DiscountTerms, valueDate: BusinessDate, currency: string): bigint {
  if (terms.discountPercent === null || terms.discountDeadline === null || valueDate > terms.discountDeadline) return 0n;
  const full = percentageOf({ amountMinor: terms.discountableMinor, currency }, new Big(terms.discountPercent)).amountMinor;
  return full > terms.grantedMinor ? full - terms.grantedMinor : 0n;
}

export interface SettlementRequest {
  /** What is open on the invoice now. */
  readonly openMinor: bigint;
  /** The cash applied, in the invoice's currency. */
  readonly amountMinor: bigint;
  /** availableDiscount for the payment's value date. */
  readonly discountAvailableMinor: bigint;
  readonly takeDiscount: boolean;
  readonly acceptDifference: boolean;
  /** The tenant's tolerance in the invoice's currency. */
  readonly toleranceMinor: bigint;
}

export type Settlement = { readonly ok: true; readonly amountMinor: bigint; readonly discountMinor: bigint; readonly differenceMinor: bigint } | { readonly ok: false; readonly reason: string };

/**
 * How an amount settles an invoice: the cash part, the early-payment discount when
 * the amount covers the discounted balance (less discount when it pays a little
 * more), and, when asked, the rest as an accepted difference within the tolerance.
 */
export function settle(request: SettlementRequest, currency: string): Settlement {
  const { openMinor, amountMinor } = request;
  const show = (minor: bigint) => `${formatMinor(minor, currency)} ${currency}`;
  if (amountMinor < 0n) return { ok: false, reason: 'an amount applied cannot be negative' };
  if (amountMinor > openMinor) return { ok: false, reason: `${show(amountMinor)} is more than the ${show(openMinor)} open` };
  const left = openMinor - amountMinor;
  const discountMinor = request.takeDiscount && request.discountAvailableMinor > 0n ? (left < request.discountAvailableMinor ? left : request.discountAvailableMinor) : 0n;
  const rest = left - discountMinor;
  if (rest === 0n) return { ok: true, amountMinor, discountMinor, differenceMinor: 0n };
  if (request.acceptDifference) {
    // Closing what is left is part of a payment; without one, a balance is written off (with approval).
    if (amountMinor === 0n) return { ok: false, reason: 'a difference is accepted with a payment; ask for a write-off to close a balance without one' };
    if (rest > request.toleranceMinor) return { ok: false, reason: `the difference of ${show(rest)} is more than the tolerance of ${show(request.toleranceMinor)}; apply it as a part payment instead` };
    return { ok: true, amountMinor, discountMinor, differenceMinor: rest };
  }
  // A part payment: the discount is granted only to a payment that covers the discounted balance.
  if (amountMinor === 0n) return { ok: false, reason: 'the application settles nothing: give an amount' };
  return { ok: true, amountMinor, discountMinor: 0n, differenceMinor: 0n };
}

/** Converts an amount between currencies at a rate (units of `to` per unit of `from`), rounded half away from zero. */
export function convertMinor(amountMinor: bigint, from: string, to: string, rate: Decimal): bigint {
  if (from === to) return amountMinor;
  return decimalToMinor(minorToDecimal(amountMinor, from).times(rate), to);
}

/** The rate from one currency to another through the base currency (both rates are to the base). */
export function crossRate(fromToBase: Decimal, toToBase: Decimal): Decimal {
  return fromToBase.div(toToBase);
}

export interface OpenItem {
  readonly id: string;
  readonly dueDate: BusinessDate | null;
  readonly issueDate: BusinessDate;
  readonly number: string;
  readonly openMinor: bigint;
  readonly discountAvailableMinor: bigint;
}

export interface SuggestedApplication {
  readonly invoiceId: string;
  readonly amountMinor: bigint;
  readonly discountMinor: bigint;
}

/**
 * A suggested application of an amount (in the invoices' currency): oldest due
 * first (then oldest issued, then number), each invoice settled in full with its
 * discount where the rest of the money covers the discounted balance, the last
 * one in part; whatever is left stays unapplied.
 */
export function suggestApplications(amountMinor: bigint, items: readonly OpenItem[]): SuggestedApplication[] {
  const ordered = [...items].sort(
    (a, b) => (a.dueDate ?? a.issueDate).localeCompare(b.dueDate ?? b.issueDate) || a.issueDate.localeCompare(b.issueDate) || a.number.localeCompare(b.number),
  );
  let left = amountMinor;
  const suggestions: SuggestedApplication[] = [];
  for (const item of ordered) {
    if (left <= 0n) break;
    if (item.openMinor <= 0n) continue;
    // A discount never settles more than is open, so the cash part is never negative.
    const discountMinor = item.discountAvailableMinor < item.openMinor ? item.discountAvailableMinor : item.openMinor;
    const discounted = item.openMinor - discountMinor;
    if (discountMinor > 0n && left >= discounted) {
      suggestions.push({ invoiceId: item.id, amountMinor: discounted, discountMinor });
      left -= discounted;
    } else {
      const amount = left < item.openMinor ? left : item.openMinor;
      suggestions.push({ invoiceId: item.id, amountMinor: amount, discountMinor: 0n });
      left -= amount;
    }
  }
  return suggestions;
}
