import { businessDateAt, newId } from '../../kernel';
import { recordAudit } from '../../platform/audit/audit';
import type { RequestContext } from '../../platform/auth/actor';
import type { Tx } from '../../platform/db/database';
import { AppError, versionConflict, type FieldIssue } from '../../platform/errors/app-error';
import { nextNumber } from '../../platform/number-series/number-series';
import { emitEvent } from '../../platform/outbox/outbox';
import { getTenant } from '../../platform/tenants/tenants';
import {
  activePaymentTerms,
  checkCountry,
  checkCreditLimit,
  checkCurrency,
  checkLanguage,
  checkPriceList,
  checkVat,
  refuseIssues,
  requireCreditRole,
  requireMasterDataRole,
} from './customers.checks';
import { checkAddressSet, checkContacts, normaliseBankAccounts, withDefaultFlags, type InvoiceGrouping, type InvoicingMoment } from './customers.rules';
import {
  childIds,
  getCustomer,
  lockCustomerRow,
  writeAddresses,
  writeBankAccounts,
  writeContacts,
  type AddressData,
  type BankAccountData,
  type ContactData,
  type CustomerRow,
  type CustomerView,
} from './customers.repo';

export const customerNumberSeries = 'customer';

export interface BankAccountInputData {
  id?: string | undefined;
  iban: string;
  bic: string | null;
  accountHolder?: string | null | undefined;
}

export type AddressInputData = Omit<AddressData, 'isDefault'> & { isDefault?: boolean | undefined };

export interface NewCustomer {
  name: string;
  legalName: string;
  vatId: string | null;
  countryCode: string;
  currency: string;
  language: string;
  paymentTermsCode: string;
  priceListId: string | null;
  creditLimit: string | null;
  invoicingMoment: InvoicingMoment;
  invoiceGrouping: InvoiceGrouping;
  addresses: AddressInputData[];
  contacts: ContactData[];
  bankAccounts: BankAccountInputData[];
}

/** Checks the children of a customer; returns them ready to write, or the issues found. */
function prepareChildren(
  input: { addresses?: AddressInputData[]; contacts?: ContactData[]; bankAccounts?: BankAccountInputData[] },
  legalName: string,
): { issues: FieldIssue[]; addresses: AddressData[]; bankAccounts: BankAccountData[] } {
  const issues: FieldIssue[] = [];
  const addresses = withDefaultFlags(input.addresses ?? []);
  if (input.addresses !== undefined) issues.push(...checkAddressSet(addresses, 'body.addresses'));
  if (input.contacts !== undefined) issues.push(...checkContacts(input.contacts, 'body.contacts'));
  const normalised = normaliseBankAccounts(input.bankAccounts ?? [], 'body.bankAccounts');
  issues.push(...normalised.issues);
  const bankAccounts = (input.bankAccounts ?? []).map((account, index) => ({
    id: account.id,
    iban: normalised.accounts[index]?.iban ?? account.iban,
    bic: normalised.accounts[index]?.bic ?? null,
    // The holder is usually the customer itself.
    accountHolder: account.accountHolder ?? legalName,
  }));
  return { issues, addresses, bankAccounts };
}

/** Creates a customer with its addresses, contacts and bank accounts; the number comes from the 'customer' series. */
export async function createCustomer(tx: Tx, context: RequestContext, input: NewCustomer): Promise<CustomerView> {
  const tenantId = context.actor.tenantId;
  const issues: FieldIssue[] = [
    ...checkCountry(input.countryCode, 'body.countryCode'),
    ...checkCurrency(input.currency, 'body.currency'),
    ...checkLanguage(input.language, 'body.language'),
  ];
  // A VAT id is checked against a country only once the country itself is known.
  const countryRefused = issues.some((issue) => issue.path === 'body.countryCode');
  const vat = countryRefused ? { vatId: null, issues: [] } : checkVat(input.vatId, input.countryCode, 'body.vatId');
  issues.push(...vat.issues);
  const creditLimit = issues.some((issue) => issue.path === 'body.currency')
    ? { minor: null, issues: [] }
    : checkCreditLimit(input.creditLimit, input.currency, 'body.creditLimit');
  issues.push(...creditLimit.issues);
  const children = prepareChildren(input, input.legalName);
  issues.push(...children.issues);
  refuseIssues(issues);
  if (creditLimit.minor !== null) requireCreditRole(context);
  const terms = await activePaymentTerms(tx, tenantId, input.paymentTermsCode, 'body.paymentTermsCode');
  if (input.priceListId !== null) await checkPriceList(tx, tenantId, input.priceListId, input.currency, 'body.priceListId');

  const tenant = await getTenant(tx, tenantId);
  const number = await nextNumber(tx, tenantId, customerNumberSeries, businessDateAt(new Date(), tenant.timeZone));
  const id = newId();
  await tx
    .insertInto('customers')
    .values({
      tenant_id: tenantId,
      id,
      number,
      name: input.name,
      legal_name: input.legalName,
      vat_id: vat.vatId,
      country_code: input.countryCode,
      currency: input.currency,
      language: input.language,
      payment_terms_id: terms.id,
      price_list_id: input.priceListId,
      credit_limit_minor: creditLimit.minor,
      invoicing_moment: input.invoicingMoment,
      invoice_grouping: input.invoiceGrouping,
      status: 'active',
      blocked_reason: null,
    })
    .execute();
  await writeAddresses(tx, tenantId, id, children.addresses);
  await writeContacts(tx, tenantId, id, input.contacts);
  await writeBankAccounts(tx, tenantId, id, children.bankAccounts);
  const view = await getCustomer(tx, tenantId, id);
  await recordAudit(tx, context, { action: 'customer.created', entityType: 'customer', entityId: id, after: view });
  await emitEvent(tx, tenantId, { type: 'customer.created', aggregateType: 'customer', aggregateId: id, payload: { number, name: view.name } });
  return view;
}

