import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Big, currencyExponent, decimalToMinor, minorToDecimal, type Decimal } from '../../../src/kernel';
import { partOfWhatIsLeft, type Credited } from '../../../src/modules/invoicing/credit-notes.service';
import { percentOfMinor, priceInvoice, type BilledDocument, type ChargeToBill, type InvoiceTax, type LineToBill } from '../../../src/modules/invoicing/invoice-pricing.rules';
import type { InvoiceLineRow } from '../../../src/modules/invoicing/invoice-view';

/**
 * The invoice pricing rule (priceInvoice) on its own: worked examples to the
 * minor unit, then properties over random documents in currencies with 0, 2 and
 * 3 decimals.
 */
const standard19: InvoiceTax = { categoryCode: 'S', ratePercent: '19', exemptionReasonCode: null, exemptionReason: null };
const reduced7: InvoiceTax = { categoryCode: 'S', ratePercent: '7', exemptionReasonCode: null, exemptionReason: null };
const standard5_5: InvoiceTax = { categoryCode: 'S', ratePercent: '5.5', exemptionReasonCode: null, exemptionReason: null };
const exemptTraining: InvoiceTax = { categoryCode: 'E', ratePercent: '0', exemptionReasonCode: 'VATEX-EU-132-1I', exemptionReason: 'Vocational training' };
const reverseCharge: InvoiceTax = { categoryCode: 'AE', ratePercent: '0', exemptionReasonCode: 'VATEX-EU-AE', exemptionReason: 'Reverse charge' };
const intraEu: InvoiceTax = { categoryCode: 'K', ratePercent: '0', exemptionReasonCode: 'VATEX-EU-IC', exemptionReason: 'Intra-Community supply' };
const exportTax: InvoiceTax = { categoryCode: 'G', ratePercent: '0', exemptionReasonCode: 'VATEX-EU-G', exemptionReason: 'Export outside the EU' };
const zeroRated: InvoiceTax = { categoryCode: 'Z', ratePercent: '0', exemptionReasonCode: null, exemptionReason: null };

const taxes = [standard19, reduced7, standard5_5, exemptTraining, reverseCharge, intraEu, exportTax, zeroRated] as const;

interface LineSpec {
  price: string;
  quantity: string;
  discount?: string | null;
  group?: string | null;
  allowance?: string | null;
  tax?: InvoiceTax;
  fixed?: LineToBill['fixed'];
}

const line = (spec: LineSpec): LineToBill => ({
  unitPrice: new Big(spec.price),
  quantity: new Big(spec.quantity),
  discountPercent: spec.discount == null ? null : new Big(spec.discount),
  allowanceGroup: spec.group ?? null,
  allowancePercent: spec.allowance == null ? null : new Big(spec.allowance),
  tax: spec.tax ?? standard19,
  fixed: spec.fixed,
});

const charge = (amountMinor: bigint, tax: InvoiceTax = standard19): ChargeToBill => ({ amountMinor, tax });

const sum = (values: readonly bigint[]) => values.reduce((total, value) => total + value, 0n);

