import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, compareBusinessDates, daysInMonth } from '../../../src/kernel';
import {
  checkPaymentTerms,
  discountAmountMinor,
  discountDeadline,
  dueDate,
  invoiceDateFor,
  termsStartDate,
  type PaymentTermsRule,
} from '../../../src/modules/customers/payment-terms.rules';

const net = (netDays: number): PaymentTermsRule => ({ netDays, basis: 'invoice_date', discountPercent: null, discountDays: null });
const endOfMonth = (netDays: number): PaymentTermsRule => ({ netDays, basis: 'end_of_month', discountPercent: null, discountDays: null });
const twoTenNet30: PaymentTermsRule = { netDays: 30, basis: 'invoice_date', discountPercent: '2.00', discountDays: 10 };

describe('due dates', () => {
  it('count net days from the invoice date across month ends', () => {
    expect(dueDate(net(30), '2026-01-31')).toBe('2026-03-02');
    expect(dueDate(net(30), '2026-01-01')).toBe('2026-01-31');
    expect(dueDate(net(14), '2026-02-20')).toBe('2026-03-06');
    expect(dueDate(net(0), '2026-05-17')).toBe('2026-05-17');
    expect(dueDate(net(365), '2026-03-01')).toBe('2027-03-01');
  });

  it('know February in leap years: 2028 has a 29th, 2100 does not', () => {
    expect(dueDate(net(30), '2028-01-31')).toBe('2028-03-01');
    expect(dueDate(net(1), '2028-02-28')).toBe('2028-02-29');
    expect(dueDate(net(14), '2028-02-20')).toBe('2028-03-05');
    expect(dueDate(net(1), '2100-02-28')).toBe('2100-03-01');
    expect(dueDate(net(14), '2100-02-20')).toBe('2100-03-06');
  });

  it('count end-of-month terms from the last day of the invoice month', () => {
    expect(dueDate(endOfMonth(30), '2026-01-15')).toBe('2026-03-02');
    expect(dueDate(endOfMonth(30), '2026-01-31')).toBe('2026-03-02');
    expect(dueDate(endOfMonth(30), '2026-01-01')).toBe('2026-03-02');
    expect(dueDate(endOfMonth(0), '2028-02-03')).toBe('2028-02-29');
    expect(dueDate(endOfMonth(0), '2100-02-03')).toBe('2100-02-28');
    expect(dueDate(endOfMonth(30), '2028-02-10')).toBe('2028-03-30');
    expect(dueDate(endOfMonth(30), '2100-02-10')).toBe('2100-03-30');
    expect(dueDate(endOfMonth(60), '2026-04-30')).toBe('2026-06-29');
  });

  it('carry December into the next year', () => {
    expect(dueDate(net(30), '2026-12-15')).toBe('2027-01-14');
    expect(dueDate(net(14), '2026-12-31')).toBe('2027-01-14');
    expect(dueDate(endOfMonth(30), '2026-12-05')).toBe('2027-01-30');
    expect(termsStartDate('end_of_month', '2026-12-05')).toBe('2026-12-31');
  });
});

