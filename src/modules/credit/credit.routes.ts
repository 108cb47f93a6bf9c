import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isBusinessDate } from '../../kernel';
import { command, contextOf, created, ok } from '../../platform/http/command';
import { defaultPageSize, pageQuery, pageSchema } from '../../platform/http/pagination';
import { idParams } from '../../platform/http/schemas';
import type { RouteDependencies } from '../../platform/http/types';
import { orderSchema } from '../orders';
import { blockCredit, unblockCredit } from './blocks.service';
import { creditPosition, positionView } from './exposure.service';
import { creditSettingsView, decideLimitRequest, limitHistory, listLimitRequests, requestLimit, setCreditLimit, updateCreditSettings } from './limits.service';
import { listReviews, rejectReview, releaseReview, reviewDetail } from './reviews.service';
import { scoreAndStore, scoreHistory } from './scoring.service';

/** Credit decisions are the credit role's alone (segregation of duties): releases, rejections, limits, blocks. */
const creditOnly = { access: { roles: ['credit'] } } as const;
const policy = { access: { roles: ['admin', 'credit'] } } as const;
const readers = { access: { roles: ['admin', 'credit', 'sales', 'controller', 'collector', 'viewer'] } } as const;
const askers = { access: { roles: ['admin', 'sales', 'credit'] } } as const;
const tags = ['credit'];
const date = z.string().refine(isBusinessDate, 'must be a calendar date YYYY-MM-DD that exists');
const amountText = z.string().regex(/^-?\d{1,15}(\.\d{1,6})?$/, 'must be a decimal amount like "25000" or "25000.00"');
const reasonText = (what: string) => z.string().trim().min(1, `say why ${what}`).max(500);

const moneyOrNull = z.string().nullable();
const overdueItemSchema = z.object({ id: z.uuid(), number: z.string(), currency: z.string(), dueDate: z.string(), open: z.string(), daysPastDue: z.number().int() });
const positionSchema = z
  .object({
    customer: z.object({ id: z.uuid(), number: z.string(), name: z.string(), status: z.string() }),
    currency: z.string(),
    asOf: z.string(),
    limit: moneyOrNull.describe('The limit in force'),
    limitSource: z.enum(['temporary', 'customer', 'default']),
    customerLimit: moneyOrNull,
    temporaryLimit: moneyOrNull,
    temporaryLimitUntil: z.string().nullable(),
    defaultLimit: moneyOrNull,
    exposure: z.object({ openReceivables: z.string(), shippedNotInvoiced: z.string(), approvedNotShipped: z.string(), total: z.string() }),
    available: moneyOrNull.describe('Limit less exposure; negative when over'),
    missingRates: z.array(z.string()),
    overdue: z.object({ amount: z.string(), oldestDays: z.number().int().nullable(), items: z.array(overdueItemSchema) }),
    block: z.object({ state: z.enum(['none', 'automatic', 'manual']), reason: z.string().nullable(), since: z.string().nullable() }),
  })
  .meta({ id: 'CreditPosition' });

const factorSchema = z.object({ code: z.string(), label: z.string(), value: z.string(), points: z.number().int(), explanation: z.string() });
const scoreSchema = z
  .object({ scoredOn: z.string(), score: z.number().int(), riskClass: z.string(), recommendedLimit: z.string(), currency: z.string(), hasHistory: z.boolean(), factors: z.array(factorSchema) })
  .meta({ id: 'CreditScore' });
const decisionSchema = z.object({ outcome: z.enum(['approve', 'hold']), reasons: z.array(z.string()), decidedAt: z.string(), inputs: z.record(z.string(), z.unknown()) });
const paymentHistorySchema = z.object({
  paidInvoices: z.number().int(),
  paidLate: z.number().int(),
  averageDaysLate: z.string(),
  openInvoices: z.number().int(),
  reversedPayments: z.number().int(),
  monthlyInvoiced: z.string(),
  customerSince: z.string(),
});
const reviewSchema = z
  .object({
    id: z.uuid(),
    status: z.enum(['open', 'released', 'rejected', 'withdrawn']),
    reasons: z.array(z.string()),
    inputs: z.record(z.string(), z.unknown()),
    openedAt: z.string(),
    decidedBy: z.string().nullable(),
    decidedAt: z.string().nullable(),
    decisionReason: z.string().nullable(),
    oneOffIncrease: z.string().nullable(),
    order: z.object({ id: z.uuid(), number: z.string(), status: z.string(), orderDate: z.string(), currency: z.string(), gross: z.string(), enteredBy: z.string() }),
    customer: z.object({ id: z.uuid(), number: z.string(), name: z.string() }),
  })
  .meta({ id: 'CreditReview' });
const reviewDetailSchema = reviewSchema
  .extend({ current: decisionSchema.nullable().describe('The decision as it would be taken now'), position: positionSchema, paymentHistory: paymentHistorySchema, score: scoreSchema.nullable(), scores: z.array(scoreSchema) })
  .meta({ id: 'CreditReviewDetail' });
