import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Big } from '../../../src/kernel';
import { checkBalance, normalBalanceMinor, postingDateFor, toBaseAmounts, type PeriodKey } from '../../../src/modules/ledger/ledger.rules';

describe('balance check', () => {
  it('accepts equal debits and credits and says what is wrong otherwise, in major units', () => {
    expect(checkBalance([{ side: 'debit', amountMinor: 100n }, { side: 'credit', amountMinor: 100n }], 'EUR')).toEqual({ balanced: true });
    expect(checkBalance([{ side: 'debit', amountMinor: 10000n }, { side: 'credit', amountMinor: 9900n }], 'EUR')).toEqual({
      balanced: false,
      reason: 'debits 100.00 and credits 99.00 EUR differ by 1.00',
    });
    expect(checkBalance([{ side: 'debit', amountMinor: 1n }], 'EUR')).toEqual({ balanced: false, reason: 'an entry needs at least two lines, it has 1' });
    expect(checkBalance([{ side: 'debit', amountMinor: 0n }, { side: 'credit', amountMinor: 0n }], 'JPY').balanced).toBe(false);
  });
});

describe('base amounts', () => {
  it('convert each side once and share it by largest remainder', () => {
    const lines = [
      { side: 'debit' as const, amountMinor: 1001n },
      { side: 'credit' as const, amountMinor: 500n },
      { side: 'credit' as const, amountMinor: 501n },
    ];
    expect(toBaseAmounts(lines, 'JPY', 'EUR', new Big('0.0061'))).toEqual([611n, 305n, 306n]);
    expect(toBaseAmounts(lines, 'EUR', 'EUR', new Big('1'))).toEqual([1001n, 500n, 501n]);
  });

  it('balance exactly in base whenever the document balances (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.bigInt({ min: 1n, max: 10n ** 10n }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.bigInt({ min: 1n, max: 1000n }), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 1, max: 10 ** 8 }),
        fc.constantFrom(['USD', 'EUR'], ['JPY', 'EUR'], ['EUR', 'KWD'], ['GBP', 'JPY']),
        (debits, creditWeights, rateUnits, [currency, base]) => {
          const total = debits.reduce((sum, amount) => sum + amount, 0n);
          const weightSum = creditWeights.reduce((sum, weight) => sum + weight, 0n);
          const credits = creditWeights.map((weight) => (total * weight) / weightSum);
          credits[0]! += total - credits.reduce((sum, amount) => sum + amount, 0n);
          const lines = [...debits.map((amountMinor) => ({ side: 'debit' as const, amountMinor })), ...credits.filter((amount) => amount > 0n).map((amountMinor) => ({ side: 'credit' as const, amountMinor }))];
          const baseAmounts = toBaseAmounts(lines, currency!, base!, new Big(String(rateUnits)).div(new Big('100000')));
          const signed = baseAmounts.reduce((sum, amount, index) => sum + (lines[index]!.side === 'debit' ? amount : -amount), 0n);
          expect(signed).toBe(0n);
          expect(baseAmounts.every((amount) => amount >= 0n)).toBe(true);
        },
      ),
    );
  });
});

describe('posting dates', () => {
  const closed = (...labels: string[]) => (period: PeriodKey) => labels.includes(`${period.year}-${String(period.month).padStart(2, '0')}`);

  it('keep the business date in an open month', () => {
    expect(postingDateFor('2026-05-20', 'manual', closed())).toEqual({ postingDate: '2026-05-20' });
  });

  it('refuse a manual posting into a closed month', () => {
    expect(postingDateFor('2026-05-20', 'manual', closed('2026-05'))).toEqual({ refused: 'the period 2026-05 is closed; reopen it or post in an open period' });
  });

  it('move an automatic posting to the first day of the next open month, across years', () => {
    expect(postingDateFor('2026-05-20', 'automatic', closed('2026-05'))).toEqual({ postingDate: '2026-06-01' });
    expect(postingDateFor('2026-11-30', 'automatic', closed('2026-11', '2026-12'))).toEqual({ postingDate: '2027-01-01' });
  });

  it('read balances in each account type’s normal direction', () => {
    expect(normalBalanceMinor('asset', 500n, 200n)).toBe(300n);
    expect(normalBalanceMinor('revenue', 200n, 500n)).toBe(300n);
    expect(normalBalanceMinor('liability', 500n, 200n)).toBe(-300n);
  });
});
