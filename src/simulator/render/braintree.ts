/**
 * World steps as Braintree notifications (XML, built with the Braintree sample builders). Card payments
 * reach Braintree webhooks as subscription charges, so every payment is a subscription renewal:
 * `subscription_charged_successfully` or `_unsuccessfully`, and later `dispute_opened`, `dispute_won` or
 * `dispute_lost` on its transaction. Amounts are decimal strings in major units, as Braintree sends them.
 */
import type { FailureCode } from '../../contracts/vocabulary.ts';
import {
  disputeXml,
  notificationXml,
  subscriptionXml,
  type TransactionSample,
  visaCardXml,
} from '../../providers/braintree/sample-xml.ts';
import { alpha3 } from '../../providers/country.ts';
import { ISO_4217, minorToDecimal } from '../../providers/currency.ts';
import { token } from '../ids.ts';
import type { TimedStep } from '../world/model.ts';
import type { RenderedEvent, Renderer } from './renderer.ts';

/** Braintree's processor response code and text for each unified reason. */
const DECLINES = {
  insufficient_funds: ['2001', 'Insufficient Funds'],
  do_not_honor: ['2000', 'Do Not Honor'],
  expired_card: ['2004', 'Expired Card'],
  incorrect_cvc: ['2010', 'Card Issuer Declined CVV'],
  lost_or_stolen_card: ['2012', 'Processor Declined - Possible Lost Card'],
  suspected_fraud: ['2014', 'Processor Declined - Fraud Suspected'],
  limit_exceeded: ['2002', 'Limit Exceeded'],
  card_not_supported: ['2023', 'Processor Does Not Support This Feature'],
  try_again_later: ['3000', 'Processor Network Unavailable - Try Again'],
} as const satisfies Partial<Record<FailureCode, readonly [string, string]>>;

/** Braintree notification timestamps have whole seconds. */
const stamp = (time: Date) => `${time.toISOString().slice(0, 19)}Z`;

export function createBraintreeRenderer(seed: number): Renderer {
  function render(timed: TimedStep, time: Date): readonly RenderedEvent[] {
    const { payment, step } = timed;
    const decimal = minorToDecimal(payment.amount, ISO_4217.get(payment.currency) ?? 2);
    const transactionId = token(seed, [payment.ref, 'transaction'], 8, 'upper').toLowerCase();
    const merchantAccountId = `${payment.merchant.id}_${payment.currency.toLowerCase()}`;
    const out = (kind: string, subject: string, expect: RenderedEvent['expect']) => ({
      name: kind,
      payload: notificationXml(kind, stamp(time), subject),
      expect,
      amount: payment.amount,
      failureCode: step.kind === 'failed' ? step.decline : null,
    });
    if (step.kind === 'succeeded' || step.kind === 'failed') {
      const [code, text] =
        step.kind === 'failed'
          ? (DECLINES[step.decline as keyof typeof DECLINES] ?? DECLINES.do_not_honor)
          : ['1000', 'Approved'];
      const transaction: TransactionSample = {
        id: transactionId,
        status: step.kind === 'failed' ? 'processor_declined' : 'submitted_for_settlement',
        amount: decimal,
        currency: payment.currency,
        merchantAccountId,
        orderId: payment.ref,
        customer: {
          id: token(seed, [payment.customer.id], 8, 'digits'),
          firstName: 'Sam',
          lastName: 'Rivera',
          email: `${payment.customer.id}@example.com`,
        },
        processorResponseCode: code,
        processorResponseText: text,
        // Braintree's `countryOfIssuance` is alpha-3; `Unknown` when the BIN is not in its tables.
        extra: visaCardXml(payment.cardCountry === undefined ? 'Unknown' : (alpha3(payment.cardCountry) ?? 'Unknown')),
        createdAt: stamp(time),
      };
      const subscription = subscriptionXml({
        id: `sub_${token(seed, [payment.ref, 'subscription'], 6, 'upper').toLowerCase()}`,
        planId: 'pro_monthly',
        status: step.kind === 'failed' ? 'Past Due' : 'Active',
        price: decimal,
        merchantAccountId,
        failureCount: step.kind === 'failed' ? 1 : 0,
        transactions: [transaction],
      });
      const kind = step.kind === 'failed' ? 'subscription_charged_unsuccessfully' : 'subscription_charged_successfully';
      return [out(kind, subscription, [step.kind === 'failed' ? 'payment.failed' : 'payment.succeeded'])];
    }
    if (step.kind === 'dispute_opened' || step.kind === 'dispute_won' || step.kind === 'dispute_lost') {
      const status = step.kind === 'dispute_opened' ? 'open' : step.kind === 'dispute_won' ? 'won' : 'lost';
      const dispute = disputeXml({
        id: token(seed, [payment.ref, 'dispute'], 8, 'upper').toLowerCase(),
        status,
        kind: 'chargeback',
        reason: 'fraud',
        reasonCode: '10.4',
        amount: decimal,
        currency: payment.currency,
        merchantAccountId,
        transactionId,
        ...(status === 'won' ? { dateWon: time.toISOString().slice(0, 10) } : {}),
      });
      // The kind is the step's name (dispute_opened, dispute_won, dispute_lost); the event type its dotted form.
      return [out(step.kind, dispute, [step.kind.replace('_', '.') as RenderedEvent['expect'][number]])];
    }
    // Authorizations, captures, cancellations and successful refunds have no Braintree webhook.
    return [];
  }

  return { provider: 'braintree', declines: Object.keys(DECLINES) as FailureCode[], render };
}
