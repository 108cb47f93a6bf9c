/**
 * The crash test: the seeded load mix runs against an o2c server on a private
 * PostgreSQL cluster (initdb, its own port and data directory — never the
 * machine's shared server) while the API process is killed with SIGKILL at seeded
 * random intervals (15–45 s) and restarted, and the cluster is stopped in
 * immediate mode (a crash: no checkpoint, recovery from the WAL at start) and
 * restarted every few minutes. Pass: no acknowledged write lost, no invariant
 * violated, the service back within seconds of each restart.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { checkInvariants, type Violation } from '../src/check';
import { openDatabase } from '../src/platform/db/database';
import { migrate } from '../src/platform/db/migrate';
import { bearer, createTestTenant } from '../test/support/app';
import { loadDemoRecords } from '../test/support/demo-data';
import { runMix, seededRandom, type Acknowledged, type MixResult, type Send } from './load-mix';
import { loadSkus, prepareLoadTenant } from './load-setup';
import { missingWrites } from './load-verify';

export interface ChaosOptions {
  readonly seed: number;
  readonly seconds: number;
  readonly clients?: number;
  /** Seconds between crashes of the database (default 180). */
  readonly databaseEverySeconds?: number;
  readonly log?: (line: string) => void;
}

export interface ChaosResult {
  readonly mix: MixResult;
  readonly missing: Acknowledged[];
  readonly violations: Violation[];
  readonly apiKills: number;
  readonly databaseCrashes: number;
  /** Seconds from each restart until the service answered /ready again. */
  readonly recoverySeconds: number[];
}

