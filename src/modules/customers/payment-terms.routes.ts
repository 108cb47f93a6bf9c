import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { anyRole, type Role } from '../../platform/auth/roles';
import { command, contextOf, created, ok } from '../../platform/http/command';
import { defaultPageSize, pageQuery, pageSchema } from '../../platform/http/pagination';
import { idParams } from '../../platform/http/schemas';
import type { RouteDependencies } from '../../platform/http/types';
import { newPaymentTermsBody, paymentTermsChangeBody, paymentTermsSchema } from './customers.schemas';
import { createPaymentTerms, getPaymentTerms, listPaymentTerms, updatePaymentTerms } from './payment-terms.service';

const readers = { access: { roles: anyRole } } as const;
const writers = { access: { roles: ['admin', 'controller'] as Role[] } } as const;
const tags = ['payment terms'];

/** Payment terms: everyone reads them; admins and controllers keep them. */
export const paymentTermsRoutes: FastifyPluginAsyncZod<RouteDependencies> = async (app, deps) => {
  app.get(
    '/payment-terms',
    {
      config: readers,
      schema: {
        tags,
        summary: 'List payment terms',
        querystring: z.strictObject({ ...pageQuery, active: z.enum(['true', 'false']).optional() }),
        response: { 200: pageSchema(paymentTermsSchema) },
      },
    },
    async (request) => {
      const { limit, cursor, active } = request.query;
      return listPaymentTerms(deps.db, contextOf(request).actor.tenantId, {
        limit: limit ?? defaultPageSize,
        ...(cursor === undefined ? {} : { cursor }),
        ...(active === undefined ? {} : { active: active === 'true' }),
      });
    },
  );

  app.post(
    '/payment-terms',
    {
      config: writers,
      schema: {
        tags,
        summary: 'Create payment terms, e.g. NET30 or 2/10NET30 (2 % within 10 days, net 30)',
        body: newPaymentTermsBody,
        response: { 201: paymentTermsSchema },
      },
    },
    async (request, reply) => command(deps.db, request, reply, async (tx, context) => created(await createPaymentTerms(tx, context, request.body))),
  );

  app.get(
    '/payment-terms/:id',
    { config: readers, schema: { tags, summary: 'Read payment terms', params: idParams, response: { 200: paymentTermsSchema } } },
    async (request) => getPaymentTerms(deps.db, contextOf(request).actor.tenantId, request.params.id),
  );

  app.patch(
    '/payment-terms/:id',
    {
      config: writers,
      schema: {
        tags,
        summary: 'Change payment terms (the code stays); inactive terms cannot be given to customers',
        params: idParams,
        body: paymentTermsChangeBody,
        response: { 200: paymentTermsSchema },
      },
    },
    async (request, reply) =>
      command(deps.db, request, reply, async (tx, context) => ok(await updatePaymentTerms(tx, context, request.params.id, request.body))),
  );
};