export interface CustomerChange {
  version: number;
  name?: string | undefined;
  legalName?: string | undefined;
  vatId?: string | null | undefined;
  countryCode?: string | undefined;
  currency?: string | undefined;
  language?: string | undefined;
  paymentTermsCode?: string | undefined;
  priceListId?: string | null | undefined;
  creditLimit?: string | null | undefined;
  invoicingMoment?: InvoicingMoment | undefined;
  invoiceGrouping?: InvoiceGrouping | undefined;
}

/** An archived customer is kept for history only; it must be restored before it changes. */
function refuseIfArchived(row: CustomerRow): void {
  if (row.status === 'archived') {
    throw new AppError('O2C_STATE_CONFLICT', `customer ${row.number} is archived; restore it before changing it`);
  }
}

/**
 * Changes a customer's own fields. Sales (and admin) change the master data; a
 * change of the credit limit needs the credit (or admin) role. The VAT id is
 * checked against the country it ends up with, a price list against the currency,
 * and a currency change with a credit limit in place needs the limit restated.
 */
export async function updateCustomer(tx: Tx, context: RequestContext, id: string, change: CustomerChange): Promise<CustomerView> {
  const tenantId = context.actor.tenantId;
  const before = await lockCustomerRow(tx, tenantId, id);
  refuseIfArchived(before);
  if (before.version !== change.version) throw versionConflict('customer', id, change.version);

  const countryCode = change.countryCode ?? before.country_code;
  const currency = change.currency ?? before.currency;
  const issues: FieldIssue[] = [
    ...(change.countryCode === undefined ? [] : checkCountry(change.countryCode, 'body.countryCode')),
    ...(change.currency === undefined ? [] : checkCurrency(change.currency, 'body.currency')),
    ...(change.language === undefined ? [] : checkLanguage(change.language, 'body.language')),
  ];
  const vatText = change.vatId === undefined ? before.vat_id : change.vatId;
  const vatPath = change.vatId === undefined ? 'body.countryCode' : 'body.vatId';
  const countryRefused = issues.some((issue) => issue.path === 'body.countryCode');
  const vatUntouched = change.vatId === undefined && change.countryCode === undefined;
  const vat = vatUntouched || countryRefused ? { vatId: before.vat_id, issues: [] } : checkVat(vatText, countryCode, vatPath);
  issues.push(...vat.issues);
  const currencyChanged = currency !== before.currency;
  let creditLimitMinor = before.credit_limit_minor;
  if (change.creditLimit !== undefined && !issues.some((issue) => issue.path === 'body.currency')) {
    const parsed = checkCreditLimit(change.creditLimit, currency, 'body.creditLimit');
    issues.push(...parsed.issues);
    creditLimitMinor = parsed.minor;
  }
  refuseIssues(issues);
  if (currencyChanged && change.creditLimit === undefined && before.credit_limit_minor !== null) {
    throw new AppError('O2C_BUSINESS_RULE', `the credit limit is in ${before.currency}; send creditLimit in ${currency} (or null) with the currency change`, [
      { path: 'body.creditLimit', message: `must be restated in ${currency} when the currency changes` },
    ]);
  }

  const next = {
    name: change.name ?? before.name,
    legal_name: change.legalName ?? before.legal_name,
    vat_id: vat.vatId,
    country_code: countryCode,
    currency,
    language: change.language ?? before.language,
    price_list_id: change.priceListId === undefined ? before.price_list_id : change.priceListId,
    invoicing_moment: change.invoicingMoment ?? before.invoicing_moment,
    invoice_grouping: change.invoiceGrouping ?? before.invoice_grouping,
  };
  const paymentTermsChanged = change.paymentTermsCode !== undefined && change.paymentTermsCode.toUpperCase() !== before.payment_terms_code;
  const changedFields = [
    ...(Object.keys(next) as Array<keyof typeof next>).filter((key) => next[key] !== before[key]).map(camelCase),
    ...(paymentTermsChanged ? ['paymentTermsCode'] : []),
  ];
  const creditLimitChanged = creditLimitMinor !== before.credit_limit_minor || (currencyChanged && creditLimitMinor !== null);
  if (creditLimitChanged && !currencyChanged) {
    // A limit is a credit decision: taken by a credit manager, with a reason, kept in the limit history.
    throw new AppError('O2C_BUSINESS_RULE', `a credit limit is changed by a credit manager with a reason: PUT /api/v1/credit/customers/${id}/limit (Customer → Credit → Set limit)`, [
      { path: 'body.creditLimit', message: 'is changed under credit management, with a reason' },
    ]);
  }
  if (creditLimitChanged) requireCreditRole(context);
  if (changedFields.length > 0) requireMasterDataRole(context, changedFields);
  if (changedFields.length === 0 && !creditLimitChanged) return getCustomer(tx, tenantId, id);

  const termsId = paymentTermsChanged
    ? (await activePaymentTerms(tx, tenantId, change.paymentTermsCode ?? '', 'body.paymentTermsCode')).id
    : before.payment_terms_id;
  if (next.price_list_id !== null && (change.priceListId !== undefined || currencyChanged)) {
    await checkPriceList(tx, tenantId, next.price_list_id, currency, change.priceListId === undefined ? 'body.currency' : 'body.priceListId');
  }
  const beforeView = await getCustomer(tx, tenantId, id);
  await tx
    .updateTable('customers')
    .set({ ...next, payment_terms_id: termsId, credit_limit_minor: creditLimitMinor, version: before.version + 1, updated_at: new Date() })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
  const after = await getCustomer(tx, tenantId, id);
  await recordAudit(tx, context, { action: 'customer.updated', entityType: 'customer', entityId: id, before: beforeView, after });
  const fields = [...changedFields, ...(creditLimitChanged ? ['creditLimit'] : [])];
  await emitEvent(tx, tenantId, { type: 'customer.updated', aggregateType: 'customer', aggregateId: id, payload: { number: after.number, fields } });
  return after;
}

