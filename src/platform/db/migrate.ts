import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { inTransaction, type DatabaseHandle } from './database';

export const migrationsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../migrations');

export interface MigrationResult {
  readonly applied: string[];
  readonly alreadyApplied: number;
}

export class MigrationError extends Error {}

/**
 * Applies the plain SQL files of `migrations/` in name order, each once. All run in
 * one transaction under an advisory lock, so two processes starting together do not
 * race, and a failing file leaves the schema as it was. A file that changed after
 * it was applied stops start-up: migrations are append-only.
 */
export async function migrate(handle: DatabaseHandle, directory = migrationsDir): Promise<MigrationResult> {
  const files = fs
    .readdirSync(directory)
    .filter((name) => name.endsWith('.sql'))
    .sort();
  return inTransaction(handle.db, async (tx) => {
    await sql`select pg_advisory_xact_lock(7400001)`.execute(tx);
    await sql`create table if not exists schema_migrations (
      name text primary key, checksum text not null, applied_at timestamptz not null default now())`.execute(tx);
    const done = new Map((await tx.selectFrom('schema_migrations').select(['name', 'checksum']).execute()).map((row) => [row.name, row.checksum]));
    const applied: string[] = [];
    for (const name of files) {
      const script = fs.readFileSync(path.join(directory, name), 'utf8');
      const checksum = crypto.createHash('sha256').update(script).digest('hex');
      const previous = done.get(name);
      if (previous !== undefined) {
        if (previous !== checksum) {
          throw new MigrationError(`migration ${name} was changed after it was applied; add a new migration instead`);
        }
        continue;
      }
      await handle.runScript(tx, script);
      await tx.insertInto('schema_migrations').values({ name, checksum }).execute();
      applied.push(name);
    }
    return { applied, alreadyApplied: done.size };
  });
}
