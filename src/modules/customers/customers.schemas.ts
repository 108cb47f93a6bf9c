import { z } from 'zod';
import { instantSchema, versionField } from '../../platform/http/schemas';
import { addressKinds, contactRoles, customerStatuses, invoiceGroupings, invoicingMoments } from './customers.rules';
import { paymentTermsBases } from './payment-terms.rules';

/** Request and response schemas of the customers module (validation and the OpenAPI document). */

const text = (max: number) => z.string().trim().min(1).max(max);
const optionalText = (max: number) => text(max).nullable().default(null);

export const countryCodeSchema = z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as DE');
export const currencySchema = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR');
export const languageSchema = z.string().regex(/^[a-z]{2,3}$/, 'must be a BCP 47 primary language subtag such as de, en or fr');
export const paymentTermsCodeSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9/._-]{0,19}$/, 'must be 1–20 letters, digits or / . _ - (e.g. NET30, 2/10NET30)')
  .transform((code) => code.toUpperCase());
const creditLimitSchema = z
  .string()
  .max(40)
  .regex(/^-?\d+(\.\d+)?$/, 'must be a decimal string in major units such as "50000.00"')
  .nullable()
  .describe('In the customer’s currency, as a decimal string ("50000.00"); null for none. Needs the admin or credit role to set or change.');
const vatIdSchema = z
  .string()
  .max(40)
  .nullable()
  .describe('VAT id with its country prefix (DE…, FR…, ATU…, EL… for Greece, CHE… for Switzerland); checked per country where a rule exists.');

const invoiceGroupingSchema = z
  .enum(invoiceGroupings)
  .describe('How automatic invoices are collected: per_shipment (default) issues one invoice per shipment, daily collects a day’s shipments of the customer into one invoice');

const childId = z.uuid({ message: 'must be a UUID' }).optional().describe('Send the id of an existing entry to keep it; leave it out for a new one.');

function addressFields() {
  return {
    kind: z.enum(addressKinds),
    name: text(200).describe('Company or person the address is for'),
    line1: text(200),
    line2: optionalText(200),
    postalCode: text(20),
    city: text(100),
    countryCode: countryCodeSchema,
    isDefault: z
      .boolean()
      .optional()
      .describe('Exactly one shipping address is the default (a single one is so without saying); the billing address always is.'),
  };
}

function contactFields() {
  return {
    name: text(200),
    email: z.email().max(254).nullable().default(null),
    phone: z
      .string()
      .trim()
      .regex(/^\+?[0-9][0-9 ()/.-]{2,39}$/, 'must be a phone number of digits, spaces and ( ) / . -, optionally starting with +')
      .nullable()
      .default(null),
    roles: z
      .array(z.enum(contactRoles))
      .max(contactRoles.length)
      .default([])
      .describe('What the contact receives: orders (confirmations), invoices, reminders'),
  };
}

function bankAccountFields() {
  return {
    iban: z.string().min(1).max(50).describe('Spaces allowed; stored in electronic format'),
    bic: z.string().max(20).nullable().default(null),
    accountHolder: text(200).nullable().optional().describe('Defaults to the customer’s legal name'),
  };
}

export const newAddressSchema = z.strictObject(addressFields());
export const addressInputSchema = z.strictObject({ id: childId, ...addressFields() });
export const newContactSchema = z.strictObject(contactFields());
export const contactInputSchema = z.strictObject({ id: childId, ...contactFields() });
export const newBankAccountSchema = z.strictObject(bankAccountFields());
export const bankAccountInputSchema = z.strictObject({ id: childId, ...bankAccountFields() });

export const newCustomerBody = z.strictObject({
  name: text(200).describe('The name people search and read'),
  legalName: text(200).optional().describe('The name on invoices; defaults to name'),
  vatId: vatIdSchema.default(null),
  countryCode: countryCodeSchema,
  currency: currencySchema,
  language: languageSchema.describe('Language of documents and e-mails to the customer'),
  paymentTermsCode: paymentTermsCodeSchema,
  priceListId: z.uuid({ message: 'must be a UUID' }).nullable().default(null),
  creditLimit: creditLimitSchema.default(null),
  invoicingMoment: z.enum(invoicingMoments).default('shipment').describe('Invoice on shipment (default) or on confirmed delivery'),
  invoiceGrouping: invoiceGroupingSchema.default('per_shipment'),
  addresses: z.array(newAddressSchema).min(1).max(50).describe('Exactly one billing address and at least one shipping address'),
  contacts: z.array(newContactSchema).max(50).default([]),
  bankAccounts: z.array(newBankAccountSchema).max(20).default([]),
});

