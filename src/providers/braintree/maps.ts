/**
 * Braintree kinds and codes on paypipe's vocabulary. Every map is exhaustive over the values the SDK
 * knows; a value Braintree adds later is handled (unsupported kind, `other` failure), never a crash.
 * The reasoning behind each choice is in README.md beside this file.
 */
import type { EventType, FailureCode, Status } from '../../contracts/vocabulary.ts';
import { exponentTable } from '../currency.ts';
import { processorFailureCode } from './decline-codes.ts';
import type { BraintreeKind, SubjectShape } from './types.ts';

/** Braintree formats amounts with the ISO 4217 minor unit; it documents no exception to it. */
export const BRAINTREE_EXPONENTS = exponentTable({});

export interface Outcome {
  readonly eventType: EventType;
  readonly status: Status;
}

export interface KindMapping extends Outcome {
  readonly shape: SubjectShape;
  /** The outcome when the transaction is a credit (a refund of the sale), for kinds that report both. */
  readonly credit?: Outcome;
}

const DISPUTE_LOST: KindMapping = { eventType: 'dispute.lost', status: 'disputed', shape: 'dispute' };

/** null: a genuine notification that is not a payment fact paypipe records. */
export const KIND_MAP = {
  account_updater_daily_report: null,
  check: null,
  connected_merchant_paypal_status_changed: null,
  connected_merchant_status_transitioned: null,
  disbursement: null,
  // Accepting a chargeback, or letting it be accepted or expire, gives the money to the cardholder.
  dispute_accepted: DISPUTE_LOST,
  dispute_auto_accepted: DISPUTE_LOST,
  // Intermediate dispute states: the closed vocabulary has no "dispute updated", and recording them as
  // dispute.opened would count one dispute several times. The outcome arrives as won or lost.
  dispute_disputed: null,
  dispute_expired: DISPUTE_LOST,
  dispute_lost: DISPUTE_LOST,
  dispute_opened: { eventType: 'dispute.opened', status: 'disputed', shape: 'dispute' },
  dispute_under_review: null,
  dispute_won: { eventType: 'dispute.won', status: 'disputed', shape: 'dispute' },
  granted_payment_instrument_update: null,
  granted_payment_method_revoked: null,
  grantor_updated_granted_payment_method: null,
  local_payment_completed: null,
  local_payment_expired: null,
  local_payment_funded: null,
  local_payment_reversed: null,
  oauth_access_revoked: null,
  partner_merchant_connected: null,
  partner_merchant_declined: null,
  partner_merchant_disconnected: null,
  payment_method_customer_data_updated: null,
  payment_method_revoked_by_customer: null,
  recipient_updated_granted_payment_method: null,
  refund_failed: { eventType: 'refund.failed', status: 'failed', shape: 'refund' },
  subscription_billing_skipped: null,
  subscription_canceled: null,
  subscription_charged_successfully: { eventType: 'payment.succeeded', status: 'succeeded', shape: 'subscription' },
  subscription_charged_unsuccessfully: { eventType: 'payment.failed', status: 'failed', shape: 'subscription' },
  subscription_expired: null,
  subscription_trial_ended: null,
  subscription_went_active: null,
  subscription_went_past_due: null,
  transaction_disbursed: null,
  transaction_retried: null,
  transaction_reviewed: null,
  // ACH and SEPA debits: settlement is the moment the debit is known to have succeeded or failed. Braintree
  // sends both for refunds too (a credit): then the refund settled, or the customer's bank returned it.
  transaction_settled: {
    eventType: 'payment.succeeded',
    status: 'succeeded',
    shape: 'transaction',
    credit: { eventType: 'refund.succeeded', status: 'refunded' },
  },
  transaction_settlement_declined: {
    eventType: 'payment.failed',
    status: 'failed',
    shape: 'transaction',
    credit: { eventType: 'refund.failed', status: 'failed' },
  },
} as const satisfies Record<BraintreeKind, KindMapping | null>;

/** `Transaction.GatewayRejectionReason` (plus `excessive_retry`, documented but not yet in the SDK). */
export const GATEWAY_REJECTION_REASONS = {
  application_incomplete: 'processing_error',
  avs: 'incorrect_address',
  avs_and_cvv: 'incorrect_cvc',
  cvv: 'incorrect_cvc',
  duplicate: 'duplicate_transaction',
  excessive_retry: 'limit_exceeded',
  fraud: 'suspected_fraud',
  risk_threshold: 'suspected_fraud',
  three_d_secure: 'authentication_required',
  token_issuance: 'processing_error',
} as const satisfies Record<string, FailureCode>;

/** Settlement response codes (4000-class) that decline. 4000 settled and 4002 pending are not failures. */
export const SETTLEMENT_RESPONSE_CODES = {
  '4001': 'do_not_honor',
  '4003': 'processing_error',
  '4004': 'processing_error',
  '4005': 'suspected_fraud',
  '4006': 'limit_exceeded',
  '4018': 'processing_error',
  '4019': 'processing_error',
  '4020': 'limit_exceeded',
  '4021': 'processing_error',
  '4022': 'invalid_amount',
  '4023': 'processing_error',
  '4024': 'processing_error',
  '4025': 'invalid_account',
} as const satisfies Record<string, FailureCode>;

/** NACHA return codes Braintree reports on a declined ACH settlement (`ach-return-code`). */
export const ACH_RETURN_CODES = {
  R01: 'insufficient_funds',
  R02: 'invalid_account',
  R03: 'invalid_account',
  R04: 'invalid_account',
  R05: 'revocation_of_authorization',
  R07: 'revocation_of_authorization',
  R08: 'revocation_of_authorization',
  R09: 'insufficient_funds',
  R10: 'revocation_of_authorization',
  R16: 'restricted_card',
  R20: 'card_not_supported',
  R29: 'revocation_of_authorization',
} as const satisfies Record<string, FailureCode>;

function lookup(table: Readonly<Record<string, FailureCode>>, code: string | null): FailureCode | undefined {
  if (code === null) return undefined;
  return Object.hasOwn(table, code) ? table[code] : 'other';
}

/** The raw decline codes a failed transaction can carry (null when absent). */
export interface DeclineCodes {
  readonly gatewayRejectionReason: string | null;
  readonly achReturnCode: string | null;
  readonly settlementResponseCode: string | null;
  readonly processorResponseCode: string | null;
}

/**
 * The unified failure code of a failed transaction. A gateway rejection comes first because the processor
 * had approved (its code is 1000); then a settlement decline, whose authorization had been approved too;
 * then the processor's own decline. Nothing known: `other`.
 */
export function failureCodeOf(codes: DeclineCodes): FailureCode {
  const settlement = codes.settlementResponseCode;
  const settlementDeclined = settlement !== null && settlement !== '4000' && settlement !== '4002';
  return (
    lookup(GATEWAY_REJECTION_REASONS, codes.gatewayRejectionReason) ??
    lookup(ACH_RETURN_CODES, codes.achReturnCode) ??
    (settlementDeclined ? lookup(SETTLEMENT_RESPONSE_CODES, settlement) : undefined) ??
    (codes.processorResponseCode === null ? undefined : processorFailureCode(codes.processorResponseCode)) ??
    'other'
  );
}
