/**
 * The catalog's maintained reference tables: the tax categories and VAT rates a new
 * tenant starts with, and the units of measure items may use. Change a rate here
 * by ending the old row (validTo) and adding a new one, never by editing history:
 * tenants created earlier keep their own copy and change it through the API.
 */

export interface DefaultTaxCategory {
  readonly code: string;
  readonly name: string;
  readonly domesticCategory: 'S' | 'Z' | 'E';
  readonly exemptionReason: string | null;
  readonly exemptionReasonCode: string | null;
}

export const defaultTaxCategories: readonly DefaultTaxCategory[] = [
  { code: 'standard', name: 'Standard rate', domesticCategory: 'S', exemptionReason: null, exemptionReasonCode: null },
  { code: 'reduced', name: 'Reduced rate', domesticCategory: 'S', exemptionReason: null, exemptionReasonCode: null },
  { code: 'zero', name: 'Zero rate', domesticCategory: 'Z', exemptionReason: null, exemptionReasonCode: null },
  { code: 'exempt', name: 'Exempt from VAT', domesticCategory: 'E', exemptionReason: 'Exempt from VAT', exemptionReasonCode: null },
];

export interface DefaultTaxRate {
  readonly taxCategoryCode: string;
  readonly countryCode: string;
  readonly ratePercent: string;
  readonly validFrom: string;
  readonly validTo: string | null;
}

const since = '2020-01-01';

/** Standard and main reduced rate per member state, in force since 2020-01-01 unless a history is given. */
const ratesByCountry: ReadonlyArray<{ country: string; standard: string; reduced: string }> = [
  { country: 'AT', standard: '20', reduced: '10' },
  { country: 'FR', standard: '20', reduced: '5.5' },
  { country: 'NL', standard: '21', reduced: '9' },
  { country: 'IT', standard: '22', reduced: '10' },
  { country: 'ES', standard: '21', reduced: '10' },
  { country: 'PL', standard: '23', reduced: '8' },
  { country: 'SE', standard: '25', reduced: '12' },
  { country: 'BE', standard: '21', reduced: '6' },
];

/**
 * Germany lowered its rates to 16 % and 5 % from 1 July to 31 December 2020
 * (Zweites Corona-Steuerhilfegesetz); the history is kept so documents dated in
 * that half-year are taxed right.
 */
const germanRates: readonly DefaultTaxRate[] = [
  { taxCategoryCode: 'standard', countryCode: 'DE', ratePercent: '19', validFrom: since, validTo: '2020-06-30' },
  { taxCategoryCode: 'standard', countryCode: 'DE', ratePercent: '16', validFrom: '2020-07-01', validTo: '2020-12-31' },
  { taxCategoryCode: 'standard', countryCode: 'DE', ratePercent: '19', validFrom: '2021-01-01', validTo: null },
  { taxCategoryCode: 'reduced', countryCode: 'DE', ratePercent: '7', validFrom: since, validTo: '2020-06-30' },
  { taxCategoryCode: 'reduced', countryCode: 'DE', ratePercent: '5', validFrom: '2020-07-01', validTo: '2020-12-31' },
  { taxCategoryCode: 'reduced', countryCode: 'DE', ratePercent: '7', validFrom: '2021-01-01', validTo: null },
];

const zeroRates = (country: string): DefaultTaxRate[] =>
  ['zero', 'exempt'].map((taxCategoryCode) => ({ taxCategoryCode, countryCode: country, ratePercent: '0', validFrom: since, validTo: null }));

export const defaultTaxRates: readonly DefaultTaxRate[] = [
  ...germanRates,
  ...zeroRates('DE'),
  ...ratesByCountry.flatMap(({ country, standard, reduced }) => [
    { taxCategoryCode: 'standard', countryCode: country, ratePercent: standard, validFrom: since, validTo: null },
    { taxCategoryCode: 'reduced', countryCode: country, ratePercent: reduced, validFrom: since, validTo: null },
    ...zeroRates(country),
  ]),
];

/**
 * Units of measure items may use: common codes of UN/ECE Recommendation 20 (and
 * Recommendation 21 package codes with their "X" prefix), the code list EN 16931
 * invoices use for BT-130.
 */
export const unitsOfMeasure: Readonly<Record<string, string>> = Object.freeze({
  C62: 'one (piece)',
  H87: 'piece',
  EA: 'each',
  PR: 'pair',
  SET: 'set',
  DZN: 'dozen',
  XBX: 'box',
  XPK: 'package',
  XPX: 'pallet',
  XRO: 'roll',
  GRM: 'gram',
  KGM: 'kilogram',
  TNE: 'tonne',
  MMT: 'millimetre',
  CMT: 'centimetre',
  MTR: 'metre',
  KMT: 'kilometre',
  MTK: 'square metre',
  MTQ: 'cubic metre',
  MLT: 'millilitre',
  LTR: 'litre',
  KWH: 'kilowatt hour',
  MIN: 'minute',
  HUR: 'hour',
  DAY: 'day',
  WEE: 'week',
  MON: 'month',
  ANN: 'year',
  E48: 'service unit',
  LS: 'lump sum',
});

export function isKnownUnit(code: string): boolean {
  return Object.hasOwn(unitsOfMeasure, code);
}

/** The revenue account an item posts to unless told otherwise (SKR 03 "Erlöse"). */
export const defaultRevenueAccount = '8400';