const binaries = ['/usr/lib/postgresql/15/bin', ...fs.readdirSync('/usr/lib/postgresql', { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => `/usr/lib/postgresql/${entry.name}/bin`)].find((dir) =>
  fs.existsSync(path.join(dir, 'initdb')),
);

/** Whether this machine can run the crash test: PostgreSQL's server binaries are installed. */
export const chaosAvailable = binaries !== undefined;

function asPostgresUser(command: string, args: string[]): { status: number | null; output: string } {
  const root = process.getuid?.() === 0;
  const result = root ? spawnSync('runuser', ['-u', 'postgres', '--', command, ...args], { encoding: 'utf8' }) : spawnSync(command, args, { encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout ?? ''}${result.stderr ?? ''}` };
}

class PrivateCluster {
  readonly dir: string;
  readonly port: number;
  constructor(port: number) {
    this.port = port;
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'o2c-chaos-'));
    if (process.getuid?.() === 0) spawnSync('chown', ['postgres:postgres', this.dir]);
  }
  private run(tool: string, args: string[]): void {
    const result = asPostgresUser(path.join(binaries!, tool), args);
    if (result.status !== 0) throw new Error(`${tool} ${args.join(' ')} failed: ${result.output}`);
  }
  init(): void {
    this.run('initdb', ['-D', path.join(this.dir, 'data'), '-A', 'trust', '-U', 'postgres', '--no-sync']);
  }
  start(): void {
    this.run('pg_ctl', ['-D', path.join(this.dir, 'data'), '-o', `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c max_connections=60`, '-l', path.join(this.dir, 'log'), '-w', 'start']);
  }
  crash(): void {
    this.run('pg_ctl', ['-D', path.join(this.dir, 'data'), '-m', 'immediate', 'stop']);
  }
  stop(): void {
    asPostgresUser(path.join(binaries!, 'pg_ctl'), ['-D', path.join(this.dir, 'data'), '-m', 'fast', 'stop']);
  }
  remove(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
  url(database: string): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }
}

async function waitUntilReady(url: string, timeoutMs: number): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < timeoutMs) {
    try {
      if ((await fetch(url)).status === 200) return (performance.now() - started) / 1000;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the service did not come back within ${timeoutMs / 1000} s`);
}

export async function runChaos(options: ChaosOptions): Promise<ChaosResult> {
  if (binaries === undefined) throw new Error('PostgreSQL server binaries (initdb) are not installed');
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const random = seededRandom(options.seed ^ 0x5eed);
  const dbPort = 25432 + Math.floor(random() * 1000);
  const apiPort = 24000 + Math.floor(random() * 1000);
  const cluster = new PrivateCluster(dbPort);
  const recoverySeconds: number[] = [];
  let apiKills = 0;
  let databaseCrashes = 0;
  let api: ChildProcess | undefined;
  let stopping = false;
  cluster.init();
  cluster.start();
  try {
    const admin = new pg.Client({ connectionString: cluster.url('postgres') });
    await admin.connect();
    await admin.query('create database o2c_chaos');
    await admin.end();
    const connectionString = cluster.url('o2c_chaos');
    const handle = await openDatabase({ kind: 'postgres', connectionString, poolSize: 4 });
    await migrate(handle);
    const tenant = await createTestTenant(handle, 'chaos');
    await loadDemoRecords(handle, tenant.id);

    const ready = `http://127.0.0.1:${apiPort}/ready`;
    const startApi = () => {
      api = spawn(process.execPath, ['bin/o2c.js', 'serve'], {
        env: { ...process.env, DATABASE_URL: connectionString, PORT: String(apiPort), LOG_LEVEL: 'silent', O2C_DB_POOL_SIZE: '12' },
        stdio: 'ignore',
      });
      // A supervisor's job: whatever ends the process, it is started again.
      api.once('exit', () => {
        if (!stopping) startApi();
      });
    };
    startApi();
    await waitUntilReady(ready, 60_000);
    log(`chaos: seed ${options.seed}; private PostgreSQL on port ${dbPort} (${cluster.dir}); API on port ${apiPort}`);

    const send: Send = async (request) => {
      const response = await fetch(`http://127.0.0.1:${apiPort}/api/v1${request.path}`, {
        method: request.method,
        headers: { ...bearer(request.key), ...(request.body === undefined ? {} : { 'content-type': 'application/json' }), ...(request.idempotencyKey === undefined ? {} : { 'idempotency-key': request.idempotencyKey }) },
        ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
        signal: AbortSignal.timeout(30_000),
      });
      const text = await response.text();
      return { status: response.status, body: text === '' ? null : (JSON.parse(text) as unknown) };
    };
    const { customers } = await prepareLoadTenant(handle.db, tenant.id, send, tenant.keys);
    await handle.close();

    const deadline = Date.now() + options.seconds * 1000;
    const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, Math.min(ms, deadline - Date.now()))));
    const chaos = async () => {
      let nextDatabaseCrash = Date.now() + (options.databaseEverySeconds ?? 180) * 1000 * (0.4 + random() * 0.2);
      while (Date.now() < deadline) {
        await pause((15 + random() * 30) * 1000);
        if (Date.now() >= deadline) break;
        if (Date.now() >= nextDatabaseCrash) {
          cluster.crash();
          databaseCrashes += 1;
          await new Promise((resolve) => setTimeout(resolve, 1000 + random() * 2000));
          cluster.start();
          recoverySeconds.push(await waitUntilReady(ready, 60_000));
          log(`chaos: database crashed and restarted; service ready after ${recoverySeconds.at(-1)!.toFixed(1)} s`);
          nextDatabaseCrash = Date.now() + (options.databaseEverySeconds ?? 180) * 1000;
        } else {
          api?.kill('SIGKILL');
          apiKills += 1;
          recoverySeconds.push(await waitUntilReady(ready, 60_000));
          log(`chaos: API killed (SIGKILL) and restarted; ready after ${recoverySeconds.at(-1)!.toFixed(1)} s`);
        }
      }
    };
    const [mix] = await Promise.all([runMix({ send, keys: tenant.keys, seed: options.seed, clients: options.clients ?? 4, seconds: options.seconds, customers, skus: loadSkus, retryForMs: 90_000 }), chaos()]);
    await waitUntilReady(ready, 60_000);
    const verify = await openDatabase({ kind: 'postgres', connectionString, poolSize: 2 });
    try {
      const missing = await missingWrites(verify.db, tenant.id, mix.acknowledged);
      const violations = await checkInvariants(verify.db, tenant.id);
      return { mix, missing, violations, apiKills, databaseCrashes, recoverySeconds };
    } finally {
      await verify.close();
    }
  } finally {
    stopping = true;
    const running = api as ChildProcess | undefined;
    if (running !== undefined && running.exitCode === null) {
      running.kill('SIGTERM');
      await new Promise((resolve) => running.once('exit', resolve));
    }
    cluster.stop();
    cluster.remove();
  }
}
