import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, Big, currencyExponent, minorToDecimal, type Decimal } from '../../../src/kernel';
import {
  availableDiscount,
  convertMinor,
  crossRate,
  settle,
  splitDiscount,
  suggestApplications,
  type DiscountTerms,
  type OpenItem,
  type SettlementRequest,
  type TaxGroup,
} from '../../../src/modules/payments/payments.rules';

/** Currencies with 0, 2 and 3 decimals. */
const currencies = ['JPY', 'EUR', 'KWD'] as const;
const currency = fc.constantFrom(...currencies);

const group = (categoryCode: string, ratePercent: string, taxableMinor: bigint, taxMinor: bigint): TaxGroup => ({ categoryCode, ratePercent, taxableMinor, taxMinor });
const sum = (values: readonly bigint[]) => values.reduce((total, value) => total + value, 0n);

/** The exact value of a decimal in minor units of a currency (no rounding). */
const inMinor = (value: Decimal, code: string) => value.times(new Big('10').pow(currencyExponent(code)));
/** |minor − exact| in minor units, as a decimal. */
const distance = (minor: bigint, exact: Decimal) => new Big(minor.toString()).minus(exact).abs();

// ————————————————————————————————————————————— splitDiscount

describe('splitDiscount', () => {
  it('splits a discount on one standard-rated group into net and the VAT it contains', () => {
    // 2 % of 119.00 gross = 2.38, of which 19/119 is VAT: 0.38.
    expect(splitDiscount([group('S', '19', 10_000n, 1_900n)], 238n, 'EUR')).toEqual([{ categoryCode: 'S', ratePercent: '19', netMinor: 200n, taxMinor: 38n }]);
  });

  it('shares the discount over the groups in proportion to their gross, by largest remainder', () => {
    // Gross 119.00 (19 %) and 52.43 (7 %) = 171.43; 3.43 off: 2.381… and 1.049… → 2.38 and 1.05 (the larger remainder takes the cent).
    const parts = splitDiscount([group('S', '19', 10_000n, 1_900n), group('S', '7', 4_900n, 343n)], 343n, 'EUR');
    expect(parts).toEqual([
      { categoryCode: 'S', ratePercent: '19', netMinor: 200n, taxMinor: 38n },
      // 1.05 × 7/107 = 0.0686… → 0.07.
      { categoryCode: 'S', ratePercent: '7', netMinor: 98n, taxMinor: 7n },
    ]);
    expect(sum(parts.map((part) => part.netMinor + part.taxMinor))).toBe(343n);
  });

  it('gives an exempt group its share without VAT beside a standard-rated one', () => {
    // 119.00 with 19 % VAT and 390.00 exempt training: 10.18 off splits 2.38 / 7.80 exactly.
    expect(splitDiscount([group('S', '19', 10_000n, 1_900n), group('E', '0', 39_000n, 0n)], 1_018n, 'EUR')).toEqual([
      { categoryCode: 'S', ratePercent: '19', netMinor: 200n, taxMinor: 38n },
      { categoryCode: 'E', ratePercent: '0', netMinor: 780n, taxMinor: 0n },
    ]);
  });

  it.each(['E', 'Z', 'AE', 'K', 'G', 'O'])('corrects no VAT for category %s, whatever rate it names', (categoryCode) => {
    expect(splitDiscount([group(categoryCode, '0', 10_000n, 0n)], 200n, 'EUR')).toEqual([{ categoryCode, ratePercent: '0', netMinor: 200n, taxMinor: 0n }]);
    // Even a group that names a rate and carries tax is not standard-rated: nothing to correct.
    expect(splitDiscount([group(categoryCode, '19', 10_000n, 1_900n)], 238n, 'EUR')).toEqual([{ categoryCode, ratePercent: '19', netMinor: 238n, taxMinor: 0n }]);
  });

  it('corrects no VAT for a standard group at 0 % or with no tax', () => {
    expect(splitDiscount([group('S', '0', 10_000n, 0n)], 200n, 'EUR')).toEqual([{ categoryCode: 'S', ratePercent: '0', netMinor: 200n, taxMinor: 0n }]);
    expect(splitDiscount([group('S', '19', 10_000n, 0n)], 200n, 'EUR')).toEqual([{ categoryCode: 'S', ratePercent: '19', netMinor: 200n, taxMinor: 0n }]);
  });

  it('rounds the VAT part half away from zero at the currency’s decimals', () => {
    // 0.03 × 19/119 = 0.0047… → 0.00; 0.04 × 19/119 = 0.0063… → 0.01.
    expect(splitDiscount([group('S', '19', 10_000n, 1_900n)], 3n, 'EUR')).toEqual([{ categoryCode: 'S', ratePercent: '19', netMinor: 3n, taxMinor: 0n }]);
    expect(splitDiscount([group('S', '19', 10_000n, 1_900n)], 4n, 'EUR')).toEqual([{ categoryCode: 'S', ratePercent: '19', netMinor: 3n, taxMinor: 1n }]);
    // 0.21 × 10/110 = 0.019090… → 0.02; 0.11 × 10/110 = 0.01 exactly.
    expect(splitDiscount([group('S', '10', 10_000n, 1_000n)], 21n, 'EUR')).toEqual([{ categoryCode: 'S', ratePercent: '10', netMinor: 19n, taxMinor: 2n }]);
    expect(splitDiscount([group('S', '10', 10_000n, 1_000n)], 11n, 'EUR')).toEqual([{ categoryCode: 'S', ratePercent: '10', netMinor: 10n, taxMinor: 1n }]);
  });

  it('works in currencies without and with three decimals', () => {
    // ¥11,000 at 10 %: ¥220 off holds ¥20 VAT.
    expect(splitDiscount([group('S', '10', 10_000n, 1_000n)], 220n, 'JPY')).toEqual([{ categoryCode: 'S', ratePercent: '10', netMinor: 200n, taxMinor: 20n }]);
    // ¥5 off at 10 %: 0.4545… → ¥0; ¥6 off: 0.5454… → ¥1.
    expect(splitDiscount([group('S', '10', 10_000n, 1_000n)], 5n, 'JPY')).toEqual([{ categoryCode: 'S', ratePercent: '10', netMinor: 5n, taxMinor: 0n }]);
    expect(splitDiscount([group('S', '10', 10_000n, 1_000n)], 6n, 'JPY')).toEqual([{ categoryCode: 'S', ratePercent: '10', netMinor: 5n, taxMinor: 1n }]);
    // KWD 105.000 at 5 %: 2.100 off holds 0.100 VAT.
    expect(splitDiscount([group('S', '5', 100_000n, 5_000n)], 2_100n, 'KWD')).toEqual([{ categoryCode: 'S', ratePercent: '5', netMinor: 2_000n, taxMinor: 100n }]);
  });

  it('leaves out groups whose share is nothing, and splits nothing for no discount', () => {
    expect(splitDiscount([group('S', '19', 10_000n, 1_900n), group('S', '7', 0n, 0n)], 238n, 'EUR')).toEqual([{ categoryCode: 'S', ratePercent: '19', netMinor: 200n, taxMinor: 38n }]);
    expect(splitDiscount([group('S', '19', 10_000n, 1_900n)], 0n, 'EUR')).toEqual([]);
  });

  it('puts a discount on a document without a positive group on one part outside VAT', () => {
    expect(splitDiscount([], 150n, 'EUR')).toEqual([{ categoryCode: 'O', ratePercent: '0', netMinor: 150n, taxMinor: 0n }]);
    expect(splitDiscount([group('S', '19', 0n, 0n)], 150n, 'EUR')).toEqual([{ categoryCode: 'O', ratePercent: '0', netMinor: 150n, taxMinor: 0n }]);
  });

  const categories = ['S', 'E', 'Z', 'AE', 'K', 'G', 'O'] as const;
  const rates = ['0', '5', '7', '10', '19', '21', '25.5'] as const;
  const groups = fc
    .uniqueArray(
      fc.record({ categoryCode: fc.constantFrom(...categories), ratePercent: fc.constantFrom(...rates), taxableMinor: fc.bigInt({ min: 0n, max: 10n ** 10n }) }),
      { minLength: 1, maxLength: 6, selector: (entry) => `${entry.categoryCode} ${entry.ratePercent}` },
    )
    .map((entries) =>
      entries.map((entry): TaxGroup => {
        const taxed = entry.categoryCode === 'S' && entry.ratePercent !== '0';
        // The group's VAT as a document would state it: taxable × rate, rounded.
        const taxMinor = taxed ? BigInt(new Big(entry.taxableMinor.toString()).times(entry.ratePercent).div('100').round(0, Big.roundHalfUp).toFixed(0)) : 0n;
        return { ...entry, taxMinor };
      }),
    )
    .filter((entries) => entries.some((entry) => entry.taxableMinor + entry.taxMinor > 0n));

  it('always adds up to the discount, shares it by gross, and corrects VAT only on standard-rated groups (property)', () => {
    fc.assert(
      fc.property(groups, fc.double({ min: 0, max: 1, noNaN: true }), currency, (taxGroups, fraction, code) => {
        const grossMinor = sum(taxGroups.map((entry) => entry.taxableMinor + entry.taxMinor));
        const discountMinor = 1n + BigInt(new Big(String(fraction)).times((grossMinor - 1n).toString()).round(0, Big.roundDown).toFixed(0));
        const parts = splitDiscount(taxGroups, discountMinor, code);
        expect(sum(parts.map((part) => part.netMinor + part.taxMinor))).toBe(discountMinor);
        for (const part of parts) {
          const source = taxGroups.find((entry) => entry.categoryCode === part.categoryCode && entry.ratePercent === part.ratePercent)!;
          expect(source).toBeDefined();
          const share = part.netMinor + part.taxMinor;
          // Largest remainder: each share is its exact proportion rounded down or up.
          const exact = new Big(discountMinor.toString()).times((source.taxableMinor + source.taxMinor).toString()).div(grossMinor.toString());
          expect(distance(share, exact).lt('1')).toBe(true);
          expect(share > 0n && part.taxMinor >= 0n && part.netMinor >= 0n).toBe(true);
          if (part.categoryCode !== 'S' || part.ratePercent === '0' || source.taxMinor === 0n) {
            expect(part.taxMinor).toBe(0n);
          } else {
            // The VAT a gross share contains: share × rate / (100 + rate), rounded to the currency.
            const rate = new Big(part.ratePercent);
            expect(distance(part.taxMinor, new Big(share.toString()).times(rate).div(rate.plus('100'))).lte('0.5')).toBe(true);
          }
        }
        // Every group with a share is there: no part of the discount falls on a group of no gross.
        const named = new Set(parts.map((part) => `${part.categoryCode} ${part.ratePercent}`));
        for (const entry of taxGroups) if (entry.taxableMinor + entry.taxMinor === 0n) expect(named.has(`${entry.categoryCode} ${entry.ratePercent}`)).toBe(false);
      }),
      { numRuns: 500 },
    );
  });
});

