/**
 * Stripe's decline and error codes onto paypipe's unified decline taxonomy, which decides the retry
 * strategy. Each list is Stripe's published one (docs.stripe.com/declines/codes, docs.stripe.com/error-codes,
 * `Refund.failure_reason`); a code not in a list maps to `other`, and the raw code stays in metadata.
 */
import type { FailureCode } from '../../contracts/vocabulary.ts';
import { lookup } from './maps.ts';

/** The card decline codes (`decline_code`, and a Charge's `outcome.reason` for issuer declines). */
export const STRIPE_DECLINE_CODES = [
  'authentication_required',
  'authentication_not_handled',
  'approve_with_id',
  'call_issuer',
  'card_not_supported',
  'card_velocity_exceeded',
  'currency_not_supported',
  'do_not_honor',
  'do_not_try_again',
  'duplicate_transaction',
  'expired_card',
  'fraudulent',
  'generic_decline',
  'incorrect_address',
  'incorrect_cvc',
  'incorrect_number',
  'incorrect_pin',
  'incorrect_zip',
  'insufficient_funds',
  'invalid_account',
  'invalid_amount',
  'invalid_cvc',
  'invalid_expiry_month',
  'invalid_expiry_year',
  'invalid_number',
  'invalid_pin',
  'issuer_not_available',
  'lost_card',
  'merchant_blacklist',
  'mobile_device_authentication_required',
  'new_account_information_available',
  'no_action_taken',
  'not_permitted',
  'offline_pin_required',
  'online_or_offline_pin_required',
  'pickup_card',
  'pin_try_exceeded',
  'processing_error',
  'reenter_transaction',
  'restricted_card',
  'revocation_of_all_authorizations',
  'revocation_of_authorization',
  'security_violation',
  'service_not_allowed',
  'stolen_card',
  'stop_payment_order',
  'testmode_decline',
  'transaction_not_allowed',
  'try_again_later',
  'withdrawal_count_limit_exceeded',
] as const;
export type StripeDeclineCode = (typeof STRIPE_DECLINE_CODES)[number];

export const DECLINE_CODES = {
  authentication_required: 'authentication_required',
  authentication_not_handled: 'authentication_required',
  // "The payment can't be authorized": Stripe advises attempting it again.
  approve_with_id: 'try_again_later',
  call_issuer: 'do_not_honor',
  card_not_supported: 'card_not_supported',
  card_velocity_exceeded: 'limit_exceeded',
  currency_not_supported: 'currency_not_supported',
  do_not_honor: 'do_not_honor',
  do_not_try_again: 'do_not_honor',
  duplicate_transaction: 'duplicate_transaction',
  expired_card: 'expired_card',
  fraudulent: 'suspected_fraud',
  generic_decline: 'do_not_honor',
  incorrect_address: 'incorrect_address',
  incorrect_cvc: 'incorrect_cvc',
  incorrect_number: 'incorrect_number',
  // A wrong PIN has no unified code; the customer has to re-enter it, which no retry strategy can do.
  incorrect_pin: 'other',
  incorrect_zip: 'incorrect_address',
  insufficient_funds: 'insufficient_funds',
  invalid_account: 'invalid_account',
  invalid_amount: 'invalid_amount',
  invalid_cvc: 'incorrect_cvc',
  // Like an expired card, the stored expiry is unusable until the customer updates the card.
  invalid_expiry_month: 'expired_card',
  invalid_expiry_year: 'expired_card',
  invalid_number: 'incorrect_number',
  invalid_pin: 'other',
  issuer_not_available: 'try_again_later',
  lost_card: 'lost_or_stolen_card',
  merchant_blacklist: 'suspected_fraud',
  mobile_device_authentication_required: 'authentication_required',
  new_account_information_available: 'invalid_account',
  no_action_taken: 'do_not_honor',
  not_permitted: 'do_not_honor',
  offline_pin_required: 'authentication_required',
  online_or_offline_pin_required: 'authentication_required',
  pickup_card: 'pickup_card',
  pin_try_exceeded: 'limit_exceeded',
  processing_error: 'processing_error',
  reenter_transaction: 'try_again_later',
  restricted_card: 'restricted_card',
  revocation_of_all_authorizations: 'revocation_of_authorization',
  revocation_of_authorization: 'revocation_of_authorization',
  security_violation: 'do_not_honor',
  service_not_allowed: 'do_not_honor',
  stolen_card: 'lost_or_stolen_card',
  // The cardholder told the issuer to stop this merchant's payments: as final as a revocation.
  stop_payment_order: 'revocation_of_authorization',
  testmode_decline: 'other',
  transaction_not_allowed: 'do_not_honor',
  try_again_later: 'try_again_later',
  withdrawal_count_limit_exceeded: 'limit_exceeded',
} as const satisfies Record<StripeDeclineCode, FailureCode>;

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
