import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Big, parseQuantity, parseUnitPrice } from '../../../src/kernel';
import { priceOrder, type LineTax, type LineToPrice } from '../../../src/modules/orders/order-pricing.rules';
import { availableActions, checkTransition } from '../../../src/modules/orders/order-lifecycle.rules';

const standard19: LineTax = { categoryCode: 'S', ratePercent: '19', exemptionReasonCode: null, exemptionReason: null };
const reduced7: LineTax = { categoryCode: 'S', ratePercent: '7', exemptionReasonCode: null, exemptionReason: null };
const intraEu: LineTax = { categoryCode: 'K', ratePercent: '0', exemptionReasonCode: 'VATEX-EU-IC', exemptionReason: 'Intra-Community supply' };

const line = (unitPrice: string, quantity: string, tax: LineTax, discountPercent: string | null = null, currency = 'EUR'): LineToPrice => ({
  unitPrice: parseUnitPrice(unitPrice, currency),
  quantity: parseQuantity(quantity),
  discountPercent: discountPercent === null ? null : new Big(discountPercent),
  tax,
});

describe('order pricing', () => {
  it('prices lines, a line discount, an order discount and freight to the cent', () => {
    const priced = priceOrder(
      'EUR',
      [line('19.99', '3', standard19, '10'), line('4.5', '7', reduced7), line('0.0125', '1000', standard19)],
      [{ amountMinor: 1500n }],
      new Big('2'),
    );
    // 59.97 − 6.00 (10 %, 5.997 → 6.00) = 53.97; 31.50; 12.50 → lines net 97.97
    expect(priced.lines.map((priced) => priced.netMinor)).toEqual([5397n, 3150n, 1250n]);
    expect(priced.linesNetMinor).toBe(9797n);
    // 2 % of 97.97 = 1.9594 → 1.96, shared 53.97 : 31.50 : 12.50
    expect(priced.orderDiscountMinor).toBe(196n);
    expect(priced.lines.map((priced) => priced.orderDiscountShareMinor).reduce((a, b) => a + b, 0n)).toBe(196n);
    // freight follows the largest group (19 %): base 19 % = 53.97 + 12.50 − shares + 15.00
    const base19 = priced.taxBreakdown.find((entry) => entry.ratePercent === '19')!;
    const base7 = priced.taxBreakdown.find((entry) => entry.ratePercent === '7')!;
    expect(base19.taxableMinor + base7.taxableMinor).toBe(9797n - 196n + 1500n);
    expect(priced.charges[0]!.tax.ratePercent).toBe('19');
    expect(priced.grossMinor).toBe(priced.linesNetMinor - priced.orderDiscountMinor + priced.chargesMinor + priced.taxMinor);
  });

  it('computes tax on each group’s summed base, not per line (BR-CO-17)', () => {
    // Three lines of 0.33 at 19 %: per line 0.0627 → 0.06 each = 0.18; on the sum 0.99 → 0.1881 → 0.19.
    const priced = priceOrder('EUR', [line('0.33', '1', standard19), line('0.33', '1', standard19), line('0.33', '1', standard19)], [], null);
    expect(priced.taxMinor).toBe(19n);
    expect(priced.lines.map((priced) => priced.taxMinor)).toEqual([7n, 6n, 6n]);
  });

  it('puts intra-EU supplies at zero tax with their exemption reason', () => {
    const priced = priceOrder('EUR', [line('100', '2', intraEu)], [{ amountMinor: 2500n }], null);
    expect(priced.taxMinor).toBe(0n);
    expect(priced.grossMinor).toBe(22500n);
    expect(priced.taxBreakdown).toEqual([{ categoryCode: 'K', ratePercent: '0', exemptionReasonCode: 'VATEX-EU-IC', taxableMinor: 22500n, taxMinor: 0n }]);
  });

  it('rounds in currencies without decimals and with three', () => {
    expect(priceOrder('JPY', [line('333.3333', '3', standard19, null, 'JPY')], [], null).lines[0]!.grossMinor).toBe(1000n);
    expect(priceOrder('KWD', [line('1.0005', '1', standard19, null, 'KWD')], [], null).lines[0]!.grossMinor).toBe(1001n);
  });

  const currency = fc.constantFrom('EUR', 'JPY', 'KWD', 'USD');
  const tax = fc.constantFrom(standard19, reduced7, intraEu, { categoryCode: 'S', ratePercent: '5.5', exemptionReasonCode: null, exemptionReason: null } as LineTax);
  const arbitraryLine = (code: string) =>
    fc.record({
      units: fc.bigInt({ min: 0n, max: 10n ** 9n }),
      quantity: fc.integer({ min: 1, max: 100_000 }).map((value) => new Big(String(value)).div(new Big('100'))),
      discount: fc.option(fc.integer({ min: 0, max: 10_000 }).map((value) => new Big(String(value)).div(new Big('100'))), { nil: null }),
      tax,
    }).map(({ units, quantity, discount, tax: lineTax }) => ({
      unitPrice: new Big(units.toString()).div(new Big('10').pow(code === 'JPY' ? 4 : code === 'KWD' ? 7 : 6)),
      quantity,
      discountPercent: discount,
      tax: lineTax,
    }));

  it('always satisfies gross = lines net − order discount + charges + tax, with tax parts summing per group (property)', () => {
    fc.assert(
      fc.property(
        currency.chain((code) =>
          fc.tuple(
            fc.constant(code),
            fc.array(arbitraryLine(code), { minLength: 1, maxLength: 12 }),
            fc.array(fc.bigInt({ min: 0n, max: 10n ** 7n }).map((amountMinor) => ({ amountMinor })), { maxLength: 3 }),
            fc.option(fc.integer({ min: 0, max: 10_000 }).map((value) => new Big(String(value)).div(new Big('100'))), { nil: null }),
          ),
        ),
        ([code, lines, charges, orderDiscount]) => {
          const priced = priceOrder(code, lines, charges, orderDiscount);
          expect(priced.grossMinor).toBe(priced.linesNetMinor - priced.orderDiscountMinor + priced.chargesMinor + priced.taxMinor);
          expect(priced.lines.reduce((sum, line) => sum + line.netMinor, 0n)).toBe(priced.linesNetMinor);
          expect(priced.lines.reduce((sum, line) => sum + line.orderDiscountShareMinor, 0n)).toBe(priced.orderDiscountMinor);
          const partTax = priced.lines.reduce((sum, line) => sum + line.taxMinor, 0n) + priced.charges.reduce((sum, charge) => sum + charge.taxMinor, 0n);
          expect(partTax).toBe(priced.taxMinor);
          expect(priced.taxBreakdown.reduce((sum, entry) => sum + entry.taxMinor, 0n)).toBe(priced.taxMinor);
          expect(priced.taxBreakdown.reduce((sum, entry) => sum + entry.taxableMinor, 0n)).toBe(priced.taxableMinor);
          for (const priceLine of priced.lines) {
            expect(priceLine.netMinor).toBe(priceLine.grossMinor - priceLine.discountMinor);
            expect(priceLine.discountMinor >= 0n && priceLine.discountMinor <= priceLine.grossMinor).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('order lifecycle', () => {
  it('allows only the listed transitions and says why others are refused', () => {
    expect(checkTransition('draft', 'submit')).toEqual({ allowed: true, to: 'submitted' });
    expect(checkTransition('submitted', 'approve')).toEqual({ allowed: true, to: 'approved' });
    expect(checkTransition('on_credit_hold', 'release')).toEqual({ allowed: true, to: 'approved' });
    expect(checkTransition('on_credit_hold', 'reject')).toEqual({ allowed: true, to: 'cancelled' });
    expect(checkTransition('partially_shipped', 'cancel')).toEqual({ allowed: true, to: 'cancelled' });
    const refused = checkTransition('approved', 'submit');
    expect(refused).toEqual({ allowed: false, reason: 'an order that is approved cannot submit; this needs an order that is draft' });
    expect(checkTransition('cancelled', 'cancel').allowed).toBe(false);
    expect(checkTransition('shipped', 'change_lines').allowed).toBe(false);
  });

  it('offers each state its actions', () => {
    expect(availableActions('draft')).toEqual(['submit', 'change_lines', 'cancel']);
    expect(availableActions('on_credit_hold')).toEqual(['change_lines', 'cancel', 'release', 'reject']);
    expect(availableActions('closed')).toEqual([]);
  });
});
