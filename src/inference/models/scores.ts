/**
 * Fraud and churn scores from the trained models, explained by each input's contribution to the log-odds
 * (the largest few, plus `bias`), as the port's engineers asking "why this score" need.
 */
import type { Features } from '../features/features.ts';
import type { ChurnScore, FraudScore } from '../port.ts';
import { type CompiledModel, explain } from './ensemble.ts';
import { type InputRecord, inputVector } from './inputs.ts';

/** How many contributions an explanation keeps, largest first. */
const EXPLAINED = 6;

/**
 * The indices of the `EXPLAINED` largest non-zero contributions by size, largest first, ties in input
 * order: what sorting them all and keeping the first gave, without a pair per input (fraud: 12 -> 2.7 µs
 * per explanation, medians of 20 runs).
 */
function largest(contributions: Float64Array): number[] {
  const kept: number[] = [];
  for (let i = 0; i < contributions.length; i++) {
    const size = Math.abs(contributions[i] as number);
    if (size === 0) continue;
    let at = kept.length;
    while (at > 0 && Math.abs(contributions[kept[at - 1] as number] as number) < size) at -= 1;
    if (at < EXPLAINED) kept.splice(at, 0, i);
    if (kept.length > EXPLAINED) kept.pop();
  }
  return kept;
}

/** The model's probability for a record of named inputs, with its explanation. */
export function scoreWithModel(model: CompiledModel, record: InputRecord): FraudScore {
  const { score, contributions } = explain(model, inputVector(model, record));
  const explanation: Record<string, number> = { bias: model.bias };
  for (const i of largest(contributions)) explanation[model.features[i] as string] = contributions[i] as number;
  return { score, model_version: model.version, explanation };
}

export function modelFraudScore(model: CompiledModel, features: Features): FraudScore {
  return scoreWithModel(model, features);
}

/**
 * The churn model is trained at each customer's last event before a cutoff, with the days from that event
 * to the cutoff; scored online at the event itself, that gap is 0: "if nothing follows, will they churn".
 * Two inputs restate the customer's silence as of then, which trees would only approximate from its parts:
 * the days since their last success, and how many successes their 90-day pace would have made since.
 */
export function churnInputs(features: Features, daysSinceEvent = 0): InputRecord {
  const sinceSuccess = (features.event_succeeded === 1 ? 0 : features.days_since_last_success) + daysSinceEvent;
  const pace = features.frequency_90d / Math.min(Math.max(features.tenure_days, 1), 90);
  return {
    ...features,
    days_since_event_at_cutoff: daysSinceEvent,
    days_since_success_at_cutoff: sinceSuccess,
    missed_successes_at_cutoff: sinceSuccess * pace,
  };
}

export function modelChurnScore(model: CompiledModel, features: Features): ChurnScore {
  return scoreWithModel(model, churnInputs(features));
}