/** Every identity a priced document must keep, whatever its lines. */
function expectConsistent(currency: string, lines: readonly LineToBill[], charges: readonly ChargeToBill[], billed: BilledDocument): void {
  expect(billed.lines).toHaveLength(lines.length);
  expect(billed.charges).toHaveLength(charges.length);
  // The totals identity, and each total as the sum of its parts.
  expect(billed.grossMinor).toBe(billed.linesNetMinor - billed.allowancesMinor + billed.chargesMinor + billed.taxMinor);
  expect(billed.taxableMinor).toBe(billed.linesNetMinor - billed.allowancesMinor + billed.chargesMinor);
  expect(billed.linesNetMinor).toBe(sum(billed.lines.map((entry) => entry.netMinor)));
  expect(billed.allowancesMinor).toBe(sum(billed.lines.map((entry) => entry.allowanceShareMinor)));
  expect(billed.chargesMinor).toBe(sum(billed.charges.map((entry) => entry.amountMinor)));
  expect(sum(billed.lines.map((entry) => entry.taxableMinor)) + billed.chargesMinor).toBe(billed.taxableMinor);
  expect(sum([...billed.lines.map((entry) => entry.taxMinor), ...billed.charges.map((entry) => entry.taxMinor)])).toBe(billed.taxMinor);
  expect(sum(billed.breakdown.map((row) => row.taxableMinor))).toBe(billed.taxableMinor);
  expect(sum(billed.breakdown.map((row) => row.taxMinor))).toBe(billed.taxMinor);
  expect(billed.grossMinor).toBe(sum(billed.lines.map((entry) => entry.taxableMinor + entry.taxMinor)) + sum(billed.charges.map((entry) => entry.amountMinor + entry.taxMinor)));

  lines.forEach((source, index) => {
    const entry = billed.lines[index]!;
    expect(entry.netMinor).toBe(entry.grossMinor - entry.discountMinor);
    expect(entry.taxableMinor).toBe(entry.netMinor - entry.allowanceShareMinor);
    if (source.fixed !== undefined) {
      // Fixed amounts are taken as they are.
      expect(entry.grossMinor).toBe(source.fixed.grossMinor);
      expect(entry.discountMinor).toBe(source.fixed.discountMinor);
      expect(entry.allowanceShareMinor).toBe(source.fixed.allowanceShareMinor);
    } else {
      expect(entry.grossMinor).toBe(decimalToMinor(source.unitPrice.times(source.quantity), currency));
      expect(entry.discountMinor).toBe(source.discountPercent === null ? 0n : decimalToMinor(minorToDecimal(entry.grossMinor, currency).times(source.discountPercent).div('100'), currency));
      expect(entry.discountMinor >= 0n && entry.discountMinor <= entry.grossMinor).toBe(true);
      expect(entry.allowanceShareMinor >= 0n && entry.allowanceShareMinor <= (entry.netMinor > 0n ? entry.netMinor : 0n)).toBe(true);
    }
  });

  // The document allowance per group (order and percentage): rounded once on the group's net, shared exactly.
  const groups = new Map<string, number[]>();
  lines.forEach((source, index) => {
    if (source.fixed !== undefined || source.allowanceGroup === null || source.allowancePercent === null || source.allowancePercent.eq('0')) return;
    const key = `${source.allowanceGroup}|${source.allowancePercent.toFixed()}`;
    groups.set(key, [...(groups.get(key) ?? []), index]);
  });
  for (const indexes of groups.values()) {
    const percent = lines[indexes[0]!]!.allowancePercent!;
    const base = sum(indexes.map((index) => (billed.lines[index]!.netMinor > 0n ? billed.lines[index]!.netMinor : 0n)));
    expect(sum(indexes.map((index) => billed.lines[index]!.allowanceShareMinor))).toBe(base === 0n ? 0n : percentOfMinor(base, percent, currency));
  }
  lines.forEach((source, index) => {
    const grouped = source.fixed === undefined && source.allowanceGroup !== null && source.allowancePercent !== null && !source.allowancePercent.eq('0');
    if (source.fixed === undefined && !grouped) expect(billed.lines[index]!.allowanceShareMinor).toBe(0n);
  });

  // BR-CO-17: per category and rate (and exemption reason), the tax of the summed base, rounded once.
  const parts = [
    ...lines.map((source, index) => ({ tax: source.tax, taxable: billed.lines[index]!.taxableMinor, share: billed.lines[index]!.taxMinor })),
    ...charges.map((source, index) => ({ tax: source.tax, taxable: source.amountMinor, share: billed.charges[index]!.taxMinor })),
  ];
  const keyOf = (tax: InvoiceTax) => JSON.stringify([tax.categoryCode, new Big(tax.ratePercent).toFixed(), tax.categoryCode === 'S' || tax.categoryCode === 'Z' ? null : tax.exemptionReasonCode]);
  const byKey = new Map<string, typeof parts>();
  for (const part of parts) byKey.set(keyOf(part.tax), [...(byKey.get(keyOf(part.tax)) ?? []), part]);
  expect(billed.breakdown).toHaveLength(byKey.size);
  for (const row of billed.breakdown) {
    const members = byKey.get(keyOf(row))!;
    expect(members, `no parts for breakdown row ${row.categoryCode} ${row.ratePercent}`).toBeDefined();
    expect(row.taxableMinor).toBe(sum(members.map((member) => member.taxable)));
    const rate = new Big(row.ratePercent);
    expect(row.taxMinor).toBe(decimalToMinor(minorToDecimal(row.taxableMinor, currency).times(rate).div('100'), currency));
    expect(sum(members.map((member) => member.share))).toBe(row.taxMinor);
    if (rate.eq('0')) expect(members.every((member) => member.share === 0n)).toBe(true);
    // Each part's tax share is within a unit and a half of its own exact tax.
    const unit = new Big('10').pow(currencyExponent(currency));
    for (const member of members) {
      const exact = minorToDecimal(member.taxable, currency).times(rate).div('100').times(unit);
      expect(exact.minus(member.share.toString()).abs().lte('1.5'), `tax share ${member.share} far from ${exact.toFixed()}`).toBe(true);
    }
  }
}

