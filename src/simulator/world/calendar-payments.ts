/**
 * Attempts become payments: world refs in time order, the fraud label drawn from its probability (and
 * when the report arrives), each payment's steps, and the truth of every attempt and every decline.
 */
import type { FailureCode } from '../../contracts/vocabulary.ts';
import type { Random } from '../random.ts';
import type { FraudTruth, RetryTruth } from '../truth/types.ts';
import { DAY, HOUR, nextPayday } from './calendar.ts';
import { type FraudScenario, REPORT_PROBABILITY } from './fraud.ts';
import type { Payment, TimedStep } from './model.ts';
import { type Cardholder, gaussian, type Shop } from './people.ts';
import { RETRY_CANDIDATES, recoveryProbability } from './recovery.ts';
import type { WorldShares } from './shares.ts';
import { storyOf } from './stories.ts';

export interface Attempt {
  readonly at: number;
  readonly customer: Cardholder;
  readonly shop: Shop;
  readonly amount: number;
  readonly amountRatio: number;
  readonly recurring: boolean;
  readonly decline: FailureCode | null;
  readonly actor: 'customer' | 'fraudster';
  readonly scenario: FraudScenario | null;
}

/**
 * The probability that the attempt is reported as fraud. A fraudster's, by scenario; a customer's own
 * approved payment only as "friendly fraud" (a purchase later disowned), more often for digital goods,
 * gift cards, subscriptions and unusually large amounts. A declined customer payment moved no money.
 */
export function fraudProbability(attempt: Attempt): number {
  if (attempt.scenario !== null) return REPORT_PROBABILITY[attempt.scenario];
  if (attempt.decline !== null) return 0;
  const category = ['digital_goods', 'gift_cards'].includes(attempt.shop.category) ? 2.5 : 1;
  return 0.0006 * category * (attempt.recurring ? 1.5 : 1) * (attempt.amountRatio > 3 ? 2 : 1);
}

const iso = (time: number) => new Date(time).toISOString();

function retryTruth(random: Random, payment: Payment, attempt: Attempt, code: FailureCode): RetryTruth {
  const context = {
    code,
    failedAt: attempt.at,
    nextPaydayAt: nextPayday(attempt.customer.payday, attempt.at),
    fragility: attempt.customer.fragility,
    fraudulent: attempt.actor === 'fraudster',
  };
  const draw = random.float();
  const times = [
    ...RETRY_CANDIDATES.map(({ label, offset }) => ({ label, at: attempt.at + offset })),
    // Noon on payday: the salary landed at 09:00.
    { label: 'next_payday', at: context.nextPaydayAt + 3 * HOUR },
  ];
  return {
    payment_ref: payment.ref,
    customer_ref: attempt.customer.id,
    failed_at: iso(attempt.at),
    failure_code: code,
    amount: attempt.amount,
    currency: payment.currency,
    fraudulent: context.fraudulent,
    next_payday_at: iso(context.nextPaydayAt),
    fragility: context.fragility,
    draw,
    candidates: times.map(({ label, at }) => {
      const probability = recoveryProbability(context, at);
      return { label, at: iso(at), probability, succeeds: draw < probability };
    }),
  };
}

export function buildPayments(
  random: Random,
  shares: WorldShares,
  attempts: Attempt[],
  run: { readonly start: number; readonly end: number },
) {
  attempts.sort((a, b) => a.at - b.at || (a.customer.id < b.customer.id ? -1 : a.customer.id > b.customer.id ? 1 : 0));
  const payments: Payment[] = [];
  const steps: TimedStep[] = [];
  const fraud: FraudTruth[] = [];
  const retry: RetryTruth[] = [];
  attempts.forEach((attempt, i) => {
    const probability = fraudProbability(attempt);
    const reported = random.chance(probability);
    const delay = Math.min(
      110,
      Math.max(2, (attempt.actor === 'fraudster' ? 20 : 35) * Math.exp(0.5 * gaussian(random))),
    );
    const reportedAt = reported ? attempt.at + Math.round(delay * DAY) : null;
    const timed: TimedStep[] = [];
    const payment: Payment = {
      seq: i + 1,
      ref: `pay_${String(i + 1).padStart(8, '0')}`,
      provider: attempt.shop.provider,
      customer: attempt.customer,
      merchant: attempt.shop,
      currency: attempt.shop.currency,
      amount: attempt.amount,
      cardCountry: attempt.customer.binCountry,
      steps: timed,
    };
    const story = storyOf(random, shares, {
      provider: payment.provider,
      at: attempt.at,
      amount: attempt.amount,
      decline: attempt.decline,
      reportedAt,
      fraudulent: attempt.actor === 'fraudster',
    });
    for (const [step, at] of story) {
      if (at >= run.end) break;
      timed.push({ step, at: at - run.start, index: timed.length, payment });
    }
    payments.push(payment);
    steps.push(...timed);
    fraud.push({
      payment_ref: payment.ref,
      customer_ref: attempt.customer.id,
      provider: payment.provider,
      at: iso(attempt.at),
      approved: attempt.decline === null,
      actor: attempt.actor,
      scenario: attempt.scenario,
      fraud_probability: probability,
      fraud: reported,
      label_at: reportedAt === null ? null : iso(reportedAt),
    });
    if (attempt.decline !== null) retry.push(retryTruth(random, payment, attempt, attempt.decline));
  });
  steps.sort((a, b) => a.at - b.at || a.payment.seq - b.payment.seq || a.index - b.index);
  return { payments, steps, fraud, retry };
}
