import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../src/platform/db/database';
import { migrate } from '../../src/platform/db/migrate';
import { adminQuery, serverUrl } from './database';

/**
 * Runs once before the suite: one migrated database every test database starts
 * from, so that no test file pays for an empty cluster and the migrations again.
 * On PGlite a dump of a migrated embedded database (a file in the temporary
 * directory); on PostgreSQL a migrated template database. Their locations reach
 * the test workers through O2C_TEST_PGLITE_DUMP and O2C_TEST_TEMPLATE_DB
 * (test/support/database.ts); both are removed after the suite.
 */
export default async function setup(): Promise<() => Promise<void>> {
  if (process.env.O2C_TEST_DB === 'postgres') {
    const name = `o2c_template_${Date.now().toString(36)}_${crypto.randomBytes(4).toString('hex')}`;
    const drop = async () => adminQuery(`drop database if exists ${name} with (force)`);
    await adminQuery(`create database ${name}`);
    try {
      const url = new URL(serverUrl);
      url.pathname = `/${name}`;
      const handle = await openDatabase({ kind: 'postgres', connectionString: url.toString(), poolSize: 2 });
      try {
        await migrate(handle);
      } finally {
        await handle.close();
      }
    } catch (error) {
      await drop();
      throw error;
    }
    process.env.O2C_TEST_TEMPLATE_DB = name;
    return drop;
  }
  const handle = await openDatabase({ kind: 'pglite', dataDir: 'memory://' });
  const file = path.join(os.tmpdir(), `o2c-test-template-${process.pid}-${crypto.randomBytes(4).toString('hex')}.tar`);
  try {
    await migrate(handle);
    const dump = await handle.pglite!.dumpDataDir('none');
    fs.writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  } finally {
    await handle.close();
  }
  process.env.O2C_TEST_PGLITE_DUMP = file;
  return async () => fs.rmSync(file, { force: true });
}
