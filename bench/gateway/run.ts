/**
 * The gateway benchmark (issue 3): verified, durably logged requests/s against a bare `node:http` server,
 * in the same run, with the same client (autocannon in its own process) and the same connection count.
 * 1. saturation: bare, a bare Fastify route, the minimal verify + group-commit receiver, then the gateway, as
 *    fast as each answers; the ratio to bare is the goal's 70%, the ratio to Fastify shows how much of the
 *    gap is the framework, and the minimal receiver how much any verifying, durable receiver pays here;
 * 2. fixed rate: the gateway at half its own measured throughput; the goal is p99 under 10 ms. Bare and the
 *    minimal receiver at the same rate show the latency of answering, and of committing durably, on this
 *    machine. This run uses the paced open-loop sender (bench/load/deliveries.ts): autocannon's rate limit
 *    sends in bursts.
 * 3. per provider: the gateway on one provider's requests at a time, to show where the cost is.
 * Every server is warmed up first with `warmUpRequests` requests at full speed, so the measured run is the
 * steady state and not V8 still compiling, and reports its CPU time per answered request by thread (cpu.ts).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProviderName } from '../../src/contracts/vocabulary.ts';
import { PROVIDERS } from '../../src/contracts/vocabulary.ts';
import type { CannonInput, CannonResult } from '../load/cannon.ts';
import type { DeliveriesInput, DeliveriesResult } from '../load/deliveries.ts';
import { runChild, startServer } from '../shared/child.ts';
import { benchConfig } from '../shared/config.ts';
import { CPU_PATH, cpuPerRequest, type ThreadCpu } from './cpu.ts';
import { type BenchRequest, signedRequests } from './requests.ts';

export interface GatewayBenchOptions {
  readonly connections: number;
  readonly durationSeconds: number;
  /**
   * Requests of unmeasured load at full speed before each run (BENCH_WARMUP_REQUESTS). V8 compiles a
   * server's hot code over its first tens of thousands of requests: after a 2-second warm-up the gateway
   * still spent 45-60 µs per request of its measured run compiling on V8's helper threads (5 after 45 s),
   * and ran its main thread on code not yet optimized; a bare server, with far less code, warms up in a few
   * thousand. Tiering counts calls, so the warm-up is a count of requests, not seconds.
   */
  readonly warmUpRequests: number;
  readonly progress: (message: string) => void;
}

/** What the server under test reported: its own statistics, and its CPU per answered request. */
interface ServerReport {
  /** What the server printed on its way out (the gateway: its group commits). */
  readonly server: unknown;
  /** Microseconds of the server's CPU per answered request, in total and by thread (cpu.ts). */
  readonly cpuUsPerRequest: Readonly<Record<string, number>>;
}

/** One load run, with what the server reported about itself. */
export interface GatewayRun extends CannonResult, ServerReport {}

/** The servers of bench/gateway/target.ts. */
type Target = 'bare' | 'fastify' | 'minimal' | 'gateway';

export type FixedRateRun = DeliveriesResult & ServerReport;

export interface GatewayBenchResult {
  readonly connections: number;
  readonly durationSeconds: number;
  /** Distinct signed requests the client cycles through (every payment fixture of every provider). */
  readonly requestKinds: number;
  readonly bare: GatewayRun;
  /** A Fastify route that reads the raw body and answers 200: the framework alone. */
  readonly fastify: GatewayRun;
  /**
   * The least a verifying, durably logging receiver does (target.ts `minimal`): one HMAC of the body and a
   * group-committed SQLite insert before answering. Issue 3 puts it at about 80% of bare on this machine.
   */
  readonly minimal: GatewayRun;
  readonly gateway: GatewayRun;
  /** gateway ÷ bare requests/s. Goal: at least 0.7. */
  readonly ratio: number;
  /**
   * bare ÷ gateway CPU per request: the ratio of requests/s the two would reach on the same cores. Steadier
   * than `ratio`, which moves with the machine's load between the two runs.
   */
  readonly cpuRatio: number;
  /** The fixed rate of the latency run: half the gateway's measured requests/s. */
  readonly fixedRate: number;
  /** The bare server at the same fixed rate: the latency floor of this machine and client. */
  readonly bareAtFixedRate: FixedRateRun;
  /**
   * The minimal receiver at the same fixed rate: what verifying and committing durably alone cost in latency
   * at this rate on this machine, with the sender beside it.
   */
  readonly minimalAtFixedRate: FixedRateRun;
  readonly gatewayAtFixedRate: FixedRateRun;
  /** The gateway at full speed on one provider's requests only. */
  readonly perProvider: Readonly<Record<ProviderName, GatewayRun>>;
  readonly goals: { readonly throughput: boolean; readonly p99: boolean };
}

async function readCpu(url: string): Promise<ThreadCpu> {
  const response = await fetch(new URL(CPU_PATH, url));
  return (await response.json()) as ThreadCpu;
}

/**
 * Runs `load` against a fresh, warmed-up server of `kind` on fresh files; returns the load's result, the
 * server's own statistics (the warm-up's group commits included) and its CPU per request of `answered`.
 */
