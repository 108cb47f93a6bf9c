import type { Role } from '../../src/platform/auth/roles';

/**
 * One row of the access matrix: a route and the roles it admits. Each module's
 * tests export theirs from `test/modules/<module>/<module>.access.ts` as
 * `accessMatrix`; test/platform/access.test.ts checks every row for every role and
 * that the rows cover every route of the OpenAPI document.
 */
export interface AccessRow {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The OpenAPI path, with {id}-style parameters. */
  readonly url: string;
  readonly allowed: readonly Role[];
}
