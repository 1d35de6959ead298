/**
 * The networks' limits on reattempting one declined payment. paypipe's events do not say which network
 * the card belongs to, so every limit applies to every payment: the stricter rule always wins.
 *
 * - Visa (Visa Integrity Fee, excessive reattempts, since April 2021): at most 15 reattempts in 30 days
 *   after a category 2-4 decline; the 16th reattempt is charged. The original attempt plus 15 reattempts
 *   is 16 declined attempts. https://support.stripe.com/questions/payment-blocked-due-to-excessive-retries,
 *   https://www.payway.com/visa-excessive-reattempts-rule-fees
 * - Mastercard (Transaction Processing Excellence, excessive authorization attempts): fees past 10
 *   declined attempts on a card in a rolling 24 hours, and past 35 in 30 days (implied by Visa's 16).
 *   https://retries.com/guides/transaction-processing-excellence,
 *   https://developers.tabapay.com/docs/excessive-retry-rules
 */
import { DAY_MS } from '../features/history.ts';

export interface RetryLimit {
  readonly name: string;
  /** Once this many declines fall within `windowMs` before the retry time, no more retries. */
  readonly maxDeclines: number;
  readonly windowMs: number;
}

export const RETRY_LIMITS: readonly RetryLimit[] = [
  { name: 'Visa: at most 15 reattempts in 30 days', maxDeclines: 16, windowMs: 30 * DAY_MS },
  { name: 'Mastercard: at most 10 declines in 24 hours', maxDeclines: 10, windowMs: DAY_MS },
];

/**
 * The first limit that a retry at `retryAt` would break, given the payment's decline times (epoch ms,
 * including the current decline); null when the retry is within every limit.
 */
export function brokenLimit(declineTimes: readonly number[], retryAt: number): RetryLimit | null {
  for (const limit of RETRY_LIMITS) {
    const inWindow = declineTimes.filter((time) => time >= retryAt - limit.windowMs && time <= retryAt).length;
    if (inWindow >= limit.maxDeclines) return limit;
  }
  return null;
}
