import fs from 'node:fs';
import path from 'node:path';
import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, type Transaction } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import type { Database } from './schema';

/** A transaction that use cases receive; repositories never open their own. */
export type Tx = Transaction<Database>;
/** Anything that can run a query: the database or an open transaction. */
export type Executor = Kysely<Database> | Tx;

export interface DatabaseHandle {
  readonly kind: 'pglite' | 'postgres';
  readonly db: Kysely<Database>;
  /** The embedded instance, when kind is pglite. */
  readonly pglite: PGlite | undefined;
  /** Runs a multi-statement SQL script (a migration) on the executor's connection. */
  runScript(executor: Executor, script: string): Promise<void>;
  close(): Promise<void>;
}

export type DatabaseTarget =
  | { kind: 'postgres'; connectionString: string; poolSize?: number }
  /** `loadDataDir`: start a new embedded database from a dump (PGlite's dumpDataDir) instead of an empty cluster. */
  | { kind: 'pglite'; dataDir: string; loadDataDir?: Blob };

const OID_INT8 = 20;
const OID_NUMERIC = 1700;
const OID_DATE = 1082;

/**
 * Opens the database: PostgreSQL through `pg` when a connection string is given,
 * otherwise the embedded PGlite (files under `dataDir`, or in memory for
 * `memory://`). Both return bigint for int8, exact strings for numeric, and plain
 * 'YYYY-MM-DD' strings for dates, so no amount or date passes through a float or a
 * time zone by accident.
 */
export async function openDatabase(target: DatabaseTarget): Promise<DatabaseHandle> {
  return target.kind === 'postgres' ? openPostgres(target.connectionString, target.poolSize ?? 20) : openPglite(target.dataDir, target.loadDataDir);
}

async function openPglite(dataDir: string, loadDataDir: Blob | undefined): Promise<DatabaseHandle> {
  const releaseLock = dataDir.startsWith('memory://') ? () => undefined : lockDataDir(dataDir);
  const pglite = await PGlite.create(dataDir, {
    parsers: {
      [OID_INT8]: (value: string) => BigInt(value),
      [OID_NUMERIC]: (value: string) => value,
      [OID_DATE]: (value: string) => value,
    },
    serializers: { [pgliteTypes.INT8]: (value: unknown) => String(value) },
    ...(loadDataDir === undefined ? {} : { loadDataDir }),
  });
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
  return {
    kind: 'pglite',
    db,
    pglite,
    // Inside a Kysely transaction the dialect holds PGlite's single session for
    // us, so exec() on the instance runs in that same transaction.
    async runScript(_executor, script) {
      await pglite.exec(script);
    },
    async close() {
      await db.destroy();
      releaseLock();
    },
  };
}

export class DatabaseInUseError extends Error {}

/**
 * The embedded database belongs to one process at a time (two PGlite instances on
 * one directory would corrupt it). A lock file with the owner's pid guards it; a
 * lock left by a process that no longer runs is taken over.
 */
function lockDataDir(dataDir: string): () => void {
  fs.mkdirSync(dataDir, { recursive: true });
  const lockFile = path.join(dataDir, 'o2c.lock');
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      fs.writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
      return () => fs.rmSync(lockFile, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(fs.readFileSync(lockFile, 'utf8'));
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isRunning(owner)) {
        throw new DatabaseInUseError(
          `the embedded database in ${dataDir} is in use by process ${owner} (o2c serve?); stop it first, or use the API`,
        );
      }
      fs.rmSync(lockFile, { force: true });
    }
  }
  throw new DatabaseInUseError(`could not lock the embedded database in ${dataDir}`);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function openPostgres(connectionString: string, poolSize: number): Promise<DatabaseHandle> {
  const typeParsers = {
    getTypeParser(oid: number, format?: 'text' | 'binary') {
      if (oid === OID_INT8) return (value: string) => BigInt(value);
      if (oid === OID_NUMERIC || oid === OID_DATE) return (value: string) => value;
      return pg.types.getTypeParser(oid, format);
    },
  } as pg.CustomTypesConfig;
  const pool = new pg.Pool({ connectionString, max: poolSize, types: typeParsers });
  // An idle client that loses its server must not crash the process.
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    kind: 'postgres',
    db,
    pglite: undefined,
    async runScript(executor, script) {
      // Without parameters pg uses the simple protocol, which runs several statements.
      const { sql } = await import('kysely');
      await sql.raw(script).execute(executor);
    },
    async close() {
      await db.destroy();
    },
  };
}

/** Runs `work` in one transaction: committed when it returns, rolled back when it throws. */
export function inTransaction<T>(db: Kysely<Database>, work: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction().execute(work);
}
