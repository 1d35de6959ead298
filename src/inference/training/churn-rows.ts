/**
 * Churn rows: each customer at their last event before a cutoff, with the days from that event to the
 * cutoff (recency as of the cutoff). The truth's own cutoff gives the measured rows, with the label and the
 * world's probability (the ceiling). Earlier cutoffs give the same customers' earlier moments, labelled the
 * same way from the attempts' truth (no successful payment of their own in the window) but without a
 * probability: more training rows where one per customer is a few thousand, never used for measuring.
 */
import type { WorldTruth } from '../../simulator/truth/types.ts';
import type { Features } from '../features/features.ts';
import { DAY_MS } from '../features/history.ts';
import { churnInputs } from '../models/scores.ts';
import type { ReplayedEvent } from './replay.ts';
import { identity, type Row } from './rows.ts';

/** Days before the truth's cutoff of the earlier training cutoffs. */
export const EARLIER_CUTOFF_DAYS: readonly number[] = [15, 30];

interface Cutoff {
  readonly at: number;
  readonly iso: string;
  /** null for the earlier cutoffs, which have no measured probability. */
  readonly probability: number | null;
  readonly churned: boolean;
}

function row(replayed: ReplayedEvent, features: Features, cutoff: Cutoff): Row {
  return {
    ...identity(replayed),
    cutoff: cutoff.iso,
    // The inputs the churn model scores online, with the gap to the cutoff in place of 0.
    ...churnInputs(features, (cutoff.at - Date.parse(replayed.event.timestamp)) / DAY_MS),
    label: cutoff.churned ? 1 : 0,
    truth_churn_probability: cutoff.probability,
  };
}

/** Collects each customer's last event before each cutoff while a replay goes by, oldest event first. */
export function createChurnRows(truth: WorldTruth, earlierDays: readonly number[] = EARLIER_CUTOFF_DAYS) {
  const ownSuccesses = new Map<string, number[]>();
  for (const attempt of truth.fraud) {
    if (attempt.actor !== 'customer' || !attempt.approved) continue;
    const times = ownSuccesses.get(attempt.customer_ref) ?? [];
    times.push(Date.parse(attempt.at));
    ownSuccesses.set(attempt.customer_ref, times);
  }
  const cutoffs = new Map<string, Cutoff[]>();
  for (const record of truth.churn) {
    const at = Date.parse(record.cutoff);
    const window = record.window_days * DAY_MS;
    const successes = ownSuccesses.get(record.customer_ref) ?? [];
    const earlier = earlierDays.map((days) => {
      const start = at - days * DAY_MS;
      const churned = !successes.some((time) => time >= start && time < start + window);
      return { at: start, iso: new Date(start).toISOString(), probability: null, churned };
    });
    cutoffs.set(record.customer_ref, [
      { at, iso: record.cutoff, probability: record.churn_probability, churned: record.churned },
      ...earlier,
    ]);
  }
  // Per customer, the latest event (and its features) before each of their cutoffs, in `cutoffs` order.
  const latest = new Map<string, ({ replayed: ReplayedEvent; features: Features } | undefined)[]>();
  return {
    /** Whether the event comes before one of its customer's cutoffs, so its features are needed. */
    wants(replayed: ReplayedEvent): boolean {
      const first = cutoffs.get(replayed.customerRef)?.[0];
      return first !== undefined && Date.parse(replayed.event.timestamp) < first.at;
    },
    observe(replayed: ReplayedEvent, features: Features): void {
      const own = cutoffs.get(replayed.customerRef);
      if (own === undefined) return;
      const time = Date.parse(replayed.event.timestamp);
      const slots = latest.get(replayed.customerRef) ?? own.map(() => undefined);
      own.forEach((cutoff, i) => {
        if (time < cutoff.at) slots[i] = { replayed, features };
      });
      latest.set(replayed.customerRef, slots);
    },
    /** The truth cutoff's rows (`churn`) and the earlier cutoffs' rows (`churn_earlier`). */
    rows(): { churn: Row[]; churnEarlier: Row[] } {
      const churn: Row[] = [];
      const churnEarlier: Row[] = [];
      for (const [ref, slots] of latest) {
        const own = cutoffs.get(ref) ?? [];
        slots.forEach((slot, i) => {
          const cutoff = own[i];
          if (slot === undefined || cutoff === undefined) return;
          (i === 0 ? churn : churnEarlier).push(row(slot.replayed, slot.features, cutoff));
        });
      }
      return { churn, churnEarlier };
    },
  };
}
