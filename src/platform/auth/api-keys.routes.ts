import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { command, contextOf, created, ok } from '../http/command';
import { defaultPageSize, pageQuery, pageSchema } from '../http/pagination';
import { idParams, instantSchema, permissionSchema, roleSchema } from '../http/schemas';
import type { RouteDependencies } from '../http/types';
import { createApiKey, listApiKeys, revokeApiKey } from './api-keys';

const admin = { access: { roles: ['admin'] } } as const;

const apiKeySchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    prefix: z.string(),
    roles: z.array(roleSchema),
    permissions: z.array(permissionSchema),
    createdAt: instantSchema,
    lastUsedAt: instantSchema.nullable(),
    revokedAt: instantSchema.nullable(),
  })
  .meta({ id: 'ApiKey' });

/** API keys for programs: admins create (the secret is shown once), list and revoke them. */
export const apiKeysRoutes: FastifyPluginAsyncZod<RouteDependencies> = async (app, deps) => {
  app.get(
    '/api-keys',
    {
      config: admin,
      schema: {
        tags: ['api keys'],
        summary: 'List API keys',
        querystring: z.strictObject({ ...pageQuery, includeRevoked: z.enum(['true', 'false']).optional() }),
        response: { 200: pageSchema(apiKeySchema) },
      },
    },
    async (request) =>
      listApiKeys(deps.db, contextOf(request).actor.tenantId, {
        includeRevoked: request.query.includeRevoked === 'true',
        limit: request.query.limit ?? defaultPageSize,
        ...(request.query.cursor === undefined ? {} : { cursor: request.query.cursor }),
      }),
  );

  app.post(
    '/api-keys',
    {
      config: admin,
      schema: {
        tags: ['api keys'],
        summary: 'Create an API key; the secret in the answer is shown only this once',
        body: z.strictObject({
          name: z.string().trim().min(1).max(100),
          roles: z.array(roleSchema).min(1),
          permissions: z.array(permissionSchema).optional(),
        }),
        response: { 201: z.object({ apiKey: apiKeySchema, secret: z.string().describe('Use as "Authorization: Bearer <secret>"') }) },
      },
    },
    async (request, reply) => command(deps.db, request, reply, async (tx, context) => created(await createApiKey(tx, context, request.body))),
  );

  app.post(
    '/api-keys/:id/revoke',
    {
      config: admin,
      schema: { tags: ['api keys'], summary: 'Revoke an API key at once', params: idParams, response: { 200: apiKeySchema } },
    },
    async (request, reply) => command(deps.db, request, reply, async (tx, context) => ok(await revokeApiKey(tx, context, request.params.id))),
  );
};
