import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isBusinessDate } from '../../kernel';
import { anyRole } from '../../platform/auth/roles';
import { auditTrail, historyEntrySchema } from '../../platform/audit/audit-trail';
import { command, contextOf, created, ok } from '../../platform/http/command';
import { defaultPageSize, pageQuery, pageSchema } from '../../platform/http/pagination';
import { idParams } from '../../platform/http/schemas';
import type { RouteDependencies } from '../../platform/http/types';
import { getTenant } from '../../platform/tenants/tenants';
import { listBackorders } from '../orders';
import { renderBillOfLading, renderDespatchAdvice, renderPackingSlip, renderPickList } from './documents';
import { maxProofBytes } from './fulfillment.rules';
import {
  attachProofOfDelivery,
  cancelShipment,
  createShipment,
  deliverShipment,
  listShipments,
  loadShipment,
  packShipment,
  pickShipment,
  readDocument,
  reportDeliveryException,
  shipShipment,
  shippingQueue,
} from './shipments.service';
import { allocateBackorders } from './backorders';

const warehouse = { access: { roles: ['admin', 'warehouse'] } } as const;
const everyone = { access: { roles: anyRole } } as const;
const date = z.string().refine(isBusinessDate, 'must be a calendar date YYYY-MM-DD that exists');
const text = (max: number) => z.string().trim().min(1).max(max);

