/**
 * `npm run chaos -- --seed N --minutes M [--clients C]`: the crash test (see
 * chaos-run.ts). Prints the seed, every kill and crash with the time the service
 * took to come back, and the proof; exits 1 on any lost write, 5xx or violation.
 */
import { formatViolation } from '../src/check';
import { option } from './http-load';
import { runChaos } from './chaos-run';

const args = process.argv.slice(2);
const seed = option(args, 'seed', Math.floor(Math.random() * 2 ** 31));
const minutes = option(args, 'minutes', 2);
const clients = option(args, 'clients', 4);
const result = await runChaos({ seed, seconds: minutes * 60, clients, databaseEverySeconds: option(args, 'database-every', 180) });
const { mix } = result;
process.stdout.write(`acknowledged writes: ${mix.acknowledged.length} (${Object.entries(mix.counts).map(([kind, count]) => `${kind} ${count}`).join(', ')})\n`);
process.stdout.write(`API killed ${result.apiKills} times, database crashed ${result.databaseCrashes} times; back after ${result.recoverySeconds.map((seconds) => `${seconds.toFixed(1)} s`).join(', ') || '—'}\n`);
process.stdout.write(`unanswered: ${mix.unanswered}; 5xx after retries: ${mix.errors.length}; lost writes: ${result.missing.length}; invariant violations: ${result.violations.length}\n`);
for (const error of mix.errors.slice(0, 5)) process.stdout.write(`  ${error}\n`);
for (const write of result.missing.slice(0, 20)) process.stdout.write(`  lost: ${write.kind} ${write.id} (key ${write.idempotencyKey})\n`);
for (const violation of result.violations) process.stdout.write(`${formatViolation(violation)}\n`);
process.exit(result.missing.length > 0 || result.violations.length > 0 || mix.errors.length > 0 ? 1 : 0);