// ————————————————————————————————————————————— availableDiscount

describe('availableDiscount', () => {
  const terms = (overrides: Partial<DiscountTerms> = {}): DiscountTerms => ({ discountPercent: '2', discountDeadline: '2026-03-30', discountableMinor: 11_900n, grantedMinor: 0n, ...overrides });

  it('offers the percentage of the gross up to and including the deadline, nothing the day after', () => {
    expect(availableDiscount(terms(), '2026-03-20', 'EUR')).toBe(238n);
    expect(availableDiscount(terms(), '2026-03-29', 'EUR')).toBe(238n);
    expect(availableDiscount(terms(), '2026-03-30', 'EUR')).toBe(238n);
    expect(availableDiscount(terms(), '2026-03-31', 'EUR')).toBe(0n);
    expect(availableDiscount(terms(), '2027-01-01', 'EUR')).toBe(0n);
  });

  it('offers nothing without a percentage or a deadline', () => {
    expect(availableDiscount(terms({ discountPercent: null }), '2026-03-20', 'EUR')).toBe(0n);
    expect(availableDiscount(terms({ discountDeadline: null }), '2026-03-20', 'EUR')).toBe(0n);
  });

  it('takes the percentage of what credit notes left of the invoice', () => {
    // 119.00 invoiced, 59.50 credited: 2 % of 59.50 = 1.19.
    expect(availableDiscount(terms({ discountableMinor: 11_900n - 5_950n }), '2026-03-20', 'EUR')).toBe(119n);
    expect(availableDiscount(terms({ discountableMinor: 0n }), '2026-03-20', 'EUR')).toBe(0n);
  });

  it('subtracts what earlier applications granted, never going below nothing', () => {
    expect(availableDiscount(terms({ grantedMinor: 100n }), '2026-03-20', 'EUR')).toBe(138n);
    expect(availableDiscount(terms({ grantedMinor: 237n }), '2026-03-20', 'EUR')).toBe(1n);
    expect(availableDiscount(terms({ grantedMinor: 238n }), '2026-03-20', 'EUR')).toBe(0n);
    // More granted than the terms now give (the invoice was credited since): nothing more, not a negative discount.
    expect(availableDiscount(terms({ discountableMinor: 5_950n, grantedMinor: 238n }), '2026-03-20', 'EUR')).toBe(0n);
  });

  it('rounds half away from zero in currencies with 0, 2 and 3 decimals', () => {
    // 2 % of 0.25 = 0.005 → 0.01; of 0.24 = 0.0048 → 0.00.
    expect(availableDiscount(terms({ discountableMinor: 25n }), '2026-03-20', 'EUR')).toBe(1n);
    expect(availableDiscount(terms({ discountableMinor: 24n }), '2026-03-20', 'EUR')).toBe(0n);
    // 2 % of ¥1,049 = ¥20.98 → ¥21; of ¥25 = ¥0.5 → ¥1.
    expect(availableDiscount(terms({ discountableMinor: 1_049n }), '2026-03-20', 'JPY')).toBe(21n);
    expect(availableDiscount(terms({ discountableMinor: 25n }), '2026-03-20', 'JPY')).toBe(1n);
    // 2.5 % of KWD 1.001 = 0.025025 → 0.025; of KWD 0.020 = 0.0005 → 0.001.
    expect(availableDiscount(terms({ discountPercent: '2.5', discountableMinor: 1_001n }), '2026-03-20', 'KWD')).toBe(25n);
    expect(availableDiscount(terms({ discountPercent: '2.5', discountableMinor: 20n }), '2026-03-20', 'KWD')).toBe(1n);
  });

  it('never offers more than the full discount, never less than nothing, and nothing after the deadline (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('0.5', '1', '2', '2.5', '3', '10'),
        fc.bigInt({ min: 0n, max: 10n ** 12n }),
        fc.bigInt({ min: 0n, max: 10n ** 11n }),
        fc.integer({ min: -40, max: 40 }),
        currency,
        (percent, discountableMinor, grantedMinor, offsetDays, code) => {
          const deadline = '2026-06-15';
          const valueDate = addDays(deadline, offsetDays);
          const available = availableDiscount({ discountPercent: percent, discountDeadline: deadline, discountableMinor, grantedMinor }, valueDate, code);
          const full = availableDiscount({ discountPercent: percent, discountDeadline: deadline, discountableMinor, grantedMinor: 0n }, deadline, code);
          expect(available >= 0n).toBe(true);
          expect(distance(full, inMinor(minorToDecimal(discountableMinor, code).times(percent).div('100'), code)).lte('0.5')).toBe(true);
          if (offsetDays > 0) expect(available).toBe(0n);
          else expect(available).toBe(full > grantedMinor ? full - grantedMinor : 0n);
        },
      ),
      { numRuns: 500 },
    );
  });
});

