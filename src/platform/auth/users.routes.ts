import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { command, contextOf, created, ok } from '../http/command';
import { defaultPageSize, pageQuery, pageSchema } from '../http/pagination';
import { emailSchema, idParams, permissionSchema, roleSchema, versionField } from '../http/schemas';
import type { RouteDependencies } from '../http/types';
import { userSchema } from './auth.routes';
import { createUser, getUser, listUsers, resetPassword, updateUser } from './users';

const admin = { access: { roles: ['admin'] } } as const;

/** User administration: admins only. */
export const usersRoutes: FastifyPluginAsyncZod<RouteDependencies> = async (app, deps) => {
  app.get(
    '/users',
    {
      config: admin,
      schema: {
        tags: ['users'],
        summary: 'List users',
        querystring: z.strictObject({
          ...pageQuery,
          status: z.enum(['active', 'disabled']).optional(),
          role: roleSchema.optional(),
          q: z.string().max(200).optional().describe('Part of the e-mail or name'),
        }),
        response: { 200: pageSchema(userSchema) },
      },
    },
    async (request) => {
      const { limit, cursor, status, role, q } = request.query;
      return listUsers(deps.db, contextOf(request).actor.tenantId, {
        limit: limit ?? defaultPageSize,
        ...(cursor === undefined ? {} : { cursor }),
        ...(status === undefined ? {} : { status }),
        ...(role === undefined ? {} : { role }),
        ...(q === undefined ? {} : { search: q }),
      });
    },
  );

  app.post(
    '/users',
    {
      config: admin,
      schema: {
        tags: ['users'],
        summary: 'Create a user',
        body: z.strictObject({
          email: emailSchema,
          displayName: z.string().trim().min(1).max(200),
          password: z.string().min(1).max(1000),
          roles: z.array(roleSchema).min(1),
          permissions: z.array(permissionSchema).optional(),
        }),
        response: { 201: userSchema },
      },
    },
    async (request, reply) => command(deps.db, request, reply, async (tx, context) => created(await createUser(tx, context, request.body))),
  );

  app.get(
    '/users/:id',
    { config: admin, schema: { tags: ['users'], summary: 'Read a user', params: idParams, response: { 200: userSchema } } },
    async (request) => getUser(deps.db, contextOf(request).actor.tenantId, request.params.id),
  );

  app.patch(
    '/users/:id',
    {
      config: admin,
      schema: {
        tags: ['users'],
        summary: 'Change a user’s name, roles or status (disabling ends their sessions)',
        params: idParams,
        body: z.strictObject({
          version: versionField,
          displayName: z.string().trim().min(1).max(200).optional(),
          roles: z.array(roleSchema).optional(),
          permissions: z.array(permissionSchema).optional(),
          status: z.enum(['active', 'disabled']).optional(),
        }),
        response: { 200: userSchema },
      },
    },
    async (request, reply) =>
      command(deps.db, request, reply, async (tx, context) => ok(await updateUser(tx, context, request.params.id, request.body))),
  );

  app.post(
    '/users/:id/reset-password',
    {
      config: admin,
      schema: {
        tags: ['users'],
        summary: 'Set a new password for a user (their sessions end)',
        params: idParams,
        body: z.strictObject({ password: z.string().min(1).max(1000) }),
        response: { 200: z.object({ reset: z.literal(true) }) },
      },
    },
    async (request, reply) =>
      command(deps.db, request, reply, async (tx, context) => {
        await resetPassword(tx, context, request.params.id, request.body.password);
        return ok({ reset: true as const });
      }),
  );
};
