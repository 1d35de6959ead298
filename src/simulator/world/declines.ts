/**
 * Why a genuine customer's attempt is declined, if it is. Rates follow public card figures in broad
 * strokes (roughly one attempt in ten declined; insufficient funds first, a generic "do not honor" next),
 * but each depends on the customer's situation: insufficient funds grow towards the end of the pay period
 * and with the amount, cross-border payments draw more fraud suspicion and unsupported-card refusals.
 */
import type { FailureCode } from '../../contracts/vocabulary.ts';
import type { Random } from '../random.ts';

export interface AttemptSituation {
  /** 0 just after payday … 1 just before the next. */
  readonly payPeriodProgress: number;
  readonly fragility: number;
  /** The amount divided by the customer's usual amount. */
  readonly amountRatio: number;
  readonly crossBorder: boolean;
  /** A stored-card charge (subscription): no CVC is asked, no 3-D Secure challenge. */
  readonly recurring: boolean;
}

/** The probability of each decline for one attempt; the rest of the mass is approval. */
export function declineRates(s: AttemptSituation): Partial<Record<FailureCode, number>> {
  const size = Math.min(Math.sqrt(s.amountRatio), 3);
  const abroad = s.crossBorder ? 1 : 0;
  return {
    insufficient_funds: Math.min(0.5, (0.015 + 0.25 * s.fragility * s.payPeriodProgress ** 2) * size),
    do_not_honor: 0.022 + 0.02 * abroad,
    incorrect_cvc: s.recurring ? 0 : 0.006,
    authentication_required: s.recurring ? 0 : 0.005 + 0.02 * abroad,
    try_again_later: 0.004,
    processing_error: 0.003,
    limit_exceeded: 0.003 * size * size,
    suspected_fraud: 0.002 + 0.012 * abroad + 0.002 * Math.max(0, size - 1.5),
    card_not_supported: 0.001 + 0.006 * abroad,
  };
}

/** Draws the outcome of an attempt: a decline code, or null for approval. */
export function drawDecline(random: Random, rates: Partial<Record<FailureCode, number>>): FailureCode | null {
  let point = random.float();
  for (const [code, rate] of Object.entries(rates) as [FailureCode, number][]) {
    point -= rate;
    if (point < 0) return code;
  }
  return null;
}

/** The code as the provider can report it: an unsupported reason reads as a generic decline. */
export function reportable(code: FailureCode, supported: readonly FailureCode[]): FailureCode {
  return supported.includes(code) ? code : 'do_not_honor';
}