// ————————————————————————————————————————————— settle

describe('settle', () => {
  const request = (overrides: Partial<SettlementRequest> = {}): SettlementRequest => ({
    openMinor: 11_900n,
    amountMinor: 11_900n,
    discountAvailableMinor: 238n,
    takeDiscount: true,
    acceptDifference: false,
    toleranceMinor: 500n,
    ...overrides,
  });

  it('settles in full with the exact open amount and grants no discount it does not need', () => {
    expect(settle(request(), 'EUR')).toEqual({ ok: true, amountMinor: 11_900n, discountMinor: 0n, differenceMinor: 0n });
  });

  it('grants the discount to a payment of the discounted balance', () => {
    expect(settle(request({ amountMinor: 11_662n }), 'EUR')).toEqual({ ok: true, amountMinor: 11_662n, discountMinor: 238n, differenceMinor: 0n });
  });

  it('grants less discount to a payment of a little more than the discounted balance', () => {
    expect(settle(request({ amountMinor: 11_700n }), 'EUR')).toEqual({ ok: true, amountMinor: 11_700n, discountMinor: 200n, differenceMinor: 0n });
    expect(settle(request({ amountMinor: 11_899n }), 'EUR')).toEqual({ ok: true, amountMinor: 11_899n, discountMinor: 1n, differenceMinor: 0n });
  });

  it('treats a payment short of the discounted balance as a part payment, without discount', () => {
    expect(settle(request({ amountMinor: 11_661n }), 'EUR')).toEqual({ ok: true, amountMinor: 11_661n, discountMinor: 0n, differenceMinor: 0n });
    expect(settle(request({ amountMinor: 1n }), 'EUR')).toEqual({ ok: true, amountMinor: 1n, discountMinor: 0n, differenceMinor: 0n });
  });

  it('grants no discount when told not to, or when none is available', () => {
    expect(settle(request({ amountMinor: 11_662n, takeDiscount: false }), 'EUR')).toEqual({ ok: true, amountMinor: 11_662n, discountMinor: 0n, differenceMinor: 0n });
    expect(settle(request({ amountMinor: 11_662n, discountAvailableMinor: 0n }), 'EUR')).toEqual({ ok: true, amountMinor: 11_662n, discountMinor: 0n, differenceMinor: 0n });
  });

  it('books the rest as an accepted difference when asked and within the tolerance, the limit included', () => {
    expect(settle(request({ amountMinor: 11_800n, takeDiscount: false, acceptDifference: true }), 'EUR')).toEqual({ ok: true, amountMinor: 11_800n, discountMinor: 0n, differenceMinor: 100n });
    // Without any cash, a small balance is not closed as a difference: that is a write-off, with its approval.
    expect(settle(request({ amountMinor: 0n, takeDiscount: false, acceptDifference: true, toleranceMinor: 1_000_000n }), 'EUR')).toMatchObject({ ok: false, reason: expect.stringContaining('write-off') });
    expect(settle(request({ amountMinor: 11_400n, takeDiscount: false, acceptDifference: true }), 'EUR')).toEqual({ ok: true, amountMinor: 11_400n, discountMinor: 0n, differenceMinor: 500n });
    // With the discount: 116.00 pays the 116.62 discounted balance less a 0.62 bank fee.
    expect(settle(request({ amountMinor: 11_600n, acceptDifference: true }), 'EUR')).toEqual({ ok: true, amountMinor: 11_600n, discountMinor: 238n, differenceMinor: 62n });
    // Nothing left over: no difference is booked even when accepted.
    expect(settle(request({ amountMinor: 11_662n, acceptDifference: true }), 'EUR')).toEqual({ ok: true, amountMinor: 11_662n, discountMinor: 238n, differenceMinor: 0n });
  });

  it('refuses a difference beyond the tolerance, saying both amounts', () => {
    expect(settle(request({ amountMinor: 11_399n, takeDiscount: false, acceptDifference: true }), 'EUR')).toEqual({
      ok: false,
      reason: 'the difference of 5.01 EUR is more than the tolerance of 5.00 EUR; apply it as a part payment instead',
    });
    expect(settle(request({ amountMinor: 11_000n, acceptDifference: true, toleranceMinor: 0n }), 'EUR')).toEqual({
      ok: false,
      reason: 'the difference of 6.62 EUR is more than the tolerance of 0.00 EUR; apply it as a part payment instead',
    });
  });

  it('refuses more than is open, naming both amounts in the currency’s decimals', () => {
    expect(settle(request({ amountMinor: 11_901n }), 'EUR')).toEqual({ ok: false, reason: '119.01 EUR is more than the 119.00 EUR open' });
    expect(settle(request({ openMinor: 1_000n, amountMinor: 1_001n }), 'JPY')).toEqual({ ok: false, reason: '1001 JPY is more than the 1000 JPY open' });
    expect(settle(request({ openMinor: 1_000n, amountMinor: 1_001n }), 'KWD')).toEqual({ ok: false, reason: '1.001 KWD is more than the 1.000 KWD open' });
  });

  it('refuses a negative amount and an application that settles nothing', () => {
    expect(settle(request({ amountMinor: -1n }), 'EUR')).toEqual({ ok: false, reason: 'an amount applied cannot be negative' });
    expect(settle(request({ amountMinor: 0n, takeDiscount: false }), 'EUR')).toEqual({ ok: false, reason: 'the application settles nothing: give an amount' });
    expect(settle(request({ amountMinor: 0n }), 'EUR')).toEqual({ ok: false, reason: 'the application settles nothing: give an amount' });
  });

  it('closes what an earlier part payment of the discounted balance left with the discount alone', () => {
    // 116.62 paid in part before; the 2.38 left is the discount the payment earned.
    expect(settle(request({ openMinor: 238n, amountMinor: 0n }), 'EUR')).toEqual({ ok: true, amountMinor: 0n, discountMinor: 238n, differenceMinor: 0n });
  });

  const requests = fc
    .record({
      openMinor: fc.bigInt({ min: 1n, max: 10n ** 12n }),
      amountShare: fc.oneof(fc.constant(1), fc.constant(0), fc.double({ min: 0, max: 1.05, noNaN: true })),
      discountShare: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 0.1, noNaN: true })),
      nearOpen: fc.bigInt({ min: -1_000n, max: 5n }),
      near: fc.boolean(),
      takeDiscount: fc.boolean(),
      acceptDifference: fc.boolean(),
      toleranceMinor: fc.bigInt({ min: 0n, max: 1_000n }),
    })
    .map((draft): SettlementRequest => {
      const scaled = (share: number) => BigInt(new Big(String(share)).times(draft.openMinor.toString()).round(0, Big.roundDown).toFixed(0));
      const discountAvailableMinor = scaled(draft.discountShare);
      // Amounts near the open and the discounted balance are where the rules turn.
      const amountMinor = draft.near ? draft.openMinor - discountAvailableMinor + draft.nearOpen : scaled(draft.amountShare);
      return { openMinor: draft.openMinor, amountMinor, discountAvailableMinor, takeDiscount: draft.takeDiscount, acceptDifference: draft.acceptDifference, toleranceMinor: draft.toleranceMinor };
    });

  it('never over-applies, grants a discount only to a payment covering the discounted balance, and a difference only within the tolerance (property)', () => {
    fc.assert(
      fc.property(requests, currency, (settlement, code) => {
        const outcome = settle(settlement, code);
        const { openMinor, amountMinor, discountAvailableMinor, toleranceMinor } = settlement;
        if (!outcome.ok) {
          const discount = settlement.takeDiscount ? (discountAvailableMinor < openMinor - amountMinor ? discountAvailableMinor : openMinor - amountMinor) : 0n;
          const rest = openMinor - amountMinor - discount;
          const reasons = [amountMinor < 0n, amountMinor > openMinor, settlement.acceptDifference && rest > toleranceMinor, amountMinor === 0n && rest > 0n];
          expect(reasons.some(Boolean), `refused ${JSON.stringify(outcome)}`).toBe(true);
          return;
        }
        expect(outcome.amountMinor).toBe(amountMinor);
        const settled = outcome.amountMinor + outcome.discountMinor + outcome.differenceMinor;
        expect(settled <= openMinor).toBe(true);
        expect(outcome.discountMinor >= 0n && outcome.differenceMinor >= 0n && outcome.amountMinor >= 0n).toBe(true);
        expect(settled > 0n).toBe(true);
        if (settled < openMinor) {
          // A part payment: cash only.
          expect([outcome.discountMinor, outcome.differenceMinor]).toEqual([0n, 0n]);
          expect(settlement.acceptDifference).toBe(false);
        }
        expect(outcome.discountMinor <= discountAvailableMinor).toBe(true);
        if (outcome.discountMinor > 0n) {
          expect(settlement.takeDiscount).toBe(true);
          expect(settled).toBe(openMinor);
          // The cash (and, when accepted, the difference) covers the discounted balance.
          expect(outcome.amountMinor + outcome.differenceMinor >= openMinor - discountAvailableMinor).toBe(true);
        }
        if (outcome.differenceMinor > 0n) {
          expect(settlement.acceptDifference).toBe(true);
          expect(outcome.differenceMinor <= toleranceMinor).toBe(true);
        }
        // A payment of the discounted balance or more is never left open by the discount it could take.
        if (settlement.takeDiscount && amountMinor >= openMinor - discountAvailableMinor) expect(settled).toBe(openMinor);
      }),
      { numRuns: 2_000 },
    );
  });
});

