/**
 * Square's statuses and error codes mapped onto paypipe's vocabulary. Each map is exhaustive over the
 * values Square documents (`satisfies Record<…>`); a value Square adds later is handled by the lookups
 * below, never a crash: an unknown status is reported as invalid, an unknown error code becomes `other`.
 */
import type { EventType, FailureCode, Status } from '../../contracts/vocabulary.ts';

export interface Outcome {
  readonly eventType: EventType;
  readonly status: Status;
}

/** `Payment.status` (SDK: "APPROVED, PENDING, COMPLETED, CANCELED, or FAILED"). */
export const PAYMENT_STATUSES = ['APPROVED', 'PENDING', 'COMPLETED', 'CANCELED', 'FAILED'] as const;
export type SquarePaymentStatus = (typeof PAYMENT_STATUSES)[number];

const PAYMENT_OUTCOMES = {
  APPROVED: { eventType: 'payment.authorized', status: 'authorized' },
  PENDING: { eventType: 'payment.pending', status: 'pending' },
  COMPLETED: { eventType: 'payment.succeeded', status: 'succeeded' },
  CANCELED: { eventType: 'payment.canceled', status: 'canceled' },
  FAILED: { eventType: 'payment.failed', status: 'failed' },
} as const satisfies Record<SquarePaymentStatus, Outcome>;

/**
 * `PaymentRefund.status`: PENDING, COMPLETED, REJECTED, FAILED as documented, plus APPROVED, which the
 * SDK's `RefundStatus` enum also lists: approved but not yet completed, so still pending.
 */
export const REFUND_STATUSES = ['PENDING', 'APPROVED', 'COMPLETED', 'REJECTED', 'FAILED'] as const;
export type SquareRefundStatus = (typeof REFUND_STATUSES)[number];

const REFUND_OUTCOMES = {
  PENDING: { eventType: 'refund.created', status: 'pending' },
  APPROVED: { eventType: 'refund.created', status: 'pending' },
  COMPLETED: { eventType: 'refund.succeeded', status: 'refunded' },
  REJECTED: { eventType: 'refund.failed', status: 'failed' },
  FAILED: { eventType: 'refund.failed', status: 'failed' },
} as const satisfies Record<SquareRefundStatus, Outcome>;

/** The `ErrorCode` values (SDK `api/types/ErrorCode.d.ts`) that can explain a failed payment. */
const DECLINE_CODES = {
  CARD_DECLINED: 'do_not_honor',
  GENERIC_DECLINE: 'do_not_honor',
  CARD_DECLINED_CALL_ISSUER: 'do_not_honor',
  VOICE_FAILURE: 'do_not_honor',
  READER_DECLINED: 'do_not_honor',
  RESERVATION_DECLINED: 'do_not_honor',
  INSUFFICIENT_FUNDS: 'insufficient_funds',
  GIFT_CARD_AVAILABLE_AMOUNT: 'insufficient_funds',
  CVV_FAILURE: 'incorrect_cvc',
  VERIFY_CVV_FAILURE: 'incorrect_cvc',
  ADDRESS_VERIFICATION_FAILURE: 'incorrect_address',
  VERIFY_AVS_FAILURE: 'incorrect_address',
  INVALID_POSTAL_CODE: 'incorrect_address',
  CARD_EXPIRED: 'expired_card',
  // A wrong expiry date is, like an expired card, fixed only by new card data: never retried as is.
  INVALID_EXPIRATION: 'expired_card',
  INVALID_EXPIRATION_YEAR: 'expired_card',
  INVALID_EXPIRATION_DATE: 'expired_card',
  BAD_EXPIRATION: 'expired_card',
  EXPIRATION_FAILURE: 'expired_card',
  PAN_FAILURE: 'incorrect_number',
  INVALID_CARD: 'incorrect_number',
  INVALID_CARD_DATA: 'incorrect_number',
  INVALID_ENCRYPTED_CARD: 'incorrect_number',
  CARD_NOT_SUPPORTED: 'card_not_supported',
  UNSUPPORTED_CARD_BRAND: 'card_not_supported',
  UNSUPPORTED_ENTRY_METHOD: 'card_not_supported',
  UNSUPPORTED_INSTRUMENT_TYPE: 'card_not_supported',
  MANUALLY_ENTERED_PAYMENT_NOT_SUPPORTED: 'card_not_supported',
  INVALID_ACCOUNT: 'invalid_account',
  ACCOUNT_UNUSABLE: 'invalid_account',
  TRANSACTION_LIMIT: 'limit_exceeded',
  PAYMENT_LIMIT_EXCEEDED: 'limit_exceeded',
  AMOUNT_TOO_HIGH: 'limit_exceeded',
  AMOUNT_TOO_LOW: 'invalid_amount',
  PAYMENT_AMOUNT_MISMATCH: 'invalid_amount',
  CARD_DECLINED_VERIFICATION_REQUIRED: 'authentication_required',
  CHIP_INSERTION_REQUIRED: 'authentication_required',
  CARD_PRESENCE_REQUIRED: 'authentication_required',
  INVALID_PIN: 'authentication_required',
  MISSING_PIN: 'authentication_required',
  // The card is locked for PIN entry: a hard decline, like other issuer restrictions.
  ALLOWABLE_PIN_TRIES_EXCEEDED: 'restricted_card',
  CARDHOLDER_INSUFFICIENT_PERMISSIONS: 'restricted_card',
  CURRENCY_MISMATCH: 'currency_not_supported',
  UNSUPPORTED_CURRENCY: 'currency_not_supported',
  IDEMPOTENCY_KEY_REUSED: 'duplicate_transaction',
  BUYER_REFUSED_PAYMENT: 'revocation_of_authorization',
  DELAYED_TRANSACTION_FAILED: 'processing_error',
  INTERNAL_SERVER_ERROR: 'processing_error',
  TEMPORARY_ERROR: 'try_again_later',
  SERVICE_UNAVAILABLE: 'try_again_later',
  GATEWAY_TIMEOUT: 'try_again_later',
  RATE_LIMITED: 'try_again_later',
} as const satisfies Record<string, FailureCode>;

