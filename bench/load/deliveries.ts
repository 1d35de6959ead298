/**
 * The paced load generator (the pipeline benchmark, and the gateway's fixed-rate run), in its own process.
 * An open loop: request i leaves at i / rate whatever the answers, unlike autocannon's per-second quota,
 * which fires each second's requests in one burst and then pads the latency histogram for the gap.
 * The simulator's world (distinct
 * payments, realistic event mix over the four providers, no redeliveries or forgeries, so every webhook
 * must become stored rows), every request signed BEFORE the clock starts so that signing does not steal
 * the shared CPU from the pipeline, then sent by the simulator's paced keep-alive sender at `rate`.
 * Prints one JSON line.
 */
import { PROVIDERS } from '../../src/contracts/vocabulary.ts';
import { createSigners, type PreparedRequest, prepareRequest } from '../../src/simulator/requests.ts';
import { sendDeliveries } from '../../src/simulator/sender.ts';
import { plannedDeliveries } from '../../src/simulator/simulate.ts';
import { percentile } from '../../src/simulator/summary.ts';
import { readInput } from '../shared/child.ts';
import { benchConfig } from '../shared/config.ts';

export interface DeliveriesInput {
  readonly target: string;
  /** Deliveries per second; above what the pipeline takes, the sender waits for free slots. */
  readonly rate: number;
  readonly count: number;
  readonly concurrency: number;
  readonly seed: number;
}

export interface DeliveriesResult {
  readonly sent: number;
  readonly acknowledged: number;
  /** Unified events the acknowledged webhooks must produce. */
  readonly expectedEvents: number;
  readonly durationMs: number;
  readonly acknowledgedPerSecond: number;
  /**
   * This process's CPU per request sent, while sending (signing excluded): what the load generator takes
   * from the two cores it shares with the server it measures.
   */
  readonly senderCpuUsPerRequest: number;
  /** From sending a request to the end of its answer (the gateway answers once the record is durable). */
  readonly ackLatencyMs: { readonly p50: number; readonly p90: number; readonly p99: number; readonly max: number };
}

const input = await readInput<DeliveriesInput>();
const now = new Date();
// World times end before now, so no event looks as if it happened after the gateway received it.
const startAt = new Date(now.getTime() - 60_000 - (input.count / input.rate) * 1000);
const planned = [
  ...plannedDeliveries({
    seed: input.seed,
    providers: PROVIDERS,
    rate: input.rate,
    count: input.count,
    startAt,
    redeliveryRate: 0,
    outOfOrderRate: 0,
    forgeryRate: 0,
  }),
];
const signers = createSigners(benchConfig('.paypipe/bench').providers);
const prepared: PreparedRequest[] = planned.map((delivery) => prepareRequest(signers, delivery, now));
const started = performance.now();
const cpuBefore = process.cpuUsage();
const results = await sendDeliveries(planned, (delivery) => prepared[delivery.seq] as PreparedRequest, {
  target: input.target,
  concurrency: input.concurrency,
  timeoutMs: 30_000,
});
const durationMs = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
const acknowledged = results.filter((result) => result.status >= 200 && result.status < 300);
const latencies = acknowledged.map((result) => result.latencyMs).sort((a, b) => a - b);
const output: DeliveriesResult = {
  sent: results.length,
  acknowledged: acknowledged.length,
  expectedEvents: acknowledged.reduce((sum, result) => sum + result.eventIds.length, 0),
  durationMs,
  acknowledgedPerSecond: (acknowledged.length / durationMs) * 1000,
  senderCpuUsPerRequest: Math.round((cpu.user + cpu.system) / Math.max(1, results.length)),
  ackLatencyMs: {
    p50: percentile(latencies, 50),
    p90: percentile(latencies, 90),
    p99: percentile(latencies, 99),
    max: latencies.at(-1) ?? 0,
  },
};
process.stdout.write(`${JSON.stringify(output)}\n`);
