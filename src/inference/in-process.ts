/**
 * The in-process adapter of the inference port: reads the customer's past from a `HistorySource` (the
 * store) and scores with the transparent baselines. Everything is computed from the event and its history,
 * never from the wall clock, so reprocessing an event reproduces its scores and its retry time.
 */
import type { EnrichedPaymentEvent, UnifiedPaymentEvent } from '../contracts/payment-event.ts';
import { computeFeatures } from './features/features.ts';
import type { HistorySource, Inference } from './port.ts';
import { decideRetry } from './retry/strategy.ts';
import { predictChurn } from './scores/churn.ts';
import { scoreFraud } from './scores/fraud.ts';

export interface InProcessInferenceOptions {
  readonly history: HistorySource;
  /**
   * How many of the customer's newest past events to read (default 1000). Enough for every feature's
   * window for any human customer; a bot with more events in 30 days is past every retry limit anyway.
   */
  readonly historyLimit?: number;
}

const DEFAULT_HISTORY_LIMIT = 1000;

export function createInProcessInference(options: InProcessInferenceOptions): Inference {
  const limit = options.historyLimit ?? DEFAULT_HISTORY_LIMIT;

  // An anonymous payment has no customer to look up: it is scored as a first payment.
  async function pastOf(event: UnifiedPaymentEvent): Promise<readonly EnrichedPaymentEvent[]> {
    if (event.customer_id === null) return [];
    return options.history.customerHistory(event.customer_id, event.timestamp, limit);
  }

  return {
    async fraudScore(event) {
      return scoreFraud(computeFeatures(event, await pastOf(event)));
    },
    async retryStrategy(event) {
      return decideRetry(event, await options.history.paymentHistory(event.payment_id, event.timestamp, limit));
    },
    async churnPrediction(event) {
      return predictChurn(computeFeatures(event, await pastOf(event)));
    },
  };
}
