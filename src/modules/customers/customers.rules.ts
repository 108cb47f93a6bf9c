import { electronicFormatIBAN, isValidBIC, isValidIBAN } from 'ibantools';
import { currencyExponent, isKnownCurrency, KernelValueError, parseMoney, type CurrencyCode } from '../../kernel';
import type { FieldIssue } from '../../platform/errors/app-error';

/**
 * Pure checks of customer data: country and language codes, the address set, the
 * contacts, bank accounts and the credit limit. Each returns the issues it finds
 * with the request path they belong to; none reads the database or the clock.
 */

export const customerStatuses = ['active', 'blocked', 'archived'] as const;
export type CustomerStatus = (typeof customerStatuses)[number];

export const invoicingMoments = ['shipment', 'delivery'] as const;
export type InvoicingMoment = (typeof invoicingMoments)[number];

/** How automatic invoices are collected: one per shipment, or a customer's shipments of a day on one invoice. */
export const invoiceGroupings = ['per_shipment', 'daily'] as const;
export type InvoiceGrouping = (typeof invoiceGroupings)[number];

export const addressKinds = ['billing', 'shipping'] as const;
export type AddressKind = (typeof addressKinds)[number];

export const contactRoles = ['orders', 'invoices', 'reminders'] as const;
export type ContactRole = (typeof contactRoles)[number];

const regionNames = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
const languageNames = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' });

/** Codes that name groupings, are reserved (UK: the code is GB) or are for private use, not countries. */
const notCountries = new Set(['EU', 'EZ', 'UN', 'QO', 'ZZ', 'AA', 'XA', 'XB', 'UK']);

/** An ISO 3166-1 alpha-2 country code in use (DE, FR, XK for Kosovo …). */
export function isCountryCode(code: string): boolean {
  if (!/^[A-Z]{2}$/.test(code) || notCountries.has(code) || /^Q[M-Z]$/.test(code)) return false;
  return regionNames.of(code) !== undefined;
}

/** A BCP 47 primary language subtag (de, en, fr …): two or three lower-case letters that name a language. */
export function isLanguageCode(code: string): boolean {
  return /^[a-z]{2,3}$/.test(code) && languageNames.of(code) !== undefined;
}

export function checkCurrency(code: string, path: string): FieldIssue[] {
  return isKnownCurrency(code) ? [] : [{ path, message: 'is not an ISO 4217 currency code' }];
}

/** The largest credit limit accepted, in major units: far beyond any real limit, well inside bigint columns. */
const maxCreditLimitDigits = 13;

export type CreditLimitParse = { ok: true; minor: bigint | null } | { ok: false; message: string };

/** Reads a credit limit ("50000.00" in the customer's currency); refuses negatives and extra decimals. */
export function parseCreditLimit(text: string | null, currency: CurrencyCode): CreditLimitParse {
  if (text === null) return { ok: true, minor: null };
  if (text.startsWith('-')) return { ok: false, message: 'must not be negative' };
  const whole = text.split('.')[0] ?? '';
  if (whole.replace(/^0+(?=\d)/, '').length > maxCreditLimitDigits) {
    return { ok: false, message: `must be less than 10^${maxCreditLimitDigits}` };
  }
  try {
    return { ok: true, minor: parseMoney(text, currency, 'the credit limit').amountMinor };
  } catch (error) {
    if (!(error instanceof KernelValueError)) throw error;
    const exponent = currencyExponent(currency);
    return { ok: false, message: `must be a decimal string with at most ${exponent} decimals in ${currency}, such as "50000${exponent > 0 ? `.${'0'.repeat(exponent)}` : ''}"` };
  }
}

export interface AddressInput {
  kind: AddressKind;
  isDefault: boolean;
  countryCode: string;
}

/**
 * Fills in the default flags a client may leave out: the billing address is always
 * its kind's default, and a single shipping address is the default shipping address.
 */
export function withDefaultFlags<T extends { kind: AddressKind; isDefault?: boolean | undefined }>(addresses: readonly T[]): Array<T & { isDefault: boolean }> {
  const shippingCount = addresses.filter((address) => address.kind === 'shipping').length;
  return addresses.map((address) => ({
    ...address,
    isDefault: address.kind === 'billing' ? true : (address.isDefault ?? shippingCount === 1),
  }));
}

