/**
 * What the scoring benchmark's parent and its measuring children exchange: the probe events in, latency
 * samples out, and their summary once the rounds are pooled. (measure.ts is a script: importing it runs it.)
 */
import type { UnifiedPaymentEvent } from '../../src/contracts/payment-event.ts';
import { percentile } from '../../src/simulator/summary.ts';

/** fraud, retry and churn alone; `event` is what a workflow asks for one event (fraud or retry, then churn). */
export const SCORES = ['fraud', 'retry', 'churn', 'event'] as const;
export type ScoreName = (typeof SCORES)[number];

export interface MeasureInput {
  readonly target:
    | { readonly kind: 'in-process'; readonly databaseUrl: string }
    | { readonly kind: 'http'; readonly url: string };
  /** Each score's events, and (in-process) `history`: events whose customer's past is read alone. */
  readonly probes: Readonly<Record<ScoreName | 'history', readonly UnifiedPaymentEvent[]>>;
  /** The first this many events of each list are scored first and not measured (JIT, caches). */
  readonly warmup: number;
}

/** What one child measured; `T` is a `Sample` here and a `Latency` once the rounds are pooled. */
export interface Measured<T> {
  readonly scores: Readonly<Record<ScoreName, T>>;
  /** In-process only: reading a customer's state from the store and bringing it to the event's time. */
  readonly stateRead?: T;
  /**
   * In-process only: reading a customer's past from the store event by event (up to 1000), what a score
   * reads when the store's state cannot answer (an event older than the customer's newest stored one).
   */
  readonly historyRead?: T;
  /** In-process only: `computeFeatures` on that past (read again, from the store's cache). */
  readonly features?: T;
}

/** One measurement in one child process: each call's wall time, and the thread's CPU time over them. */
export interface Sample {
  /** Milliseconds per call, in call order. */
  readonly times: readonly number[];
  /** CPU time of the measuring thread over all the calls, in ms. */
  readonly cpuMs: number;
}

/** Milliseconds per call. */
export interface Latency {
  readonly count: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
  /**
   * CPU time of the measuring thread ÷ calls: what a call costs whatever else the machine was doing (wall
   * time on a loaded machine is mostly waiting for a core). Averaged because the kernel counts CPU time in
   * 4 ms ticks here. Over HTTP it is the client's share only.
   */
  readonly cpuMean: number;
}

const round = (ms: number) => Math.round(ms * 1000) / 1000;

/** Pools samples (one per round) into nearest-rank percentiles. */
export function summarize(samples: readonly Sample[]): Latency {
  const times = samples.flatMap((sample) => sample.times).sort((a, b) => a - b);
  const cpuMs = samples.reduce((sum, sample) => sum + sample.cpuMs, 0);
  const at = (p: number) => round(percentile(times, p));
  const cpuMean = times.length === 0 ? 0 : round(cpuMs / times.length);
  return { count: times.length, p50: at(50), p90: at(90), p99: at(99), max: round(times.at(-1) ?? 0), cpuMean };
}
