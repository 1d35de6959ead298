/**
 * The simulator's library entry point: build the calendar world of a seed, plan a run from it, sign and send
 * it to a gateway, and report every delivery with the unified event ids it must produce, and the ground truth
 * of what was sent. Tests (the crash test among them) call this.
 */
import { performance } from 'node:perf_hooks';
import { loadConfig, type ProvidersConfig } from '../config/config.ts';
import { PaypipeError } from '../contracts/errors.ts';
import { PROVIDERS, type ProviderName } from '../contracts/vocabulary.ts';
import { FIXTURES } from './fixtures.ts';
import { type PlannedDelivery, type PlanOptions, planDeliveries } from './plan.ts';
import { createSigners, prepareRequest, type Signers } from './requests.ts';
import { customersFor, planWorld, RUN_DAYS } from './run-world.ts';
import { type DeliveryResult, sendDeliveries } from './sender.ts';
import { type SimulationSummary, summarize, summarizeWorld } from './summary.ts';
import { truthOfPayments } from './truth/sent.ts';
import type { WorldTruth } from './truth/types.ts';
import type { CalendarWorld } from './world/calendar-world.ts';
import type { WorldShares } from './world/shares.ts';

export interface SimulateOptions {
  /** Same seed, same world and same payloads (given the same count, rate and start time). Default 1. */
  readonly seed?: number;
  /** Deliveries per second. */
  readonly rate: number;
  /** How long to send, in seconds (`rate × duration` deliveries); or give `count`. */
  readonly duration?: number;
  /** How many deliveries to send; takes precedence over `duration`. */
  readonly count?: number;
  /** Default: all four. */
  readonly providers?: readonly ProviderName[];
  /** The gateway's base URL. Default http://127.0.0.1:8000. */
  readonly target?: string;
  /** Forged requests per genuine webhook. Default 0.01. */
  readonly forgeryRate?: number;
  /** Share of webhooks delivered twice. Default 0.03. */
  readonly redeliveryRate?: number;
  /** Share of webhooks overtaking the previous webhook of their payment, when it is close. Default 0.05. */
  readonly outOfOrderRate?: number;
  /** Requests in flight at most. Default 64. */
  readonly concurrency?: number;
  /** Per-request timeout. Default 10 s. */
  readonly timeoutMs?: number;
  /** Signing secrets. Default: from the environment (loadConfig). */
  readonly config?: ProvidersConfig;
  /** When the first event happens. Default: now. */
  readonly startAt?: Date;
  /** Cardholders in the world. Default: as many as the run's deliveries need. */
  readonly customers?: number;
  /** Days of world time, laid out over the run. Default 60. */
  readonly days?: number;
  /** Lifecycle shares of the world: providers, manual capture, refunds… */
  readonly shares?: Partial<WorldShares>;
  readonly signal?: AbortSignal;
  /** Called once the world is built, before the first delivery. */
  readonly onSending?: () => void;
  /** Called after every answer. */
  readonly onProgress?: (progress: SimulationProgress) => void;
}

export interface SimulationProgress {
  readonly total: number;
  readonly done: number;
  readonly acknowledged: number;
  readonly rejected: number;
  readonly failed: number;
  readonly elapsedMs: number;
}

export interface SimulationResult {
  /** Every delivery, in the order sent. */
  readonly deliveries: readonly DeliveryResult[];
  readonly summary: SimulationSummary;
  /** The ground truth of the payments sent (and of their customers), apart from the events. */
  readonly truth: WorldTruth;
}

export const DEFAULTS = {
  seed: 1,
  target: 'http://127.0.0.1:8000',
  forgeryRate: 0.01,
  redeliveryRate: 0.03,
  outOfOrderRate: 0.05,
  concurrency: 64,
  timeoutMs: 10_000,
} as const;

function share(name: string, value: number | undefined, fallback: number): number {
  const result = value ?? fallback;
  if (!(result >= 0 && result <= 1)) throw new PaypipeError('PAYPIPE_ERR_USAGE', `${name} must be between 0 and 1`);
  return result;
}

/**
 * Deliveries a run sends at most. Its world is built in memory before the first delivery (about 0.45 KB of
 * heap per delivery, measured at 400,000, and 50 s of building on a 2-core machine), and every result is kept
 * for the summary besides. Far more ran out of heap after minutes of building (10^10: rate 10^9 for 10 s),
 * or failed at once on an array too long (2^53 - 1), with a stack trace either way.
 */
export const MAX_DELIVERIES = 1_000_000;

function checkCount(count: number): void {
  // Infinity too: a rate and a duration whose product overflows.
  if (count > MAX_DELIVERIES) {
    throw new PaypipeError(
      'PAYPIPE_ERR_USAGE',
      `a run sends at most ${MAX_DELIVERIES} deliveries (rate × duration, or count), got ${count}: its world is held in memory; run several, each with its own seed`,
    );
  }
}

