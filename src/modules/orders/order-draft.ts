import {
  Big,
  KernelValueError,
  businessDateAt,
  isKnownCurrency,
  parseDecimal,
  parseMoney,
  parsePositiveQuantity,
  parseUnitPrice,
  type BusinessDate,
  type Decimal,
} from '../../kernel';
import type { RequestContext } from '../../platform/auth/actor';
import type { Executor } from '../../platform/db/database';
import { AppError, invalidValue, type FieldIssue } from '../../platform/errors/app-error';
import { getTenant } from '../../platform/tenants/tenants';
import { determineLineTaxes, getItemsByIds, getItemsBySkus, resolveUnitPrices, type ItemView } from '../catalog';
import { findCustomerIdByNumber, getCustomerForOrder, type CustomerForOrder } from '../customers';
import { getDefaultWarehouse, getWarehouse } from '../inventory';
import { priceOrder, type LineTax, type PricedOrder } from './order-pricing.rules';

/** An order line as a caller sends it: the item by id or SKU, and optionally a price that overrides the list. */
export interface LineInput {
  readonly lineId?: string | undefined;
  readonly itemId?: string | undefined;
  readonly sku?: string | undefined;
  readonly quantity: string;
  readonly unitPrice?: string | undefined;
  readonly priceOverrideReason?: string | undefined;
  readonly discountPercent?: string | undefined;
  readonly description?: string | undefined;
}

export interface ChargeInput {
  readonly kind: 'freight' | 'handling' | 'other';
  readonly amount: string;
  readonly description?: string | undefined;
}

export interface ShipToInput {
  readonly name: string;
  readonly line1: string;
  readonly line2?: string | null | undefined;
  readonly postalCode: string;
  readonly city: string;
  readonly countryCode: string;
}

export interface OrderInput {
  readonly customerId?: string | undefined;
  readonly customerNumber?: string | undefined;
  readonly customerPoNumber?: string | null | undefined;
  readonly currency?: string | undefined;
  readonly orderDate?: string | undefined;
  readonly requestedDeliveryDate?: string | null | undefined;
  readonly shipToAddressId?: string | undefined;
  readonly shipTo?: ShipToInput | undefined;
  readonly warehouseId?: string | undefined;
  readonly shippingPolicy?: 'partial' | 'complete' | undefined;
  readonly orderDiscountPercent?: string | null | undefined;
  readonly allowOverDelivery?: boolean | undefined;
  readonly overDeliveryTolerancePercent?: string | undefined;
  readonly notes?: string | null | undefined;
  readonly lines: readonly LineInput[];
  readonly charges?: readonly ChargeInput[] | undefined;
}

export interface DraftLine {
  readonly lineId: string | undefined;
  readonly item: ItemView;
  readonly description: string;
  readonly quantity: Decimal;
  readonly unitPrice: Decimal;
  readonly priceSource: 'price_list' | 'override';
  readonly priceListId: string | null;
  readonly priceOverrideReason: string | null;
  readonly discountPercent: Decimal | null;
  readonly tax: LineTax;
}

export interface DraftCharge {
  readonly kind: 'freight' | 'handling' | 'other';
  readonly description: string;
  readonly amountMinor: bigint;
}

/** Everything an order needs, checked and priced, before it is written. */
export interface Draft {
  readonly customer: CustomerForOrder;
  readonly currency: string;
  readonly orderDate: BusinessDate;
  readonly requestedDeliveryDate: BusinessDate | null;
  readonly customerPoNumber: string | null;
  readonly shipTo: Required<Omit<ShipToInput, 'line2'>> & { line2: string | null };
  readonly sellerCountryCode: string;
  readonly warehouseId: string;
  readonly shippingPolicy: 'partial' | 'complete';
  readonly orderDiscountPercent: Decimal | null;
  readonly allowOverDelivery: boolean;
  readonly overDeliveryTolerancePercent: Decimal;
  readonly notes: string | null;
  readonly lines: DraftLine[];
  readonly charges: DraftCharge[];
  readonly priced: PricedOrder;
}

