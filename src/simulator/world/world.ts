/**
 * The seeded world: a population, and an endless stream of payment steps in world-time order. Payments
 * start as a Poisson process; their later steps (captures, refunds, disputes) interleave with the steps of
 * payments that started after them, as they do in real traffic.
 */
import type { FailureCode, ProviderName } from '../../contracts/vocabulary.ts';
import { createRandom } from '../random.ts';
import { createHeap } from './heap.ts';
import { createPayment } from './lifecycle.ts';
import type { TimedStep } from './model.ts';
import { createPopulation, type Population } from './population.ts';
import { DEFAULT_SHARES, type WorldShares } from './shares.ts';

export interface WorldOptions {
  readonly seed: number;
  /** The providers payments go through (at least one). */
  readonly providers: readonly ProviderName[];
  /** The decline reasons each provider can report. */
  readonly declines: Readonly<Record<ProviderName, readonly FailureCode[]>>;
  /** How many payments start per world second, on average. */
  readonly paymentsPerSecond: number;
  readonly shares?: Partial<WorldShares>;
  readonly customers?: number;
  readonly merchants?: number;
}

export interface World {
  readonly population: Population;
  readonly shares: WorldShares;
  /** Every step of every payment, in world-time order, without end. */
  steps(): Generator<TimedStep, never>;
}

const earlier = (a: TimedStep, b: TimedStep) =>
  a.at !== b.at ? a.at < b.at : a.payment.seq !== b.payment.seq ? a.payment.seq < b.payment.seq : a.index < b.index;

export function createWorld(options: WorldOptions): World {
  const shares = { ...DEFAULT_SHARES, ...options.shares };
  const weights: Partial<Record<ProviderName, number>> = {};
  for (const provider of options.providers) weights[provider] = shares.providers[provider] ?? 1;
  const root = createRandom(options.seed);
  // Separate streams: growing the population must not change the payments, and the reverse.
  const population = createPopulation(root.fork(1), weights, {
    customers: options.customers ?? 500,
    merchants: options.merchants ?? 12,
  });
  return {
    population,
    shares,
    *steps() {
      const random = root.fork(2);
      const pending = createHeap(earlier);
      const meanGap = 1000 / options.paymentsPerSecond;
      let seq = 0;
      let next = 0;
      for (;;) {
        const head = pending.peek();
        if (head !== undefined && head.at <= next) {
          yield pending.pop() as TimedStep;
          continue;
        }
        seq += 1;
        const customer = random.pick(population.customers);
        const payment = createPayment(random, shares, {
          seq,
          at: Math.round(next),
          customer,
          merchant: random.pick(population.merchants),
          provider: customer.provider,
          declines: options.declines[customer.provider],
        });
        for (const step of payment.steps) pending.push(step);
        next += random.exponential(meanGap);
      }
    },
  };
}
