/**
 * The steps of one calendar-world payment, in hours and days of world time: a decline, or an
 * approval captured at once or within hours (or released), then maybe refunds days later, or a dispute
 * when the payment is reported as fraud, at the time the report arrives (weeks later, as chargebacks do).
 */
import type { FailureCode, ProviderName } from '../../contracts/vocabulary.ts';
import type { Random } from '../random.ts';
import { DAY, HOUR } from './calendar.ts';
import { CAPABILITIES } from './capabilities.ts';
import type { Step } from './model.ts';
import type { WorldShares } from './shares.ts';

export interface StoryInput {
  readonly provider: ProviderName;
  readonly at: number;
  readonly amount: number;
  readonly decline: FailureCode | null;
  /** When a fraud report on the payment arrives; null when none does. */
  readonly reportedAt: number | null;
  /** A fraudster's payment: never refunded, and its disputes are nearly always lost. */
  readonly fraudulent: boolean;
}

function refunds(random: Random, shares: WorldShares, amount: number, at: number): [Step, number][] {
  if (!random.chance(shares.refund)) return [];
  let when = at + random.int(1, 14) * DAY;
  const full = random.chance(shares.fullRefund) || amount < 4;
  const first = full ? amount : random.int(1, amount - 1);
  const steps: [Step, number][] = [[{ kind: 'refunded', number: 1, amount: first, refundedTotal: first }, when]];
  if (!full && random.chance(shares.secondRefund)) {
    when += random.int(1, 7) * DAY;
    const second = random.int(1, amount - first);
    steps.push([{ kind: 'refunded', number: 2, amount: second, refundedTotal: first + second }, when]);
  }
  return steps;
}

/** The steps after the money moved at `at`: a dispute when the fraud report arrives, else maybe refunds. */
function afterCapture(random: Random, shares: WorldShares, input: StoryInput, at: number): [Step, number][] {
  const can = CAPABILITIES[input.provider];
  if (input.reportedAt !== null) {
    if (!can.disputes) return [];
    const opened = Math.max(input.reportedAt, at + HOUR);
    const won = random.chance(input.fraudulent ? 0.08 : shares.disputeWon);
    return [
      [{ kind: 'dispute_opened' }, opened],
      [{ kind: won ? 'dispute_won' : 'dispute_lost' }, opened + random.int(10, 45) * DAY],
    ];
  }
  return can.refunds && !input.fraudulent ? refunds(random, shares, input.amount, at) : [];
}

export function storyOf(random: Random, shares: WorldShares, input: StoryInput): [Step, number][] {
  const { at } = input;
  if (input.decline !== null) return [[{ kind: 'failed', decline: input.decline }, at]];
  if (!(CAPABILITIES[input.provider].manualCapture && random.chance(shares.manualCapture))) {
    return [[{ kind: 'succeeded' }, at], ...afterCapture(random, shares, input, at)];
  }
  // A reported payment was captured: money that never moved cannot be charged back.
  if (input.reportedAt === null && random.chance(shares.cancelAfterAuthorization)) {
    return [
      [{ kind: 'authorized' }, at],
      [{ kind: 'canceled' }, at + random.int(1, 48) * HOUR],
    ];
  }
  const captured = at + random.int(1, 24) * HOUR;
  return [
    [{ kind: 'authorized' }, at],
    [{ kind: 'captured' }, captured],
    ...afterCapture(random, shares, input, captured),
  ];
}
