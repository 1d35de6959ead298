/**
 * The retry baseline (`baseline-retry-1`): the card networks' rules decide, from the unified failure code
 * and the payment's earlier declines. Every suggested time is computed from the event's timestamp, so the
 * same event and history always give the same decision.
 */
import type { UnifiedPaymentEvent } from '../../contracts/payment-event.ts';
import { DAY_MS, eventsBefore, HOUR_MS, MINUTE_MS, outcomes } from '../features/history.ts';
import type { RetryDecision } from '../port.ts';
import { brokenLimit } from './limits.ts';
import { DECLINE_RULES, type DeclineRule, type Wait } from './rules.ts';

export const RETRY_MODEL_VERSION = 'baseline-retry-1';

/**
 * The stable code that starts every decision's `reason` (`<code>: <details>`): dashboards may group on it.
 */
export type RetryReasonCode =
  | DeclineRule['kind']
  | 'not_a_failed_payment'
  | 'invalid_timestamp'
  | 'retry_limit_reached';

/**
 * The latest retry time a decision may suggest: the contract's timestamps have four-digit years, and
 * `toISOString` writes a later time as '+010000-…', which the HTTP adapter refuses as out of contract.
 */
export const LATEST_RETRY = Date.parse('9999-12-31T23:59:59.999Z');

/** `Date.UTC(year, month, day, hour)`, but a year from 0 to 99 is that year, not 1900 plus it. */
export function utcTime(year: number, month: number, day: number, hour: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month, day);
  date.setUTCHours(hour);
  return date.getTime();
}

/** Paydays are taken as the 1st and the 15th (semi-monthly payroll); noon UTC, once the money has landed. */
const PAYDAYS = [1, 15] as const;
const PAYDAY_HOUR_UTC = 12;

function none(code: RetryReasonCode, details: string): RetryDecision {
  return { strategy: 'none', retry_at: null, model_version: RETRY_MODEL_VERSION, reason: `${code}: ${details}` };
}

/** The first payday at least a day after `time`: an earlier one would likely find the same empty account. */
export function nextPayday(time: number): number {
  const start = new Date(time);
  const earliest = time + DAY_MS;
  for (let month = 0; ; month++) {
    for (const day of PAYDAYS) {
      const candidate = utcTime(start.getUTCFullYear(), start.getUTCMonth() + month, day, PAYDAY_HOUR_UTC);
      if (candidate >= earliest) return candidate;
    }
  }
}

function waitUntil(wait: Wait, time: number): number {
  return wait === 'payday' ? nextPayday(time) : time + wait.hours * HOUR_MS;
}

/**
 * Decides whether and when to retry a failed payment. `history` is the customer's past (any order;
 * only events strictly before this one count); the declines of the same `payment_id` in it count
 * towards the networks' retry limits.
 */
export function decideRetry(event: UnifiedPaymentEvent, history: readonly UnifiedPaymentEvent[]): RetryDecision {
  if (event.event_type !== 'payment.failed') {
    return none('not_a_failed_payment', `only payment.failed events are retried, not ${event.event_type}`);
  }
  const now = Date.parse(event.timestamp);
  if (!Number.isFinite(now))
    return none('invalid_timestamp', `cannot schedule from ${JSON.stringify(event.timestamp)}`);
  const code = event.failure_code ?? 'other';
  const rule: DeclineRule = DECLINE_RULES[code];
  if (rule.kind !== 'soft_decline' && rule.kind !== 'transient_error') return none(rule.kind, `${code}, ${rule.why}`);

  const retryAt = rule.kind === 'transient_error' ? now + rule.afterMinutes * MINUTE_MS : waitUntil(rule.wait, now);
  if (retryAt > LATEST_RETRY) return none('invalid_timestamp', `${code}, its retry would fall after year 9999`);
  const declines = outcomes([...eventsBefore(history, now), { time: now, event }])
    .filter((outcome) => !outcome.succeeded && outcome.paymentId === event.payment_id)
    .map((outcome) => outcome.time);
  const limit = brokenLimit(declines, retryAt);
  if (limit !== null) {
    return none('retry_limit_reached', `${code}, ${limit.name} (${declines.length} declines of this payment)`);
  }
  return {
    strategy: rule.kind === 'transient_error' ? 'immediate' : 'delayed',
    retry_at: new Date(retryAt).toISOString(),
    model_version: RETRY_MODEL_VERSION,
    reason: `${rule.kind}: ${code}, ${rule.why}; attempt ${declines.length + 1} of this payment`,
  };
}