/** Collects every problem of a request before refusing it, so the caller can fix all at once. */
class Problems {
  readonly issues: FieldIssue[] = [];
  add(path: string, message: string): void {
    this.issues.push({ path, message });
  }
  read<T>(path: string, read: () => T): T | undefined {
    try {
      return read();
    } catch (error) {
      if (error instanceof KernelValueError) {
        this.add(path, error.message.replace(new RegExp(`^${path.replace(/\./g, '\\.')}\\s*`), ''));
        return undefined;
      }
      throw error;
    }
  }
  throwIfAny(): void {
    if (this.issues.length > 0) {
      throw new AppError('O2C_VALIDATION_FAILED', this.issues.map((issue) => `${issue.path}: ${issue.message}`).join('; '), this.issues);
    }
  }
}

const percentMaxDecimals = 2;

/**
 * Turns an order request into a checked, priced draft: the customer and its
 * terms, each item and its price (from the customer's or the default price list,
 * or a permitted override with a reason), each line's tax category and rate, and
 * exact totals. Business refusals (blocked customer, inactive item, no price) are
 * 422; malformed values are 400 with the path of each.
 */
export interface DraftOptions {
  /** Refuse blocked customers and inactive items (not for a quote). */
  readonly requireActive: boolean;
}

export async function buildDraft(executor: Executor, context: RequestContext, input: OrderInput, options: DraftOptions): Promise<Draft> {
  const tenantId = context.actor.tenantId;
  const problems = new Problems();
  const tenant = await getTenant(executor, tenantId);
  const customer = await findCustomer(executor, tenantId, input);
  if (options.requireActive && customer.status !== 'active') {
    throw new AppError('O2C_CUSTOMER_NOT_ACTIVE', `customer ${customer.number} is ${customer.status}; an order needs an active customer`);
  }
  const currency = input.currency ?? customer.currency;
  if (!isKnownCurrency(currency)) throw invalidValue('body.currency', `"${currency}" is not an ISO 4217 currency code`);
  const orderDate = input.orderDate ?? businessDateAt(new Date(), tenant.timeZone);
  const requestedDeliveryDate = input.requestedDeliveryDate ?? null;
  if (requestedDeliveryDate !== null && requestedDeliveryDate < orderDate) {
    problems.add('body.requestedDeliveryDate', `must not be before the order date ${orderDate}`);
  }
  const shipTo = resolveShipTo(customer, input, problems);
  const warehouseId = await resolveWarehouse(executor, tenantId, input.warehouseId);
  const orderDiscountPercent = readPercent(problems, 'body.orderDiscountPercent', input.orderDiscountPercent ?? null);
  const tolerance = readPercent(problems, 'body.overDeliveryTolerancePercent', input.overDeliveryTolerancePercent ?? null) ?? new Big('0');
  if (input.lines.length === 0) problems.add('body.lines', 'an order needs at least one line');

  const items = await findItems(executor, tenantId, input.lines, problems);
  // Parse every line first, then price and tax them all in a few queries.
  const parsed = input.lines.flatMap((line, index) => {
    const path = `body.lines.${index}`;
    const item = items[index];
    const quantity = problems.read(`${path}.quantity`, () => parsePositiveQuantity(line.quantity, `${path}.quantity`));
    const discountPercent = readPercent(problems, `${path}.discountPercent`, line.discountPercent ?? null);
    if (item === undefined || quantity === undefined) return [];
    if (options.requireActive && !item.active) {
      throw new AppError('O2C_ITEM_INACTIVE', `item ${item.sku} (line ${index + 1}) is not active; remove the line or choose another item`, [
        { path: `${path}.${line.itemId === undefined ? 'sku' : 'itemId'}`, message: 'is not active' },
      ]);
    }
    return [{ index, path, line, item, quantity, discountPercent }];
  });
  const listed = parsed.filter((entry) => entry.line.unitPrice === undefined);
  const listPrices = await resolveUnitPrices(executor, tenantId, {
    currency,
    date: orderDate,
    customerPriceListId: customer.priceListId,
    lines: listed.map((entry) => ({ itemId: entry.item.id, quantity: entry.quantity })),
  });
  const listPriceByIndex = new Map(listed.map((entry, position) => [entry.index, listPrices[position] ?? null]));
  const taxes = await determineLineTaxes(executor, tenantId, {
    sellerCountry: tenant.countryCode,
    buyerCountry: customer.countryCode,
    buyerVatId: customer.vatId,
    date: orderDate,
    items: parsed.map((entry) => entry.item),
  });
  const lines: DraftLine[] = [];
  for (const [position, entry] of parsed.entries()) {
    const price =
      entry.line.unitPrice === undefined
        ? listedPrice(entry, currency, orderDate, listPriceByIndex.get(entry.index) ?? null)
        : overridePrice(context, entry, currency, problems);
    if (price === undefined) continue;
    lines.push({
      lineId: entry.line.lineId,
      item: entry.item,
      description: entry.line.description?.trim() || entry.item.name,
      quantity: entry.quantity,
      unitPrice: price.unitPrice,
      priceSource: price.source,
      priceListId: price.priceListId,
      priceOverrideReason: price.reason,
      discountPercent: entry.discountPercent,
      tax: taxes[position]!,
    });
  }
  const charges = (input.charges ?? []).flatMap((charge, index) => {
    const path = `body.charges.${index}.amount`;
    const amount = problems.read(path, () => parseMoney(charge.amount, currency, path));
    if (amount === undefined) return [];
    if (amount.amountMinor < 0n) {
      problems.add(path, 'must not be negative');
      return [];
    }
    return [{ kind: charge.kind, description: charge.description?.trim() || defaultChargeDescription[charge.kind], amountMinor: amount.amountMinor }];
  });
  problems.throwIfAny();
  const priced = priceOrder(
    currency,
    lines.map((line) => ({ unitPrice: line.unitPrice, quantity: line.quantity, discountPercent: line.discountPercent, tax: line.tax })),
    charges,
    orderDiscountPercent,
  );
  return {
    customer,
    currency,
    orderDate,
    requestedDeliveryDate,
    customerPoNumber: input.customerPoNumber?.trim() || null,
    shipTo,
    sellerCountryCode: tenant.countryCode,
    warehouseId,
    shippingPolicy: input.shippingPolicy ?? 'partial',
    orderDiscountPercent,
    allowOverDelivery: input.allowOverDelivery ?? false,
    overDeliveryTolerancePercent: tolerance,
    notes: input.notes?.trim() || null,
    lines,
    charges,
    priced,
  };
}

