import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isBusinessDate } from '../../kernel';
import { auditTrail, historyEntrySchema } from '../../platform/audit/audit-trail';
import { anyRole } from '../../platform/auth/roles';
import { command, contextOf, created, ok } from '../../platform/http/command';
import { defaultPageSize, pageQuery, pageSchema } from '../../platform/http/pagination';
import { emailSchema, idParams, versionField } from '../../platform/http/schemas';
import type { RouteDependencies } from '../../platform/http/types';
import { getInvoicingSettings, runInvoicing, updateInvoicingSettings } from './automatic';
import { correctInvoice, creditInvoice } from './credit-notes.service';
import { documentOf } from './document-of';
import { createInvoiceDraft, deleteDraft, issueDocument, listInvoices, loadInvoice, readyToInvoice, updateDraft } from './invoices.service';
import { checkDocument, documentFiles, requestSending } from './sending.service';
import { formatQuantity } from '../../kernel';

const billing = { access: { roles: ['admin', 'billing'] } } as const;
const everyone = { access: { roles: anyRole } } as const;
const date = z.string().refine(isBusinessDate, 'must be a calendar date YYYY-MM-DD that exists');
const decimalText = z.string().regex(/^\d{1,15}(\.\d{1,6})?$/, 'must be a positive decimal like "2" or "12.50"');
const documentKind = z.enum(['invoice', 'credit_note']);

const relatedSchema = z.object({ id: z.uuid(), number: z.string().nullable(), kind: documentKind, status: z.enum(['draft', 'issued']), issueDate: z.string().nullable(), gross: z.string() });
const addressSchema = z.object({ line1: z.string(), line2: z.string().nullable(), postalCode: z.string(), city: z.string(), countryCode: z.string() });

const listItemSchema = z
  .object({
    id: z.uuid(),
    kind: documentKind,
    number: z.string().nullable(),
    status: z.enum(['draft', 'issued']),
    origin: z.enum(['automatic', 'manual', 'correction', 'credit']),
    sendingStatus: z.enum(['not_sent', 'queued', 'sent', 'failed']),
    paymentStatus: z.enum(['open', 'partially_paid', 'paid']),
    overdue: z.boolean().describe('Derived: issued, something open, and the due date has passed'),
    customer: z.object({ id: z.uuid(), number: z.string(), name: z.string() }),
    currency: z.string(),
    issueDate: z.string().nullable(),
    dueDate: z.string().nullable(),
    gross: z.string(),
    open: z.string().describe('Invoice: what the customer still owes. Credit note: the customer credit item still open.'),
    credited: z.string().describe('Invoice: what credit notes took off it. Credit note: the part that went against its invoice.'),
    creditedInvoiceId: z.uuid().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'InvoiceListItem' });

