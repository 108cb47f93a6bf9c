import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkAddressSet,
  checkContacts,
  isCountryCode,
  isLanguageCode,
  normaliseBankAccounts,
  parseCreditLimit,
  refuseTransition,
  withDefaultFlags,
} from '../../../src/modules/customers/customers.rules';
import { checkVatId, normaliseVatId, vatRuleCountries } from '../../../src/modules/customers/vat-id.rules';

describe('VAT ids', () => {
  it.each([
    ['DE', 'DE136695976'],
    ['DE', 'DE811115368'],
    ['FR', 'FR40303265045'],
    ['AT', 'ATU13585627'],
    ['SE', 'SE556012345601'],
    ['GB', 'GB980780684'],
    ['CH', 'CHE116281710'],
    ['CH', 'CHE116281710MWST'],
    ['NO', 'NO923609016MVA'],
    ['GR', 'EL094259216'],
    ['NL', 'NL004495445B01'],
    ['IT', 'IT00743110157'],
    ['ES', 'ESA28015865'],
    ['BE', 'BE0403170701'],
    ['PL', 'PL5260250274'],
    ['DK', 'DK13585628'],
  ])('accepts a well-formed %s id %s', (country, vatId) => {
    expect(checkVatId(vatId, country)).toEqual({ ok: true, vatId });
  });

  it('normalises spaces, dots, hyphens and case', () => {
    expect(normaliseVatId(' de 136.695.976 ')).toBe('DE136695976');
    expect(checkVatId('CHE-116.281.710 MWST', 'CH')).toEqual({ ok: true, vatId: 'CHE116281710MWST' });
    expect(checkVatId('atu 1358 5627', 'AT')).toEqual({ ok: true, vatId: 'ATU13585627' });
  });

  it('names the expected format when the format is wrong', () => {
    expect(checkVatId('DE12345', 'DE')).toEqual({ ok: false, message: 'must be DE followed by 9 digits' });
    expect(checkVatId('ATU1234567', 'AT')).toEqual({ ok: false, message: 'must be ATU followed by 8 digits' });
    expect(checkVatId('SE556012345602', 'SE')).toEqual({ ok: false, message: 'must be SE followed by 10 digits and 01' });
    expect(checkVatId('NL004495445', 'NL')).toEqual({ ok: false, message: 'must be NL followed by 9 digits, the letter B and 2 digits' });
  });

  it('refuses a well-formed id with wrong check digits', () => {
    expect(checkVatId('DE123456789', 'DE')).toEqual({ ok: false, message: 'has the format DE followed by 9 digits, but its check digits are wrong' });
    expect(checkVatId('FR40303265046', 'FR')).toMatchObject({ ok: false, message: expect.stringMatching(/check digits/) });
  });

  it('requires the prefix of the customer’s country and names the country the id belongs to', () => {
    expect(checkVatId('FR40303265045', 'DE')).toEqual({
      ok: false,
      message: 'must be DE followed by 9 digits for a customer in DE (this is a VAT id of FR)',
    });
    expect(checkVatId('136695976', 'DE')).toEqual({ ok: false, message: 'must be DE followed by 9 digits for a customer in DE' });
    expect(checkVatId('980780684', 'GB')).toMatchObject({ ok: false, message: expect.stringMatching(/^must be GB followed by/) });
  });

  it('expects EL, not GR, for Greece, and CHE for Switzerland', () => {
    expect(checkVatId('GR094259216', 'GR')).toEqual({ ok: false, message: 'must be EL followed by 9 digits (Greece uses EL, not GR)' });
    expect(checkVatId('CH116281710', 'CH')).toMatchObject({ ok: false, message: expect.stringMatching(/CHE followed by 9 digits/) });
  });

  it('accepts other countries’ tax ids as letters and digits, but not another rule country’s VAT id', () => {
    expect(checkVatId('12-3456789', 'US')).toEqual({ ok: true, vatId: '123456789' });
    expect(checkVatId('DE136695976', 'US')).toEqual({ ok: false, message: "is a VAT id of DE, but the customer's country is US" });
    expect(checkVatId('X', 'US')).toEqual({ ok: false, message: 'must be 4 to 30 letters and digits' });
    expect(checkVatId('ABC/123', 'US')).toMatchObject({ ok: false });
  });

  it('has a rule for every EU member state and for GB, CH and NO', () => {
    const eu = ['AT', 'BE', 'BG', 'CY', 'CZ', 'DE', 'DK', 'EE', 'ES', 'FI', 'FR', 'GR', 'HR', 'HU', 'IE', 'IT', 'LT', 'LU', 'LV', 'MT', 'NL', 'PL', 'PT', 'RO', 'SE', 'SI', 'SK'];
    expect([...vatRuleCountries]).toEqual([...eu, 'GB', 'CH', 'NO'].sort());
  });

  it('never throws, whatever the text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.constantFrom(...vatRuleCountries, 'US', 'JP'), (text, country) => {
        const result = checkVatId(text, country);
        return result.ok ? /^[A-Z0-9]{4,30}$/.test(result.vatId) : result.message.length > 0;
      }),
    );
  });
});

