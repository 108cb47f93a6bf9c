import os from 'node:os';
import { spawn } from 'node:child_process';
import { sql } from 'kysely';
import type { Executor } from '../src/platform/db/database';

/**
 * A closed-loop HTTP load: `clients` loops each send a request, wait for it, send the
 * next, until `seconds` have passed. Any failed request (send answers false) stops
 * the benchmark with an error once the loops end.
 */
export interface LoadResult {
  readonly requests: number;
  readonly failures: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

export async function closedLoop(
  clients: number,
  seconds: number,
  send: (client: number, sequence: number) => Promise<boolean>,
): Promise<LoadResult> {
  const latencies: number[] = [];
  let failures = 0;
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      for (let sequence = 0; performance.now() < deadline && sequence < 10_000_000; sequence += 1) {
        const before = performance.now();
        const succeeded = await send(client, sequence);
        latencies.push(performance.now() - before);
        if (!succeeded) failures += 1;
      }
    }),
  );
  // A figure with failed requests in it would not measure the work: the benchmark stops instead.
  if (failures > 0) throw new Error(`${failures} of ${latencies.length} requests failed (the first are shown above); no figure is reported`);
  const elapsed = (performance.now() - started) / 1000;
  const { p50, p99 } = percentiles(latencies);
  return { requests: latencies.length, failures, seconds: elapsed, perSecond: latencies.length / elapsed, p50Ms: p50, p99Ms: p99 };
}

export function printResult(label: string, result: LoadResult, unit = 'req/s'): void {
  process.stdout.write(
    `${label.padEnd(44)} ${result.perSecond.toFixed(0).padStart(7)} ${unit}   p50 ${result.p50Ms.toFixed(1).padStart(6)} ms   p99 ${result.p99Ms.toFixed(1).padStart(6)} ms   (${result.requests} requests, ${result.failures} failed)\n`,
  );
}

export function option(args: string[], name: string, fallback: number): number {
  const index = args.indexOf(`--${name}`);
  return index >= 0 && args[index + 1] !== undefined ? Number(args[index + 1]) : fallback;
}

/** Waits until the server answers 200 at `url` (its /ready), for up to 30 s. */
export async function waitForServer(url: string): Promise<void> {
  for (let attempt = 0; attempt < 300; attempt += 1) {
    try {
      if ((await fetch(url)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the o2c server did not start within 30 s');
}

/** One line naming the machine and the PostgreSQL settings that shape the figures (or the embedded database). */
export async function describeMachine(db: Executor, kind: 'pglite' | 'postgres'): Promise<string> {
  const settings = (await sql<{ version: string; shared_buffers: string; work_mem: string }>`select current_setting('server_version') as version, current_setting('shared_buffers') as shared_buffers, current_setting('work_mem') as work_mem`.execute(db)).rows[0]!;
  const database = kind === 'postgres' ? `PostgreSQL ${settings.version} on the same host` : `PGlite (PostgreSQL ${settings.version} embedded in the server process)`;
  return `machine: ${os.cpus().length} cores (${os.cpus()[0]?.model.trim() ?? 'unknown'}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.versions.node}; ${database} (shared_buffers ${settings.shared_buffers}, work_mem ${settings.work_mem}); load average ${os.loadavg()[0]!.toFixed(1)}`;
}

/** The median and the 99th percentile of a list of milliseconds. */
export function percentiles(latencies: readonly number[]): { p50: number; p99: number } {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (quantile: number) => sorted[Math.min(sorted.length - 1, Math.floor(quantile * sorted.length))] ?? 0;
  return { p50: at(0.5), p99: at(0.99) };
}

/** A figure a benchmark reports to the runner, which lists them in docs/BENCHMARKS.md. */
export interface Figure {
  readonly label: string;
  readonly value: string;
  /** The figure as a number, where the runner compares it with another (milliseconds, per second). */
  readonly number?: number;
}

/**
 * Starts an o2c server process (`o2c serve --no-worker`) on `port` with `env` laid
 * over this process's environment and waits until it is ready; O2C_BENCH_PROFILE=<dir>
 * writes a CPU profile of it there.
 */
export async function startServer(env: Record<string, string | undefined>, port: number): Promise<{ stop(): Promise<void> }> {
  const url = `http://127.0.0.1:${port}/ready`;
  // Another server on the port would answer in this one's place and be measured instead.
  const taken = await fetch(url).then(
    () => true,
    () => false,
  );
  if (taken) throw new Error(`port ${port} is taken by another server; stop it or pass --port`);
  const profile = process.env.O2C_BENCH_PROFILE === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', process.env.O2C_BENCH_PROFILE];
  const merged: Record<string, string | undefined> = { ...process.env, LOG_LEVEL: 'warn', ...env, PORT: String(port) };
  // A variable given as undefined is left out (DATABASE_URL for the embedded database).
  for (const [name, value] of Object.entries(merged)) if (value === undefined) delete merged[name];
  const server = spawn(process.execPath, [...profile, 'bin/o2c.js', 'serve', '--no-worker'], {
    env: merged,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise((resolve) => server.once('exit', resolve));
  const stop = async () => {
    if (server.exitCode === null && server.signalCode === null) server.kill('SIGTERM');
    await exited;
  };
  try {
    // A server that stops before it is ready (a bad setting, a database it cannot open) fails at once.
    let ready = false;
    const early = exited.then(() => {
      if (!ready) throw new Error(`the o2c server on port ${port} exited before it was ready (its errors are above)`);
    });
    early.catch(() => undefined);
    await Promise.race([waitForServer(url), early]);
    ready = true;
  } catch (error) {
    await stop();
    throw error;
  }
  return { stop };
}
