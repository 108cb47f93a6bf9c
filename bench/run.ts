/**
 * Benchmark runner: `npm run bench <name> [-- options]`. Each benchmark is a file in
 * bench/ that exports `run(args)` and prints its figures.
 */
const available = ['platform', 'orders', 'invoicing', 'cycle', 'aging'] as const;
const name = process.argv[2];
if (name === undefined || !(available as readonly string[]).includes(name)) {
  process.stderr.write(`usage: npm run bench <${available.join('|')}> [-- --clients N --seconds S --postgres]\n`);
  process.exit(2);
}
// The database is chosen before the benchmark's imports read it.
// The orders benchmark always runs on PostgreSQL: throughput claims are made there.
if (name === 'orders' || name === 'invoicing' || name === 'cycle' || name === 'aging' || process.argv.includes('--postgres')) process.env.O2C_TEST_DB = 'postgres';
const benchmark = (await import(`./${name}.bench.ts`)) as { run(args: string[]): Promise<void> };
await benchmark.run(process.argv.slice(3));
process.exit(0);

export {};