const limitChangeSchema = z.object({
  id: z.uuid(),
  currency: z.string(),
  previousLimit: z.string().nullable(),
  limit: z.string(),
  expiresOn: z.string().nullable(),
  reason: z.string(),
  requestId: z.uuid().nullable(),
  changedBy: z.string(),
  changedAt: z.string(),
});
const limitRequestSchema = z
  .object({
    id: z.uuid(),
    customer: z.object({ id: z.uuid(), number: z.string(), name: z.string() }),
    currency: z.string(),
    currentLimit: z.string().nullable(),
    limit: z.string(),
    expiresOn: z.string().nullable(),
    reason: z.string(),
    status: z.enum(['pending', 'approved', 'rejected']),
    requestedBy: z.string(),
    requestedAt: z.string(),
    decidedBy: z.string().nullable(),
    decidedAt: z.string().nullable(),
    decisionReason: z.string().nullable(),
  })
  .meta({ id: 'CreditLimitRequest' });
const settingsSchema = z
  .object({ currency: z.string(), defaultLimit: z.string(), graceDays: z.number().int(), blockAfterDays: z.number().int(), startingClass: z.enum(['A', 'B', 'C', 'D', 'E']) })
  .meta({ id: 'CreditSettings' });
const customerCreditSchema = z
  .object({
    position: positionSchema,
    score: scoreSchema.nullable(),
    scores: z.array(scoreSchema),
    limitChanges: z.array(limitChangeSchema),
    reviews: z.array(reviewSchema),
    limitRequests: z.array(limitRequestSchema),
  })
  .meta({ id: 'CustomerCredit' });
const limitBody = z.strictObject({
  limit: amountText.describe('The limit in the customer’s currency, zero or more'),
  reason: reasonText('the limit changes'),
  expiresOn: date.nullable().optional().describe('Last day of a temporary limit; left out, the customer’s own limit changes'),
});

