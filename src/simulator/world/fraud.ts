/**
 * Fraud scenarios, in the manner of the Fraud-Detection-Handbook simulator (compromised terminals,
 * compromised customers' cards spending out of pattern) adapted to cards and merchants:
 * - card testing: a fraudster checks a stolen card with a burst of small authorizations at one merchant,
 *   most of them declined, and often cashes out days later;
 * - compromised card: for a few days a fraudster spends with the card out of the owner's pattern (other
 *   categories, often abroad, larger amounts, at night), until the owner notices and the card is blocked;
 * - compromised merchant: for two to four weeks stolen cards are pushed through one merchant.
 * The signal overlaps with genuine behaviour on purpose (customers travel, buy big, shop at night), and a
 * fraudster's payment is reported only with a probability, so no model can be perfect. Nothing here reads
 * a balance: the world has none to leak.
 */
import type { FailureCode } from '../../contracts/vocabulary.ts';
import type { Random } from '../random.ts';
import { DAY, HOUR, MINUTE } from './calendar.ts';
import { reportable } from './declines.ts';
import { categoryWeights, usdToMinor } from './geography.ts';
import { type Cardholder, gaussian, type Shop } from './people.ts';

export type FraudScenario = 'card_testing' | 'compromised_card' | 'compromised_merchant';

/** The probability that a fraudster's payment in each scenario is reported (a chargeback or a fraud report). */
export const REPORT_PROBABILITY: Readonly<Record<FraudScenario, number>> = {
  // Small test amounts often go unnoticed on a statement.
  card_testing: 0.45,
  compromised_card: 0.9,
  compromised_merchant: 0.8,
};

export interface FraudAttempt {
  readonly at: number;
  readonly victim: Cardholder;
  readonly shop: Shop;
  readonly amount: number;
  readonly scenario: FraudScenario;
  readonly decline: FailureCode | null;
}

export interface FraudPlan {
  readonly attempts: readonly FraudAttempt[];
  /** Per customer id: when the card is blocked, from the owner's report until the new card arrives. */
  readonly blocks: ReadonlyMap<string, { from: number; to: number }[]>;
}

export interface FraudRates {
  /** Share of customers whose card is tested during the run. */
  readonly cardTesting: number;
  /** Share of customers whose card is compromised (besides cash-outs after a test). */
  readonly compromisedCard: number;
  /** Share of merchants compromised during the run. */
  readonly compromisedMerchant: number;
}

export const DEFAULT_FRAUD_RATES: FraudRates = { cardTesting: 0.01, compromisedCard: 0.015, compromisedMerchant: 0.12 };

function targetShop(random: Random, shops: readonly Shop[]): Shop {
  const weights = categoryWeights('fraud');
  const byWeight: Record<string, number> = {};
  shops.forEach((shop, i) => {
    byWeight[i] = weights[shop.category];
  });
  return shops[Number(random.weighted(byWeight))] as Shop;
}

/** Fraudsters shop around the clock, more at night (UTC hours 0-5). */
const fraudHour = (random: Random) => (random.chance(0.5) ? random.float() * 6 : random.float() * 24);

export function planFraud(
  random: Random,
  customers: readonly Cardholder[],
  shops: readonly Shop[],
  window: { readonly startAt: number; readonly days: number },
  rates: FraudRates = DEFAULT_FRAUD_RATES,
  declines: (customer: Cardholder) => readonly FailureCode[] = () => [],
): FraudPlan {
  const attempts: FraudAttempt[] = [];
  const blocks = new Map<string, { from: number; to: number }[]>();
  const block = (victim: Cardholder, from: number) => {
    const list = blocks.get(victim.id) ?? [];
    list.push({ from, to: from + random.int(3, 8) * DAY });
    blocks.set(victim.id, list);
  };
  const push = (
    victim: Cardholder,
    at: number,
    shop: Shop,
    usd: number,
    scenario: FraudScenario,
    code: FailureCode | null,
  ) =>
    attempts.push({
      at,
      victim,
      shop,
      amount: usdToMinor(usd, shop.currency),
      scenario,
      decline: code === null ? null : reportable(code, declines(victim)),
    });
  const end = window.startAt + window.days * DAY;
  const compromise = (victim: Cardholder, from: number) => {
    const days = random.int(2, 10);
    for (let day = 0; day < days; day++) {
      for (let n = random.int(1, 4); n > 0; n--) {
        const at = from + day * DAY + Math.floor(fraudHour(random) * HOUR);
        const shop = random.chance(0.75) ? targetShop(random, victim.providerShops) : random.pick(victim.usualShops);
        const usd = Math.max(victim.medianUsd * 3, 60) * Math.exp(0.5 * gaussian(random));
        const code = random.weighted({ none: 80, suspected_fraud: 12, do_not_honor: 4, insufficient_funds: 4 });
        push(victim, at, shop, usd, 'compromised_card', code === 'none' ? null : code);
      }
    }
    block(victim, from + days * DAY);
  };
  for (const victim of customers) {
    const own = victim.providerShops;
    if (random.chance(rates.cardTesting)) {
      let at = window.startAt + random.int(0, window.days - 1) * DAY + Math.floor(fraudHour(random) * HOUR);
      const shop = targetShop(random, own);
      for (let n = random.int(6, 24); n > 0; n--) {
        at += Math.round(random.exponential(90_000)) + 1000;
        const code = random.weighted({
          none: 35,
          incorrect_cvc: 25,
          do_not_honor: 20,
          expired_card: 12,
          insufficient_funds: 8,
        });
        push(victim, at, shop, 0.5 + random.float() * 3.5, 'card_testing', code === 'none' ? null : code);
      }
      if (random.chance(0.5)) compromise(victim, at + random.int(6, 72) * HOUR);
      else if (random.chance(0.3)) block(victim, at + 30 * MINUTE);
    }
    if (random.chance(rates.compromisedCard)) compromise(victim, window.startAt + random.int(0, window.days - 1) * DAY);
  }
  for (const shop of shops) {
    if (!random.chance(rates.compromisedMerchant)) continue;
    const victims = customers.filter((customer) => customer.provider === shop.provider);
    const from = window.startAt + random.int(0, window.days - 1) * DAY;
    for (let day = 0, days = random.int(14, 28); day < days && victims.length > 0; day++) {
      for (let n = random.int(0, 2); n > 0; n--) {
        const usd = 150 * Math.exp(0.5 * gaussian(random));
        const code = random.weighted({ none: 85, suspected_fraud: 8, do_not_honor: 7 });
        const at = from + day * DAY + Math.floor(fraudHour(random) * HOUR);
        push(random.pick(victims), at, shop, usd, 'compromised_merchant', code === 'none' ? null : code);
      }
    }
  }
  // A card is only stolen from a customer who has one: never before the customer's first day.
  const joined = (attempt: FraudAttempt) => attempt.at >= window.startAt + attempt.victim.joinDay * DAY;
  return { attempts: attempts.filter((attempt) => attempt.at < end && joined(attempt)), blocks };
}
