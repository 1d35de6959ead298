/**
 * The fraud baseline (`baseline-fraud-1`): a logistic over the signs of fraud that need no trained model.
 * The weights are set by hand so that one strong sign lifts the score from about 2 % towards one half and
 * two signs together pass it; see src/inference/README.md for the formula and its limits.
 */
import type { Features } from '../features/features.ts';
import type { FraudScore } from '../port.ts';
import { clamp, explainedLogistic } from './logistic.ts';

export const FRAUD_MODEL_VERSION = 'baseline-fraud-1';

/** Log-odds with no sign of fraud: about 1.8 %. */
const BIAS = -4;

/** Scores one event from its features; each term is bounded, so no single feature can dominate unbounded. */
export function scoreFraud(features: Features): FraudScore {
  const { score, explanation } = explainedLogistic(BIAS, [
    // A burst of attempts: more than two in the last hour, growing with the log of the excess.
    { name: 'velocity_burst', weight: 1.2, value: Math.log1p(Math.max(0, features.velocity_count_1h - 2)) },
    // Card testing: a run of declines in the last day.
    { name: 'recent_declines', weight: 1, value: Math.log1p(features.failures_24h) },
    // Far above the customer's own norm (needs three past payments to be a norm): log2 of the ratio, up to 32×.
    {
      name: 'amount_above_norm',
      weight: 0.7,
      value: features.amount_norm_size >= 3 ? clamp(Math.log2(features.amount_to_median), 0, 5) : 0,
    },
    // A first payment of a high amount: orders of magnitude above 100 units, up to 10,000.
    {
      name: 'new_customer_high_amount',
      weight: 1.2,
      value: features.is_new_customer * clamp(Math.log10(Math.max(features.amount, 1)) - 2, 0, 2),
    },
    { name: 'new_currency', weight: 0.5, value: features.new_currency },
    { name: 'new_merchant', weight: 0.3, value: features.new_merchant },
  ]);
  return { score, model_version: FRAUD_MODEL_VERSION, explanation };
}