const defaultChargeDescription = { freight: 'Freight', handling: 'Handling', other: 'Charge' } as const;

async function findCustomer(executor: Executor, tenantId: string, input: OrderInput): Promise<CustomerForOrder> {
  if (input.customerId !== undefined) return getCustomerForOrder(executor, tenantId, input.customerId);
  if (input.customerNumber !== undefined) {
    const id = await findCustomerIdByNumber(executor, tenantId, input.customerNumber);
    if (id === null) {
      throw new AppError('O2C_NOT_FOUND', `customer ${input.customerNumber} does not exist`, [{ path: 'body.customerNumber', message: 'no such customer' }]);
    }
    return getCustomerForOrder(executor, tenantId, id);
  }
  throw invalidValue('body.customerId', 'give customerId or customerNumber');
}

function resolveShipTo(customer: CustomerForOrder, input: OrderInput, problems: Problems): Draft['shipTo'] {
  if (input.shipTo !== undefined) {
    return { ...input.shipTo, line2: input.shipTo.line2 ?? null };
  }
  const address =
    input.shipToAddressId === undefined
      ? customer.shippingAddresses[0]
      : customer.shippingAddresses.find((candidate) => candidate.id === input.shipToAddressId);
  if (address === undefined) {
    problems.add(
      input.shipToAddressId === undefined ? 'body.shipTo' : 'body.shipToAddressId',
      input.shipToAddressId === undefined ? `customer ${customer.number} has no shipping address; give shipTo` : 'is not a shipping address of this customer',
    );
    return { name: '', line1: '', line2: null, postalCode: '', city: '', countryCode: customer.countryCode };
  }
  return { name: address.name, line1: address.line1, line2: address.line2, postalCode: address.postalCode, city: address.city, countryCode: address.countryCode };
}

