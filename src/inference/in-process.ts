/**
 * The in-process adapter of the inference port: reads the customer's state or past from a `HistorySource`
 * (the store) and scores with the trained models of `models/` (fraud, churn, retry; their version in every
 * answer). Everything is computed from the event and its history, never from the wall clock, so
 * reprocessing an event reproduces its scores and its retry time.
 *
 * Should the model files be missing or damaged, scoring falls back to the transparent baselines (their own
 * versions say so) rather than stopping the pipeline.
 */
import type { UnifiedPaymentEvent } from '../contracts/payment-event.ts';
import { computeFeatures, type Features, featuresFromState } from './features/features.ts';
import { stateAt } from './features/stored-state.ts';
import { type LoadedModels, loadModels } from './models/load.ts';
import { modelChurnScore, modelFraudScore } from './models/scores.ts';
import type { HistorySource, Inference } from './port.ts';
import { decideRetryWithModel } from './retry/model-strategy.ts';
import { decideRetry } from './retry/strategy.ts';
import { predictChurn } from './scores/churn.ts';
import { scoreFraud } from './scores/fraud.ts';

export interface InProcessInferenceOptions {
  readonly history: HistorySource;
  /**
   * How many of the customer's (or payment's) newest past events to read when the store keeps no state
   * to score from (default 1000), and of a payment's past for its retry limits.
   */
  readonly historyLimit?: number;
  /** The models to score with (default: the committed `models/`). */
  readonly models?: LoadedModels;
}

const DEFAULT_HISTORY_LIMIT = 1000;

export function createInProcessInference(options: InProcessInferenceOptions): Inference {
  const limit = options.historyLimit ?? DEFAULT_HISTORY_LIMIT;
  const loaded = options.models ?? loadModels();
  const models = loaded.kind === 'models' ? loaded.models : null;

  // The customer's state as the store keeps it: one row, whatever the length of their past. Their past is
  // read event by event only when the store holds none, or holds events later than this one (a replay,
  // an event that arrived late). An anonymous payment has no customer: it is scored as a first payment.
  async function computeFor(event: UnifiedPaymentEvent): Promise<Features> {
    const customer = event.customer_id;
    if (customer === null) return computeFeatures(event, []);
    const now = Date.parse(event.timestamp);
    const stored = await options.history.customerState(customer);
    const state = stored === undefined ? undefined : stateAt(stored, now);
    if (state !== undefined) return featuresFromState(event, state, now);
    return computeFeatures(event, await options.history.customerHistory(customer, event.timestamp, limit));
  }

  // The workflow scores one event object for fraud, churn and (when failed) a retry: its past is read and
  // its features computed once, not once per score. A failed read is forgotten: the runner retries the
  // activity with the same object, and a kept failure failed every retry after the store was back.
  const computed = new WeakMap<UnifiedPaymentEvent, Promise<Features>>();
  function featuresOf(event: UnifiedPaymentEvent): Promise<Features> {
    let features = computed.get(event);
    if (features === undefined) {
      const reading = computeFor(event);
      reading.catch(() => {
        if (computed.get(event) === reading) computed.delete(event);
      });
      features = reading;
      computed.set(event, features);
    }
    return features;
  }

  return {
    async fraudScore(event) {
      const features = await featuresOf(event);
      return models ? modelFraudScore(models.fraud, features) : scoreFraud(features);
    },
    async retryStrategy(event) {
      const history = await options.history.paymentHistory(event.provider, event.payment_id, event.timestamp, limit);
      if (!models) return decideRetry(event, history);
      // Only a failed payment needs the customer's past: any other event is `none` by the rules.
      if (event.event_type !== 'payment.failed')
        return { ...decideRetry(event, history), model_version: models.retry.version };
      return decideRetryWithModel(models.retry, event, history, await featuresOf(event));
    },
    async churnPrediction(event) {
      const features = await featuresOf(event);
      return models ? modelChurnScore(models.churn, features) : predictChurn(features);
    },
  };
}
