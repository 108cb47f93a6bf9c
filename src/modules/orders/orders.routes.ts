import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { formatMinor, formatQuantity, formatUnitPrice, isBusinessDate } from '../../kernel';
import { anyRole } from '../../platform/auth/roles';
import { command, contextOf, created, ok } from '../../platform/http/command';
import { defaultPageSize, pageQuery, pageSchema } from '../../platform/http/pagination';
import { idParams, versionField } from '../../platform/http/schemas';
import type { RouteDependencies } from '../../platform/http/types';
import { orderInputSchema, orderListItemSchema, orderSchema, totalsSchema } from './orders.schemas';
import { renderOrderConfirmation } from './order-confirmation.pdf';
import { auditTrail, historyEntrySchema } from '../../platform/audit/audit-trail';
import { createOrder, listOrders, loadOrder, quoteOrder, updateOrderHeader } from './orders.service';

const orderDesk = { access: { roles: ['admin', 'sales'] } } as const;
const everyone = { access: { roles: anyRole } } as const;
const moneyText = z.string();

const quoteSchema = z
  .object({
    currency: z.string(),
    lines: z.array(
      z.object({
        itemId: z.uuid(),
        sku: z.string(),
        description: z.string(),
        kind: z.string(),
        unit: z.string(),
        quantity: z.string(),
        unitPrice: z.string(),
        priceSource: z.string(),
        netAmount: moneyText,
        taxCategory: z.string(),
        taxRatePercent: z.string(),
        taxAmount: moneyText,
        available: z.string().nullable().describe('Available in the order’s warehouse now; null for services'),
      }),
    ),
    totals: totalsSchema,
    taxBreakdown: z.array(z.object({ categoryCode: z.string(), ratePercent: z.string(), taxableAmount: moneyText, taxAmount: moneyText })),
  })
  .meta({ id: 'OrderQuote' });

