import { KernelValueError } from '../../kernel';
import { errorCatalogue, type ErrorCode } from './catalogue';

export interface FieldIssue {
  readonly path: string;
  readonly message: string;
}

/**
 * An expected refusal (bad value, missing record, illegal state). Carries a code
 * from the catalogue and a detail that tells the caller what to fix. Anything
 * thrown that is not an AppError is a bug and answers 500.
 */
export class AppError extends Error {
  readonly status: number;
  readonly title: string;

  constructor(
    readonly code: ErrorCode,
    readonly detail: string,
    readonly errors: readonly FieldIssue[] = [],
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail);
    this.name = 'AppError';
    this.status = errorCatalogue[code].status;
    this.title = errorCatalogue[code].title;
  }
}

export const notFound = (entity: string, id: string): AppError => new AppError('O2C_NOT_FOUND', `${entity} ${id} does not exist`);

export const versionConflict = (entity: string, id: string, sentVersion: number): AppError =>
  new AppError(
    'O2C_VERSION_CONFLICT',
    `${entity} ${id} is no longer at version ${sentVersion}; reload it and apply your change again`,
  );

export const invalidValue = (path: string, message: string): AppError =>
  new AppError('O2C_INVALID_VALUE', `${path}: ${message}`, [{ path, message }]);

/** Reads a value with a kernel parser, answering a refusal with the request path of the value. */
export function readAt<T>(path: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof KernelValueError) throw invalidValue(path, error.message);
    throw error;
  }
}