/** A world of as many customers as a run of the most deliveries is sized to, about as many webhooks, at most. */
function checkCustomers(options: SimulateOptions, providers: readonly ProviderName[]): void {
  if (options.customers === undefined) return;
  const days = options.days ?? RUN_DAYS;
  const most = customersFor(MAX_DELIVERIES, providers, days, options.shares);
  if (options.customers > most) {
    throw new PaypipeError(
      'PAYPIPE_ERR_USAGE',
      `customers: at most ${most} over ${days} days from ${providers.join(', ')}, got ${options.customers}: the world is held in memory`,
    );
  }
}

/** The plan options of a run, with defaults applied and values checked (PAYPIPE_ERR_USAGE). */
export function planOptions(options: SimulateOptions): PlanOptions & { readonly count: number } {
  if (!(options.rate > 0)) throw new PaypipeError('PAYPIPE_ERR_USAGE', 'rate must be above 0');
  const count = options.count ?? Math.round(options.rate * (options.duration ?? Number.NaN));
  checkCount(count);
  if (!Number.isInteger(count) || count < 0) {
    throw new PaypipeError('PAYPIPE_ERR_USAGE', 'give a duration or a count of deliveries');
  }
  const providers = options.providers ?? PROVIDERS;
  if (providers.length === 0) throw new PaypipeError('PAYPIPE_ERR_USAGE', 'choose at least one provider');
  checkCustomers(options, providers);
  return {
    seed: options.seed ?? DEFAULTS.seed,
    providers,
    rate: options.rate,
    count,
    startAt: options.startAt ?? new Date(),
    redeliveryRate: share('redeliveryRate', options.redeliveryRate, DEFAULTS.redeliveryRate),
    outOfOrderRate: share('outOfOrderRate', options.outOfOrderRate, DEFAULTS.outOfOrderRate),
    forgeryRate: share('forgeryRate', options.forgeryRate, DEFAULTS.forgeryRate),
    ...(options.customers === undefined ? {} : { customers: options.customers }),
    ...(options.days === undefined ? {} : { days: options.days }),
    ...(options.shares ? { shares: options.shares } : {}),
  };
}

/**
 * The first `count` planned deliveries of a run, without sending anything; fewer when the world ends first
 * (only when `customers` makes it smaller than the run).
 */
export function* plannedDeliveries(
  options: PlanOptions & { readonly count: number },
  world: CalendarWorld = planWorld(options),
): Generator<PlannedDelivery> {
  if (options.count === 0) return;
  for (const planned of planDeliveries(options, world)) {
    yield planned;
    if (planned.seq + 1 >= options.count) return;
  }
}

/** Fails early (PAYPIPE_ERR_SIGNING, naming the missing setting) when a chosen provider cannot sign. */
function checkSigning(signers: Signers, providers: readonly ProviderName[]): void {
  for (const provider of providers) {
    const sample = FIXTURES[provider][0];
    if (sample !== undefined) signers.genuine[provider].sign(sample.payload);
  }
}

/** The gateway to send to, refused before anything is sent unless it is an http(s) URL. */
export function checkTarget(target: string): string {
  if (!/^https?:\/\//.test(target) || !URL.canParse(target)) {
    throw new PaypipeError('PAYPIPE_ERR_USAGE', `--target must be an http:// or https:// URL, got "${target}"`);
  }
  return target;
}

export async function simulate(options: SimulateOptions): Promise<SimulationResult> {
  const plan = planOptions(options);
  const signers = createSigners(options.config ?? loadConfig().providers);
  checkSigning(signers, plan.providers);
  const target = checkTarget(options.target ?? DEFAULTS.target);
  const world = planWorld(plan);
  options.onSending?.();
  const started = performance.now();
  const progress = { total: plan.count, done: 0, acknowledged: 0, rejected: 0, failed: 0, elapsedMs: 0 };
  const deliveries = await sendDeliveries(
    plannedDeliveries(plan, world),
    (planned) => prepareRequest(signers, planned, new Date()),
    {
      target,
      concurrency: options.concurrency ?? DEFAULTS.concurrency,
      timeoutMs: options.timeoutMs ?? DEFAULTS.timeoutMs,
      ...(options.signal ? { signal: options.signal } : {}),
      onResult(result) {
        progress.done += 1;
        if (result.status >= 200 && result.status < 300) progress.acknowledged += 1;
        else if (result.status === 0) progress.failed += 1;
        else progress.rejected += 1;
        progress.elapsedMs = performance.now() - started;
        options.onProgress?.({ ...progress });
      },
    },
  );
  const elapsedMs = performance.now() - started;
  const sent = new Set(deliveries.filter((delivery) => !delivery.forged).map((delivery) => delivery.paymentRef));
  const truth = truthOfPayments(world.truth, sent);
  const run = {
    seed: plan.seed,
    target,
    elapsedMs,
    planned: plan.count,
    interrupted: options.signal?.aborted ?? false,
    world: summarizeWorld(world, truth),
  };
  return { deliveries, summary: summarize(deliveries, run), truth };
}
