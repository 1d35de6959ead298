/**
 * The scoring benchmark (issue 4, "Speed"): p50/p99 latency of each score with its features read from a
 * SQLite store holding a realistic history (fill.ts: a calendar world, customers with hundreds of past
 * events), one call at a time, 1. in-process (`createInProcessInference` over the store, what the
 * pipeline's workflows call) and 2. over HTTP against the inference service on the same store file
 * (`createHttpInference` → `paypipe inference`'s app). Goal: in-process p99 under 2 ms for each score.
 * The client and the service are separate processes, as everywhere in bench/.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { UnifiedPaymentEvent } from '../../src/contracts/payment-event.ts';
import { runChild, startServer } from '../shared/child.ts';
import { fillStore } from './fill.ts';
import type { MeasureInput, MeasureResult } from './measure.ts';

export interface ScoringBenchOptions {
  readonly seed: number;
  readonly customers: number;
  readonly days: number;
  /** Events scored per score (the most recent of the world, where pasts are longest). */
  readonly events: number;
  readonly progress: (message: string) => void;
}

export interface ScoringBenchResult {
  readonly store: {
    readonly seed: number;
    readonly customers: number;
    readonly days: number;
    readonly events: number;
    readonly eventsPerCustomer: { readonly p50: number; readonly p90: number; readonly max: number };
  };
  readonly inProcess: MeasureResult;
  readonly http: MeasureResult;
  /** In-process p99 under 2 ms for fraud, retry and churn. */
  readonly goals: { readonly inProcessP99: boolean };
}

/** The goal for each score, in-process on SQLite. */
export const GOAL_P99_MS = 2;
const PROBE_WINDOW_MS = 90 * 86_400_000;

/**
 * The events each measurement scores: of the world's last 90 days (the longest pasts), with a customer,
 * evenly spread, and no customer and instant in two measurements: the store caches the past it read for a
 * customer and time (sibling events of one payment step share both), which would flatter whichever
 * measurement came second. Every measured call reads its past from SQLite.
 */
function chooseProbes(events: readonly UnifiedPaymentEvent[], count: number): MeasureInput['probes'] {
  const last = Date.parse(events.at(-1)?.timestamp ?? '');
  const recent = events.filter(
    (event) => event.customer_id !== null && Date.parse(event.timestamp) > last - PROBE_WINDOW_MS,
  );
  const used = new Set<string>();
  const key = (event: UnifiedPaymentEvent) => `${event.customer_id}\u0000${event.timestamp}`;
  const sample = (keep: (event: UnifiedPaymentEvent) => boolean) => {
    const seen = new Set<string>();
    const eligible = recent.filter((event) => {
      const at = key(event);
      if (used.has(at) || seen.has(at) || !keep(event)) return false;
      seen.add(at);
      return true;
    });
    const stride = Math.max(1, eligible.length / count);
    const chosen = Array.from({ length: Math.min(count, eligible.length) }, (_, i) => eligible[Math.floor(i * stride)]);
    const events = chosen.filter((event): event is UnifiedPaymentEvent => event !== undefined);
    for (const event of events) used.add(key(event));
    return events;
  };
  // The rarest first, so it gets all of its kind.
  const retry = sample((event) => event.event_type === 'payment.failed');
  const fraud = sample((event) => event.status === 'succeeded');
  return { retry, fraud, churn: sample(() => true), event: sample(() => true), history: sample(() => true) };
}

export async function runScoringBench(options: ScoringBenchOptions): Promise<ScoringBenchResult> {
  const { progress } = options;
  const dir = await mkdtemp(join(tmpdir(), 'paypipe-bench-scoring-'));
  try {
    const databaseUrl = `sqlite:${join(dir, 'paypipe.db')}`;
    const filled = await fillStore(databaseUrl, options);
    const warmup = 200;
    const probes = chooseProbes(filled.events, options.events + warmup);
    progress(`scoring bench: in-process, ${options.events} events per score, one at a time`);
    const inProcess = await runChild<MeasureResult>('../scoring/measure.ts', {
      target: { kind: 'in-process', databaseUrl },
      probes,
      warmup,
    } satisfies MeasureInput);
    progress('scoring bench: over HTTP against the inference service, one request at a time');
    const server = await startServer<{ url: string }>('../scoring/target.ts', [databaseUrl]);
    let http: MeasureResult;
    try {
      http = await runChild<MeasureResult>('../scoring/measure.ts', {
        target: { kind: 'http', url: server.ready.url },
        probes,
        warmup,
      } satisfies MeasureInput);
    } finally {
      await server.stop();
    }
    const { seed, customers, days } = options;
    return {
      store: { seed, customers, days, events: filled.events.length, eventsPerCustomer: filled.eventsPerCustomer },
      inProcess,
      http,
      goals: {
        inProcessP99: (['fraud', 'retry', 'churn'] as const).every(
          (score) => inProcess.scores[score].count > 0 && inProcess.scores[score].p99 < GOAL_P99_MS,
        ),
      },
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
