import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Big, businessDateAt, formatQuantity, isKnownCurrency } from '../../kernel';
import { anyRole } from '../../platform/auth/roles';
import { invalidValue } from '../../platform/errors/app-error';
import { command, contextOf, created, ok } from '../../platform/http/command';
import { defaultPageSize, pageQuery, pageSchema } from '../../platform/http/pagination';
import { idParams, versionField } from '../../platform/http/schemas';
import type { RouteDependencies } from '../../platform/http/types';
import { getTenant } from '../../platform/tenants/tenants';
import {
  booleanQuery,
  businessDateSchema,
  currencySchema,
  decimalText,
  itemPricesSchema,
  priceBreakInput,
  priceListSchema,
  priceLookupSchema,
} from './catalog.schemas';
import { formatUnitPrice, readQuantity } from './catalog.values';
import { getItem } from './items.service';
import { listItemPrices, maxBreaksPerItem, putItemPrices, removeItemPrices } from './price-list-entries.service';
import { createPriceList, getPriceList, listPriceLists, updatePriceList } from './price-lists.service';
import { resolveUnitPrice } from './prices.service';

const readers = { access: { roles: anyRole } } as const;
const writers = { access: { roles: ['admin', 'sales'] } } as const;

const nameSchema = z.string().trim().min(1).max(200);

/** Price lists, their per-item quantity breaks, and the price lookup the order entry form uses. */
export const priceListsRoutes: FastifyPluginAsyncZod<RouteDependencies> = async (app, deps) => {
  app.get(
    '/price-lists',
    {
      config: readers,
      schema: {
        tags: ['catalog'],
        summary: 'List price lists',
        querystring: z.strictObject({
          ...pageQuery,
          currency: currencySchema.optional(),
          active: booleanQuery,
          isDefault: booleanQuery,
          validOn: businessDateSchema.optional().describe('Only lists valid on this date'),
          q: z.string().max(200).optional().describe('Part of the name'),
        }),
        response: { 200: pageSchema(priceListSchema) },
      },
    },
    async (request) => {
      const { limit, cursor, currency, active, isDefault, validOn, q } = request.query;
      return listPriceLists(deps.db, contextOf(request).actor.tenantId, {
        limit: limit ?? defaultPageSize,
        cursor,
        currency,
        active,
        isDefault,
        validOn,
        search: q,
      });
    },
  );

  app.post(
    '/price-lists',
    {
      config: writers,
      schema: {
        tags: ['catalog'],
        summary: 'Create a price list (one active default list per currency on any day)',
        body: z.strictObject({
          name: nameSchema,
          currency: currencySchema,
          validFrom: businessDateSchema,
          validTo: businessDateSchema.nullable().optional(),
          isDefault: z.boolean().optional(),
          active: z.boolean().optional(),
        }),
        response: { 201: priceListSchema },
      },
    },
    async (request, reply) => command(deps.db, request, reply, async (tx, context) => created(await createPriceList(tx, context, request.body))),
  );

  app.get(
    '/price-lists/:id',
    { config: readers, schema: { tags: ['catalog'], summary: 'Read a price list', params: idParams, response: { 200: priceListSchema } } },
    async (request) => getPriceList(deps.db, contextOf(request).actor.tenantId, request.params.id),
  );

  app.patch(
    '/price-lists/:id',
    {
      config: writers,
      schema: {
        tags: ['catalog'],
        summary: 'Change a price list’s name, period, default flag or status (its currency stays)',
        params: idParams,
        body: z.strictObject({
          version: versionField,
          name: nameSchema.optional(),
          validFrom: businessDateSchema.optional(),
          validTo: businessDateSchema.nullable().optional(),
          isDefault: z.boolean().optional(),
          active: z.boolean().optional(),
        }),
        response: { 200: priceListSchema },
      },
    },
    async (request, reply) =>
      command(deps.db, request, reply, async (tx, context) => ok(await updatePriceList(tx, context, request.params.id, request.body))),
  );

  app.get(
    '/price-lists/:id/entries',
    {
      config: readers,
      schema: {
        tags: ['catalog'],
        summary: 'List a price list’s prices: per item, its quantity breaks',
        params: idParams,
        querystring: z.strictObject({ ...pageQuery, itemId: z.uuid().optional() }),
        response: { 200: pageSchema(itemPricesSchema) },
      },
    },
    async (request) => {
      const { limit, cursor, itemId } = request.query;
      return listItemPrices(deps.db, contextOf(request).actor.tenantId, request.params.id, { limit: limit ?? defaultPageSize, cursor, itemId });
    },
  );

  app.put(
    '/price-lists/:id/entries',
    {
      config: writers,
      schema: {
        tags: ['catalog'],
        summary: 'Set an item’s prices in a list, replacing all its quantity breaks',
        params: idParams,
        body: z.strictObject({ itemId: z.uuid(), breaks: z.array(priceBreakInput).min(1).max(maxBreaksPerItem) }),
        response: { 200: itemPricesSchema },
      },
    },
    async (request, reply) =>
      command(deps.db, request, reply, async (tx, context) => ok(await putItemPrices(tx, context, request.params.id, request.body))),
  );

  app.delete(
    '/price-lists/:id/entries/:itemId',
    {
      config: writers,
      schema: {
        tags: ['catalog'],
        summary: 'Remove an item’s prices from a list; answers the breaks removed',
        params: z.strictObject({ id: z.uuid({ message: 'must be a UUID' }), itemId: z.uuid({ message: 'must be a UUID' }) }),
        response: { 200: itemPricesSchema },
      },
    },
    async (request, reply) =>
      command(deps.db, request, reply, async (tx, context) => ok(await removeItemPrices(tx, context, request.params.id, request.params.itemId))),
  );

  app.get(
    '/prices',
    {
      config: readers,
      schema: {
        tags: ['catalog'],
        summary: 'Look up an item’s unit price: the customer’s list if it prices the item, else the default list of the currency',
        querystring: z.strictObject({
          itemId: z.uuid(),
          currency: currencySchema,
          quantity: decimalText('Quantity (default 1)').optional(),
          date: businessDateSchema.optional().describe('Price date (default: today in the tenant’s time zone)'),
          customerPriceListId: z.uuid().optional(),
        }),
        response: { 200: priceLookupSchema },
      },
    },
    async (request) => {
      const tenantId = contextOf(request).actor.tenantId;
      const query = request.query;
      if (!isKnownCurrency(query.currency)) throw invalidValue('query.currency', `"${query.currency}" is not an ISO 4217 currency code`);
      const quantity = query.quantity === undefined ? new Big('1') : readQuantity(query.quantity, 'query.quantity');
      const item = await getItem(deps.db, tenantId, query.itemId);
      if (query.customerPriceListId !== undefined) await getPriceList(deps.db, tenantId, query.customerPriceListId);
      const date = query.date ?? businessDateAt(new Date(), (await getTenant(deps.db, tenantId)).timeZone);
      const price = await resolveUnitPrice(deps.db, tenantId, {
        itemId: item.id,
        quantity,
        currency: query.currency,
        date,
        customerPriceListId: query.customerPriceListId ?? null,
      });
      return {
        itemId: item.id,
        sku: item.sku,
        quantity: formatQuantity(quantity),
        currency: query.currency,
        date,
        unitPrice: price === null ? null : formatUnitPrice(price.unitPrice, query.currency),
        priceListId: price?.priceListId ?? null,
        priceListName: price?.priceListName ?? null,
        minQuantity: price === null ? null : formatQuantity(price.minQuantity),
        source: price?.source ?? null,
      };
    },
  );
};
