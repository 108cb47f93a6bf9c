import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isBusinessDate } from '../../kernel';
import { auditTrail, historyEntrySchema } from '../../platform/audit/audit-trail';
import { AppError } from '../../platform/errors/app-error';
import { anyRole } from '../../platform/auth/roles';
import { command, contextOf, created, ok } from '../../platform/http/command';
import { defaultPageSize, pageQuery, pageSchema } from '../../platform/http/pagination';
import { idParams, versionField } from '../../platform/http/schemas';
import type { RouteDependencies } from '../../platform/http/types';
import { loadInvoice } from '../invoicing';
import {
  applyCreditNote,
  applyPayment,
  getPaymentSettings,
  listApplications,
  listRefunds,
  listPayments,
  loadPayment,
  previewPayment,
  recordPayment,
  refund,
  reversePayment,
  undo,
  updatePaymentSettings,
} from './payments.service';
import { paymentMethods, refundMethods } from './payments.tables';
import { decideWriteOff, listWriteOffs, loadWriteOff, requestWriteOff } from './write-offs.service';

const cash = { access: { roles: ['admin', 'cashapp', 'collector'] } } as const;
const everyone = { access: { roles: anyRole } } as const;
const date = z.string().refine(isBusinessDate, 'must be a calendar date YYYY-MM-DD that exists');
const amountText = z.string().regex(/^-?\d{1,15}(\.\d{1,6})?$/, 'must be a decimal amount like "120" or "99.50"');
const currencyText = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code like "EUR"');
const reasonText = (what: string) => z.string().trim().min(1, `say why ${what}`).max(500);

const applicationRequest = z.strictObject({
  invoiceId: z.uuid(),
  amount: amountText.optional().describe('Cash applied, in the invoice’s currency. Left out: what settles the invoice (with its discount), or what is left of the payment'),
  takeDiscount: z.boolean().optional().describe('Grant the early-payment discount when the value date is within its deadline and the amount covers the discounted balance (default true)'),
  acceptDifference: z.boolean().optional().describe('Close the invoice, booking what is left (within the tolerance) to bank charges (default false)'),
});
const applicationsBody = z.array(applicationRequest).min(1).max(500);

const applicationSchema = z
  .object({
    id: z.uuid(),
    sourceType: z.enum(['payment', 'credit_note']),
    source: z.object({ id: z.uuid(), number: z.string(), currency: z.string() }),
    invoice: z.object({ id: z.uuid(), number: z.string(), currency: z.string() }),
    amount: z.string(),
    discount: z.string(),
    difference: z.string(),
    sourceAmount: z.string().describe('What it took from the payment or credit item, in its currency'),
    rate: z.string().nullable().describe('Payment → invoice currency at the value date, when they differ'),
    fxGainLoss: z.string().describe('Realised exchange difference in the base currency: positive a gain, negative a loss'),
    baseCurrency: z.string(),
    businessDate: z.string(),
    status: z.enum(['active', 'undone']),
    undoReason: z.string().nullable(),
    undoDate: z.string().nullable(),
    undoneBy: z.string().nullable(),
    createdBy: z.string(),
    createdAt: z.string(),
  })
  .meta({ id: 'PaymentApplication' });

const refundSchema = z
  .object({
    id: z.uuid(),
    number: z.string(),
    customerId: z.uuid(),
    sourceType: z.enum(['payment', 'credit_note']),
    sourceId: z.uuid(),
    currency: z.string(),
    amount: z.string(),
    businessDate: z.string(),
    method: z.enum(refundMethods),
    reference: z.string().nullable(),
    reason: z.string(),
    journalEntryId: z.uuid(),
    createdBy: z.string(),
    createdAt: z.string(),
  })
  .meta({ id: 'Refund' });

