/**
 * World steps as Adyen standard webhooks (one NotificationRequestItem per request, as Adyen sends JSON),
 * in the shape of the Adyen fixtures. A payment is AUTHORISATION then CAPTURE; a release is CANCELLATION;
 * refunds are REFUND items and disputes NOTIFICATION_OF_CHARGEBACK, then CHARGEBACK_REVERSED (won) or a
 * CHARGEBACK whose disputeStatus is Lost. Modifications carry the payment's pspReference as
 * `originalReference`. `sign` adds each item's hmacSignature.
 */
import type { FailureCode } from '../../contracts/vocabulary.ts';
import type { AdyenNotificationRequestItem } from '../../providers/adyen/types.ts';
import { token } from '../ids.ts';
import type { TimedStep } from '../world/model.ts';
import type { RenderedEvent, Renderer } from './renderer.ts';

/** Adyen's refusal reason and the raw scheme response for each unified reason. */
const DECLINES = {
  insufficient_funds: ['Not enough balance', '51 : Insufficient funds/over credit limit'],
  do_not_honor: ['Refused', '05 : Do not honor'],
  expired_card: ['Expired Card', '54 : Expired card'],
  incorrect_cvc: ['CVC Declined', 'N7 : Decline for CVV2 failure'],
  lost_or_stolen_card: ['Lost Card', '41 : Lost card'],
  suspected_fraud: ['Issuer Suspected Fraud', '59 : Suspected fraud'],
  try_again_later: ['Issuer Unavailable', '91 : Issuer or switch inoperative'],
  authentication_required: ['3D Not Authenticated', '1A : Additional customer authentication required'],
  limit_exceeded: ['Withdrawal amount exceeded', '61 : Exceeds withdrawal amount limit'],
  card_not_supported: ['Not supported', '57 : Transaction not permitted to cardholder'],
  processing_error: ['Acquirer Error', '96 : System malfunction'],
} as const satisfies Partial<Record<FailureCode, readonly [string, string]>>;

type Item = Omit<AdyenNotificationRequestItem, 'merchantAccountCode'>;

/** Adyen's eventDate: seconds and an explicit offset. */
function eventDate(time: Date): string {
  return `${time.toISOString().slice(0, 19)}+00:00`;
}

export function createAdyenRenderer(seed: number): Renderer {
  const psp = (...parts: (string | number)[]) => token(seed, parts, 16, 'upper');

  function render(timed: TimedStep, time: Date): readonly RenderedEvent[] {
    const { payment, step } = timed;
    const merchantAccountCode = `${payment.merchant.name.replace(/\s+/g, '')}ECOM`;
    const payment_psp = psp(payment.ref, 'payment');
    const shopper = { shopperReference: payment.customer.id, 'metadata.orderId': payment.ref };
    // The webhook setting "Include Issuer Country" adds it to AUTHORISATION items.
    const issuer = payment.cardCountry === undefined ? {} : { issuerCountry: payment.cardCountry };
    const base = {
      merchantReference: payment.ref,
      paymentMethod: payment.seq % 3 === 0 ? 'mc' : 'visa',
      eventDate: eventDate(time),
    };
    const out = (name: string, item: Item, expect: RenderedEvent['expect'], amount = payment.amount) => {
      const full = { merchantAccountCode, ...item };
      const payload = JSON.stringify(
        { live: 'false', notificationItems: [{ NotificationRequestItem: full }] },
        null,
        2,
      );
      return { name, payload, expect, amount, failureCode: step.kind === 'failed' ? step.decline : null };
    };
    const amount = (value: number) => ({ currency: payment.currency, value });
    const authorisation: Item = {
      ...base,
      eventCode: 'AUTHORISATION',
      success: 'true',
      pspReference: payment_psp,
      amount: amount(payment.amount),
      additionalData: { ...shopper, ...issuer, authCode: token(seed, [payment.ref, 'auth'], 6, 'digits') },
    };
    const modification = (eventCode: string, reference: string, value: number): Item => ({
      ...base,
      eventCode,
      success: 'true',
      pspReference: reference,
      originalReference: payment_psp,
      amount: amount(value),
      additionalData: shopper,
    });
    const capture = () =>
      out('CAPTURE', modification('CAPTURE', psp(payment.ref, 'capture'), payment.amount), ['payment.captured']);
    const chargeback = (eventCode: string, disputeStatus: string): Item => ({
      ...modification(eventCode, psp(payment.ref, 'dispute'), payment.amount),
      reason: 'Other Fraud-Card Absent Environment',
      additionalData: { ...shopper, chargebackReasonCode: '10.4', chargebackSchemeCode: 'visa', disputeStatus },
    });
    switch (step.kind) {
      case 'succeeded':
        return [out('AUTHORISATION', authorisation, ['payment.authorized']), capture()];
      case 'authorized':
        return [out('AUTHORISATION', authorisation, ['payment.authorized'])];
      case 'captured':
        return [capture()];
      case 'canceled':
        return [
          out('CANCELLATION', modification('CANCELLATION', psp(payment.ref, 'cancel'), payment.amount), [
            'payment.canceled',
          ]),
        ];
      case 'failed': {
        const [reason, raw] = DECLINES[step.decline as keyof typeof DECLINES] ?? DECLINES.do_not_honor;
        const refused: Item = {
          ...authorisation,
          success: 'false',
          reason,
          additionalData: { ...shopper, ...issuer, refusalReasonRaw: raw },
        };
        return [out('AUTHORISATION.refused', refused, ['payment.failed'])];
      }
      case 'refunded':
        return [
          out(
            'REFUND',
            modification('REFUND', psp(payment.ref, 'refund', step.number), step.amount),
            ['refund.succeeded'],
            step.amount,
          ),
        ];
      case 'dispute_opened':
        return [
          out('NOTIFICATION_OF_CHARGEBACK', chargeback('NOTIFICATION_OF_CHARGEBACK', 'Undefended'), ['dispute.opened']),
        ];
      case 'dispute_won':
        return [out('CHARGEBACK_REVERSED', chargeback('CHARGEBACK_REVERSED', 'Won'), ['dispute.won'])];
      case 'dispute_lost':
        return [out('CHARGEBACK.lost', chargeback('CHARGEBACK', 'Lost'), ['dispute.lost'])];
    }
  }

  return { provider: 'adyen', declines: Object.keys(DECLINES) as FailureCode[], render };
}
