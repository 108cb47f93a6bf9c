import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { anyRole } from '../../platform/auth/roles';
import { command, contextOf, created, ok } from '../../platform/http/command';
import { defaultPageSize, pageQuery, pageSchema } from '../../platform/http/pagination';
import { idParams, versionField } from '../../platform/http/schemas';
import type { RouteDependencies } from '../../platform/http/types';
import { unitsOfMeasure } from './catalog.defaults';
import {
  booleanQuery,
  itemKindSchema,
  itemSchema,
  revenueAccountSchema,
  skuSchema,
  taxCategoryCodeSchema,
  unitSchema,
  unitSchemaList,
} from './catalog.schemas';
import { createItem, getItem, listItems, updateItem } from './items.service';

const readers = { access: { roles: anyRole } } as const;
const writers = { access: { roles: ['admin', 'sales'] } } as const;

const nameSchema = z.string().trim().min(1).max(200);
const descriptionSchema = z.string().trim().max(4000).nullable();

/** Items and the units they are counted in. */
export const itemsRoutes: FastifyPluginAsyncZod<RouteDependencies> = async (app, deps) => {
  app.get(
    '/items',
    {
      config: readers,
      schema: {
        tags: ['catalog'],
        summary: 'List items',
        querystring: z.strictObject({
          ...pageQuery,
          kind: itemKindSchema.optional(),
          active: booleanQuery.describe('true: only active items; false: only deactivated ones'),
          taxCategoryCode: taxCategoryCodeSchema.optional(),
          q: z.string().max(200).optional().describe('Part of the SKU or name'),
        }),
        response: { 200: pageSchema(itemSchema) },
      },
    },
    async (request) => {
      const { limit, cursor, kind, active, taxCategoryCode, q } = request.query;
      return listItems(deps.db, contextOf(request).actor.tenantId, {
        limit: limit ?? defaultPageSize,
        cursor,
        kind,
        active,
        taxCategoryCode,
        search: q,
      });
    },
  );

  app.post(
    '/items',
    {
      config: writers,
      schema: {
        tags: ['catalog'],
        summary: 'Create an item (goods are stocked, services are not)',
        body: z.strictObject({
          sku: skuSchema,
          name: nameSchema,
          description: descriptionSchema.optional(),
          kind: itemKindSchema,
          unit: unitSchema,
          taxCategoryCode: taxCategoryCodeSchema,
          revenueAccount: revenueAccountSchema.optional(),
          active: z.boolean().optional(),
        }),
        response: { 201: itemSchema },
      },
    },
    async (request, reply) => command(deps.db, request, reply, async (tx, context) => created(await createItem(tx, context, request.body))),
  );

  app.get(
    '/items/:id',
    { config: readers, schema: { tags: ['catalog'], summary: 'Read an item', params: idParams, response: { 200: itemSchema } } },
    async (request) => getItem(deps.db, contextOf(request).actor.tenantId, request.params.id),
  );

  app.patch(
    '/items/:id',
    {
      config: writers,
      schema: {
        tags: ['catalog'],
        summary: 'Change an item; "active": false deactivates it (items are never deleted, and their kind never changes)',
        params: idParams,
        body: z.strictObject({
          version: versionField,
          sku: skuSchema.optional(),
          name: nameSchema.optional(),
          description: descriptionSchema.optional(),
          unit: unitSchema.optional(),
          taxCategoryCode: taxCategoryCodeSchema.optional(),
          revenueAccount: revenueAccountSchema.optional(),
          active: z.boolean().optional(),
        }),
        response: { 200: itemSchema },
      },
    },
    async (request, reply) => command(deps.db, request, reply, async (tx, context) => ok(await updateItem(tx, context, request.params.id, request.body))),
  );

  app.get(
    '/units',
    {
      config: readers,
      schema: { tags: ['catalog'], summary: 'List the units of measure items may use (UN/ECE Rec 20)', response: { 200: unitSchemaList } },
    },
    async () => ({ items: Object.entries(unitsOfMeasure).map(([code, name]) => ({ code, name })) }),
  );
};