const listItemSchema = z
  .object({
    id: z.uuid(),
    number: z.string(),
    customer: z.object({ id: z.uuid(), number: z.string(), name: z.string() }),
    currency: z.string(),
    amount: z.string(),
    unapplied: z.string(),
    method: z.enum(paymentMethods),
    valueDate: z.string(),
    status: z.enum(['received', 'reversed']),
    createdAt: z.string(),
  })
  .meta({ id: 'PaymentListItem' });

const paymentSchema = listItemSchema
  .extend({
    payerReference: z.string().nullable(),
    bankAccount: z.string().nullable(),
    notes: z.string().nullable(),
    applied: z.string(),
    refunded: z.string(),
    journalEntryId: z.uuid(),
    reversal: z.object({ reason: z.string(), date: z.string(), by: z.string(), journalEntryId: z.uuid().nullable() }).nullable(),
    applications: z.array(applicationSchema),
    refunds: z.array(refundSchema),
    availableActions: z.array(z.enum(['apply', 'refund', 'reverse'])),
    createdBy: z.string(),
    version: z.number().int(),
  })
  .meta({ id: 'Payment' });

const previewSchema = z
  .object({
    currency: z.string(),
    applications: z.array(
      z.object({
        invoiceId: z.uuid(),
        number: z.string(),
        currency: z.string(),
        dueDate: z.string().nullable(),
        open: z.string(),
        amount: z.string(),
        discount: z.string(),
        discountAvailable: z.string(),
        difference: z.string(),
        paymentAmount: z.string(),
        rate: z.string().nullable(),
        openAfter: z.string(),
      }),
    ),
    applied: z.string(),
    unapplied: z.string(),
  })
  .meta({ id: 'PaymentPreview' });

const writeOffSchema = z
  .object({
    id: z.uuid(),
    invoice: z.object({ id: z.uuid(), number: z.string() }),
    customer: z.object({ id: z.uuid(), name: z.string() }),
    currency: z.string(),
    amount: z.string(),
    reason: z.string(),
    status: z.enum(['requested', 'approved', 'rejected']),
    requestedBy: z.string(),
    requestedAt: z.string(),
    decidedBy: z.string().nullable(),
    decidedAt: z.string().nullable(),
    decisionNote: z.string().nullable(),
    journalEntryId: z.uuid().nullable(),
    version: z.number().int(),
  })
  .meta({ id: 'WriteOff' });

const settingsSchema = z
  .object({
    baseCurrency: z.string(),
    tolerance: z.string().describe('The largest difference (base currency) that may be accepted when applying a payment'),
    writeOffThreshold: z.string().describe('Write-offs above this (base currency) need a controller to approve'),
    version: z.number().int(),
  })
  .meta({ id: 'PaymentSettings' });

const refundBody = z.strictObject({
  amount: amountText.optional().describe('Left out: all that is left'),
  method: z.enum(refundMethods),
  reference: z.string().trim().max(200).nullable().optional(),
  reason: reasonText('the money is paid back'),
});