/**
 * A customer has exactly one billing address (its default) and at least one
 * shipping address, exactly one of which is the default.
 */
export function checkAddressSet(addresses: readonly AddressInput[], path: string): FieldIssue[] {
  const issues: FieldIssue[] = [];
  addresses.forEach((address, index) => {
    if (!isCountryCode(address.countryCode)) issues.push({ path: `${path}.${index}.countryCode`, message: 'is not an ISO 3166-1 country code' });
  });
  const billing = addresses.filter((address) => address.kind === 'billing');
  const shipping = addresses.filter((address) => address.kind === 'shipping');
  if (billing.length !== 1) issues.push({ path, message: `must hold exactly one billing address (found ${billing.length})` });
  if (shipping.length === 0) issues.push({ path, message: 'must hold at least one shipping address' });
  const shippingDefaults = shipping.filter((address) => address.isDefault).length;
  if (shipping.length > 0 && shippingDefaults !== 1) {
    issues.push({ path, message: `must mark exactly one shipping address as the default (found ${shippingDefaults})` });
  }
  return issues;
}

export interface ContactInput {
  email: string | null;
  roles: readonly ContactRole[];
}

/** Invoices and reminders go out by e-mail, so a contact for them needs an address. */
export function checkContacts(contacts: readonly ContactInput[], path: string): FieldIssue[] {
  const issues: FieldIssue[] = [];
  contacts.forEach((contact, index) => {
    const mailed = contact.roles.filter((role) => role === 'invoices' || role === 'reminders');
    if (contact.email === null && mailed.length > 0) {
      issues.push({ path: `${path}.${index}.email`, message: `is needed for a contact who receives ${mailed.join(' and ')}` });
    }
    if (new Set(contact.roles).size !== contact.roles.length) issues.push({ path: `${path}.${index}.roles`, message: 'must not repeat a role' });
  });
  return issues;
}

export interface BankAccountInput {
  iban: string;
  bic: string | null;
}

export interface NormalisedBankAccount {
  iban: string;
  bic: string | null;
}

/** IBANs in electronic format (no spaces, upper case) with valid check digits; BICs optional but valid. */
export function normaliseBankAccounts(
  accounts: readonly BankAccountInput[],
  path: string,
): { accounts: NormalisedBankAccount[]; issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  const seen = new Map<string, number>();
  const normalised = accounts.map((account, index) => {
    const iban = electronicFormatIBAN(account.iban) ?? '';
    if (!isValidIBAN(iban)) {
      issues.push({ path: `${path}.${index}.iban`, message: 'is not a valid IBAN (country, length or check digits are wrong)' });
    } else if (seen.has(iban)) {
      issues.push({ path: `${path}.${index}.iban`, message: `repeats the IBAN of bank account ${seen.get(iban)}` });
    } else {
      seen.set(iban, index);
    }
    const bic = account.bic === null ? null : account.bic.replace(/\s+/g, '').toUpperCase();
    if (bic !== null && !isValidBIC(bic)) issues.push({ path: `${path}.${index}.bic`, message: 'is not a valid BIC (8 or 11 characters)' });
    return { iban, bic };
  });
  return { accounts: normalised, issues };
}

/** Which transitions of the customer status each action makes, and from where. */
export const statusTransitions = {
  block: { from: ['active'], to: 'blocked', done: 'blocked' },
  unblock: { from: ['blocked'], to: 'active', done: 'unblocked' },
  archive: { from: ['active', 'blocked'], to: 'archived', done: 'archived' },
  restore: { from: ['archived'], to: 'active', done: 'restored' },
} as const satisfies Record<string, { from: readonly CustomerStatus[]; to: CustomerStatus; done: string }>;

export type StatusAction = keyof typeof statusTransitions;

/** Null when the action is allowed from `status`, else the reason it is not. */
export function refuseTransition(action: StatusAction, status: CustomerStatus): string | null {
  const transition = statusTransitions[action];
  if ((transition.from as readonly CustomerStatus[]).includes(status)) return null;
  return `a customer that is ${status} cannot be ${transition.done}; only one that is ${transition.from.join(' or ')} can`;
}
