import fs from 'node:fs';
import { sql, type Kysely } from 'kysely';
import type { Executor } from '../platform/db/database';
import { migrationsDir } from '../platform/db/migrate';
import type { Database } from '../platform/db/schema';
import { checkInvariants, invariantChecks, type Violation } from './invariants';
import { formatReport, formatViolation, type TenantResult } from './report';

export class UnknownTenantError extends Error {}

/**
 * The migrations this version has that the database lacks (all of them for an empty
 * database). The checker reads the schema it knows, so it runs on a migrated database only.
 */
export async function pendingMigrations(db: Kysely<Database>, directory = migrationsDir): Promise<string[]> {
  const files = fs.readdirSync(directory).filter((name) => name.endsWith('.sql')).sort();
  const { rows } = await sql<{ present: boolean }>`select to_regclass('schema_migrations') is not null as present`.execute(db);
  if (rows[0]?.present !== true) return files;
  const applied = new Set((await db.selectFrom('schema_migrations').select('name').execute()).map((row) => row.name));
  return files.filter((name) => !applied.has(name));
}

/** How many invariants one run checks per tenant. */
export const invariantsChecked = new Set(invariantChecks.map((check) => check.invariant)).size;

/**
 * Checks one tenant in one snapshot: a repeatable-read, read-only transaction, so
 * every query sees the same committed state however busy the database is, and the
 * check cannot change anything.
 */
export async function checkTenant(db: Kysely<Database>, tenantId: string): Promise<Violation[]> {
  return db.transaction().execute(async (tx) => {
    await sql`set transaction isolation level repeatable read, read only`.execute(tx);
    return checkInvariants(tx, tenantId);
  });
}

/** Checks the tenant with this slug, or every tenant (by slug) when none is given. */
export async function checkTenants(db: Kysely<Database>, options: { slug?: string | undefined } = {}): Promise<TenantResult[]> {
  let query = db.selectFrom('tenants').select(['id', 'slug']).orderBy('slug');
  if (options.slug !== undefined) query = query.where('slug', '=', options.slug);
  const tenants = await query.execute();
  if (options.slug !== undefined && tenants.length === 0) throw new UnknownTenantError(`no tenant with slug "${options.slug}"`);
  const results: TenantResult[] = [];
  for (const tenant of tenants) results.push({ tenant, violations: await checkTenant(db, tenant.id) });
  return results;
}

/** The plain-text report of a run (see report.ts). */
export function reportOf(results: readonly TenantResult[]): string {
  return formatReport(results, invariantsChecked);
}

export class InvariantViolationError extends Error {
  constructor(readonly violations: readonly Violation[]) {
    super(`${violations.length} invariant violation(s):\n\n${violations.map(formatViolation).join('\n\n')}`);
    this.name = 'InvariantViolationError';
  }
}

/**
 * For tests: throws, listing every violation with its records, unless all
 * invariants hold for the tenant. Runs on the executor given (a transaction
 * included), so a test can check a state it has not committed.
 */
export async function assertInvariants(executor: Executor, tenantId: string): Promise<void> {
  const violations = await checkInvariants(executor, tenantId);
  if (violations.length > 0) throw new InvariantViolationError(violations);
}
