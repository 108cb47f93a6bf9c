import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  determineTaxCategory,
  euMemberStates,
  hasVatId,
  isEuCountry,
  rateRefusal,
  vatPrefixOf,
  type TaxCategoryFacts,
  type TaxSituation,
} from '../../../src/modules/catalog/tax.rules';

const standard: TaxCategoryFacts = { code: 'standard', domesticCategory: 'S', exemptionReason: null };
const reduced: TaxCategoryFacts = { code: 'reduced', domesticCategory: 'S', exemptionReason: null };
const zero: TaxCategoryFacts = { code: 'zero', domesticCategory: 'Z', exemptionReason: null };
const exempt: TaxCategoryFacts = {
  code: 'exempt-training',
  domesticCategory: 'E',
  exemptionReason: 'Exempt from VAT: vocational training',
  exemptionReasonCode: 'VATEX-EU-132-1I',
};
const exemptWithoutCode: TaxCategoryFacts = { code: 'exempt', domesticCategory: 'E', exemptionReason: 'Exempt from VAT' };

const domesticS = (country: string) => ({ categoryCode: 'S', rateCountry: country, exemptionReasonCode: null, exemptionReason: null });
const K = { categoryCode: 'K', rateCountry: null, exemptionReasonCode: 'VATEX-EU-IC', exemptionReason: 'Intra-Community supply' };
const AE = { categoryCode: 'AE', rateCountry: null, exemptionReasonCode: 'VATEX-EU-AE', exemptionReason: 'Reverse charge' };
const G = { categoryCode: 'G', rateCountry: null, exemptionReasonCode: 'VATEX-EU-G', exemptionReason: 'Export outside the EU' };
const O = { categoryCode: 'O', rateCountry: null, exemptionReasonCode: 'VATEX-EU-O', exemptionReason: 'Not subject to VAT' };
const E = (country: string) => ({
  categoryCode: 'E',
  rateCountry: country,
  exemptionReasonCode: 'VATEX-EU-132-1I',
  exemptionReason: 'Exempt from VAT: vocational training',
});

type Case = [name: string, situation: TaxSituation, expected: object];

