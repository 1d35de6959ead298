/**
 * The scoring benchmark (issue 4, "Speed"): p50/p99 latency of each score with its features read from a
 * SQLite store holding a realistic history (fill.ts: a calendar world, customers with hundreds of past
 * events), one call at a time, 1. in-process (`createInProcessInference` over the store, what the
 * pipeline's workflows call) and 2. over HTTP against the inference service on the same store file
 * (`createHttpInference` → `paypipe inference`'s app). Goal: in-process p99 under 2 ms for each score.
 * The client and the service are separate processes, as everywhere in bench/; each mode runs twice, in
 * ABBA order and fresh processes, and its two rounds are pooled, so neither mode gets the quieter minutes.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runChild, startServer } from '../shared/child.ts';
import { fillStore } from './fill.ts';
import {
  type Latency,
  type Measured,
  type MeasureInput,
  type Sample,
  SCORES,
  type ScoreName,
  summarize,
} from './latency.ts';
import { chooseProbes } from './probes.ts';

export interface ScoringBenchOptions {
  readonly seed: number;
  readonly customers: number;
  readonly days: number;
  /** Events scored per score (of the world's last days, not stored: the store holds their pasts). */
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
  /** Both in-process rounds pooled. */
  readonly inProcess: Measured<Latency>;
  /** Both HTTP rounds pooled. */
  readonly http: Measured<Latency>;
  /** In-process p99 under 2 ms for fraud, retry and churn. */
  readonly goals: { readonly inProcessP99: boolean };
}

/** The goal for each score, in-process on SQLite. */
export const GOAL_P99_MS = 2;
/** ABBA: each mode measured first once and last once, so a load that drifts during the run is shared. */
const ORDER = ['in-process', 'http', 'http', 'in-process'] as const;
const WARMUP = 200;

/** Every score's samples from the rounds of one mode, pooled. */
function pool(rounds: readonly Measured<Sample>[]): Measured<Latency> {
  const scores = Object.fromEntries(
    SCORES.map((score) => [score, summarize(rounds.map((round) => round.scores[score]))]),
  ) as Record<ScoreName, Latency>;
  const part = (name: 'stateRead' | 'historyRead' | 'features') => {
    const samples = rounds.flatMap((round) => (round[name] ? [round[name]] : []));
    return samples.length === 0 ? {} : { [name]: summarize(samples) };
  };
  return { scores, ...part('stateRead'), ...part('historyRead'), ...part('features') };
}

/** One round of one mode, in fresh processes (no cache carried over from an earlier round). */
async function measureOnce(mode: (typeof ORDER)[number], databaseUrl: string, probes: MeasureInput['probes']) {
  if (mode === 'in-process') {
    const input: MeasureInput = { target: { kind: 'in-process', databaseUrl }, probes, warmup: WARMUP };
    return runChild<Measured<Sample>>('../scoring/measure.ts', input);
  }
  const server = await startServer<{ url: string }>('../scoring/target.ts', [databaseUrl]);
  try {
    const input: MeasureInput = { target: { kind: 'http', url: server.ready.url }, probes, warmup: WARMUP };
    return await runChild<Measured<Sample>>('../scoring/measure.ts', input);
  } finally {
    await server.stop();
  }
}

export async function runScoringBench(options: ScoringBenchOptions): Promise<ScoringBenchResult> {
  const { progress } = options;
  const dir = await mkdtemp(join(tmpdir(), 'paypipe-bench-scoring-'));
  try {
    const databaseUrl = `sqlite:${join(dir, 'paypipe.db')}`;
    const filled = await fillStore(databaseUrl, options);
    const probes = chooseProbes(filled.events, options.events + WARMUP);
    const rounds: Record<(typeof ORDER)[number], Measured<Sample>[]> = { 'in-process': [], http: [] };
    for (const [index, mode] of ORDER.entries()) {
      progress(`scoring bench: round ${index + 1}/${ORDER.length}, ${mode}, ${options.events} events per score`);
      rounds[mode].push(await measureOnce(mode, databaseUrl, probes));
    }
    const inProcess = pool(rounds['in-process']);
    const { seed, customers, days } = options;
    return {
      store: { seed, customers, days, events: filled.stored, eventsPerCustomer: filled.eventsPerCustomer },
      inProcess,
      http: pool(rounds.http),
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
