/**
 * The business rules an event must pass before it is enriched and stored (listed with their decisions in
 * src/orchestrator/README.md). A pure function of the event and what the store knows of its payment, so
 * the same event against the same store state always gets the same verdict.
 */
import type { UnifiedPaymentEvent } from '../../contracts/payment-event.ts';
import type { EventType } from '../../contracts/vocabulary.ts';
import { ISO_4217 } from '../../providers/currency.ts';
import type { PaymentTotals, QuarantineReason } from '../../storage/port.ts';
import { refundedAfter } from '../../storage/totals.ts';

/** Stable reason codes of rule failures; quarantine rows and dashboards select on them. */
export const RULE_CODES = [
  'amount_not_positive',
  'unknown_currency',
  'invalid_timestamp',
  'timestamp_in_future',
  'timestamp_too_old',
  'currency_mismatch',
  'refund_exceeds_captured',
  'refund_of_failed_payment',
  'refund_of_canceled_payment',
  'dispute_of_failed_payment',
] as const;
export type RuleCode = (typeof RULE_CODES)[number];

export interface RuleViolation extends QuarantineReason {
  readonly code: RuleCode;
}

export interface RuleOptions {
  /** How far the provider's timestamp may lie after our receive time (clock skew between them). */
  readonly maxFutureSkewMs: number;
  /** No payment event is older than this. */
  readonly earliest: string;
}

export const DEFAULT_RULE_OPTIONS: RuleOptions = { maxFutureSkewMs: 15 * 60_000, earliest: '2000-01-01T00:00:00.000Z' };

/** Types that move money: a zero amount on them is a mistake, while failures and cancellations may carry 0. */
const POSITIVE: ReadonlySet<EventType> = new Set([
  'payment.authorized',
  'payment.succeeded',
  'payment.captured',
  'payment.pending',
  'refund.created',
  'refund.succeeded',
  'dispute.opened',
]);
const REFUNDS: ReadonlySet<EventType> = new Set(['refund.created', 'refund.succeeded']);
const DISPUTES: ReadonlySet<EventType> = new Set(['dispute.opened', 'dispute.won', 'dispute.lost']);

function violation(code: RuleCode, message: string): RuleViolation {
  return { code, message };
}

function checkAmount(event: UnifiedPaymentEvent): RuleViolation[] {
  const out: RuleViolation[] = [];
  if (POSITIVE.has(event.event_type) && !(event.amount_cents > 0)) {
    out.push(
      violation('amount_not_positive', `${event.event_type} needs an amount above 0, got ${event.amount_cents}`),
    );
  }
  if (!ISO_4217.has(event.currency)) {
    out.push(violation('unknown_currency', `${event.currency} is not an ISO 4217 currency with a minor unit`));
  }
  return out;
}

function checkTimestamp(event: UnifiedPaymentEvent, options: RuleOptions): RuleViolation[] {
  const at = Date.parse(event.timestamp);
  const received = Date.parse(event.received_at);
  if (Number.isNaN(at) || Number.isNaN(received)) {
    return [violation('invalid_timestamp', 'timestamp or received_at is not an ISO 8601 time')];
  }
  if (at - received > options.maxFutureSkewMs) {
    return [violation('timestamp_in_future', `timestamp ${event.timestamp} is after received_at ${event.received_at}`)];
  }
  if (at < Date.parse(options.earliest)) {
    return [violation('timestamp_too_old', `timestamp ${event.timestamp} is before ${options.earliest}`)];
  }
  return [];
}

/** Whether the payment is known to have failed or been canceled, and never to have succeeded. */
function unsuccessful(totals: PaymentTotals): 'failed' | 'canceled' | null {
  const types = new Set(totals.event_types);
  if (types.has('payment.succeeded') || types.has('payment.captured')) return null;
  if (types.has('payment.failed')) return 'failed';
  return types.has('payment.canceled') ? 'canceled' : null;
}

function checkRefund(event: UnifiedPaymentEvent, totals: PaymentTotals): RuleViolation[] {
  const outcome = unsuccessful(totals);
  if (outcome === 'failed') return [violation('refund_of_failed_payment', `payment ${event.payment_id} failed`)];
  if (outcome === 'canceled')
    return [violation('refund_of_canceled_payment', `payment ${event.payment_id} was canceled`)];
  // A refund may arrive before its payment's success (no ordering across retries): unseen is allowed.
  if (totals.captured_cents === 0) return [];
  if (totals.currency !== null && totals.currency !== event.currency) {
    return [violation('currency_mismatch', `refund in ${event.currency}, payment in ${totals.currency}`)];
  }
  // A second report of a counted refund replaces it; a cumulative report is a total, not an addition.
  const total = refundedAfter(totals, event);
  if (total > totals.captured_cents) {
    const message = `refund ${event.amount_cents} takes the refunded total to ${total}, above captured ${totals.captured_cents}`;
    return [violation('refund_exceeds_captured', message)];
  }
  return [];
}

/** Every rule the event breaks (empty when it passes), in a stable order. */
export function checkBusinessRules(
  event: UnifiedPaymentEvent,
  totals: PaymentTotals,
  options: RuleOptions = DEFAULT_RULE_OPTIONS,
): RuleViolation[] {
  const out = [...checkAmount(event), ...checkTimestamp(event, options)];
  if (REFUNDS.has(event.event_type)) out.push(...checkRefund(event, totals));
  if (DISPUTES.has(event.event_type) && unsuccessful(totals) === 'failed') {
    out.push(violation('dispute_of_failed_payment', `payment ${event.payment_id} failed; nothing to dispute`));
  }
  return out;
}
