/** A small calendar world shared by the tests (built once per test file), with every renderer's declines. */
import { createRenderers } from '../../src/simulator/render/index.ts';
import { declinesOf } from '../../src/simulator/run-world.ts';
import {
  type CalendarWorld,
  type CalendarWorldOptions,
  createCalendarWorld,
} from '../../src/simulator/world/calendar-world.ts';

export const DECLINES = declinesOf(createRenderers(1));

/** Names and values that exist only in the ground truth: none may appear in a webhook. */
export const TRUTH_WORDS = [
  'fraud_probability',
  'churn_probability',
  'fraudster',
  '"actor"',
  'scenario',
  'card_testing',
  'compromised',
  'fragility',
  'payday',
  'next_payday',
  'label_at',
  'stopped_at',
  '"draw"',
  'churned',
];

const cache = new Map<string, CalendarWorld>();

/** 400 customers over 90 days by default: a few thousand payments, built in about a second. */
export function smallWorld(overrides: Partial<CalendarWorldOptions> = {}): CalendarWorld {
  const options: CalendarWorldOptions = {
    seed: 7,
    declines: DECLINES,
    customers: 400,
    days: 90,
    churn: { replicates: 32 },
    ...overrides,
  };
  const key = JSON.stringify(options);
  let world = cache.get(key);
  if (world === undefined) {
    world = createCalendarWorld(options);
    cache.set(key, world);
  }
  return world;
}

/** ROC AUC by ranks (ties averaged): the probability a positive outranks a negative. */
export function rocAuc(scores: readonly number[], labels: readonly boolean[]): number {
  const order = scores.map((score, i) => ({ score, label: labels[i] === true })).sort((a, b) => a.score - b.score);
  let positives = 0;
  let rankSum = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j < order.length && order[j]?.score === order[i]?.score) j++;
    for (let k = i; k < j; k++) {
      if (order[k]?.label) {
        positives += 1;
        rankSum += (i + j + 1) / 2;
      }
    }
    i = j;
  }
  const negatives = order.length - positives;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}