function camelCase(column: string): string {
  return column.replace(/_([a-z])/g, (_match, letter: string) => letter.toUpperCase());
}

type ChildSet = 'addresses' | 'contacts' | 'bankAccounts';

/**
 * Replaces one whole set of a customer's children (its addresses, contacts or
 * bank accounts) at the customer's version; the version goes up by one. Ids sent
 * must be ids the set has now: they keep their identity, the rest get new ids.
 */
export async function replaceChildren(
  tx: Tx,
  context: RequestContext,
  id: string,
  set: ChildSet,
  input: { version: number; items: AddressInputData[] | ContactData[] | BankAccountInputData[] },
): Promise<CustomerView> {
  const tenantId = context.actor.tenantId;
  const row = await lockCustomerRow(tx, tenantId, id);
  refuseIfArchived(row);
  if (row.version !== input.version) throw versionConflict('customer', id, input.version);
  const children = prepareChildren({ [set]: input.items }, row.legal_name);
  const issues = children.issues;
  const table = { addresses: 'customer_addresses', contacts: 'customer_contacts', bankAccounts: 'customer_bank_accounts' } as const;
  const existing = await childIds(tx, table[set], tenantId, id);
  const seen = new Set<string>();
  input.items.forEach((item, index) => {
    if (item.id === undefined) return;
    if (!existing.has(item.id)) issues.push({ path: `body.${set}.${index}.id`, message: `is not the id of one of this customer's ${set}` });
    else if (seen.has(item.id)) issues.push({ path: `body.${set}.${index}.id`, message: 'appears twice' });
    seen.add(item.id);
  });
  refuseIssues(issues);
  const before = await getCustomer(tx, tenantId, id);
  if (set === 'addresses') await writeAddresses(tx, tenantId, id, children.addresses);
  if (set === 'contacts') await writeContacts(tx, tenantId, id, input.items as ContactData[]);
  if (set === 'bankAccounts') await writeBankAccounts(tx, tenantId, id, children.bankAccounts);
  await tx
    .updateTable('customers')
    .set({ version: row.version + 1, updated_at: new Date() })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
  const after = await getCustomer(tx, tenantId, id);
  const action = { addresses: 'customer.addresses_replaced', contacts: 'customer.contacts_replaced', bankAccounts: 'customer.bank_accounts_replaced' }[set];
  await recordAudit(tx, context, { action, entityType: 'customer', entityId: id, before: { [set]: before[set] }, after: { [set]: after[set] } });
  await emitEvent(tx, tenantId, { type: 'customer.updated', aggregateType: 'customer', aggregateId: id, payload: { number: after.number, fields: [set] } });
  return after;
}