/** Payments received, their applications, refunds, reversals, credit items used, write-offs. */
export const paymentsRoutes: FastifyPluginAsyncZod<RouteDependencies> = async (app, deps) => {
  app.get(
    '/payments',
    {
      config: everyone,
      schema: {
        tags: ['payments'],
        summary: 'Payments received, newest first',
        querystring: z.strictObject({
          customerId: z.uuid().optional(),
          status: z.enum(['received', 'reversed']).optional(),
          unapplied: z.enum(['true', 'false']).optional().describe('Only payments with (true) or without (false) unapplied cash'),
          search: z.string().max(100).optional(),
          ...pageQuery,
        }),
        response: { 200: pageSchema(listItemSchema) },
      },
    },
    async (request) => {
      const { unapplied, limit, ...filter } = request.query;
      return listPayments(deps.db, contextOf(request).actor.tenantId, { ...filter, unapplied: unapplied === undefined ? undefined : unapplied === 'true', limit: limit ?? defaultPageSize });
    },
  );

  const paymentBody = {
    customerId: z.uuid(),
    amount: amountText.describe('What arrived, in the payment currency'),
    currency: currencyText,
    valueDate: date.describe('The day the money arrived; decides discounts and the exchange rate'),
  };

  app.post(
    '/payments',
    {
      config: cash,
      schema: {
        tags: ['payments'],
        summary: 'Record a received payment and apply it to invoices at once (what is not applied stays as the customer’s unapplied cash)',
        body: z.strictObject({
          ...paymentBody,
          method: z.enum(paymentMethods),
          payerReference: z.string().trim().max(200).nullable().optional(),
          bankAccount: z.string().trim().max(100).nullable().optional().describe('The account the money came from or into (IBAN or name)'),
          notes: z.string().trim().max(2000).nullable().optional(),
          applications: applicationsBody.optional(),
        }),
        response: { 201: paymentSchema },
      },
    },
    async (request, reply) => command(deps.db, request, reply, async (tx, context) => created(await recordPayment(tx, context, request.body))),
  );

  app.post(
    '/payments/preview',
    {
      config: cash,
      schema: {
        tags: ['payments'],
        summary: 'What a payment would settle, without recording it: the applications given, or a suggestion oldest due first, with discounts, differences and rates',
        body: z.strictObject({ ...paymentBody, applications: applicationsBody.optional() }),
        response: { 200: previewSchema },
      },
    },
    async (request) => previewPayment(deps.db, contextOf(request).actor.tenantId, request.body),
  );

  app.get('/payments/:id', { config: everyone, schema: { tags: ['payments'], summary: 'One payment with its applications and refunds', params: idParams, response: { 200: paymentSchema } } }, async (request) =>
    loadPayment(deps.db, contextOf(request).actor.tenantId, request.params.id),
  );

  app.post(
    '/payments/:id/preview',
    {
      config: cash,
      schema: {
        tags: ['payments'],
        summary: 'What applying this payment’s unapplied cash would do: the applications given, or a suggestion oldest due first',
        params: idParams,
        body: z.strictObject({ applications: applicationsBody.optional() }).nullish(),
        response: { 200: previewSchema },
      },
    },
    async (request) => {
      const tenantId = contextOf(request).actor.tenantId;
      const payment = await loadPayment(deps.db, tenantId, request.params.id);
      return previewPayment(deps.db, tenantId, { paymentId: payment.id, customerId: payment.customer.id, amount: payment.unapplied, currency: payment.currency, valueDate: payment.valueDate, applications: request.body?.applications });
    },
  );

  app.post(
    '/payments/:id/applications',
    {
      config: cash,
      schema: { tags: ['payments'], summary: 'Apply the payment’s unapplied cash to invoices of its customer', params: idParams, body: z.strictObject({ applications: applicationsBody }), response: { 200: paymentSchema } },
    },
    async (request, reply) => command(deps.db, request, reply, async (tx, context) => ok(await applyPayment(tx, context, request.params.id, request.body.applications))),
  );

  app.post(
    '/payments/:id/reverse',
    {
      config: cash,
      schema: {
        tags: ['payments'],
        summary: 'Reverse a payment that bounced or was returned: its applications are undone (what it paid is open again) and the receipt reversed',
        params: idParams,
        body: z.strictObject({ reason: reasonText('the payment is reversed'), version: versionField.optional() }),
        response: { 200: paymentSchema },
      },
    },
    async (request, reply) => command(deps.db, request, reply, async (tx, context) => ok(await reversePayment(tx, context, request.params.id, request.body))),
  );

  app.post(
    '/payments/:id/refunds',
    { config: cash, schema: { tags: ['payments'], summary: 'Pay back unapplied cash of the payment', params: idParams, body: refundBody, response: { 201: refundSchema } } },
    async (request, reply) => command(deps.db, request, reply, async (tx, context) => created(await refund(tx, context, { type: 'payment', id: request.params.id }, request.body))),
  );

  app.get(
    '/payments/:id/history',
    { config: everyone, schema: { tags: ['payments'], summary: 'What happened to the payment, oldest first', params: idParams, response: { 200: z.object({ items: z.array(historyEntrySchema) }) } } },
    async (request) => {
      const tenantId = contextOf(request).actor.tenantId;
      await loadPayment(deps.db, tenantId, request.params.id);
      return { items: await auditTrail(deps.db, tenantId, 'payment', request.params.id) };
    },
  );

  app.get(
    '/payment-applications',
    {
      config: everyone,
      schema: {
        tags: ['payments'],
        summary: 'Applications of payments and credit items, oldest first, by invoice, payment, credit note or customer (one of them)',
        querystring: z.strictObject({ invoiceId: z.uuid().optional(), paymentId: z.uuid().optional(), creditNoteId: z.uuid().optional(), customerId: z.uuid().optional() }),
        response: { 200: z.object({ items: z.array(applicationSchema) }) },
      },
    },
    async (request) => {
      const filter = Object.fromEntries(Object.entries(request.query).filter(([, value]) => value !== undefined));
      if (Object.keys(filter).length === 0) {
        throw new AppError('O2C_INVALID_VALUE', 'name an invoiceId, paymentId, creditNoteId or customerId', [{ path: 'query', message: 'name one filter' }]);
      }
      return { items: await listApplications(deps.db, contextOf(request).actor.tenantId, filter) };
    },
  );

  app.get(
    '/refunds',
    {
      config: everyone,
      schema: {
        tags: ['payments'],
        summary: 'Refunds, oldest first, by customer, payment or credit note (one of them)',
        querystring: z.strictObject({ customerId: z.uuid().optional(), paymentId: z.uuid().optional(), creditNoteId: z.uuid().optional() }),
        response: { 200: z.object({ items: z.array(refundSchema) }) },
      },
    },
    async (request) => {
      if (Object.values(request.query).every((value) => value === undefined)) throw new AppError('O2C_INVALID_VALUE', 'name a customerId, paymentId or creditNoteId', [{ path: 'query', message: 'name one filter' }]);
      return { items: await listRefunds(deps.db, contextOf(request).actor.tenantId, request.query) };
    },
  );

  app.post(
    '/payment-applications/:id/undo',
    {
      config: cash,
      schema: {
        tags: ['payments'],
        summary: 'Undo an application: the invoice is open again by what it settled, the payment or credit item gets its amount back',
        params: idParams,
        body: z.strictObject({ reason: reasonText('the application is undone') }),
        response: { 200: z.object({ sourceType: z.enum(['payment', 'credit_note']), sourceId: z.uuid(), applications: z.array(applicationSchema) }) },
      },
    },
    async (request, reply) =>
      command(deps.db, request, reply, async (tx, context) => {
        const source = await undo(tx, context, request.params.id, request.body.reason);
        const filter = source.sourceType === 'payment' ? { paymentId: source.sourceId } : { creditNoteId: source.sourceId };
        return ok({ ...source, applications: await listApplications(tx, context.actor.tenantId, filter) });
      }),
  );

  app.post(
    '/credit-notes/:id/applications',
    {
      config: cash,
      schema: {
        tags: ['payments'],
        summary: 'Use a credit note’s open credit item to settle invoices of the same customer and currency',
        params: idParams,
        body: z.strictObject({ applications: z.array(applicationRequest.omit({ takeDiscount: true, acceptDifference: true })).min(1).max(500) }),
        response: { 200: z.object({ creditNoteId: z.uuid(), open: z.string(), applications: z.array(applicationSchema) }) },
      },
    },
    async (request, reply) =>
      command(deps.db, request, reply, async (tx, context) => {
        await applyCreditNote(tx, context, request.params.id, request.body.applications);
        const note = await loadInvoice(tx, context.actor.tenantId, request.params.id);
        return ok({ creditNoteId: note.id, open: note.open, applications: await listApplications(tx, context.actor.tenantId, { creditNoteId: note.id }) });
      }),
  );

  app.post(
    '/credit-notes/:id/refunds',
    { config: cash, schema: { tags: ['payments'], summary: 'Pay back a credit note’s open credit item', params: idParams, body: refundBody, response: { 201: refundSchema } } },
    async (request, reply) => command(deps.db, request, reply, async (tx, context) => created(await refund(tx, context, { type: 'credit_note', id: request.params.id }, request.body))),
  );

  app.get('/payment-settings', { config: everyone, schema: { tags: ['payments'], summary: 'Tolerance and write-off threshold', response: { 200: settingsSchema } } }, async (request) =>
    getPaymentSettings(deps.db, contextOf(request).actor.tenantId),
  );
  app.put(
    '/payment-settings',
    {
      config: { access: { roles: ['admin', 'controller'] } },
      schema: { tags: ['payments'], summary: 'Change the tolerance and the write-off threshold', body: z.strictObject({ tolerance: amountText, writeOffThreshold: amountText, version: versionField }), response: { 200: settingsSchema } },
    },
    async (request, reply) => command(deps.db, request, reply, async (tx, context) => ok(await updatePaymentSettings(tx, context, request.body))),
  );

  app.get(
    '/write-offs',
    {
      config: everyone,
      schema: {
        tags: ['payments'],
        summary: 'Write-off requests and decisions, newest first',
        querystring: z.strictObject({ status: z.enum(['requested', 'approved', 'rejected']).optional(), invoiceId: z.uuid().optional(), ...pageQuery }),
        response: { 200: pageSchema(writeOffSchema) },
      },
    },
    async (request) => listWriteOffs(deps.db, contextOf(request).actor.tenantId, { ...request.query, limit: request.query.limit ?? defaultPageSize }),
  );
  app.post(
    '/write-offs',
    {
      config: { access: { roles: ['admin', 'collector', 'cashapp', 'billing', 'controller'] } },
      schema: {
        tags: ['payments'],
        summary: 'Ask for an invoice’s remaining balance (or part of it) to be written off as bad debt; another person approves',
        body: z.strictObject({ invoiceId: z.uuid(), amount: amountText.optional().describe('Left out: all that is open'), reason: reasonText('it is written off') }),
        response: { 201: writeOffSchema },
      },
    },
    async (request, reply) => command(deps.db, request, reply, async (tx, context) => created(await requestWriteOff(tx, context, request.body))),
  );
  app.get('/write-offs/:id', { config: everyone, schema: { tags: ['payments'], summary: 'One write-off', params: idParams, response: { 200: writeOffSchema } } }, async (request) =>
    loadWriteOff(deps.db, contextOf(request).actor.tenantId, request.params.id),
  );
  const decider = { access: { roles: ['admin', 'controller', 'collector'] } } as const;
  app.post(
    '/write-offs/:id/approve',
    {
      config: decider,
      schema: { tags: ['payments'], summary: 'Approve a write-off (not your own; above the threshold only a controller): posts bad debt and closes the amount', params: idParams, body: z.strictObject({ note: z.string().trim().max(500).nullable().optional() }).nullish(), response: { 200: writeOffSchema } },
    },
    async (request, reply) => command(deps.db, request, reply, async (tx, context) => ok(await decideWriteOff(tx, context, request.params.id, { approve: true, note: request.body?.note }))),
  );
  app.post(
    '/write-offs/:id/reject',
    {
      config: decider,
      schema: { tags: ['payments'], summary: 'Reject a write-off request, saying why', params: idParams, body: z.strictObject({ note: reasonText('it is rejected') }), response: { 200: writeOffSchema } },
    },
    async (request, reply) => command(deps.db, request, reply, async (tx, context) => ok(await decideWriteOff(tx, context, request.params.id, { approve: false, note: request.body.note }))),
  );
};
