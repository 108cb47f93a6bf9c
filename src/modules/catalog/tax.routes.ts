import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { businessDateAt } from '../../kernel';
import { anyRole } from '../../platform/auth/roles';
import { command, contextOf, created, ok } from '../../platform/http/command';
import { defaultPageSize, pageQuery, pageSchema } from '../../platform/http/pagination';
import { idParams, versionField } from '../../platform/http/schemas';
import type { RouteDependencies } from '../../platform/http/types';
import { getTenant } from '../../platform/tenants/tenants';
import {
  businessDateSchema,
  countryCodeSchema,
  decimalText,
  domesticCategorySchema,
  exemptionReasonCodeSchema,
  taxCategoryCodeSchema,
  taxCategorySchema,
  taxDeterminationSchema,
  taxRateSchema,
} from './catalog.schemas';
import { getItem } from './items.service';
import { determineLineTax } from './line-tax.service';
import { createTaxCategory, listTaxCategories, updateTaxCategory } from './tax-categories.service';
import { createTaxRate, getTaxRate, listTaxRates, updateTaxRate } from './tax-rates.service';

const readers = { access: { roles: anyRole } } as const;
const writers = { access: { roles: ['admin', 'controller'] } } as const;

const reasonSchema = z.string().trim().min(1).max(500);

/** Tax categories, their rates per country and period, and a preview of a line's tax. */
export const taxRoutes: FastifyPluginAsyncZod<RouteDependencies> = async (app, deps) => {
  app.get(
    '/tax-categories',
    {
      config: readers,
      schema: {
        tags: ['catalog'],
        summary: 'List tax categories',
        querystring: z.strictObject({ ...pageQuery }),
        response: { 200: pageSchema(taxCategorySchema) },
      },
    },
    async (request) =>
      listTaxCategories(deps.db, contextOf(request).actor.tenantId, { limit: request.query.limit ?? defaultPageSize, cursor: request.query.cursor }),
  );

  app.post(
    '/tax-categories',
    {
      config: writers,
      schema: {
        tags: ['catalog'],
        summary: 'Create a tax category (an exempt one states its exemption reason)',
        body: z.strictObject({
          code: taxCategoryCodeSchema,
          name: z.string().trim().min(1).max(200),
          domesticCategory: domesticCategorySchema,
          exemptionReason: reasonSchema.nullable().optional(),
          exemptionReasonCode: exemptionReasonCodeSchema.nullable().optional(),
        }),
        response: { 201: taxCategorySchema },
      },
    },
    async (request, reply) => command(deps.db, request, reply, async (tx, context) => created(await createTaxCategory(tx, context, request.body))),
  );

  app.patch(
    '/tax-categories/:id',
    {
      config: writers,
      schema: {
        tags: ['catalog'],
        summary: 'Rename a tax category or change its exemption reason (code and domestic category stay)',
        params: idParams,
        body: z.strictObject({
          version: versionField,
          name: z.string().trim().min(1).max(200).optional(),
          exemptionReason: reasonSchema.nullable().optional(),
          exemptionReasonCode: exemptionReasonCodeSchema.nullable().optional(),
        }),
        response: { 200: taxCategorySchema },
      },
    },
    async (request, reply) =>
      command(deps.db, request, reply, async (tx, context) => ok(await updateTaxCategory(tx, context, request.params.id, request.body))),
  );

  app.get(
    '/tax-rates',
    {
      config: readers,
      schema: {
        tags: ['catalog'],
        summary: 'List tax rates',
        querystring: z.strictObject({
          ...pageQuery,
          taxCategoryCode: taxCategoryCodeSchema.optional(),
          countryCode: countryCodeSchema.optional(),
          validOn: businessDateSchema.optional().describe('Only rates in force on this date'),
        }),
        response: { 200: pageSchema(taxRateSchema) },
      },
    },
    async (request) => {
      const { limit, cursor, taxCategoryCode, countryCode, validOn } = request.query;
      return listTaxRates(deps.db, contextOf(request).actor.tenantId, { limit: limit ?? defaultPageSize, cursor, taxCategoryCode, countryCode, validOn });
    },
  );

  app.post(
    '/tax-rates',
    {
      config: writers,
      schema: {
        tags: ['catalog'],
        summary: 'Add a rate for a tax category and country from a date (periods of one category and country must not overlap)',
        body: z.strictObject({
          taxCategoryCode: taxCategoryCodeSchema,
          countryCode: countryCodeSchema,
          ratePercent: decimalText('Percentage, e.g. "19" or "5.5" (at most 4 decimals)'),
          validFrom: businessDateSchema,
          validTo: businessDateSchema.nullable().optional(),
        }),
        response: { 201: taxRateSchema },
      },
    },
    async (request, reply) => command(deps.db, request, reply, async (tx, context) => created(await createTaxRate(tx, context, request.body))),
  );

  app.get(
    '/tax-rates/:id',
    { config: readers, schema: { tags: ['catalog'], summary: 'Read a tax rate', params: idParams, response: { 200: taxRateSchema } } },
    async (request) => getTaxRate(deps.db, contextOf(request).actor.tenantId, request.params.id),
  );

  app.patch(
    '/tax-rates/:id',
    {
      config: writers,
      schema: {
        tags: ['catalog'],
        summary: 'Change a tax rate: typically end it with validTo before a new rate starts',
        params: idParams,
        body: z.strictObject({
          version: versionField,
          ratePercent: decimalText('Percentage, e.g. "19" or "5.5"').optional(),
          validFrom: businessDateSchema.optional(),
          validTo: businessDateSchema.nullable().optional(),
        }),
        response: { 200: taxRateSchema },
      },
    },
    async (request, reply) => command(deps.db, request, reply, async (tx, context) => ok(await updateTaxRate(tx, context, request.params.id, request.body))),
  );

  app.get(
    '/tax-determination',
    {
      config: readers,
      schema: {
        tags: ['catalog'],
        summary: 'Preview the VAT category and rate of an item sold from the tenant’s country to a buyer',
        querystring: z.strictObject({
          itemId: z.uuid(),
          buyerCountry: countryCodeSchema,
          buyerVatId: z.string().trim().max(30).optional(),
          date: businessDateSchema.optional().describe('Document date (default: today in the tenant’s time zone)'),
        }),
        response: { 200: taxDeterminationSchema },
      },
    },
    async (request) => {
      const tenantId = contextOf(request).actor.tenantId;
      const { itemId, buyerCountry, buyerVatId, date } = request.query;
      const [item, tenant] = await Promise.all([getItem(deps.db, tenantId, itemId), getTenant(deps.db, tenantId)]);
      const onDate = date ?? businessDateAt(new Date(), tenant.timeZone);
      const tax = await determineLineTax(deps.db, tenantId, {
        sellerCountry: tenant.countryCode,
        buyerCountry,
        buyerVatId: buyerVatId ?? null,
        date: onDate,
        item,
      });
      return { itemId, sellerCountry: tenant.countryCode, buyerCountry, date: onDate, ...tax };
    },
  );
};
