import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../src/platform/db/database';
import { commandLine } from '../support/cli';

const cli = commandLine('o2c-check-', 120_000);
const { dataDir, environment, o2c } = cli;

/** The database the command uses, opened here while no command runs (the embedded one admits one process at a time). */
async function withCommandDatabase(work: (handle: DatabaseHandle) => Promise<void>): Promise<void> {
  await environment();
  const database = cli.database();
  if (database !== undefined) return work(database.handle);
  const handle = await openDatabase({ kind: 'pglite', dataDir: path.join(dataDir, 'pgdata') });
  try {
    await work(handle);
  } finally {
    await handle.close();
  }
}

afterAll(async () => cli.cleanUp());

describe('o2c check', () => {
  it('refuses a database that is not migrated rather than migrating it', { timeout: 120_000 }, async () => {
    const result = await o2c('check');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/the database lacks migrations \(0001_platform\.sql, .*\); run "o2c migrate" first/);
  });

  it('finds no violation in the demo company: exit 0 and the summary line', { timeout: 180_000 }, async () => {
    expect((await o2c('demo')).code).toBe(0);
    const all = await o2c('check');
    expect(all.stderr).toBe('');
    expect(all.code).toBe(0);
    expect(all.stdout).toBe('tenant demo: all invariants hold\n\n9 invariants checked, 0 violations\n');
    const one = await o2c('check', '--tenant', 'demo');
    expect(one.code).toBe(0);
    expect(one.stdout).toMatch(/^9 invariants checked, 0 violations$/m);
  });

  it('exits 2 for a tenant that does not exist', { timeout: 120_000 }, async () => {
    const result = await o2c('check', '--tenant', 'nope');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no tenant with slug "nope"/);
  });

  it('prints each violation with its records and exits 1', { timeout: 120_000 }, async () => {
    await withCommandDatabase(async (handle) => {
      await sql`insert into idempotency_keys (tenant_id, key, method, path, request_hash)
        select id, 'cli-lost-answer', 'POST', '/api/v1/payments', ${'c'.repeat(64)} from tenants where slug = 'demo'`.execute(handle.db);
    });
    const result = await o2c('check');
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^tenant demo: 1 violation$/m);
    expect(result.stdout).toMatch(/^invariant 8: a key keeps its answer\n {2}Idempotency-Key "cli-lost-answer" \(POST \/api\/v1\/payments\) was committed without its answer.*\n {4}key=cli-lost-answer method=POST path=\/api\/v1\/payments request_hash=c{64} created_at=/m);
    expect(result.stdout).toMatch(/\n9 invariants checked, 1 violation\n$/);
  });
});
