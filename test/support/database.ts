import crypto from 'node:crypto';
import fs from 'node:fs';
import pg from 'pg';
import { openDatabase, type DatabaseHandle } from '../../src/platform/db/database';
import { migrate } from '../../src/platform/db/migrate';

/**
 * Which database the suite runs on: the embedded PGlite (default) or the
 * PostgreSQL server when O2C_TEST_DB=postgres. Each test file gets a database of its
 * own; on PostgreSQL it is created with a unique name and dropped afterwards. A
 * migrated one is copied from the suite's migrated template (global-setup.ts), and
 * migrate() then finds nothing to do; without a template it migrates itself.
 */
export const testDatabaseKind: 'pglite' | 'postgres' = process.env.O2C_TEST_DB === 'postgres' ? 'postgres' : 'pglite';
export const onPostgres = testDatabaseKind === 'postgres';

export const serverUrl = process.env.O2C_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  readonly handle: DatabaseHandle;
  readonly connectionString: string | undefined;
  drop(): Promise<void>;
}

export async function createTestDatabase(options: { migrate?: boolean; kind?: 'pglite' | 'postgres' } = {}): Promise<TestDatabase> {
  const migrated = options.migrate !== false;
  if ((options.kind ?? testDatabaseKind) === 'pglite') {
    // A migrated database starts from the suite's dump (test/support/global-setup.ts) when there is one.
    const dump = migrated ? migratedDump() : undefined;
    const handle = await openDatabase({ kind: 'pglite', dataDir: 'memory://', ...(dump === undefined ? {} : { loadDataDir: dump }) });
    if (migrated) await migrate(handle);
    return { handle, connectionString: undefined, drop: () => handle.close() };
  }
  const name = `o2c_test_${Date.now().toString(36)}_${crypto.randomBytes(4).toString('hex')}`;
  const template = migrated ? process.env.O2C_TEST_TEMPLATE_DB : undefined;
  await adminQuery(template === undefined ? `create database ${name}` : `create database ${name} template ${template}`);
  const connectionString = new URL(serverUrl);
  connectionString.pathname = `/${name}`;
  const handle = await openDatabase({ kind: 'postgres', connectionString: connectionString.toString(), poolSize: 40 });
  if (migrated) await migrate(handle);
  return {
    handle,
    connectionString: connectionString.toString(),
    async drop() {
      await handle.close();
      await adminQuery(`drop database if exists ${name} with (force)`);
    },
  };
}

let dumpBlob: Blob | undefined;
/** The migrated PGlite dump the suite made, read once per worker. */
function migratedDump(): Blob | undefined {
  const file = process.env.O2C_TEST_PGLITE_DUMP;
  if (file === undefined || !fs.existsSync(file)) return undefined;
  dumpBlob ??= new Blob([fs.readFileSync(file)]);
  return dumpBlob;
}

/** Runs one statement on the server's maintenance database (create and drop databases). */
export async function adminQuery(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
