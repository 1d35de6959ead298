/**
 * `paypipe models evaluate`: a fresh world from a seed never trained on, replayed and scored with the
 * committed models exactly as the pipeline would, measured against the world's own ceiling (the truth's
 * probabilities) and the transparent baselines.
 */
import type { UnifiedPaymentEvent } from '../../contracts/payment-event.ts';
import { computeFeatures, FEATURES, type Features } from '../features/features.ts';
import { predict } from '../models/ensemble.ts';
import { inputVector } from '../models/inputs.ts';
import { loadModels, type Models } from '../models/load.ts';
import { predictChurn } from '../scores/churn.ts';
import { scoreFraud } from '../scores/fraud.ts';
import type { Row } from '../training/tables.ts';
import { type WorldSize, type WorldTables, worldTables } from '../training/world-tables.ts';
import { curves, prAuc, rocAuc } from './metrics.ts';
import { type Decline, retryPolicies } from './retry-policies.ts';

const round = (value: number) => Math.round(value * 10_000) / 10_000;
const featuresOf = (row: Row) => Object.fromEntries(Object.keys(FEATURES).map((n) => [n, row[n]])) as Features;
const column = (rows: readonly Row[], name: string) => rows.map((row) => Number(row[name]));

/** Every first decline of a payment with its truth, its payment's and its customer's past. */
function declinesOf({ replay, world }: WorldTables): Decline[] {
  const truth = new Map(world.truth.retry.map((record) => [record.payment_ref, record]));
  const byCustomer = new Map<string, UnifiedPaymentEvent[]>();
  const byPayment = new Map<string, UnifiedPaymentEvent[]>();
  const declines: Decline[] = [];
  const seen = new Set<string>();
  for (const { event, paymentRef } of replay.events) {
    const record = truth.get(paymentRef);
    if (event.status === 'failed' && record && !seen.has(paymentRef)) {
      seen.add(paymentRef);
      const customer = event.customer_id === null ? [] : (byCustomer.get(event.customer_id) ?? []);
      const paymentHistory = [...(byPayment.get(event.payment_id) ?? [])];
      declines.push({ event, paymentHistory, features: computeFeatures(event, customer), truth: record });
    }
    if (event.customer_id !== null)
      byCustomer.set(event.customer_id, [...(byCustomer.get(event.customer_id) ?? []), event]);
    byPayment.set(event.payment_id, [...(byPayment.get(event.payment_id) ?? []), event]);
  }
  return declines;
}

export function evaluateWith(models: Models, tables: WorldTables) {
  const { sets } = tables;
  const score = (name: 'fraud' | 'churn', rows: readonly Row[]) =>
    rows.map((row) => predict(models[name], inputVector(models[name], row)));
  const fraudLabels = column(sets.fraud, 'label');
  const fraudScores = score('fraud', sets.fraud);
  const fraudTruth = column(sets.fraud, 'truth_fraud_probability');
  const churnLabels = column(sets.churn, 'label');
  const churnScores = score('churn', sets.churn);
  const churnTruth = column(sets.churn, 'truth_churn_probability');
  // The RFM baseline, with recency measured at the cutoff as the model's is.
  const churnBaseline = sets.churn.map((row) => {
    const features = featuresOf(row);
    const recency = features.days_since_last_success + Number(row.days_since_event_at_cutoff);
    return predictChurn({ ...features, days_since_last_success: recency }).score;
  });
  const retry = retryPolicies(models.retry, declinesOf(tables));
  const best = Object.entries(retry.fixed).sort((a, b) => b[1].recovered_amount - a[1].recovered_amount)[0];
  const metrics = {
    seed: tables.world.seed,
    customers: tables.world.customers.length,
    model_versions: { fraud: models.fraud.version, churn: models.churn.version, retry: models.retry.version },
    fraud: {
      rows: fraudLabels.length,
      positives: fraudLabels.filter((label) => label === 1).length,
      roc_auc: round(rocAuc(fraudScores, fraudLabels)),
      pr_auc: round(prAuc(fraudScores, fraudLabels)),
      ceiling_roc_auc: round(rocAuc(fraudTruth, fraudLabels)),
      ceiling_pr_auc: round(prAuc(fraudTruth, fraudLabels)),
      baseline_roc_auc: round(
        rocAuc(
          sets.fraud.map((row) => scoreFraud(featuresOf(row)).score),
          fraudLabels,
        ),
      ),
    },
    churn: {
      rows: churnLabels.length,
      positives: churnLabels.filter((label) => label === 1).length,
      roc_auc: round(rocAuc(churnScores, churnLabels)),
      ceiling_roc_auc: round(rocAuc(churnTruth, churnLabels)),
      baseline_roc_auc: round(rocAuc(churnBaseline, churnLabels)),
    },
    retry: {
      // Declines the networks' rules allow to retry: every fixed schedule retries each of them once.
      retryable_declines: retry.fixed.rules.attempts,
      recovered_amount: retry.model.recovered_amount,
      attempts: retry.model.attempts,
      rule_violations: retry.model.rule_violations,
      best_fixed_schedule: best?.[0] ?? null,
      best_fixed_schedule_recovered_amount: best?.[1].recovered_amount ?? 0,
      best_fixed_schedule_attempts: best?.[1].attempts ?? 0,
      fixed_schedules: retry.fixed,
    },
  };
  const chart = {
    fraud: { model: curves(fraudScores, fraudLabels), ceiling: curves(fraudTruth, fraudLabels) },
    churn: { model: curves(churnScores, churnLabels), ceiling: curves(churnTruth, churnLabels) },
  };
  return { metrics, chart, recovery: { model: retry.model, ...retry.fixed } };
}

export type Evaluation = ReturnType<typeof evaluateWith>;

/** Builds the world of `seed` and evaluates the committed models on it. */
export function evaluateModels(seed: number, size: WorldSize = {}): Evaluation {
  const loaded = loadModels();
  if (loaded.kind !== 'models') throw new Error(`${loaded.kind}: ${loaded.reason}`);
  return evaluateWith(loaded.models, worldTables(seed, size));
}
