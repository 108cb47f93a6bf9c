import { electronicFormatIBAN } from 'ibantools';
import { sql } from 'kysely';
import type { Executor, Tx } from '../../platform/db/database';
import { notFound } from '../../platform/errors/app-error';
import { decodeCursor, toPage, type Page } from '../../platform/http/pagination';
import { loadAddresses, selectCustomers, toCustomerSummary, type AddressView, type CustomerSummary } from './customers.repo';
import type { CustomerStatus, InvoiceGrouping, InvoicingMoment } from './customers.rules';
import { getPaymentTerms } from './payment-terms.service';
import type { PaymentTermsView } from './payment-terms.rules';
import { normaliseVatId } from './vat-id.rules';

export interface CustomerFilter {
  /** Without a status, archived customers are left out. */
  status?: CustomerStatus;
  countryCode?: string;
  currency?: string;
  /** Part of the number, name or legal name, or of the VAT id (spaces and dots ignored). */
  search?: string;
  limit: number;
  cursor?: string;
}

function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}

export async function listCustomers(executor: Executor, tenantId: string, filter: CustomerFilter): Promise<Page<CustomerSummary>> {
  let query = selectCustomers(executor, tenantId);
  query = filter.status === undefined ? query.where('c.status', '!=', 'archived') : query.where('c.status', '=', filter.status);
  if (filter.countryCode !== undefined) query = query.where('c.country_code', '=', filter.countryCode);
  if (filter.currency !== undefined) query = query.where('c.currency', '=', filter.currency);
  const search = filter.search?.trim() ?? '';
  if (search !== '') {
    const pattern = likePattern(search);
    const vatPattern = likePattern(normaliseVatId(search));
    query = query.where((where) =>
      where.or([
        where('c.number', 'ilike', pattern),
        where('c.name', 'ilike', pattern),
        where('c.legal_name', 'ilike', pattern),
        where('c.vat_id', 'like', vatPattern),
      ]),
    );
  }
  if (filter.cursor !== undefined) {
    const [afterId] = decodeCursor(filter.cursor, 1) as [string];
    query = query.where('c.id', '>', afterId);
  }
  const rows = await query.orderBy('c.id').limit(filter.limit + 1).execute();
  return toPage(rows, filter.limit, toCustomerSummary, (row) => [row.id]);
}

/** What an order needs to know of its customer, read in one go. */
export interface CustomerForOrder {
  id: string;
  number: string;
  name: string;
  legalName: string;
  status: CustomerStatus;
  currency: string;
  countryCode: string;
  vatId: string | null;
  language: string;
  paymentTerms: PaymentTermsView;
  priceListId: string | null;
  creditLimitMinor: bigint | null;
  invoicingMoment: InvoicingMoment;
  invoiceGrouping: InvoiceGrouping;
  /** The e-mail of the first contact (by position) who receives invoices; null when no contact does. */
  invoiceEmail: string | null;
  billingAddress: AddressView;
  /** The default shipping address first, then the others in their order. */
  shippingAddresses: AddressView[];
}

/** The customer as an order sees it; an unknown id or another tenant's answers not found. */
export async function getCustomerForOrder(executor: Executor, tenantId: string, customerId: string): Promise<CustomerForOrder> {
  const row = await selectCustomers(executor, tenantId).where('c.id', '=', customerId).executeTakeFirst();
  if (row === undefined) throw notFound('customer', customerId);
  const addresses = await loadAddresses(executor, tenantId, customerId);
  const billingAddress = addresses.find((address) => address.kind === 'billing');
  const shipping = addresses.filter((address) => address.kind === 'shipping');
  // The address set is checked on every write; a customer without a billing address would be a broken invariant.
  if (billingAddress === undefined || shipping.length === 0) {
    throw new Error(`customer ${row.number} has no billing or no shipping address`);
  }
  return {
    id: row.id,
    number: row.number,
    name: row.name,
    legalName: row.legal_name,
    status: row.status,
    currency: row.currency,
    countryCode: row.country_code,
    vatId: row.vat_id,
    language: row.language,
    paymentTerms: await getPaymentTerms(executor, tenantId, row.payment_terms_id),
    priceListId: row.price_list_id,
    creditLimitMinor: row.credit_limit_minor,
    invoicingMoment: row.invoicing_moment,
    invoiceGrouping: row.invoice_grouping,
    invoiceEmail: await findInvoiceEmail(executor, tenantId, customerId),
    billingAddress,
    shippingAddresses: [...shipping.filter((address) => address.isDefault), ...shipping.filter((address) => !address.isDefault)],
  };
}

/** The e-mail of the customer's first contact (by position) whose roles include invoices, or null. */
async function findInvoiceEmail(executor: Executor, tenantId: string, customerId: string): Promise<string | null> {
  const contact = await executor
    .selectFrom('customer_contacts')
    .select('email')
    .where('tenant_id', '=', tenantId)
    .where('customer_id', '=', customerId)
    .where(sql<boolean>`'invoices' = any(roles)`)
    .where('email', 'is not', null)
    .orderBy('position')
    .limit(1)
    .executeTakeFirst();
  return contact?.email ?? null;
}

export async function findCustomerIdByNumber(executor: Executor, tenantId: string, number: string): Promise<string | null> {
  const row = await executor.selectFrom('customers').select('id').where('tenant_id', '=', tenantId).where('number', '=', number).executeTakeFirst();
  return row?.id ?? null;
}

/** A customer's number and status, for checks that need nothing else (submitting an order). */
export async function getCustomerStatus(executor: Executor, tenantId: string, customerId: string): Promise<{ number: string; status: CustomerStatus }> {
  const row = await executor.selectFrom('customers').select(['number', 'status']).where('tenant_id', '=', tenantId).where('id', '=', customerId).executeTakeFirst();
  if (row === undefined) throw notFound('customer', customerId);
  return row;
}

/**
 * Locks the customer's row until the transaction ends (SELECT … FOR NO KEY UPDATE,
 * so documents that only reference the customer are not held up), so decisions
 * per customer (a credit check against the limit) are taken one at a time. An
 * unknown id or another tenant's answers not found.
 */
export async function lockCustomer(tx: Tx, tenantId: string, customerId: string): Promise<void> {
  const row = await tx
    .selectFrom('customers')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('id', '=', customerId)
    .forNoKeyUpdate()
    .executeTakeFirst();
  if (row === undefined) throw notFound('customer', customerId);
}

/** The customers that have paid from an IBAN before: cash application's first clue to the payer. */
export async function findCustomerIdsByIban(executor: Executor, tenantId: string, iban: string): Promise<string[]> {
  const normalised = electronicFormatIBAN(iban) ?? '';
  if (normalised === '') return [];
  const rows = await executor
    .selectFrom('customer_bank_accounts')
    .select('customer_id')
    .where('tenant_id', '=', tenantId)
    .where('iban', '=', normalised)
    .orderBy('customer_id')
    .execute();
  return [...new Set(rows.map((row) => row.customer_id))];
}

/** Sets a customer's own credit limit (null: none, the tenant's default applies); credit management records why. */
export async function setCreditLimitMinor(tx: Tx, tenantId: string, customerId: string, limitMinor: bigint | null): Promise<void> {
  const result = await tx
    .updateTable('customers')
    .set((eb) => ({ credit_limit_minor: limitMinor, version: eb('version', '+', 1), updated_at: new Date() }))
    .where('tenant_id', '=', tenantId)
    .where('id', '=', customerId)
    .executeTakeFirst();
  if (result.numUpdatedRows === 0n) throw notFound('customer', customerId);
}
