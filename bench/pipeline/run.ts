/**
 * The pipeline benchmark (issue 3): webhooks through the one-process pipeline (gateway → SQLite log →
 * normalizer → orchestrator with in-process scoring → SQLite store), counted where they end: stored rows.
 * 1. sustained: more load than the pipeline takes; events/s from the first webhook to the last stored row
 *    (goal: at least 3,000/s);
 * 2. fixed rate: 1,000 webhooks/s; webhook→stored latency p50/p99 (goal: p99 under 100 ms).
 * 3. the yardstick: the sustained run against the issue's "100-line single-process prototype with naive
 *    scoring" (bench/minimal/pipeline.ts), which the goal of 1. was set against.
 * Each run starts a fresh pipeline on fresh files, in its own process; the sender is another process.
 * With `postgresUrl` (BENCH_POSTGRES_URL), 1. and 2. run again right after their SQLite run, on a fresh
 * PostgreSQL database of that server (postgres.ts), its server processes' CPU counted as `postgres`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DeliveriesInput, DeliveriesResult } from '../load/deliveries.ts';
import { runChild, startServer } from '../shared/child.ts';
import { createBenchDatabase, postgresStored, postmasterPid, serverCpuMs } from './postgres.ts';
import { type StoredSource, type StoredSummary, sqliteStored, summarizeStored, waitForStored } from './stored.ts';
import type { ThreadCpu } from './threads.ts';

export interface PipelineBenchOptions {
  /** Webhooks of the sustained run. */
  readonly sustainedCount: number;
  /** Seconds of the fixed-rate run. */
  readonly fixedSeconds: number;
  readonly fixedRate: number;
  readonly concurrency: number;
  /** An admin URL of a PostgreSQL server on this machine: runs 1. and 2. on a PostgreSQL store too. */
  readonly postgresUrl?: string;
  readonly progress: (message: string) => void;
}

export interface PipelineRun {
  readonly requestedRate: number;
  readonly load: DeliveriesResult;
  readonly stored: StoredSummary;
  /** Microseconds of the target's CPU per stored event, by thread name (threads.ts), and their total. */
  readonly cpuPerEventUs: ThreadCpu;
}

export interface PipelineBenchResult {
  readonly concurrency: number;
  readonly sustained: PipelineRun;
  readonly fixed: PipelineRun;
  /**
   * The minimal prototype (bench/minimal/pipeline.ts) under the sustained run's load: the issue puts it at
   * about 7,000 events/s on this machine.
   */
  readonly minimal: PipelineRun;
  /** paypipe's sustained events/s ÷ the minimal prototype's, measured in the same run. */
  readonly ratioToMinimal: number;
  readonly goals: { readonly throughput: boolean; readonly p99: boolean };
  /** The sustained and fixed-rate runs on a PostgreSQL store, each right after its SQLite run. */
  readonly postgres?: { readonly sustained: PipelineRun; readonly fixed: PipelineRun };
}

/** The servers a run can start: paypipe's whole pipeline, or the minimal prototype. */
const TARGETS = { paypipe: '../pipeline/target.ts', minimal: '../minimal/pipeline.ts' } as const;

/** Where a run's pipeline stores: its SQLite file, or a fresh database on the PostgreSQL server of this URL. */
type Store = { readonly kind: 'sqlite' } | { readonly kind: 'postgres'; readonly adminUrl: string };
const SQLITE: Store = { kind: 'sqlite' };

/** The run's store opened: the target's DATABASE_URL (none: its SQLite file), how to read it back, clean-up. */
async function openStore(store: Store, dataDir: string) {
  if (store.kind === 'sqlite') {
    return {
      targetArgs: [dataDir],
      read: (): StoredSource => sqliteStored(join(dataDir, 'paypipe.db')),
      serverCpuMs: (): number | null => null,
      drop: async () => {},
    };
  }
  const database = await createBenchDatabase(store.adminUrl);
  const postmaster = await postmasterPid(store.adminUrl);
  return {
    targetArgs: [dataDir, database.url],
    read: (): StoredSource => postgresStored(database.url),
    serverCpuMs: () => (postmaster === null ? null : serverCpuMs(postmaster)),
    drop: () => database.drop(),
  };
}

