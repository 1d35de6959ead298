/**
 * The closed vocabularies of paypipe's contracts (DESIGN.md §3). Each is an `as const` tuple so that
 * TypeScript derives the union type and zod validates the same list at run time.
 */
import { z } from 'zod';

export const PROVIDERS = ['stripe', 'square', 'adyen', 'braintree'] as const;
export const ProviderName = z.enum(PROVIDERS);
export type ProviderName = z.infer<typeof ProviderName>;

export const EVENT_TYPES = [
  'payment.authorized',
  'payment.succeeded',
  'payment.captured',
  'payment.failed',
  'payment.canceled',
  'payment.pending',
  'refund.created',
  'refund.succeeded',
  'refund.failed',
  'dispute.opened',
  'dispute.won',
  'dispute.lost',
] as const;
export const EventType = z.enum(EVENT_TYPES);
export type EventType = z.infer<typeof EventType>;

export const STATUSES = ['succeeded', 'failed', 'pending', 'authorized', 'canceled', 'refunded', 'disputed'] as const;
export const Status = z.enum(STATUSES);
export type Status = z.infer<typeof Status>;

/**
 * The unified decline taxonomy. Every provider maps its own decline and error codes onto these; the raw
 * code stays in the event's metadata. The retry strategy is decided from this code.
 */
export const FAILURE_CODES = [
  'insufficient_funds',
  'do_not_honor',
  'expired_card',
  'incorrect_cvc',
  'incorrect_number',
  'incorrect_address',
  'lost_or_stolen_card',
  'pickup_card',
  'suspected_fraud',
  'restricted_card',
  'card_not_supported',
  'currency_not_supported',
  'invalid_account',
  'invalid_amount',
  'duplicate_transaction',
  'processing_error',
  'try_again_later',
  'authentication_required',
  'limit_exceeded',
  'revocation_of_authorization',
  'other',
] as const;
export const FailureCode = z.enum(FAILURE_CODES);
export type FailureCode = z.infer<typeof FailureCode>;

export const RETRY_STRATEGIES = ['immediate', 'delayed', 'none'] as const;
export const RetryStrategy = z.enum(RETRY_STRATEGIES);
export type RetryStrategy = z.infer<typeof RetryStrategy>;