/** Sales orders: capture, quote, change, cancel, and read with their history. */
export const ordersRoutes: FastifyPluginAsyncZod<RouteDependencies> = async (app, deps) => {
  app.post(
    '/orders',
    {
      config: orderDesk,
      schema: { tags: ['orders'], summary: 'Create a draft order (priced and numbered; submit it to reserve stock)', body: orderInputSchema, response: { 201: orderSchema } },
    },
    async (request, reply) =>
      // The channel follows from the credentials: the web UI signs in with a session, programs use keys.
      command(deps.db, request, reply, async (tx, context) => created(await createOrder(tx, context, request.body, context.actor.sessionId === undefined ? 'api' : 'ui'))),
  );

  app.post(
    '/order-quotes',
    {
      config: orderDesk,
      schema: {
        tags: ['orders'],
        summary: 'Price an order without saving it: prices, tax, totals and availability (for the entry form)',
        body: orderInputSchema,
        response: { 200: quoteSchema },
      },
    },
    async (request) => {
      const context = contextOf(request);
      const { draft, availableByItem } = await quoteOrder(deps.db, context, request.body);
      const money = (minor: bigint) => formatMinor(minor, draft.currency);
      return {
        currency: draft.currency,
        lines: draft.lines.map((line, index) => ({
          itemId: line.item.id,
          sku: line.item.sku,
          description: line.description,
          kind: line.item.kind,
          unit: line.item.unit,
          quantity: formatQuantity(line.quantity),
          unitPrice: formatUnitPrice(line.unitPrice, draft.currency),
          priceSource: line.priceSource,
          netAmount: money(draft.priced.lines[index]!.netMinor),
          taxCategory: line.tax.categoryCode,
          taxRatePercent: line.tax.ratePercent,
          taxAmount: money(draft.priced.lines[index]!.taxMinor),
          available: line.item.kind === 'goods' ? (availableByItem.get(line.item.id) ?? '0') : null,
        })),
        totals: {
          linesNet: money(draft.priced.linesNetMinor),
          orderDiscount: money(draft.priced.orderDiscountMinor),
          charges: money(draft.priced.chargesMinor),
          taxable: money(draft.priced.taxableMinor),
          tax: money(draft.priced.taxMinor),
          gross: money(draft.priced.grossMinor),
        },
        taxBreakdown: draft.priced.taxBreakdown.map((entry) => ({
          categoryCode: entry.categoryCode,
          ratePercent: entry.ratePercent,
          taxableAmount: money(entry.taxableMinor),
          taxAmount: money(entry.taxMinor),
        })),
      };
    },
  );

  app.get(
    '/orders',
    {
      config: everyone,
      schema: {
        tags: ['orders'],
        summary: 'List orders, newest first',
        querystring: z.strictObject({
          ...pageQuery,
          status: z.enum(['draft', 'submitted', 'approved', 'on_credit_hold', 'partially_shipped', 'shipped', 'closed', 'cancelled']).optional(),
          customerId: z.uuid().optional(),
          q: z.string().max(200).optional().describe('Part of the order number, customer name or number, or PO number'),
          from: z.string().refine(isBusinessDate, 'must be YYYY-MM-DD').optional().describe('Order date from'),
          to: z.string().refine(isBusinessDate, 'must be YYYY-MM-DD').optional().describe('Order date to'),
        }),
        response: { 200: pageSchema(orderListItemSchema) },
      },
    },
    async (request) =>
      listOrders(deps.db, contextOf(request).actor.tenantId, {
        status: request.query.status,
        customerId: request.query.customerId,
        search: request.query.q,
        from: request.query.from,
        to: request.query.to,
        limit: request.query.limit ?? defaultPageSize,
        cursor: request.query.cursor,
      }),
  );

  app.get(
    '/orders/:id',
    { config: everyone, schema: { tags: ['orders'], summary: 'Read an order with its lines, charges, totals and actions', params: idParams, response: { 200: orderSchema } } },
    async (request) => loadOrder(deps.db, contextOf(request).actor.tenantId, request.params.id),
  );

  app.get(
    '/orders/:id/confirmation.pdf',
    {
      config: everyone,
      schema: {
        tags: ['orders'],
        summary: 'The order confirmation as PDF',
        params: idParams,
        produces: ['application/pdf'],
        response: { 200: z.any().describe('application/pdf') },
      },
    },
    async (request, reply) => {
      const tenantId = contextOf(request).actor.tenantId;
      const order = await loadOrder(deps.db, tenantId, request.params.id);
      const pdf = await renderOrderConfirmation(deps.db, tenantId, order);
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="${order.number}.pdf"`)
        .send(pdf);
    },
  );

  app.get(
    '/orders/:id/history',
    {
      config: everyone,
      schema: {
        tags: ['orders'],
        summary: 'What happened to the order: every audited change, oldest first',
        params: idParams,
        response: { 200: z.object({ items: z.array(historyEntrySchema) }) },
      },
    },
    async (request) => {
      const tenantId = contextOf(request).actor.tenantId;
      await loadOrder(deps.db, tenantId, request.params.id);
      return { items: await auditTrail(deps.db, tenantId, 'order', request.params.id) };
    },
  );

  app.patch(
    '/orders/:id',
    {
      config: orderDesk,
      schema: {
        tags: ['orders'],
        summary: 'Change the PO number, requested delivery date or notes',
        params: idParams,
        body: z.strictObject({
          version: versionField,
          customerPoNumber: z.string().trim().max(100).nullable().optional(),
          requestedDeliveryDate: z.string().refine(isBusinessDate, 'must be a calendar date YYYY-MM-DD that exists').nullable().optional(),
          notes: z.string().trim().max(2000).nullable().optional(),
        }),
        response: { 200: orderSchema },
      },
    },
    async (request, reply) => command(deps.db, request, reply, async (tx, context) => ok(await updateOrderHeader(tx, context, request.params.id, request.body))),
  );

};