const cases: Case[] = [
  // Domestic: the item's own category at the seller country's rate, VAT id or not.
  ['domestic goods, standard', { itemKind: 'goods', taxCategory: standard, sellerCountry: 'DE', buyerCountry: 'DE', buyerVatId: 'DE811907980' }, domesticS('DE')],
  ['domestic goods, reduced', { itemKind: 'goods', taxCategory: reduced, sellerCountry: 'DE', buyerCountry: 'DE', buyerVatId: null }, domesticS('DE')],
  ['domestic services', { itemKind: 'service', taxCategory: standard, sellerCountry: 'FR', buyerCountry: 'FR', buyerVatId: 'FR40303265045' }, domesticS('FR')],
  [
    'domestic zero-rated',
    { itemKind: 'goods', taxCategory: zero, sellerCountry: 'SE', buyerCountry: 'SE', buyerVatId: null },
    { categoryCode: 'Z', rateCountry: 'SE', exemptionReasonCode: null, exemptionReason: null },
  ],
  ['domestic outside the EU (a Swiss seller in Switzerland)', { itemKind: 'goods', taxCategory: standard, sellerCountry: 'CH', buyerCountry: 'CH', buyerVatId: null }, domesticS('CH')],
  // Intra-EU B2B.
  ['intra-EU B2B goods: K', { itemKind: 'goods', taxCategory: standard, sellerCountry: 'DE', buyerCountry: 'FR', buyerVatId: 'FR40303265045' }, K],
  ['intra-EU B2B reduced-rate goods: K', { itemKind: 'goods', taxCategory: reduced, sellerCountry: 'DE', buyerCountry: 'AT', buyerVatId: 'ATU13585627' }, K],
  ['intra-EU B2B zero-rated goods: K', { itemKind: 'goods', taxCategory: zero, sellerCountry: 'NL', buyerCountry: 'BE', buyerVatId: 'BE0477472701' }, K],
  ['intra-EU B2B services: AE', { itemKind: 'service', taxCategory: standard, sellerCountry: 'DE', buyerCountry: 'NL', buyerVatId: 'NL004495445B01' }, AE],
  ['intra-EU B2B goods to Greece (VAT id prefix EL): K', { itemKind: 'goods', taxCategory: standard, sellerCountry: 'DE', buyerCountry: 'GR', buyerVatId: 'EL094014201' }, K],
  ['intra-EU B2B services to Greece: AE', { itemKind: 'service', taxCategory: standard, sellerCountry: 'IT', buyerCountry: 'GR', buyerVatId: 'EL094014201' }, AE],
  ['intra-EU B2B from Greece: K', { itemKind: 'goods', taxCategory: standard, sellerCountry: 'GR', buyerCountry: 'DE', buyerVatId: 'DE811907980' }, K],
  // Intra-EU B2C: the seller's category and rate.
  ['intra-EU B2C goods', { itemKind: 'goods', taxCategory: standard, sellerCountry: 'DE', buyerCountry: 'FR', buyerVatId: null }, domesticS('DE')],
  ['intra-EU B2C services', { itemKind: 'service', taxCategory: standard, sellerCountry: 'DE', buyerCountry: 'PL', buyerVatId: null }, domesticS('DE')],
  ['intra-EU B2C with a blank VAT id', { itemKind: 'goods', taxCategory: reduced, sellerCountry: 'AT', buyerCountry: 'IT', buyerVatId: '  ' }, domesticS('AT')],
  [
    'intra-EU B2C zero-rated goods',
    { itemKind: 'goods', taxCategory: zero, sellerCountry: 'BE', buyerCountry: 'NL', buyerVatId: '' },
    { categoryCode: 'Z', rateCountry: 'BE', exemptionReasonCode: null, exemptionReason: null },
  ],
  // Leaving the EU.
  ['export goods to the US: G', { itemKind: 'goods', taxCategory: standard, sellerCountry: 'DE', buyerCountry: 'US', buyerVatId: null }, G],
  ['export goods to Switzerland with a VAT id: G', { itemKind: 'goods', taxCategory: standard, sellerCountry: 'DE', buyerCountry: 'CH', buyerVatId: 'CHE-116.281.710 MWST' }, G],
  ['export goods to the UK: G', { itemKind: 'goods', taxCategory: reduced, sellerCountry: 'FR', buyerCountry: 'GB', buyerVatId: 'GB980780684' }, G],
  ['services to a non-EU buyer: O', { itemKind: 'service', taxCategory: standard, sellerCountry: 'DE', buyerCountry: 'US', buyerVatId: null }, O],
  ['services to a non-EU business: O', { itemKind: 'service', taxCategory: standard, sellerCountry: 'SE', buyerCountry: 'NO', buyerVatId: 'NO923609016MVA' }, O],
  ['non-EU seller selling goods abroad: G', { itemKind: 'goods', taxCategory: standard, sellerCountry: 'CH', buyerCountry: 'DE', buyerVatId: 'DE811907980' }, G],
  // Exempt items are E everywhere, with their reason.
  ['exempt service, domestic', { itemKind: 'service', taxCategory: exempt, sellerCountry: 'DE', buyerCountry: 'DE', buyerVatId: null }, E('DE')],
  ['exempt service, intra-EU B2B', { itemKind: 'service', taxCategory: exempt, sellerCountry: 'DE', buyerCountry: 'FR', buyerVatId: 'FR40303265045' }, E('DE')],
  ['exempt service, intra-EU B2C', { itemKind: 'service', taxCategory: exempt, sellerCountry: 'DE', buyerCountry: 'FR', buyerVatId: null }, E('DE')],
  ['exempt service, export', { itemKind: 'service', taxCategory: exempt, sellerCountry: 'DE', buyerCountry: 'US', buyerVatId: null }, E('DE')],
  ['exempt goods, export', { itemKind: 'goods', taxCategory: exempt, sellerCountry: 'DE', buyerCountry: 'US', buyerVatId: null }, E('DE')],
  [
    'exempt category without a VATEX code',
    { itemKind: 'goods', taxCategory: exemptWithoutCode, sellerCountry: 'NL', buyerCountry: 'NL', buyerVatId: null },
    { categoryCode: 'E', rateCountry: 'NL', exemptionReasonCode: null, exemptionReason: 'Exempt from VAT' },
  ],
];

