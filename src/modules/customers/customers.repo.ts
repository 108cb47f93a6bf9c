import { formatMinor, newId } from '../../kernel';
import type { Executor, Tx } from '../../platform/db/database';
import { notFound } from '../../platform/errors/app-error';
import type { AddressKind, ContactRole, CustomerStatus, InvoiceGrouping, InvoicingMoment } from './customers.rules';
import './customers.tables';

/** The rows of a customer and its children, and how they read as views. */

export interface AddressView {
  id: string;
  kind: AddressKind;
  name: string;
  line1: string;
  line2: string | null;
  postalCode: string;
  city: string;
  countryCode: string;
  isDefault: boolean;
}

export interface ContactView {
  id: string;
  name: string;
  email: string | null;
  phone: string | null;
  roles: ContactRole[];
}

export interface BankAccountView {
  id: string;
  iban: string;
  bic: string | null;
  accountHolder: string;
}

/** A customer without its children, as lists show it. `creditLimit` is a decimal string in `currency`. */
export interface CustomerSummary {
  id: string;
  number: string;
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
  status: CustomerStatus;
  blockedReason: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface CustomerView extends CustomerSummary {
  addresses: AddressView[];
  contacts: ContactView[];
  bankAccounts: BankAccountView[];
}

export interface CustomerRow {
  id: string;
  number: string;
  name: string;
  legal_name: string;
  vat_id: string | null;
  country_code: string;
  currency: string;
  language: string;
  payment_terms_id: string;
  payment_terms_code: string;
  price_list_id: string | null;
  credit_limit_minor: bigint | null;
  invoicing_moment: InvoicingMoment;
  invoice_grouping: InvoiceGrouping;
  status: CustomerStatus;
  blocked_reason: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
}

/** Customers joined with the code of their payment terms. */
export function selectCustomers(executor: Executor, tenantId: string) {
  return executor
    .selectFrom('customers as c')
    .innerJoin('payment_terms as t', (join) => join.onRef('t.tenant_id', '=', 'c.tenant_id').onRef('t.id', '=', 'c.payment_terms_id'))
    .select([
      'c.id',
      'c.number',
      'c.name',
      'c.legal_name',
      'c.vat_id',
      'c.country_code',
      'c.currency',
      'c.language',
      'c.payment_terms_id',
      't.code as payment_terms_code',
      'c.price_list_id',
      'c.credit_limit_minor',
      'c.invoicing_moment',
      'c.invoice_grouping',
      'c.status',
      'c.blocked_reason',
      'c.version',
      'c.created_at',
      'c.updated_at',
    ])
    .where('c.tenant_id', '=', tenantId);
}

export function toCustomerSummary(row: CustomerRow): CustomerSummary {
  return {
    id: row.id,
    number: row.number,
    name: row.name,
    legalName: row.legal_name,
    vatId: row.vat_id,
    countryCode: row.country_code,
    currency: row.currency,
    language: row.language,
    paymentTermsCode: row.payment_terms_code,
    priceListId: row.price_list_id,
    creditLimit: row.credit_limit_minor === null ? null : formatMinor(row.credit_limit_minor, row.currency),
    invoicingMoment: row.invoicing_moment,
    invoiceGrouping: row.invoice_grouping,
    status: row.status,
    blockedReason: row.blocked_reason,
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export async function findCustomerRow(executor: Executor, tenantId: string, id: string): Promise<CustomerRow | undefined> {
  return selectCustomers(executor, tenantId).where('c.id', '=', id).executeTakeFirst();
}

/** Locks the customer row for the rest of the transaction and reads it; another tenant's id is not found. */
export async function lockCustomerRow(tx: Tx, tenantId: string, id: string): Promise<CustomerRow> {
  const locked = await tx
    .selectFrom('customers')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  const row = locked === undefined ? undefined : await findCustomerRow(tx, tenantId, id);
  if (row === undefined) throw notFound('customer', id);
  return row;
}

export async function loadAddresses(executor: Executor, tenantId: string, customerId: string): Promise<AddressView[]> {
  const rows = await executor
    .selectFrom('customer_addresses')
    .select(['id', 'kind', 'name', 'line1', 'line2', 'postal_code', 'city', 'country_code', 'is_default'])
    .where('tenant_id', '=', tenantId)
    .where('customer_id', '=', customerId)
    .orderBy('position')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    kind: row.kind,
    name: row.name,
    line1: row.line1,
    line2: row.line2,
    postalCode: row.postal_code,
    city: row.city,
    countryCode: row.country_code,
    isDefault: row.is_default,
  }));
}

