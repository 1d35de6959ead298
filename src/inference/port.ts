/**
 * The inference port (DESIGN.md §5): fraud score, retry strategy and churn prediction for one event.
 * Two adapters: in-process (reads the customer's history from the store) and the HTTP inference service.
 */
import type { EnrichedPaymentEvent, UnifiedPaymentEvent } from '../contracts/payment-event.ts';
import type { ProviderName, RetryStrategy } from '../contracts/vocabulary.ts';
import type { PastEvent } from './features/history.ts';
import type { StoredState } from './features/stored-state.ts';

export interface FraudScore {
  /** Probability of fraud, 0..1. */
  readonly score: number;
  readonly model_version: string;
  /** The features' largest contributions, for the engineer asking "why this score". */
  readonly explanation: Readonly<Record<string, number>>;
}

export interface ChurnScore {
  readonly score: number;
  readonly model_version: string;
  readonly explanation: Readonly<Record<string, number>>;
}

export interface RetryDecision {
  readonly strategy: RetryStrategy;
  /** Suggested retry time (ISO 8601 UTC) for `immediate` and `delayed`; null for `none`. */
  readonly retry_at: string | null;
  readonly model_version: string;
  /** Why: the card-network rule or model outcome that decided it. */
  readonly reason: string;
}

export interface Inference {
  fraudScore(event: UnifiedPaymentEvent): Promise<FraudScore>;
  retryStrategy(event: UnifiedPaymentEvent): Promise<RetryDecision>;
  churnPrediction(event: UnifiedPaymentEvent): Promise<ChurnScore>;
}

/** Where in-process inference reads a customer's past: the store implements it. */
export interface HistorySource {
  /**
   * The customer's stored events strictly before `before` (ISO 8601), newest first, at most `limit`, with
   * what the features read of each (`PastEvent`: `metadata` holds `card_country` only, when known).
   */
  customerHistory(customerId: string, before: string, limit: number): Promise<readonly PastEvent[]>;
  /**
   * The customer's past folded as their events were stored (stored-state.ts): what a score reads first.
   * `undefined` when the store keeps none for them (no event yet, or one to rebuild): read the history.
   * A fresh object per call, which the caller may consume.
   */
  customerState(customerId: string): Promise<StoredState | undefined>;
  /**
   * The payment's stored events strictly before `before`, newest first, at most `limit`: its earlier
   * declines count towards the card networks' retry limits, whether or not it has a customer id. A payment
   * is its provider and its id: ids are the providers' own, so another provider's payment may share one.
   */
  paymentHistory(
    provider: ProviderName,
    paymentId: string,
    before: string,
    limit: number,
  ): Promise<readonly EnrichedPaymentEvent[]>;
}