export type SquareDeclineCode = keyof typeof DECLINE_CODES;
export const SQUARE_DECLINE_CODES = Object.keys(DECLINE_CODES) as readonly SquareDeclineCode[];

function has<K extends string>(table: Readonly<Record<K, unknown>>, key: string): key is K {
  return Object.hasOwn(table, key);
}

/** The unified outcome of a payment status, or undefined for a status Square has not documented. */
export function paymentOutcome(status: string): Outcome | undefined {
  return has(PAYMENT_OUTCOMES, status) ? PAYMENT_OUTCOMES[status] : undefined;
}

export function refundOutcome(status: string): Outcome | undefined {
  return has(REFUND_OUTCOMES, status) ? REFUND_OUTCOMES[status] : undefined;
}

/** The unified failure code of a Square error code; `other` for codes outside the decline table. */
export function failureCode(code: string | undefined): FailureCode {
  return code !== undefined && has(DECLINE_CODES, code) ? DECLINE_CODES[code] : 'other';
}

/** `Dispute.state` (SDK `DisputeState`). */
export const DISPUTE_STATES = [
  'INQUIRY_EVIDENCE_REQUIRED',
  'INQUIRY_PROCESSING',
  'INQUIRY_CLOSED',
  'EVIDENCE_REQUIRED',
  'PROCESSING',
  'WON',
  'LOST',
  'ACCEPTED',
] as const;
export type SquareDisputeState = (typeof DISPUTE_STATES)[number];

/**
 * Where a dispute stands, read as Stripe's dispute statuses are (stripe/maps.ts), Square's inquiry being
 * Stripe's warning:
 * - INQUIRY_EVIDENCE_REQUIRED, EVIDENCE_REQUIRED: open, the seller's evidence awaited (warning_needs_response,
 *   needs_response).
 * - INQUIRY_PROCESSING, PROCESSING: evidence submitted, the bank deciding (warning_under_review, under_review).
 * - INQUIRY_CLOSED: the inquiry ended without a chargeback, so the seller keeps the funds: won, as Stripe's
 *   warning_closed. A chargeback that follows it is EVIDENCE_REQUIRED, opened again.
 * - ACCEPTED: the seller accepted the dispute and the cardholder keeps the money: lost, as Braintree's
 *   dispute_accepted and Adyen's Accepted.
 */
const DISPUTE_STAGES = {
  INQUIRY_EVIDENCE_REQUIRED: 'open',
  INQUIRY_PROCESSING: 'under_review',
  INQUIRY_CLOSED: 'won',
  EVIDENCE_REQUIRED: 'open',
  PROCESSING: 'under_review',
  WON: 'won',
  LOST: 'lost',
  ACCEPTED: 'lost',
} as const satisfies Record<SquareDisputeState, 'open' | 'under_review' | 'won' | 'lost'>;

// Every dispute event keeps the payment `disputed`; the event type carries the stage and the outcome.
const DISPUTE_OPENED: Outcome = { eventType: 'dispute.opened', status: 'disputed' };
const DISPUTE_OUTCOMES = {
  open: DISPUTE_OPENED,
  won: { eventType: 'dispute.won', status: 'disputed' },
  lost: { eventType: 'dispute.lost', status: 'disputed' },
} as const satisfies Record<string, Outcome>;

/**
 * The unified outcome of a dispute event with this state: undefined for a state Square has not documented,
 * null for a state change paypipe does not record. A change into review is not recorded: the closed
 * vocabulary has no "dispute updated", and another dispute.opened would count the dispute twice (Braintree's
 * dispute_under_review is unsupported for the same reason). A dispute first reported already under review
 * (`created`) is still news of a dispute: opened.
 */
export function disputeOutcome(state: string, created: boolean): Outcome | null | undefined {
  if (!has(DISPUTE_STAGES, state)) return undefined;
  const stage = DISPUTE_STAGES[state];
  if (stage === 'under_review') return created ? DISPUTE_OPENED : null;
  return DISPUTE_OUTCOMES[stage];
}
