import {
  austria,
  belgium,
  bulgaria,
  checkVAT,
  croatia,
  cyprus,
  czechRepublic,
  denmark,
  estonia,
  finland,
  france,
  germany,
  greece,
  hungary,
  ireland,
  italy,
  latvia,
  lithuania,
  luxembourg,
  malta,
  netherlands,
  norway,
  poland,
  portugal,
  romania,
  slovakiaRepublic,
  slovenia,
  spain,
  sweden,
  switzerland,
  unitedKingdom,
  type Country,
} from 'jsvat';

/**
 * VAT identification numbers. Where a country has a rule (the EU member states,
 * and Great Britain, Switzerland and Norway), the number must carry that
 * country's prefix and pass its format and check-digit rule (jsvat). Whether the
 * number is registered is a question for VIES, not for this check.
 */
interface VatRule {
  /** What the number starts with: the country code, except EL for Greece and CHE for Switzerland. */
  readonly prefix: string;
  /** The format in words, for the message when a number does not fit. */
  readonly format: string;
  readonly country: Country;
}

const rules: Readonly<Record<string, VatRule>> = {
  AT: { prefix: 'ATU', format: 'ATU followed by 8 digits', country: austria },
  BE: { prefix: 'BE', format: 'BE followed by 10 digits (starting with 0 or 1)', country: belgium },
  BG: { prefix: 'BG', format: 'BG followed by 9 or 10 digits', country: bulgaria },
  CY: { prefix: 'CY', format: 'CY followed by 8 digits and a letter', country: cyprus },
  CZ: { prefix: 'CZ', format: 'CZ followed by 8, 9 or 10 digits', country: czechRepublic },
  DE: { prefix: 'DE', format: 'DE followed by 9 digits', country: germany },
  DK: { prefix: 'DK', format: 'DK followed by 8 digits', country: denmark },
  EE: { prefix: 'EE', format: 'EE followed by 9 digits', country: estonia },
  ES: { prefix: 'ES', format: 'ES followed by 9 characters (a letter or digit, 7 digits, a letter or digit)', country: spain },
  FI: { prefix: 'FI', format: 'FI followed by 8 digits', country: finland },
  FR: { prefix: 'FR', format: 'FR followed by 2 check characters (digits or letters) and the 9-digit SIREN', country: france },
  GR: { prefix: 'EL', format: 'EL followed by 9 digits (Greece uses EL, not GR)', country: greece },
  HR: { prefix: 'HR', format: 'HR followed by 11 digits', country: croatia },
  HU: { prefix: 'HU', format: 'HU followed by 8 digits', country: hungary },
  IE: { prefix: 'IE', format: 'IE followed by 7 digits and 1 or 2 letters', country: ireland },
  IT: { prefix: 'IT', format: 'IT followed by 11 digits', country: italy },
  LT: { prefix: 'LT', format: 'LT followed by 9 or 12 digits', country: lithuania },
  LU: { prefix: 'LU', format: 'LU followed by 8 digits', country: luxembourg },
  LV: { prefix: 'LV', format: 'LV followed by 11 digits', country: latvia },
  MT: { prefix: 'MT', format: 'MT followed by 8 digits', country: malta },
  NL: { prefix: 'NL', format: 'NL followed by 9 digits, the letter B and 2 digits', country: netherlands },
  PL: { prefix: 'PL', format: 'PL followed by 10 digits', country: poland },
  PT: { prefix: 'PT', format: 'PT followed by 9 digits', country: portugal },
  RO: { prefix: 'RO', format: 'RO followed by 2 to 10 digits', country: romania },
  SE: { prefix: 'SE', format: 'SE followed by 10 digits and 01', country: sweden },
  SI: { prefix: 'SI', format: 'SI followed by 8 digits', country: slovenia },
  SK: { prefix: 'SK', format: 'SK followed by 10 digits', country: slovakiaRepublic },
  GB: { prefix: 'GB', format: 'GB followed by 9 or 12 digits (or GD/HA and 3 digits)', country: unitedKingdom },
  CH: { prefix: 'CHE', format: 'CHE followed by 9 digits, optionally MWST, TVA or IVA', country: switzerland },
  NO: { prefix: 'NO', format: 'NO followed by 9 digits, optionally MVA', country: norway },
};

/** Countries whose VAT ids are checked. */
export const vatRuleCountries: readonly string[] = Object.freeze(Object.keys(rules).sort());

export function vatIdFormat(countryCode: string): string | undefined {
  return rules[countryCode]?.format;
}

/** Spaces, dots and hyphens are only grouping ("DE 123.456.789", "CHE-116.281.710"); letters are upper-cased. */
export function normaliseVatId(text: string): string {
  return text.replace(/[\s.-]+/g, '').toUpperCase();
}

export type VatIdCheck = { readonly ok: true; readonly vatId: string } | { readonly ok: false; readonly message: string };

/** Ids of countries without a rule: letters and digits only, of a plausible length. */
const otherVatIdPattern = /^[A-Z0-9]{4,30}$/;

/**
 * Checks a VAT id for a customer in `countryCode` and returns it normalised, or a
 * message naming the expected format. A number of another rule country is refused
 * with a message naming both countries (an intra-EU customer's VAT id must be
 * from its own country).
 */
export function checkVatId(text: string, countryCode: string): VatIdCheck {
  const vatId = normaliseVatId(text);
  const rule = rules[countryCode];
  const foreign = foreignRuleOf(vatId, countryCode);
  if (rule === undefined) {
    if (foreign !== undefined) {
      return { ok: false, message: `is a VAT id of ${foreign.countryCode}, but the customer's country is ${countryCode}` };
    }
    return otherVatIdPattern.test(vatId) ? { ok: true, vatId } : { ok: false, message: 'must be 4 to 30 letters and digits' };
  }
  if (!vatId.startsWith(rule.prefix)) {
    if (countryCode === 'GR' && vatId.startsWith('GR')) return { ok: false, message: `must be ${rule.format}` };
    const named = foreign === undefined ? '' : ` (this is a VAT id of ${foreign.countryCode})`;
    return { ok: false, message: `must be ${rule.format} for a customer in ${countryCode}${named}` };
  }
  const result = checkVAT(vatId, [rule.country]);
  if (!result.isValidFormat) return { ok: false, message: `must be ${rule.format}` };
  if (!result.isValid) return { ok: false, message: `has the format ${rule.format}, but its check digits are wrong` };
  return { ok: true, vatId };
}

/** The rule country, other than `countryCode`, whose rule the id passes, if any. */
function foreignRuleOf(vatId: string, countryCode: string): { countryCode: string } | undefined {
  for (const [code, rule] of Object.entries(rules)) {
    if (code === countryCode || !vatId.startsWith(rule.prefix)) continue;
    if (checkVAT(vatId, [rule.country]).isValidFormat) return { countryCode: code };
  }
  return undefined;
}
