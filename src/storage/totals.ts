/**
 * Payment totals computed from a payment's stored events, in code rather than SQL so that every adapter
 * gives the same answer. A payment has a handful of events, so reading them all is cheap.
 *
 * Refunds are reported two ways. Most reports name one refund (`metadata.refund_id`: Stripe refund
 * objects, Square, Adyen's pspReference, Braintree), and a refund reported twice (created, then updated)
 * counts once. A report without a refund id is read as the payment's cumulative refunded amount, which
 * is what Stripe's `charge.refunded` carries (`amount_refunded`). The refunded total is the larger of
 * the two readings, never their sum: both are amounts reported refunded (see below for a refund that
 * failed after a cumulative report included it).
 *
 * Captures are read the same two ways. A report naming its capture (`metadata.capture_id`: Adyen's
 * CAPTURE, one per partial capture of an authorisation) counts once at its largest amount, and named
 * captures add up. A report without one (`payment.succeeded`, Stripe's `charge.captured`, …) is the
 * payment's whole captured amount so far: Stripe reports one capture twice (payment_intent.succeeded and
 * charge.succeeded), and a multicapture charge's `amount_captured` is cumulative, so unnamed reports never
 * add up. The captured total is the larger of the two readings.
 *
 * A capture counts once it has moved the money. Adyen's CAPTURE only says the capture was sent to the
 * scheme; a CAPTURE_FAILED naming the same capture says the scheme rejected it, so nothing was captured and
 * the capture leaves the total. Unlike a failed refund it may come back: Adyen captures again after a
 * technical failure and notifies a CAPTURE of it ("Transaction Recaptured"). So captures are read in
 * provider time order and the latest report of a named capture decides, whatever order they arrived in.
 *
 * A refund counts once it has returned the money: `refund.succeeded`, or a `refund.created` whose refund
 * had already succeeded when created (status `refunded`). Stripe sends no `refund.updated` for such a
 * refund (its status never changes), so otherwise it would never count.
 *
 * A named refund with any failure report (`refund.failed`, which is how every provider maps a failed,
 * rejected, canceled or reversed refund, or a `refund.created` already `failed` or `canceled`) has returned
 * nothing, whatever else was reported of it and in whatever order: a refund that failed does not succeed
 * later (Adyen's REFUND_FAILED and REFUNDED_REVERSED, and Stripe's `failed`, follow a success), so it does
 * not count, and a merchant may issue it again. Its id is kept in `failed_refunds` so that `refundedAfter`
 * does not count a late report of it either. Cumulative (unnamed) reports are left as they are: they do
 * not say which refunds they include, so a failure cannot be taken out of them, and the largest running
 * total reported still counts. Where a cumulative report (Stripe's `charge.refunded`) included a refund
 * that failed later, the refunded total may therefore overstate.
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

type RefundReport = Pick<TotalsRow, 'event_type' | 'status' | 'amount_cents' | 'metadata'>;

/** Whether the report says the money went back (a pending or failed refund returned nothing). */
const refunded = (row: RefundReport) =>
  row.event_type === 'refund.succeeded' || (row.event_type === 'refund.created' && row.status === 'refunded');

/** Whether the report says the refund failed: it returned nothing, and never will. */
const failed = (row: RefundReport) =>
  row.event_type === 'refund.failed' ||
  (row.event_type === 'refund.created' && (row.status === 'failed' || row.status === 'canceled'));

const sum = (amounts: Iterable<number>) => [...amounts].reduce((total, amount) => total + amount, 0);

/** Reports of captures or of refunds, read both ways: each named one once at its largest, or the largest unnamed. */
function createReading(key: 'capture_id' | 'refund_id') {
  const named = new Map<string, number>();
  let unnamed = 0;
  return {
    named,
    add(row: TotalsRow) {
      const id = row.metadata[key];
      if (id === undefined) unnamed = Math.max(unnamed, row.amount_cents);
      else named.set(id, Math.max(named.get(id) ?? 0, row.amount_cents));
    },
    total: () => Math.max(sum(named.values()), unnamed),
  };
}

/** Rows in any order; ties on timestamp are broken by event id so the result never depends on row order. */
export function computeTotals(paymentId: string, rows: readonly TotalsRow[]): PaymentTotals {
  const ordered = [...rows].sort(
    (a, b) => a.timestamp.localeCompare(b.timestamp) || a.event_id.localeCompare(b.event_id),
  );
  let authorized = 0;
  let largestCapture = 0;
  let capturedIn: string | null = null;
  const captures = createReading('capture_id');
  const refunds = createReading('refund_id');
  const failedRefunds = new Set<string>();
  for (const row of ordered) {
    if (row.event_type === 'payment.authorized') authorized = Math.max(authorized, row.amount_cents);
    if (row.event_type === 'payment.captured' || row.event_type === 'payment.succeeded') {
      if (capturedIn === null || row.amount_cents > largestCapture) capturedIn = row.currency;
      largestCapture = Math.max(largestCapture, row.amount_cents);
      captures.add(row);
    }
    // A capture the scheme rejected (Adyen's CAPTURE_FAILED names it) moved no money, unless captured again later.
    const captureId = row.metadata.capture_id;
    if (row.event_type === 'payment.failed' && captureId !== undefined) captures.named.delete(captureId);
    if (refunded(row)) refunds.add(row);
    const refundId = row.metadata.refund_id;
    if (failed(row) && refundId !== undefined) failedRefunds.add(refundId);
  }
  // After every row is read, so that a failure stored before its refund's success still takes it out.
  for (const id of failedRefunds) refunds.named.delete(id);
  const last = ordered.at(-1);
  return {
    payment_id: paymentId,
    event_count: ordered.length,
    // The capture's: a refund let in before it (unchecked then) may be in another currency and later.
    currency: capturedIn ?? last?.currency ?? null,
    authorized_cents: authorized,
    captured_cents: captures.total(),
    refunded_cents: refunds.total(),
    refunds: Object.fromEntries(refunds.named),
    failed_refunds: [...failedRefunds].sort(),
    last_status: last?.status ?? null,
    event_types: [...new Set(ordered.map((row) => row.event_type))],
  };
}

/**
 * The payment's refunded total once `refund` is counted as well, under the same two readings. A pending
 * report counts as if it will succeed; a failure report, or any report of a refund already known to have
 * failed, adds nothing.
 */
export function refundedAfter(totals: PaymentTotals, refund: RefundReport): number {
  if (failed(refund)) return totals.refunded_cents;
  const id = refund.metadata.refund_id;
  if (id === undefined) return Math.max(totals.refunded_cents, refund.amount_cents);
  if (totals.failed_refunds.includes(id)) return totals.refunded_cents;
  const others = sum(Object.entries(totals.refunds).flatMap(([key, amount]) => (key === id ? [] : [amount])));
  return Math.max(totals.refunded_cents, others + refund.amount_cents);
}