describe('bank accounts', () => {
  it('normalise IBANs to the electronic format and accept valid ones', () => {
    const { accounts, issues } = normaliseBankAccounts(
      [
        { iban: 'DE89 3704 0044 0532 0130 00', bic: 'cobadeffxxx' },
        { iban: 'fr1420041010050500013m02606', bic: null },
        { iban: 'CH93 0076 2011 6238 5295 7', bic: 'UBSWCHZH80A' },
      ],
      'body.bankAccounts',
    );
    expect(issues).toEqual([]);
    expect(accounts).toEqual([
      { iban: 'DE89370400440532013000', bic: 'COBADEFFXXX' },
      { iban: 'FR1420041010050500013M02606', bic: null },
      { iban: 'CH9300762011623852957', bic: 'UBSWCHZH80A' },
    ]);
  });

  it('refuse wrong check digits, wrong lengths, bad BICs and repeated IBANs, with a path each', () => {
    const { issues } = normaliseBankAccounts(
      [
        { iban: 'DE89370400440532013001', bic: null },
        { iban: 'DE8937040044053201300', bic: null },
        { iban: 'GB29NWBK60161331926819', bic: 'NOPE' },
        { iban: 'GB29 NWBK 6016 1331 9268 19', bic: null },
      ],
      'body.bankAccounts',
    );
    expect(issues).toEqual([
      { path: 'body.bankAccounts.0.iban', message: expect.stringMatching(/not a valid IBAN/) },
      { path: 'body.bankAccounts.1.iban', message: expect.stringMatching(/not a valid IBAN/) },
      { path: 'body.bankAccounts.2.bic', message: expect.stringMatching(/not a valid BIC/) },
      { path: 'body.bankAccounts.3.iban', message: 'repeats the IBAN of bank account 2' },
    ]);
  });
});

const address = (kind: 'billing' | 'shipping', isDefault?: boolean, countryCode = 'DE') => ({ kind, isDefault, countryCode });

describe('addresses', () => {
  it('need exactly one billing address and at least one shipping address, one of them the default', () => {
    expect(checkAddressSet(withDefaultFlags([address('billing'), address('shipping')]), 'body.addresses')).toEqual([]);
    expect(checkAddressSet(withDefaultFlags([address('billing'), address('shipping', true), address('shipping', false)]), 'body.addresses')).toEqual([]);
    const paths = (list: Array<ReturnType<typeof address>>) => checkAddressSet(withDefaultFlags(list), 'body.addresses').map((issue) => issue.message);
    expect(paths([address('shipping')])).toEqual(['must hold exactly one billing address (found 0)']);
    expect(paths([address('billing'), address('billing'), address('shipping')])).toEqual(['must hold exactly one billing address (found 2)']);
    expect(paths([address('billing')])).toEqual(['must hold at least one shipping address']);
    expect(paths([address('billing'), address('shipping'), address('shipping')])).toEqual(['must mark exactly one shipping address as the default (found 0)']);
    expect(paths([address('billing'), address('shipping', true), address('shipping', true)])).toEqual([
      'must mark exactly one shipping address as the default (found 2)',
    ]);
  });

  it('make the billing address and a lone shipping address the defaults', () => {
    expect(withDefaultFlags([address('billing', false), address('shipping')]).map((entry) => entry.isDefault)).toEqual([true, true]);
    expect(withDefaultFlags([address('shipping'), address('shipping')]).map((entry) => entry.isDefault)).toEqual([false, false]);
  });

  it('need real country codes', () => {
    expect(checkAddressSet(withDefaultFlags([address('billing', true, 'XX'), address('shipping')]), 'body.addresses')).toEqual([
      { path: 'body.addresses.0.countryCode', message: 'is not an ISO 3166-1 country code' },
    ]);
  });
});

