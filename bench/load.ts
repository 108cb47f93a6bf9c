/**
 * `npm run load -- --seed N --clients C --minutes M`: the seeded load mix against
 * an o2c server on a fresh PostgreSQL database, then the proof — every
 * acknowledged write is in the database and every invariant holds. Prints the seed
 * so a run can be repeated; exits 1 on any lost write, 5xx or violation.
 */
// The database is chosen before the run's imports read it: the load runs on PostgreSQL.
process.env.O2C_TEST_DB = 'postgres';
const runner = './load-run.ts';
const { run } = (await import(runner)) as { run(args: string[]): Promise<number> };
process.exit(await run(process.argv.slice(2)));

export {};
