import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { contextOf } from '../http/command';
import { decodeCursor, defaultPageSize, pageQuery, pageSchema, toPage } from '../http/pagination';
import { instantSchema } from '../http/schemas';
import type { RouteDependencies } from '../http/types';

const auditEventSchema = z
  .object({
    id: z.uuid(),
    occurredAt: instantSchema,
    actorType: z.enum(['user', 'api_key', 'system']),
    actorId: z.string().nullable(),
    actorName: z.string(),
    action: z.string(),
    entityType: z.string(),
    entityId: z.string(),
    before: z.unknown().nullable(),
    after: z.unknown().nullable(),
    requestId: z.string().nullable(),
  })
  .meta({ id: 'AuditEvent' });

/** The audit log, newest first, for administrators and controllers. */
export const auditRoutes: FastifyPluginAsyncZod<RouteDependencies> = async (app, deps) => {
  app.get(
    '/audit-events',
    {
      config: { access: { roles: ['admin', 'controller'] } },
      schema: {
        tags: ['audit'],
        summary: 'List audit events, newest first',
        querystring: z.strictObject({
          ...pageQuery,
          entityType: z.string().max(100).optional(),
          entityId: z.string().max(100).optional(),
          actorId: z.uuid().optional(),
          action: z.string().max(100).optional(),
          from: instantSchema.optional().describe('Events at or after this instant'),
          to: instantSchema.optional().describe('Events before this instant'),
        }),
        response: { 200: pageSchema(auditEventSchema) },
      },
    },
    async (request) => {
      const query = request.query;
      const limit = query.limit ?? defaultPageSize;
      let select = deps.db.selectFrom('audit_events').selectAll().where('tenant_id', '=', contextOf(request).actor.tenantId);
      if (query.entityType !== undefined) select = select.where('entity_type', '=', query.entityType);
      if (query.entityId !== undefined) select = select.where('entity_id', '=', query.entityId);
      if (query.actorId !== undefined) select = select.where('actor_id', '=', query.actorId);
      if (query.action !== undefined) select = select.where('action', '=', query.action);
      if (query.from !== undefined) select = select.where('occurred_at', '>=', new Date(query.from));
      if (query.to !== undefined) select = select.where('occurred_at', '<', new Date(query.to));
      // Ids are UUIDv7, so id order is creation order and the cursor is exact.
      if (query.cursor !== undefined) select = select.where('id', '<', decodeCursor(query.cursor, 1)[0]!);
      const rows = await select.orderBy('id', 'desc').limit(limit + 1).execute();
      return toPage(
        rows,
        limit,
        (row) => ({
          id: row.id,
          occurredAt: row.occurred_at.toISOString(),
          actorType: row.actor_type,
          actorId: row.actor_id,
          actorName: row.actor_name,
          action: row.action,
          entityType: row.entity_type,
          entityId: row.entity_id,
          before: row.before ?? null,
          after: row.after ?? null,
          requestId: row.request_id,
        }),
        (row) => [row.id],
      );
    },
  );
};
