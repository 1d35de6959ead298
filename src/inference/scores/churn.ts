/**
 * The churn baseline (`baseline-churn-1`): a logistic over recency, frequency, recent failures and tenure,
 * the classic RFM signals plus involuntary churn (a card that keeps failing). See src/inference/README.md.
 */
import type { Features } from '../features/features.ts';
import type { ChurnScore } from '../port.ts';
import { clamp, explainedLogistic } from './logistic.ts';

export const CHURN_MODEL_VERSION = 'baseline-churn-1';

/** Log-odds for a customer with no signal either way: about 12 %. */
const BIAS = -2;

export function predictChurn(features: Features): ChurnScore {
  const { score, explanation } = explainedLogistic(BIAS, [
    // Lapsed: months since the last success, saturating at four (a customer gone 120 days is gone).
    { name: 'recency', weight: 0.9, value: clamp(features.days_since_last_success / 30, 0, 4) },
    // Regular payers stay: log of the successes in the last 90 days.
    { name: 'frequency', weight: -0.8, value: Math.log1p(features.frequency_90d) },
    // Involuntary churn: declines in the last 30 days, and the event itself failing.
    { name: 'recent_failures', weight: 0.5, value: Math.log1p(features.failures_30d) },
    { name: 'event_failed', weight: 0.6, value: features.event_failed },
    // Long-standing customers leave less: years of tenure, up to three.
    { name: 'tenure', weight: -0.4, value: clamp(features.tenure_days / 365, 0, 3) },
  ]);
  return { score, model_version: CHURN_MODEL_VERSION, explanation };
}
