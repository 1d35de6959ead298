/**
 * Payment totals computed from a payment's stored events, in code rather than SQL so that every adapter
 * gives the same answer. A payment has a handful of events, so reading them all is cheap.
 */
import type { EventType, Status } from '../contracts/vocabulary.ts';
import type { PaymentTotals } from './port.ts';

/** The columns of one stored event that the totals need. */
export interface TotalsRow {
  readonly event_id: string;
  readonly event_type: EventType;
  readonly amount_cents: number;
  readonly currency: string;
  readonly status: Status;
  readonly timestamp: string;
  readonly metadata: Readonly<Record<string, string>>;
}

/** One refund's identity: the provider's refund id when the normalizer keeps it, else the event. */
export function refundKey(event: { readonly event_id: string; readonly metadata: Readonly<Record<string, string>> }) {
  return event.metadata.refund_id ?? event.event_id;
}

/** Rows in any order; ties on timestamp are broken by event id so the result never depends on row order. */
export function computeTotals(paymentId: string, rows: readonly TotalsRow[]): PaymentTotals {
  const ordered = [...rows].sort(
    (a, b) => a.timestamp.localeCompare(b.timestamp) || a.event_id.localeCompare(b.event_id),
  );
  let authorized = 0;
  let captured = 0;
  // Providers may report one refund twice (created and updated); count each refund once, at its largest.
  const refunds = new Map<string, number>();
  for (const row of ordered) {
    if (row.event_type === 'payment.authorized') authorized = Math.max(authorized, row.amount_cents);
    if (row.event_type === 'payment.captured' || row.event_type === 'payment.succeeded') {
      captured = Math.max(captured, row.amount_cents);
    }
    if (row.event_type === 'refund.succeeded') {
      const key = refundKey(row);
      refunds.set(key, Math.max(refunds.get(key) ?? 0, row.amount_cents));
    }
  }
  const last = ordered.at(-1);
  return {
    payment_id: paymentId,
    event_count: ordered.length,
    currency: last?.currency ?? null,
    authorized_cents: authorized,
    captured_cents: captured,
    refunded_cents: [...refunds.values()].reduce((sum, amount) => sum + amount, 0),
    refunds: Object.fromEntries(refunds),
    last_status: last?.status ?? null,
    event_types: [...new Set(ordered.map((row) => row.event_type))],
  };
}
