import { z } from 'zod';
import { isBusinessDate } from '../../kernel';
import { instantSchema } from '../../platform/http/schemas';
import { enTaxCategories } from './tax.rules';

/** The catalog's request and response pieces. Request objects are strict; decimals travel as strings. */

export const businessDateSchema = z
  .string()
  .refine((text) => isBusinessDate(text), 'must be a calendar date YYYY-MM-DD that exists')
  .describe('Calendar date, YYYY-MM-DD');
export const countryCodeSchema = z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as DE');
export const currencySchema = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR');
export const taxCategoryCodeSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_-]{0,31}$/, 'must be 1–32 lower-case letters, digits, "_" or "-", starting with a letter')
  .describe('A tax category code of the tenant, e.g. standard, reduced, zero, exempt');
export const decimalText = (description: string) => z.string().min(1).max(50).describe(description);
export const booleanQuery = z
  .enum(['true', 'false'])
  .transform((text) => text === 'true')
  .optional();

export const skuSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'must be 1–64 letters, digits, ".", "_" or "-", starting with a letter or digit')
  .describe('Stock keeping unit, unique per tenant regardless of case');
export const unitSchema = z.string().regex(/^[A-Z0-9]{2,3}$/, 'must be a UN/ECE Rec 20 unit code such as C62, KGM or HUR').describe('UN/ECE Rec 20 unit code (GET /units)');
export const revenueAccountSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9.-]{0,19}$/, 'must be an account code of up to 20 letters, digits, "." or "-"')
  .describe('Ledger account the item’s revenue is posted to (default 8400)');
export const itemKindSchema = z.enum(['goods', 'service']);

export const itemSchema = z
  .object({
    id: z.uuid(),
    sku: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    kind: itemKindSchema,
    unit: z.string(),
    taxCategoryCode: z.string(),
    revenueAccount: z.string(),
    active: z.boolean(),
    version: z.number().int(),
  })
  .meta({ id: 'Item' });

export const priceListSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    currency: z.string(),
    validFrom: z.string(),
    validTo: z.string().nullable(),
    isDefault: z.boolean(),
    active: z.boolean(),
    version: z.number().int(),
    createdAt: instantSchema,
    updatedAt: instantSchema,
  })
  .meta({ id: 'PriceList' });

export const priceBreakInput = z.strictObject({
  minQuantity: decimalText('The quantity from which the price applies; "0" or "1" is the base price'),
  unitPrice: decimalText('Unit price in the list’s currency: at most its decimals plus four, never rounded'),
});

export const itemPricesSchema = z
  .object({
    priceListId: z.uuid(),
    currency: z.string(),
    itemId: z.uuid(),
    sku: z.string(),
    itemName: z.string(),
    unit: z.string(),
    breaks: z.array(z.object({ minQuantity: z.string(), unitPrice: z.string() })),
  })
  .meta({ id: 'ItemPrices' });

export const priceLookupSchema = z
  .object({
    itemId: z.uuid(),
    sku: z.string(),
    quantity: z.string(),
    currency: z.string(),
    date: z.string(),
    unitPrice: z.string().nullable().describe('Null when no price list prices the item for this quantity, currency and date'),
    priceListId: z.uuid().nullable(),
    priceListName: z.string().nullable(),
    minQuantity: z.string().nullable().describe('The quantity break that applied'),
    source: z.enum(['customer', 'default']).nullable(),
  })
  .meta({ id: 'PriceLookup' });

export const domesticCategorySchema = z.enum(['S', 'Z', 'E']).describe('EN 16931 category of a sale within one country');
export const exemptionReasonCodeSchema = z.string().regex(/^VATEX-[A-Z0-9-]{1,40}$/, 'must be a VATEX code such as VATEX-EU-132-1I');

export const taxCategorySchema = z
  .object({
    id: z.uuid(),
    code: z.string(),
    name: z.string(),
    domesticCategory: domesticCategorySchema,
    exemptionReason: z.string().nullable(),
    exemptionReasonCode: z.string().nullable(),
    version: z.number().int(),
    createdAt: instantSchema,
    updatedAt: instantSchema,
  })
  .meta({ id: 'TaxCategory' });

export const taxRateSchema = z
  .object({
    id: z.uuid(),
    taxCategoryCode: z.string(),
    countryCode: z.string(),
    ratePercent: z.string().describe('Percentage, e.g. "19" or "5.5"'),
    validFrom: z.string(),
    validTo: z.string().nullable().describe('Last day the rate applies; null while it is in force'),
    version: z.number().int(),
    createdAt: instantSchema,
    updatedAt: instantSchema,
  })
  .meta({ id: 'TaxRate' });

export const taxDeterminationSchema = z
  .object({
    itemId: z.uuid(),
    sellerCountry: z.string(),
    buyerCountry: z.string(),
    date: z.string(),
    categoryCode: z.enum(enTaxCategories),
    ratePercent: z.string(),
    exemptionReasonCode: z.string().nullable(),
    exemptionReason: z.string().nullable(),
  })
  .meta({ id: 'TaxDetermination' });

export const unitSchemaList = z.object({ items: z.array(z.object({ code: z.string(), name: z.string() })) });
