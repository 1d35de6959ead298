/**
 * A scoring benchmark client, in its own process: scores each probe event one at a time, in-process over the
 * store or over HTTP against the inference service, and prints the latency percentiles of each score as its
 * last stdout line. Every call gets a fresh copy of its event, so no call reuses features an earlier call
 * computed: each reads the customer's past from the store again.
 */
import type { UnifiedPaymentEvent } from '../../src/contracts/payment-event.ts';
import { computeFeatures } from '../../src/inference/features/features.ts';
import { createHttpInference } from '../../src/inference/http.ts';
import { createInProcessInference } from '../../src/inference/in-process.ts';
import type { HistorySource, Inference } from '../../src/inference/port.ts';
import { percentile } from '../../src/simulator/summary.ts';
import { createStore } from '../../src/storage/create-store.ts';
import { readInput } from '../shared/child.ts';

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

/** Milliseconds per call. */
export interface Latency {
  readonly count: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
  /**
   * CPU time of this process's main thread over the run ÷ calls: what a call costs, whatever else the
   * machine was doing (wall time on a loaded machine is mostly waiting for a core). Averaged because the
   * kernel counts CPU time in 4 ms ticks here. Over HTTP it is the client's share only.
   */
  readonly cpuMean: number;
}

export interface MeasureResult {
  readonly scores: Readonly<Record<ScoreName, Latency>>;
  /** In-process only: reading a customer's past from the store (up to 1000 events), the I/O of each score. */
  readonly historyRead?: Latency;
  /** In-process only: `computeFeatures` on that past (read again, from the store's cache). */
  readonly features?: Latency;
}

/** The in-process inference reads up to this many past events (its default). */
const HISTORY_LIMIT = 1000;

type Call = (event: UnifiedPaymentEvent) => Promise<unknown>;

const CALLS: Readonly<Record<ScoreName, (inference: Inference, event: UnifiedPaymentEvent) => Promise<unknown>>> = {
  fraud: (inference, event) => inference.fraudScore(event),
  retry: (inference, event) => inference.retryStrategy(event),
  churn: (inference, event) => inference.churnPrediction(event),
  event: async (inference, event) => {
    if (event.status === 'succeeded') await inference.fraudScore(event);
    if (event.status === 'failed') await inference.retryStrategy(event);
    return inference.churnPrediction(event);
  },
};

const round = (ms: number) => Math.round(ms * 1000) / 1000;

async function measure(call: Call, events: readonly UnifiedPaymentEvent[], warmup: number): Promise<Latency> {
  // Warmed up on other events than those measured: the store caches the past it read last.
  for (const event of events.slice(0, warmup)) await call({ ...event });
  const times: number[] = [];
  const cpuBefore = process.threadCpuUsage();
  for (const event of events.slice(warmup)) {
    const copy = { ...event };
    const started = performance.now();
    await call(copy);
    times.push(performance.now() - started);
  }
  const cpu = process.threadCpuUsage(cpuBefore);
  times.sort((a, b) => a - b);
  const at = (p: number) => round(percentile(times, p));
  const cpuMean = times.length === 0 ? 0 : round((cpu.user + cpu.system) / 1000 / times.length);
  return { count: times.length, p50: at(50), p90: at(90), p99: at(99), max: round(times.at(-1) ?? 0), cpuMean };
}

interface Opened {
  readonly inference: Inference;
  /** The store in-process inference reads, to time its reads alone; none over HTTP. */
  readonly history?: HistorySource;
  close(): Promise<void>;
}

/** The inference to measure, and how to let go of it afterwards. */
async function open(target: MeasureInput['target']): Promise<Opened> {
  if (target.kind === 'http') {
    const inference = createHttpInference({ url: target.url });
    return { inference, close: async () => inference.close() };
  }
  const store = await createStore(target.databaseUrl);
  return { inference: createInProcessInference({ history: store }), history: store, close: () => store.close() };
}

const show = (what: string, latency: Latency) =>
  process.stderr.write(
    `  ${what}: ${latency.count} calls, p50 ${latency.p50} ms, p99 ${latency.p99} ms ` +
      `(CPU ${latency.cpuMean} ms per call)\n`,
  );

const input = await readInput<MeasureInput>();
const { inference, history, close } = await open(input.target);
const scores: Partial<Record<ScoreName, Latency>> = {};
for (const score of SCORES) {
  scores[score] = await measure((event) => CALLS[score](inference, event), input.probes[score], input.warmup);
  show(`${input.target.kind} ${score}`, scores[score]);
}
// Where a score's time goes, in-process: the same events' pasts read, then their features computed.
let parts: Pick<MeasureResult, 'historyRead' | 'features'> = {};
if (history) {
  const read = (event: UnifiedPaymentEvent) =>
    history.customerHistory(event.customer_id ?? '', event.timestamp, HISTORY_LIMIT);
  const historyRead = await measure(read, input.probes.history, input.warmup);
  show('history read alone', historyRead);
  const features = await measure(async (event) => computeFeatures(event, await read(event)), input.probes.history, 0);
  show('features alone', features);
  parts = { historyRead, features };
}
await close();
process.stdout.write(`${JSON.stringify({ scores, ...parts })}\n`);