describe('invoice pricing: worked examples', () => {
  it('prices a line to the cent: gross, line discount rounded half away from zero, 19 % on the net', () => {
    const lines = [line({ price: '4.85', quantity: '3', discount: '10' })];
    const billed = priceInvoice('EUR', lines, []);
    // 14.55; 10 % = 1.455 → 1.46; net 13.09; 19 % = 2.4871 → 2.49.
    expect(billed.lines[0]).toEqual({ grossMinor: 1455n, discountMinor: 146n, netMinor: 1309n, allowanceShareMinor: 0n, taxableMinor: 1309n, taxMinor: 249n });
    expect(billed).toMatchObject({ linesNetMinor: 1309n, allowancesMinor: 0n, chargesMinor: 0n, taxableMinor: 1309n, taxMinor: 249n, grossMinor: 1558n });
    expect(billed.breakdown).toEqual([{ ...standard19, exemptionReasonCode: null, exemptionReason: null, taxableMinor: 1309n, taxMinor: 249n }]);
    expectConsistent('EUR', lines, [], billed);
  });

  it('prices an empty document at zero', () => {
    const billed = priceInvoice('EUR', [], []);
    expect(billed).toEqual({ lines: [], charges: [], linesNetMinor: 0n, allowancesMinor: 0n, chargesMinor: 0n, taxableMinor: 0n, taxMinor: 0n, grossMinor: 0n, breakdown: [] });
  });

  it('computes the tax once per category and rate on the summed base (BR-CO-17) and allocates it back', () => {
    // Two lines of 0.03 at 19 %: per line 0.0057 → 0.01 each (0.02); on the sum 0.06 → 0.0114 → 0.01.
    const lines = [line({ price: '0.03', quantity: '1' }), line({ price: '0.03', quantity: '1' })];
    const billed = priceInvoice('EUR', lines, []);
    expect(billed.taxMinor).toBe(1n);
    expect(billed.lines.map((entry) => entry.taxMinor)).toEqual([1n, 0n]);
    expectConsistent('EUR', lines, [], billed);
    // Three lines of 0.33: 0.99 × 19 % = 0.1881 → 0.19 (the per-line sum would be 0.18).
    const three = [0, 1, 2].map(() => line({ price: '0.33', quantity: '1' }));
    const billedThree = priceInvoice('EUR', three, []);
    expect(billedThree.taxMinor).toBe(19n);
    expect(billedThree.lines.map((entry) => entry.taxMinor)).toEqual([7n, 6n, 6n]);
  });

  it('keeps one breakdown row per category, rate and exemption reason, sorted, with charges in their category', () => {
    const lines = [
      line({ price: '100', quantity: '1', tax: standard19 }),
      line({ price: '49', quantity: '2', tax: reduced7 }),
      line({ price: '390', quantity: '1', tax: exemptTraining }),
      line({ price: '10.005', quantity: '1', tax: standard19 }),
    ];
    const charges = [charge(1500n, standard19), charge(500n, reduced7)];
    const billed = priceInvoice('EUR', lines, charges);
    expect(billed.breakdown.map((row) => [row.categoryCode, row.ratePercent, row.taxableMinor, row.taxMinor])).toEqual([
      // 7 %: 98.00 + 5.00 = 103.00 → 7.21
      ['S', '7', 10300n, 721n],
      // 19 %: 100.00 + 10.01 + 15.00 = 125.01 → 23.7519 → 23.75
      ['S', '19', 12501n, 2375n],
      ['E', '0', 39000n, 0n],
    ]);
    expect(billed.breakdown[2]).toMatchObject({ exemptionReasonCode: 'VATEX-EU-132-1I', exemptionReason: 'Vocational training' });
    expect(billed.chargesMinor).toBe(2000n);
    expect(billed.charges.map((entry) => entry.amountMinor)).toEqual([1500n, 500n]);
    expect(billed.grossMinor).toBe(10300n + 12501n + 39000n + 721n + 2375n);
    expectConsistent('EUR', lines, charges, billed);
  });

  it('rounds the order discount once per order and shares it over the order’s lines by net (largest remainder)', () => {
    // Three lines of 0.01 with 50 %: the group discount is 0.015 → 0.02, shared 1 : 1 : 0.
    const tiny = [0, 1, 2].map(() => line({ price: '0.01', quantity: '1', group: 'order-a', allowance: '50' }));
    const billedTiny = priceInvoice('EUR', tiny, []);
    expect(billedTiny.allowancesMinor).toBe(2n);
    expect(billedTiny.lines.map((entry) => entry.allowanceShareMinor)).toEqual([1n, 1n, 0n]);
    expectConsistent('EUR', tiny, [], billedTiny);

    // Two orders with their own percentages; a line without an order takes no share.
    const lines = [
      line({ price: '19.99', quantity: '3', discount: '10', group: 'order-a', allowance: '2' }),
      line({ price: '4.5', quantity: '7', group: 'order-a', allowance: '2', tax: reduced7 }),
      line({ price: '33.33', quantity: '1', group: 'order-b', allowance: '3' }),
      line({ price: '12.40', quantity: '2', group: 'order-b', allowance: '3' }),
      line({ price: '85', quantity: '1' }),
    ];
    const billed = priceInvoice('EUR', lines, [charge(2500n)]);
    // Order A: 53.97 + 31.50 = 85.47; 2 % = 1.7094 → 1.71, shared 53.97 : 31.50 → 1.08 : 0.63.
    expect(billed.lines.slice(0, 2).map((entry) => entry.allowanceShareMinor)).toEqual([108n, 63n]);
    // Order B: 33.33 + 24.80 = 58.13; 3 % = 1.7439 → 1.74, shared 33.33 : 24.80 → 1.00 : 0.74.
    expect(billed.lines.slice(2, 4).map((entry) => entry.allowanceShareMinor)).toEqual([100n, 74n]);
    expect(billed.lines[4]!.allowanceShareMinor).toBe(0n);
    expect(billed.allowancesMinor).toBe(171n + 174n);
    expectConsistent('EUR', lines, [charge(2500n)], billed);
  });

  it('keeps lines of one order with different percentages in groups of their own, and ignores 0 % and null', () => {
    const lines = [
      line({ price: '10', quantity: '1', group: 'order-a', allowance: '5' }),
      line({ price: '10', quantity: '1', group: 'order-a', allowance: '10' }),
      line({ price: '10', quantity: '1', group: 'order-a', allowance: '0' }),
      line({ price: '10', quantity: '1', group: 'order-a', allowance: null }),
      line({ price: '10', quantity: '1', group: null, allowance: '50' }),
    ];
    const billed = priceInvoice('EUR', lines, []);
    expect(billed.lines.map((entry) => entry.allowanceShareMinor)).toEqual([50n, 100n, 0n, 0n, 0n]);
    expectConsistent('EUR', lines, [], billed);
  });

  it('takes a group with nothing to discount (a 100 % line discount) as no allowance', () => {
    const lines = [line({ price: '10', quantity: '1', discount: '100', group: 'order-a', allowance: '5' })];
    const billed = priceInvoice('EUR', lines, []);
    expect(billed.lines[0]).toMatchObject({ netMinor: 0n, allowanceShareMinor: 0n, taxableMinor: 0n, taxMinor: 0n });
    expectConsistent('EUR', lines, [], billed);
  });

  it('honours fixed amounts and keeps fixed lines out of their group’s allowance', () => {
    const fixed = { grossMinor: 1234n, discountMinor: 34n, allowanceShareMinor: 12n };
    const lines = [
      line({ price: '999', quantity: '5', discount: '50', group: 'order-a', allowance: '10', fixed }),
      line({ price: '10', quantity: '1', group: 'order-a', allowance: '10' }),
    ];
    const billed = priceInvoice('EUR', lines, []);
    expect(billed.lines[0]).toMatchObject({ grossMinor: 1234n, discountMinor: 34n, netMinor: 1200n, allowanceShareMinor: 12n, taxableMinor: 1188n });
    // Only the computed line forms the group: 10 % of 10.00.
    expect(billed.lines[1]!.allowanceShareMinor).toBe(100n);
    expect(billed.allowancesMinor).toBe(112n);
    expectConsistent('EUR', lines, [], billed);
  });

  it('prices in JPY (no decimals) and KWD (three decimals)', () => {
    const yen = [line({ price: '333.3333', quantity: '3', discount: '3' }), line({ price: '1250', quantity: '2', group: 'o', allowance: '2.5', tax: reduced7 })];
    const billedYen = priceInvoice('JPY', yen, [charge(500n)]);
    // 999.9999 → 1000; 3 % = 30; 2500 × 2.5 % = 62.5 → 63; 19 % of (970 + 500) = 279.3 → 279; 7 % of 2437 = 170.59 → 171.
    expect(billedYen.lines.map((entry) => [entry.grossMinor, entry.discountMinor, entry.allowanceShareMinor])).toEqual([
      [1000n, 30n, 0n],
      [2500n, 0n, 63n],
    ]);
    expect(billedYen.breakdown.map((row) => [row.ratePercent, row.taxableMinor, row.taxMinor])).toEqual([
      ['7', 2437n, 171n],
      ['19', 1470n, 279n],
    ]);
    expect(billedYen.grossMinor).toBe(970n + 2437n + 500n + 171n + 279n);
    expectConsistent('JPY', yen, [charge(500n)], billedYen);

    const dinar = [line({ price: '1.2345', quantity: '2', discount: '1.5' }), line({ price: '0.0005', quantity: '1' })];
    const billedDinar = priceInvoice('KWD', dinar, []);
    // 2.469; 1.5 % = 0.037035 → 0.037; 0.0005 → 0.001 (half away from zero); 19 % of 2.433 = 0.46227 → 0.462.
    expect(billedDinar.lines.map((entry) => [entry.grossMinor, entry.discountMinor, entry.netMinor])).toEqual([
      [2469n, 37n, 2432n],
      [1n, 0n, 1n],
    ]);
    expect(billedDinar.taxMinor).toBe(462n);
    expectConsistent('KWD', dinar, [], billedDinar);
  });

  it('refuses a rate its category does not allow', () => {
    expect(() => priceInvoice('EUR', [line({ price: '1', quantity: '1', tax: { ...standard19, ratePercent: '0' } })], [])).toThrow(/standard-rated/);
    expect(() => priceInvoice('EUR', [line({ price: '1', quantity: '1', tax: { ...exportTax, ratePercent: '19' } })], [])).toThrow(/taxed at 0/);
    expect(() => priceInvoice('EUR', [line({ price: '1', quantity: '1', tax: { ...standard19, ratePercent: 'nineteen' } })], [])).toThrow(/not a percentage/);
  });
});

