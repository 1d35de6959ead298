/**
 * Churn truth at a cutoff. The label is what happened: no successful payment of the customer's own in the
 * window after the cutoff. The probability is measured, not guessed: the customer's life is run again from
 * its state at the cutoff, many times with fresh randomness, and the share of runs without a success is
 * the probability the world itself assigns. It conditions on the world's hidden state (fading, card expiry,
 * blocks to come), so it is a ceiling no model of the events can beat on average.
 */
import { createRandom } from '../random.ts';
import { DAY } from '../world/calendar.ts';
import { type LifeContext, type LifeState, liveDay } from '../world/life.ts';
import type { Cardholder } from '../world/people.ts';

export interface ChurnWindow {
  /** The first day after the cutoff (the cutoff is that day's 00:00 UTC). */
  readonly cutoffDay: number;
  readonly windowDays: number;
  /** How many reruns measure the probability. */
  readonly replicates: number;
}

const paysInWindow = (
  customer: Cardholder,
  state: LifeState,
  context: LifeContext,
  window: ChurnWindow,
  seed: number,
) => {
  const random = createRandom(seed);
  for (let day = window.cutoffDay; day < window.cutoffDay + window.windowDays; day++) {
    if (liveDay(customer, state, day, context, random).some((attempt) => attempt.decline === null)) return true;
  }
  return false;
};

/** The probability of no own success in the window, from a copy of the state at the cutoff. */
export function churnProbability(
  customer: Cardholder,
  stateAtCutoff: LifeState,
  context: LifeContext,
  window: ChurnWindow,
  seed: number,
): number {
  let quiet = 0;
  for (let replicate = 0; replicate < window.replicates; replicate++) {
    const replicaSeed = (seed * 0x2545f491 + replicate * 0x9e3779b1) | 0;
    if (!paysInWindow(customer, { ...stateAtCutoff }, context, window, replicaSeed)) quiet += 1;
  }
  return quiet / window.replicates;
}

/** The label from the realised attempts: none of the customer's own succeeded in the window. */
export function churnedAfter(
  attempts: readonly { readonly at: number; readonly decline: unknown }[],
  cutoff: number,
  windowDays: number,
): boolean {
  return !attempts.some(
    (attempt) => attempt.decline === null && attempt.at >= cutoff && attempt.at < cutoff + windowDays * DAY,
  );
}
