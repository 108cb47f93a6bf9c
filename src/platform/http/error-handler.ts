import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { KernelValueError } from '../../kernel';
import { AppError, type FieldIssue } from '../errors/app-error';
import { errorCatalogue, type ErrorCode } from '../errors/catalogue';
import { buildProblem, problemContentType, type Problem } from './problem';

const fastifyCodeMap: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'O2C_MALFORMED_JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'O2C_MALFORMED_JSON',
  FST_ERR_CTP_BODY_TOO_LARGE: 'O2C_BODY_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'O2C_UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'O2C_MALFORMED_JSON',
};

/** PostgreSQL SQLSTATEs that mean the database is away rather than a bug in the request. */
const unavailableStates = new Set(['57P01', '57P02', '57P03', '08000', '08003', '08006', '08001', '53300']);

/** Maps anything thrown while serving a request to one problem+json answer. */
export function toProblem(error: unknown, request: FastifyRequest): Problem {
  const base = { instance: request.url, requestId: String(request.id) };
  if (error instanceof AppError) {
    return buildProblem(error.code, error.detail, { ...base, errors: error.errors, extra: error.extra });
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const issues: FieldIssue[] = error.validation.map((issue) => ({
      path: [error.validationContext ?? 'body', ...issue.instancePath.split('/').filter(Boolean)].join('.'),
      message: issue.message ?? 'is invalid',
    }));
    const summary = issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
    return buildProblem('O2C_VALIDATION_FAILED', summary, { ...base, errors: issues });
  }
  if (error instanceof KernelValueError) {
    return buildProblem('O2C_INVALID_VALUE', error.message, base);
  }
  const fastifyError = error as Partial<FastifyError> & { code?: string };
  if (typeof fastifyError.code === 'string') {
    const mapped = fastifyCodeMap[fastifyError.code];
    if (mapped !== undefined) return buildProblem(mapped, fastifyError.message ?? mapped, base);
    if (unavailableStates.has(fastifyError.code) || ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT'].includes(fastifyError.code)) {
      return buildProblem('O2C_DATABASE_UNAVAILABLE', 'the database is not reachable; try again shortly', base);
    }
    // Rules the database keeps (a journal entry that does not balance …) raise P0001 with a catalogue code first.
    const raised = fastifyError.code === 'P0001' ? /^(O2C_[A-Z_]+): (.*)$/s.exec(fastifyError.message ?? '') : null;
    if (raised !== null && raised[1]! in errorCatalogue) return buildProblem(raised[1] as ErrorCode, raised[2]!, base);
    const constraint = constraintProblem(fastifyError.code);
    if (constraint !== undefined) {
      // A safety net: use cases check their input first, so reaching here means a check is missing.
      request.log.warn({ err: error }, 'the database refused a value the request carried');
      return buildProblem(constraint, `the database refused a value: ${fastifyError.message ?? ''}`, base);
    }
    if (fastifyError.code === '40001' || fastifyError.code === '40P01') {
      return buildProblem('O2C_STATE_CONFLICT', 'a concurrent change got in the way; repeat the request', base);
    }
  }
  if (isResponseSerializationError(error)) {
    request.log.error({ err: error, issues: error.cause.issues }, 'response does not match its schema');
  } else {
    request.log.error({ err: error }, 'unexpected error');
  }
  return buildProblem('O2C_INTERNAL', 'an unexpected error occurred; it has been logged with the request id', base);
}

/** SQLSTATE classes 22 (data exception) and 23 (integrity constraint) come from values, not bugs of the server. */
function constraintProblem(state: string): ErrorCode | undefined {
  if (state === '23505') return 'O2C_ALREADY_EXISTS';
  if (state === '23503') return 'O2C_STATE_CONFLICT';
  if (/^23\d{3}$/.test(state)) return 'O2C_BUSINESS_RULE';
  if (/^22[0-9A-Z]{3}$/.test(state)) return 'O2C_INVALID_VALUE';
  return undefined;
}

export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  return reply.code(problem.status).header('content-type', problemContentType).send(problem);
}
