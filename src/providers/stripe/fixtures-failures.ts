/**
 * Stripe fixtures for declines, a cancellation, a pending bank debit, a chargeback's life (opened, funds
 * withdrawn and reinstated, won) and a lost dispute, plus an unsupported non-payment event.
 */
import type { ProviderFixture } from '../fixture.ts';
import { CUSTOMER, charge, dispute, event, type Money, paymentIntent, T0 } from './fixture-objects.ts';

const USD: Money = { amount: 4999, currency: 'usd' };
const EUR: Money = { amount: 12_900, currency: 'eur' };
const GBP: Money = { amount: 23_450, currency: 'gbp' };
const PI_DISPUTED = 'pi_3SxT4gK8hG4nL0aZ1m8CdF2w';
const CH_DISPUTED = 'ch_3SxT4gK8hG4nL0aZ1j6VsK9y';

const declined = (reason: string, networkCode: string, advice: string, message: string) => ({
  status: 'failed',
  failure_code: 'card_declined',
  failure_message: message,
  outcome: {
    advice_code: advice,
    network_advice_code: null,
    network_decline_code: networkCode,
    network_status: 'declined_by_network',
    reason,
    risk_level: 'normal',
    risk_score: 31,
    seller_message: `The bank returned the decline code \`${reason}\`.`,
    type: 'issuer_declined',
  },
});

export const failureFixtures: readonly ProviderFixture[] = [
  {
    name: 'payment_intent.payment_failed',
    payload: event(
      'evt_3SxV5jK8hG4nL0aZ1cRtE015',
      'payment_intent.payment_failed',
      T0 + 900,
      paymentIntent('pi_3SxV5jK8hG4nL0aZ1t2WcY8b', EUR, 'requires_payment_method', {
        latest_charge: 'ch_3SxV5jK8hG4nL0aZ1e7RfH3d',
        last_payment_error: {
          advice_code: 'try_again_later',
          charge: 'ch_3SxV5jK8hG4nL0aZ1e7RfH3d',
          code: 'card_declined',
          decline_code: 'insufficient_funds',
          doc_url: 'https://stripe.com/docs/error-codes/card-declined',
          message: 'Your card has insufficient funds.',
          network_decline_code: '51',
          type: 'card_error',
        },
      }),
    ),
    expect: ['payment.failed'],
  },
  {
    name: 'charge.failed',
    payload: event(
      'evt_3SxW6kK8hG4nL0aZ0cRtE016',
      'charge.failed',
      T0 + 1200,
      charge(
        'ch_3SxW6kK8hG4nL0aZ0g3TmJ5e',
        'pi_3SxW6kK8hG4nL0aZ0u8XdZ1c',
        EUR,
        'failed',
        declined('lost_card', '41', 'do_not_try_again', 'Your card was declined.'),
      ),
    ),
    expect: ['payment.failed'],
  },
  {
    name: 'payment_intent.canceled',
    payload: event(
      'evt_3SxX7mK8hG4nL0aZ1cRtE017',
      'payment_intent.canceled',
      T0 + 86_400,
      paymentIntent('pi_3SxX7mK8hG4nL0aZ1y5EeA2f', USD, 'canceled', {
        canceled_at: T0 + 86_400,
        cancellation_reason: 'abandoned',
        payment_method: null,
      }),
    ),
    expect: ['payment.canceled'],
  },
  {
    name: 'charge.pending',
    payload: event(
      'evt_3SxY8nK8hG4nL0aZ0cRtE018',
      'charge.pending',
      T0 + 300,
      charge('py_3SxY8nK8hG4nL0aZ0h4UnK6g', 'pi_3SxY8nK8hG4nL0aZ0z6FfB3h', EUR, 'pending', {
        outcome: {
          network_status: 'approved_by_network',
          reason: null,
          risk_level: 'not_assessed',
          seller_message: 'Payment complete.',
          type: 'authorized',
        },
        payment_method_details: {
          sepa_debit: {
            bank_code: '37040044',
            branch_code: '',
            country: 'DE',
            fingerprint: 'Kp4rT8wQ2mZ6nB1v',
            last4: '3000',
            mandate: 'mandate_1SxY8nK8hG4nL0aZ',
          },
          type: 'sepa_debit',
        },
      }),
    ),
    expect: ['payment.pending'],
  },
  {
    name: 'charge.dispute.created',
    payload: event(
      'evt_3SxT4gK8hG4nL0aZ1cRtE019',
      'charge.dispute.created',
      T0 + 12 * 86_400,
      dispute('dp_1SxZ9pK8hG4nL0aZkR3wT5yU', CH_DISPUTED, PI_DISPUTED, GBP, 'needs_response'),
    ),
    expect: ['dispute.opened'],
  },
  {
    name: 'charge.dispute.funds_withdrawn',
    payload: event(
      'evt_3SxT4gK8hG4nL0aZ1cRtE020',
      'charge.dispute.funds_withdrawn',
      T0 + 12 * 86_400 + 5,
      dispute('dp_1SxZ9pK8hG4nL0aZkR3wT5yU', CH_DISPUTED, PI_DISPUTED, GBP, 'needs_response'),
    ),
    expect: ['dispute.opened'],
  },
  {
    name: 'charge.dispute.funds_reinstated',
    payload: event(
      'evt_3SxT4gK8hG4nL0aZ1cRtE021',
      'charge.dispute.funds_reinstated',
      T0 + 60 * 86_400,
      dispute('dp_1SxZ9pK8hG4nL0aZkR3wT5yU', CH_DISPUTED, PI_DISPUTED, GBP, 'won'),
    ),
    expect: ['dispute.won'],
  },
  {
    name: 'charge.dispute.closed:won',
    payload: event(
      'evt_3SxT4gK8hG4nL0aZ1cRtE022',
      'charge.dispute.closed',
      T0 + 60 * 86_400,
      dispute('dp_1SxZ9pK8hG4nL0aZkR3wT5yU', CH_DISPUTED, PI_DISPUTED, GBP, 'won'),
    ),
    expect: ['dispute.won'],
  },
  {
    name: 'charge.dispute.closed:lost',
    payload: event(
      'evt_3Sy01qK8hG4nL0aZ0cRtE023',
      'charge.dispute.closed',
      T0 + 75 * 86_400,
      dispute(
        'dp_1Sy01qK8hG4nL0aZmT6xV8zW',
        'ch_3Sy01qK8hG4nL0aZ0k9WtL2m',
        'pi_3Sy01qK8hG4nL0aZ0a7GgC4j',
        USD,
        'lost',
        {
          reason: 'product_not_received',
          network_reason_code: '13.1',
        },
      ),
    ),
    expect: ['dispute.lost'],
  },
  {
    name: 'customer.created',
    payload: event('evt_1Sy12rK8hG4nL0aZcRtE0024', 'customer.created', T0 - 86_400, {
      id: CUSTOMER,
      object: 'customer',
      address: null,
      balance: 0,
      created: T0 - 86_400,
      currency: null,
      default_source: null,
      delinquent: false,
      description: null,
      email: 'ada@example.com',
      invoice_prefix: 'A1B2C3D4',
      invoice_settings: { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null },
      livemode: false,
      metadata: {},
      name: 'Ada Lovelace',
      phone: null,
      preferred_locales: ['en-GB'],
      shipping: null,
      tax_exempt: 'none',
      test_clock: null,
    }),
    expect: 'unsupported',
  },
];
