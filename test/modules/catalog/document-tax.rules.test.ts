import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeDocumentTax, type TaxPart } from '../../../src/modules/catalog/document-tax.rules';
import type { EnTaxCategory } from '../../../src/modules/catalog/tax.rules';

const S = (netMinor: bigint, ratePercent = '19'): TaxPart => ({ netMinor, categoryCode: 'S', ratePercent });

describe('computeDocumentTax: examples', () => {
  it('taxes the summed base once (BR-CO-17), not each line: ten lines of 0.03 at 19 % are 0.06, not 0.10', () => {
    const result = computeDocumentTax(Array.from({ length: 10 }, () => S(3n)), 'EUR');
    expect(result.breakdown).toEqual([{ categoryCode: 'S', ratePercent: '19', exemptionReasonCode: null, exemptionReason: null, taxableMinor: 30n, taxMinor: 6n }]);
    // Equal weights: the leftover cents go to the earliest lines.
    expect(result.partTaxMinor).toEqual([1n, 1n, 1n, 1n, 1n, 1n, 0n, 0n, 0n, 0n]);
    expect(result.totalTaxMinor).toBe(6n);
    expect(result.totalTaxableMinor).toBe(30n);
  });

  it('allocates by largest remainder over the nets', () => {
    // 100.01 + 33.33 + 66.66 = 200.00 at 19 % = 38.00; exact shares 19.0019, 6.3327, 12.6654.
    const result = computeDocumentTax([S(10001n), S(3333n), S(6666n)], 'EUR');
    expect(result.breakdown[0]!.taxMinor).toBe(3800n);
    expect(result.partTaxMinor).toEqual([1900n, 633n, 1267n]);
  });

  it('gives an allowance (negative net) a negative share, and the group still adds up', () => {
    // 100.00 + 50.00 − 15.00 = 135.00 at 19 % = 25.65: the charges carry 28.50, the allowance −2.85.
    const result = computeDocumentTax([S(10000n), S(5000n), S(-1500n)], 'EUR');
    expect(result.breakdown[0]).toMatchObject({ taxableMinor: 13500n, taxMinor: 2565n });
    expect(result.partTaxMinor).toEqual([1900n, 950n, -285n]);
  });

  it('handles a group that nets to zero and one that is only an allowance', () => {
    const result = computeDocumentTax([S(1000n), S(-1000n), S(-333n, '7')], 'EUR');
    expect(result.partTaxMinor).toEqual([190n, -190n, -23n]);
    expect(result.breakdown.map((line) => [line.ratePercent, line.taxableMinor, line.taxMinor])).toEqual([
      ['7', -333n, -23n],
      ['19', 0n, 0n],
    ]);
  });

  it('gives parts whose nets are all zero no tax', () => {
    const result = computeDocumentTax([S(0n), S(0n)], 'EUR');
    expect(result.partTaxMinor).toEqual([0n, 0n]);
    expect(result.breakdown[0]).toMatchObject({ taxableMinor: 0n, taxMinor: 0n });
  });

  it('rounds half away from zero, both ways', () => {
    expect(computeDocumentTax([S(50n, '1')], 'EUR').partTaxMinor).toEqual([1n]);
    expect(computeDocumentTax([S(-50n, '1')], 'EUR').partTaxMinor).toEqual([-1n]);
    expect(computeDocumentTax([S(49n, '1')], 'EUR').partTaxMinor).toEqual([0n]);
  });

  it('works in currencies without decimals (JPY) and with three (KWD)', () => {
    const yen = computeDocumentTax([S(1001n, '10'), S(999n, '10')], 'JPY');
    expect(yen.breakdown[0]).toMatchObject({ taxableMinor: 2000n, taxMinor: 200n });
    expect(yen.partTaxMinor).toEqual([100n, 100n]);
    // 6.912 KWD at 5.5 % = 0.38016 → 0.380.
    const dinar = computeDocumentTax([S(1234n, '5.5'), S(5678n, '5.5')], 'KWD');
    expect(dinar.breakdown[0]).toMatchObject({ ratePercent: '5.5', taxableMinor: 6912n, taxMinor: 380n });
    expect(dinar.partTaxMinor.reduce((sum, tax) => sum + tax, 0n)).toBe(380n);
  });

  it('keeps one breakdown line per category and rate, sorted by category then rate, and zero tax for Z, E, AE, K, G, O', () => {
    const parts: TaxPart[] = [
      { netMinor: 1000n, categoryCode: 'K', ratePercent: '0', exemptionReasonCode: 'VATEX-EU-IC', exemptionReason: 'Intra-Community supply' },
      S(1000n, '19'),
      S(1000n, '7'),
      { netMinor: 500n, categoryCode: 'E', ratePercent: '0', exemptionReasonCode: 'VATEX-EU-132-1I', exemptionReason: 'Training' },
      { netMinor: 700n, categoryCode: 'Z', ratePercent: '0' },
      S(2000n, '19.0000'),
      { netMinor: 300n, categoryCode: 'E', ratePercent: '0', exemptionReasonCode: null, exemptionReason: 'Exempt from VAT' },
      { netMinor: 100n, categoryCode: 'O', ratePercent: '0', exemptionReasonCode: 'VATEX-EU-O', exemptionReason: 'Not subject to VAT' },
    ];
    const result = computeDocumentTax(parts, 'EUR');
    expect(result.breakdown).toEqual([
      { categoryCode: 'S', ratePercent: '7', exemptionReasonCode: null, exemptionReason: null, taxableMinor: 1000n, taxMinor: 70n },
      { categoryCode: 'S', ratePercent: '19', exemptionReasonCode: null, exemptionReason: null, taxableMinor: 3000n, taxMinor: 570n },
      { categoryCode: 'Z', ratePercent: '0', exemptionReasonCode: null, exemptionReason: null, taxableMinor: 700n, taxMinor: 0n },
      { categoryCode: 'E', ratePercent: '0', exemptionReasonCode: null, exemptionReason: 'Exempt from VAT', taxableMinor: 300n, taxMinor: 0n },
      { categoryCode: 'E', ratePercent: '0', exemptionReasonCode: 'VATEX-EU-132-1I', exemptionReason: 'Training', taxableMinor: 500n, taxMinor: 0n },
      { categoryCode: 'K', ratePercent: '0', exemptionReasonCode: 'VATEX-EU-IC', exemptionReason: 'Intra-Community supply', taxableMinor: 1000n, taxMinor: 0n },
      { categoryCode: 'O', ratePercent: '0', exemptionReasonCode: 'VATEX-EU-O', exemptionReason: 'Not subject to VAT', taxableMinor: 100n, taxMinor: 0n },
    ]);
    expect(result.partTaxMinor).toEqual([0n, 190n, 70n, 0n, 0n, 380n, 0n, 0n]);
  });

  it('answers nothing for no parts', () => {
    expect(computeDocumentTax([], 'EUR')).toEqual({ partTaxMinor: [], breakdown: [], totalTaxableMinor: 0n, totalTaxMinor: 0n });
  });

  it('refuses rates that break EN 16931 or are not percentages (a caller bug)', () => {
    expect(() => computeDocumentTax([S(100n, '0')], 'EUR')).toThrow(/greater than 0/);
    expect(() => computeDocumentTax([{ netMinor: 100n, categoryCode: 'K', ratePercent: '19' }], 'EUR')).toThrow(/always taxed at 0/);
    expect(() => computeDocumentTax([S(100n, '19.5%')], 'EUR')).toThrow(/not a percentage/);
    expect(() => computeDocumentTax([S(100n, '100')], 'EUR')).toThrow(/not a percentage/);
  });
});

