/**
 * The learned retry strategy. The card networks' rules gate first (`decideRetry`: hard declines, advice
 * that needs the customer, retry limits → `none`); then the retry model scores candidate times no earlier
 * than the rule's own wait allows and within every limit, and picks the one with the best predicted
 * success: `immediate` (minutes), `delayed`, or `none` when even the best is too unlikely to be worth an
 * attempt (each attempt costs a fee and counts toward the limits).
 */
import type { UnifiedPaymentEvent } from '../../contracts/payment-event.ts';
import type { Features } from '../features/features.ts';
import { DAY_MS, eventsBefore, HOUR_MS, MINUTE_MS, outcomes } from '../features/history.ts';
import { type CompiledModel, predictVaryingMany } from '../models/ensemble.ts';
import { inputVector } from '../models/inputs.ts';
import type { RetryDecision } from '../port.ts';
import { brokenLimit } from './limits.ts';
import { DECLINE_RULES } from './rules.ts';
import { decideRetry, LATEST_RETRY, utcTime } from './strategy.ts';

/** Below this predicted success, no retry: chosen on a held-out world (see README). */
export const MIN_RETRY_SUCCESS = 0.1;
/** How far ahead candidates reach: past every payday cycle of a month. */
const HORIZON_DAYS = 16;
const IMMEDIATE_MS = 5 * MINUTE_MS;

/** The earliest retry the decline's rule allows: its wait in hours, its pause, or 1 h (MAC 24) before a payday. */
export function earliestRetry(code: keyof typeof DECLINE_RULES, now: number): number | null {
  const rule = DECLINE_RULES[code];
  if (rule.kind === 'transient_error') return now + rule.afterMinutes * MINUTE_MS;
  if (rule.kind !== 'soft_decline') return null;
  return now + (rule.wait === 'payday' ? HOUR_MS : rule.wait.hours * HOUR_MS);
}

/** Candidate times: minutes, an hour, 1/3/7 days after, and noon UTC of each of the next days (to year 9999). */
export function candidateTimes(now: number): number[] {
  const fixed = [IMMEDIATE_MS, HOUR_MS, DAY_MS, 3 * DAY_MS, 7 * DAY_MS].map((wait) => now + wait);
  const day = new Date(now);
  const noons = Array.from({ length: HORIZON_DAYS }, (_, i) =>
    utcTime(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate() + i + 1, 12),
  );
  return [...fixed, ...noons].filter((at) => at <= LATEST_RETRY).sort((a, b) => a - b);
}

/** The inputs that say when a retry would be made (as the training table's columns). */
function timeInputs(now: number, at: number) {
  const date = new Date(at);
  return {
    retry_delay_hours: (at - now) / HOUR_MS,
    retry_hour_of_day: date.getUTCHours(),
    retry_day_of_month: date.getUTCDate(),
  };
}

/** The retry model's inputs for one candidate time (as the training table's columns). */
export function retryInputs(features: Features, code: string, now: number, at: number) {
  return { ...features, failure_code: code, ...timeInputs(now, at) };
}

/** The columns of the model's inputs that say when the retry would be made (absent ones left out). */
function timeColumns(model: CompiledModel): number[] {
  return ['retry_delay_hours', 'retry_hour_of_day', 'retry_day_of_month']
    .map((name) => model.features.indexOf(name))
    .filter((column) => column >= 0);
}

/**
 * The model's input vector at each candidate time, built once: only the three time inputs change between
 * candidates, so each candidate copies the vector and sets them (`inputVector` per candidate, with the
 * features spread into a fresh record, cost as much as the trees of a failed event's 21 predictions).
 * Equal to `inputVector(model, retryInputs(features, code, now, at))` for every `at`.
 */
export function candidateInputs(
  model: CompiledModel,
  features: Features,
  code: string,
  now: number,
): (at: number) => number[] {
  const base = inputVector(model, retryInputs(features, code, now, now));
  const column = (name: string) => model.features.indexOf(name);
  const [delay, hour, day] = [column('retry_delay_hours'), column('retry_hour_of_day'), column('retry_day_of_month')];
  return (at) => {
    const inputs = base.slice();
    const time = timeInputs(now, at);
    if (delay >= 0) inputs[delay] = time.retry_delay_hours;
    if (hour >= 0) inputs[hour] = time.retry_hour_of_day;
    if (day >= 0) inputs[day] = time.retry_day_of_month;
    return inputs;
  };
}

/**
 * Decides for a failed payment: `history` is the payment's past (its earlier declines count toward the
 * limits), `features` the event's features from the customer's past.
 */
export function decideRetryWithModel(
  model: CompiledModel,
  event: UnifiedPaymentEvent,
  history: readonly UnifiedPaymentEvent[],
  features: Features,
): RetryDecision {
  const gate = decideRetry(event, history);
  if (gate.strategy === 'none') return { ...gate, model_version: model.version };
  const now = Date.parse(event.timestamp);
  const code = event.failure_code ?? 'other';
  const earliest = earliestRetry(code, now) ?? now;
  const declines = outcomes([...eventsBefore(history, now), { time: now, event }])
    .filter((outcome) => !outcome.succeeded && outcome.paymentId === event.payment_id)
    .map((outcome) => outcome.time);
  const inputsAt = candidateInputs(model, features, code, now);
  const times = candidateTimes(now).filter((at) => at >= earliest && brokenLimit(declines, at) === null);
  // Only the time inputs differ between candidates: trees that never split on them are walked once.
  const success = predictVaryingMany(model, inputsAt(now), timeColumns(model), times.map(inputsAt));
  let best = { at: Number.NaN, probability: -1 };
  for (const [i, at] of times.entries()) {
    const probability = success[i] as number;
    if (probability > best.probability) best = { at, probability };
  }
  const hours = ((best.at - now) / HOUR_MS).toFixed(1);
  if (best.probability < MIN_RETRY_SUCCESS) {
    const details = best.probability < 0 ? 'no candidate time within the rules' : `best ${best.probability.toFixed(3)}`;
    return {
      strategy: 'none',
      retry_at: null,
      model_version: model.version,
      reason: `unlikely_to_succeed: ${code}, ${details}`,
    };
  }
  return {
    strategy: best.at - now <= IMMEDIATE_MS ? 'immediate' : 'delayed',
    retry_at: new Date(best.at).toISOString(),
    model_version: model.version,
    reason: `model_best_time: ${code}, predicted success ${best.probability.toFixed(3)} after ${hours} h`,
  };
}