const shipmentSchema = z
  .object({
    id: z.uuid(),
    number: z.string(),
    status: z.enum(['created', 'picked', 'packed', 'shipped', 'delivered', 'cancelled']),
    orderId: z.uuid(),
    orderNumber: z.string(),
    customerPoNumber: z.string().nullable(),
    customer: z.object({ id: z.uuid(), number: z.string(), name: z.string() }),
    warehouse: z.object({ id: z.uuid(), code: z.string(), name: z.string() }),
    shipTo: z.object({ name: z.string(), line1: z.string(), line2: z.string().nullable(), postalCode: z.string(), city: z.string(), countryCode: z.string() }),
    carrier: z.string().nullable(),
    serviceLevel: z.string().nullable(),
    trackingNumber: z.string().nullable(),
    shipDate: z.string().nullable(),
    expectedDeliveryDate: z.string().nullable(),
    deliveredAt: z.string().nullable(),
    receivedBy: z.string().nullable(),
    deliveryException: z.enum(['damaged', 'refused', 'lost']).nullable(),
    deliveryNote: z.string().nullable(),
    readyToInvoice: z.boolean(),
    lines: z.array(z.object({ id: z.uuid(), lineNo: z.number().int(), orderLineId: z.uuid(), itemId: z.uuid(), sku: z.string(), description: z.string(), unit: z.string(), quantity: z.string() })),
    packages: z.array(z.object({ packageNo: z.number().int(), packageType: z.string(), weightKg: z.string().nullable() })),
    documents: z.array(z.object({ id: z.uuid(), kind: z.literal('proof_of_delivery'), fileName: z.string(), mediaType: z.string(), sizeBytes: z.number().int(), uploadedAt: z.string() })),
    availableActions: z.array(z.string()),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Shipment' });

const documentKinds = {
  'pick-list.pdf': { type: 'application/pdf', render: renderPickList },
  'packing-slip.pdf': { type: 'application/pdf', render: renderPackingSlip },
  'bill-of-lading.pdf': { type: 'application/pdf', render: renderBillOfLading },
} as const;

/** Shipments: pick, pack, ship, deliver; the warehouse queue, backorders and shipping documents. */
export const fulfillmentRoutes: FastifyPluginAsyncZod<RouteDependencies> = async (app, deps) => {
  app.get(
    '/shipping-queue',
    {
      config: everyone,
      schema: {
        tags: ['fulfillment'],
        summary: 'Orders with reserved goods no shipment holds yet, by requested delivery date',
        querystring: z.strictObject({ limit: pageQuery.limit }),
        response: {
          200: z.object({
            items: z.array(z.object({ orderId: z.uuid(), orderNumber: z.string(), customerName: z.string(), requestedDeliveryDate: z.string().nullable(), orderDate: z.string(), status: z.string(), reservationStatus: z.string(), linesReady: z.number().int() })),
          }),
        },
      },
    },
    async (request) => ({ items: await shippingQueue(deps.db, contextOf(request).actor.tenantId, request.query.limit ?? 100) }),
  );

  app.get(
    '/backorders',
    {
      config: everyone,
      schema: {
        tags: ['fulfillment'],
        summary: 'Order lines waiting for stock, oldest order first',
        querystring: z.strictObject({ limit: pageQuery.limit }),
        response: {
          200: z.object({
            items: z.array(
              z.object({ orderId: z.uuid(), orderNumber: z.string(), customerName: z.string(), approvedAt: z.string().nullable(), requestedDeliveryDate: z.string().nullable(), lineNo: z.number().int(), itemId: z.uuid(), sku: z.string(), waiting: z.string(), shippingPolicy: z.string() }),
            ),
          }),
        },
      },
    },
    async (request) => ({ items: await listBackorders(deps.db, contextOf(request).actor.tenantId, request.query.limit ?? 200) }),
  );

  app.post(
    '/backorders/allocate',
    {
      config: warehouse,
      schema: { tags: ['fulfillment'], summary: 'Reserve arrived stock for waiting orders now, oldest first (the job does it on every receipt)', response: { 200: z.object({ reserved: z.array(z.string()) }) } },
    },
    async (request, reply) => command(deps.db, request, reply, async (tx, context) => ok({ reserved: await allocateBackorders(tx, context) })),
  );

  app.get(
    '/shipments',
    {
      config: everyone,
      schema: {
        tags: ['fulfillment'],
        summary: 'List shipments, newest first',
        querystring: z.strictObject({
          ...pageQuery,
          status: z.enum(['created', 'picked', 'packed', 'shipped', 'delivered', 'cancelled']).optional(),
          orderId: z.uuid().optional(),
          readyToInvoice: z.enum(['true', 'false']).optional(),
        }),
        response: { 200: pageSchema(shipmentSchema) },
      },
    },
    async (request) =>
      listShipments(deps.db, contextOf(request).actor.tenantId, {
        status: request.query.status,
        orderId: request.query.orderId,
        readyToInvoice: request.query.readyToInvoice === undefined ? undefined : request.query.readyToInvoice === 'true',
        limit: request.query.limit ?? defaultPageSize,
        cursor: request.query.cursor,
      }),
  );

  app.post(
    '/shipments',
    {
      config: warehouse,
      schema: {
        tags: ['fulfillment'],
        summary: 'Create a shipment from reserved lines of an order (all of them by default)',
        body: z.strictObject({ orderId: z.uuid(), lines: z.array(z.strictObject({ orderLineId: z.uuid(), quantity: z.string().min(1).max(40) })).min(1).max(500).optional() }),
        response: { 201: shipmentSchema },
      },
    },
    async (request, reply) => command(deps.db, request, reply, async (tx, context) => created(await createShipment(tx, context, request.body))),
  );

  app.get(
    '/shipments/:id',
    { config: everyone, schema: { tags: ['fulfillment'], summary: 'Read a shipment', params: idParams, response: { 200: shipmentSchema } } },
    async (request) => loadShipment(deps.db, contextOf(request).actor.tenantId, request.params.id),
  );

  app.get(
    '/shipments/:id/history',
    { config: everyone, schema: { tags: ['fulfillment'], summary: 'What happened to the shipment, oldest first', params: idParams, response: { 200: z.object({ items: z.array(historyEntrySchema) }) } } },
    async (request) => {
      const tenantId = contextOf(request).actor.tenantId;
      await loadShipment(deps.db, tenantId, request.params.id);
      return { items: await auditTrail(deps.db, tenantId, 'shipment', request.params.id) };
    },
  );

  app.post(
    '/shipments/:id/pick',
    { config: warehouse, schema: { tags: ['fulfillment'], summary: 'Mark the goods picked', params: idParams, response: { 200: shipmentSchema } } },
    async (request, reply) => command(deps.db, request, reply, async (tx, context) => ok(await pickShipment(tx, context, request.params.id))),
  );

  app.post(
    '/shipments/:id/pack',
    {
      config: warehouse,
      schema: {
        tags: ['fulfillment'],
        summary: 'Record the packages and mark the shipment packed',
        params: idParams,
        body: z.strictObject({ packages: z.array(z.strictObject({ packageType: z.enum(['box', 'pallet', 'envelope', 'crate']).optional(), weightKg: z.string().max(20).nullable().optional() })).min(1).max(200) }),
        response: { 200: shipmentSchema },
      },
    },
    async (request, reply) => command(deps.db, request, reply, async (tx, context) => ok(await packShipment(tx, context, request.params.id, request.body.packages))),
  );

  app.post(
    '/shipments/:id/ship',
    {
      config: warehouse,
      schema: {
        tags: ['fulfillment'],
        summary: 'Ship: stock leaves the warehouse and the order lines count it as shipped',
        params: idParams,
        body: z.strictObject({ carrier: text(100), serviceLevel: text(100).nullable().optional(), trackingNumber: text(100).nullable().optional(), shipDate: date.optional(), expectedDeliveryDate: date.nullable().optional() }),
        response: { 200: shipmentSchema },
      },
    },
    async (request, reply) => command(deps.db, request, reply, async (tx, context) => ok(await shipShipment(tx, context, request.params.id, request.body))),
  );

  app.post(
    '/shipments/:id/deliver',
    {
      config: warehouse,
      schema: {
        tags: ['fulfillment'],
        summary: 'Record the delivery (date and time, who received it)',
        params: idParams,
        body: z.strictObject({ deliveredAt: z.iso.datetime({ offset: true }).optional(), receivedBy: text(200) }),
        response: { 200: shipmentSchema },
      },
    },
    async (request, reply) => command(deps.db, request, reply, async (tx, context) => ok(await deliverShipment(tx, context, request.params.id, request.body))),
  );

  app.post(
    '/shipments/:id/delivery-exception',
    {
      config: warehouse,
      schema: {
        tags: ['fulfillment'],
        summary: 'Record a delivery exception (damaged, refused, lost); the shipment stays open for a decision',
        params: idParams,
        body: z.strictObject({ kind: z.enum(['damaged', 'refused', 'lost']), note: text(1000) }),
        response: { 200: shipmentSchema },
      },
    },
    async (request, reply) => command(deps.db, request, reply, async (tx, context) => ok(await reportDeliveryException(tx, context, request.params.id, request.body))),
  );

  app.post(
    '/shipments/:id/cancel',
    {
      config: warehouse,
      schema: { tags: ['fulfillment'], summary: 'Cancel before shipping; the reservations stay with the order', params: idParams, body: z.strictObject({ reason: text(500) }), response: { 200: shipmentSchema } },
    },
    async (request, reply) => command(deps.db, request, reply, async (tx, context) => ok(await cancelShipment(tx, context, request.params.id, request.body.reason))),
  );

  app.post(
    '/shipments/:id/proof-of-delivery',
    {
      config: warehouse,
      bodyLimit: maxProofBytes + 1024,
      schema: {
        tags: ['fulfillment'],
        summary: 'Upload a proof of delivery (PDF, PNG or JPEG, at most 5 MiB; the type is checked by content)',
        consumes: ['application/pdf', 'image/png', 'image/jpeg', 'application/octet-stream'],
        params: idParams,
        querystring: z.strictObject({ fileName: z.string().min(1).max(200).optional() }),
        response: { 200: shipmentSchema },
      },
    },
    async (request, reply) =>
      command(deps.db, request, reply, async (tx, context) => {
        const content = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        return ok(await attachProofOfDelivery(tx, context, request.params.id, { fileName: request.query.fileName ?? 'proof-of-delivery', content }));
      }),
  );

  app.get(
    '/shipments/:id/files/:documentId',
    {
      config: everyone,
      schema: { tags: ['fulfillment'], summary: 'Download an uploaded proof of delivery', params: z.strictObject({ id: z.uuid(), documentId: z.uuid() }), response: { 200: z.any() } },
    },
    async (request, reply) => {
      const document = await readDocument(deps.db, contextOf(request).actor.tenantId, request.params.id, request.params.documentId);
      return reply.type(document.media_type).header('content-disposition', `inline; filename="${document.file_name.replace(/["\r\n]/g, '')}"`).send(document.content);
    },
  );

  app.get(
    '/shipments/:id/documents/:kind',
    {
      config: everyone,
      schema: {
        tags: ['fulfillment'],
        summary: 'A shipping document: pick-list.pdf, packing-slip.pdf, bill-of-lading.pdf or despatch-advice.xml (UBL 2.1)',
        params: z.strictObject({ id: z.uuid(), kind: z.enum(['pick-list.pdf', 'packing-slip.pdf', 'bill-of-lading.pdf', 'despatch-advice.xml']) }),
        response: { 200: z.any() },
      },
    },
    async (request, reply) => {
      const tenantId = contextOf(request).actor.tenantId;
      const shipment = await loadShipment(deps.db, tenantId, request.params.id);
      const tenant = await getTenant(deps.db, tenantId);
      const filename = `${shipment.number}-${request.params.kind}`;
      if (request.params.kind === 'despatch-advice.xml') {
        return reply.type('application/xml; charset=utf-8').header('content-disposition', `attachment; filename="${filename}"`).send(renderDespatchAdvice(tenant, shipment));
      }
      const document = documentKinds[request.params.kind];
      return reply.type(document.type).header('content-disposition', `inline; filename="${filename}"`).send(await document.render(tenant, shipment));
    },
  );
};
