import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '../../src/platform/auth/actor';
import { recordAudit } from '../../src/platform/audit/audit';
import { migrate, migrationsDir, MigrationError } from '../../src/platform/db/migrate';
import { defineNumberSeries, formatNumber, nextNumber, NumberSeriesError, validatePattern } from '../../src/platform/number-series/number-series';
import { createTestTenant, type TestTenant } from '../support/app';
import { createTestDatabase, onPostgres, type TestDatabase } from '../support/database';

let database: TestDatabase;
let tenant: TestTenant;

beforeAll(async () => {
  database = await createTestDatabase();
  tenant = await createTestTenant(database.handle, 'numbers');
});
afterAll(async () => database.drop());

describe('migrations', () => {
  it('run a second time without applying or changing anything', async () => {
    const schemaBefore = await schemaFingerprint();
    const again = await migrate(database.handle);
    expect(again.applied).toEqual([]);
    expect(again.alreadyApplied).toBe(fs.readdirSync(migrationsDir).filter((name) => name.endsWith('.sql')).length);
    expect(await schemaFingerprint()).toEqual(schemaBefore);
  });

  it('refuse to start when an applied migration file was edited', async () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'o2c-migrations-'));
    for (const name of fs.readdirSync(migrationsDir)) {
      fs.writeFileSync(path.join(directory, name), fs.readFileSync(path.join(migrationsDir, name), 'utf8') + '\n-- edited\n');
    }
    await expect(migrate(database.handle, directory)).rejects.toThrow(MigrationError);
  });

  it('put tenant_id first in the primary key of every tenant-owned table', async () => {
    const result = await sql<{ table_name: string; first_key_column: string }>`
      select tc.table_name, kcu.column_name as first_key_column
      from information_schema.table_constraints tc
      join information_schema.key_column_usage kcu
        on kcu.constraint_name = tc.constraint_name and kcu.table_schema = tc.table_schema and kcu.ordinal_position = 1
      where tc.table_schema = 'public' and tc.constraint_type = 'PRIMARY KEY'
        and tc.table_name not in ('tenants', 'schema_migrations', 'login_attempts')
      order by tc.table_name`.execute(database.handle.db);
    expect(result.rows.length).toBeGreaterThan(5);
    for (const row of result.rows) expect({ table: row.table_name, column: row.first_key_column }).toEqual({ table: row.table_name, column: 'tenant_id' });
  });

  async function schemaFingerprint() {
    const result = await sql<{ table_name: string; column_name: string; data_type: string }>`
      select table_name, column_name, data_type from information_schema.columns
      where table_schema = 'public' order by table_name, column_name`.execute(database.handle.db);
    return result.rows;
  }
});

describe('audit log', () => {
  it('refuses UPDATE, DELETE and TRUNCATE, even from raw SQL', async () => {
    await recordAudit(database.handle.db, systemContext(tenant.id), { action: 'test.done', entityType: 'test', entityId: '1', after: { a: 1n } });
    await expect(sql`update audit_events set action = 'tampered'`.execute(database.handle.db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_events`.execute(database.handle.db)).rejects.toThrow(/append-only/);
    await expect(sql`truncate audit_events`.execute(database.handle.db)).rejects.toThrow(/append-only/);
    const rows = await database.handle.db.selectFrom('audit_events').select(['action', 'after']).where('tenant_id', '=', tenant.id).where('action', '=', 'test.done').execute();
    expect(rows).toEqual([{ action: 'test.done', after: { a: '1' } }]);
  });
});

describe('number series', () => {
  it('formats patterns with year and zero-padded sequence', () => {
    expect(formatNumber('SO-{yyyy}-{seq:6}', 2026, 123n)).toBe('SO-2026-000123');
    expect(formatNumber('INV{yy}/{seq}', 2026, 7n)).toBe('INV26/7');
    expect(() => validatePattern('SO-{yyyy}')).toThrow(NumberSeriesError);
    expect(() => validatePattern('{seq}-{seq}')).toThrow(NumberSeriesError);
  });

  it('restarts yearly series each year and keeps plain series counting', async () => {
    await defineNumberSeries(database.handle.db, tenant.id, 'yearly', 'Y-{yyyy}-{seq:3}');
    await defineNumberSeries(database.handle.db, tenant.id, 'plain', 'C{seq:5}');
    const take = (series: string, date: string) => database.handle.db.transaction().execute((tx) => nextNumber(tx, tenant.id, series, date));
    expect(await take('yearly', '2026-12-31')).toBe('Y-2026-001');
    expect(await take('yearly', '2026-12-31')).toBe('Y-2026-002');
    expect(await take('yearly', '2027-01-01')).toBe('Y-2027-001');
    expect(await take('plain', '2026-12-31')).toBe('C00001');
    expect(await take('plain', '2027-01-01')).toBe('C00002');
  });

  it('refuses a series that is not defined', async () => {
    await expect(database.handle.db.transaction().execute((tx) => nextNumber(tx, tenant.id, 'nope', '2026-01-01'))).rejects.toThrow(/not defined/);
  });

  it('stays gapless and unique under 32 concurrent callers when some roll back', async () => {
    await defineNumberSeries(database.handle.db, tenant.id, 'race', 'R-{yyyy}-{seq:4}');
    const callers = 32;
    const outcomes = await Promise.all(
      Array.from({ length: callers }, (_, index) =>
        database.handle.db
          .transaction()
          .execute(async (tx) => {
            const number = await nextNumber(tx, tenant.id, 'race', '2026-06-01');
            // Hold the number a moment so callers overlap, then let every third one fail.
            await sql`select pg_sleep(0.01)`.execute(tx);
            if (index % 3 === 0) throw new Error('rolled back on purpose');
            return number;
          })
          .catch((error: Error) => (error.message === 'rolled back on purpose' ? null : Promise.reject(error))),
      ),
    );
    const kept = outcomes.filter((number): number is string => number !== null);
    expect(kept).toHaveLength(callers - Math.ceil(callers / 3));
    expect(new Set(kept).size).toBe(kept.length);
    const sequence = kept.map((number) => Number(number.slice(-4))).sort((a, b) => a - b);
    expect(sequence).toEqual(Array.from({ length: kept.length }, (_, index) => index + 1));
  });

  it.runIf(onPostgres)('makes a concurrent caller queue on the counter row until the first commits (PostgreSQL)', async () => {
    await defineNumberSeries(database.handle.db, tenant.id, 'locking', 'L{seq}');
    let releaseFirst!: () => void;
    const firstMayCommit = new Promise<void>((resolve) => (releaseFirst = resolve));
    let firstHasNumber!: () => void;
    const firstHolds = new Promise<void>((resolve) => (firstHasNumber = resolve));
    const first = database.handle.db.transaction().execute(async (tx) => {
      const number = await nextNumber(tx, tenant.id, 'locking', '2026-01-01');
      firstHasNumber();
      await firstMayCommit;
      return number;
    });
    await firstHolds;
    // While the first transaction is open, a second caller cannot take a number.
    await expect(
      database.handle.db.transaction().execute(async (tx) => {
        await sql`set local lock_timeout = '100ms'`.execute(tx);
        return nextNumber(tx, tenant.id, 'locking', '2026-01-01');
      }),
    ).rejects.toThrow(/lock timeout/);
    releaseFirst();
    const second = await database.handle.db.transaction().execute((tx) => nextNumber(tx, tenant.id, 'locking', '2026-01-01'));
    expect([await first, second]).toEqual(['L1', 'L2']);
  });
});
