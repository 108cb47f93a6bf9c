import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { automaticBlockReason, checkCredit, effectiveLimit, exposureTotal, type CreditCheckInput } from '../../../src/modules/credit/credit.rules';

const base: CreditCheckInput = {
  currency: 'EUR',
  limitMinor: 100_000n,
  limitSource: 'customer',
  exposure: { openReceivablesMinor: 40_000n, shippedNotInvoicedMinor: 10_000n, approvedNotShippedMinor: 20_000n },
  orderValueMinor: 30_000n,
  oldestOverdueDays: null,
  overdueMinor: 0n,
  graceDays: 30,
  block: 'none',
  blockReason: null,
  missingRates: [],
};

describe('the credit decision', () => {
  it('passes exposure equal to the limit and holds one minor unit over', () => {
    expect(checkCredit(base)).toMatchObject({ outcome: 'approve', exposureAfterMinor: 100_000n, headroomMinor: 0n });
    const over = checkCredit({ ...base, orderValueMinor: 30_001n });
    expect(over).toMatchObject({ outcome: 'hold', exposureAfterMinor: 100_001n, headroomMinor: -1n });
    expect(over.reasons).toEqual(['exposure after this order 1000.01 EUR is over the credit limit 1000.00 EUR by 0.01 EUR']);
  });

  it('passes an item exactly the grace days past due and holds one day more', () => {
    expect(checkCredit({ ...base, oldestOverdueDays: 30, overdueMinor: 500n }).outcome).toBe('approve');
    const held = checkCredit({ ...base, oldestOverdueDays: 31, overdueMinor: 500n });
    expect(held.outcome).toBe('hold');
    expect(held.reasons).toEqual(['5.00 EUR is past due, the oldest item 31 days; more than the 30 grace days']);
    expect(checkCredit({ ...base, graceDays: 0, oldestOverdueDays: 1, overdueMinor: 1n }).outcome).toBe('hold');
    expect(checkCredit({ ...base, graceDays: 0, oldestOverdueDays: 0, overdueMinor: 1n }).outcome).toBe('approve');
  });

  it('holds a credit-blocked customer and lists every reason at once', () => {
    const held = checkCredit({ ...base, block: 'automatic', blockReason: 'an item is 75 days past due (more than 60)', oldestOverdueDays: 75, overdueMinor: 900n, orderValueMinor: 31_000n });
    expect(held.outcome).toBe('hold');
    expect(held.reasons).toHaveLength(3);
    expect(held.reasons[0]).toContain('credit-blocked (automatically): an item is 75 days past due');
    expect(checkCredit({ ...base, block: 'manual', blockReason: 'insolvency filed' }).reasons[0]).toContain('by a credit manager');
  });

  it('holds every order under a default limit of 0 and says why', () => {
    const held = checkCredit({ ...base, limitMinor: 0n, limitSource: 'default', exposure: { openReceivablesMinor: 0n, shippedNotInvoicedMinor: 0n, approvedNotShippedMinor: 0n }, orderValueMinor: 1n });
    expect(held.outcome).toBe('hold');
    expect(held.reasons[0]).toContain("tenant's default limit is 0");
    // even with cash on account that would cover it
    const onAccount = checkCredit({ ...base, limitMinor: 0n, limitSource: 'default', exposure: { openReceivablesMinor: -50_000n, shippedNotInvoicedMinor: 0n, approvedNotShippedMinor: 0n }, orderValueMinor: 100n });
    expect(onAccount.outcome).toBe('hold');
    // an own limit of 0 with cash on account passes what the cash covers
    expect(checkCredit({ ...base, limitMinor: 0n, limitSource: 'customer', exposure: { openReceivablesMinor: -50_000n, shippedNotInvoicedMinor: 0n, approvedNotShippedMinor: 0n }, orderValueMinor: 50_000n }).outcome).toBe('approve');
  });

  it('holds when exposure cannot be told or the default limit cannot be converted', () => {
    expect(checkCredit({ ...base, missingRates: ['USD'] }).reasons).toEqual(['exposure cannot be told: no exchange rate from USD to EUR']);
    expect(checkCredit({ ...base, limitMinor: null, limitSource: 'default' }).outcome).toBe('hold');
  });

  it('holds exactly when a rule says so (property)', () => {
    fc.assert(
      fc.property(
        fc.record({
          limit: fc.option(fc.bigInt({ min: 0n, max: 10n ** 12n }), { nil: null }),
          open: fc.bigInt({ min: -(10n ** 9n), max: 10n ** 12n }),
          shipped: fc.bigInt({ min: 0n, max: 10n ** 12n }),
          approved: fc.bigInt({ min: 0n, max: 10n ** 12n }),
          order: fc.bigInt({ min: 0n, max: 10n ** 12n }),
          overdue: fc.option(fc.integer({ min: 1, max: 400 }), { nil: null }),
          grace: fc.integer({ min: 0, max: 120 }),
          block: fc.constantFrom('none' as const, 'automatic' as const, 'manual' as const),
          missing: fc.boolean(),
          source: fc.constantFrom('customer' as const, 'temporary' as const, 'default' as const),
        }),
        (c) => {
          const input: CreditCheckInput = {
            ...base,
            limitMinor: c.limit,
            limitSource: c.source,
            exposure: { openReceivablesMinor: c.open, shippedNotInvoicedMinor: c.shipped, approvedNotShippedMinor: c.approved },
            orderValueMinor: c.order,
            oldestOverdueDays: c.overdue,
            overdueMinor: c.overdue === null ? 0n : 1n,
            graceDays: c.grace,
            block: c.block,
            blockReason: c.block === 'none' ? null : 'why',
            missingRates: c.missing ? ['JPY'] : [],
          };
          const result = checkCredit(input);
          const after = c.open + c.shipped + c.approved + c.order;
          const zeroDefault = c.limit === 0n && c.source === 'default' && c.order > 0n;
          const hold = c.block !== 'none' || (c.overdue !== null && c.overdue > c.grace) || c.missing || c.limit === null || zeroDefault || after > c.limit;
          expect(result.outcome).toBe(hold ? 'hold' : 'approve');
          expect(result.exposureAfterMinor).toBe(after);
          expect(result.reasons.length).toBeGreaterThan(0);
          if (c.limit !== null) expect(result.headroomMinor).toBe(c.limit - after);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('adds the parts of exposure exactly', () => {
    fc.assert(
      fc.property(fc.bigInt(), fc.bigInt(), fc.bigInt(), (a, b, c) => {
        expect(exposureTotal({ openReceivablesMinor: a, shippedNotInvoicedMinor: b, approvedNotShippedMinor: c })).toBe(a + b + c);
      }),
    );
  });
});

describe('the limit in force', () => {
  const limits = { customerLimitMinor: 5_000n, temporaryLimitMinor: 9_000n, temporaryUntil: '2026-12-31', defaultLimitMinor: 1_000n, today: '2026-12-31' };
  it('takes a temporary limit through its last day, then the customer’s own, then the default', () => {
    expect(effectiveLimit(limits)).toEqual({ limitMinor: 9_000n, source: 'temporary' });
    expect(effectiveLimit({ ...limits, today: '2027-01-01' })).toEqual({ limitMinor: 5_000n, source: 'customer' });
    expect(effectiveLimit({ ...limits, customerLimitMinor: null, today: '2027-01-01' })).toEqual({ limitMinor: 1_000n, source: 'default' });
    expect(effectiveLimit({ ...limits, temporaryLimitMinor: null, temporaryUntil: null, customerLimitMinor: 0n })).toEqual({ limitMinor: 0n, source: 'customer' });
    expect(effectiveLimit({ ...limits, temporaryLimitMinor: null, temporaryUntil: null, customerLimitMinor: null, defaultLimitMinor: null })).toEqual({ limitMinor: null, source: 'default' });
  });
});

describe('automatic blocks', () => {
  it('blocks one day beyond the threshold and for reversed payments left open', () => {
    expect(automaticBlockReason({ oldestOverdueDays: 60, blockAfterDays: 60, reversedPayments: [] })).toBeNull();
    expect(automaticBlockReason({ oldestOverdueDays: 61, blockAfterDays: 60, reversedPayments: [] })).toBe('an item is 61 days past due (more than 60)');
    expect(automaticBlockReason({ oldestOverdueDays: null, blockAfterDays: 60, reversedPayments: ['PAY-2026-000007'] })).toBe('reversed payment PAY-2026-000007 left invoices open');
    expect(automaticBlockReason({ oldestOverdueDays: 90, blockAfterDays: 60, reversedPayments: ['PAY-1'] })).toContain('; reversed payment PAY-1');
  });
});
