import { sql, type Kysely } from 'kysely';
import { roles, type Role } from '../../src/platform/auth/roles';
import type { Database } from '../../src/platform/db/schema';

/**
 * The access matrix, written by hand and kept apart from the route definitions:
 * one row per route with the roles it admits. The platform's rows are here; each
 * module's tests export theirs from `test/modules/<module>/<module>.access.ts` as
 * `accessMatrix`. test/platform/access.test.ts checks that the rows cover every route
 * of the OpenAPI document; test/platform/access-matrix.test.ts calls every row with
 * every role against an own and another company's record.
 */
export interface AccessRow {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The OpenAPI path, with {id}-style parameters. */
  readonly url: string;
  readonly allowed: readonly Role[];
}

const everyone = roles;

const platformMatrix: readonly AccessRow[] = [
  { method: 'POST', url: '/api/v1/auth/logout', allowed: everyone },
  { method: 'GET', url: '/api/v1/me', allowed: everyone },
  { method: 'POST', url: '/api/v1/me/password', allowed: everyone },
  { method: 'GET', url: '/api/v1/tenant', allowed: everyone },
  { method: 'PUT', url: '/api/v1/tenant', allowed: ['admin'] },
  { method: 'GET', url: '/api/v1/users', allowed: ['admin'] },
  { method: 'POST', url: '/api/v1/users', allowed: ['admin'] },
  { method: 'GET', url: '/api/v1/users/{id}', allowed: ['admin'] },
  { method: 'PATCH', url: '/api/v1/users/{id}', allowed: ['admin'] },
  { method: 'POST', url: '/api/v1/users/{id}/reset-password', allowed: ['admin'] },
  { method: 'GET', url: '/api/v1/api-keys', allowed: ['admin'] },
  { method: 'POST', url: '/api/v1/api-keys', allowed: ['admin'] },
  { method: 'POST', url: '/api/v1/api-keys/{id}/revoke', allowed: ['admin'] },
  { method: 'GET', url: '/api/v1/audit-events', allowed: ['admin', 'controller'] },
  { method: 'GET', url: '/metrics', allowed: ['admin', 'controller'] },
];

const moduleMatrices = import.meta.glob<readonly AccessRow[]>('../modules/**/*.access.ts', { eager: true, import: 'accessMatrix' });

/** Every row: the platform's and the modules'. */
export const accessMatrix: readonly AccessRow[] = [...platformMatrix, ...Object.values(moduleMatrices).flat()];

/** The routes anyone may call without credentials (DESIGN.md's public list, under /api/v1). */
export const publicRoutes = ['POST /api/v1/auth/login'];

/** Routes kept out of the OpenAPI document (operations, not the product's API); they are in the table all the same. */
export const undocumentedRoutes = ['GET /metrics'];

/**
 * The record of a company each route with a path parameter names: a query over
 * the company's records returning one row whose columns are the parameters (and
 * `query`, a query string a read needs). The first pattern that matches the path
 * wins. An api key to revoke is one made for the purpose (named 'matrix spare').
 */
