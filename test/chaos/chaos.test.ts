import { describe, expect, it } from 'vitest';
import { chaosAvailable, runChaos } from '../../bench/chaos-run';
import { onPostgres } from '../support/database';

/**
 * The short crash test: two minutes of the seeded load mix on a private
 * PostgreSQL cluster while the API is killed with SIGKILL and the database
 * crashes (immediate stop) and restarts. It runs in the PostgreSQL pass of the
 * suite (it never uses the embedded database); `O2C_CHAOS_SECONDS` and
 * `O2C_CHAOS_SEED` change its length and repeat a run. The long run is
 * `npm run chaos -- --minutes 30` (docs/RELIABILITY.md).
 */
const seconds = Number(process.env.O2C_CHAOS_SECONDS ?? 120);
const seed = Number(process.env.O2C_CHAOS_SEED ?? 20261202);

describe('crashes', () => {
  it.skipIf(!onPostgres || !chaosAvailable)(`lose no acknowledged write and break no invariant (seed ${seed}, ${seconds} s)`, async () => {
    const result = await runChaos({ seed, seconds, clients: 4, databaseEverySeconds: 60, log: () => undefined });
    expect(result.apiKills + result.databaseCrashes).toBeGreaterThanOrEqual(2);
    expect(result.databaseCrashes).toBeGreaterThanOrEqual(1);
    expect(result.mix.errors).toEqual([]);
    expect(result.mix.unanswered).toBe(0);
    expect(result.mix.acknowledged.length).toBeGreaterThan(100);
    expect(result.missing).toEqual([]);
    expect(result.violations).toEqual([]);
    // back within seconds of each restart
    for (const recovery of result.recoverySeconds) expect(recovery).toBeLessThan(30);
  }, (seconds + 240) * 1000);
});
