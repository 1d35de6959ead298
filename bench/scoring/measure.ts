/**
 * A scoring benchmark client, in its own process: scores each probe event one at a time, in-process over the
 * store or over HTTP against the inference service, and prints every call's time (per score) as its last
 * stdout line: the parent pools the rounds before taking percentiles. Every call gets a fresh copy of its
 * event, so no call reuses features an earlier call computed: each reads the customer's state again.
 */
import type { UnifiedPaymentEvent } from '../../src/contracts/payment-event.ts';
import { computeFeatures } from '../../src/inference/features/features.ts';
import { stateAt } from '../../src/inference/features/stored-state.ts';
import { createHttpInference } from '../../src/inference/http.ts';
import { createInProcessInference } from '../../src/inference/in-process.ts';
import type { HistorySource, Inference } from '../../src/inference/port.ts';
import { createStore } from '../../src/storage/create-store.ts';
import { readInput } from '../shared/child.ts';
import { type Measured, type MeasureInput, type Sample, SCORES, type ScoreName, summarize } from './latency.ts';

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

async function measure(call: Call, events: readonly UnifiedPaymentEvent[], warmup: number): Promise<Sample> {
  // Warmed up on other events than those measured, so none is measured with its pages already cached.
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
  return { times: times.map(round), cpuMs: (cpu.user + cpu.system) / 1000 };
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

const show = (what: string, sample: Sample) => {
  const latency = summarize([sample]);
  process.stderr.write(
    `  ${what}: ${latency.count} calls, p50 ${latency.p50} ms, p99 ${latency.p99} ms ` +
      `(CPU ${latency.cpuMean} ms per call)\n`,
  );
};

const input = await readInput<MeasureInput>();
const { inference, history, close } = await open(input.target);
const scores: Partial<Record<ScoreName, Sample>> = {};
for (const score of SCORES) {
  scores[score] = await measure((event) => CALLS[score](inference, event), input.probes[score], input.warmup);
  show(`${input.target.kind} ${score}`, scores[score]);
}
// Where a score's time goes, in-process: the customers' states read; and what reading their pasts event by
// event and computing the features from them would cost instead.
let parts: Pick<Measured<Sample>, 'stateRead' | 'historyRead' | 'features'> = {};
if (history) {
  const state = async (event: UnifiedPaymentEvent) => {
    const stored = await history.customerState(event.customer_id ?? '');
    return stored && stateAt(stored, Date.parse(event.timestamp));
  };
  const stateRead = await measure(state, input.probes.history, input.warmup);
  show('state read alone', stateRead);
  const read = (event: UnifiedPaymentEvent) =>
    history.customerHistory(event.customer_id ?? '', event.timestamp, HISTORY_LIMIT);
  const historyRead = await measure(read, input.probes.history, input.warmup);
  show('history read alone', historyRead);
  const features = await measure(async (event) => computeFeatures(event, await read(event)), input.probes.history, 0);
  show('features alone', features);
  parts = { stateRead, historyRead, features };
}
await close();
process.stdout.write(`${JSON.stringify({ scores, ...parts })}\n`);
