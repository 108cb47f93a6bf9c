/**
 * Which VAT category a sale falls in, as pure rules: no database, no clock. The
 * categories are EN 16931's (BT-151, UNCL5305 subset), and the reason codes are
 * the VATEX code list the standard uses for BT-121.
 */

/** EN 16931 VAT category codes: S standard, Z zero-rated, E exempt, AE reverse charge, K intra-EU supply, G export, O outside the scope of VAT. */
export const enTaxCategories = ['S', 'Z', 'E', 'AE', 'K', 'G', 'O'] as const;
export type EnTaxCategory = (typeof enTaxCategories)[number];

/** The categories a tax category may have for a sale within one country. */
export type DomesticTaxCategory = 'S' | 'Z' | 'E';

/** A tax category is the tenant's own key ('standard', 'reduced', …). */
export type TaxCategoryCode = string;

export type ItemKind = 'goods' | 'service';

/**
 * The 27 member states of the European Union by ISO 3166-1 code. Greece is GR
 * here; only its VAT numbers use the prefix EL (see vatPrefixOf).
 */
export const euMemberStates: ReadonlySet<string> = new Set([
  'AT', 'BE', 'BG', 'CY', 'CZ', 'DE', 'DK', 'EE', 'ES', 'FI', 'FR', 'GR', 'HR', 'HU',
  'IE', 'IT', 'LT', 'LU', 'LV', 'MT', 'NL', 'PL', 'PT', 'RO', 'SE', 'SI', 'SK',
]);

/** Whether an ISO 3166-1 alpha-2 code is an EU member state ('GR' yes, 'EL' no: EL is a VAT prefix, not a country). */
export function isEuCountry(countryCode: string): boolean {
  return euMemberStates.has(countryCode);
}

/** The prefix of a member state's VAT numbers: the country code, except EL for Greece. */
export function vatPrefixOf(countryCode: string): string {
  return countryCode === 'GR' ? 'EL' : countryCode;
}

export interface TaxCategoryFacts {
  readonly code: TaxCategoryCode;
  readonly domesticCategory: DomesticTaxCategory;
  /** Required when domesticCategory is E (BR-E-10). */
  readonly exemptionReason: string | null;
  /** An optional VATEX code for an exempt category (e.g. VATEX-EU-132-1I). */
  readonly exemptionReasonCode?: string | null;
}

export interface TaxSituation {
  readonly itemKind: ItemKind;
  readonly taxCategory: TaxCategoryFacts;
  readonly sellerCountry: string;
  readonly buyerCountry: string;
  readonly buyerVatId: string | null;
}

export interface TaxDetermination {
  readonly categoryCode: EnTaxCategory;
  /** The country whose rate for the tax category applies; null means the rate is 0 by the category itself. */
  readonly rateCountry: string | null;
  readonly exemptionReasonCode: string | null;
  readonly exemptionReason: string | null;
}

/** The VATEX codes and texts of the categories that follow from where goods go, not from the item. */
export const crossBorderReasons = {
  K: { code: 'VATEX-EU-IC', text: 'Intra-Community supply' },
  AE: { code: 'VATEX-EU-AE', text: 'Reverse charge' },
  G: { code: 'VATEX-EU-G', text: 'Export outside the EU' },
  O: { code: 'VATEX-EU-O', text: 'Not subject to VAT' },
} as const satisfies Record<string, { code: string; text: string }>;

function crossBorder(category: keyof typeof crossBorderReasons): TaxDetermination {
  const reason = crossBorderReasons[category];
  return { categoryCode: category, rateCountry: null, exemptionReasonCode: reason.code, exemptionReason: reason.text };
}

function domestic(situation: TaxSituation): TaxDetermination {
  const { taxCategory } = situation;
  const exempt = taxCategory.domesticCategory === 'E';
  return {
    categoryCode: taxCategory.domesticCategory,
    rateCountry: situation.sellerCountry,
    exemptionReasonCode: exempt ? (taxCategory.exemptionReasonCode ?? null) : null,
    exemptionReason: exempt ? taxCategory.exemptionReason : null,
  };
}

/** A VAT id counts when it has some content; blanks are no VAT id. */
export function hasVatId(vatId: string | null): boolean {
  return vatId !== null && vatId.trim() !== '';
}

/**
 * The VAT category of a line, from the item, the seller's and the buyer's country
 * and the buyer's VAT id (Council Directive 2006/112/EC):
 *
 * 1. An exempt item is E wherever it goes, with its exemption reason.
 * 2. Seller and buyer in one country: the item's domestic category at that country's rate.
 * 3. Both in the EU, buyer with a VAT id: goods are an intra-Community supply K
 *    (Art. 138), services are taxed by the buyer under reverse charge AE (Art. 44, 196).
 * 4. Both in the EU, buyer without a VAT id (a consumer): the seller's domestic
 *    category and rate. (One-Stop-Shop distance sales above the EU threshold, taxed
 *    at the buyer's rate, are not modelled.)
 * 5. Otherwise the sale leaves the seller's VAT area: goods are an export G
 *    (Art. 146), services are outside the scope of EU VAT O.
 *
 * The rate of K, AE, G and O is 0 by definition (rateCountry null); S, Z and E
 * take the rate of rateCountry for the tax category on the document date.
 */
export function determineTaxCategory(situation: TaxSituation): TaxDetermination {
  const { itemKind, taxCategory, sellerCountry, buyerCountry, buyerVatId } = situation;
  if (taxCategory.domesticCategory === 'E') return domestic(situation);
  if (sellerCountry === buyerCountry) return domestic(situation);
  if (isEuCountry(sellerCountry) && isEuCountry(buyerCountry)) {
    if (!hasVatId(buyerVatId)) return domestic(situation);
    return crossBorder(itemKind === 'goods' ? 'K' : 'AE');
  }
  return crossBorder(itemKind === 'goods' ? 'G' : 'O');
}

/**
 * The rate a category must carry (EN 16931 BR-S-05, BR-Z-05, BR-E-05, BR-AE-05,
 * BR-IC-05, BR-G-05): S more than 0, every other category exactly 0. Returns a
 * reason when the rate breaks it.
 */
export function rateRefusal(category: EnTaxCategory, ratePercentIsZero: boolean): string | null {
  if (category === 'S') return ratePercentIsZero ? 'a standard-rated (S) category needs a rate greater than 0' : null;
  return ratePercentIsZero ? null : `category ${category} is always taxed at 0 %`;
}