const invoiceSchema = listItemSchema
  .extend({
    customer: z.object({ id: z.uuid(), number: z.string(), name: z.string(), legalName: z.string(), vatId: z.string().nullable(), email: z.string().nullable(), billingAddress: addressSchema }),
    deliverTo: addressSchema.extend({ name: z.string() }).nullable(),
    baseCurrency: z.string(),
    exchangeRate: z.string().nullable(),
    taxInBaseCurrency: z.string().nullable().describe('Total VAT in the base currency (EN 16931 BT-111) when the invoice is in another currency'),
    deliveryDate: z.string().nullable(),
    paymentTerms: z.object({ code: z.string(), name: z.string(), netDays: z.number().int(), discountPercent: z.string().nullable(), discountDays: z.number().int().nullable() }),
    discountDeadline: z.string().nullable(),
    discountAmount: z.string().nullable(),
    paymentReference: z.string().nullable().describe('ISO 11649 RF creditor reference to quote with the payment'),
    buyerReference: z.string().nullable(),
    linesNet: z.string(),
    allowances: z.string(),
    charges: z.string(),
    taxable: z.string(),
    tax: z.string(),
    taxBreakdown: z.array(z.object({ categoryCode: z.string(), ratePercent: z.string(), exemptionReasonCode: z.string().nullable(), exemptionReason: z.string().nullable(), taxable: z.string(), tax: z.string() })),
    lines: z.array(
      z.object({
        id: z.uuid(),
        lineNo: z.number().int(),
        kind: z.enum(['item', 'charge']),
        orderId: z.uuid().nullable(),
        orderNumber: z.string().nullable(),
        orderLineId: z.uuid().nullable(),
        shipmentId: z.uuid().nullable(),
        shipmentNumber: z.string().nullable(),
        shipmentLineId: z.uuid().nullable(),
        creditedLineId: z.uuid().nullable(),
        isPriceReduction: z.boolean(),
        itemId: z.uuid().nullable(),
        sku: z.string().nullable(),
        description: z.string(),
        unit: z.string(),
        quantity: z.string(),
        unitPrice: z.string(),
        discountPercent: z.string().nullable(),
        gross: z.string(),
        discount: z.string(),
        net: z.string(),
        allowanceShare: z.string(),
        taxable: z.string(),
        taxCategory: z.string(),
        taxRatePercent: z.string(),
        taxExemptionReason: z.string().nullable(),
        tax: z.string(),
        creditedQuantity: z.string().nullable().describe('Invoices: the quantity credit notes gave back so far'),
        creditable: z.string().nullable().describe('Issued invoices: the net amount of the line still open to credit'),
      }),
    ),
    sendingAttempts: z.array(z.object({ attemptNo: z.number().int(), recipient: z.string(), outcome: z.enum(['sent', 'failed']), detail: z.string(), attemptedAt: z.string() })),
    creditReason: z.string().nullable(),
    notes: z.string().nullable(),
    creditNotes: z.array(relatedSchema),
    creditedInvoice: relatedSchema.nullable(),
    corrects: relatedSchema.nullable(),
    correctedBy: z.array(relatedSchema),
    journalEntryId: z.uuid().nullable(),
    issuedBy: z.string().nullable(),
    issuedAt: z.string().nullable(),
    availableActions: z.array(z.enum(['update', 'delete', 'issue', 'send', 'credit', 'correct'])),
    version: z.number().int(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Invoice' });

const settingsSchema = z.object({ autoIssue: z.boolean().describe('Automatic invoices are issued at once (true) or wait as drafts for review (false)'), version: z.number().int() }).meta({ id: 'InvoicingSettings' });
const checkSchema = z.object({ valid: z.boolean(), violations: z.array(z.object({ rule: z.string(), message: z.string() })) }).meta({ id: 'EinvoiceCheck' });

/** Invoices and credit notes: what is ready, drafts, issuing, credit notes, corrections, documents and sending. */
export const invoicingRoutes: FastifyPluginAsyncZod<RouteDependencies> = async (app, deps) => {
  app.get(
    '/invoicing/ready',
    {
      config: everyone,
      schema: {
        tags: ['invoicing'],
        summary: 'Shipped goods and open service lines not yet invoiced, by customer',
        querystring: z.strictObject({ customerId: z.uuid().optional() }),
        response: {
          200: z.object({
            items: z.array(
              z.object({
                customerId: z.uuid(),
                customerName: z.string(),
                currency: z.string(),
                orderId: z.uuid(),
                orderNumber: z.string(),
                orderLineId: z.uuid(),
                lineNo: z.number().int(),
                shipmentId: z.uuid().nullable(),
                shipmentNumber: z.string().nullable(),
                shipmentLineId: z.uuid().nullable(),
                shipDate: z.string().nullable(),
                itemKind: z.enum(['goods', 'service']),
                sku: z.string(),
                description: z.string(),
                quantity: z.string(),
              }),
            ),
          }),
        },
      },
    },
    async (request) => {
      const lines = await readyToInvoice(deps.db, contextOf(request).actor.tenantId, request.query.customerId === undefined ? {} : { customerId: request.query.customerId });
      return { items: lines.map((line) => ({ ...line, quantity: formatQuantity(line.quantity) })) };
    },
  );

  app.post(
    '/invoice-runs',
    {
      config: billing,
      schema: {
        tags: ['invoicing'],
        summary: 'Invoice everything ready now, as each customer is invoiced (per shipment or daily); issued at once or drafts per the settings',
        body: z.strictObject({ customerId: z.uuid().optional() }).nullish(),
        response: {
          200: z.object({
            invoices: z.array(listItemSchema),
            failures: z.array(z.object({ customerId: z.uuid(), customerName: z.string(), message: z.string() })).describe('What could not be invoiced, and why; the rest was'),
          }),
        },
      },
    },
    async (request, reply) =>
      command(deps.db, request, reply, async (tx, context) => ok(await runInvoicing(tx, context, request.body?.customerId === undefined ? {} : { customerId: request.body.customerId }))),
  );

  app.get(
    '/invoicing/settings',
    { config: everyone, schema: { tags: ['invoicing'], summary: 'Invoicing settings of the company', response: { 200: settingsSchema } } },
    async (request) => getInvoicingSettings(deps.db, contextOf(request).actor.tenantId),
  );
  app.put(
    '/invoicing/settings',
    {
      config: { access: { roles: ['admin'] } },
      schema: { tags: ['invoicing'], summary: 'Change the invoicing settings', body: z.strictObject({ autoIssue: z.boolean(), version: versionField }), response: { 200: settingsSchema } },
    },
    async (request, reply) => command(deps.db, request, reply, async (tx, context) => ok(await updateInvoicingSettings(tx, context, request.body))),
  );

  app.get(
    '/invoices',
    {
      config: everyone,
      schema: {
        tags: ['invoicing'],
        summary: 'Invoices and credit notes, newest first',
        querystring: z.strictObject({
          kind: documentKind.optional(),
          status: z.enum(['draft', 'issued']).optional(),
          sendingStatus: z.enum(['not_sent', 'queued', 'sent', 'failed']).optional(),
          paymentStatus: z.enum(['open', 'partially_paid', 'paid']).optional(),
          overdue: z.enum(['true', 'false']).optional(),
          customerId: z.uuid().optional(),
          orderId: z.uuid().optional().describe('Documents with a line from this sales order'),
          dueFrom: date.optional(),
          dueTo: date.optional(),
          search: z.string().max(100).optional(),
          ...pageQuery,
        }),
        response: { 200: pageSchema(listItemSchema) },
      },
    },
    async (request) => {
      const { overdue, limit, ...filter } = request.query;
      return listInvoices(deps.db, contextOf(request).actor.tenantId, { ...filter, overdue: overdue === undefined ? undefined : overdue === 'true', limit: limit ?? defaultPageSize });
    },
  );

  app.post(
    '/invoices',
    {
      config: billing,
      schema: {
        tags: ['invoicing'],
        summary: 'Create a draft invoice from ready shipments and orders (their shipped goods, open service lines and charges)',
        body: z.strictObject({
          shipmentIds: z.array(z.uuid()).max(200).optional(),
          orderIds: z.array(z.uuid()).max(200).optional(),
          notes: z.string().trim().max(2000).nullable().optional(),
        }),
        response: { 201: invoiceSchema },
      },
    },
    async (request, reply) => command(deps.db, request, reply, async (tx, context) => created(await createInvoiceDraft(tx, context, { ...request.body, origin: 'manual' }))),
  );

  app.get('/invoices/:id', { config: everyone, schema: { tags: ['invoicing'], summary: 'One invoice or credit note', params: idParams, response: { 200: invoiceSchema } } }, async (request) =>
    loadInvoice(deps.db, contextOf(request).actor.tenantId, request.params.id),
  );

  app.patch(
    '/invoices/:id',
    {
      config: billing,
      schema: {
        tags: ['invoicing'],
        summary: 'Change a draft: issue date, notes, buyer reference, remove lines',
        params: idParams,
        body: z.strictObject({
          version: versionField,
          issueDate: date.nullable().optional().describe('The invoice date; null takes the day of issue'),
          notes: z.string().trim().max(2000).nullable().optional(),
          buyerReference: z.string().trim().min(1).max(100).nullable().optional(),
          removeLineIds: z.array(z.uuid()).max(1000).optional(),
        }),
        response: { 200: invoiceSchema },
      },
    },
    async (request, reply) => command(deps.db, request, reply, async (tx, context) => ok(await updateDraft(tx, context, request.params.id, request.body))),
  );

  app.delete(
    '/invoices/:id',
    {
      config: billing,
      schema: { tags: ['invoicing'], summary: 'Delete a draft (what it billed can be invoiced again); issued documents are never deleted', params: idParams, querystring: z.strictObject({ version: z.string().regex(/^\d{1,9}$/, 'must be the version you read') }), response: { 204: z.null() } },
    },
    async (request, reply) => {
      await command(deps.db, request, reply, async (tx, context) => {
        await deleteDraft(tx, context, request.params.id, Number(request.query.version));
        return { status: 204, body: null };
      });
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/invoices/:id/issue',
    {
      config: billing,
      schema: { tags: ['invoicing'], summary: 'Issue a draft: number, terms, RF reference, posting — fixed from then on', params: idParams, response: { 200: invoiceSchema } },
    },
    async (request, reply) => command(deps.db, request, reply, async (tx, context) => ok(await issueDocument(tx, context, request.params.id))),
  );

  app.post(
    '/invoices/:id/credit-notes',
    {
      config: billing,
      schema: {
        tags: ['invoicing'],
        summary: 'Credit an issued invoice: in full (no lines), quantities given back, or amounts off; issued and posted at once',
        params: idParams,
        body: z.strictObject({
          reason: z.string().trim().min(1, 'say why the invoice is credited').max(500),
          lines: z
            .array(z.strictObject({ invoiceLineId: z.uuid(), quantity: decimalText.optional(), amount: decimalText.optional().describe('A net amount off the line (price reduction)') }))
            .max(1000)
            .optional(),
          goodsReturned: z
            .boolean()
            .optional()
            .describe('The goods came back (a return): their quantities stay settled by this credit note and are not billed again. Without it, credited quantities become ready to invoice again.'),
        }),
        response: { 201: invoiceSchema },
      },
    },
    async (request, reply) => command(deps.db, request, reply, async (tx, context) => created(await creditInvoice(tx, context, request.params.id, request.body))),
  );

  app.post(
    '/invoices/:id/correct',
    {
      config: billing,
      schema: {
        tags: ['invoicing'],
        summary: 'Correct an invoice: credit it in full and open a draft with the same lines',
        params: idParams,
        body: z.strictObject({ reason: z.string().trim().min(1, 'say what is being corrected').max(500) }),
        response: { 201: z.object({ creditNote: invoiceSchema, draft: invoiceSchema }) },
      },
    },
    async (request, reply) => command(deps.db, request, reply, async (tx, context) => created(await correctInvoice(tx, context, request.params.id, request.body.reason))),
  );

  app.post(
    '/invoices/:id/send',
    {
      config: billing,
      schema: {
        tags: ['invoicing'],
        summary: 'E-mail the PDF and UBL to the customer’s invoice contact (or the recipient given), after the UBL and EN 16931 checks pass; sent again when called again',
        params: idParams,
        body: z.strictObject({ recipient: emailSchema.optional() }).nullish(),
        response: { 200: invoiceSchema },
      },
    },
    async (request, reply) => command(deps.db, request, reply, async (tx, context) => ok(await requestSending(tx, context, request.params.id, { recipient: request.body?.recipient }))),
  );

  app.get(
    '/invoices/:id/validation',
    { config: everyone, schema: { tags: ['invoicing'], summary: 'The UBL 2.1 schema and EN 16931 checks of the e-invoice, with every rule it breaks', params: idParams, response: { 200: checkSchema } } },
    async (request) => checkDocument(await documentOf(deps.db, contextOf(request).actor.tenantId, request.params.id)),
  );

  app.get(
    '/invoices/:id/:file',
    {
      config: everyone,
      schema: { tags: ['invoicing'], summary: 'The document as invoice.pdf or ubl.xml (Peppol BIS Billing 3.0)', params: z.strictObject({ id: z.uuid(), file: z.enum(['invoice.pdf', 'ubl.xml']) }), response: { 200: z.any() } },
    },
    async (request, reply) => {
      const files = await documentFiles(deps.db, contextOf(request).actor.tenantId, request.params.id);
      if (request.params.file === 'ubl.xml') return reply.type('application/xml; charset=utf-8').header('content-disposition', `attachment; filename="${files.xmlName}"`).send(files.xml);
      return reply.type('application/pdf').header('content-disposition', `inline; filename="${files.pdfName}"`).send(files.pdf);
    },
  );

  app.get(
    '/invoices/:id/history',
    { config: everyone, schema: { tags: ['invoicing'], summary: 'What happened to the document, oldest first', params: idParams, response: { 200: z.object({ items: z.array(historyEntrySchema) }) } } },
    async (request) => {
      const tenantId = contextOf(request).actor.tenantId;
      await loadInvoice(deps.db, tenantId, request.params.id);
      return { items: await auditTrail(deps.db, tenantId, 'invoice', request.params.id) };
    },
  );
};