describe('determineTaxCategory', () => {
  for (const [name, situation, expected] of cases) {
    it(name, () => {
      expect(determineTaxCategory(situation)).toEqual(expected);
    });
  }

  const country = fc.constantFrom('DE', 'FR', 'GR', 'AT', 'IT', 'SE', 'US', 'CH', 'GB', 'NO', 'JP');
  const situation = fc.record({
    itemKind: fc.constantFrom('goods' as const, 'service' as const),
    taxCategory: fc.constantFrom(standard, reduced, zero, exempt, exemptWithoutCode),
    sellerCountry: country,
    buyerCountry: country,
    buyerVatId: fc.option(fc.constantFrom('DE811907980', 'EL094014201', '', 'X1'), { nil: null }),
  });

  it('gives every situation exactly one category, consistent with the rules', () => {
    fc.assert(
      fc.property(situation, (input) => {
        const result = determineTaxCategory(input);
        const bothEu = isEuCountry(input.sellerCountry) && isEuCountry(input.buyerCountry);
        const sameCountry = input.sellerCountry === input.buyerCountry;
        if (input.taxCategory.domesticCategory === 'E') expect(result.categoryCode).toBe('E');
        if (result.categoryCode === 'K') expect([input.itemKind, bothEu, sameCountry, hasVatId(input.buyerVatId)]).toEqual(['goods', true, false, true]);
        if (result.categoryCode === 'AE') expect([input.itemKind, bothEu, sameCountry, hasVatId(input.buyerVatId)]).toEqual(['service', true, false, true]);
        if (result.categoryCode === 'G' || result.categoryCode === 'O') {
          expect(sameCountry || bothEu).toBe(false);
          expect(result.categoryCode).toBe(input.itemKind === 'goods' ? 'G' : 'O');
        }
        // K, AE, G and O are 0 by definition; S, Z and E take the seller country's rate.
        const zeroByDefinition = ['K', 'AE', 'G', 'O'].includes(result.categoryCode);
        expect(result.rateCountry).toBe(zeroByDefinition ? null : input.sellerCountry);
        if (zeroByDefinition) expect(result.exemptionReasonCode).toMatch(/^VATEX-EU-/);
        if (result.categoryCode === 'S' || result.categoryCode === 'Z') expect([result.exemptionReasonCode, result.exemptionReason]).toEqual([null, null]);
        if (result.categoryCode === 'E') expect(result.exemptionReason).toBe(input.taxCategory.exemptionReason);
      }),
      { numRuns: 500 },
    );
  });
});

describe('EU membership and VAT prefixes', () => {
  it('has the 27 member states, Greece as GR', () => {
    expect(euMemberStates.size).toBe(27);
    expect(isEuCountry('GR')).toBe(true);
    expect(isEuCountry('EL')).toBe(false);
    for (const outside of ['GB', 'CH', 'NO', 'US', 'XI', 'de', '']) expect(isEuCountry(outside)).toBe(false);
  });

  it('prefixes Greek VAT numbers with EL and every other with the country code', () => {
    expect(vatPrefixOf('GR')).toBe('EL');
    expect(vatPrefixOf('DE')).toBe('DE');
    expect(vatPrefixOf('AT')).toBe('AT');
  });
});

describe('rateRefusal', () => {
  it('wants a rate above 0 for S and exactly 0 for every other category', () => {
    expect(rateRefusal('S', false)).toBeNull();
    expect(rateRefusal('S', true)).toMatch(/greater than 0/);
    for (const category of ['Z', 'E', 'AE', 'K', 'G', 'O'] as const) {
      expect(rateRefusal(category, true)).toBeNull();
      expect(rateRefusal(category, false)).toMatch(/0 %/);
    }
  });
});
