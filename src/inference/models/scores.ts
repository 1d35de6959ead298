/**
 * Fraud and churn scores from the trained models, explained by each input's contribution to the log-odds
 * (the largest few, plus `bias`), as the port's engineers asking "why this score" need.
 */
import type { Features } from '../features/features.ts';
import type { ChurnScore, FraudScore } from '../port.ts';
import { type CompiledModel, explain, predict } from './ensemble.ts';
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

function explanationOf(model: CompiledModel, inputs: readonly number[]): Record<string, number> {
  const { contributions } = explain(model, inputs);
  const explanation: Record<string, number> = { bias: model.bias };
  for (const i of largest(contributions)) explanation[model.features[i] as string] = contributions[i] as number;
  return explanation;
}

/**
 * The model's probability for a record of named inputs, with its explanation, worked out when first read:
 * the workflows store the score alone, and explaining walks every tree again, adding each split's change
 * to its input (per score, parity rows: fraud 40-50 µs predicted, 60-80 explained; churn 10-13 and 20-23). Serializing the answer (the
 * HTTP service's JSON, Temporal's payloads, a thread's structured clone) reads it.
 */
export function scoreWithModel(model: CompiledModel, record: InputRecord): FraudScore {
  const inputs = inputVector(model, record);
  let explanation: Record<string, number> | undefined;
  return {
    score: predict(model, inputs),
    model_version: model.version,
    get explanation() {
      explanation ??= explanationOf(model, inputs);
      return explanation;
    },
  };
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