describe('early-payment discounts', () => {
  it('end 2/10 net 30 ten days after the invoice date and fall due after thirty', () => {
    expect(discountDeadline(twoTenNet30, '2026-03-20')).toBe('2026-03-30');
    expect(dueDate(twoTenNet30, '2026-03-20')).toBe('2026-04-19');
    expect(discountDeadline(twoTenNet30, '2026-12-25')).toBe('2027-01-04');
  });

  it('count the discount days from the end of the month too under end-of-month terms', () => {
    const terms: PaymentTermsRule = { netDays: 30, basis: 'end_of_month', discountPercent: '3.00', discountDays: 10 };
    expect(discountDeadline(terms, '2026-04-10')).toBe('2026-05-10');
    expect(dueDate(terms, '2026-04-10')).toBe('2026-05-30');
  });

  it('have no deadline and no amount when the terms offer no discount', () => {
    expect(discountDeadline(net(30), '2026-03-20')).toBeNull();
    expect(discountAmountMinor(net(30), 11_900n, 'EUR')).toBe(0n);
  });

  it('take the percentage of the gross amount, rounded half away from zero', () => {
    expect(discountAmountMinor(twoTenNet30, 11_900n, 'EUR')).toBe(238n);
    expect(discountAmountMinor(twoTenNet30, 25n, 'EUR')).toBe(1n); // 0.5 cent → 1
    expect(discountAmountMinor(twoTenNet30, 24n, 'EUR')).toBe(0n); // 0.48 cent → 0
    expect(discountAmountMinor(twoTenNet30, -25n, 'EUR')).toBe(-1n);
    const twoAndAHalf: PaymentTermsRule = { ...twoTenNet30, discountPercent: '2.50' };
    expect(discountAmountMinor(twoAndAHalf, 20n, 'JPY')).toBe(1n); // 0.5 yen → 1
    expect(discountAmountMinor(twoAndAHalf, 1_000_000n, 'KWD')).toBe(25_000n);
    expect(discountAmountMinor({ ...twoTenNet30, discountPercent: '0.01' }, 123_456_789_012_345n, 'EUR')).toBe(12_345_678_901n);
  });
});

describe('the invoice date in the tenant time zone', () => {
  it('is the calendar day of the tenant, not of UTC', () => {
    const instant = new Date('2026-12-31T23:30:00Z');
    expect(invoiceDateFor(instant, 'Europe/Berlin')).toBe('2027-01-01');
    expect(invoiceDateFor(instant, 'UTC')).toBe('2026-12-31');
    expect(invoiceDateFor(instant, 'America/New_York')).toBe('2026-12-31');
    expect(dueDate(net(30), invoiceDateFor(instant, 'Europe/Berlin'))).toBe('2027-01-31');
    expect(dueDate(endOfMonth(30), invoiceDateFor(instant, 'Europe/Berlin'))).toBe('2027-03-02');
    expect(dueDate(endOfMonth(30), invoiceDateFor(instant, 'UTC'))).toBe('2027-01-30');
  });

  it('follows daylight saving time (Berlin is UTC+2 in summer)', () => {
    expect(invoiceDateFor(new Date('2026-07-31T22:30:00Z'), 'Europe/Berlin')).toBe('2026-08-01');
    expect(invoiceDateFor(new Date('2026-07-31T21:30:00Z'), 'Europe/Berlin')).toBe('2026-07-31');
  });
});

describe('checking terms', () => {
  it('accepts net, end-of-month and discount terms', () => {
    expect(checkPaymentTerms({ netDays: 30, basis: 'invoice_date', discountPercent: null, discountDays: null })).toEqual([]);
    expect(checkPaymentTerms({ netDays: 30, basis: 'end_of_month', discountPercent: '2.5', discountDays: 10 })).toEqual([]);
    expect(checkPaymentTerms({ netDays: 0, basis: 'invoice_date', discountPercent: null, discountDays: null })).toEqual([]);
  });

  it('refuses a discount without days or days without a discount', () => {
    expect(checkPaymentTerms({ netDays: 30, basis: 'invoice_date', discountPercent: '2', discountDays: null })).toEqual([
      { path: 'body.discountDays', message: expect.stringMatching(/both or neither/) },
    ]);
    expect(checkPaymentTerms({ netDays: 30, basis: 'invoice_date', discountPercent: null, discountDays: 10 })).toEqual([
      { path: 'body.discountPercent', message: expect.stringMatching(/both or neither/) },
    ]);
  });

  it('refuses percentages outside (0, 100) or with more than two decimals, and discount periods not shorter than the net period', () => {
    const issues = (discountPercent: string, discountDays = 10, netDays = 30) =>
      checkPaymentTerms({ netDays, basis: 'invoice_date', discountPercent, discountDays }).map((issue) => issue.path);
    expect(issues('0')).toEqual(['body.discountPercent']);
    expect(issues('100')).toEqual(['body.discountPercent']);
    expect(issues('2.125')).toEqual(['body.discountPercent']);
    expect(issues('abc')).toEqual(['body.discountPercent']);
    expect(issues('99.99')).toEqual([]);
    expect(issues('2', 30, 30)).toEqual(['body.discountDays']);
    expect(issues('2', 29, 30)).toEqual([]);
    expect(checkPaymentTerms({ netDays: 366, basis: 'invoice_date', discountPercent: null, discountDays: null }).map((issue) => issue.path)).toEqual([
      'body.netDays',
    ]);
  });
});

