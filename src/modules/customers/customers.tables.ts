import type { ColumnType, Generated } from 'kysely';
import type { PaymentTermsBasis } from './payment-terms.rules';
import type { AddressKind, CustomerStatus, InvoiceGrouping, InvoicingMoment } from './customers.rules';

type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** numeric columns come back as exact strings. */
type Numeric = ColumnType<string, string, string>;

export interface PaymentTermsTable {
  tenant_id: string;
  id: string;
  code: string;
  name: string;
  net_days: number;
  basis: PaymentTermsBasis;
  discount_percent: Numeric | null;
  discount_days: number | null;
  active: Generated<boolean>;
  version: Generated<number>;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface CustomersTable {
  tenant_id: string;
  id: string;
  number: string;
  name: string;
  legal_name: string;
  vat_id: string | null;
  country_code: string;
  currency: string;
  language: string;
  payment_terms_id: string;
  price_list_id: string | null;
  credit_limit_minor: bigint | null;
  invoicing_moment: InvoicingMoment;
  invoice_grouping: InvoiceGrouping;
  status: CustomerStatus;
  blocked_reason: string | null;
  version: Generated<number>;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface CustomerAddressesTable {
  tenant_id: string;
  id: string;
  customer_id: string;
  position: number;
  kind: AddressKind;
  name: string;
  line1: string;
  line2: string | null;
  postal_code: string;
  city: string;
  country_code: string;
  is_default: boolean;
}

export interface CustomerContactsTable {
  tenant_id: string;
  id: string;
  customer_id: string;
  position: number;
  name: string;
  email: string | null;
  phone: string | null;
  roles: string[];
}

export interface CustomerBankAccountsTable {
  tenant_id: string;
  id: string;
  customer_id: string;
  position: number;
  iban: string;
  bic: string | null;
  account_holder: string;
}

declare module '../../platform/db/schema' {
  interface Database {
    payment_terms: PaymentTermsTable;
    customers: CustomersTable;
    customer_addresses: CustomerAddressesTable;
    customer_contacts: CustomerContactsTable;
    customer_bank_accounts: CustomerBankAccountsTable;
  }
}
