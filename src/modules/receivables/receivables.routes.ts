import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isBusinessDate } from '../../kernel';
import { anyRole } from '../../platform/auth/roles';
import { sendCsv, toCsv } from '../../platform/http/csv';
import { contextOf } from '../../platform/http/command';
import { idParams } from '../../platform/http/schemas';
import type { RouteDependencies } from '../../platform/http/types';
import { getTenant } from '../../platform/tenants/tenants';
import { getCustomerForOrder } from '../customers';
import { aging, openItems, reconciliation, statement } from './receivables.service';
import { renderStatementPdf } from './statement.pdf';

const everyone = { access: { roles: anyRole } } as const;
const date = z.string().refine(isBusinessDate, 'must be a calendar date YYYY-MM-DD that exists');

const bucketsSchema = z.object({
  current: z.string().describe('Not yet due'),
  days1to30: z.string(),
  days31to60: z.string(),
  days61to90: z.string(),
  over90: z.string(),
  credits: z.string().describe('Credit items and unapplied cash (negative)'),
  total: z.string(),
});

const openItemsSchema = z
  .object({
    asOf: z.string(),
    items: z.array(
      z.object({
        type: z.enum(['invoice', 'credit_note', 'payment']),
        id: z.uuid(),
        number: z.string(),
        currency: z.string(),
        documentDate: z.string(),
        dueDate: z.string().nullable(),
        amount: z.string().describe('The document’s amount; credit notes and payments negative'),
        open: z.string().describe('What is open on it that day; credit items and unapplied cash negative'),
        daysPastDue: z.number().int().nullable(),
        bucket: z.enum(['current', 'days1to30', 'days31to60', 'days61to90', 'over90']).nullable(),
      }),
    ),
    balances: z.array(z.object({ currency: z.string(), balance: z.string() })),
  })
  .meta({ id: 'OpenItems' });

const statementSchema = z
  .object({
    customer: z.object({ id: z.uuid(), number: z.string(), name: z.string() }),
    from: z.string(),
    to: z.string(),
    currencies: z.array(
      z.object({
        currency: z.string(),
        opening: z.string(),
        movements: z.array(
          z.object({
            date: z.string(),
            kind: z.string(),
            sourceType: z.string(),
            sourceId: z.string(),
            entryNumber: z.string(),
            description: z.string(),
            debit: z.string().nullable(),
            credit: z.string().nullable(),
            balance: z.string(),
          }),
        ),
        closing: z.string(),
      }),
    ),
  })
  .meta({ id: 'CustomerStatement' });

const agingSchema = z
  .object({
    asOf: z.string(),
    baseCurrency: z.string(),
    totals: z.object({
      byCurrency: z.array(bucketsSchema.extend({ currency: z.string() })),
      inBaseCurrency: bucketsSchema,
      missingRates: z.array(z.string()).describe('Currencies without a rate to the base currency on or before the date; left out of the base totals'),
    }),
    customerCount: z.number().int(),
    customers: z.array(z.object({ id: z.uuid(), name: z.string(), byCurrency: z.array(bucketsSchema.extend({ currency: z.string() })), inBaseCurrency: bucketsSchema.nullable() })),
    nextOffset: z.number().int().nullable(),
  })
  .meta({ id: 'Aging' });

const comparisonSchema = z.object({ currency: z.string(), ledger: z.string(), items: z.string(), difference: z.string() });
const reconciliationSchema = z
  .object({
    asOf: z.string(),
    balanced: z.boolean(),
    receivables: z.array(comparisonSchema).describe('Receivables account against open invoices less credit items, per currency'),
    unappliedCash: z.array(comparisonSchema).describe('Unapplied-cash account against the payments’ unapplied cash, per currency'),
    differences: z.array(
      z.object({
        account: z.enum(['receivables', 'unapplied_cash']),
        customer: z.object({ id: z.uuid(), name: z.string() }),
        currency: z.string(),
        ledger: z.string(),
        items: z.string(),
        difference: z.string(),
        entries: z.array(z.object({ entryId: z.uuid(), number: z.string(), date: z.string(), description: z.string(), sourceType: z.string(), sourceId: z.string(), amount: z.string() })),
      }),
    ),
  })
  .meta({ id: 'SubledgerReconciliation' });

