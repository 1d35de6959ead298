/**
 * The calendar world's population: cardholders with habits and paydays, and merchants with a category, a
 * country and a provider. Both extend `Customer` and `Merchant` of `model.ts`, so the renderers take them as is.
 * Customer profiles follow the Fraud-Detection-Handbook simulator (a spending rate, an amount
 * distribution, a set of usual merchants near home), with paydays, subscriptions and cards added.
 */
import type { ProviderName } from '../../contracts/vocabulary.ts';
import type { Random } from '../random.ts';
import { CAPABILITIES } from './capabilities.ts';
import { type Category, COUNTRY_OF_CURRENCY, categoryWeights } from './geography.ts';
import type { Customer, Merchant } from './model.ts';

/** Paid once a month on `days[0]`, or twice (semi-monthly) on both days. Days past a month's end fall on its last day. */
export interface PaydayCycle {
  readonly days: readonly number[];
}

export interface Shop extends Merchant {
  readonly category: Category;
  readonly country: string;
  readonly currency: string;
  readonly provider: ProviderName;
}

export interface Cardholder extends Customer {
  readonly homeCountry: string;
  /** The issuing country of the card (its BIN); a few cards are issued abroad. */
  readonly binCountry: string;
  /** Epoch ms after which the first card is refused as expired, until the customer updates it. */
  readonly cardExpiresAt: number;
  /**
   * Days after expiry before the customer gives the stored-card merchants (subscriptions) the new card;
   * null when they never do. One-off purchases use the new card once it arrives (within ten days).
   */
  readonly cardUpdateDays: number | null;
  /** Median purchase in US dollars, and the spread of the log-normal amounts around it. */
  readonly medianUsd: number;
  readonly amountSigma: number;
  /** Purchases per week, on average, while engaged. */
  readonly perWeek: number;
  /** The hour (UTC) the customer usually shops around. */
  readonly usualHour: number;
  readonly payday: PaydayCycle;
  /** 0..1: how often the customer runs short of money before payday. */
  readonly fragility: number;
  /** A monthly charge on `day`, or null for a one-off buyer. */
  readonly subscription: { readonly shop: Shop; readonly usd: number; readonly day: number } | null;
  /** The merchants the customer usually buys from (same provider, mostly home country). */
  readonly usualShops: readonly Shop[];
  /** Every merchant of the customer's provider, for the occasional purchase elsewhere (maybe abroad). */
  readonly providerShops: readonly Shop[];
  /** The day of the run the customer starts paying (most were customers before the run began). */
  readonly joinDay: number;
  /** Daily probability of quitting outright, and of starting to fade away. */
  readonly quitHazard: number;
  readonly fadeHazard: number;
}

const SHOPS = ['Northwind', 'Lumen', 'Kestrel', 'Harbor', 'Juniper', 'Atlas', 'Marigold', 'Quarry', 'Tessera'];

/** Every provider gets merchants in each currency it charges in, in every category, weighted. */
export function createShops(random: Random, providers: readonly ProviderName[], perProvider: number): Shop[] {
  const shops: Shop[] = [];
  for (const provider of providers) {
    const currencies = CAPABILITIES[provider].currencies as Record<string, number>;
    for (let i = 0; i < perProvider; i++) {
      // The first merchants cover every currency once, so each cardholder has merchants at home.
      const keys = Object.keys(currencies);
      const currency = i < keys.length ? (keys[i] as string) : random.weighted(currencies);
      const category = provider === 'braintree' ? 'subscriptions' : random.weighted(categoryWeights('merchants'));
      const id = `merch_${String(shops.length + 1).padStart(4, '0')}`;
      shops.push({
        id,
        name: `${random.pick(SHOPS)} ${category.replace('_', ' ')}`,
        category,
        country: COUNTRY_OF_CURRENCY[currency] ?? 'US',
        currency,
        provider,
      });
    }
  }
  return shops;
}

const lognormal = (random: Random, median: number, sigma: number) => median * Math.exp(sigma * gaussian(random));

/** A standard normal draw (Box-Muller). */
export function gaussian(random: Random): number {
  return Math.sqrt(-2 * Math.log(1 - random.float())) * Math.cos(2 * Math.PI * random.float());
}

function paydayOf(random: Random): PaydayCycle {
  const kind = random.weighted({ monthly_25: 3, monthly_last: 2, monthly_1: 2, semi_1_15: 3, semi_15_last: 2 });
  const days: Record<typeof kind, number[]> = {
    monthly_25: [25],
    monthly_last: [31],
    monthly_1: [1],
    semi_1_15: [1, 15],
    semi_15_last: [15, 31],
  };
  return { days: days[kind] };
}

export interface CardholderInput {
  readonly index: number;
  readonly provider: ProviderName;
  readonly shops: readonly Shop[];
  readonly startAt: number;
  readonly days: number;
}

export function createCardholder(random: Random, input: CardholderInput): Cardholder {
  const { provider, shops } = input;
  const own = shops.filter((shop) => shop.provider === provider);
  const homeCurrency = random.weighted(CAPABILITIES[provider].currencies as Record<string, number>);
  const home = own.filter((shop) => shop.currency === homeCurrency);
  const homeCountry = COUNTRY_OF_CURRENCY[homeCurrency] ?? 'US';
  const usualShops = Array.from({ length: random.int(2, 5) }, () =>
    random.chance(0.9) && home.length > 0 ? random.pick(home) : random.pick(own),
  );
  const subscriber = provider === 'braintree' || random.chance(0.3);
  const subscriptionShops = own.filter((shop) => shop.category === 'subscriptions' && shop.currency === homeCurrency);
  const subscriptionShop = random.pick(subscriptionShops.length > 0 ? subscriptionShops : home.length > 0 ? home : own);
  const dayMs = 86_400_000;
  return {
    id: `cust_${String(input.index + 1).padStart(6, '0')}`,
    homeCurrency,
    provider,
    homeCountry,
    binCountry: random.chance(0.04) ? random.pick(Object.values(COUNTRY_OF_CURRENCY)) : homeCountry,
    // Cards last about three years: a share expire during any run of months.
    cardExpiresAt: input.startAt + random.int(-30, 3 * 365) * dayMs,
    cardUpdateDays: random.chance(0.75) ? random.int(0, 10) : null,
    medianUsd: lognormal(random, 35, 0.7),
    amountSigma: 0.4 + random.float() * 0.5,
    perWeek: provider === 'braintree' ? 0 : lognormal(random, 2, 0.6),
    usualHour: Math.round(8 + random.float() * 14),
    payday: paydayOf(random),
    fragility: random.float() ** 2,
    subscription: subscriber
      ? { shop: subscriptionShop, usd: lognormal(random, 15, 0.6), day: random.int(1, 28) }
      : null,
    usualShops,
    providerShops: own,
    joinDay: random.chance(0.25) ? random.int(1, Math.max(1, input.days - 1)) : 0,
    quitHazard: 0.0006 * Math.exp(0.6 * gaussian(random)),
    fadeHazard: 0.0012 * Math.exp(0.6 * gaussian(random)),
  };
}
