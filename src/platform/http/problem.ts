import { z } from 'zod';
import { errorCatalogue, type ErrorCode } from '../errors/catalogue';
import type { FieldIssue } from '../errors/app-error';

/** RFC 9457 problem details, the body of every error response. */
export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string(),
    instance: z.string().optional(),
    requestId: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    retryAfterSeconds: z.number().int().optional().describe('For 429: seconds to wait before trying again.'),
    replayed: z.boolean().optional().describe('Present when this answer was stored by an earlier request with the same Idempotency-Key.'),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details with a stable o2c error code.' });

export type Problem = z.infer<typeof problemSchema>;

export const problemContentType = 'application/problem+json; charset=utf-8';

export function problemTypeUri(code: string): string {
  return `urn:o2c:problem:${code.toLowerCase()}`;
}

export function buildProblem(
  code: ErrorCode,
  detail: string,
  options: { errors?: readonly FieldIssue[]; instance?: string; requestId?: string; extra?: Record<string, unknown> } = {},
): Problem {
  const entry = errorCatalogue[code];
  return {
    type: problemTypeUri(code),
    title: entry.title,
    status: entry.status,
    detail,
    code,
    ...(options.instance === undefined ? {} : { instance: options.instance }),
    ...(options.requestId === undefined ? {} : { requestId: options.requestId }),
    ...(options.errors === undefined || options.errors.length === 0 ? {} : { errors: [...options.errors] }),
    ...(options.extra ?? {}),
  };
}

/** The error statuses every API route documents, with the codes each can carry. */
export const documentedErrorStatuses = [400, 401, 403, 404, 409, 413, 415, 422, 429, 500] as const;
