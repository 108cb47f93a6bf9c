import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Big } from '../../../src/kernel';
import { planReservations } from '../../../src/modules/inventory/inventory.rules';

const q = (text: string) => new Big(text);
const show = (values: ReturnType<typeof planReservations>) => values.map((value) => value.toFixed());

describe('reservation planning', () => {
  it('reserves what is there and leaves the rest open (partial)', () => {
    expect(show(planReservations([{ stockKey: 'a', requested: q('5') }, { stockKey: 'b', requested: q('3') }], new Map([['a', q('2')], ['b', q('10')]]), 'partial'))).toEqual(['2', '3']);
  });

  it('lets two lines on one stock row share it in order', () => {
    expect(show(planReservations([{ stockKey: 'a', requested: q('4') }, { stockKey: 'a', requested: q('4') }], new Map([['a', q('6')]]), 'partial'))).toEqual(['4', '2']);
  });

  it('reserves nothing unless every line is met in full (complete)', () => {
    const requests = [{ stockKey: 'a', requested: q('4') }, { stockKey: 'b', requested: q('1') }];
    expect(show(planReservations(requests, new Map([['a', q('3')], ['b', q('5')]]), 'complete'))).toEqual(['0', '0']);
    expect(show(planReservations(requests, new Map([['a', q('4')], ['b', q('1')]]), 'complete'))).toEqual(['4', '1']);
  });

  it('treats a missing or negative availability as none', () => {
    expect(show(planReservations([{ stockKey: 'x', requested: q('1') }], new Map([['y', q('-2')]]), 'partial'))).toEqual(['0']);
  });

  it('never reserves more than requested nor more than available per row (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ stockKey: fc.constantFrom('a', 'b', 'c'), requested: fc.integer({ min: 1, max: 50 }) }), { minLength: 1, maxLength: 10 }),
        fc.record({ a: fc.integer({ min: 0, max: 60 }), b: fc.integer({ min: 0, max: 60 }), c: fc.integer({ min: 0, max: 60 }) }),
        fc.constantFrom('partial' as const, 'complete' as const),
        (requests, stock, policy) => {
          const available = new Map(Object.entries(stock).map(([key, value]) => [key, q(String(value))]));
          const planned = planReservations(requests.map((request) => ({ stockKey: request.stockKey, requested: q(String(request.requested)) })), available, policy);
          const used = new Map<string, number>();
          planned.forEach((granted, index) => {
            expect(granted.gte('0') && granted.lte(String(requests[index]!.requested))).toBe(true);
            used.set(requests[index]!.stockKey, (used.get(requests[index]!.stockKey) ?? 0) + Number(granted.toFixed()));
          });
          for (const [key, total] of used) expect(total).toBeLessThanOrEqual(stock[key as 'a']);
          if (policy === 'complete') {
            const all = planned.every((granted, index) => granted.eq(String(requests[index]!.requested)));
            const none = planned.every((granted) => granted.eq('0'));
            expect(all || none).toBe(true);
          }
        },
      ),
    );
  });
});