const invoiceDate = fc
  .record({ year: fc.integer({ min: 1990, max: 2199 }), month: fc.integer({ min: 1, max: 12 }), day: fc.integer({ min: 1, max: 31 }) })
  .map(({ year, month, day }) => `${year}-${String(month).padStart(2, '0')}-${String(Math.min(day, daysInMonth(year, month))).padStart(2, '0')}`);
const terms = fc
  .record({
    netDays: fc.integer({ min: 0, max: 365 }),
    basis: fc.constantFrom('invoice_date' as const, 'end_of_month' as const),
    discount: fc.option(fc.record({ percent: fc.integer({ min: 1, max: 9999 }), days: fc.nat({ max: 364 }) })),
  })
  .map(({ netDays, basis, discount }): PaymentTermsRule => {
    if (discount === null || netDays === 0) return { netDays, basis, discountPercent: null, discountDays: null };
    return { netDays, basis, discountPercent: (discount.percent / 100).toFixed(2), discountDays: discount.days % netDays };
  });

describe('properties', () => {
  it('a due date is never before the invoice date', () => {
    fc.assert(fc.property(terms, invoiceDate, (rule, date) => compareBusinessDates(dueDate(rule, date), date) >= 0));
  });

  it('a discount deadline is never after the due date nor before the invoice date', () => {
    fc.assert(
      fc.property(terms, invoiceDate, (rule, date) => {
        const deadline = discountDeadline(rule, date);
        if (deadline === null) return rule.discountPercent === null;
        return compareBusinessDates(deadline, dueDate(rule, date)) <= 0 && compareBusinessDates(deadline, date) >= 0;
      }),
    );
  });

  it('every invoice of a month has the same end-of-month due date', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 365 }), invoiceDate, (netDays, date) => {
        const [year, month] = date.split('-').map(Number) as [number, number];
        const first = `${date.slice(0, 8)}01`;
        const expected = dueDate(endOfMonth(netDays), first);
        for (let day = 1; day <= daysInMonth(year, month); day += 1) {
          if (dueDate(endOfMonth(netDays), `${date.slice(0, 8)}${String(day).padStart(2, '0')}`) !== expected) return false;
        }
        return expected === addDays(`${date.slice(0, 8)}${String(daysInMonth(year, month)).padStart(2, '0')}`, netDays);
      }),
    );
  });

  it('a discount lies between zero and the gross amount and within half a minor unit of the exact share', () => {
    fc.assert(
      fc.property(terms, fc.bigInt({ min: 0n, max: 10n ** 15n }), (rule, grossMinor) => {
        const discount = discountAmountMinor(rule, grossMinor, 'EUR');
        if (rule.discountPercent === null) return discount === 0n;
        // exact share × 10000 = gross × percent × 100 (percent has two decimals)
        const percentHundredths = BigInt(rule.discountPercent.replace('.', ''));
        const exactTimes10000 = grossMinor * percentHundredths;
        const difference = discount * 10_000n - exactTimes10000;
        return discount >= 0n && discount <= grossMinor && difference <= 5_000n && difference >= -5_000n;
      }),
    );
  });
});
