/** A closed-loop HTTP load: `clients` loops each send a request, wait for it, send the next. */
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
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (quantile: number) => latencies[Math.min(latencies.length - 1, Math.floor(quantile * latencies.length))] ?? 0;
  return { requests: latencies.length, failures, seconds: elapsed, perSecond: latencies.length / elapsed, p50Ms: at(0.5), p99Ms: at(0.99) };
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