async function against<R>(
  kind: Target,
  { sign, connections, warmUpRequests }: WarmUp & { readonly connections: number },
  load: (url: string, requests: readonly BenchRequest[]) => Promise<R>,
  answered: (result: R) => number,
): Promise<{ result: R } & ServerReport> {
  const dataDir = await mkdtemp(join(tmpdir(), `paypipe-bench-${kind}-`));
  const server = await startServer<{ port: number }>('../gateway/target.ts', [kind, dataDir]);
  const requests = sign();
  try {
    const url = `http://127.0.0.1:${server.ready.port}`;
    if (warmUpRequests > 0) {
      await runChild<CannonResult>('../load/cannon.ts', {
        url,
        connections,
        durationSeconds: 0,
        amount: warmUpRequests,
        requests,
      });
    }
    const before = await readCpu(url);
    const result = await load(url, requests);
    const after = await readCpu(url).finally(() => server.stop());
    return { result, server: await server.stop(), cpuUsPerRequest: cpuPerRequest(before, after, answered(result)) };
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

/**
 * Signs a run's requests. Each run signs its own: a Stripe signature expires 300 s after it was made, and
 * with the warm-ups the whole benchmark takes longer than that (its last runs were answered 401).
 */
type SignRequests = () => readonly BenchRequest[];

/** A run's requests, and how many of them warm its server up first. */
interface WarmUp {
  readonly sign: SignRequests;
  readonly warmUpRequests: number;
}

/** The progress line's CPU part: total, then the threads that spent at least 1 µs per request. */
function cpuLine(cpu: Readonly<Record<string, number>>): string {
  const { total, ...threads } = cpu;
  const parts = Object.entries(threads)
    .filter(([, us]) => us >= 1)
    .map(([name, us]) => `${name} ${us}`);
  return `CPU ${total} µs/request (${parts.join(', ')})`;
}

async function measure(
  kind: Target,
  input: Omit<CannonInput, 'url' | 'requests'> & WarmUp,
  progress: (message: string) => void,
  label: string = kind,
): Promise<GatewayRun> {
  progress(`gateway: ${label} at full speed, ${input.connections} connections, ${input.durationSeconds} s`);
  const { result, ...report } = await against(
    kind,
    input,
    (url, requests) => {
      const { connections, durationSeconds } = input;
      return runChild<CannonResult>('../load/cannon.ts', { url, connections, durationSeconds, requests });
    },
    (answered) => answered.total,
  );
  const { p50, p99 } = result.latencyMs;
  progress(`  ${Math.round(result.requestsPerSecond)} req/s, p50 ${p50} ms, p99 ${p99} ms, non-2xx ${result.non2xx}`);
  progress(`  ${cpuLine(report.cpuUsPerRequest)}`);
  return { ...result, ...report };
}

async function fixedRate(
  kind: Target,
  warmUp: WarmUp,
  input: Omit<DeliveriesInput, 'target'>,
  progress: (message: string) => void,
): Promise<FixedRateRun> {
  progress(`gateway: ${kind} at a fixed ${input.rate} req/s, ${input.count} requests, open loop`);
  const { result, ...report } = await against(
    kind,
    { ...warmUp, connections: input.concurrency },
    (target) => runChild<DeliveriesResult>('../load/deliveries.ts', { ...input, target }),
    (answered) => answered.acknowledged,
  );
  const { p50, p99 } = result.ackLatencyMs;
  progress(`  ${Math.round(result.acknowledgedPerSecond)} req/s, p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms`);
  progress(`  ${cpuLine(report.cpuUsPerRequest)}`);
  return { ...result, ...report };
}

export async function runGatewayBench(options: GatewayBenchOptions): Promise<GatewayBenchResult> {
  const { connections, durationSeconds, warmUpRequests, progress } = options;
  const providers = benchConfig('.paypipe/bench').providers;
  const sign = () => signedRequests(providers);
  const warmUp = { sign, warmUpRequests };
  const input = { connections, durationSeconds, ...warmUp };
  const bare = await measure('bare', input, progress);
  const fastify = await measure('fastify', input, progress);
  const minimal = await measure('minimal', input, progress);
  const gateway = await measure('gateway', input, progress);
  const rate = Math.max(1, Math.round(gateway.requestsPerSecond / 2));
  const count = Math.round(rate * durationSeconds);
  const paced = { rate, count, concurrency: connections, seed: 3 };
  const bareAtFixedRate = await fixedRate('bare', warmUp, paced, progress);
  const minimalAtFixedRate = await fixedRate('minimal', warmUp, paced, progress);
  const gatewayAtFixedRate = await fixedRate('gateway', warmUp, paced, progress);
  const perProvider = {} as Record<ProviderName, GatewayRun>;
  for (const provider of PROVIDERS) {
    const only = () => sign().filter((request) => request.path === `/webhooks/${provider}`);
    perProvider[provider] = await measure('gateway', { ...input, sign: only }, progress, `gateway (${provider} only)`);
  }
  const ratio = gateway.requestsPerSecond / bare.requestsPerSecond;
  const cpuRatio = (bare.cpuUsPerRequest.total ?? 0) / Math.max(1, gateway.cpuUsPerRequest.total ?? 0);
  progress(
    `gateway: ${(cpuRatio * 100).toFixed(0)}% of bare by CPU per request (requests/s: ${(ratio * 100).toFixed(0)}%)`,
  );
  const clean = (result: CannonResult) => result.non2xx === 0 && result.errors === 0;
  return {
    connections,
    durationSeconds,
    requestKinds: sign().length,
    bare,
    fastify,
    minimal,
    gateway,
    ratio,
    cpuRatio,
    fixedRate: rate,
    bareAtFixedRate,
    minimalAtFixedRate,
    gatewayAtFixedRate,
    perProvider,
    goals: {
      // Both ratios: a run where the machine starved the bare server can show 84% by requests/s alone.
      throughput: ratio >= 0.7 && cpuRatio >= 0.7 && clean(gateway),
      p99: gatewayAtFixedRate.ackLatencyMs.p99 < 10 && gatewayAtFixedRate.acknowledged === count,
    },
  };
}
