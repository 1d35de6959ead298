/**
 * One cardholder's own payments, a day at a time, from a state that can be copied: the world runs it once
 * for real, and the churn truth runs it again from a cutoff to measure the probability of what follows.
 * Churn is partly visible: a customer may fade (buying less and less for weeks before stopping), may quit
 * outright, and quits more readily after declines in a row (an expired card never updated ends that way).
 */
import type { FailureCode } from '../../contracts/vocabulary.ts';
import type { Random } from '../random.ts';
import { DAY, HOUR, MINUTE, payPeriodProgress } from './calendar.ts';
import { declineRates, drawDecline, reportable } from './declines.ts';
import { usdToMinor } from './geography.ts';
import { type Cardholder, gaussian, type Shop } from './people.ts';

/** Flat on purpose: a spread copies it, so the churn truth can rerun a life from any day. */
export interface LifeState {
  active: boolean;
  /** Epoch ms when the customer stopped paying for good; null while active. */
  stoppedAt: number | null;
  fadingSince: number | null;
  fadeDays: number;
  consecutiveFailures: number;
}

/** An attempt by the cardholder themself. */
export interface GenuineAttempt {
  readonly at: number;
  readonly shop: Shop;
  readonly amount: number;
  /** The amount in US dollars over the customer's median purchase. */
  readonly amountRatio: number;
  readonly recurring: boolean;
  readonly decline: FailureCode | null;
}

export interface LifeContext {
  readonly startAt: number;
  /** Periods when the card is blocked (reported lost or stolen, before the new one arrives). */
  readonly blocks: readonly { readonly from: number; readonly to: number }[];
  /** The decline codes the customer's provider can report. */
  readonly declines: readonly FailureCode[];
}

export function initialLife(): LifeState {
  return { active: true, stoppedAt: null, fadingSince: null, fadeDays: 0, consecutiveFailures: 0 };
}

function poisson(random: Random, mean: number): number {
  const limit = Math.exp(-mean);
  let count = 0;
  for (let product = random.float(); product > limit; product *= random.float()) count++;
  return count;
}

function churnStep(customer: Cardholder, state: LifeState, day: number, dayStart: number, random: Random): void {
  const pressure = 1 + 6 * Math.min(state.consecutiveFailures, 5);
  const faded = state.fadingSince !== null && day - state.fadingSince >= state.fadeDays;
  if (faded || random.chance(customer.quitHazard * pressure)) {
    state.active = false;
    state.stoppedAt = dayStart;
    return;
  }
  if (state.fadingSince === null && random.chance(customer.fadeHazard)) {
    state.fadingSince = day;
    state.fadeDays = random.int(14, 42);
  }
}

/** A decline that the card's state forces, whatever the issuer would otherwise decide. */
function forcedDecline(customer: Cardholder, context: LifeContext, at: number, recurring: boolean): FailureCode | null {
  const sinceExpiry = at - customer.cardExpiresAt;
  if (sinceExpiry >= 0) {
    const updateDays = recurring ? customer.cardUpdateDays : Math.min(customer.cardUpdateDays ?? 10, 10);
    if (updateDays === null || sinceExpiry < updateDays * DAY) return 'expired_card';
  }
  if (context.blocks.some((block) => at >= block.from && at < block.to)) return 'lost_or_stolen_card';
  return null;
}

/** The customer's attempts on day `day` of the run (in time order), updating `state`. */
export function liveDay(
  customer: Cardholder,
  state: LifeState,
  day: number,
  context: LifeContext,
  random: Random,
): GenuineAttempt[] {
  if (day < customer.joinDay || !state.active) return [];
  const dayStart = context.startAt + day * DAY;
  churnStep(customer, state, day, dayStart, random);
  if (!state.active) return [];
  const engagement = state.fadingSince === null ? 1 : Math.max(0, 1 - (day - state.fadingSince) / state.fadeDays);
  const progress = payPeriodProgress(customer.payday, dayStart + 12 * HOUR);
  // Spending peaks in the days after the salary lands.
  const mood = progress < 0.15 ? 1.6 : 0.9;
  const drafts: Omit<GenuineAttempt, 'decline'>[] = [];
  const sub = customer.subscription;
  if (sub !== null && new Date(dayStart).getUTCDate() === sub.day) {
    const at = dayStart + 6 * HOUR + random.int(0, 59) * MINUTE;
    drafts.push({
      at,
      shop: sub.shop,
      amount: usdToMinor(sub.usd, sub.shop.currency),
      amountRatio: 1,
      recurring: true,
    });
  }
  for (let n = poisson(random, (customer.perWeek / 7) * mood * engagement); n > 0; n--) {
    const shop = random.chance(0.93) ? random.pick(customer.usualShops) : random.pick(customer.providerShops);
    // Now and then a big purchase, far above the customer's norm: genuine, yet it looks like fraud.
    const ratio = Math.exp(customer.amountSigma * gaussian(random)) * (random.chance(0.03) ? random.int(3, 8) : 1);
    const hour = (((customer.usualHour + 2.5 * gaussian(random)) % 24) + 24) % 24;
    const at = dayStart + Math.floor(hour * HOUR) + random.int(0, 59_999);
    drafts.push({
      at,
      shop,
      amount: usdToMinor(customer.medianUsd * ratio, shop.currency),
      amountRatio: ratio,
      recurring: false,
    });
  }
  drafts.sort((a, b) => a.at - b.at);
  return drafts.map((draft) => {
    const forced = forcedDecline(customer, context, draft.at, draft.recurring);
    const drawn =
      forced ??
      drawDecline(
        random,
        declineRates({
          payPeriodProgress: payPeriodProgress(customer.payday, draft.at),
          fragility: customer.fragility,
          amountRatio: draft.amountRatio,
          crossBorder: draft.shop.country !== customer.binCountry,
          recurring: draft.recurring,
        }),
      );
    const decline = drawn === null ? null : reportable(drawn, context.declines);
    state.consecutiveFailures = decline === null ? 0 : state.consecutiveFailures + 1;
    return { ...draft, decline };
  });
}
