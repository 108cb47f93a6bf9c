import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { command, ok } from '../platform/http/command';
import { idParams } from '../platform/http/schemas';
import type { RouteDependencies } from '../platform/http/types';
import { chargeInputSchema, lineInputSchema, orderSchema } from '../modules/orders';
import { versionField } from '../platform/http/schemas';
import { cancelOrderWorkflow, changeOrderLines } from './order-changes';
import { importColumns, importOrders, maxImportRows } from './import-orders';
import { submitOrder } from './submit-order';

/** Order actions that span modules. */
export const orderWorkflowRoutes: FastifyPluginAsyncZod<RouteDependencies> = async (app, deps) => {
  app.post(
    '/orders/:id/submit',
    {
      config: { access: { roles: ['admin', 'sales'] } },
      schema: {
        tags: ['orders'],
        summary: 'Submit a draft: validate, re-price, decide credit, and approve with stock reserved (or hold)',
        params: idParams,
        response: { 200: orderSchema },
      },
    },
    async (request, reply) => command(deps.db, request, reply, async (tx, context) => ok(await submitOrder(tx, context, request.params.id))),
  );

  app.put(
    '/orders/:id/lines',
    {
      config: { access: { roles: ['admin', 'sales'] } },
      schema: {
        tags: ['orders'],
        summary: 'Replace the lines, charges and order discount (draft, approved or held orders; re-prices and re-reserves; an approved order whose value goes up is decided again and may go on credit hold)',
        params: idParams,
        body: z.strictObject({
          version: versionField,
          lines: z.array(lineInputSchema).min(1).max(500),
          charges: z.array(chargeInputSchema).max(20).optional(),
          orderDiscountPercent: z.string().max(40).nullable().optional(),
        }),
        response: { 200: orderSchema },
      },
    },
    async (request, reply) => command(deps.db, request, reply, async (tx, context) => ok(await changeOrderLines(tx, context, request.params.id, request.body))),
  );

  app.post(
    '/orders/:id/cancel',
    {
      config: { access: { roles: ['admin', 'sales'] } },
      schema: {
        tags: ['orders'],
        summary: 'Cancel everything not yet shipped (short-closes a partly shipped order) and release its stock; an open credit review of the order is withdrawn',
        params: idParams,
        body: z.strictObject({ reason: z.string().trim().min(1).max(500) }),
        response: { 200: orderSchema },
      },
    },
    async (request, reply) => command(deps.db, request, reply, async (tx, context) => ok(await cancelOrderWorkflow(tx, context, request.params.id, request.body.reason))),
  );
  app.post(
    '/order-imports',
    {
      config: { access: { roles: ['admin', 'sales'] } },
      bodyLimit: 32 * 1024 * 1024,
      schema: {
        tags: ['orders'],
        summary: 'Import orders from CSV (all or nothing; the same file twice creates nothing new)',
        description: `Send the file as the body with Content-Type text/csv. One row per order line; rows with the same customer_number and po_number form one order. Columns: ${Object.entries(importColumns)
          .map(([name, meaning]) => `${name} (${meaning})`)
          .join('; ')}. At most ${maxImportRows} rows.`,
        consumes: ['text/csv'],
        querystring: z.strictObject({ submit: z.enum(['true', 'false']).optional().describe('Also submit each new order (default false: drafts)') }),
        body: z.string().min(1).describe('The CSV file'),
        response: {
          200: z.object({
            rows: z.number().int(),
            created: z.array(z.object({ number: z.string(), id: z.uuid(), customerNumber: z.string(), poNumber: z.string(), lines: z.number().int(), status: z.string() })),
            skipped: z.array(z.object({ number: z.string(), customerNumber: z.string(), poNumber: z.string(), reason: z.string() })),
          }),
        },
      },
    },
    async (request, reply) =>
      command(deps.db, request, reply, async (tx, context) => ok(await importOrders(tx, context, request.body, { submit: request.query.submit === 'true' }))),
  );
};
