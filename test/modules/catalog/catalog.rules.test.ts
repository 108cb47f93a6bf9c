import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applicableBreak,
  isValidOn,
  overlapping,
  resolvePrice,
  skuKey,
  skuPattern,
  validitiesOverlap,
  type PriceBreak,
  type PriceListFacts,
  type PriceRequest,
} from '../../../src/modules/catalog/catalog.rules';
import { defaultTaxCategories, defaultTaxRates, isKnownUnit } from '../../../src/modules/catalog/catalog.defaults';
import { formatUnitPrice } from '../../../src/modules/catalog/catalog.values';
import { Big, addDays } from '../../../src/kernel';

const d = (text: string) => new Big(text);
const breaks = (...pairs: Array<[string, string]>): PriceBreak[] => pairs.map(([minQuantity, unitPrice]) => ({ minQuantity: d(minQuantity), unitPrice: d(unitPrice) }));

describe('SKUs', () => {
  it('accepts letters, digits, ".", "_" and "-" up to 64 characters, starting with a letter or digit', () => {
    for (const sku of ['A', 'brg-6204-2RS', 'X_1.2', '9', 'a'.repeat(64)]) expect(skuPattern.test(sku)).toBe(true);
    for (const sku of ['', '-A', '.x', 'a b', 'ä1', 'a/b', 'a'.repeat(65)]) expect(skuPattern.test(sku)).toBe(false);
  });

  it('matches SKUs without regard to case', () => {
    expect(skuKey('brg-6204-2rs')).toBe(skuKey('BRG-6204-2RS'));
  });
});

describe('validity periods', () => {
  it('includes both ends; an open end runs forever', () => {
    const period = { validFrom: '2026-01-01', validTo: '2026-12-31' };
    expect([isValidOn(period, '2025-12-31'), isValidOn(period, '2026-01-01'), isValidOn(period, '2026-12-31'), isValidOn(period, '2027-01-01')]).toEqual([
      false,
      true,
      true,
      false,
    ]);
    expect(isValidOn({ validFrom: '2020-01-01', validTo: null }, '2999-12-31')).toBe(true);
  });

  it('finds overlaps, including touching ends, and none for adjacent periods', () => {
    const first = { validFrom: '2020-01-01', validTo: '2020-06-30' };
    expect(validitiesOverlap(first, { validFrom: '2020-07-01', validTo: null })).toBe(false);
    expect(validitiesOverlap(first, { validFrom: '2020-06-30', validTo: null })).toBe(true);
    expect(validitiesOverlap({ validFrom: '2021-01-01', validTo: null }, { validFrom: '2020-01-01', validTo: null })).toBe(true);
    expect(validitiesOverlap({ validFrom: '2019-01-01', validTo: '2019-12-31' }, first)).toBe(false);
    expect(overlapping(first, [{ validFrom: '2019-01-01', validTo: '2020-01-01' }, { validFrom: '2020-07-01', validTo: null }])).toEqual([
      { validFrom: '2019-01-01', validTo: '2020-01-01' },
    ]);
  });

  it('overlap is symmetric and agrees with a day-by-day check', () => {
    const day = fc.integer({ min: 0, max: 30 }).map((offset) => addDays('2026-01-01', offset));
    const period = fc.tuple(day, fc.option(day, { nil: null })).map(([from, to]) => ({ validFrom: from, validTo: to !== null && to < from ? from : to }));
    fc.assert(
      fc.property(period, period, (a, b) => {
        expect(validitiesOverlap(a, b)).toBe(validitiesOverlap(b, a));
        let shared = false;
        for (let offset = 0; offset <= 31; offset += 1) {
          const date = addDays('2026-01-01', offset);
          if (isValidOn(a, date) && isValidOn(b, date)) shared = true;
        }
        // Open ends meet beyond the window when both are open.
        if (a.validTo === null && b.validTo === null) shared = true;
        expect(validitiesOverlap(a, b)).toBe(shared);
      }),
      { numRuns: 500 },
    );
  });
});