export async function loadCustomerView(executor: Executor, tenantId: string, row: CustomerRow): Promise<CustomerView> {
  const [addresses, contacts, bankAccounts] = [
    await loadAddresses(executor, tenantId, row.id),
    await executor
      .selectFrom('customer_contacts')
      .select(['id', 'name', 'email', 'phone', 'roles'])
      .where('tenant_id', '=', tenantId)
      .where('customer_id', '=', row.id)
      .orderBy('position')
      .execute(),
    await executor
      .selectFrom('customer_bank_accounts')
      .select(['id', 'iban', 'bic', 'account_holder'])
      .where('tenant_id', '=', tenantId)
      .where('customer_id', '=', row.id)
      .orderBy('position')
      .execute(),
  ];
  return {
    ...toCustomerSummary(row),
    addresses,
    contacts: contacts.map((contact) => ({ ...contact, roles: contact.roles as ContactRole[] })),
    bankAccounts: bankAccounts.map((account) => ({ id: account.id, iban: account.iban, bic: account.bic, accountHolder: account.account_holder })),
  };
}

export async function getCustomer(executor: Executor, tenantId: string, id: string): Promise<CustomerView> {
  const row = await findCustomerRow(executor, tenantId, id);
  if (row === undefined) throw notFound('customer', id);
  return loadCustomerView(executor, tenantId, row);
}

export interface AddressData {
  id?: string | undefined;
  kind: AddressKind;
  name: string;
  line1: string;
  line2: string | null;
  postalCode: string;
  city: string;
  countryCode: string;
  isDefault: boolean;
}

export interface ContactData {
  id?: string | undefined;
  name: string;
  email: string | null;
  phone: string | null;
  roles: ContactRole[];
}

export interface BankAccountData {
  id?: string | undefined;
  iban: string;
  bic: string | null;
  accountHolder: string;
}

/*
 * Children are written as whole sets: the old rows go and the new ones come, in
 * the order given. A child sent with its id keeps that id, so references held
 * elsewhere (an order's chosen shipping address) stay meaningful.
 */

export async function writeAddresses(tx: Tx, tenantId: string, customerId: string, addresses: readonly AddressData[]): Promise<void> {
  await tx.deleteFrom('customer_addresses').where('tenant_id', '=', tenantId).where('customer_id', '=', customerId).execute();
  if (addresses.length === 0) return;
  await tx
    .insertInto('customer_addresses')
    .values(
      addresses.map((address, position) => ({
        tenant_id: tenantId,
        id: address.id ?? newId(),
        customer_id: customerId,
        position,
        kind: address.kind,
        name: address.name,
        line1: address.line1,
        line2: address.line2,
        postal_code: address.postalCode,
        city: address.city,
        country_code: address.countryCode,
        // The one billing address is always its kind's default.
        is_default: address.kind === 'billing' ? true : address.isDefault,
      })),
    )
    .execute();
}

export async function writeContacts(tx: Tx, tenantId: string, customerId: string, contacts: readonly ContactData[]): Promise<void> {
  await tx.deleteFrom('customer_contacts').where('tenant_id', '=', tenantId).where('customer_id', '=', customerId).execute();
  if (contacts.length === 0) return;
  await tx
    .insertInto('customer_contacts')
    .values(
      contacts.map((contact, position) => ({
        tenant_id: tenantId,
        id: contact.id ?? newId(),
        customer_id: customerId,
        position,
        name: contact.name,
        email: contact.email,
        phone: contact.phone,
        roles: [...contact.roles],
      })),
    )
    .execute();
}

export async function writeBankAccounts(tx: Tx, tenantId: string, customerId: string, accounts: readonly BankAccountData[]): Promise<void> {
  await tx.deleteFrom('customer_bank_accounts').where('tenant_id', '=', tenantId).where('customer_id', '=', customerId).execute();
  if (accounts.length === 0) return;
  await tx
    .insertInto('customer_bank_accounts')
    .values(
      accounts.map((account, position) => ({
        tenant_id: tenantId,
        id: account.id ?? newId(),
        customer_id: customerId,
        position,
        iban: account.iban,
        bic: account.bic,
        account_holder: account.accountHolder,
      })),
    )
    .execute();
}

/** The ids a customer's children of one table have now, to check the ids a replacement sends. */
export async function childIds(
  executor: Executor,
  table: 'customer_addresses' | 'customer_contacts' | 'customer_bank_accounts',
  tenantId: string,
  customerId: string,
): Promise<Set<string>> {
  const rows = await executor.selectFrom(table).select('id').where('tenant_id', '=', tenantId).where('customer_id', '=', customerId).execute();
  return new Set(rows.map((row) => row.id));
}
