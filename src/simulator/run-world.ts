/**
 * The calendar world a simulation run sends. Unless told how many customers, it is sized to the run: enough
 * cardholders that their weeks of payments give about as many webhooks as the run delivers, so that a run
 * shows the whole world (paydays, late chargebacks, customers drifting away), not the first days of a
 * larger one. The world's calendar is fixed (from 2026-01-01): the same seed and size give the same world
 * whenever the run starts.
 */
import type { FailureCode, ProviderName } from '../contracts/vocabulary.ts';
import type { PlanOptions } from './plan.ts';
import { createRenderers, type Renderers } from './render/index.ts';
import { type CalendarWorld, createCalendarWorld } from './world/calendar-world.ts';
import { DEFAULT_SHARES, type WorldShares } from './world/shares.ts';

export type Declines = Readonly<Record<ProviderName, readonly FailureCode[]>>;

/** The decline reasons each renderer can express: the world declines with those only. */
export function declinesOf(renderers: Renderers): Declines {
  return {
    stripe: renderers.stripe.declines,
    square: renderers.square.declines,
    adyen: renderers.adyen.declines,
    braintree: renderers.braintree.declines,
  };
}

/** Days of world time in a run's world, by default: two monthly paydays and time for chargebacks to arrive. */
export const RUN_DAYS = 60;

/**
 * Webhooks per customer and day of a 60-day world, by provider: the lower end of seeds 1-3 with 300
 * customers (Stripe sends two webhooks for most steps; Braintree only subscription charges and disputes).
 */
const WEBHOOKS_PER_CUSTOMER_DAY: Readonly<Record<ProviderName, number>> = {
  stripe: 0.71,
  square: 0.6,
  adyen: 0.59,
  braintree: 0.039,
};
/**
 * Churned customers stop paying, so a longer world has fewer webhooks per customer and day (measured: x0.9
 * at 120 days, x0.68 at 365; x1.2 at 7); overestimated here so that the first guess is rather too large.
 */
const FADING_PER_DAY = 0.0015;
/** Headroom of the first guess, so that building the world again is rare. */
const MARGIN = 1.1;
const MIN_CUSTOMERS = 20;
/** A world too quiet for the run is built again, larger; in practice once at most. */
const MAX_BUILDS = 6;

export interface RunWorldOptions {
  readonly seed: number;
  readonly providers: readonly ProviderName[];
  /** Default: as many as `webhooks` needs, the least that give them. */
  readonly customers?: number;
  /** Default RUN_DAYS. */
  readonly days?: number;
  /** The genuine webhooks the run will send. */
  readonly webhooks: number;
  readonly shares?: Partial<WorldShares>;
}

/** A first guess at the cardholders giving `webhooks` genuine webhooks over `days` from these providers. */
export function customersFor(
  webhooks: number,
  providers: readonly ProviderName[],
  days: number,
  shares: Partial<WorldShares> = {},
): number {
  const weights = shares.providers ?? DEFAULT_SHARES.providers;
  let weight = 0;
  let density = 0;
  for (const provider of providers) {
    weight += weights[provider] ?? 1;
    density += (weights[provider] ?? 1) * WEBHOOKS_PER_CUSTOMER_DAY[provider];
  }
  const perCustomerDay = (density / weight) * Math.exp(-FADING_PER_DAY * (days - RUN_DAYS));
  return Math.max(MIN_CUSTOMERS, Math.ceil((webhooks * MARGIN) / (perCustomerDay * days)));
}

/** How many webhooks the renderers make of the world (their count does not depend on the time). */
function webhooksOf(world: CalendarWorld, renderers: Renderers): number {
  const time = new Date(world.startAt);
  return world.steps.reduce((sum, timed) => sum + renderers[timed.payment.provider].render(timed, time).length, 0);
}

/**
 * The run's world, with the renderers' declines. Without `customers`, a few customers' habits would make a
 * guessed world too quiet now and then, and the run would end early: the webhooks are counted, and a world
 * short of them is built again with proportionally more customers.
 */
export function createRunWorld(options: RunWorldOptions): CalendarWorld {
  const days = options.days ?? RUN_DAYS;
  const renderers = createRenderers(options.seed);
  const build = (customers: number) =>
    createCalendarWorld({
      seed: options.seed,
      declines: declinesOf(renderers),
      providers: options.providers,
      days,
      customers,
      ...(options.shares ? { shares: options.shares } : {}),
    });
  if (options.customers !== undefined) return build(options.customers);
  // Redeliveries and forgeries are drawn, so a run may take a few more of the world's webhooks than average.
  const needed = options.webhooks * 1.02 + 10;
  let customers = customersFor(needed, options.providers, days, options.shares);
  let world = build(customers);
  for (let builds = 1; builds < MAX_BUILDS; builds++) {
    const webhooks = webhooksOf(world, renderers);
    if (webhooks >= needed) break;
    customers = Math.ceil((customers * needed * 1.05) / Math.max(1, webhooks)) + 1;
    world = build(customers);
  }
  return world;
}

/** The world a run of `count` deliveries sends: sized for the genuine webhooks among them. */
export function planWorld(options: PlanOptions & { readonly count: number }): CalendarWorld {
  const { seed, providers, customers, days, shares } = options;
  return createRunWorld({
    seed,
    providers,
    webhooks: options.count / (1 + options.redeliveryRate + options.forgeryRate),
    ...(customers === undefined ? {} : { customers }),
    ...(days === undefined ? {} : { days }),
    ...(shares ? { shares } : {}),
  });
}

/** A small world for forgeries: forged payloads only need to look real. Another seed, so never a genuine id. */
export function phantomWorld(options: PlanOptions): CalendarWorld {
  return createRunWorld({
    seed: (options.seed ^ 0x5eed) + 1,
    providers: options.providers,
    customers: 40,
    webhooks: 0,
    ...(options.days === undefined ? {} : { days: options.days }),
  });
}
