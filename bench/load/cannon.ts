/**
 * The load generator of the gateway benchmark, run as its own process (bench/shared/child.ts): autocannon
 * over keep-alive connections, cycling through the given requests. With `rate` it sends at that fixed
 * overall rate and corrects latencies for coordinated omission (autocannon's default); without, as fast as
 * the server answers. Prints one JSON line: throughput and latency percentiles.
 */
import { createRequire } from 'node:module';
import type { BenchRequest } from '../gateway/requests.ts';
import { readInput } from '../shared/child.ts';

export interface CannonInput {
  readonly url: string;
  readonly connections: number;
  readonly durationSeconds: number;
  /** Send this many requests and stop, whatever the duration (a warm-up). */
  readonly amount?: number;
  /** Requests per second over all connections; absent: as fast as possible. */
  readonly rate?: number;
  readonly requests: readonly BenchRequest[];
}

export interface CannonResult {
  /** Mean answered requests per second (autocannon's per-second samples). */
  readonly requestsPerSecond: number;
  readonly total: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly latencyMs: { readonly p50: number; readonly p90: number; readonly p99: number; readonly max: number };
}

/** The parts of autocannon's result read here (the package ships no types). */
interface AutocannonResult {
  readonly requests: { readonly average: number; readonly total: number };
  readonly latency: { readonly p50: number; readonly p90: number; readonly p99: number; readonly max: number };
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
}

const autocannon = createRequire(import.meta.url)('autocannon') as (options: object) => Promise<AutocannonResult>;

const input = await readInput<CannonInput>();
const result = await autocannon({
  url: input.url,
  connections: input.connections,
  ...(input.amount ? { amount: input.amount } : { duration: input.durationSeconds }),
  requests: input.requests,
  ...(input.rate ? { overallRate: input.rate } : {}),
});
const output: CannonResult = {
  requestsPerSecond: result.requests.average,
  total: result.requests.total,
  non2xx: result.non2xx,
  errors: result.errors + result.timeouts,
  latencyMs: {
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    max: result.latency.max,
  },
};
process.stdout.write(`${JSON.stringify(output)}\n`);
