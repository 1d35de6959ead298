/**
 * The Stripe payload shapes paypipe reads (stripe 23 SDK types, API version 2026-10-28). Only the fields
 * normalization uses are typed; real events carry many more, which are kept in the raw record untouched.
 */

/** The event types of the three routed families (`payment_intent.*`, `charge.*`, `refund.*`) in stripe 23. */
export const STRIPE_EVENT_TYPES = [
  'payment_intent.amount_capturable_updated',
  'payment_intent.canceled',
  'payment_intent.created',
  'payment_intent.partially_funded',
  'payment_intent.payment_failed',
  'payment_intent.processing',
  'payment_intent.requires_action',
  'payment_intent.succeeded',
  'charge.captured',
  'charge.dispute.closed',
  'charge.dispute.created',
  'charge.dispute.funds_reinstated',
  'charge.dispute.funds_withdrawn',
  'charge.dispute.updated',
  'charge.expired',
  'charge.failed',
  'charge.pending',
  'charge.refund.updated',
  'charge.refunded',
  'charge.succeeded',
  'charge.updated',
  'refund.created',
  'refund.failed',
  'refund.updated',
] as const;
export type StripeEventType = (typeof STRIPE_EVENT_TYPES)[number];

/** The `object` of `data.object` in the events paypipe maps. */
export type StripeObjectKind = 'payment_intent' | 'charge' | 'refund' | 'dispute';

/** `Refund.status` values (the SDK types it as a plain string; these are the documented ones). */
export const STRIPE_REFUND_STATUSES = ['pending', 'requires_action', 'succeeded', 'failed', 'canceled'] as const;
export type StripeRefundStatus = (typeof STRIPE_REFUND_STATUSES)[number];

/** `Dispute.Status` in stripe 23. */
export const STRIPE_DISPUTE_STATUSES = [
  'warning_needs_response',
  'warning_under_review',
  'warning_closed',
  'needs_response',
  'under_review',
  'won',
  'lost',
  'prevented',
  'appeal_needs_response',
  'appeal_under_review',
] as const;
export type StripeDisputeStatus = (typeof STRIPE_DISPUTE_STATUSES)[number];

/** The event envelope Stripe POSTs (`Stripe.Event`). */
export interface StripeEvent {
  readonly id: string;
  readonly object: 'event';
  readonly api_version: string | null;
  /** Unix seconds. */
  readonly created: number;
  /** Connect: the connected account (the merchant) the event happened on. */
  readonly account?: string;
  readonly livemode: boolean;
  readonly pending_webhooks: number;
  readonly request: { readonly id: string | null; readonly idempotency_key: string | null } | null;
  readonly type: string;
  readonly data: { readonly object: Readonly<Record<string, unknown>>; readonly previous_attributes?: object };
}