// ————————————————————————————————————————————— convertMinor, crossRate

describe('convertMinor', () => {
  it('converts at a rate of units of the target per unit of the source, rounded to the target’s decimals', () => {
    expect(convertMinor(10_000n, 'USD', 'EUR', new Big('0.9210'))).toBe(9_210n);
    expect(convertMinor(12_345n, 'USD', 'EUR', new Big('0.9210'))).toBe(11_370n); // 113.69745 → 113.70
    expect(convertMinor(1_000n, 'JPY', 'EUR', new Big('0.0062'))).toBe(620n); // ¥1,000 → 6.20
    expect(convertMinor(1_234n, 'EUR', 'JPY', new Big('161.235'))).toBe(1_990n); // 12.34 × 161.235 = 1989.63 → ¥1,990
    expect(convertMinor(1_234n, 'KWD', 'EUR', new Big('2.98'))).toBe(368n); // 1.234 × 2.98 = 3.67732 → 3.68
    expect(convertMinor(368n, 'EUR', 'KWD', new Big('0.3356'))).toBe(1_235n); // 3.68 × 0.3356 = 1.235008 → 1.235
  });

  it('rounds halves away from zero, negative amounts too', () => {
    expect(convertMinor(1n, 'USD', 'EUR', new Big('0.5'))).toBe(1n);
    expect(convertMinor(-1n, 'USD', 'EUR', new Big('0.5'))).toBe(-1n);
    expect(convertMinor(1n, 'EUR', 'JPY', new Big('50'))).toBe(1n); // 0.01 × 50 = ¥0.5
    expect(convertMinor(1n, 'EUR', 'JPY', new Big('49.99'))).toBe(0n);
  });

  it('leaves an amount in its own currency alone, whatever the rate says', () => {
    expect(convertMinor(12_345n, 'EUR', 'EUR', new Big('0.9210'))).toBe(12_345n);
    expect(convertMinor(7n, 'JPY', 'JPY', new Big('3'))).toBe(7n);
  });

  it('is the exact product rounded once, odd around zero and monotone (property)', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 13n), max: 10n ** 13n }),
        fc.bigInt({ min: 0n, max: 10n ** 6n }),
        currency,
        currency.filter((code) => code !== 'EUR'),
        fc.constantFrom('0.0062', '0.9210', '1', '1.1655', '2.98', '161.235', '0.000001', '1234.5678'),
        (amountMinor, stepMinor, from, to, rateText) => {
          const rate = new Big(rateText);
          const converted = convertMinor(amountMinor, from, to, rate);
          if (from === to) {
            expect(converted).toBe(amountMinor);
            return;
          }
          expect(distance(converted, inMinor(minorToDecimal(amountMinor, from).times(rate), to)).lte('0.5')).toBe(true);
          expect(convertMinor(-amountMinor, from, to, rate)).toBe(-converted);
          expect(convertMinor(amountMinor + stepMinor, from, to, rate) >= converted).toBe(true);
        },
      ),
      { numRuns: 1_000 },
    );
  });
});

