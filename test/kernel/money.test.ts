import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Big,
  KernelValueError,
  allocateMinor,
  currencyExponent,
  decimalToMinor,
  formatMinor,
  formatMoney,
  lineAmountMinor,
  multiplyMoney,
  parseMoney,
  parseQuantity,
  parseUnitPrice,
  percentageOf,
  roundDecimal,
} from '../../src/kernel';

const currencies = ['EUR', 'USD', 'GBP', 'CHF', 'SEK', 'JPY', 'KWD'] as const;
const currency = fc.constantFrom(...currencies);
const minorAmount = fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n });

describe('currency exponents (ISO 4217)', () => {
  it.each([
    ['EUR', 2],
    ['USD', 2],
    ['GBP', 2],
    ['CHF', 2],
    ['SEK', 2],
    ['JPY', 0],
    ['KWD', 3],
  ])('%s has %i decimals', (code, exponent) => {
    expect(currencyExponent(code)).toBe(exponent);
  });

  it('refuses a code that is not ISO 4217', () => {
    expect(() => currencyExponent('XYZ')).toThrow(KernelValueError);
    expect(() => currencyExponent('eur')).toThrow(/ISO 4217/);
  });
});

describe('parse and format money', () => {
  it('reads major units into minor units exactly', () => {
    expect(parseMoney('1234.50', 'EUR').amountMinor).toBe(123450n);
    expect(parseMoney('-0.05', 'EUR').amountMinor).toBe(-5n);
    expect(parseMoney('120', 'JPY').amountMinor).toBe(120n);
    expect(parseMoney('1.005', 'KWD').amountMinor).toBe(1005n);
    expect(parseMoney('0.1', 'EUR').amountMinor).toBe(10n);
  });

  it('refuses more decimals than the currency has instead of rounding', () => {
    expect(() => parseMoney('1.005', 'EUR')).toThrow(/3 decimals; at most 2/);
    expect(() => parseMoney('1.5', 'JPY')).toThrow(/at most 0/);
    expect(() => parseMoney('1.0001', 'KWD')).toThrow(KernelValueError);
  });

  it.each(['', '1e3', '+1', ' 1', '1.', '.5', '1,00', 'NaN', '0x10', '1.2.3'])('refuses the malformed amount %j', (text) => {
    expect(() => parseMoney(text, 'EUR')).toThrow(KernelValueError);
  });

  it('writes exactly the currency decimals', () => {
    expect(formatMinor(123450n, 'EUR')).toBe('1234.50');
    expect(formatMinor(-5n, 'EUR')).toBe('-0.05');
    expect(formatMinor(0n, 'KWD')).toBe('0.000');
    expect(formatMinor(120n, 'JPY')).toBe('120');
  });

  it('round-trips every amount in every currency (property)', () => {
    fc.assert(
      fc.property(minorAmount, currency, (amountMinor, code) => {
        const text = formatMinor(amountMinor, code);
        expect(parseMoney(text, code).amountMinor).toBe(amountMinor);
        expect(formatMoney(parseMoney(text, code))).toBe(text);
      }),
    );
  });
});

describe('rounding at named places', () => {
  it('rounds half away from zero by default', () => {
    expect(decimalToMinor(new Big('0.125'), 'EUR')).toBe(13n);
    expect(decimalToMinor(new Big('-0.125'), 'EUR')).toBe(-13n);
    expect(decimalToMinor(new Big('0.5'), 'JPY')).toBe(1n);
    expect(decimalToMinor(new Big('-2.5'), 'JPY')).toBe(-3n);
  });

  it('rounds half to even on request', () => {
    expect(decimalToMinor(new Big('0.125'), 'EUR', 'half_even')).toBe(12n);
    expect(decimalToMinor(new Big('0.135'), 'EUR', 'half_even')).toBe(14n);
    expect(decimalToMinor(new Big('2.5'), 'JPY', 'half_even')).toBe(2n);
  });

  it('computes a line amount from a 4-extra-decimal unit price and a decimal quantity', () => {
    const price = parseUnitPrice('0.0125', 'EUR');
    expect(lineAmountMinor(price, parseQuantity('3'), 'EUR')).toBe(4n); // 0.0375 → 0.04
    expect(lineAmountMinor(price, parseQuantity('2'), 'EUR')).toBe(3n); // 0.025 → 0.03
    expect(lineAmountMinor(parseUnitPrice('19.99', 'EUR'), parseQuantity('2.5'), 'EUR')).toBe(4998n); // 49.975 → 49.98
    expect(parseUnitPrice('0.000001', 'EUR').toFixed()).toBe('0.000001');
    expect(() => parseUnitPrice('0.0000001', 'EUR')).toThrow(/at most 6/);
    expect(parseUnitPrice('0.0001', 'JPY').toFixed()).toBe('0.0001');
  });

  it('takes a percentage or a rate of an amount', () => {
    expect(percentageOf({ amountMinor: 1999n, currency: 'EUR' }, new Big('19')).amountMinor).toBe(380n); // 3.7981
    expect(multiplyMoney({ amountMinor: 10000n, currency: 'USD' }, new Big('0.91234'), 'EUR').amountMinor).toBe(9123n);
  });

  it('never rounds by more than half a minor unit (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }), fc.integer({ min: 0, max: 6 }), currency, (units, extra, code) => {
        const exponent = currencyExponent(code);
        const exact = new Big(units.toString()).div(new Big('10').pow(exponent + extra));
        const rounded = decimalToMinor(exact, code);
        const difference = new Big(rounded.toString()).div(new Big('10').pow(exponent)).minus(exact).abs();
        expect(difference.lte(new Big('5').div(new Big('10').pow(exponent + 1)))).toBe(true);
      }),
    );
  });

  it('rounds a decimal to a scale in each mode', () => {
    expect(roundDecimal(new Big('1.2345'), 3, 'half_away_from_zero').toFixed()).toBe('1.235');
    expect(roundDecimal(new Big('1.2345'), 3, 'half_even').toFixed()).toBe('1.234');
    expect(roundDecimal(new Big('-1.2345'), 3, 'toward_zero').toFixed()).toBe('-1.234');
  });
});

