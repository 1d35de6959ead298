/**
 * Builders of real-shaped Stripe objects and event envelopes (fields and nesting as in the API reference
 * and the stripe 23 types), so fixtures state only what differs between event kinds. Test-mode ids.
 */

type Json = Record<string, unknown>;

export const API_VERSION = '2026-10-28.endive';
/** 2026-03-01T09:30:00Z: fixture times count forward from here. */
export const T0 = 1_772_357_400;

export const CUSTOMER = 'cus_TxK3m9QbV2pLwE';
export const CONNECTED_ACCOUNT = 'acct_1SxQ4tLmP8rT2vWz';
const PAYMENT_METHOD = 'pm_1SxR2cK8hG4nL0aZb7YpQm3D';

export interface Money {
  readonly amount: number;
  /** Lower-case, as Stripe sends it. */
  readonly currency: string;
}

/** The envelope Stripe POSTs: pretty-printed with two spaces, as Stripe sends it. */
export function event(id: string, type: string, created: number, object: Json, extra: Json = {}): string {
  const envelope = {
    id,
    object: 'event',
    ...extra,
    api_version: API_VERSION,
    created,
    data: { object },
    livemode: false,
    pending_webhooks: 1,
    request: {
      id: `req_${id.slice(4, 18)}`,
      idempotency_key: `0b6f2c1e-${id.slice(-4).toLowerCase()}-4c2a-9e51-7d3f8a6b1c20`,
    },
    type,
  };
  return JSON.stringify(envelope, null, 2);
}

const card = (brand: string, last4: string, country: string, funding: string) => ({
  brand,
  checks: { address_line1_check: null, address_postal_code_check: 'pass', cvc_check: 'pass' },
  country,
  exp_month: 8,
  exp_year: 2029,
  fingerprint: 'Xq7bN2mK9pL4vR1s',
  funding,
  last4,
  network: brand,
  network_transaction_id: '482946108537291',
  three_d_secure: null,
  wallet: null,
});

/** A Charge's `payment_method_details` for a Visa credit card issued in `country` (alpha-2). */
export function cardDetails(amount: number, country = 'US'): Json {
  return { card: { amount_authorized: amount, ...card('visa', '4242', country, 'credit') }, type: 'card' };
}

export function paymentIntent(id: string, money: Money, status: string, fields: Json = {}): Json {
  return {
    id,
    object: 'payment_intent',
    amount: money.amount,
    amount_capturable: 0,
    amount_details: { tip: {} },
    amount_received: 0,
    application: null,
    application_fee_amount: null,
    automatic_payment_methods: { allow_redirects: 'never', enabled: true },
    canceled_at: null,
    cancellation_reason: null,
    capture_method: 'automatic_async',
    client_secret: `${id}_secret_Fq2W8xKp0LmZ4nRt`,
    confirmation_method: 'automatic',
    created: T0,
    currency: money.currency,
    customer: CUSTOMER,
    description: 'Order #10482',
    last_payment_error: null,
    latest_charge: null,
    livemode: false,
    metadata: { order_id: '10482', channel: 'web' },
    next_action: null,
    on_behalf_of: null,
    payment_method: PAYMENT_METHOD,
    payment_method_configuration_details: { id: 'pmc_1SxQ0aK8hG4nL0aZ', parent: null },
    payment_method_options: {
      card: { installments: null, mandate_options: null, network: null, request_three_d_secure: 'automatic' },
    },
    payment_method_types: ['card', 'link'],
    processing: null,
    receipt_email: 'ada@example.com',
    review: null,
    setup_future_usage: null,
    shipping: null,
    source: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status,
    transfer_data: null,
    transfer_group: null,
    ...fields,
  };
}

export function charge(
  id: string,
  paymentIntentId: string | null,
  money: Money,
  status: string,
  fields: Json = {},
): Json {
  const succeeded = status === 'succeeded';
  return {
    id,
    object: 'charge',
    amount: money.amount,
    amount_captured: succeeded ? money.amount : 0,
    amount_refunded: 0,
    application: null,
    application_fee: null,
    application_fee_amount: null,
    balance_transaction: succeeded ? `txn_${id.slice(3)}` : null,
    billing_details: {
      address: {
        city: 'London',
        country: 'GB',
        line1: '12 Analytical Row',
        line2: null,
        postal_code: 'NW1 6XE',
        state: null,
      },
      email: 'ada@example.com',
      name: 'Ada Lovelace',
      phone: null,
    },
    calculated_statement_descriptor: 'PAYPIPE* DEMO SHOP',
    captured: succeeded,
    created: T0 + 2,
    currency: money.currency,
    customer: CUSTOMER,
    description: 'Order #10482',
    destination: null,
    dispute: null,
    disputed: false,
    failure_balance_transaction: null,
    failure_code: null,
    failure_message: null,
    fraud_details: {},
    livemode: false,
    metadata: { order_id: '10482', channel: 'web' },
    on_behalf_of: null,
    outcome: {
      advice_code: null,
      network_advice_code: null,
      network_decline_code: null,
      network_status: 'approved_by_network',
      reason: null,
      risk_level: 'normal',
      risk_score: 12,
      seller_message: 'Payment complete.',
      type: 'authorized',
    },
    paid: succeeded,
    payment_intent: paymentIntentId,
    payment_method: PAYMENT_METHOD,
    payment_method_details: cardDetails(money.amount),
    receipt_email: 'ada@example.com',
    receipt_number: null,
    receipt_url: `https://pay.stripe.com/receipts/payment/${id}`,
    refunded: false,
    review: null,
    shipping: null,
    source: null,
    source_transfer: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status,
    transfer_data: null,
    transfer_group: null,
    ...fields,
  };
}

export function refund(
  id: string,
  chargeId: string,
  paymentIntentId: string,
  money: Money,
  status: string,
  fields: Json = {},
): Json {
  return {
    id,
    object: 'refund',
    amount: money.amount,
    balance_transaction: `txn_${id.slice(3)}`,
    charge: chargeId,
    created: T0 + 86_400,
    currency: money.currency,
    destination_details: {
      card: {
        reference: '7461053928',
        reference_status: 'available',
        reference_type: 'acquirer_reference_number',
        type: 'refund',
      },
      type: 'card',
    },
    metadata: { support_ticket: 'SUP-3317' },
    payment_intent: paymentIntentId,
    reason: 'requested_by_customer',
    receipt_number: null,
    source_transfer_reversal: null,
    status,
    transfer_reversal: null,
    ...fields,
  };
}

export function dispute(
  id: string,
  chargeId: string,
  paymentIntentId: string,
  money: Money,
  status: string,
  fields: Json = {},
): Json {
  return {
    id,
    object: 'dispute',
    amount: money.amount,
    balance_transactions: [],
    charge: chargeId,
    created: T0 + 12 * 86_400,
    currency: money.currency,
    enhanced_eligibility_types: [],
    evidence: { customer_email_address: null, product_description: null, receipt: null, uncategorized_text: null },
    evidence_details: { due_by: T0 + 33 * 86_400, has_evidence: false, past_due: false, submission_count: 0 },
    is_charge_refundable: false,
    livemode: false,
    metadata: {},
    network_reason_code: '10.4',
    payment_intent: paymentIntentId,
    payment_method_details: {
      card: { brand: 'visa', case_type: 'chargeback', network_reason_code: '10.4' },
      type: 'card',
    },
    reason: 'fraudulent',
    status,
    ...fields,
  };
}
