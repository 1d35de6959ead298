/**
 * What each Adyen event code means for paypipe. Exhaustive over the SDK's event codes; a code Adyen adds
 * later is not in the table and is reported as unsupported, never a crash.
 */
import type { EventType, Status } from '../../contracts/vocabulary.ts';
import { type ExponentTable, exponentTable } from '../currency.ts';
import type { AdyenEventCode } from './types.ts';

/** ISO 4217 with the exceptions on Adyen's currency codes page: there the table, not the standard, leads. */
export const ADYEN_EXPONENTS: ExponentTable = exponentTable({ CLP: 2, CVE: 0, IDR: 0, ISK: 2 });

export interface Outcome {
  readonly eventType: EventType;
  readonly status: Status;
}

const outcome = (eventType: EventType, status: Status): Outcome => ({ eventType, status });
const AUTHORIZED = outcome('payment.authorized', 'authorized');
const CAPTURED = outcome('payment.captured', 'succeeded');
const PAYMENT_FAILED = outcome('payment.failed', 'failed');
const CANCELED = outcome('payment.canceled', 'canceled');
const PENDING = outcome('payment.pending', 'pending');
const REFUNDED = outcome('refund.succeeded', 'refunded');
const REFUND_FAILED = outcome('refund.failed', 'failed');
// Every dispute event keeps the payment `disputed`; the event type carries the stage and the outcome.
const DISPUTE_OPENED = outcome('dispute.opened', 'disputed');
const DISPUTE_WON = outcome('dispute.won', 'disputed');
const DISPUTE_LOST = outcome('dispute.lost', 'disputed');

/**
 * A rule: the outcome when `success` is "true" and when it is "false" (null: that item records no payment
 * fact, e.g. a cancellation Adyen could not carry out leaves the payment as it was), or a rule that reads
 * `additionalData` to decide.
 */
export type EventRule =
  | { readonly kind: 'fixed'; readonly success: Outcome | null; readonly failure: Outcome | null }
  | { readonly kind: 'modification_action'; readonly failure: Outcome }
  | { readonly kind: 'dispute_status' }
  | { readonly kind: 'unsupported' };

const on = (success: Outcome | null, failure: Outcome | null = null): EventRule => ({
  kind: 'fixed',
  success,
  failure,
});
const UNSUPPORTED: EventRule = { kind: 'unsupported' };

export const EVENT_RULES = {
  AUTHORISATION: on(AUTHORIZED, PAYMENT_FAILED),
  // A new authorised amount; when the adjustment fails the original authorisation stands.
  AUTHORISATION_ADJUSTMENT: on(AUTHORIZED),
  CAPTURE: on(CAPTURED, PAYMENT_FAILED),
  // Sent with success "true": the capture was rejected by the scheme after Adyen accepted it.
  CAPTURE_FAILED: on(PAYMENT_FAILED, PAYMENT_FAILED),
  CANCELLATION: on(CANCELED),
  TECHNICAL_CANCEL: on(CANCELED),
  OFFER_CLOSED: on(CANCELED),
  // additionalData['modification.action'] says whether Adyen cancelled or refunded; a failure returned nothing.
  CANCEL_OR_REFUND: { kind: 'modification_action', failure: REFUND_FAILED },
  PENDING: on(PENDING),
  REFUND: on(REFUNDED, REFUND_FAILED),
  REFUND_WITH_DATA: on(REFUNDED, REFUND_FAILED),
  REFUND_FAILED: on(REFUND_FAILED, REFUND_FAILED),
  // The refunded money came back to the merchant: the refund did not reach the shopper.
  REFUNDED_REVERSED: on(REFUND_FAILED, REFUND_FAILED),
  NOTIFICATION_OF_CHARGEBACK: on(DISPUTE_OPENED, DISPUTE_OPENED),
  // additionalData.disputeStatus says whether the chargeback is still open or already lost (accepted).
  CHARGEBACK: { kind: 'dispute_status' },
  CHARGEBACK_REVERSED: on(DISPUTE_WON, DISPUTE_WON),
  ISSUER_RESPONSE_TIMEFRAME_EXPIRED: on(DISPUTE_WON, DISPUTE_WON),
  PREARBITRATION_WON: on(DISPUTE_WON, DISPUTE_WON),
  SECOND_CHARGEBACK: on(DISPUTE_LOST, DISPUTE_LOST),
  PREARBITRATION_LOST: on(DISPUTE_LOST, DISPUTE_LOST),
  // Informational, or about payouts, reports, orders and tokens rather than a payment's money.
  AUTORESCUE: UNSUPPORTED,
  CANCEL_AUTORESCUE: UNSUPPORTED,
  DISPUTE_DEFENSE_PERIOD_ENDED: UNSUPPORTED,
  DONATION: UNSUPPORTED,
  // Can follow a partial capture (only the remainder expires), so it says nothing certain about the payment.
  EXPIRE: UNSUPPORTED,
  HANDLED_EXTERNALLY: UNSUPPORTED,
  INFORMATION_SUPPLIED: UNSUPPORTED,
  ISSUER_COMMENTS: UNSUPPORTED,
  MANUAL_REVIEW_ACCEPT: UNSUPPORTED,
  MANUAL_REVIEW_REJECT: UNSUPPORTED,
  NOTIFICATION_OF_FRAUD: UNSUPPORTED,
  ORDER_CLOSED: UNSUPPORTED,
  ORDER_OPENED: UNSUPPORTED,
  PAIDOUT_REVERSED: UNSUPPORTED,
  POSTPONED_REFUND: UNSUPPORTED,
  PROCESS_RETRY: UNSUPPORTED,
  PAYOUT_DECLINE: UNSUPPORTED,
  PAYOUT_EXPIRE: UNSUPPORTED,
  PAYOUT_THIRDPARTY: UNSUPPORTED,
  RECURRING_CONTRACT: UNSUPPORTED,
  REPORT_AVAILABLE: UNSUPPORTED,
  REQUEST_FOR_INFORMATION: UNSUPPORTED,
  VOID_PENDING_REFUND: UNSUPPORTED,
} as const satisfies Record<AdyenEventCode, EventRule>;

export function ruleFor(eventCode: string): EventRule {
  return Object.hasOwn(EVENT_RULES, eventCode) ? EVENT_RULES[eventCode as AdyenEventCode] : UNSUPPORTED;
}

export const MODIFICATION_ACTIONS = {
  cancel: CANCELED,
  refund: REFUNDED,
} as const satisfies Record<string, Outcome>;

/** `additionalData.disputeStatus` on a CHARGEBACK (Adyen's dispute webhooks page); unknown stays opened. */
export const CHARGEBACK_DISPUTE_STATUSES = {
  Undefended: DISPUTE_OPENED,
  Pending: DISPUTE_OPENED,
  Responded: DISPUTE_OPENED,
  Unresponded: DISPUTE_OPENED,
  Accepted: DISPUTE_LOST,
  Lost: DISPUTE_LOST,
  Expired: DISPUTE_LOST,
  Won: DISPUTE_WON,
} as const satisfies Record<string, Outcome>;

export const DEFAULT_CHARGEBACK = DISPUTE_OPENED;

export function lookup<T>(table: Readonly<Record<string, T>>, key: string | null): T | undefined {
  return key !== null && Object.hasOwn(table, key) ? table[key] : undefined;
}