describe('contacts', () => {
  it('need an e-mail address to receive invoices or reminders, and no repeated roles', () => {
    expect(checkContacts([{ email: null, roles: ['orders'] }, { email: 'a@b.example', roles: ['invoices', 'reminders'] }], 'body.contacts')).toEqual([]);
    expect(checkContacts([{ email: null, roles: ['orders', 'reminders'] }, { email: 'a@b.example', roles: ['orders', 'orders'] }], 'body.contacts')).toEqual([
      { path: 'body.contacts.0.email', message: 'is needed for a contact who receives reminders' },
      { path: 'body.contacts.1.roles', message: 'must not repeat a role' },
    ]);
  });
});

describe('codes', () => {
  it('know the countries in use and refuse groupings, reserved and private-use codes', () => {
    for (const code of ['DE', 'FR', 'GB', 'US', 'CH', 'XK', 'GR']) expect({ code, ok: isCountryCode(code) }).toEqual({ code, ok: true });
    for (const code of ['EU', 'UN', 'ZZ', 'XX', 'AA', 'QQ', 'UK', 'de', 'DEU', '']) expect({ code, ok: isCountryCode(code) }).toEqual({ code, ok: false });
  });

  it('know BCP 47 primary languages', () => {
    for (const code of ['de', 'en', 'fr', 'sv', 'pl', 'da', 'nl']) expect(isLanguageCode(code)).toBe(true);
    for (const code of ['xx', 'DE', 'de-DE', 'english', 'zzz', '']) expect(isLanguageCode(code)).toBe(false);
  });
});

describe('credit limits', () => {
  it('read decimal strings in the currency’s minor units', () => {
    expect(parseCreditLimit('50000.00', 'EUR')).toEqual({ ok: true, minor: 5_000_000n });
    expect(parseCreditLimit('50000', 'EUR')).toEqual({ ok: true, minor: 5_000_000n });
    expect(parseCreditLimit('0', 'EUR')).toEqual({ ok: true, minor: 0n });
    expect(parseCreditLimit('100', 'JPY')).toEqual({ ok: true, minor: 100n });
    expect(parseCreditLimit('1.234', 'KWD')).toEqual({ ok: true, minor: 1_234n });
    expect(parseCreditLimit(null, 'EUR')).toEqual({ ok: true, minor: null });
  });

  it('refuse negatives, extra decimals and absurd sizes', () => {
    expect(parseCreditLimit('-1.00', 'EUR')).toEqual({ ok: false, message: 'must not be negative' });
    expect(parseCreditLimit('10.001', 'EUR')).toEqual({ ok: false, message: 'must be a decimal string with at most 2 decimals in EUR, such as "50000.00"' });
    expect(parseCreditLimit('100.5', 'JPY')).toEqual({ ok: false, message: 'must be a decimal string with at most 0 decimals in JPY, such as "50000"' });
    expect(parseCreditLimit('10000000000000', 'EUR')).toEqual({ ok: false, message: 'must be less than 10^13' });
    expect(parseCreditLimit('9999999999999.99', 'EUR')).toEqual({ ok: true, minor: 999_999_999_999_999n });
  });
});

describe('status transitions', () => {
  it('block only active, unblock only blocked, archive active or blocked, restore only archived', () => {
    expect(refuseTransition('block', 'active')).toBeNull();
    expect(refuseTransition('block', 'blocked')).toBe('a customer that is blocked cannot be blocked; only one that is active can');
    expect(refuseTransition('unblock', 'blocked')).toBeNull();
    expect(refuseTransition('unblock', 'active')).not.toBeNull();
    expect(refuseTransition('archive', 'active')).toBeNull();
    expect(refuseTransition('archive', 'blocked')).toBeNull();
    expect(refuseTransition('archive', 'archived')).toBe('a customer that is archived cannot be archived; only one that is active or blocked can');
    expect(refuseTransition('restore', 'archived')).toBeNull();
    expect(refuseTransition('restore', 'active')).not.toBeNull();
  });
});
