import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { parseQuantity, type Decimal } from '../../kernel';
import { anyRole } from '../../platform/auth/roles';
import { readAt } from '../../platform/errors/app-error';
import { command, contextOf, created, ok } from '../../platform/http/command';
import { defaultPageSize, pageQuery, pageSchema } from '../../platform/http/pagination';
import { idParams, versionField } from '../../platform/http/schemas';
import type { RouteDependencies } from '../../platform/http/types';
import { adjustStock, getAvailability, listMovements, listStockLevels, receiveStock } from './stock.service';
import { createWarehouse, listWarehouses, updateWarehouse } from './warehouses.service';

const stockKeepers = { access: { roles: ['admin', 'warehouse'] } } as const;
const everyone = { access: { roles: anyRole } } as const;

const quantityText = z.string().max(40).describe('Decimal quantity, e.g. "12" or "2.5"');
const warehouseSchema = z
  .object({ id: z.uuid(), code: z.string(), name: z.string(), countryCode: z.string(), isDefault: z.boolean(), active: z.boolean(), version: z.number().int() })
  .meta({ id: 'Warehouse' });
const stockLevelSchema = z
  .object({ itemId: z.uuid(), warehouseId: z.uuid(), onHand: z.string(), reserved: z.string(), available: z.string() })
  .meta({ id: 'StockLevel' });
const movementSchema = z
  .object({
    id: z.uuid(),
    itemId: z.uuid(),
    warehouseId: z.uuid(),
    kind: z.string(),
    onHandDelta: z.string(),
    reservedDelta: z.string(),
    onHandAfter: z.string(),
    reservedAfter: z.string(),
    reason: z.string().nullable(),
    referenceType: z.string().nullable(),
    referenceId: z.string().nullable(),
    actorName: z.string(),
    occurredAt: z.string(),
  })
  .meta({ id: 'StockMovement' });

function readQuantity(text: string, path: string): Decimal {
  return readAt(path, () => parseQuantity(text, path));
}

