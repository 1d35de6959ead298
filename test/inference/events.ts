/**
 * Hand-built events and an in-memory `HistorySource` double for the inference tests. Times are offsets
 * from `T0` so each test reads as "ten days before the event".
 */
import type { EnrichedPaymentEvent, UnifiedPaymentEvent } from '../../src/contracts/payment-event.ts';
import type { FailureCode } from '../../src/contracts/vocabulary.ts';
import { rebuildState } from '../../src/inference/features/stored-state.ts';
import type { HistorySource } from '../../src/inference/port.ts';

export const T0 = Date.parse('2026-03-10T12:00:00.000Z');
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export function iso(time: number): string {
  return new Date(time).toISOString();
}

/** A valid unified event: by default a $10.00 Stripe payment of `cus_1` at `m_1`, succeeded at T0. */
export function event(overrides: Partial<UnifiedPaymentEvent> = {}): UnifiedPaymentEvent {
  const base: UnifiedPaymentEvent = {
    schema_version: 1,
    event_id: '',
    provider: 'stripe',
    event_type: 'payment.succeeded',
    provider_event_type: 'payment_intent.succeeded',
    payment_id: 'pi_1',
    amount_cents: 1000,
    currency: 'USD',
    status: 'succeeded',
    failure_code: null,
    customer_id: 'cus_1',
    merchant_id: 'm_1',
    timestamp: iso(T0),
    received_at: iso(T0),
    metadata: {},
    ...overrides,
  };
  const id = base.event_id || `${base.provider}:${base.payment_id}:${base.event_type}:${base.timestamp}`;
  return { ...base, event_id: id };
}

export function succeeded(paymentId: string, time: number, overrides: Partial<UnifiedPaymentEvent> = {}) {
  return event({ payment_id: paymentId, timestamp: iso(time), received_at: iso(time), ...overrides });
}

export function failed(
  paymentId: string,
  time: number,
  code: FailureCode | null,
  overrides: Partial<UnifiedPaymentEvent> = {},
) {
  return event({
    payment_id: paymentId,
    event_type: 'payment.failed',
    provider_event_type: 'payment_intent.payment_failed',
    status: 'failed',
    failure_code: code,
    timestamp: iso(time),
    received_at: iso(time),
    ...overrides,
  });
}

export function enriched(unified: UnifiedPaymentEvent): EnrichedPaymentEvent {
  return {
    ...unified,
    fraud_score: null,
    churn_score: null,
    retry_strategy: null,
    retry_at: null,
    processed_at: unified.received_at,
    model_versions: { fraud: null, churn: null, retry: null },
  };
}

export interface RecordingHistory extends HistorySource {
  readonly calls: { customerId: string; before: string; limit: number }[];
  /** The customers whose state was asked for, in order. */
  readonly stateCalls: string[];
}

function newestBefore(events: readonly UnifiedPaymentEvent[], before: string, limit: number) {
  return events
    .filter((e) => Date.parse(e.timestamp) < Date.parse(before))
    .sort((a, b) => Date.parse(b.timestamp) - Date.parse(a.timestamp))
    .slice(0, limit)
    .map(enriched);
}

/**
 * The store's contract in memory: the customer's events strictly before `before`, newest first, at most
 * `limit`; their state folded from all of `events` (so a score reads it only when every event is earlier).
 */
export function memoryHistory(events: readonly UnifiedPaymentEvent[]): RecordingHistory {
  const calls: RecordingHistory['calls'] = [];
  const stateCalls: string[] = [];
  return {
    calls,
    stateCalls,
    async customerHistory(customerId, before, limit) {
      calls.push({ customerId, before, limit });
      return newestBefore(
        events.filter((e) => e.customer_id === customerId),
        before,
        limit,
      );
    },
    async customerState(customerId) {
      stateCalls.push(customerId);
      return rebuildState(events.filter((e) => e.customer_id === customerId));
    },
    async paymentHistory(provider, paymentId, before, limit) {
      return newestBefore(
        events.filter((e) => e.provider === provider && e.payment_id === paymentId),
        before,
        limit,
      );
    },
  };
}

/** A customer who paid `amountCents` every 30 days for `months` months, the last one `lastDaysAgo` before T0. */
export function monthlyPayer(months: number, lastDaysAgo: number, amountCents = 1000): UnifiedPaymentEvent[] {
  return Array.from({ length: months }, (_, i) =>
    succeeded(`pi_month_${i}`, T0 - (lastDaysAgo + 30 * i) * DAY, { amount_cents: amountCents }),
  );
}