const recordQueries: ReadonlyArray<readonly [RegExp, (tenantId: string) => ReturnType<typeof sql<Record<string, string>>>]> = [
  [/^\/api\/v1\/accounts\//, (tenant) => sql`select id::text from accounts where tenant_id = ${tenant} order by number limit 1`],
  [/^\/api\/v1\/credit-notes\//, (tenant) => sql`select id::text from invoices where tenant_id = ${tenant} and kind = 'credit_note' and status = 'issued' order by number limit 1`],
  [/^\/api\/v1\/credit-reviews\//, (tenant) => sql`select id::text from credit_reviews where tenant_id = ${tenant} order by status = 'open' desc, id limit 1`],
  [/^\/api\/v1\/credit\/limit-requests\//, (tenant) => sql`select id::text from credit_limit_requests where tenant_id = ${tenant} order by status = 'pending' desc, id limit 1`],
  [/^\/api\/v1\/customers\/\{id\}\/statement$/, (tenant) => sql`select id::text, '?from=2026-01-01&to=2026-12-31' as query from customers where tenant_id = ${tenant} order by number limit 1`],
  [/^\/api\/v1\/(credit\/)?customers\//, (tenant) => sql`select id::text from customers where tenant_id = ${tenant} order by number limit 1`],
  [/^\/api\/v1\/invoices\/\{id\}\/\{file\}$/, (tenant) => sql`select id::text, 'invoice.pdf' as file from invoices where tenant_id = ${tenant} and kind = 'invoice' and status = 'issued' order by number limit 1`],
  [/^\/api\/v1\/invoices\//, (tenant) => sql`select id::text from invoices where tenant_id = ${tenant} and kind = 'invoice' and status = 'issued' order by number limit 1`],
  [/^\/api\/v1\/items\//, (tenant) => sql`select id::text from items where tenant_id = ${tenant} order by sku limit 1`],
  [/^\/api\/v1\/journal-entries\//, (tenant) => sql`select id::text from journal_entries where tenant_id = ${tenant} order by number limit 1`],
  [/^\/api\/v1\/orders\//, (tenant) => sql`select id::text from sales_orders where tenant_id = ${tenant} and status = 'approved' order by number limit 1`],
  [/^\/api\/v1\/payment-applications\//, (tenant) => sql`select id::text from payment_applications where tenant_id = ${tenant} order by id limit 1`],
  [/^\/api\/v1\/payment-terms\//, (tenant) => sql`select id::text from payment_terms where tenant_id = ${tenant} order by code limit 1`],
  [/^\/api\/v1\/payments\//, (tenant) => sql`select id::text from payments where tenant_id = ${tenant} order by number limit 1`],
  [/^\/api\/v1\/periods\//, () => sql`select to_char(current_date, 'YYYY-MM') as period`],
  [/^\/api\/v1\/price-lists\/\{id\}\/entries\/\{itemId\}$/, (tenant) => sql`select price_list_id::text as id, item_id::text as "itemId" from price_list_entries where tenant_id = ${tenant} order by id limit 1`],
  [/^\/api\/v1\/price-lists\//, (tenant) => sql`select id::text from price_lists where tenant_id = ${tenant} order by id limit 1`],
  [/^\/api\/v1\/shipments\/\{id\}\/files\/\{documentId\}$/, (tenant) => sql`select shipment_id::text as id, id::text as "documentId" from shipment_documents where tenant_id = ${tenant} order by id limit 1`],
  [/^\/api\/v1\/shipments\/\{id\}\/documents\/\{kind\}$/, (tenant) => sql`select id::text, 'packing-slip.pdf' as kind from shipments where tenant_id = ${tenant} order by number limit 1`],
  [/^\/api\/v1\/shipments\//, (tenant) => sql`select id::text from shipments where tenant_id = ${tenant} order by number limit 1`],
  [/^\/api\/v1\/tax-categories\//, (tenant) => sql`select id::text from tax_categories where tenant_id = ${tenant} order by code limit 1`],
  [/^\/api\/v1\/tax-rates\//, (tenant) => sql`select id::text from tax_rates where tenant_id = ${tenant} order by id limit 1`],
  [/^\/api\/v1\/warehouses\//, (tenant) => sql`select id::text from warehouses where tenant_id = ${tenant} order by code limit 1`],
  [/^\/api\/v1\/write-offs\//, (tenant) => sql`select id::text from write_offs where tenant_id = ${tenant} order by status = 'requested' desc, id limit 1`],
  [/^\/api\/v1\/users\//, (tenant) => sql`select id::text from users where tenant_id = ${tenant} order by email limit 1`],
  [/^\/api\/v1\/api-keys\//, (tenant) => sql`select id::text from api_keys where tenant_id = ${tenant} and name = 'matrix spare' limit 1`],
];

/** For every row with a path parameter, the parameters naming one record of the tenant ('' where it has none). */
export async function recordsNamed(db: Kysely<Database>, tenantId: string): Promise<Map<string, Record<string, string>>> {
  const named = new Map<string, Record<string, string>>();
  for (const route of accessMatrix.filter((row) => row.url.includes('{'))) {
    const query = recordQueries.find(([pattern]) => pattern.test(route.url))?.[1];
    if (query === undefined) continue;
    const row = (await query(tenantId).execute(db)).rows[0];
    const parameters = [...route.url.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]!);
    named.set(`${route.method} ${route.url}`, Object.fromEntries([...parameters.map((name) => [name, row?.[name] ?? '']), ...(row?.query === undefined ? [] : [['query', row.query]])]));
  }
  return named;
}
