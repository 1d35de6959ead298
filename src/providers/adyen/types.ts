/**
 * Adyen standard webhook payloads, as the Notification API describes them (the SDK's
 * `typings/notification` models). Values arrive untrusted: these types describe what Adyen sends, and
 * the code reads each field through a payload reader rather than trusting them.
 */

/** Every event code of the SDK's `NotificationRequestItem.EventCodeEnum` (@adyen/api-library 32). */
export const ADYEN_EVENT_CODES = [
  'AUTORESCUE',
  'AUTHORISATION',
  'AUTHORISATION_ADJUSTMENT',
  'CANCEL_AUTORESCUE',
  'CANCELLATION',
  'CANCEL_OR_REFUND',
  'CAPTURE',
  'CAPTURE_FAILED',
  'CHARGEBACK',
  'CHARGEBACK_REVERSED',
  'DISPUTE_DEFENSE_PERIOD_ENDED',
  'DONATION',
  'EXPIRE',
  'HANDLED_EXTERNALLY',
  'INFORMATION_SUPPLIED',
  'ISSUER_COMMENTS',
  'ISSUER_RESPONSE_TIMEFRAME_EXPIRED',
  'MANUAL_REVIEW_ACCEPT',
  'MANUAL_REVIEW_REJECT',
  'NOTIFICATION_OF_CHARGEBACK',
  'NOTIFICATION_OF_FRAUD',
  'OFFER_CLOSED',
  'ORDER_CLOSED',
  'ORDER_OPENED',
  'PAIDOUT_REVERSED',
  'PENDING',
  'POSTPONED_REFUND',
  'PREARBITRATION_LOST',
  'PREARBITRATION_WON',
  'PROCESS_RETRY',
  'PAYOUT_DECLINE',
  'PAYOUT_EXPIRE',
  'PAYOUT_THIRDPARTY',
  'RECURRING_CONTRACT',
  'REFUND',
  'REFUND_FAILED',
  'REFUNDED_REVERSED',
  'REFUND_WITH_DATA',
  'REPORT_AVAILABLE',
  'REQUEST_FOR_INFORMATION',
  'SECOND_CHARGEBACK',
  'TECHNICAL_CANCEL',
  'VOID_PENDING_REFUND',
] as const;
export type AdyenEventCode = (typeof ADYEN_EVENT_CODES)[number];

export interface AdyenAmount {
  /** ISO 4217 code, upper-case. */
  readonly currency: string;
  /** Minor units under Adyen's exponent table (ISO 4217 except CLP 2, CVE 0, IDR 0, ISK 2). */
  readonly value: number;
}

export interface AdyenNotificationRequestItem {
  /** String values only; `hmacSignature`, `shopperReference`, `metadata.*`, `refusalReasonRaw`, … */
  readonly additionalData?: Readonly<Record<string, string>>;
  readonly amount: AdyenAmount;
  /** The event's own reference: the payment, the modification or the dispute. */
  readonly pspReference: string;
  /** For modifications and disputes: the payment's pspReference. */
  readonly originalReference?: string;
  readonly eventCode: string;
  /** ISO 8601 with offset, e.g. `2026-11-20T14:02:05+01:00`. */
  readonly eventDate: string;
  readonly merchantAccountCode: string;
  readonly merchantReference: string;
  readonly operations?: readonly string[];
  readonly paymentMethod?: string;
  /** The refusal reason when `success` is "false"; other details (auth code, card summary) otherwise. */
  readonly reason?: string;
  readonly success: 'true' | 'false';
}

export interface AdyenNotification {
  readonly live: 'true' | 'false';
  readonly notificationItems: readonly { readonly NotificationRequestItem: AdyenNotificationRequestItem }[];
}
