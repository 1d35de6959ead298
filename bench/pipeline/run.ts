/**
 * The pipeline benchmark (issue 3): webhooks through the one-process pipeline (gateway → SQLite log →
 * normalizer → orchestrator with in-process scoring → SQLite store), counted where they end: stored rows.
 * 1. sustained: more load than the pipeline takes; events/s from the first webhook to the last stored row
 *    (goal: at least 3,000/s);
 * 2. fixed rate: 1,000 webhooks/s; webhook→stored latency p50/p99 (goal: p99 under 100 ms).
 * 3. the yardstick: the sustained run against the issue's "100-line single-process prototype with naive
 *    scoring" (bench/minimal/pipeline.ts), which the goal of 1. was set against.
 * Each run starts a fresh pipeline on fresh files, in its own process; the sender is another process.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DeliveriesInput, DeliveriesResult } from '../load/deliveries.ts';
import { runChild, startServer } from '../shared/child.ts';
import { type StoredSummary, summarizeStored, waitForStored } from './stored.ts';
import type { ThreadCpu } from './threads.ts';

export interface PipelineBenchOptions {
  /** Webhooks of the sustained run. */
  readonly sustainedCount: number;
  /** Seconds of the fixed-rate run. */
  readonly fixedSeconds: number;
  readonly fixedRate: number;
  readonly concurrency: number;
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
}

/** The servers a run can start: paypipe's whole pipeline, or the minimal prototype. */
const TARGETS = { paypipe: '../pipeline/target.ts', minimal: '../minimal/pipeline.ts' } as const;

async function runOnce(
  target: keyof typeof TARGETS,
  label: string,
  input: Omit<DeliveriesInput, 'target'>,
  progress: (message: string) => void,
): Promise<PipelineRun> {
  const dataDir = await mkdtemp(join(tmpdir(), 'paypipe-bench-pipeline-'));
  const server = await startServer<{ url: string }>(TARGETS[target], [dataDir]);
  try {
    progress(`pipeline bench: ${label}: ${input.count} webhooks at up to ${input.rate}/s`);
    const load = await runChild<DeliveriesResult>('../load/deliveries.ts', { ...input, target: server.ready.url });
    progress(
      `  sent ${load.sent}, acknowledged ${load.acknowledged} (${Math.round(load.acknowledgedPerSecond)}/s), ` +
        `sender CPU ${load.senderCpuUsPerRequest} µs/request; waiting for ${load.expectedEvents} stored events`,
    );
    let shown = 0;
    const storePath = join(dataDir, 'paypipe.db');
    await waitForStored(storePath, load.expectedEvents, 15_000, (stored) => {
      if (stored - shown < 5000) return;
      shown = stored;
      progress(`  ${stored} stored`);
    });
    const stored = summarizeStored(storePath);
    progress(
      `  stored ${stored.stored}/${load.expectedEvents} at ${Math.round(stored.eventsPerSecond)} events/s; ` +
        `webhook→stored p50 ${stored.latencyMs.p50} ms, p99 ${stored.latencyMs.p99} ms`,
    );
    const cpuPerEventUs = perEvent((await server.stop()) as { cpuMs?: ThreadCpu } | undefined, stored.stored);
    progress(
      `  CPU per stored event (µs): ${Object.entries(cpuPerEventUs)
        .map(([name, us]) => `${name} ${us}`)
        .join(', ')}`,
    );
    return { requestedRate: input.rate, load, stored, cpuPerEventUs };
  } finally {
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** The target's CPU by thread (what it printed on SIGTERM) per stored event, largest first, with the total. */
function perEvent(report: { cpuMs?: ThreadCpu } | undefined, stored: number): ThreadCpu {
  const entries = Object.entries(report?.cpuMs ?? {}).sort(([, a], [, b]) => b - a);
  const us = (ms: number) => Math.round((ms * 1000) / Math.max(1, stored));
  const total = entries.reduce((sum, [, ms]) => sum + ms, 0);
  return Object.fromEntries([['total', us(total)], ...entries.map(([name, ms]) => [name, us(ms)])]);
}

export async function runPipelineBench(options: PipelineBenchOptions): Promise<PipelineBenchResult> {
  const { concurrency, progress } = options;
  const sustainedLoad = { rate: 20_000, count: options.sustainedCount, concurrency, seed: 1 };
  const sustained = await runOnce('paypipe', 'sustained', sustainedLoad, progress);
  const minimal = await runOnce('minimal', 'the minimal prototype, sustained', sustainedLoad, progress);
  const fixed = await runOnce(
    'paypipe',
    'fixed rate',
    { rate: options.fixedRate, count: options.fixedRate * options.fixedSeconds, concurrency, seed: 2 },
    progress,
  );
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
  };
}
