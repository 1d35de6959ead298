/**
 * World steps as Stripe events, built with the same object builders as the Stripe fixtures (a PaymentIntent
 * and its Charge, Refunds, Disputes). Automatic capture sends `charge.succeeded` then
 * `payment_intent.succeeded`; manual capture `payment_intent.amount_capturable_updated` and an uncaptured
 * `charge.succeeded`, then `charge.captured` and `payment_intent.succeeded`. A refund is `refund.created`
 * (pending) then `refund.updated` (succeeded); `charge.refunded` is not sent because its cumulative
 * `amount_refunded` would be counted again beside the refunds themselves.
 */
import type { FailureCode } from '../../contracts/vocabulary.ts';
import {
  cardDetails,
  charge,
  dispute,
  event,
  type Money,
  paymentIntent,
  refund,
} from '../../providers/stripe/fixture-objects.ts';
import { token } from '../ids.ts';
import type { Payment, TimedStep } from '../world/model.ts';
import type { RenderedEvent, Renderer } from './renderer.ts';

/** Stripe's `decline_code` and the network's response code for each unified reason. */
const DECLINES = {
  insufficient_funds: ['insufficient_funds', '51'],
  do_not_honor: ['do_not_honor', '05'],
  expired_card: ['expired_card', '54'],
  incorrect_cvc: ['incorrect_cvc', 'N7'],
  lost_or_stolen_card: ['lost_card', '41'],
  suspected_fraud: ['fraudulent', '59'],
  try_again_later: ['try_again_later', '19'],
  authentication_required: ['authentication_required', '1A'],
  limit_exceeded: ['card_velocity_exceeded', '61'],
  card_not_supported: ['card_not_supported', '57'],
  processing_error: ['processing_error', '96'],
} as const satisfies Partial<Record<FailureCode, readonly [string, string]>>;

type Json = Record<string, unknown>;

