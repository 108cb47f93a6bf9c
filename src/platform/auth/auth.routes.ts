import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { sessionCookieName } from '../http/access';
import { command, contextOf, ok } from '../http/command';
import { emailSchema, instantSchema, permissionSchema, roleSchema } from '../http/schemas';
import type { RouteDependencies } from '../http/types';
import { getTenant } from '../tenants/tenants';
import { anyRole } from './roles';
import { signIn, signOut } from './sessions';
import { inTransaction } from '../db/database';
import { changeOwnPassword, getUser } from './users';

const userSchema = z
  .object({
    id: z.uuid(),
    email: z.string(),
    displayName: z.string(),
    roles: z.array(roleSchema),
    permissions: z.array(permissionSchema),
    status: z.enum(['active', 'disabled']),
    version: z.number().int(),
    createdAt: instantSchema,
    lastLoginAt: instantSchema.nullable(),
  })
  .meta({ id: 'User' });

const meSchema = z.object({
  actor: z.object({
    type: z.enum(['user', 'api_key']),
    id: z.string(),
    name: z.string(),
    roles: z.array(roleSchema),
    permissions: z.array(permissionSchema),
  }),
  user: userSchema.nullable(),
  tenant: z.object({ id: z.uuid(), slug: z.string(), legalName: z.string(), baseCurrency: z.string(), timeZone: z.string(), locale: z.string() }),
});

export { userSchema };

/** Sign-in, sign-out and who-am-I for the web UI (programs use API keys instead). */
export const authRoutes: FastifyPluginAsyncZod<RouteDependencies> = async (app, deps) => {
  app.post(
    '/auth/login',
    {
      config: { access: { public: true } },
      schema: {
        tags: ['auth'],
        summary: 'Sign in with e-mail and password; sets the session cookie',
        security: [],
        body: z.strictObject({ email: emailSchema, password: z.string().min(1).max(1000) }),
        response: { 200: z.object({ user: userSchema, expiresAt: instantSchema }) },
      },
    },
    async (request, reply) => {
      const result = await signIn(deps.db, deps.sessionPolicy, {
        email: request.body.email,
        password: request.body.password,
        clientAddress: request.ip,
        requestId: String(request.id),
      });
      void reply.setCookie(sessionCookieName, result.token, {
        path: '/',
        httpOnly: true,
        sameSite: 'strict',
        secure: deps.config.cookieSecure,
        expires: result.expiresAt,
      });
      return { user: result.user, expiresAt: result.expiresAt.toISOString() };
    },
  );

  app.post(
    '/auth/logout',
    {
      config: { access: { roles: anyRole } },
      schema: { tags: ['auth'], summary: 'End the current session', response: { 204: z.null().describe('Signed out') } },
    },
    async (request, reply) => {
      await inTransaction(deps.db, (tx) => signOut(tx, contextOf(request)));
      void reply.clearCookie(sessionCookieName, { path: '/' });
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/me',
    {
      config: { access: { roles: anyRole } },
      schema: { tags: ['auth'], summary: 'The signed-in user or API key, its roles and tenant', response: { 200: meSchema } },
    },
    async (request) => {
      const { actor } = contextOf(request);
      const tenant = await getTenant(deps.db, actor.tenantId);
      const user = actor.type === 'user' && actor.id !== null ? await getUser(deps.db, actor.tenantId, actor.id) : null;
      const actorType: 'user' | 'api_key' = actor.type === 'user' ? 'user' : 'api_key';
      return {
        actor: { type: actorType, id: actor.id ?? '', name: actor.name, roles: [...actor.roles], permissions: [...actor.permissions] },
        user,
        tenant: {
          id: tenant.id,
          slug: tenant.slug,
          legalName: tenant.legalName,
          baseCurrency: tenant.baseCurrency,
          timeZone: tenant.timeZone,
          locale: tenant.locale,
        },
      };
    },
  );

  app.post(
    '/me/password',
    {
      config: { access: { roles: anyRole } },
      schema: {
        tags: ['auth'],
        summary: 'Change your own password; your other sessions end',
        body: z.strictObject({ currentPassword: z.string().min(1).max(1000), newPassword: z.string().min(1).max(1000) }),
        response: { 200: z.object({ changed: z.literal(true) }) },
      },
    },
    async (request, reply) =>
      command(deps.db, request, reply, async (tx, context) => {
        await changeOwnPassword(tx, context, request.body.currentPassword, request.body.newPassword);
        return ok({ changed: true as const });
      }),
  );
};