/** An oracle in plain integers: taxable × rate / 100, rounded half away from zero to the minor unit. */
function expectedTax(taxableMinor: bigint, ratePercent: string): bigint {
  const [whole, fraction = ''] = ratePercent.split('.');
  const rateTenThousandths = BigInt(whole!) * 10_000n + BigInt(fraction.padEnd(4, '0'));
  const numerator = taxableMinor * rateTenThousandths;
  const denominator = 1_000_000n;
  const magnitude = numerator < 0n ? -numerator : numerator;
  const rounded = (magnitude * 2n + denominator) / (2n * denominator);
  return numerator < 0n ? -rounded : rounded;
}

const rate = fc.constantFrom('19', '7', '20', '5.5', '21', '0.5', '12.3456', '99.9999', '25');
const part: fc.Arbitrary<TaxPart> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ netMinor: fc.bigInt({ min: -50_000n, max: 10_000_000n }), categoryCode: fc.constant<EnTaxCategory>('S'), ratePercent: rate }) },
  {
    weight: 2,
    arbitrary: fc.record({
      netMinor: fc.bigInt({ min: -50_000n, max: 10_000_000n }),
      categoryCode: fc.constantFrom<EnTaxCategory>('Z', 'E', 'AE', 'K', 'G', 'O'),
      ratePercent: fc.constantFrom('0', '0.0000'),
    }),
  },
  { weight: 1, arbitrary: fc.record({ netMinor: fc.constant(0n), categoryCode: fc.constant<EnTaxCategory>('S'), ratePercent: rate }) },
);
const currency = fc.constantFrom('EUR', 'JPY', 'KWD');