describe('crossRate', () => {
  it('goes from one currency to another through the base', () => {
    expect(crossRate(new Big('2'), new Big('4')).toFixed()).toBe('0.5');
    // USD→EUR 0.9210 and GBP→EUR 1.1655: one USD is 0.79022… GBP.
    const usdToGbp = crossRate(new Big('0.9210'), new Big('1.1655'));
    expect(usdToGbp.round(8).toFixed()).toBe('0.79021879');
    expect(crossRate(new Big('0.9210'), new Big('1')).toFixed()).toBe('0.921');
    expect(crossRate(new Big('1.1655'), new Big('1.1655')).toFixed()).toBe('1');
  });

  it('converts through the cross rate as through the base, within a minor unit (property)', () => {
    const rates = fc.constantFrom('0.0062', '0.0871', '0.1341', '0.9210', '1.0642', '1.1655', '2.98');
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 12n }), rates, rates, (amountMinor, fromText, toText) => {
        const direct = convertMinor(amountMinor, 'USD', 'GBP', crossRate(new Big(fromText), new Big(toText)));
        const exact = inMinor(minorToDecimal(amountMinor, 'USD').times(fromText).div(toText), 'GBP');
        expect(distance(direct, exact).lte('0.5000001')).toBe(true);
        // Back again at the inverse cross rate: where it started, within the rounding of both legs.
        const back = convertMinor(direct, 'GBP', 'USD', crossRate(new Big(toText), new Big(fromText)));
        const slack = new Big(toText).div(fromText).div('2').plus('0.5000001');
        expect(distance(back, new Big(amountMinor.toString())).lte(slack)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

// ————————————————————————————————————————————— suggestApplications

describe('suggestApplications', () => {
  const item = (id: string, dueDate: string | null, openMinor: bigint, discountAvailableMinor = 0n, issueDate = '2026-01-05', number = `INV-${id}`): OpenItem => ({ id, dueDate, issueDate, number, openMinor, discountAvailableMinor });

  it('settles the oldest due first, the last in part, and leaves the rest unapplied', () => {
    const items = [item('c', '2026-03-01', 5_000n), item('a', '2026-01-15', 10_000n), item('b', '2026-02-01', 20_000n)];
    expect(suggestApplications(32_000n, items)).toEqual([
      { invoiceId: 'a', amountMinor: 10_000n, discountMinor: 0n },
      { invoiceId: 'b', amountMinor: 20_000n, discountMinor: 0n },
      { invoiceId: 'c', amountMinor: 2_000n, discountMinor: 0n },
    ]);
    expect(suggestApplications(100_000n, items).map((suggestion) => suggestion.amountMinor)).toEqual([10_000n, 20_000n, 5_000n]);
    expect(suggestApplications(9_999n, items)).toEqual([{ invoiceId: 'a', amountMinor: 9_999n, discountMinor: 0n }]);
  });

  it('orders an invoice without a due date by its issue date, then ties by issue date and number', () => {
    const items = [
      item('due-feb', '2026-02-01', 100n, 0n, '2026-01-01'),
      item('no-due', null, 100n, 0n, '2026-01-20'),
      item('tie-late-issue', '2026-01-25', 100n, 0n, '2026-01-10', 'INV-1'),
      item('tie-number-2', '2026-01-25', 100n, 0n, '2026-01-05', 'INV-9'),
      item('tie-number-1', '2026-01-25', 100n, 0n, '2026-01-05', 'INV-2'),
    ];
    expect(suggestApplications(10_000n, items).map((suggestion) => suggestion.invoiceId)).toEqual(['no-due', 'tie-number-1', 'tie-number-2', 'tie-late-issue', 'due-feb']);
  });

  it('takes the discount where the money left covers the discounted balance, and not where it does not', () => {
    const items = [item('a', '2026-01-15', 11_900n, 238n), item('b', '2026-02-15', 5_950n, 119n)];
    // 116.62 + 58.31 settles both with their discounts.
    expect(suggestApplications(17_493n, items)).toEqual([
      { invoiceId: 'a', amountMinor: 11_662n, discountMinor: 238n },
      { invoiceId: 'b', amountMinor: 5_831n, discountMinor: 119n },
    ]);
    // A cent short for b: a with its discount, b in part without.
    expect(suggestApplications(17_492n, items)).toEqual([
      { invoiceId: 'a', amountMinor: 11_662n, discountMinor: 238n },
      { invoiceId: 'b', amountMinor: 5_830n, discountMinor: 0n },
    ]);
    expect(suggestApplications(11_661n, items)).toEqual([{ invoiceId: 'a', amountMinor: 11_661n, discountMinor: 0n }]);
  });

  it('closes an invoice whose open amount is all discount with the discount alone', () => {
    expect(suggestApplications(500n, [item('a', '2026-01-15', 238n, 238n), item('b', '2026-02-15', 1_000n)])).toEqual([
      { invoiceId: 'a', amountMinor: 0n, discountMinor: 238n },
      { invoiceId: 'b', amountMinor: 500n, discountMinor: 0n },
    ]);
  });

  it('never suggests a negative amount, even for a discount larger than what is open', () => {
    const suggestions = suggestApplications(1_000n, [item('a', '2026-01-15', 100n, 150n), item('b', '2026-02-15', 5_000n)]);
    expect(suggestions).toEqual([
      { invoiceId: 'a', amountMinor: 0n, discountMinor: 100n },
      { invoiceId: 'b', amountMinor: 1_000n, discountMinor: 0n },
    ]);
  });

  it('skips settled items and suggests nothing for no money or no items', () => {
    expect(suggestApplications(1_000n, [item('a', '2026-01-15', 0n), item('b', '2026-02-15', 300n)])).toEqual([{ invoiceId: 'b', amountMinor: 300n, discountMinor: 0n }]);
    expect(suggestApplications(0n, [item('a', '2026-01-15', 300n)])).toEqual([]);
    expect(suggestApplications(1_000n, [])).toEqual([]);
  });

  const openItems = fc.uniqueArray(
    fc.record({
      id: fc.uuid(),
      dueDay: fc.option(fc.integer({ min: 0, max: 120 }), { nil: null }),
      issueDay: fc.integer({ min: 0, max: 60 }),
      number: fc.integer({ min: 1, max: 999 }).map((value) => `INV-${String(value).padStart(3, '0')}`),
      openMinor: fc.bigInt({ min: 0n, max: 10n ** 9n }),
      discountShare: fc.constantFrom(0, 0, 1, 2, 3, 100, 150),
    }),
    { maxLength: 12, selector: (entry) => entry.id },
  );

  it('never suggests more than the amount, settles in due order, and discounts only what it settles in full (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 10n }), openItems, (amountMinor, drafts) => {
        const items = drafts.map((draft): OpenItem => ({
          id: draft.id,
          dueDate: draft.dueDay === null ? null : addDays('2026-01-01', draft.dueDay),
          issueDate: addDays('2026-01-01', draft.issueDay),
          number: draft.number,
          openMinor: draft.openMinor,
          discountAvailableMinor: (draft.openMinor * BigInt(draft.discountShare)) / 100n,
        }));
        const suggestions = suggestApplications(amountMinor, items);
        const byId = new Map(items.map((entry) => [entry.id, entry]));
        expect(sum(suggestions.map((suggestion) => suggestion.amountMinor)) <= amountMinor).toBe(true);
        const ordered = [...items].filter((entry) => entry.openMinor > 0n).sort((a, b) => (a.dueDate ?? a.issueDate).localeCompare(b.dueDate ?? b.issueDate) || a.issueDate.localeCompare(b.issueDate) || a.number.localeCompare(b.number));
        // The suggestions are a prefix of the open items in due order.
        expect(suggestions.map((suggestion) => suggestion.invoiceId)).toEqual(ordered.slice(0, suggestions.length).map((entry) => entry.id));
        for (const [index, suggestion] of suggestions.entries()) {
          const open = byId.get(suggestion.invoiceId)!;
          const settled = suggestion.amountMinor + suggestion.discountMinor;
          expect(suggestion.amountMinor >= 0n && suggestion.discountMinor >= 0n && settled > 0n).toBe(true);
          expect(settled <= open.openMinor).toBe(true);
          expect(suggestion.discountMinor <= open.discountAvailableMinor).toBe(true);
          if (suggestion.discountMinor > 0n) expect(settled).toBe(open.openMinor);
          // Every invoice but the last is settled in full.
          if (index < suggestions.length - 1) expect(settled).toBe(open.openMinor);
        }
        const left = amountMinor - sum(suggestions.map((suggestion) => suggestion.amountMinor));
        // Money left over means every open item is settled.
        if (left > 0n) expect(suggestions.length).toBe(ordered.length);
        if (suggestions.length < ordered.length) expect(left).toBe(0n);
      }),
      { numRuns: 1_000 },
    );
  });
});