async function runOnce(
  target: keyof typeof TARGETS,
  label: string,
  input: Omit<DeliveriesInput, 'target'>,
  progress: (message: string) => void,
  store: Store = SQLITE,
): Promise<PipelineRun> {
  const dataDir = await mkdtemp(join(tmpdir(), 'paypipe-bench-pipeline-'));
  const opened = await openStore(store, dataDir);
  const server = await startServer<{ url: string }>(TARGETS[target], opened.targetArgs);
  const serverCpuBefore = opened.serverCpuMs();
  let source: StoredSource | undefined;
  try {
    progress(`pipeline bench: ${label}: ${input.count} webhooks at up to ${input.rate}/s`);
    const load = await runChild<DeliveriesResult>('../load/deliveries.ts', { ...input, target: server.ready.url });
    progress(
      `  sent ${load.sent}, acknowledged ${load.acknowledged} (${Math.round(load.acknowledgedPerSecond)}/s), ` +
        `sender CPU ${load.senderCpuUsPerRequest} µs/request; waiting for ${load.expectedEvents} stored events`,
    );
    let shown = 0;
    // Opened once the load is in: the minimal prototype creates its file at its first write.
    source = opened.read();
    await waitForStored(source, load.expectedEvents, 15_000, (stored) => {
      if (stored - shown < 5000) return;
      shown = stored;
      progress(`  ${stored} stored`);
    });
    const serverCpuAfter = opened.serverCpuMs();
    const stored = await summarizeStored(source);
    progress(
      `  stored ${stored.stored}/${load.expectedEvents} at ${Math.round(stored.eventsPerSecond)} events/s; ` +
        `webhook→stored p50 ${stored.latencyMs.p50} ms, p99 ${stored.latencyMs.p99} ms`,
    );
    const report = (await server.stop()) as { cpuMs?: ThreadCpu } | undefined;
    const serverCpu =
      serverCpuBefore === null || serverCpuAfter === null ? {} : { postgres: serverCpuAfter - serverCpuBefore };
    const cpuPerEventUs = perEvent({ ...report?.cpuMs, ...serverCpu }, stored.stored);
    progress(
      `  CPU per stored event (µs): ${Object.entries(cpuPerEventUs)
        .map(([name, us]) => `${name} ${us}`)
        .join(', ')}`,
    );
    return { requestedRate: input.rate, load, stored, cpuPerEventUs };
  } finally {
    await server.stop();
    await source?.close();
    await opened.drop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/**
 * The target's CPU by thread (what it printed on SIGTERM; with the PostgreSQL server's) per stored event,
 * largest first, with the total.
 */
function perEvent(cpuMs: ThreadCpu, stored: number): ThreadCpu {
  const entries = Object.entries(cpuMs).sort(([, a], [, b]) => b - a);
  const us = (ms: number) => Math.round((ms * 1000) / Math.max(1, stored));
  const total = entries.reduce((sum, [, ms]) => sum + ms, 0);
  return Object.fromEntries([['total', us(total)], ...entries.map(([name, ms]) => [name, us(ms)])]);
}

export async function runPipelineBench(options: PipelineBenchOptions): Promise<PipelineBenchResult> {
  const { concurrency, progress } = options;
  const sustainedLoad = { rate: 20_000, count: options.sustainedCount, concurrency, seed: 1 };
  const fixedLoad = { rate: options.fixedRate, count: options.fixedRate * options.fixedSeconds, concurrency, seed: 2 };
  const postgres: Store | undefined =
    options.postgresUrl === undefined ? undefined : { kind: 'postgres', adminUrl: options.postgresUrl };
  const onPostgres = (label: string, load: Omit<DeliveriesInput, 'target'>) =>
    postgres === undefined ? undefined : runOnce('paypipe', `${label}, PostgreSQL store`, load, progress, postgres);
  const sustained = await runOnce('paypipe', 'sustained', sustainedLoad, progress);
  const sustainedOnPostgres = await onPostgres('sustained', sustainedLoad);
  const minimal = await runOnce('minimal', 'the minimal prototype, sustained', sustainedLoad, progress);
  const fixed = await runOnce('paypipe', 'fixed rate', fixedLoad, progress);
  const fixedOnPostgres = await onPostgres('fixed rate', fixedLoad);
  const complete = (run: PipelineRun) => run.load.expectedEvents > 0 && run.stored.stored >= run.load.expectedEvents;
  return {
    concurrency,
    sustained,
    fixed,
    minimal,
    ratioToMinimal: sustained.stored.eventsPerSecond / Math.max(1, minimal.stored.eventsPerSecond),
    goals: {
      throughput: complete(sustained) && sustained.stored.eventsPerSecond >= 3000,
      p99: complete(fixed) && fixed.stored.latencyMs.p99 < 100,
    },
    ...(sustainedOnPostgres && fixedOnPostgres
      ? { postgres: { sustained: sustainedOnPostgres, fixed: fixedOnPostgres } }
      : {}),
  };
}
