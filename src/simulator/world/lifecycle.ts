/**
 * One payment's story: declined, or authorized and captured (at once or later), or released; then maybe
 * refunded (in full or in part, once or twice) or disputed. World time is compressed so that a run of a
 * few minutes shows whole lifecycles: captures follow within seconds,
 * refunds and disputes within a minute or two.
 */
import type { FailureCode, ProviderName } from '../../contracts/vocabulary.ts';
import type { Random } from '../random.ts';
import { CAPABILITIES } from './capabilities.ts';
import type { Customer, Merchant, Payment, Step, TimedStep } from './model.ts';
import type { WorldShares } from './shares.ts';

/** Typical spend in minor units (log-uniform between the bounds): 2 to 400 in two-decimal currencies. */
const AMOUNT_RANGES: Readonly<Record<string, readonly [number, number]>> = {
  JPY: [300, 50_000],
  KWD: [1_000, 120_000],
};
const DEFAULT_RANGE = [200, 40_000] as const;

function amountIn(random: Random, currency: string): number {
  const [low, high] = AMOUNT_RANGES[currency] ?? DEFAULT_RANGE;
  return Math.round(Math.exp(Math.log(low) + random.float() * (Math.log(high) - Math.log(low))));
}

const SECOND = 1000;

export interface PaymentInput {
  readonly seq: number;
  readonly at: number;
  readonly customer: Customer;
  readonly merchant: Merchant;
  readonly provider: ProviderName;
  /** The decline reasons this provider can report, weighted by `shares.declines`. */
  readonly declines: readonly FailureCode[];
}

function declineOf(random: Random, shares: WorldShares, supported: readonly FailureCode[]): FailureCode {
  const weights: Partial<Record<FailureCode, number>> = {};
  for (const code of supported) weights[code] = shares.declines[code] ?? 0;
  const usable = Object.values(weights).some((weight) => weight > 0);
  return usable ? random.weighted(weights) : 'do_not_honor';
}

/** The steps after a successful capture at `at`: refunds, or a dispute, or nothing. */
function afterCapture(random: Random, shares: WorldShares, provider: ProviderName, amount: number, at: number) {
  const can = CAPABILITIES[provider];
  const steps: [Step, number][] = [];
  if (can.disputes && random.chance(shares.dispute)) {
    const opened = at + random.int(10, 120) * SECOND;
    steps.push([{ kind: 'dispute_opened' }, opened]);
    const outcome = random.chance(shares.disputeWon) ? 'dispute_won' : 'dispute_lost';
    steps.push([{ kind: outcome }, opened + random.int(10, 120) * SECOND]);
  } else if (can.refunds && random.chance(shares.refund)) {
    let when = at + random.int(5, 60) * SECOND;
    const full = random.chance(shares.fullRefund) || amount < 4;
    const first = full ? amount : random.int(1, amount - 1);
    steps.push([{ kind: 'refunded', number: 1, amount: first, refundedTotal: first }, when]);
    if (!full && random.chance(shares.secondRefund)) {
      when += random.int(5, 60) * SECOND;
      const second = random.int(1, amount - first);
      steps.push([{ kind: 'refunded', number: 2, amount: second, refundedTotal: first + second }, when]);
    }
  }
  return steps;
}

function storyOf(random: Random, shares: WorldShares, input: PaymentInput, amount: number): [Step, number][] {
  const { at, provider } = input;
  if (random.chance(shares.decline)) {
    return [[{ kind: 'failed', decline: declineOf(random, shares, input.declines) }, at]];
  }
  if (!(CAPABILITIES[provider].manualCapture && random.chance(shares.manualCapture))) {
    return [[{ kind: 'succeeded' }, at], ...afterCapture(random, shares, provider, amount, at)];
  }
  if (random.chance(shares.cancelAfterAuthorization)) {
    return [
      [{ kind: 'authorized' }, at],
      [{ kind: 'canceled' }, at + random.int(2, 30) * SECOND],
    ];
  }
  const captured = at + random.int(1, 10) * SECOND;
  return [
    [{ kind: 'authorized' }, at],
    [{ kind: 'captured' }, captured],
    ...afterCapture(random, shares, provider, amount, captured),
  ];
}

export function createPayment(random: Random, shares: WorldShares, input: PaymentInput): Payment {
  const currency = input.customer.homeCurrency;
  const amount = amountIn(random, currency);
  const story = storyOf(random, shares, input, amount);
  const steps: TimedStep[] = [];
  const payment: Payment = {
    seq: input.seq,
    ref: `pay_${String(input.seq).padStart(8, '0')}`,
    provider: input.provider,
    customer: input.customer,
    merchant: input.merchant,
    currency,
    amount,
    steps,
  };
  story.forEach(([step, when], index) => {
    steps.push({ step, at: when, index, payment });
  });
  return payment;
}
