/**
 * The calendar world: weeks of payments between cardholders and merchants, with paydays, subscriptions,
 * expiring cards, declines that may recover, fraud scenarios and churn, and its ground truth beside it.
 * Finite, in real calendar time, so that velocity, recency and payday effects mean what they say; its
 * payments are the steps of `model.ts`, which the renderers turn into webhooks. It feeds model training and
 * `paypipe simulate` alike. Seeded and deterministic.
 */
import { PaypipeError } from '../../contracts/errors.ts';
import { type FailureCode, PROVIDERS, type ProviderName } from '../../contracts/vocabulary.ts';
import { createRandom } from '../random.ts';
import { churnedAfter, churnProbability } from '../truth/churn.ts';
import type { ChurnTruth, WorldTruth } from '../truth/types.ts';
import { DAY } from './calendar.ts';
import { type Attempt, buildPayments } from './calendar-payments.ts';
import { DEFAULT_FRAUD_RATES, type FraudRates, planFraud } from './fraud.ts';
import { type GenuineAttempt, initialLife, type LifeContext, type LifeState, liveDay } from './life.ts';
import type { Payment, TimedStep } from './model.ts';
import { type Cardholder, createCardholder, createShops, type Shop } from './people.ts';
import { DEFAULT_SHARES, type WorldShares } from './shares.ts';

export interface CalendarWorldOptions {
  readonly seed: number;
  /** The decline reasons each provider can report (the renderers' `declines`). */
  readonly declines: Readonly<Record<ProviderName, readonly FailureCode[]>>;
  readonly providers?: readonly ProviderName[];
  /** Midnight UTC of the first day. Default 2026-01-01. */
  readonly startAt?: Date;
  /** Length of the run in days. Default 120. */
  readonly days?: number;
  /** Default 2000. */
  readonly customers?: number;
  /** Default 10. */
  readonly merchantsPerProvider?: number;
  readonly fraud?: Partial<FraudRates>;
  /** Lifecycle shares (providers, refunds, manual capture…); declines and disputes come from the world itself. */
  readonly shares?: Partial<WorldShares>;
  /** The churn cutoff: default 30 days before the end, a 30-day window, 64 reruns. */
  readonly churn?: { readonly cutoffDay?: number; readonly windowDays?: number; readonly replicates?: number };
}

export interface CalendarWorld {
  readonly seed: number;
  readonly startAt: Date;
  readonly days: number;
  readonly customers: readonly Cardholder[];
  readonly merchants: readonly Shop[];
  /** In `seq` order, which is the order of their first step. */
  readonly payments: readonly Payment[];
  /** Every step within the run, in time order; `at` is milliseconds after `startAt`. */
  readonly steps: readonly TimedStep[];
  readonly truth: WorldTruth;
}

/** Throws PAYPIPE_ERR_USAGE, naming the option, unless `value` is a whole number from `min` to `max`. */
function whole(name: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new PaypipeError('PAYPIPE_ERR_USAGE', `${name} must be a whole number from ${min} to ${max}, got ${value}`);
  }
  return value;
}

export function createCalendarWorld(options: CalendarWorldOptions): CalendarWorld {
  const startAt = options.startAt ?? new Date('2026-01-01T00:00:00.000Z');
  const start = startAt.getTime();
  if (!Number.isFinite(start)) throw new PaypipeError('PAYPIPE_ERR_USAGE', 'startAt must be a valid date');
  const days = whole('days', options.days ?? 120, 2);
  const providers = options.providers ?? PROVIDERS;
  if (providers.length === 0) throw new PaypipeError('PAYPIPE_ERR_USAGE', 'choose at least one provider');
  const shares = { ...DEFAULT_SHARES, ...options.shares };
  const root = createRandom(options.seed);
  const merchants = createShops(
    root.fork(1),
    providers,
    whole('merchantsPerProvider', options.merchantsPerProvider ?? 10, 1),
  );
  const people = root.fork(2);
  const weights: Partial<Record<ProviderName, number>> = {};
  for (const provider of providers) weights[provider] = shares.providers[provider] ?? 1;
  const customers = Array.from({ length: whole('customers', options.customers ?? 2000, 1) }, (_, index) =>
    createCardholder(people, { index, provider: people.weighted(weights), shops: merchants, startAt: start, days }),
  );
  const fraud = planFraud(
    root.fork(3),
    customers,
    merchants,
    { startAt: start, days },
    { ...DEFAULT_FRAUD_RATES, ...options.fraud },
    (customer) => options.declines[customer.provider],
  );
  const windowDays = whole('churn.windowDays', options.churn?.windowDays ?? 30, 1);
  const window = {
    cutoffDay: whole('churn.cutoffDay', options.churn?.cutoffDay ?? Math.max(1, days - windowDays), 1, days - 1),
    windowDays,
    replicates: whole('churn.replicates', options.churn?.replicates ?? 64, 1),
  };
  const cutoff = start + window.cutoffDay * DAY;
  const attempts: Attempt[] = [];
  const churn: ChurnTruth[] = [];
  customers.forEach((customer, index) => {
    const context: LifeContext = {
      startAt: start,
      blocks: fraud.blocks.get(customer.id) ?? [],
      declines: options.declines[customer.provider],
    };
    const random = root.fork(1000 + index);
    const state = initialLife();
    const own: GenuineAttempt[] = [];
    let atCutoff: LifeState | null = null;
    for (let day = 0; day < days; day++) {
      if (day === window.cutoffDay) atCutoff = { ...state };
      own.push(...liveDay(customer, state, day, context, random));
    }
    for (const attempt of own) attempts.push({ ...attempt, customer, actor: 'customer', scenario: null });
    if (atCutoff === null || customer.joinDay >= window.cutoffDay) return;
    churn.push({
      customer_ref: customer.id,
      provider: customer.provider,
      cutoff: new Date(cutoff).toISOString(),
      window_days: window.windowDays,
      churn_probability: churnProbability(customer, atCutoff, context, window, (options.seed * 7919 + index) | 0),
      churned: churnedAfter(own, cutoff, window.windowDays),
      stopped_at: state.stoppedAt === null ? null : new Date(state.stoppedAt).toISOString(),
    });
  });
  for (const attempt of fraud.attempts) {
    attempts.push({ ...attempt, customer: attempt.victim, actor: 'fraudster', amountRatio: 1, recurring: false });
  }
  const built = buildPayments(root.fork(4), shares, attempts, { start, end: start + days * DAY });
  return {
    seed: options.seed,
    startAt,
    days,
    customers,
    merchants,
    payments: built.payments,
    steps: built.steps,
    truth: { fraud: built.fraud, retry: built.retry, churn },
  };
}