// ————————————————————————————————————————————— properties

const currencies = ['EUR', 'JPY', 'KWD', 'USD'] as const;

/** A positive decimal with at most `decimals` places, from a scaled integer. */
const decimalText = (maxUnits: number, decimals: number, min = 0) => fc.integer({ min, max: maxUnits }).map((units) => new Big(String(units)).div(new Big('10').pow(decimals)).toFixed());

const lineArbitrary = (currency: string) =>
  fc.record({
    price: decimalText(5_000_000, currencyExponent(currency) + 4),
    quantity: fc.oneof(decimalText(50, 0, 1), decimalText(5_000_000, 6, 1)),
    discount: fc.option(fc.oneof(decimalText(10_000, 2), fc.constantFrom('0', '100', '2', '12.5')), { nil: null }),
    group: fc.constantFrom('order-a', 'order-b', null),
    allowance: fc.option(fc.oneof(decimalText(10_000, 2), fc.constantFrom('0', '2', '3', '100')), { nil: null }),
    tax: fc.constantFrom(...taxes),
  });

const documentArbitrary = fc.constantFrom(...currencies).chain((currency) =>
  fc.record({
    currency: fc.constant(currency),
    lines: fc.array(lineArbitrary(currency), { minLength: 0, maxLength: 12 }),
    charges: fc.array(fc.record({ amountMinor: fc.bigInt({ min: 0n, max: 500_000n }), tax: fc.constantFrom(...taxes) }), { maxLength: 3 }),
  }),
);

