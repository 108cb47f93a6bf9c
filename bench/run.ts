import fs from 'node:fs';
import type { Figure } from './http-load';

/**
 * Benchmark runner.
 *
 *   npm run bench                    every benchmark with its standard settings, one after
 *                                    another, then the figures written to docs/BENCHMARKS.md
 *   npm run bench -- --quick         the same at a small scale (seconds, not minutes); prints only
 *   npm run bench <name> [-- opts]   one benchmark (bench/<name>.bench.ts), printed only
 *
 * Each benchmark prints the machine, its settings, medians and ratios, and returns
 * its headline figures; none is a timed test.
 */
type Benchmark = { run(args: string[]): Promise<Figure[]> };
const available = ['platform', 'orders', 'invoicing', 'cycle', 'aging'] as const;
const load = async (name: (typeof available)[number]) => (await import(`./${name}.bench.ts`)) as Benchmark;

interface Step {
  readonly title: string;
  readonly name: (typeof available)[number];
  readonly args: string[];
}

/** The standard runs; --quick shrinks durations and volumes to check that everything runs. */
function plan(quick: boolean): Step[] {
  const seconds = (full: number) => String(quick ? 3 : full);
  return [
    { title: 'Platform on PGlite', name: 'platform', args: ['--clients', '8', '--seconds', seconds(5)] },
    { title: 'Platform on PostgreSQL', name: 'platform', args: ['--clients', '8', '--seconds', seconds(5), '--postgres'] },
    { title: 'Order entry: API ÷ pgbench, PGlite ÷ PostgreSQL', name: 'orders', args: ['--clients', '8', '--seconds', seconds(20)] },
    { title: 'Invoice issue throughput and documents', name: 'invoicing', args: ['--clients', '8', '--seconds', seconds(10), '--drafts', quick ? '500' : '3000'] },
    { title: 'The full cycle', name: 'cycle', args: ['--clients', '8', '--seconds', seconds(20)] },
    { title: 'Receivables and issuing at 10,000 invoices', name: 'aging', args: ['--invoices', quick ? '2000' : '10000', '--customers', quick ? '100' : '500', '--issues', quick ? '50' : '300'] },
    { title: 'Receivables and issuing at 1,000,000 invoices', name: 'aging', args: ['--invoices', quick ? '20000' : '1000000', '--customers', quick ? '1000' : '50000', '--issues', quick ? '50' : '300'] },
  ];
}

async function runAll(quick: boolean): Promise<void> {
  const started = new Date();
  const output: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  // Everything the benchmarks print is shown and kept for the report.
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    output.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return (write as (chunk: string | Uint8Array, ...rest: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stdout.write;
  const results: Array<{ step: Step; figures: Figure[] }> = [];
  for (const step of plan(quick)) {
    process.stdout.write(`\n=== ${step.title}: npm run bench ${step.name} -- ${step.args.join(' ')} ===\n`);
    results.push({ step, figures: await (await load(step.name)).run(step.args) });
  }
  // Issuing must not slow as the invoices grow: the median at the large volume over the one at the small.
  const [small, large] = results
    .filter(({ step }) => step.name === 'aging')
    .map(({ figures }) => figures.find((figure) => figure.label.startsWith('invoice issue latency'))?.number);
  const flatness = small !== undefined && large !== undefined ? large / small : undefined;
  if (flatness !== undefined) process.stdout.write(`\ninvoice issue latency, median at the large volume ÷ at the small: ${flatness.toFixed(2)} (flat is about 1)\n`);
  process.stdout.write = write;
  const minutes = (Date.now() - started.getTime()) / 60_000;
  if (quick) {
    process.stdout.write(`quick run done in ${minutes.toFixed(1)} min (docs/BENCHMARKS.md is written by the full run only)\n`);
    return;
  }
  writeReport(started, minutes, results, flatness, output.join(''));
}

const startMarker = '<!-- latest full run: written by `npm run bench` -->';
const endMarker = '<!-- end of the latest full run -->';

function writeReport(started: Date, minutes: number, results: Array<{ step: Step; figures: Figure[] }>, flatness: number | undefined, output: string): void {
  // The machine as the PostgreSQL benchmarks describe it (the embedded runs name the same cores).
  const machine = /^machine: .*on the same host.*$/m.exec(output)?.[0].replace(/; load average [\d.]+$/, '') ?? 'machine: unknown';
  const rows = results.flatMap(({ step, figures }) => figures.map((figure) => `| ${step.title} | ${figure.label} | ${figure.value} |`));
  if (flatness !== undefined) rows.push(`| Receivables and issuing | invoice issue latency, median at 1,000,000 ÷ at 10,000 invoices | ${flatness.toFixed(2)} |`);
  const section = [
    startMarker,
    '## The latest full run',
    '',
    `\`npm run bench\` on ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC, ${minutes.toFixed(0)} minutes; ${machine.replace(/^machine: /, '')}.`,
    '',
    '| benchmark | figure | value |',
    '|---|---|---|',
    ...rows,
    '',
    '<details><summary>Everything the run printed</summary>',
    '',
    '```text',
    output.trim(),
    '```',
    '',
    '</details>',
    endMarker,
  ].join('\n');
  const file = 'docs/BENCHMARKS.md';
  const current = fs.readFileSync(file, 'utf8');
  const begin = current.indexOf(startMarker);
  const end = current.indexOf(endMarker);
  if (begin < 0 || end < begin) throw new Error(`${file} has lost its markers for the latest run; put back ${startMarker} … ${endMarker}`);
  fs.writeFileSync(file, current.slice(0, begin) + section + current.slice(end + endMarker.length));
  process.stdout.write(`\nwritten to ${file} (${minutes.toFixed(0)} minutes)\n`);
}

const name = process.argv[2];
if (name === undefined || name === '--quick') {
  await runAll(name === '--quick');
} else if ((available as readonly string[]).includes(name)) {
  await (await load(name as (typeof available)[number])).run(process.argv.slice(3));
} else {
  process.stderr.write(`usage: npm run bench [-- --quick] | npm run bench <${available.join('|')}> [-- options]\n`);
  process.exit(2);
}
process.exit(0);