/** Receivables: open items, customer statements, aging, and the proof that the subledger equals the ledger. */
export const receivablesRoutes: FastifyPluginAsyncZod<RouteDependencies> = async (app, deps) => {
  app.get(
    '/customers/:id/open-items',
    {
      config: everyone,
      schema: { tags: ['receivables'], summary: 'A customer’s open invoices, credit items and unapplied cash as of a date (today by default)', params: idParams, querystring: z.strictObject({ asOf: date.optional() }), response: { 200: openItemsSchema } },
    },
    async (request) => openItems(deps.db, contextOf(request).actor.tenantId, request.params.id, request.query.asOf),
  );

  app.get(
    '/customers/:id/statement',
    {
      config: everyone,
      schema: {
        tags: ['receivables'],
        summary: 'A customer’s account statement for a period: opening balance, movements, closing balance per currency (JSON, or format=csv / format=pdf)',
        params: idParams,
        querystring: z.strictObject({ from: date, to: date, format: z.enum(['json', 'csv', 'pdf']).optional() }),
        response: { 200: statementSchema.or(z.any()) },
      },
    },
    async (request, reply) => {
      const tenantId = contextOf(request).actor.tenantId;
      const report = await statement(deps.db, tenantId, request.params.id, request.query.from, request.query.to);
      const filename = `statement-${report.customer.number}-${report.from}-${report.to}`;
      if (request.query.format === 'csv') {
        const rows = report.currencies.flatMap((section) => [
          [section.currency, report.from, 'Opening balance', '', '', '', '', section.opening],
          ...section.movements.map((movement) => [section.currency, movement.date, movement.kind, movement.entryNumber, movement.description, movement.debit ?? '', movement.credit ?? '', movement.balance]),
          [section.currency, report.to, 'Closing balance', '', '', '', '', section.closing],
        ]);
        return sendCsv(reply, `${filename}.csv`, toCsv(['currency', 'date', 'kind', 'entry', 'description', 'debit', 'credit', 'balance'], rows));
      }
      if (request.query.format === 'pdf') {
        const pdf = await renderStatementPdf(await getTenant(deps.db, tenantId), await getCustomerForOrder(deps.db, tenantId, request.params.id), report);
        return reply.type('application/pdf').header('content-disposition', `inline; filename="${filename}.pdf"`).send(pdf);
      }
      return report;
    },
  );

  app.get(
    '/receivables/aging',
    {
      config: everyone,
      schema: {
        tags: ['receivables'],
        summary: 'Aging by due date as of any date: per customer and in total, per currency and in the base currency (format=csv for every customer)',
        querystring: z.strictObject({
          asOf: date.optional(),
          customerId: z.uuid().optional(),
          limit: z.string().regex(/^\d{1,4}$/, 'must be a whole number from 1 to 1000').transform(Number).pipe(z.number().int().min(1).max(1000)).optional(),
          offset: z.string().regex(/^\d{1,9}$/, 'must be a whole number').transform(Number).optional(),
          format: z.enum(['json', 'csv']).optional(),
        }),
        response: { 200: agingSchema.or(z.any()) },
      },
    },
    async (request, reply) => {
      const tenantId = contextOf(request).actor.tenantId;
      const csv = request.query.format === 'csv';
      const report = await aging(deps.db, tenantId, { asOf: request.query.asOf, customerId: request.query.customerId, limit: csv ? Number.MAX_SAFE_INTEGER : (request.query.limit ?? 50), offset: csv ? 0 : (request.query.offset ?? 0) });
      if (!csv) return report;
      const columns = ['current', 'days1to30', 'days31to60', 'days61to90', 'over90', 'credits', 'total'] as const;
      const rows = report.customers.flatMap((customer) => customer.byCurrency.map((line) => [customer.name, line.currency, ...columns.map((column) => line[column])]));
      return sendCsv(reply, `aging-${report.asOf}.csv`, toCsv(['customer', 'currency', 'current', '1-30', '31-60', '61-90', 'over 90', 'credits', 'total'], rows));
    },
  );

  app.get(
    '/receivables/reconciliation',
    {
      config: { access: { roles: ['admin', 'controller', 'collector', 'cashapp', 'viewer'] } },
      schema: {
        tags: ['receivables'],
        summary: 'Subledger = ledger as of a date: receivables and unapplied cash against open items, per customer and currency, with the entries behind any difference',
        querystring: z.strictObject({ asOf: date.optional() }),
        response: { 200: reconciliationSchema },
      },
    },
    async (request) => reconciliation(deps.db, contextOf(request).actor.tenantId, request.query.asOf),
  );
};