export const customerChangeBody = z.strictObject({
  version: versionField,
  name: text(200).optional(),
  legalName: text(200).optional(),
  vatId: vatIdSchema.optional(),
  countryCode: countryCodeSchema.optional(),
  currency: currencySchema.optional(),
  language: languageSchema.optional(),
  paymentTermsCode: paymentTermsCodeSchema.optional(),
  priceListId: z.uuid({ message: 'must be a UUID' }).nullable().optional(),
  creditLimit: creditLimitSchema.optional(),
  invoicingMoment: z.enum(invoicingMoments).optional(),
  invoiceGrouping: invoiceGroupingSchema.optional(),
});

export const addressesBody = z.strictObject({ version: versionField, addresses: z.array(addressInputSchema).min(1).max(50) });
export const contactsBody = z.strictObject({ version: versionField, contacts: z.array(contactInputSchema).max(50) });
export const bankAccountsBody = z.strictObject({ version: versionField, bankAccounts: z.array(bankAccountInputSchema).max(20) });

export const blockBody = z.strictObject({
  reason: text(500).describe('Why the customer is blocked; shown wherever the block stops something'),
  version: versionField.optional(),
});
export const statusActionBody = z.strictObject({ version: versionField.optional() }).nullish().describe('Optional; send the version you read to refuse acting on a changed customer');

export const customerQuery = {
  status: z.enum(customerStatuses).optional().describe('Without it, archived customers are left out'),
  country: countryCodeSchema.optional(),
  currency: currencySchema.optional(),
  q: z.string().max(200).optional().describe('Part of the number, name, legal name or VAT id'),
};

export const addressSchema = z
  .object({
    id: z.uuid(),
    kind: z.enum(addressKinds),
    name: z.string(),
    line1: z.string(),
    line2: z.string().nullable(),
    postalCode: z.string(),
    city: z.string(),
    countryCode: z.string(),
    isDefault: z.boolean(),
  })
  .meta({ id: 'CustomerAddress' });

export const contactSchema = z
  .object({ id: z.uuid(), name: z.string(), email: z.string().nullable(), phone: z.string().nullable(), roles: z.array(z.enum(contactRoles)) })
  .meta({ id: 'CustomerContact' });

export const bankAccountSchema = z
  .object({ id: z.uuid(), iban: z.string(), bic: z.string().nullable(), accountHolder: z.string() })
  .meta({ id: 'CustomerBankAccount' });

const customerFields = {
  id: z.uuid(),
  number: z.string(),
  name: z.string(),
  legalName: z.string(),
  vatId: z.string().nullable(),
  countryCode: z.string(),
  currency: z.string(),
  language: z.string(),
  paymentTermsCode: z.string(),
  priceListId: z.uuid().nullable(),
  creditLimit: z.string().nullable().describe('Decimal string in the customer’s currency; null for none'),
  invoicingMoment: z.enum(invoicingMoments),
  invoiceGrouping: invoiceGroupingSchema,
  status: z.enum(customerStatuses),
  blockedReason: z.string().nullable(),
  version: z.number().int(),
  createdAt: instantSchema,
  updatedAt: instantSchema,
};

export const customerSummarySchema = z.object(customerFields).meta({ id: 'CustomerSummary' });
export const customerSchema = z
  .object({ ...customerFields, addresses: z.array(addressSchema), contacts: z.array(contactSchema), bankAccounts: z.array(bankAccountSchema) })
  .meta({ id: 'Customer' });

export const paymentTermsSchema = z
  .object({
    id: z.uuid(),
    code: z.string(),
    name: z.string(),
    netDays: z.number().int(),
    basis: z.enum(paymentTermsBases),
    discountPercent: z.string().nullable(),
    discountDays: z.number().int().nullable(),
    active: z.boolean(),
    version: z.number().int(),
  })
  .meta({ id: 'PaymentTerms' });

const netDays = z.number().int().min(0).max(365).describe('Days until the invoice is due, counted from the basis');
const basis = z
  .enum(paymentTermsBases)
  .describe('invoice_date: count from the invoice date; end_of_month: count from the last day of the invoice month');
const discountPercent = z
  .string()
  .max(10)
  .regex(/^\d+(\.\d+)?$/, 'must be a decimal string such as "2" or "2.50"')
  .nullable()
  .describe('Early-payment discount in percent of the gross amount, more than 0 and less than 100, at most 2 decimals');
const discountDays = z.number().int().min(0).max(365).nullable().describe('Days (from the basis) within which the discount applies; fewer than netDays');

export const newPaymentTermsBody = z.strictObject({
  code: paymentTermsCodeSchema,
  name: text(100),
  netDays,
  basis: basis.default('invoice_date'),
  discountPercent: discountPercent.default(null),
  discountDays: discountDays.default(null),
});

export const paymentTermsChangeBody = z.strictObject({
  version: versionField,
  name: text(100).optional(),
  netDays: netDays.optional(),
  basis: basis.optional(),
  discountPercent: discountPercent.optional(),
  discountDays: discountDays.optional(),
  active: z.boolean().optional(),
});