describe('applicableBreak', () => {
  const ladder = breaks(['1', '4.85'], ['10', '4.40'], ['100', '3.95']);

  it('takes the largest minimum quantity not above the quantity, at the boundaries', () => {
    const priceAt = (quantity: string) => applicableBreak(ladder, d(quantity))?.unitPrice.toFixed();
    expect(priceAt('0.5')).toBeUndefined();
    expect(priceAt('1')).toBe('4.85');
    expect(priceAt('9.999999')).toBe('4.85');
    expect(priceAt('10')).toBe('4.4');
    expect(priceAt('99')).toBe('4.4');
    expect(priceAt('100')).toBe('3.95');
    expect(priceAt('1000000')).toBe('3.95');
  });

  it('treats a break at 0 as the price of any quantity, fractions included', () => {
    expect(applicableBreak(breaks(['0', '4.275'], ['200', '3.89']), d('0.25'))?.unitPrice.toFixed()).toBe('4.275');
  });

  it('does not depend on the order of the breaks', () => {
    const reversed = [...ladder].reverse();
    for (const quantity of ['1', '10', '50', '100']) expect(applicableBreak(reversed, d(quantity))).toEqual(applicableBreak(ladder, d(quantity)));
  });
});

describe('resolvePrice', () => {
  const list = (id: string, overrides: Partial<PriceListFacts> = {}): PriceListFacts => ({
    id,
    currency: 'EUR',
    validFrom: '2026-01-01',
    validTo: null,
    isDefault: false,
    active: true,
    ...overrides,
  });
  const standard = list('standard', { isDefault: true, validFrom: '2025-01-01' });
  const keyAccount = list('key', { validTo: '2026-12-31' });
  const ladders: Record<string, PriceBreak[]> = {
    standard: breaks(['1', '4.85'], ['10', '4.40']),
    key: breaks(['1', '4.25'], ['100', '3.60']),
    volume: breaks(['100', '3.50']),
    next: breaks(['1', '5.10']),
  };
  const breaksOf = (id: string) => ladders[id] ?? [];
  const request = (overrides: Partial<PriceRequest> = {}): PriceRequest => ({
    quantity: d('5'),
    currency: 'EUR',
    date: '2026-06-01',
    customerPriceListId: null,
    ...overrides,
  });
  const price = (lists: PriceListFacts[], overrides: Partial<PriceRequest> = {}) => {
    const found = resolvePrice(lists, breaksOf, request(overrides));
    return found === null ? null : [found.priceListId, found.unitPrice.toFixed(), found.minQuantity.toFixed(), found.source];
  };

  it('uses the default list without a customer list', () => {
    expect(price([standard, keyAccount])).toEqual(['standard', '4.85', '1', 'default']);
    expect(price([standard, keyAccount], { quantity: d('10') })).toEqual(['standard', '4.4', '10', 'default']);
  });

  it('prefers the customer’s list when it prices the item', () => {
    expect(price([standard, keyAccount], { customerPriceListId: 'key' })).toEqual(['key', '4.25', '1', 'customer']);
    expect(price([standard, keyAccount], { customerPriceListId: 'key', quantity: d('100') })).toEqual(['key', '3.6', '100', 'customer']);
  });

  it('falls back to the default when the customer’s list is inactive, expired, not yet valid or in another currency', () => {
    const key = { customerPriceListId: 'key' };
    expect(price([standard, { ...keyAccount, active: false }], key)).toEqual(['standard', '4.85', '1', 'default']);
    expect(price([standard, keyAccount], { ...key, date: '2027-01-01' })).toEqual(['standard', '4.85', '1', 'default']);
    expect(price([standard, keyAccount], { ...key, date: '2025-12-31' })).toEqual(['standard', '4.85', '1', 'default']);
    expect(price([standard, { ...keyAccount, currency: 'USD' }], key)).toEqual(['standard', '4.85', '1', 'default']);
    expect(price([standard, keyAccount], { ...key, date: '2026-12-31' })).toEqual(['key', '4.25', '1', 'customer']);
  });

  it('falls back to the default for quantities below the customer list’s first break', () => {
    const volume = list('volume');
    expect(price([standard, volume], { customerPriceListId: 'volume', quantity: d('99') })).toEqual(['standard', '4.4', '10', 'default']);
    expect(price([standard, volume], { customerPriceListId: 'volume', quantity: d('100') })).toEqual(['volume', '3.5', '100', 'customer']);
  });

  it('answers null when no list in the currency is valid on the date, or none prices the quantity', () => {
    expect(price([standard], { currency: 'USD' })).toBeNull();
    expect(price([standard], { date: '2024-12-31' })).toBeNull();
    expect(price([standard], { quantity: d('0.5') })).toBeNull();
    expect(price([{ ...standard, active: false }])).toBeNull();
    expect(price([keyAccount])).toBeNull();
  });

  it('follows the default lists through time', () => {
    const old = { ...standard, validTo: '2026-06-30' };
    const next = list('next', { isDefault: true, validFrom: '2026-07-01' });
    expect(price([old, next], { date: '2026-06-30' })).toEqual(['standard', '4.85', '1', 'default']);
    expect(price([old, next], { date: '2026-07-01' })).toEqual(['next', '5.1', '1', 'default']);
  });
});

