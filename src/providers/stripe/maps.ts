/**
 * Stripe's vocabulary mapped onto paypipe's, exhaustively: each map `satisfies` a Record over the
 * provider's full list, so a value added to the list without a mapping fails type checking. Values
 * Stripe adds later are looked up with `lookup` and come back undefined, never a crash.
 */
import type { EventType, Status } from '../../contracts/vocabulary.ts';
import { type ExponentTable, exponentTable } from '../currency.ts';
import type { StripeDisputeStatus, StripeEventType, StripeObjectKind, StripeRefundStatus } from './types.ts';

/**
 * ISO 4217 plus Stripe's departures (docs.stripe.com/currencies): MGA is zero-decimal in Stripe; ISK and
 * UGX became zero-decimal in ISO but Stripe still takes them "as a two-decimal value, where the decimal
 * amount is always 00" (5 ISK is 500). HUF and TWD are zero-decimal for Stripe payouts only; charges,
 * refunds and disputes use two decimals, so they keep ISO's 2.
 */
export const STRIPE_EXPONENTS: ExponentTable = exponentTable({ MGA: 0, ISK: 2, UGX: 2 });

type Fixed = { readonly kind: 'fixed'; readonly eventType: EventType; readonly status: Status };

/** How an event's unified type and status are decided. */
export type Outcome =
  | Fixed
  /** `charge.succeeded`: captured → payment.succeeded, uncaptured (manual capture) → payment.authorized. */
  | { readonly kind: 'capture' }
  /** From `Refund.status`; `refund.created` keeps its own event type. */
  | { readonly kind: 'refund'; readonly created: boolean }
  /** `charge.dispute.closed` and `.funds_reinstated`: won or lost from `Dispute.status`. */
  | { readonly kind: 'dispute_closed' }
  /** `charge.refunded`: a refund, or a released authorization under versions before basil (released.ts). */
  | { readonly kind: 'charge_refunded' };

export interface EventRule {
  readonly object: StripeObjectKind;
  /** The field of `data.object` holding the amount this event is about. */
  readonly amountField: 'amount' | 'amount_received' | 'amount_capturable' | 'amount_captured' | 'amount_refunded';
  readonly outcome: Outcome;
}

const fixed = (eventType: EventType, status: Status): Fixed => ({ kind: 'fixed', eventType, status });
const intent = (amountField: EventRule['amountField'], outcome: Outcome): EventRule => ({
  object: 'payment_intent',
  amountField,
  outcome,
});
const charge = (amountField: EventRule['amountField'], outcome: Outcome): EventRule => ({
  object: 'charge',
  amountField,
  outcome,
});
const refund = (created: boolean): EventRule => ({
  object: 'refund',
  amountField: 'amount',
  outcome: { kind: 'refund', created },
});
const dispute = (outcome: Outcome): EventRule => ({ object: 'dispute', amountField: 'amount', outcome });

/**
 * Every event type of the routed families. `unsupported` ones are genuine but not payment facts:
 * - `payment_intent.created`: no payment was attempted yet (status `requires_payment_method`); abandoned
 *   checkouts would otherwise sit in the store as pending payments forever. `.processing`,
 *   `.requires_action` and the outcome events report the attempt itself.
 * - `payment_intent.partially_funded`: a bank-transfer top-up of the customer's cash balance; the payment
 *   fact arrives as `payment_intent.succeeded` once fully funded.
 * - `charge.updated`, `charge.dispute.updated`: descriptive edits (metadata, evidence), no money moved.
 */
export const EVENT_RULES = {
  'payment_intent.amount_capturable_updated': intent('amount_capturable', fixed('payment.authorized', 'authorized')),
  'payment_intent.canceled': intent('amount', fixed('payment.canceled', 'canceled')),
  'payment_intent.created': 'unsupported',
  'payment_intent.partially_funded': 'unsupported',
  'payment_intent.payment_failed': intent('amount', fixed('payment.failed', 'failed')),
  'payment_intent.processing': intent('amount', fixed('payment.pending', 'pending')),
  'payment_intent.requires_action': intent('amount', fixed('payment.pending', 'pending')),
  'payment_intent.succeeded': intent('amount_received', fixed('payment.succeeded', 'succeeded')),
  'charge.captured': charge('amount_captured', fixed('payment.captured', 'succeeded')),
  'charge.dispute.closed': dispute({ kind: 'dispute_closed' }),
  'charge.dispute.created': dispute(fixed('dispute.opened', 'disputed')),
  // Funds come back after a closed dispute: all of them when won, only a partial refund's part when lost
  // (the status then says lost), so the status decides as for `closed`. They are withdrawn on filing.
  'charge.dispute.funds_reinstated': dispute({ kind: 'dispute_closed' }),
  'charge.dispute.funds_withdrawn': dispute(fixed('dispute.opened', 'disputed')),
  'charge.dispute.updated': 'unsupported',
  // An uncaptured charge whose authorization lapsed: the hold is released, nothing is collected.
  'charge.expired': charge('amount', fixed('payment.canceled', 'canceled')),
  'charge.failed': charge('amount', fixed('payment.failed', 'failed')),
  'charge.pending': charge('amount', fixed('payment.pending', 'pending')),
  'charge.refund.updated': refund(false),
  // The charge's cumulative `amount_refunded`; the individual refund arrives as `refund.*`.
  'charge.refunded': charge('amount_refunded', { kind: 'charge_refunded' }),
  'charge.succeeded': charge('amount', { kind: 'capture' }),
  'charge.updated': 'unsupported',
  'refund.created': refund(true),
  'refund.failed': { object: 'refund', amountField: 'amount', outcome: fixed('refund.failed', 'failed') },
  'refund.updated': refund(false),
} as const satisfies Record<StripeEventType, EventRule | 'unsupported'>;

/** A refund's state as a unified event type and status (used by `refund.updated` and `charge.refund.updated`). */
export const REFUND_STATUSES = {
  pending: fixed('refund.created', 'pending'),
  requires_action: fixed('refund.created', 'pending'),
  succeeded: fixed('refund.succeeded', 'refunded'),
  failed: fixed('refund.failed', 'failed'),
  // A canceled refund returned no money: for the payment's history it failed.
  canceled: fixed('refund.failed', 'canceled'),
} as const satisfies Record<StripeRefundStatus, Fixed>;

/**
 * Where a dispute stands. `warning_closed`: an inquiry closed without becoming a chargeback, so the merchant
 * keeps the funds. `prevented`: a prevention programme (e.g. Visa RDR) settled it by refunding the
 * cardholder, so the merchant does not keep them.
 */
export const DISPUTE_STATUSES = {
  warning_needs_response: 'open',
  warning_under_review: 'open',
  warning_closed: 'won',
  needs_response: 'open',
  under_review: 'open',
  won: 'won',
  lost: 'lost',
  prevented: 'lost',
  appeal_needs_response: 'open',
  appeal_under_review: 'open',
} as const satisfies Record<StripeDisputeStatus, 'open' | 'won' | 'lost'>;

/**
 * Dispute statuses of older API versions, outside the SDK's list. Before 2014-11-20 a won dispute whose charge
 * had been refunded took `charge_refunded`; since then it stays `won`.
 */
export const LEGACY_DISPUTE_STATUSES = { charge_refunded: 'won' } as const;

/** The mapped value of `key`, or undefined for a value the map does not know (including `__proto__`). */
export function lookup<V>(map: Readonly<Record<string, V>>, key: unknown): V | undefined {
  return typeof key === 'string' && Object.hasOwn(map, key) ? map[key] : undefined;
}
