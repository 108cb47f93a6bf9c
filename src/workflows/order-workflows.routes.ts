import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { command, ok } from '../platform/http/command';
import { idParams } from '../platform/http/schemas';
import type { RouteDependencies } from '../platform/http/types';
import { orderSchema } from '../modules/orders';
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
};
