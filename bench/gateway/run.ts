/**
 * The gateway benchmark (issue 3): verified, durably logged requests/s against a bare `node:http` server,
 * in the same run, with the same client (autocannon in its own process) and the same connection count.
 * 1. saturation: bare, a bare Fastify route, then the gateway, as fast as each answers; the ratio to bare is
 *    the goal's 70%, the ratio to Fastify shows how much of the gap is the framework;
 * 2. fixed rate: the gateway at half its own measured throughput; the goal is p99 under 10 ms. This run
 *    uses the paced open-loop sender (bench/load/deliveries.ts): autocannon's rate limit sends in bursts.
 * 3. A/B: both again with the log's group commits on the main thread instead of the writer thread;
 * 4. per provider: the gateway on one provider's requests at a time, to show where the cost is.
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
import { type BenchRequest, signedRequests } from './requests.ts';

export interface GatewayBenchOptions {
  readonly connections: number;
  readonly durationSeconds: number;
  readonly progress: (message: string) => void;
}

/** One load run, with what the server reported about itself (the gateway: its group commits). */
export interface GatewayRun extends CannonResult {
  readonly server: unknown;
}

/** The servers of bench/gateway/target.ts. */
type Target = 'bare' | 'fastify' | 'gateway' | 'gateway-main-writer';

export type FixedRateRun = DeliveriesResult & { readonly server: unknown };

export interface GatewayBenchResult {
  readonly connections: number;
  readonly durationSeconds: number;
  /** Distinct signed requests the client cycles through (every payment fixture of every provider). */
  readonly requestKinds: number;
  readonly bare: GatewayRun;
  /** A Fastify route that reads the raw body and answers 200: the framework alone. */
  readonly fastify: GatewayRun;
  readonly gateway: GatewayRun;
  /** gateway ÷ bare requests/s. Goal: at least 0.7. */
  readonly ratio: number;
  /** The fixed rate of the latency run: half the gateway's measured requests/s. */
  readonly fixedRate: number;
  /** The bare server at the same fixed rate: the latency floor of this machine and client. */
  readonly bareAtFixedRate: FixedRateRun;
  readonly gatewayAtFixedRate: FixedRateRun;
  /** A/B of the writer thread: the same gateway with the log's group commits on the main thread. */
  readonly mainWriter: GatewayRun;
  readonly mainWriterAtFixedRate: FixedRateRun;
  /** The gateway at full speed on one provider's requests only. */
  readonly perProvider: Readonly<Record<ProviderName, GatewayRun>>;
  readonly goals: { readonly throughput: boolean; readonly p99: boolean };
}

/** Seconds of unmeasured load before each run: the first requests compile code, not measure it. */
const WARM_UP_SECONDS = 2;

/**
 * Runs `load` against a fresh, warmed-up server of `kind` on fresh files; returns the load's result and the
 * server's own statistics (the warm-up's group commits included).
 */
async function against<R>(
  kind: Target,
  requests: readonly BenchRequest[],
  load: (url: string) => Promise<R>,
): Promise<{ result: R; server: unknown }> {
  const dataDir = await mkdtemp(join(tmpdir(), `paypipe-bench-${kind}-`));
  const server = await startServer<{ port: number }>('../gateway/target.ts', [kind, dataDir]);
  try {
    const url = `http://127.0.0.1:${server.ready.port}`;
    await runChild<CannonResult>('../load/cannon.ts', {
      url,
      connections: 8,
      durationSeconds: WARM_UP_SECONDS,
      requests,
    });
    const result = await load(url).finally(() => server.stop());
    return { result, server: await server.stop() };
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function measure(
  kind: Target,
  input: Omit<CannonInput, 'url'>,
  progress: (message: string) => void,
  label: string = kind,
): Promise<GatewayRun> {
  progress(`gateway: ${label} at full speed, ${input.connections} connections, ${input.durationSeconds} s`);
  const { result, server } = await against(kind, input.requests, (url) =>
    runChild<CannonResult>('../load/cannon.ts', { ...input, url }),
  );
  const { p50, p99 } = result.latencyMs;
  progress(`  ${Math.round(result.requestsPerSecond)} req/s, p50 ${p50} ms, p99 ${p99} ms, non-2xx ${result.non2xx}`);
  return { ...result, server };
}

async function fixedRate(
  kind: Target,
  requests: readonly BenchRequest[],
  input: Omit<DeliveriesInput, 'target'>,
  progress: (message: string) => void,
): Promise<FixedRateRun> {
  progress(`gateway: ${kind} at a fixed ${input.rate} req/s, ${input.count} requests, open loop`);
  const { result, server } = await against(kind, requests, (target) =>
    runChild<DeliveriesResult>('../load/deliveries.ts', { ...input, target }),
  );
  const { p50, p99 } = result.ackLatencyMs;
  progress(`  ${Math.round(result.acknowledgedPerSecond)} req/s, p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms`);
  return { ...result, server };
}

export async function runGatewayBench(options: GatewayBenchOptions): Promise<GatewayBenchResult> {
  const { connections, durationSeconds, progress } = options;
  const requests = signedRequests(benchConfig('.paypipe/bench').providers);
  const input = { connections, durationSeconds, requests };
  const bare = await measure('bare', input, progress);
  const fastify = await measure('fastify', input, progress);
  const gateway = await measure('gateway', input, progress);
  const rate = Math.max(1, Math.round(gateway.requestsPerSecond / 2));
  const count = Math.round(rate * durationSeconds);
  const paced = { rate, count, concurrency: connections, seed: 3 };
  const bareAtFixedRate = await fixedRate('bare', requests, paced, progress);
  const gatewayAtFixedRate = await fixedRate('gateway', requests, paced, progress);
  const mainWriter = await measure('gateway-main-writer', input, progress);
  const mainWriterAtFixedRate = await fixedRate('gateway-main-writer', requests, paced, progress);
  const perProvider = {} as Record<ProviderName, GatewayRun>;
  for (const provider of PROVIDERS) {
    const only = requests.filter((request) => request.path === `/webhooks/${provider}`);
    perProvider[provider] = await measure(
      'gateway',
      { ...input, requests: only },
      progress,
      `gateway (${provider} only)`,
    );
  }
  const ratio = gateway.requestsPerSecond / bare.requestsPerSecond;
  const clean = (result: CannonResult) => result.non2xx === 0 && result.errors === 0;
  return {
    connections,
    durationSeconds,
    requestKinds: requests.length,
    bare,
    fastify,
    gateway,
    ratio,
    fixedRate: rate,
    bareAtFixedRate,
    gatewayAtFixedRate,
    mainWriter,
    mainWriterAtFixedRate,
    perProvider,
    goals: {
      throughput: ratio >= 0.7 && clean(gateway),
      p99: gatewayAtFixedRate.ackLatencyMs.p99 < 10 && gatewayAtFixedRate.acknowledged === count,
    },
  };
}
