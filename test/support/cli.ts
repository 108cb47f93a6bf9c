import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTestDatabase, onPostgres, type TestDatabase } from './database';

/**
 * Runs the `o2c` command as a user would, on a database of the test's own: a
 * fresh PostgreSQL database (O2C_TEST_DB=postgres) or an embedded one in a
 * temporary directory. `cleanUp` drops or removes it.
 */
export function commandLine(prefix: string, timeoutMs = 60_000) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  let database: TestDatabase | undefined;
  async function environment(): Promise<NodeJS.ProcessEnv> {
    if (onPostgres) {
      database ??= await createTestDatabase({ migrate: false });
      return { ...process.env, DATABASE_URL: database.connectionString, LOG_LEVEL: 'silent' };
    }
    return { ...process.env, O2C_DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'silent' };
  }
  return {
    dataDir,
    environment,
    /** The PostgreSQL database the command uses (after the first command), if on PostgreSQL. */
    database: () => database,
    async o2c(...args: string[]) {
      const result = spawnSync(process.execPath, ['bin/o2c.js', ...args], { env: await environment(), encoding: 'utf8', timeout: timeoutMs });
      return { code: result.status, stdout: result.stdout, stderr: result.stderr };
    },
    async cleanUp() {
      await database?.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