describe('defaults', () => {
  it('has the four categories, and no overlapping rate periods for one category and country', () => {
    expect(defaultTaxCategories.map((category) => [category.code, category.domesticCategory])).toEqual([
      ['standard', 'S'],
      ['reduced', 'S'],
      ['zero', 'Z'],
      ['exempt', 'E'],
    ]);
    for (const rate of defaultTaxRates) {
      const same = defaultTaxRates.filter((other) => other !== rate && other.taxCategoryCode === rate.taxCategoryCode && other.countryCode === rate.countryCode);
      expect(overlapping(rate, same)).toEqual([]);
    }
  });

  it('has standard, reduced, zero and exempt rates for DE, AT, FR, NL, IT, ES, PL, SE and BE today', () => {
    const today = (code: string, country: string) =>
      defaultTaxRates.find((rate) => rate.taxCategoryCode === code && rate.countryCode === country && isValidOn(rate, '2026-06-01'))?.ratePercent;
    const expected: Record<string, [string, string]> = {
      DE: ['19', '7'], AT: ['20', '10'], FR: ['20', '5.5'], NL: ['21', '9'], IT: ['22', '10'], ES: ['21', '10'], PL: ['23', '8'], SE: ['25', '12'], BE: ['21', '6'],
    };
    for (const [country, [standardRate, reducedRate]] of Object.entries(expected)) {
      expect([today('standard', country), today('reduced', country), today('zero', country), today('exempt', country)]).toEqual([standardRate, reducedRate, '0', '0']);
    }
  });

  it('keeps Germany’s 16 % and 5 % of the second half of 2020', () => {
    const german = (code: string, date: string) =>
      defaultTaxRates.find((rate) => rate.taxCategoryCode === code && rate.countryCode === 'DE' && isValidOn(rate, date))?.ratePercent;
    expect([german('standard', '2020-06-30'), german('standard', '2020-07-01'), german('standard', '2020-12-31'), german('standard', '2021-01-01')]).toEqual(['19', '16', '16', '19']);
    expect([german('reduced', '2020-06-30'), german('reduced', '2020-07-01'), german('reduced', '2021-01-01')]).toEqual(['7', '5', '7']);
  });

  it('knows the common UN/ECE Rec 20 units', () => {
    for (const unit of ['C62', 'KGM', 'HUR', 'MTR', 'LTR', 'PR']) expect(isKnownUnit(unit)).toBe(true);
    for (const unit of ['PCS', 'kg', 'XYZ', 'constructor', '__proto__']) expect(isKnownUnit(unit)).toBe(false);
  });
});

describe('formatUnitPrice', () => {
  it('shows at least the currency’s decimals and keeps the extra ones', () => {
    expect(formatUnitPrice(d('12.5'), 'EUR')).toBe('12.50');
    expect(formatUnitPrice(d('0.0125'), 'EUR')).toBe('0.0125');
    expect(formatUnitPrice(d('1200'), 'JPY')).toBe('1200');
    expect(formatUnitPrice(d('1.5'), 'KWD')).toBe('1.500');
    expect(formatUnitPrice(d('249'), 'EUR')).toBe('249.00');
  });
});
