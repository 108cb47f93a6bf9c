import { expect } from 'vitest';
import type { Role } from '../../../src/platform/auth/roles';
import { bearer, type TestApp, type TestTenant } from '../../support/app';

/** HTTP helpers for the catalog's route tests. */
export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface Answer {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

export function caller(t: () => TestApp) {
  return async function call(method: Method, url: string, role: Role, body?: unknown, tenant?: TestTenant, headers: Record<string, string> = {}): Promise<Answer> {
    const app = t();
    const response = await app.app.http.inject({
      method,
      url: `/api/v1${url}`,
      headers: { ...bearer((tenant ?? app.tenant).keys[role]), ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });
    return { status: response.statusCode, body: response.json() };
  };
}

/** Expects a problem answer with this status and code, and (when given) exactly these error paths. */
export function expectProblem(answer: Answer, status: number, code: string, paths?: string[]): void {
  expect({ status: answer.status, code: answer.body.code }).toEqual({ status, code });
  if (paths !== undefined) expect((answer.body.errors as Array<{ path: string }> | undefined)?.map((issue) => issue.path).sort()).toEqual([...paths].sort());
}

/** Row counts of the catalog's tables and the audit log: a refused request leaves them as they were. */
export async function footprint(t: TestApp): Promise<Record<string, string>> {
  const db = t.database.handle.db;
  const count = async (table: 'items' | 'price_lists' | 'price_list_entries' | 'tax_categories' | 'tax_rates' | 'audit_events') =>
    String((await db.selectFrom(table).select(({ fn }) => fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
  return {
    items: await count('items'),
    priceLists: await count('price_lists'),
    entries: await count('price_list_entries'),
    categories: await count('tax_categories'),
    rates: await count('tax_rates'),
    audit: await count('audit_events'),
  };
}