async function resolveWarehouse(executor: Executor, tenantId: string, warehouseId: string | undefined): Promise<string> {
  if (warehouseId !== undefined) {
    const warehouse = await getWarehouse(executor, tenantId, warehouseId);
    if (!warehouse.active) throw new AppError('O2C_BUSINESS_RULE', `warehouse ${warehouse.code} is not active`, [{ path: 'body.warehouseId', message: 'is not active' }]);
    return warehouse.id;
  }
  const fallback = await getDefaultWarehouse(executor, tenantId);
  if (fallback === undefined) throw new AppError('O2C_BUSINESS_RULE', 'no default warehouse is set up; give warehouseId');
  return fallback.id;
}

function readPercent(problems: Problems, path: string, text: string | null): Decimal | null {
  if (text === null) return null;
  const value = problems.read(path, () => parseDecimal(text, percentMaxDecimals, path));
  if (value === undefined) return null;
  if (value.lt('0') || value.gt('100')) {
    problems.add(path, 'must be between 0 and 100');
    return null;
  }
  return value;
}

/** Looks up every line's item in two queries (by id and by SKU); unknown ones are collected as problems. */
async function findItems(executor: Executor, tenantId: string, lines: readonly LineInput[], problems: Problems): Promise<Array<ItemView | undefined>> {
  const ids = lines.flatMap((line) => (line.itemId === undefined ? [] : [line.itemId]));
  const skus = lines.flatMap((line) => (line.itemId === undefined && line.sku !== undefined ? [line.sku] : []));
  const [byId, bySku] = await Promise.all([
    ids.length === 0 ? new Map<string, ItemView>() : getItemsByIds(executor, tenantId, ids),
    skus.length === 0 ? new Map<string, ItemView>() : getItemsBySkus(executor, tenantId, skus),
  ]);
  return lines.map((line, index) => {
    if (line.itemId !== undefined) {
      const item = byId.get(line.itemId);
      if (item === undefined) problems.add(`body.lines.${index}.itemId`, `no item ${line.itemId}`);
      return item;
    }
    if (line.sku !== undefined) {
      const item = bySku.get(line.sku.toUpperCase());
      if (item === undefined) problems.add(`body.lines.${index}.sku`, `no item with SKU ${line.sku}`);
      return item;
    }
    problems.add(`body.lines.${index}.itemId`, 'give itemId or sku');
    return undefined;
  });
}

interface ParsedLine {
  readonly path: string;
  readonly line: LineInput;
  readonly item: ItemView;
}

type LinePrice = { unitPrice: Decimal; source: 'price_list' | 'override'; priceListId: string | null; reason: string | null };

function listedPrice(entry: ParsedLine, currency: string, orderDate: BusinessDate, found: { unitPrice: Decimal; priceListId: string } | null): LinePrice {
  if (found === null) {
    throw new AppError(
      'O2C_PRICE_NOT_FOUND',
      `no price for ${entry.item.sku} in ${currency} on ${orderDate}: neither the customer's price list nor a default ${currency} price list has it`,
      [{ path: `${entry.path}.${entry.line.itemId === undefined ? 'sku' : 'itemId'}`, message: `has no ${currency} price` }],
    );
  }
  return { unitPrice: found.unitPrice, source: 'price_list', priceListId: found.priceListId, reason: null };
}

/** A price set on the line: needs the price_override permission and a reason. */
function overridePrice(context: RequestContext, entry: ParsedLine, currency: string, problems: Problems): LinePrice | undefined {
  const { path, line } = entry;
  if (!context.actor.permissions.includes('price_override')) {
    throw new AppError('O2C_PRICE_OVERRIDE_NOT_PERMITTED', `line ${Number(path.split('.').pop()) + 1} sets unitPrice; overriding the price list needs the price_override permission`, [
      { path: `${path}.unitPrice`, message: 'needs the price_override permission' },
    ]);
  }
  const reason = line.priceOverrideReason?.trim();
  if (reason === undefined || reason === '') problems.add(`${path}.priceOverrideReason`, 'a price override needs a reason');
  const unitPrice = problems.read(`${path}.unitPrice`, () => parseUnitPrice(line.unitPrice!, currency, `${path}.unitPrice`));
  if (unitPrice !== undefined && unitPrice.lt('0')) problems.add(`${path}.unitPrice`, 'must not be negative');
  return unitPrice === undefined || reason === undefined || reason === '' ? undefined : { unitPrice, source: 'override', priceListId: null, reason };
}
