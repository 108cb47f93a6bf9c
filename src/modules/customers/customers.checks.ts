import type { RequestContext } from '../../platform/auth/actor';
import type { Executor } from '../../platform/db/database';
import { AppError, type FieldIssue } from '../../platform/errors/app-error';
import { priceListExists } from '../catalog';
import { checkCurrency, isCountryCode, isLanguageCode, parseCreditLimit } from './customers.rules';
import { findPaymentTermsByCode } from './payment-terms.service';
import type { PaymentTermsView } from './payment-terms.rules';
import { checkVatId, vatIdFormat } from './vat-id.rules';

/**
 * Checks shared by creating and changing a customer: the parts a schema cannot
 * see (real codes, VAT format per country, credit limit decimals), the records a
 * customer points to, and who may change what.
 */

export function refuseIssues(issues: readonly FieldIssue[]): void {
  if (issues.length === 0) return;
  throw new AppError('O2C_INVALID_VALUE', issues.map((issue) => `${issue.path}: ${issue.message}`).join('; '), issues);
}

export function checkCountry(code: string, path: string): FieldIssue[] {
  return isCountryCode(code) ? [] : [{ path, message: 'is not an ISO 3166-1 alpha-2 country code in use' }];
}

export function checkLanguage(code: string, path: string): FieldIssue[] {
  return isLanguageCode(code) ? [] : [{ path, message: 'is not a BCP 47 primary language subtag such as de, en or fr' }];
}

export { checkCurrency };

/** The normalised VAT id, or an issue at `path` naming the format the country expects. */
export function checkVat(vatId: string | null, countryCode: string, path: string): { vatId: string | null; issues: FieldIssue[] } {
  if (vatId === null) return { vatId: null, issues: [] };
  const result = checkVatId(vatId, countryCode);
  if (result.ok) return { vatId: result.vatId, issues: [] };
  const format = vatIdFormat(countryCode);
  return { vatId: null, issues: [{ path, message: result.message + (format !== undefined && !result.message.includes(format) ? ` (${format})` : '') }] };
}

export function checkCreditLimit(text: string | null, currency: string, path: string): { minor: bigint | null; issues: FieldIssue[] } {
  const result = parseCreditLimit(text, currency);
  return result.ok ? { minor: result.minor, issues: [] } : { minor: null, issues: [{ path, message: result.message }] };
}

/** The payment terms a customer is given: they must exist and be active. */
export async function activePaymentTerms(executor: Executor, tenantId: string, code: string, path: string): Promise<PaymentTermsView> {
  const terms = await findPaymentTermsByCode(executor, tenantId, code);
  if (terms === undefined) {
    throw new AppError('O2C_INVALID_VALUE', `${path}: no payment terms with code ${code} exist`, [{ path, message: 'is not the code of payment terms of this tenant' }]);
  }
  if (!terms.active) {
    throw new AppError('O2C_BUSINESS_RULE', `payment terms ${terms.code} are inactive and cannot be given to a customer`, [
      { path, message: 'names inactive payment terms' },
    ]);
  }
  return terms;
}

/** A price list for a customer must exist and be in the customer's currency. */
export async function checkPriceList(executor: Executor, tenantId: string, priceListId: string, currency: string, path: string): Promise<void> {
  if (await priceListExists(executor, tenantId, priceListId, currency)) return;
  if (await priceListExists(executor, tenantId, priceListId)) {
    throw new AppError('O2C_BUSINESS_RULE', `price list ${priceListId} is not in ${currency}, the customer's currency`, [
      { path, message: `is a price list in another currency than ${currency}` },
    ]);
  }
  throw new AppError('O2C_INVALID_VALUE', `${path}: price list ${priceListId} does not exist`, [{ path, message: 'is not a price list of this tenant' }]);
}

/*
 * Who may change what. Sales keeps the customer's master data; the credit limit is
 * the credit manager's decision (segregation of duties), so changing it needs the
 * credit role even where sales may change everything else. Admins may do both,
 * and so may the system (the demo loader, imports).
 */

function holds(context: RequestContext, roles: readonly string[]): boolean {
  return context.actor.type === 'system' || context.actor.roles.some((role) => roles.includes(role));
}

export function requireCreditRole(context: RequestContext): void {
  if (holds(context, ['admin', 'credit'])) return;
  throw new AppError('O2C_FORBIDDEN', 'setting or changing a credit limit needs the admin or credit role; leave creditLimit out or unchanged', [
    { path: 'body.creditLimit', message: 'may be changed only by the admin or credit role' },
  ]);
}

export function requireMasterDataRole(context: RequestContext, fields: readonly string[]): void {
  if (holds(context, ['admin', 'sales'])) return;
  throw new AppError('O2C_FORBIDDEN', `changing ${fields.join(', ')} needs the admin or sales role; the credit role may change only the credit limit`, [
    ...fields.map((field) => ({ path: `body.${field}`, message: 'may be changed only by the admin or sales role' })),
  ]);
}
