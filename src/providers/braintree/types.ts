/**
 * Braintree's webhook vocabulary, as the official SDK (braintree 3.40, `WebhookNotification.Kind`) lists it.
 * The notification itself is XML; after parsing, every leaf is a string (see envelope.ts).
 */
import type { JsonObject } from '../payload.ts';

/** All 41 notification kinds of `braintree.WebhookNotification.Kind`. */
export const BRAINTREE_KINDS = [
  'account_updater_daily_report',
  'check',
  'connected_merchant_paypal_status_changed',
  'connected_merchant_status_transitioned',
  'disbursement',
  'dispute_accepted',
  'dispute_auto_accepted',
  'dispute_disputed',
  'dispute_expired',
  'dispute_lost',
  'dispute_opened',
  'dispute_under_review',
  'dispute_won',
  'granted_payment_instrument_update',
  'granted_payment_method_revoked',
  'grantor_updated_granted_payment_method',
  'local_payment_completed',
  'local_payment_expired',
  'local_payment_funded',
  'local_payment_reversed',
  'oauth_access_revoked',
  'partner_merchant_connected',
  'partner_merchant_declined',
  'partner_merchant_disconnected',
  'payment_method_customer_data_updated',
  'payment_method_revoked_by_customer',
  'recipient_updated_granted_payment_method',
  'refund_failed',
  'subscription_billing_skipped',
  'subscription_canceled',
  'subscription_charged_successfully',
  'subscription_charged_unsuccessfully',
  'subscription_expired',
  'subscription_trial_ended',
  'subscription_went_active',
  'subscription_went_past_due',
  'transaction_disbursed',
  'transaction_retried',
  'transaction_reviewed',
  'transaction_settled',
  'transaction_settlement_declined',
] as const;
export type BraintreeKind = (typeof BRAINTREE_KINDS)[number];

export function isBraintreeKind(kind: string): kind is BraintreeKind {
  return (BRAINTREE_KINDS as readonly string[]).includes(kind);
}

/** Where the payment fact of a mapped kind lives in `notification.subject`. */
export type SubjectShape = 'subscription' | 'transaction' | 'dispute' | 'refund';

/** A parsed `<notification>`: `timestamp`, `kind`, optional `source-merchant-id`, and `subject`. */
export type Notification = JsonObject;