export function createStripeRenderer(seed: number): Renderer {
  const id = (prefix: string, ...parts: (string | number)[]) => `${prefix}${token(seed, parts, 24, 'base62')}`;
  // Every step of a payment needs the same ids: hash them once per payment.
  const cache = new WeakMap<Payment, { pi: string; ch: string; customer: string; account: string }>();
  const ids = (payment: Payment) => {
    let found = cache.get(payment);
    if (found === undefined) {
      found = {
        pi: id('pi_3', payment.ref, 'pi'),
        ch: id('ch_3', payment.ref, 'ch'),
        customer: `cus_${token(seed, [payment.customer.id], 14, 'base62')}`,
        account: `acct_1${token(seed, [payment.merchant.id], 15, 'base62')}`,
      };
      cache.set(payment, found);
    }
    return found;
  };

  function render(timed: TimedStep, time: Date): readonly RenderedEvent[] {
    const { payment, step } = timed;
    const { pi, ch, customer, account } = ids(payment);
    const created = Math.floor(time.getTime() / 1000);
    const money: Money = { amount: payment.amount, currency: payment.currency.toLowerCase() };
    const owned = { customer, created, metadata: { order_id: payment.ref, merchant: payment.merchant.name } };
    // Charges report the card's issuing country (`payment_method_details.card.country`); PaymentIntents do not.
    const card =
      payment.cardCountry === undefined
        ? {}
        : { payment_method_details: cardDetails(money.amount, payment.cardCountry) };
    const out = (name: string, n: number, object: Json, expect: RenderedEvent['expect'], amount = payment.amount) => ({
      name,
      payload: event(id('evt_3', payment.ref, timed.index, n), name.split(':')[0] as string, created, object, {
        account,
      }),
      expect,
      amount,
      failureCode: step.kind === 'failed' ? step.decline : null,
    });
    const manual = { capture_method: 'manual' };
    switch (step.kind) {
      case 'succeeded':
        return [
          out('charge.succeeded', 0, charge(ch, pi, money, 'succeeded', { ...owned, ...card }), ['payment.succeeded']),
          out(
            'payment_intent.succeeded',
            1,
            paymentIntent(pi, money, 'succeeded', { ...owned, amount_received: money.amount, latest_charge: ch }),
            ['payment.succeeded'],
          ),
        ];
      case 'authorized':
        return [
          out(
            'payment_intent.amount_capturable_updated',
            0,
            paymentIntent(pi, money, 'requires_capture', {
              ...owned,
              ...manual,
              amount_capturable: money.amount,
              latest_charge: ch,
            }),
            ['payment.authorized'],
          ),
          out(
            'charge.succeeded:uncaptured',
            1,
            charge(ch, pi, money, 'succeeded', { ...owned, ...card, captured: false, amount_captured: 0 }),
            ['payment.authorized'],
          ),
        ];
      case 'captured':
        return [
          out('charge.captured', 0, charge(ch, pi, money, 'succeeded', { ...owned, ...card }), ['payment.captured']),
          out(
            'payment_intent.succeeded',
            1,
            paymentIntent(pi, money, 'succeeded', {
              ...owned,
              ...manual,
              amount_received: money.amount,
              latest_charge: ch,
            }),
            ['payment.succeeded'],
          ),
        ];
      case 'canceled':
        return [
          out(
            'payment_intent.canceled',
            0,
            paymentIntent(pi, money, 'canceled', {
              ...owned,
              ...manual,
              canceled_at: created,
              cancellation_reason: 'requested_by_customer',
              latest_charge: ch,
            }),
            ['payment.canceled'],
          ),
        ];
      case 'failed': {
        const [declineCode, network] = DECLINES[step.decline as keyof typeof DECLINES] ?? DECLINES.do_not_honor;
        const outcome = {
          advice_code: null,
          network_advice_code: null,
          network_decline_code: network,
          network_status: 'declined_by_network',
          reason: declineCode,
          risk_level: 'normal',
          risk_score: 40,
          seller_message: `The bank returned the decline code \`${declineCode}\`.`,
          type: 'issuer_declined',
        };
        const failure = { failure_code: 'card_declined', failure_message: 'Your card was declined.', outcome };
        const error = {
          charge: ch,
          code: 'card_declined',
          decline_code: declineCode,
          doc_url: 'https://stripe.com/docs/error-codes/card-declined',
          message: 'Your card was declined.',
          network_decline_code: network,
          type: 'card_error',
        };
        return [
          out('charge.failed', 0, charge(ch, pi, money, 'failed', { ...owned, ...card, ...failure }), [
            'payment.failed',
          ]),
          out(
            'payment_intent.payment_failed',
            1,
            paymentIntent(pi, money, 'requires_payment_method', {
              ...owned,
              latest_charge: ch,
              last_payment_error: error,
            }),
            ['payment.failed'],
          ),
        ];
      }
      case 'refunded': {
        const re = id('re_3', payment.ref, 're', step.number);
        const part: Money = { amount: step.amount, currency: money.currency };
        const fields = { created, metadata: { order_id: payment.ref } };
        return [
          out('refund.created', 0, refund(re, ch, pi, part, 'pending', fields), ['refund.created'], step.amount),
          out('refund.updated', 1, refund(re, ch, pi, part, 'succeeded', fields), ['refund.succeeded'], step.amount),
        ];
      }
      default: {
        const dp = id('dp_1', payment.ref, 'dp');
        const status = step.kind === 'dispute_opened' ? 'needs_response' : step.kind === 'dispute_won' ? 'won' : 'lost';
        const name = step.kind === 'dispute_opened' ? 'charge.dispute.created' : `charge.dispute.closed:${status}`;
        const type =
          step.kind === 'dispute_opened'
            ? 'dispute.opened'
            : step.kind === 'dispute_won'
              ? 'dispute.won'
              : 'dispute.lost';
        return [out(name, 0, dispute(dp, ch, pi, money, status, { created }), [type])];
      }
    }
  }

  return { provider: 'stripe', declines: Object.keys(DECLINES) as FailureCode[], render };
}