const seed = Number(process.env.O2C_RULES_SEED ?? 20261127);

describe('invoice pricing: properties', () => {
  it('keeps every identity: totals, sums of lines, group allowances, BR-CO-17 per category and rate', () => {
    fc.assert(
      fc.property(documentArbitrary, ({ currency, lines: specs, charges }) => {
        const lines = specs.map(line);
        expectConsistent(currency, lines, charges, priceInvoice(currency, lines, charges));
      }),
      { numRuns: 400, seed },
    );
  });

  it('gives the same totals whatever the order of the lines and charges', () => {
    fc.assert(
      fc.property(documentArbitrary, fc.integer(), ({ currency, lines: specs, charges }, shuffleSeed) => {
        const lines = specs.map(line);
        const rotate = <T>(values: readonly T[]) => (values.length === 0 ? [...values] : [...values.slice(Math.abs(shuffleSeed) % values.length), ...values.slice(0, Math.abs(shuffleSeed) % values.length)].reverse());
        const a = priceInvoice(currency, lines, charges);
        const b = priceInvoice(currency, rotate(lines), rotate(charges));
        for (const key of ['linesNetMinor', 'allowancesMinor', 'chargesMinor', 'taxableMinor', 'taxMinor', 'grossMinor'] as const) expect(b[key]).toBe(a[key]);
        expect(b.breakdown).toEqual(a.breakdown);
      }),
      { numRuns: 200, seed },
    );
  });

  it('honours fixed amounts next to computed lines', () => {
    fc.assert(
      fc.property(
        documentArbitrary,
        fc.array(fc.record({ grossMinor: fc.bigInt({ min: 0n, max: 1_000_000n }), discountPart: fc.bigInt({ min: 0n, max: 100n }), sharePart: fc.bigInt({ min: 0n, max: 100n }) }), { minLength: 1, maxLength: 4 }),
        ({ currency, lines: specs, charges }, fixedParts) => {
          const fixedLines = fixedParts.map((part, index) => {
            const discountMinor = (part.grossMinor * part.discountPart) / 100n;
            const allowanceShareMinor = ((part.grossMinor - discountMinor) * part.sharePart) / 100n;
            return line({ price: '1', quantity: '1', group: index % 2 === 0 ? 'order-a' : null, allowance: '10', fixed: { grossMinor: part.grossMinor, discountMinor, allowanceShareMinor } });
          });
          const lines = [...specs.map(line), ...fixedLines];
          expectConsistent(currency, lines, charges, priceInvoice(currency, lines, charges));
        },
      ),
      { numRuns: 200, seed },
    );
  });

  /**
   * A line credited in parts the way credit notes do it (creditLine and
   * partOfWhatIsLeft): every part but the last is priced on its own for its
   * quantity, with the line's discount and order discount percentage, unless that
   * takes more of the line than is left; the last takes exactly what is left as fixed
   * amounts. Price reductions may come in between. No part is negative, the parts
   * never take more than the line, and in the end they add up to it exactly.
   */
  it('credits a line in parts that end with the remainder and add up to the line exactly', () => {
    const partsArbitrary = fc.constantFrom(...currencies).chain((currency) =>
      fc.record({
        currency: fc.constant(currency),
        original: lineArbitrary(currency).map((spec) => ({ ...spec, group: 'order-a' })),
        others: fc.array(lineArbitrary(currency).map((spec) => ({ ...spec, group: 'order-a' })), { maxLength: 3 }),
        cuts: fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 1, maxLength: 12 }),
        reductions: fc.array(fc.option(fc.integer({ min: 1, max: 100 }), { nil: null }), { minLength: 12, maxLength: 12 }),
      }),
    );
    fc.assert(
      fc.property(partsArbitrary, ({ currency, original, others, cuts, reductions }) => {
        const originalLine = line(original);
        const invoice = priceInvoice(currency, [originalLine, ...others.map(line)], []);
        const billed = invoice.lines[0]!;
        const row = {
          order_id: 'order-a',
          unit_price: originalLine.unitPrice.toFixed(),
          discount_percent: originalLine.discountPercent?.toFixed() ?? null,
          allowance_percent: originalLine.allowancePercent?.toFixed() ?? null,
          gross_minor: billed.grossMinor,
          discount_minor: billed.discountMinor,
          allowance_share_minor: billed.allowanceShareMinor,
          taxable_minor: billed.taxableMinor,
        } as unknown as InvoiceLineRow;
        const credited: Credited = { quantity: new Big('0'), grossMinor: 0n, discountMinor: 0n, allowanceShareMinor: 0n, taxableMinor: 0n };
        const take = (entry: { grossMinor: bigint; discountMinor: bigint; allowanceShareMinor: bigint; taxableMinor: bigint }, quantity: Decimal | null) => {
          expect([entry.grossMinor, entry.discountMinor, entry.allowanceShareMinor, entry.taxableMinor].every((amount) => amount >= 0n), `a negative part: ${show(entry)}`).toBe(true);
          credited.grossMinor += entry.grossMinor;
          credited.discountMinor += entry.discountMinor;
          credited.allowanceShareMinor += entry.allowanceShareMinor;
          credited.taxableMinor += entry.taxableMinor;
          if (quantity !== null) credited.quantity = credited.quantity.plus(quantity);
          expect(
            credited.grossMinor <= billed.grossMinor && credited.discountMinor <= billed.discountMinor && credited.allowanceShareMinor <= billed.allowanceShareMinor && credited.taxableMinor <= billed.taxableMinor,
            `the parts took more than the line: ${show(credited)} of ${show(billed)}`,
          ).toBe(true);
        };
        splitQuantity(originalLine.quantity, cuts).forEach((quantity, index, quantities) => {
          // A price reduction first: an amount of what is left of the line's taxable amount.
          const reduction = reductions[index];
          const leftTaxable = billed.taxableMinor - credited.taxableMinor;
          if (reduction != null && leftTaxable > 0n) {
            const amountMinor = (leftTaxable * BigInt(reduction)) / 100n;
            if (amountMinor > 0n) take(priceInvoice(currency, [{ ...originalLine, quantity: new Big('1'), discountPercent: null, allowanceGroup: null, allowancePercent: null, fixed: { grossMinor: amountMinor, discountMinor: 0n, allowanceShareMinor: 0n } }], []).lines[0]!, null);
          }
          const last = index === quantities.length - 1;
          const remaining = originalLine.quantity.minus(credited.quantity);
          const fixed = last
            ? { grossMinor: billed.grossMinor - credited.grossMinor, discountMinor: billed.discountMinor - credited.discountMinor, allowanceShareMinor: billed.allowanceShareMinor - credited.allowanceShareMinor }
            : partOfWhatIsLeft(row, credited, quantity, remaining, currency);
          const part: LineToBill = { ...originalLine, quantity, fixed };
          const creditNote = priceInvoice(currency, [part], []);
          expectConsistent(currency, [part], [], creditNote);
          take(creditNote.lines[0]!, quantity);
        });
        expect(credited.quantity.eq(originalLine.quantity)).toBe(true);
        expect([credited.grossMinor, credited.discountMinor, credited.allowanceShareMinor, credited.taxableMinor]).toEqual([billed.grossMinor, billed.discountMinor, billed.allowanceShareMinor, billed.taxableMinor]);
      }),
      { numRuns: 400, seed },
    );
  });

  it('credits a cheap discounted line unit by unit without a negative last unit', () => {
    // 10 × 0.15 with 10 % off the line and 10 % off the order: each unit alone rounds its discount
    // 0.015 up to 0.02, so priced one by one the first nine would take 0.18 of the line's 0.15.
    const originalLine = line({ price: '0.15', quantity: '10', discount: '10', group: 'order-a', allowance: '10' });
    const billed = priceInvoice('EUR', [originalLine], []).lines[0]!;
    expect(billed).toMatchObject({ grossMinor: 150n, discountMinor: 15n, allowanceShareMinor: 14n, taxableMinor: 121n });
    const row = { order_id: 'order-a', unit_price: '0.15', discount_percent: '10', allowance_percent: '10', gross_minor: 150n, discount_minor: 15n, allowance_share_minor: 14n, taxable_minor: 121n } as unknown as InvoiceLineRow;
    const credited: Credited = { quantity: new Big('0'), grossMinor: 0n, discountMinor: 0n, allowanceShareMinor: 0n, taxableMinor: 0n };
    const parts: bigint[][] = [];
    for (let unit = 1; unit <= 10; unit += 1) {
      const remaining = new Big('10').minus(credited.quantity);
      const fixed =
        unit === 10
          ? { grossMinor: billed.grossMinor - credited.grossMinor, discountMinor: billed.discountMinor - credited.discountMinor, allowanceShareMinor: billed.allowanceShareMinor - credited.allowanceShareMinor }
          : partOfWhatIsLeft(row, credited, new Big('1'), remaining, 'EUR');
      const entry = priceInvoice('EUR', [{ ...originalLine, quantity: new Big('1'), fixed }], []).lines[0]!;
      parts.push([entry.grossMinor, entry.discountMinor, entry.allowanceShareMinor, entry.taxableMinor]);
      credited.quantity = credited.quantity.plus('1');
      credited.grossMinor += entry.grossMinor;
      credited.discountMinor += entry.discountMinor;
      credited.allowanceShareMinor += entry.allowanceShareMinor;
      credited.taxableMinor += entry.taxableMinor;
    }
    expect(parts.every((amounts) => amounts.every((amount) => amount >= 0n))).toBe(true);
    expect([credited.grossMinor, credited.discountMinor, credited.allowanceShareMinor, credited.taxableMinor]).toEqual([150n, 15n, 14n, 121n]);
  });
});

const show = (value: object) => JSON.stringify(value, (_key, entry: unknown) => (typeof entry === 'bigint' ? entry.toString() : entry instanceof Object && 'toFixed' in entry ? String(entry) : entry));

/** Splits a quantity into positive parts (at most six decimals each) by the given weights; the parts add up to it. */
function splitQuantity(total: Decimal, weights: readonly number[]): Decimal[] {
  const units = BigInt(total.times('1000000').toFixed(0));
  const weightSum = BigInt(weights.reduce((a, b) => a + b, 0));
  const parts: bigint[] = [];
  let left = units;
  weights.forEach((weight, index) => {
    if (left <= 0n) return;
    const part = index === weights.length - 1 ? left : (units * BigInt(weight)) / weightSum;
    if (part <= 0n) return;
    parts.push(part > left ? left : part);
    left -= part > left ? left : part;
  });
  if (left > 0n) parts.push(left);
  return parts.map((part) => new Big(part.toString()).div('1000000'));
}