export const creditRoutes: FastifyPluginAsyncZod<RouteDependencies> = async (app, deps) => {
  app.get('/credit/settings', { config: readers, schema: { tags, summary: 'The credit policy: default limit, grace days, automatic block threshold, starting risk class', response: { 200: settingsSchema } } }, async (request) =>
    creditSettingsView(deps.db, contextOf(request).actor.tenantId),
  );

  app.put(
    '/credit/settings',
    {
      config: policy,
      schema: {
        tags,
        summary: 'Change the credit policy',
        body: z.strictObject({
          defaultLimit: amountText.optional().describe('Limit of customers without their own, in the base currency; 0 holds every credit order of such customers'),
          graceDays: z.number().int().min(0).max(3650).optional().describe('Orders are held when an item is more than this many days past due'),
          blockAfterDays: z.number().int().min(1).max(3650).optional().describe('Customers are credit-blocked automatically with an item more than this many days past due'),
          startingClass: z.enum(['A', 'B', 'C', 'D', 'E']).optional().describe('Risk class of a customer without payment history'),
        }),
        response: { 200: settingsSchema },
      },
    },
    async (request, reply) => command(deps.db, request, reply, async (tx, context) => ok(await updateCreditSettings(tx, context, request.body))),
  );

  app.get(
    '/credit/customers/:id',
    { config: readers, schema: { tags, summary: 'A customer’s credit page: position, score and its history, limit changes, reviews, limit requests', params: idParams, response: { 200: customerCreditSchema } } },
    async (request) => {
      const tenantId = contextOf(request).actor.tenantId;
      const id = request.params.id;
      const position = await creditPosition(deps.db, tenantId, id);
      const scores = await scoreHistory(deps.db, tenantId, id);
      const reviews = await listReviews(deps.db, tenantId, { customerId: id, limit: 100 });
      return {
        position: positionView(position),
        score: scores.at(-1) ?? null,
        scores,
        limitChanges: await limitHistory(deps.db, tenantId, id),
        reviews: reviews.items,
        limitRequests: await listLimitRequests(deps.db, tenantId, { customerId: id }),
      };
    },
  );

  app.get(
    '/credit/customers/:id/exposure',
    { config: readers, schema: { tags, summary: 'A customer’s exposure by part against its limit, overdue items and credit block', params: idParams, response: { 200: positionSchema } } },
    async (request) => positionView(await creditPosition(deps.db, contextOf(request).actor.tenantId, request.params.id)),
  );

  app.put(
    '/credit/customers/:id/limit',
    {
      config: creditOnly,
      schema: { tags, summary: 'Set a customer’s credit limit with a reason, or a temporary limit until a date', params: idParams, body: limitBody, response: { 200: limitChangeSchema.extend({ customerId: z.uuid() }) } },
    },
    async (request, reply) =>
      command(deps.db, request, reply, async (tx, context) => {
        const change = await setCreditLimit(tx, context, request.params.id, request.body);
        return ok({ ...change, requestId: null, changedAt: new Date().toISOString() });
      }),
  );

  const blocking = {
    block: { summary: 'Block a customer’s credit by hand: its new orders go on hold until a person lifts it', why: 'credit is blocked', run: blockCredit },
    unblock: { summary: 'Lift a customer’s credit block with a reason', why: 'the block is lifted', run: unblockCredit },
  } as const;
  for (const [action, { summary, why, run }] of Object.entries(blocking)) {
    app.post(
      `/credit/customers/:id/${action}`,
      { config: creditOnly, schema: { tags, summary, params: idParams, body: z.strictObject({ reason: reasonText(why) }), response: { 200: positionSchema } } },
      async (request, reply) =>
        command(deps.db, request, reply, async (tx, context) => {
          await run(tx, context, request.params.id, request.body.reason);
          return ok(positionView(await creditPosition(tx, context.actor.tenantId, request.params.id)));
        }),
    );
  }

  app.post(
    '/credit/customers/:id/score',
    { config: policy, schema: { tags, summary: 'Score the customer now (kept as today’s score)', params: idParams, response: { 200: scoreSchema } } },
    async (request, reply) => command(deps.db, request, reply, async (tx, context) => ok(await scoreAndStore(tx, context.actor.tenantId, request.params.id))),
  );

  app.get(
    '/credit-reviews',
    {
      config: readers,
      schema: {
        tags,
        summary: 'The credit review queue: orders on credit hold, oldest first (or decided reviews, newest first)',
        querystring: z.strictObject({
          status: z.enum(['open', 'released', 'rejected', 'withdrawn']).optional().describe('Default open'),
          customerId: z.uuid().optional(),
          orderId: z.uuid().optional(),
          ...pageQuery,
        }),
        response: { 200: pageSchema(reviewSchema) },
      },
    },
    async (request) =>
      listReviews(deps.db, contextOf(request).actor.tenantId, {
        status: request.query.status ?? 'open',
        customerId: request.query.customerId,
        orderId: request.query.orderId,
        limit: request.query.limit ?? defaultPageSize,
        cursor: request.query.cursor,
      }),
  );

  app.get('/credit-reviews/:id', { config: readers, schema: { tags, summary: 'A review with everything the decision needs', params: idParams, response: { 200: reviewDetailSchema } } }, async (request) =>
    reviewDetail(deps.db, contextOf(request).actor.tenantId, request.params.id),
  );

  const decisionResult = z.object({ review: reviewSchema, order: orderSchema });
  app.post(
    '/credit-reviews/:id/release',
    {
      config: creditOnly,
      schema: {
        tags,
        summary: 'Release the order from credit hold (reason required; not by the person who entered it); it is approved and reserves stock',
        params: idParams,
        body: z.strictObject({
          reason: reasonText('the order is released'),
          oneOffIncrease: amountText.optional().describe('A limit increase for this order only, in the customer’s currency; must cover what the order takes over the limit'),
        }),
        response: { 200: decisionResult },
      },
    },
    async (request, reply) => command(deps.db, request, reply, async (tx, context) => ok(await releaseReview(tx, context, request.params.id, request.body))),
  );

  app.post(
    '/credit-reviews/:id/reject',
    {
      config: creditOnly,
      schema: { tags, summary: 'Reject the order: it is cancelled and releases what it reserved', params: idParams, body: z.strictObject({ reason: reasonText('the order is rejected') }), response: { 200: decisionResult } },
    },
    async (request, reply) => command(deps.db, request, reply, async (tx, context) => ok(await rejectReview(tx, context, request.params.id, request.body))),
  );

  app.get(
    '/credit/limit-requests',
    {
      config: readers,
      schema: {
        tags,
        summary: 'Limit requests, newest first',
        querystring: z.strictObject({ status: z.enum(['pending', 'approved', 'rejected']).optional(), customerId: z.uuid().optional() }),
        response: { 200: z.object({ items: z.array(limitRequestSchema) }) },
      },
    },
    async (request) => ({ items: await listLimitRequests(deps.db, contextOf(request).actor.tenantId, request.query) }),
  );

  app.post(
    '/credit/limit-requests',
    {
      config: askers,
      schema: {
        tags,
        summary: 'Ask a credit manager for a customer’s limit (optionally temporary)',
        body: z.strictObject({ customerId: z.uuid(), limit: amountText, reason: reasonText('the limit is needed'), expiresOn: date.nullable().optional() }),
        response: { 201: limitRequestSchema },
      },
    },
    async (request, reply) => command(deps.db, request, reply, async (tx, context) => created(await requestLimit(tx, context, request.body))),
  );

  for (const action of ['approve', 'reject'] as const) {
    app.post(
      `/credit/limit-requests/:id/${action}`,
      {
        config: creditOnly,
        schema: {
          tags,
          summary: action === 'approve' ? 'Approve a limit request: the limit is set (not by the person who asked)' : 'Reject a limit request',
          params: idParams,
          body: z.strictObject({ reason: reasonText(`the request is ${action === 'approve' ? 'approved' : 'rejected'}`) }),
          response: { 200: limitRequestSchema },
        },
      },
      async (request, reply) => command(deps.db, request, reply, async (tx, context) => ok(await decideLimitRequest(tx, context, request.params.id, { approve: action === 'approve', reason: request.body.reason }))),
    );
  }
};