describe('allocation by largest remainder', () => {
  it('splits 100 cents in three as 34, 33, 33', () => {
    expect(allocateMinor(100n, [1n, 1n, 1n])).toEqual([34n, 33n, 33n]);
  });

  it('gives the leftover units to the largest remainders', () => {
    expect(allocateMinor(1000n, [333n, 333n, 334n])).toEqual([333n, 333n, 334n]);
    expect(allocateMinor(10n, [3n, 7n])).toEqual([3n, 7n]);
    expect(allocateMinor(5n, [1n, 2n])).toEqual([2n, 3n]); // 1.67 / 3.33
  });

  it('allocates negative totals symmetrically and zero weights get nothing', () => {
    expect(allocateMinor(-100n, [1n, 1n, 1n])).toEqual([-34n, -33n, -33n]);
    expect(allocateMinor(7n, [0n, 5n, 0n])).toEqual([0n, 7n, 0n]);
  });

  it('refuses weights that cannot carry an allocation', () => {
    expect(() => allocateMinor(10n, [])).toThrow(KernelValueError);
    expect(() => allocateMinor(10n, [0n, 0n])).toThrow(KernelValueError);
    expect(() => allocateMinor(10n, [1n, -1n])).toThrow(KernelValueError);
  });

  it('always sums exactly to the total, each part within one unit of its exact share (property)', () => {
    fc.assert(
      fc.property(
        minorAmount,
        fc.array(fc.bigInt({ min: 0n, max: 10n ** 9n }), { minLength: 1, maxLength: 40 }).filter((weights) => weights.some((weight) => weight > 0n)),
        (total, weights) => {
          const parts = allocateMinor(total, weights);
          expect(parts.reduce((sum, part) => sum + part, 0n)).toBe(total);
          const weightSum = weights.reduce((sum, weight) => sum + weight, 0n);
          parts.forEach((part, index) => {
            const exactTimesSum = total * weights[index]!;
            const distance = part * weightSum - exactTimesSum;
            expect(distance < 0n ? -distance : distance).toBeLessThan(weightSum);
          });
        },
      ),
    );
  });
});

describe('quantities', () => {
  it('are exact decimals with at most 6 decimals', () => {
    expect(parseQuantity('2.5').times(parseQuantity('0.1')).toFixed()).toBe('0.25');
    expect(parseQuantity('0.1').plus(parseQuantity('0.2')).eq(parseQuantity('0.3'))).toBe(true);
    expect(() => parseQuantity('1.0000001')).toThrow(/at most 6/);
  });

  it('cannot be built from a binary float', () => {
    expect(() => new Big(0.1 as unknown as string)).toThrow();
  });
});

describe('unit prices', () => {
  it('print with at least the currency decimals and never lose extra ones', async () => {
    const { formatUnitPrice } = await import('../../src/kernel');
    expect(formatUnitPrice(parseUnitPrice('4.4', 'EUR'), 'EUR')).toBe('4.40');
    expect(formatUnitPrice(parseUnitPrice('0.0125', 'EUR'), 'EUR')).toBe('0.0125');
    expect(formatUnitPrice(parseUnitPrice('95', 'JPY'), 'JPY')).toBe('95');
    expect(formatUnitPrice(parseUnitPrice('1.5', 'KWD'), 'KWD')).toBe('1.500');
  });
});
