/**
 * Stripe's error codes, Radar block reasons and refund failure reasons onto paypipe's unified decline
 * taxonomy, which decides the retry strategy, and the order in which a failure's codes are consulted. Each
 * list is Stripe's published one (docs.stripe.com/error-codes, `Refund.failure_reason`); a code not in a
 * list maps to `other`, and the raw code stays in metadata.
 */
import type { FailureCode } from '../../contracts/vocabulary.ts';
import { DECLINE_CODES } from './decline-codes.ts';
import { lookup } from './maps.ts';

/**
 * The error codes that describe a failed payment (`last_payment_error.code`, `Charge.failure_code`), card
 * and bank debits. API-usage errors (`parameter_missing`, …) are not payment declines and map to `other`.
 */
export const STRIPE_PAYMENT_ERROR_CODES = [
  'account_closed',
  'account_frozen',
  'account_number_invalid',
  'amount_too_large',
  'amount_too_small',
  'authentication_required',
  'balance_insufficient',
  'bank_account_declined',
  'bank_account_restricted',
  'bank_account_unusable',
  'card_decline_rate_limit_exceeded',
  'card_declined',
  'could_not_process',
  'debit_not_authorized',
  'expired_card',
  'incorrect_address',
  'incorrect_cvc',
  'incorrect_number',
  'incorrect_zip',
  'insufficient_funds',
  'invalid_account_number',
  'invalid_card_type',
  'invalid_charge_amount',
  'invalid_currency',
  'invalid_cvc',
  'invalid_expiry_month',
  'invalid_expiry_year',
  'invalid_number',
  'no_account',
  'payment_intent_authentication_failure',
  'payment_method_currency_mismatch',
  'payment_method_customer_decline',
  'payment_method_provider_decline',
  'payment_method_provider_timeout',
  'processing_error',
  'rate_limit',
  'refer_to_customer',
  'routing_number_invalid',
] as const;
export type StripePaymentErrorCode = (typeof STRIPE_PAYMENT_ERROR_CODES)[number];

export const ERROR_CODES = {
  account_closed: 'invalid_account',
  account_frozen: 'invalid_account',
  account_number_invalid: 'invalid_account',
  amount_too_large: 'invalid_amount',
  amount_too_small: 'invalid_amount',
  authentication_required: 'authentication_required',
  balance_insufficient: 'insufficient_funds',
  bank_account_declined: 'invalid_account',
  bank_account_restricted: 'invalid_account',
  bank_account_unusable: 'invalid_account',
  card_decline_rate_limit_exceeded: 'limit_exceeded',
  // Without a decline code, Stripe's generic card decline.
  card_declined: 'do_not_honor',
  could_not_process: 'processing_error',
  debit_not_authorized: 'revocation_of_authorization',
  expired_card: 'expired_card',
  incorrect_address: 'incorrect_address',
  incorrect_cvc: 'incorrect_cvc',
  incorrect_number: 'incorrect_number',
  incorrect_zip: 'incorrect_address',
  insufficient_funds: 'insufficient_funds',
  invalid_account_number: 'invalid_account',
  invalid_card_type: 'card_not_supported',
  invalid_charge_amount: 'invalid_amount',
  invalid_currency: 'currency_not_supported',
  invalid_cvc: 'incorrect_cvc',
  invalid_expiry_month: 'expired_card',
  invalid_expiry_year: 'expired_card',
  invalid_number: 'incorrect_number',
  no_account: 'invalid_account',
  payment_intent_authentication_failure: 'authentication_required',
  payment_method_currency_mismatch: 'currency_not_supported',
  payment_method_customer_decline: 'do_not_honor',
  payment_method_provider_decline: 'do_not_honor',
  payment_method_provider_timeout: 'try_again_later',
  processing_error: 'processing_error',
  rate_limit: 'try_again_later',
  refer_to_customer: 'do_not_honor',
  routing_number_invalid: 'invalid_account',
} as const satisfies Record<StripePaymentErrorCode, FailureCode>;

/** `Charge.outcome.reason` when Stripe (Radar) blocked the payment rather than the issuer declining it. */
export const STRIPE_BLOCK_REASONS = [
  'highest_risk_level',
  'elevated_risk_level',
  'rule',
  'low_probability_of_authorization',
] as const;
export const BLOCK_REASONS = {
  highest_risk_level: 'suspected_fraud',
  elevated_risk_level: 'suspected_fraud',
  rule: 'suspected_fraud',
  // Stripe's own prediction that the issuer would decline: a soft decline, not fraud.
  low_probability_of_authorization: 'do_not_honor',
} as const satisfies Record<(typeof STRIPE_BLOCK_REASONS)[number], FailureCode>;

/** `Refund.failure_reason`. */
export const STRIPE_REFUND_FAILURE_REASONS = [
  'lost_or_stolen_card',
  'expired_or_canceled_card',
  'charge_for_pending_refund_disputed',
  'insufficient_funds',
  'declined',
  'merchant_request',
  'unknown',
] as const;
export const REFUND_FAILURE_REASONS = {
  lost_or_stolen_card: 'lost_or_stolen_card',
  expired_or_canceled_card: 'expired_card',
  charge_for_pending_refund_disputed: 'other',
  insufficient_funds: 'insufficient_funds',
  declined: 'do_not_honor',
  merchant_request: 'other',
  unknown: 'other',
} as const satisfies Record<(typeof STRIPE_REFUND_FAILURE_REASONS)[number], FailureCode>;

/** A decline code first (it is the more specific), then the error code, else `other`. */
export function failureFromCodes(declineCode: unknown, errorCode: unknown): FailureCode {
  return (
    lookup(DECLINE_CODES, declineCode) ?? lookup(ERROR_CODES, errorCode) ?? lookup(DECLINE_CODES, errorCode) ?? 'other'
  );
}

/** A Charge's failure: the issuer's decline reason, Radar's block reason, then `failure_code`. */
export function failureFromCharge(outcomeType: unknown, outcomeReason: unknown, failureCode: unknown): FailureCode {
  if (outcomeType === 'blocked') return lookup(BLOCK_REASONS, outcomeReason) ?? 'suspected_fraud';
  return failureFromCodes(outcomeReason, failureCode);
}

export function failureFromRefund(failureReason: unknown): FailureCode {
  return lookup(REFUND_FAILURE_REASONS, failureReason) ?? 'other';
}
