import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';

/** Fire requests from `make` at `concurrency` in flight for `seconds`; returns completed requests per second. */
export async function load(
  origin: string,
  seconds: number,
  concurrency: number,
  make: (i: number) => { path: string; headers?: Record<string, string> },
  expectStatus = 200,
): Promise<{ rate: number; count: number; errors: number; latenciesMs: number[] }> {
  const pool = new Pool(origin, { connections: concurrency, pipelining: 1 });
  const deadline = performance.now() + seconds * 1000;
  let issued = 0;
  let count = 0;
  let errors = 0;
  const latenciesMs: number[] = [];
  const started = performance.now();
  async function worker(): Promise<void> {
    while (performance.now() < deadline) {
      const { path, headers } = make(issued++);
      const t0 = performance.now();
      try {
        const response = await pool.request({ origin, path, method: 'GET', ...(headers ? { headers } : {}) });
        await response.body.dump();
        if (response.statusCode === expectStatus) {
          count++;
          latenciesMs.push(performance.now() - t0);
        } else errors++;
      } catch (_error: unknown) {
        errors++;
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, () => worker()));
  const elapsed = (performance.now() - started) / 1000;
  await pool.close();
  return { rate: count / elapsed, count, errors, latenciesMs };
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

export function fmt(n: number, digits = 0): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}
