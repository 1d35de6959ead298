/**
 * `make bench`: the gateway and pipeline benchmarks (bench/README.md), with progress on stderr, JSON results
 * and an SVG chart in bench/results/, and a closing summary on stdout.
 * Usage: node bench/run.ts [gateway|pipeline|scoring|all]; sizes from BENCH_* variables (see README).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { type Bar, renderChart } from './chart.ts';
import { type GatewayBenchResult, runGatewayBench } from './gateway/run.ts';
import { type PipelineBenchResult, runPipelineBench } from './pipeline/run.ts';
import { runScoringBench, type ScoringBenchResult } from './scoring/run.ts';
import { scoringBars, scoringLines } from './scoring/summary.ts';
import { type BenchSettings, readBenchSettings } from './shared/settings.ts';

const BENCHMARKS = ['gateway', 'pipeline', 'scoring', 'all'];

function refuse(message: string): never {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(64);
}

/** A misspelt name is refused: it used to run no benchmark at all and exit 0. */
function benchmarkOrExit(): string {
  const which = process.argv[2] ?? 'all';
  if (!BENCHMARKS.includes(which)) refuse(`no benchmark "${which}"; one of ${BENCHMARKS.join(', ')}`);
  return which;
}
/** Every size is checked before any benchmark starts: a bad one is refused, not run at its default. */
function settingsOrExit(): BenchSettings {
  try {
    return readBenchSettings(process.env);
  } catch (error) {
    refuse((error as Error).message);
  }
}
const which = benchmarkOrExit();
const settings = settingsOrExit();
const progress = (message: string): void => {
  process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${message}\n`);
};
const results = new URL('./results/', import.meta.url);
await mkdir(results, { recursive: true });
const machine = { cpus: cpus().length, node: process.version, date: new Date().toISOString() };

let gateway: GatewayBenchResult | undefined;
let pipeline: PipelineBenchResult | undefined;
if (which === 'all' || which === 'gateway') {
  gateway = await runGatewayBench({
    connections: settings.connections,
    durationSeconds: settings.durationSeconds,
    warmUpRequests: settings.warmUpRequests,
    progress,
  });
  await writeFile(new URL('gateway.json', results), `${JSON.stringify({ machine, ...gateway }, null, 2)}\n`);
}
if (which === 'all' || which === 'pipeline') {
  pipeline = await runPipelineBench({
    sustainedCount: settings.pipelineCount,
    fixedRate: settings.pipelineRate,
    fixedSeconds: settings.pipelineSeconds,
    concurrency: settings.pipelineConcurrency,
    ...(settings.postgresUrl === undefined ? {} : { postgresUrl: settings.postgresUrl }),
    progress,
  });
  await writeFile(new URL('pipeline.json', results), `${JSON.stringify({ machine, ...pipeline }, null, 2)}\n`);
}
let scoring: ScoringBenchResult | undefined;
if (which === 'all' || which === 'scoring') {
  scoring = await runScoringBench({
    seed: 2027,
    customers: settings.scoringCustomers,
    days: settings.scoringDays,
    events: settings.scoringEvents,
    progress,
  });
  await writeFile(new URL('scoring.json', results), `${JSON.stringify({ machine, ...scoring }, null, 2)}\n`);
}

const status = (met: boolean) => (met ? 'met' : 'missed');
const bars: Bar[] = [];
const lines: string[] = [];
if (gateway) {
  const { bare, gatewayAtFixedRate: fixed, goals } = gateway;
  bars.push(
    { panel: 'gateway requests/s', label: 'bare node:http', value: bare.requestsPerSecond, status: 'baseline' },
    {
      panel: 'gateway requests/s',
      label: 'bare Fastify',
      value: gateway.fastify.requestsPerSecond,
      status: 'baseline',
    },
    {
      panel: 'gateway requests/s',
      label: 'minimal receiver',
      value: gateway.minimal.requestsPerSecond,
      status: 'baseline',
    },
    {
      panel: 'gateway requests/s',
      label: 'gateway',
      value: gateway.gateway.requestsPerSecond,
      status: status(goals.throughput),
    },
  );
  lines.push(
    `gateway  ${Math.round(gateway.gateway.requestsPerSecond)} req/s vs bare ${Math.round(bare.requestsPerSecond)} req/s ` +
      `= ${(gateway.ratio * 100).toFixed(0)}%, by CPU per request ${(gateway.cpuRatio * 100).toFixed(0)}% ` +
      `(goal ≥ 70%: ${status(goals.throughput)}); ` +
      `bare Fastify ${Math.round(gateway.fastify.requestsPerSecond)} req/s`,
    `gateway  p99 ${fixed.ackLatencyMs.p99.toFixed(1)} ms at ${gateway.fixedRate} req/s (goal < 10 ms: ${status(goals.p99)}); ` +
      `at the same rate bare p99 ${gateway.bareAtFixedRate.ackLatencyMs.p99.toFixed(1)} ms, ` +
      `minimal verify + group commit p99 ${gateway.minimalAtFixedRate.ackLatencyMs.p99.toFixed(1)} ms`,
    `gateway  minimal verify + group commit: ${Math.round(gateway.minimal.requestsPerSecond)} req/s ` +
      `(${((gateway.minimal.requestsPerSecond / bare.requestsPerSecond) * 100).toFixed(0)}% of bare; ` +
      `CPU ${gateway.minimal.cpuUsPerRequest.total} µs/request, gateway ${gateway.gateway.cpuUsPerRequest.total})`,
    ...Object.entries(gateway.perProvider).map(
      ([provider, run]) =>
        `gateway  ${provider} only: ${Math.round(run.requestsPerSecond)} req/s ` +
        `(${((run.requestsPerSecond / bare.requestsPerSecond) * 100).toFixed(0)}% of bare)`,
    ),
  );
  for (const [provider, run] of Object.entries(gateway.perProvider)) {
    bars.push({ panel: 'gateway requests/s', label: provider, value: run.requestsPerSecond, status: 'breakdown' });
  }
}
if (pipeline) {
  const { sustained, fixed, minimal, goals } = pipeline;
  bars.push(
    {
      panel: 'pipeline events/s stored',
      label: 'minimal prototype',
      value: minimal.stored.eventsPerSecond,
      status: 'baseline',
    },
    {
      panel: 'pipeline events/s stored',
      label: 'paypipe, sustained',
      value: sustained.stored.eventsPerSecond,
      status: status(goals.throughput),
    },
  );
  lines.push(
    `pipeline ${Math.round(sustained.stored.eventsPerSecond)} events/s stored, ` +
      `${sustained.stored.stored}/${sustained.load.expectedEvents} (goal ≥ 3000: ${status(goals.throughput)})`,
    `pipeline webhook→stored p50 ${fixed.stored.latencyMs.p50} ms, p99 ${fixed.stored.latencyMs.p99} ms at ` +
      `${fixed.requestedRate}/s (goal p99 < 100 ms: ${status(goals.p99)})`,
    `pipeline minimal prototype (naive scoring): ${Math.round(minimal.stored.eventsPerSecond)} events/s stored, ` +
      `${minimal.stored.stored}/${minimal.load.expectedEvents}; paypipe is ${(pipeline.ratioToMinimal * 100).toFixed(0)}% ` +
      `of it (CPU ${minimal.cpuPerEventUs.total} µs/event, paypipe ${sustained.cpuPerEventUs.total})`,
  );
  if (pipeline.postgres) {
    const onPostgres = pipeline.postgres;
    bars.push({
      panel: 'pipeline events/s stored',
      label: 'paypipe, PostgreSQL store',
      value: onPostgres.sustained.stored.eventsPerSecond,
      status: 'breakdown',
    });
    lines.push(
      `pipeline on PostgreSQL: ${Math.round(onPostgres.sustained.stored.eventsPerSecond)} events/s stored, ` +
        `${onPostgres.sustained.stored.stored}/${onPostgres.sustained.load.expectedEvents}, ` +
        `CPU ${onPostgres.sustained.cpuPerEventUs.total} µs/event (server ${onPostgres.sustained.cpuPerEventUs.postgres}); ` +
        `at ${onPostgres.fixed.requestedRate}/s p50 ${onPostgres.fixed.stored.latencyMs.p50} ms, ` +
        `p99 ${onPostgres.fixed.stored.latencyMs.p99} ms`,
    );
  }
}
if (bars.length > 0) {
  const svg = await renderChart(bars, `paypipe benchmarks, ${machine.cpus} CPUs, ${machine.date.slice(0, 10)}`);
  await writeFile(new URL('bench.svg', results), svg);
}
if (scoring) {
  lines.push(...scoringLines(scoring));
  const title = `paypipe scoring latency, one call at a time, ${machine.cpus} CPUs, ${machine.date.slice(0, 10)}`;
  await writeFile(new URL('scoring.svg', results), await renderChart(scoringBars(scoring), title, 'milliseconds'));
}
process.stdout.write(`\n${lines.join('\n')}\nresults: bench/results/ (JSON, bench.svg, scoring.svg)\n`);
