/**
 * Training tables from a replayed world: the features of the one feature module (`computeFeatures`, the
 * same call the online scoring makes) at the event the pipeline scores, joined to the ground truth by the
 * world refs. Columns: identifiers, every feature, a few extra columns named below, `label`, and `truth_*`
 * columns (the world's own probabilities, for measuring ceilings). `truth_*` columns are never features.
 */
import type { UnifiedPaymentEvent } from '../../contracts/payment-event.ts';
import type { FraudTruth, RetryTruth, WorldTruth } from '../../simulator/truth/types.ts';
import { computeFeatures, type Features } from '../features/features.ts';
import { HOUR_MS } from '../features/history.ts';
import { createChurnRows } from './churn-rows.ts';
import type { ReplayedEvent } from './replay.ts';
import { identity, type Row } from './rows.ts';

export type { Cell, Row } from './rows.ts';

export interface TrainingSets {
  /** One row per approved payment, at its first `succeeded` event (the event the pipeline scores for fraud). */
  readonly fraud: readonly Row[];
  /** One row per declined payment and candidate retry time, at the payment's first `failed` event. */
  readonly retry: readonly Row[];
  /** One row per customer at the churn cutoff, at the customer's last event before it. */
  readonly churn: readonly Row[];
  /** The same at earlier cutoffs (`churn-rows.ts`), for training only: no measured probability. */
  readonly churn_earlier: readonly Row[];
}

export interface TrainingOptions {
  /**
   * Labels as known at this time: a fraud reported later counts as not fraud, as it would for a model
   * trained on that day. Default: every label, however late.
   */
  readonly labelsAsOf?: Date;
}

/** The customer's events so far, as the store would hold them, and the features of one event. */
function createHistories() {
  const byCustomer = new Map<string, UnifiedPaymentEvent[]>();
  return {
    add(event: UnifiedPaymentEvent) {
      if (event.customer_id === null) return;
      const list = byCustomer.get(event.customer_id) ?? [];
      list.push(event);
      byCustomer.set(event.customer_id, list);
    },
    features(event: UnifiedPaymentEvent): Features {
      // computeFeatures keeps only history strictly before the event, as the store's read does.
      return computeFeatures(event, event.customer_id === null ? [] : (byCustomer.get(event.customer_id) ?? []));
    },
  };
}

function fraudRow(replayed: ReplayedEvent, features: Features, truth: FraudTruth, asOf: number): Row {
  const known = truth.fraud && (truth.label_at === null || Date.parse(truth.label_at) <= asOf);
  return {
    ...identity(replayed),
    ...features,
    label: known ? 1 : 0,
    label_at: truth.label_at,
    truth_fraud_probability: truth.fraud_probability,
    truth_scenario: truth.scenario,
  };
}

/** Extra columns: the retry's delay, and its hour and day of month (UTC), where paydays show. */
function retryRows(replayed: ReplayedEvent, features: Features, truth: RetryTruth): Row[] {
  const failedAt = Date.parse(truth.failed_at);
  return truth.candidates.map((candidate) => {
    const at = new Date(candidate.at);
    return {
      ...identity(replayed),
      failure_code: truth.failure_code,
      amount_minor: truth.amount,
      currency: truth.currency,
      ...features,
      retry_candidate: candidate.label,
      retry_delay_hours: (at.getTime() - failedAt) / HOUR_MS,
      retry_hour_of_day: at.getUTCHours(),
      retry_day_of_month: at.getUTCDate(),
      label: candidate.succeeds ? 1 : 0,
      truth_retry_probability: candidate.probability,
    };
  });
}

/** Builds the tables in one pass over the events, oldest first. */
export function buildTrainingSets(
  events: readonly ReplayedEvent[],
  truth: WorldTruth,
  options: TrainingOptions = {},
): TrainingSets {
  const asOf = options.labelsAsOf?.getTime() ?? Number.POSITIVE_INFINITY;
  const fraudTruth = new Map(truth.fraud.map((record) => [record.payment_ref, record]));
  const retryTruth = new Map(truth.retry.map((record) => [record.payment_ref, record]));
  const churnRows = createChurnRows(truth);
  const scored = new Set<string>();
  const histories = createHistories();
  const fraud: Row[] = [];
  const retry: Row[] = [];
  for (const replayed of events) {
    const { event } = replayed;
    const kind = event.status === 'succeeded' ? 'fraud' : event.status === 'failed' ? 'retry' : null;
    const key = `${kind}:${replayed.paymentRef}`;
    const beforeCutoff = churnRows.wants(replayed);
    if ((kind !== null && !scored.has(key)) || beforeCutoff) {
      const features = histories.features(event);
      if (beforeCutoff) churnRows.observe(replayed, features);
      const fraudRecord = fraudTruth.get(replayed.paymentRef);
      const retryRecord = retryTruth.get(replayed.paymentRef);
      if (kind === 'fraud' && !scored.has(key) && fraudRecord)
        fraud.push(fraudRow(replayed, features, fraudRecord, asOf));
      if (kind === 'retry' && !scored.has(key) && retryRecord)
        retry.push(...retryRows(replayed, features, retryRecord));
      if (kind !== null) scored.add(key);
    }
    histories.add(event);
  }
  const { churn, churnEarlier } = churnRows.rows();
  return { fraud, retry, churn, churn_earlier: churnEarlier };
}
