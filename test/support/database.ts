import crypto from 'node:crypto';
import pg from 'pg';
import { openDatabase, type DatabaseHandle } from '../../src/platform/db/database';
import { migrate } from '../../src/platform/db/migrate';

/**
 * Which database the suite runs on: the embedded PGlite (default) or the
 * PostgreSQL server when O2C_TEST_DB=postgres. Each test file gets a database of its
 * own; on PostgreSQL it is created with a unique name and dropped afterwards.
 */
export const testDatabaseKind: 'pglite' | 'postgres' = process.env.O2C_TEST_DB === 'postgres' ? 'postgres' : 'pglite';
export const onPostgres = testDatabaseKind === 'postgres';

const serverUrl = process.env.O2C_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  readonly handle: DatabaseHandle;
  readonly connectionString: string | undefined;
  drop(): Promise<void>;
}

export async function createTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  if (!onPostgres) {
    const handle = await openDatabase({ kind: 'pglite', dataDir: 'memory://' });
    if (options.migrate !== false) await migrate(handle);
    return { handle, connectionString: undefined, drop: () => handle.close() };
  }
  const name = `o2c_test_${Date.now().toString(36)}_${crypto.randomBytes(4).toString('hex')}`;
  await adminQuery(`create database ${name}`);
  const connectionString = new URL(serverUrl);
  connectionString.pathname = `/${name}`;
  const handle = await openDatabase({ kind: 'postgres', connectionString: connectionString.toString(), poolSize: 40 });
  if (options.migrate !== false) await migrate(handle);
  return {
    handle,
    connectionString: connectionString.toString(),
    async drop() {
      await handle.close();
      await adminQuery(`drop database if exists ${name} with (force)`);
    },
  };
}

async function adminQuery(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