describe('computeDocumentTax: properties', () => {
  it('each group’s tax is its rounded summed base, and its parts add up to it exactly', () => {
    fc.assert(
      fc.property(fc.array(part, { maxLength: 40 }), currency, (parts, code) => {
        const result = computeDocumentTax(parts, code);
        expect(result.partTaxMinor).toHaveLength(parts.length);
        for (const line of result.breakdown) {
          const members = parts
            .map((candidate, index) => ({ candidate, index }))
            .filter(({ candidate }) => candidate.categoryCode === line.categoryCode && Number(candidate.ratePercent) === Number(line.ratePercent))
            .filter(({ candidate }) => line.categoryCode === 'S' || (candidate.exemptionReason ?? null) === line.exemptionReason);
          const taxable = members.reduce((sum, { candidate }) => sum + candidate.netMinor, 0n);
          expect(line.taxableMinor).toBe(taxable);
          expect(line.taxMinor).toBe(line.categoryCode === 'S' ? expectedTax(taxable, line.ratePercent) : 0n);
          expect(members.reduce((sum, { index }) => sum + result.partTaxMinor[index]!, 0n)).toBe(line.taxMinor);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('total = sum of nets + sum of taxes, and the totals match the parts', () => {
    fc.assert(
      fc.property(fc.array(part, { maxLength: 40 }), currency, (parts, code) => {
        const result = computeDocumentTax(parts, code);
        const nets = parts.reduce((sum, candidate) => sum + candidate.netMinor, 0n);
        const taxes = result.partTaxMinor.reduce((sum, tax) => sum + tax, 0n);
        expect(result.totalTaxableMinor).toBe(nets);
        expect(result.totalTaxMinor).toBe(taxes);
        const breakdownGross = result.breakdown.reduce((sum, line) => sum + line.taxableMinor + line.taxMinor, 0n);
        expect(breakdownGross).toBe(nets + taxes);
      }),
      { numRuns: 300 },
    );
  });

  it('zero-rated, exempt and cross-border parts carry no tax; each other part keeps its net’s sign and stays within 2 minor units of its exact tax', () => {
    fc.assert(
      fc.property(fc.array(part, { maxLength: 40 }), currency, (parts, code) => {
        const result = computeDocumentTax(parts, code);
        parts.forEach((candidate, index) => {
          const tax = result.partTaxMinor[index]!;
          if (candidate.categoryCode !== 'S') {
            expect(tax).toBe(0n);
            return;
          }
          if (candidate.netMinor === 0n) expect(tax).toBe(0n);
          if (candidate.netMinor > 0n) expect(tax >= 0n).toBe(true);
          if (candidate.netMinor < 0n) expect(tax <= 0n).toBe(true);
          const exact = expectedTax(candidate.netMinor, candidate.ratePercent);
          const distance = tax > exact ? tax - exact : exact - tax;
          expect(distance <= 2n).toBe(true);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('sorts the breakdown by category, then rate', () => {
    const order = ['S', 'Z', 'E', 'AE', 'K', 'G', 'O'];
    fc.assert(
      fc.property(fc.array(part, { maxLength: 40 }), (parts) => {
        const { breakdown } = computeDocumentTax(parts, 'EUR');
        for (let index = 1; index < breakdown.length; index += 1) {
          const [before, after] = [breakdown[index - 1]!, breakdown[index]!];
          const byCategory = order.indexOf(before.categoryCode) - order.indexOf(after.categoryCode);
          expect(byCategory < 0 || (byCategory === 0 && Number(before.ratePercent) <= Number(after.ratePercent))).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });
});
