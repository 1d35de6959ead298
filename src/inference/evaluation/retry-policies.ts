/**
 * Retry policies replayed against the world's recovery truth: each declined payment is retried at most
 * once, at the time a policy picks, and recovers its amount when the world says a retry then succeeds.
 * Amounts are in US dollars at the world's fixed rates, so currencies add up.
 */
import type { UnifiedPaymentEvent } from '../../contracts/payment-event.ts';
import { retryOutcomeAt } from '../../simulator/truth/retry.ts';
import type { RetryTruth } from '../../simulator/truth/types.ts';
import { usdToMinor } from '../../simulator/world/geography.ts';
import type { Features } from '../features/features.ts';
import { DAY_MS, eventsBefore, HOUR_MS, MINUTE_MS, outcomes } from '../features/history.ts';
import type { CompiledModel } from '../models/ensemble.ts';
import { brokenLimit } from '../retry/limits.ts';
import { decideRetryWithModel, earliestRetry } from '../retry/model-strategy.ts';
import { decideRetry } from '../retry/strategy.ts';

/** One declined payment as the pipeline saw it, with its truth. */
export interface Decline {
  readonly event: UnifiedPaymentEvent;
  readonly paymentHistory: readonly UnifiedPaymentEvent[];
  readonly features: Features;
  readonly truth: RetryTruth;
}

export interface PolicyResult {
  readonly recovered_amount: number;
  readonly attempts: number;
  readonly rule_violations: number;
}

/** Fixed schedules: the same wait for every decline the rules allow to retry (never before the rule's wait). */
export const FIXED_WAITS: Readonly<Record<string, number>> = {
  '5m': 5 * MINUTE_MS,
  '1h': HOUR_MS,
  '24h': DAY_MS,
  '3d': 3 * DAY_MS,
  '7d': 7 * DAY_MS,
};

const usd = (truth: RetryTruth) => truth.amount / usdToMinor(1, truth.currency);

/** Whether a retry at `at` breaks a rule: not allowed at all, before the rule's wait, or past a limit. */
function violates(decline: Decline, at: number): boolean {
  const now = Date.parse(decline.event.timestamp);
  const code = decline.event.failure_code ?? 'other';
  const earliest = earliestRetry(code, now);
  if (earliest === null || at < earliest) return true;
  const declines = outcomes([...eventsBefore(decline.paymentHistory, now), { time: now, event: decline.event }])
    .filter((outcome) => !outcome.succeeded && outcome.paymentId === decline.event.payment_id)
    .map((outcome) => outcome.time);
  return brokenLimit(declines, at) !== null;
}

/** Replays a policy: `pick` returns the retry time (epoch ms) or null for no retry. */
export function replayPolicy(declines: readonly Decline[], pick: (decline: Decline) => number | null): PolicyResult {
  let recovered = 0;
  let attempts = 0;
  let violations = 0;
  for (const decline of declines) {
    const at = pick(decline);
    if (at === null) continue;
    attempts += 1;
    if (violates(decline, at)) violations += 1;
    if (retryOutcomeAt(decline.truth, new Date(at)).succeeds) recovered += usd(decline.truth);
  }
  return { recovered_amount: Math.round(recovered * 100) / 100, attempts, rule_violations: violations };
}

const retryAt = (decision: { retry_at: string | null }) =>
  decision.retry_at === null ? null : Date.parse(decision.retry_at);

/** The model's policy, the rules baseline, and every fixed schedule (gated by the same rules). */
export function retryPolicies(model: CompiledModel, declines: readonly Decline[]) {
  const gated = (wait: number) => (decline: Decline) => {
    if (decideRetry(decline.event, decline.paymentHistory).strategy === 'none') return null;
    const now = Date.parse(decline.event.timestamp);
    return Math.max(now + wait, earliestRetry(decline.event.failure_code ?? 'other', now) ?? now);
  };
  const fixed = Object.fromEntries(
    Object.entries(FIXED_WAITS).map(([name, wait]) => [name, replayPolicy(declines, gated(wait))]),
  );
  return {
    model: replayPolicy(declines, (d) => retryAt(decideRetryWithModel(model, d.event, d.paymentHistory, d.features))),
    fixed: { ...fixed, rules: replayPolicy(declines, (d) => retryAt(decideRetry(d.event, d.paymentHistory))) },
  };
}
