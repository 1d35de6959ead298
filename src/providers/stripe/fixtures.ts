/**
 * One real-shaped Stripe event per kind paypipe maps, plus unsupported ones. Payments tell small stories
 * (a card payment refunded in part, a manual capture on a connected account, declines, a chargeback) so
 * the simulator and `paypipe trigger stripe <name>` can replay them. A `:suffix` names a variant of the
 * same Stripe type (`charge.succeeded:uncaptured`).
 */
import type { ProviderFixture } from '../fixture.ts';
import { CONNECTED_ACCOUNT, charge, event, type Money, paymentIntent, refund, T0 } from './fixture-objects.ts';
import { failureFixtures } from './fixtures-failures.ts';

const USD: Money = { amount: 4999, currency: 'usd' };
const PART: Money = { amount: 1500, currency: 'usd' };
const JPY: Money = { amount: 4800, currency: 'jpy' };
const KWD: Money = { amount: 12_350, currency: 'kwd' };

const PI = 'pi_3SxR2dK8hG4nL0aZ1q7YpM2c';
const CH = 'ch_3SxR2dK8hG4nL0aZ1k4TqW8e';
const PI_MANUAL = 'pi_3SxS9fK8hG4nL0aZ0v3HbN6r';
const CH_MANUAL = 'ch_3SxS9fK8hG4nL0aZ0r2LpX5t';
const connect = { account: CONNECTED_ACCOUNT };

const capturedCharge = charge(CH, PI, USD, 'succeeded');
const manualPi = { capture_method: 'manual', amount_capturable: JPY.amount, latest_charge: CH_MANUAL };
const uncaptured = charge(CH_MANUAL, PI_MANUAL, JPY, 'succeeded', { captured: false, amount_captured: 0 });

const paymentFixtures: readonly ProviderFixture[] = [
  {
    name: 'payment_intent.created',
    payload: event(
      'evt_3SxR2dK8hG4nL0aZ1cRtE001',
      'payment_intent.created',
      T0,
      paymentIntent(PI, USD, 'requires_payment_method', { payment_method: null }),
    ),
    expect: 'unsupported',
  },
  {
    name: 'payment_intent.requires_action',
    payload: event(
      'evt_3SxR2dK8hG4nL0aZ1cRtE002',
      'payment_intent.requires_action',
      T0 + 1,
      paymentIntent(PI, USD, 'requires_action', {
        next_action: { type: 'use_stripe_sdk', use_stripe_sdk: { type: 'three_d_secure_redirect', stripe_js: '' } },
      }),
    ),
    expect: ['payment.pending'],
  },
  {
    name: 'payment_intent.processing',
    payload: event(
      'evt_3SxR2dK8hG4nL0aZ1cRtE003',
      'payment_intent.processing',
      T0 + 1,
      paymentIntent(PI, USD, 'processing'),
    ),
    expect: ['payment.pending'],
  },
  {
    name: 'payment_intent.succeeded',
    payload: event(
      'evt_3SxR2dK8hG4nL0aZ1cRtE004',
      'payment_intent.succeeded',
      T0 + 3,
      paymentIntent(PI, USD, 'succeeded', { amount_received: USD.amount, latest_charge: CH }),
    ),
    expect: ['payment.succeeded'],
  },
  {
    name: 'charge.succeeded',
    payload: event('evt_3SxR2dK8hG4nL0aZ1cRtE005', 'charge.succeeded', T0 + 3, capturedCharge),
    expect: ['payment.succeeded'],
  },
  {
    name: 'charge.refunded',
    payload: event('evt_3SxR2dK8hG4nL0aZ1cRtE006', 'charge.refunded', T0 + 86_400, {
      ...capturedCharge,
      amount_refunded: PART.amount,
    }),
    expect: ['refund.succeeded'],
  },
  {
    name: 'refund.created',
    payload: event(
      'evt_3SxR2dK8hG4nL0aZ1cRtE007',
      'refund.created',
      T0 + 86_400,
      refund('re_3SxR2dK8hG4nL0aZ1p0HwQ4u', CH, PI, PART, 'pending'),
    ),
    expect: ['refund.created'],
  },
  {
    name: 'refund.updated',
    payload: event(
      'evt_3SxR2dK8hG4nL0aZ1cRtE008',
      'refund.updated',
      T0 + 86_460,
      refund('re_3SxR2dK8hG4nL0aZ1p0HwQ4u', CH, PI, PART, 'succeeded'),
    ),
    expect: ['refund.succeeded'],
  },
  {
    name: 'charge.refund.updated',
    payload: event(
      'evt_3SxR2dK8hG4nL0aZ1cRtE009',
      'charge.refund.updated',
      T0 + 86_460,
      refund('re_3SxR2dK8hG4nL0aZ1p0HwQ4u', CH, PI, PART, 'succeeded'),
    ),
    expect: ['refund.succeeded'],
  },
  {
    name: 'refund.failed',
    payload: event(
      'evt_3SxR2dK8hG4nL0aZ1cRtE010',
      'refund.failed',
      T0 + 3 * 86_400,
      refund('re_3SxR2dK8hG4nL0aZ1q5JmR7v', CH, PI, PART, 'failed', {
        failure_reason: 'expired_or_canceled_card',
        failure_balance_transaction: 'txn_3SxR2dK8hG4nL0aZ1f8KnT3w',
      }),
    ),
    expect: ['refund.failed'],
  },
  {
    name: 'payment_intent.amount_capturable_updated',
    payload: event(
      'evt_3SxS9fK8hG4nL0aZ0cRtE011',
      'payment_intent.amount_capturable_updated',
      T0 + 600,
      paymentIntent(PI_MANUAL, JPY, 'requires_capture', manualPi),
      connect,
    ),
    expect: ['payment.authorized'],
  },
  {
    name: 'charge.succeeded:uncaptured',
    payload: event('evt_3SxS9fK8hG4nL0aZ0cRtE012', 'charge.succeeded', T0 + 600, uncaptured, connect),
    expect: ['payment.authorized'],
  },
  {
    name: 'charge.captured',
    payload: event(
      'evt_3SxS9fK8hG4nL0aZ0cRtE013',
      'charge.captured',
      T0 + 7200,
      { ...uncaptured, captured: true, amount_captured: JPY.amount, balance_transaction: 'txn_3SxS9fK8hG4nL0aZ0b1Q' },
      connect,
    ),
    expect: ['payment.captured'],
  },
  {
    name: 'charge.expired',
    payload: event(
      'evt_3SxU1hK8hG4nL0aZ0cRtE014',
      'charge.expired',
      T0 + 7 * 86_400,
      charge('ch_3SxU1hK8hG4nL0aZ0w9DfG1a', 'pi_3SxU1hK8hG4nL0aZ0s4NbV7x', KWD, 'succeeded', {
        captured: false,
        amount_captured: 0,
        balance_transaction: null,
      }),
    ),
    expect: ['payment.canceled'],
  },
];

/** Every Stripe fixture: the payment and refund stories, then declines, disputes and unsupported kinds. */
export const stripeFixtures: readonly ProviderFixture[] = [...paymentFixtures, ...failureFixtures];
