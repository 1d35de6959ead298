/**
 * A customer's past as the features and the retry rules see it: only events strictly before a cutoff, in
 * time order, and payment outcomes with the providers' duplicate notifications collapsed. Pure: no I/O.
 */
import type { UnifiedPaymentEvent } from '../../contracts/payment-event.ts';
import type { FailureCode } from '../../contracts/vocabulary.ts';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

/** One payment attempt's result: a success (counted once per payment) or a decline. */
export interface Outcome {
  /** Epoch milliseconds of the event's `timestamp`. */
  readonly time: number;
  readonly paymentId: string;
  readonly succeeded: boolean;
  readonly failureCode: FailureCode | null;
  readonly amountCents: number;
  readonly currency: string;
  readonly merchantId: string | null;
}

/**
 * What the features read of a past event: a unified event's fields, of which `metadata` needs only
 * `card_country`. A store reads the customer's past in this shape (a covering index, no JSON parse per
 * row: the read was three quarters of a score's CPU), while training passes whole events, which fit it.
 */
export type PastEvent = Pick<
  UnifiedPaymentEvent,
  | 'event_id'
  | 'event_type'
  | 'payment_id'
  | 'amount_cents'
  | 'currency'
  | 'status'
  | 'failure_code'
  | 'merchant_id'
  | 'timestamp'
  | 'metadata'
>;

/** A past event with its parsed time. */
export interface TimedEvent {
  readonly time: number;
  readonly event: PastEvent;
}

/**
 * Providers often announce one decline twice (Stripe's `payment_intent.payment_failed` and
 * `charge.failed`); two declines of one payment with the same code this close together are one attempt.
 */
const DUPLICATE_DECLINE_MS = MINUTE_MS;

/**
 * A payment succeeds once: its second success announcement (Stripe's `charge.succeeded` after
 * `payment_intent.succeeded`, a capture after an authorisation's success) within this long of the first
 * is the same success. Bounded so that a customer's state (state.ts) forgets old payments: no provider
 * captures or re-announces a payment three months on.
 */
export const DUPLICATE_SUCCESS_MS = 90 * DAY_MS;

/** What `countOutcome` remembers between events, oldest first (state.ts keeps it in a customer's state). */
export interface OutcomeMemory {
  /** Payment id → time of its counted success. */
  readonly succeeded: Map<string, number>;
  /** Payment id and decline code → time of its last counted decline. */
  readonly declines: Map<string, number>;
}

export function emptyOutcomeMemory(): OutcomeMemory {
  return { succeeded: new Map(), declines: new Map() };
}

/**
 * Whether `event` (at `time`, after every event `memory` has seen) is a payment outcome: `true` for a
 * counted success (a payment's first `payment.succeeded` or `payment.captured`), `false` for a counted
 * decline (every `payment.failed` but a repeat of the same decline within a minute), `undefined` for
 * anything else.
 */
export function countOutcome(memory: OutcomeMemory, time: number, event: PastEvent): boolean | undefined {
  if (event.event_type === 'payment.succeeded' || event.event_type === 'payment.captured') {
    const previous = memory.succeeded.get(event.payment_id);
    if (previous !== undefined && time - previous < DUPLICATE_SUCCESS_MS) return undefined;
    memory.succeeded.set(event.payment_id, time);
    return true;
  }
  if (event.event_type !== 'payment.failed') return undefined;
  const key = `${event.payment_id}\u0000${event.failure_code ?? ''}`;
  const previous = memory.declines.get(key);
  if (previous !== undefined && time - previous < DUPLICATE_DECLINE_MS) return undefined;
  memory.declines.set(key, time);
  return false;
}

/**
 * The events strictly before `cutoff` (epoch ms), oldest first. Events whose timestamp does not parse are
 * left out rather than guessed at; ties are ordered by `event_id` so the result never depends on the
 * order the store returned them in.
 */
export function eventsBefore(history: readonly PastEvent[], cutoff: number): TimedEvent[] {
  return history
    .map((event) => ({ time: Date.parse(event.timestamp), event }))
    .filter(({ time }) => Number.isFinite(time) && time < cutoff)
    .sort(byTime);
}

/** Oldest first; ties by `event_id`. */
export function byTime(a: TimedEvent, b: TimedEvent): number {
  return a.time - b.time || (a.event.event_id < b.event.event_id ? -1 : 1);
}

/** Payment outcomes (see `countOutcome`), oldest first. */
export function outcomes(events: readonly TimedEvent[]): Outcome[] {
  const memory = emptyOutcomeMemory();
  const result: Outcome[] = [];
  for (const { time, event } of events) {
    const succeeded = countOutcome(memory, time, event);
    if (succeeded === undefined) continue;
    result.push({
      time,
      paymentId: event.payment_id,
      succeeded,
      failureCode: event.failure_code,
      amountCents: event.amount_cents,
      currency: event.currency,
      merchantId: event.merchant_id,
    });
  }
  return result;
}