/** Warehouses, stock levels, receipts, adjustments, availability and the movement history. */
export const inventoryRoutes: FastifyPluginAsyncZod<RouteDependencies> = async (app, deps) => {
  app.get(
    '/warehouses',
    { config: everyone, schema: { tags: ['inventory'], summary: 'List warehouses', response: { 200: z.object({ items: z.array(warehouseSchema) }) } } },
    async (request) => ({ items: await listWarehouses(deps.db, contextOf(request).actor.tenantId) }),
  );

  app.post(
    '/warehouses',
    {
      config: stockKeepers,
      schema: {
        tags: ['inventory'],
        summary: 'Create a warehouse',
        body: z.strictObject({
          code: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,19}$/, 'must be 1–20 letters, digits, _ or -'),
          name: z.string().trim().min(1).max(200),
          countryCode: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code'),
          isDefault: z.boolean().optional(),
        }),
        response: { 201: warehouseSchema },
      },
    },
    async (request, reply) => command(deps.db, request, reply, async (tx, context) => created(await createWarehouse(tx, context, request.body))),
  );

  app.patch(
    '/warehouses/:id',
    {
      config: stockKeepers,
      schema: {
        tags: ['inventory'],
        summary: 'Rename, (de)activate or make a warehouse the default',
        params: idParams,
        body: z.strictObject({ version: versionField, name: z.string().trim().min(1).max(200).optional(), isDefault: z.boolean().optional(), active: z.boolean().optional() }),
        response: { 200: warehouseSchema },
      },
    },
    async (request, reply) => command(deps.db, request, reply, async (tx, context) => ok(await updateWarehouse(tx, context, request.params.id, request.body))),
  );

  app.get(
    '/stock',
    {
      config: everyone,
      schema: {
        tags: ['inventory'],
        summary: 'Stock levels per item and warehouse (on hand, reserved, available)',
        querystring: z.strictObject({ ...pageQuery, warehouseId: z.uuid().optional(), itemId: z.uuid().optional() }),
        response: { 200: pageSchema(stockLevelSchema) },
      },
    },
    async (request) =>
      listStockLevels(deps.db, contextOf(request).actor.tenantId, {
        warehouseId: request.query.warehouseId,
        itemId: request.query.itemId,
        limit: request.query.limit ?? defaultPageSize,
        cursor: request.query.cursor,
      }),
  );

  app.get(
    '/availability',
    {
      config: everyone,
      schema: {
        tags: ['inventory'],
        summary: 'Availability of one or many items, per warehouse',
        querystring: z.strictObject({
          itemIds: z
            .string()
            .max(37 * 200)
            .transform((text) => text.split(',').filter(Boolean))
            .pipe(z.array(z.uuid()).min(1).max(200))
            .describe('Comma-separated item ids'),
          warehouseId: z.uuid().optional(),
        }),
        response: { 200: z.object({ items: z.array(stockLevelSchema) }) },
      },
    },
    async (request) => ({ items: await getAvailability(deps.db, contextOf(request).actor.tenantId, request.query.itemIds, request.query.warehouseId) }),
  );

  app.post(
    '/stock/receipts',
    {
      config: stockKeepers,
      schema: {
        tags: ['inventory'],
        summary: 'Receive goods into a warehouse',
        body: z.strictObject({ itemId: z.uuid(), warehouseId: z.uuid(), quantity: quantityText, reason: z.string().trim().max(500).nullable().optional() }),
        response: { 201: stockLevelSchema },
      },
    },
    async (request, reply) =>
      command(deps.db, request, reply, async (tx, context) =>
        created(
          await receiveStock(tx, context, {
            itemId: request.body.itemId,
            warehouseId: request.body.warehouseId,
            quantity: readQuantity(request.body.quantity, 'body.quantity'),
            reason: request.body.reason ?? null,
          }),
        ),
      ),
  );

  app.post(
    '/stock/adjustments',
    {
      config: stockKeepers,
      schema: {
        tags: ['inventory'],
        summary: 'Correct on-hand stock to a counted quantity or by a delta, with a reason',
        body: z.union([
          z.strictObject({ itemId: z.uuid(), warehouseId: z.uuid(), countedQuantity: quantityText, reason: z.string().trim().min(1).max(500) }),
          z.strictObject({ itemId: z.uuid(), warehouseId: z.uuid(), delta: quantityText, reason: z.string().trim().min(1).max(500) }),
        ]),
        response: { 200: stockLevelSchema },
      },
    },
    async (request, reply) =>
      command(deps.db, request, reply, async (tx, context) => {
        const body = request.body;
        const common = { itemId: body.itemId, warehouseId: body.warehouseId, reason: body.reason };
        return ok(
          await adjustStock(
            tx,
            context,
            'delta' in body
              ? { ...common, delta: readQuantity(body.delta, 'body.delta') }
              : { ...common, countedQuantity: readQuantity(body.countedQuantity, 'body.countedQuantity') },
          ),
        );
      }),
  );

  app.get(
    '/stock/movements',
    {
      config: everyone,
      schema: {
        tags: ['inventory'],
        summary: 'The movement history, newest first',
        querystring: z.strictObject({
          ...pageQuery,
          itemId: z.uuid().optional(),
          warehouseId: z.uuid().optional(),
          kind: z.enum(['receipt', 'adjustment', 'reservation', 'release', 'shipment']).optional(),
        }),
        response: { 200: pageSchema(movementSchema) },
      },
    },
    async (request) =>
      listMovements(deps.db, contextOf(request).actor.tenantId, {
        itemId: request.query.itemId,
        warehouseId: request.query.warehouseId,
        kind: request.query.kind,
        limit: request.query.limit ?? defaultPageSize,
        cursor: request.query.cursor,
      }),
  );
};
