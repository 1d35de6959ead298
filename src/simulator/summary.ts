/** The closing summary of a run: what was sent, how the gateway answered, and what it must now hold. */
import { PROVIDERS, type ProviderName } from '../contracts/vocabulary.ts';
import type { DeliveryResult } from './sender.ts';
import type { WorldTruth } from './truth/types.ts';
import { DAY } from './world/calendar.ts';
import type { CalendarWorld } from './world/calendar-world.ts';

/** The world a run came from, and how much of it was sent. */
export interface WorldSummary {
  readonly customers: number;
  readonly days: number;
  /** The first day of world time (world time orders the events; their timestamps follow the delivery pace). */
  readonly startAt: string;
  readonly payments: number;
  /** Payments at least one genuine webhook of which was sent, and what they were. */
  readonly paymentsSent: number;
  readonly declined: number;
  readonly byFraudsters: number;
  readonly reportedAsFraud: number;
  /** The world day (from 1) of the last payment sent. */
  readonly throughDay: number;
}

export interface SimulationSummary {
  readonly seed: number;
  readonly target: string;
  readonly elapsedMs: number;
  /** Deliveries the run was to send: more than `sent` when it was interrupted, or its world ran out first. */
  readonly planned: number;
  /** Stopped (SIGINT, SIGTERM) before it had sent what it was to send. */
  readonly interrupted: boolean;
  readonly sent: number;
  /** Deliveries per second actually achieved. */
  readonly rate: number;
  readonly sentByProvider: Readonly<Record<ProviderName, number>>;
  readonly redeliveries: number;
  readonly outOfOrder: number;
  readonly forged: number;
  /** Answers grouped: `2xx`, `401` (expected for forgeries), `other` HTTP statuses, `none` (no answer). */
  readonly answers: { readonly '2xx': number; readonly '401': number; readonly other: number; readonly none: number };
  /** Every status seen, with its count (`0` for no answer). */
  readonly statuses: Readonly<Record<string, number>>;
  /** Forgeries answered 401, as they must be. */
  readonly forgeriesRejected: number;
  /** Genuine deliveries not acknowledged (the pipeline was down, full, or disagreed). */
  readonly genuineNotAcknowledged: number;
  readonly latencyMs: { readonly p50: number; readonly p99: number; readonly max: number };
  /** Distinct unified events of acknowledged genuine deliveries: what the pipeline must end up storing. */
  readonly expectedStoredEvents: number;
  readonly world?: WorldSummary;
}

/** The nearest-rank percentile of sorted values; 0 for none. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}

const round = (value: number) => Math.round(value * 100) / 100;

/** `world` and the truth of the payments a run sent, counted. */
export function summarizeWorld(world: CalendarWorld, sent: WorldTruth): WorldSummary {
  const last = sent.fraud.reduce((latest, record) => Math.max(latest, Date.parse(record.at)), world.startAt.getTime());
  return {
    customers: world.customers.length,
    days: world.days,
    startAt: world.startAt.toISOString().slice(0, 10),
    payments: world.payments.length,
    paymentsSent: sent.fraud.length,
    declined: sent.fraud.filter((record) => !record.approved).length,
    byFraudsters: sent.fraud.filter((record) => record.actor === 'fraudster').length,
    reportedAsFraud: sent.fraud.filter((record) => record.fraud).length,
    throughDay: Math.floor((last - world.startAt.getTime()) / DAY) + 1,
  };
}

/** A run as summarize needs it: `planned` defaults to what was sent, `interrupted` to false. */
export interface SummarizedRun {
  readonly seed: number;
  readonly target: string;
  readonly elapsedMs: number;
  readonly planned?: number;
  readonly interrupted?: boolean;
  readonly world?: WorldSummary;
}

export function summarize(results: readonly DeliveryResult[], run: SummarizedRun): SimulationSummary {
  const sentByProvider = Object.fromEntries(PROVIDERS.map((name) => [name, 0])) as Record<ProviderName, number>;
  const statuses: Record<string, number> = {};
  const answers = { '2xx': 0, '401': 0, other: 0, none: 0 };
  const stored = new Set<string>();
  let forgeriesRejected = 0;
  let genuineNotAcknowledged = 0;
  for (const result of results) {
    sentByProvider[result.provider] += 1;
    statuses[result.status] = (statuses[result.status] ?? 0) + 1;
    const ok = result.status >= 200 && result.status < 300;
    if (ok) answers['2xx'] += 1;
    else if (result.status === 401) answers['401'] += 1;
    else if (result.status === 0) answers.none += 1;
    else answers.other += 1;
    if (result.forged && result.status === 401) forgeriesRejected += 1;
    if (!result.forged && !ok) genuineNotAcknowledged += 1;
    if (!result.forged && ok) for (const id of result.eventIds) stored.add(id);
  }
  const latencies = results.filter((result) => result.status !== 0).map((result) => result.latencyMs);
  latencies.sort((a, b) => a - b);
  return {
    ...run,
    planned: run.planned ?? results.length,
    interrupted: run.interrupted ?? false,
    sent: results.length,
    rate: run.elapsedMs > 0 ? round((results.length * 1000) / run.elapsedMs) : 0,
    sentByProvider,
    redeliveries: results.filter((result) => result.kind === 'redelivery').length,
    outOfOrder: results.filter((result) => result.outOfOrder).length,
    forged: results.filter((result) => result.forged).length,
    answers,
    statuses,
    forgeriesRejected,
    genuineNotAcknowledged,
    latencyMs: {
      p50: round(percentile(latencies, 50)),
      p99: round(percentile(latencies, 99)),
      max: round(latencies.at(-1) ?? 0),
    },
    expectedStoredEvents: stored.size,
  };
}

/** The summary as a few readable lines. */
export function formatSummary(summary: SimulationSummary): string {
  const providers = Object.entries(summary.sentByProvider)
    .filter(([, count]) => count > 0)
    .map(([name, count]) => `${name} ${count}`)
    .join(', ');
  const { answers, latencyMs, world } = summary;
  return [
    `sent ${summary.sent} webhooks to ${summary.target} in ${(summary.elapsedMs / 1000).toFixed(1)} s (${summary.rate}/s, seed ${summary.seed})`,
    ...(summary.interrupted
      ? [`  cut short (interrupted): ${summary.sent} of the ${summary.planned} planned deliveries sent`]
      : []),
    ...(world === undefined
      ? []
      : [
          `  from a world of ${world.customers} customers over ${world.days} days from ${world.startAt}: ` +
            `${world.paymentsSent} of its ${world.payments} payments sent (through day ${world.throughDay})`,
          `  of those: ${world.declined} declined, ${world.byFraudsters} by fraudsters, ${world.reportedAsFraud} reported as fraud`,
        ]),
    `  by provider: ${providers || 'none'}`,
    `  redeliveries ${summary.redeliveries}, out of order ${summary.outOfOrder}, forged ${summary.forged}`,
    `  answers: 2xx ${answers['2xx']}, 401 ${answers['401']} (forgeries rejected ${summary.forgeriesRejected}/${summary.forged}), other ${answers.other}, no answer ${answers.none}`,
    `  latency: p50 ${latencyMs.p50} ms, p99 ${latencyMs.p99} ms, max ${latencyMs.max} ms`,
    `  the pipeline should store ${summary.expectedStoredEvents} distinct payment events` +
      (summary.genuineNotAcknowledged > 0
        ? ` (${summary.genuineNotAcknowledged} genuine webhooks not acknowledged)`
        : ''),
  ].join('\n');
}
