import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { anyRole } from '../auth/roles';
import { command, contextOf, ok } from '../http/command';
import { instantSchema, versionField } from '../http/schemas';
import type { RouteDependencies } from '../http/types';
import { getTenant, updateTenantProfile } from './tenants';

const optionalText = (max: number) => z.string().trim().max(max).nullable();

/** The tenant profile fields, as the API reads and writes them. */
export const tenantProfileFields = {
  legalName: z.string().trim().min(1).max(200),
  addressLine1: z.string().trim().min(1).max(200),
  addressLine2: optionalText(200),
  postalCode: z.string().trim().min(1).max(20),
  city: z.string().trim().min(1).max(100),
  countryCode: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as DE'),
  vatId: optionalText(30),
  registrationId: optionalText(50),
  iban: optionalText(42),
  bic: optionalText(11),
  baseCurrency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR'),
  timeZone: z.string().min(1).max(64).describe('IANA time zone, e.g. Europe/Berlin'),
  locale: z.string().min(2).max(35).describe('BCP 47 locale, e.g. de-DE'),
  emailSender: z.email().max(254).nullable(),
};

const tenantSchema = z
  .object({ id: z.uuid(), slug: z.string(), version: z.number().int(), updatedAt: instantSchema, ...tenantProfileFields })
  .meta({ id: 'Tenant' });

/** The company profile: everyone signed in reads it, admins change it. */
export const tenantRoutes: FastifyPluginAsyncZod<RouteDependencies> = async (app, deps) => {
  app.get(
    '/tenant',
    {
      config: { access: { roles: anyRole } },
      schema: { tags: ['tenant'], summary: 'Read the tenant profile', response: { 200: tenantSchema } },
    },
    async (request) => getTenant(deps.db, contextOf(request).actor.tenantId),
  );

  app.put(
    '/tenant',
    {
      config: { access: { roles: ['admin'] } },
      schema: {
        tags: ['tenant'],
        summary: 'Replace the tenant profile (send the version you read)',
        body: z.strictObject({ version: versionField, ...tenantProfileFields }),
        response: { 200: tenantSchema },
      },
    },
    async (request, reply) => command(deps.db, request, reply, async (tx, context) => ok(await updateTenantProfile(tx, context, request.body))),
  );
};
