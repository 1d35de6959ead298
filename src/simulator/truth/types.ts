/**
 * The calendar world's ground truth, kept apart from the events: what really happened and with what
 * probability, for training labels and for measuring models against the world's own ceiling. None of it
 * is ever written into a webhook. Records join to the events through the world's references: the payment
 * ref (`pay_…`, the order id the payloads carry) and the customer ref (`cust_…`).
 */
import type { FailureCode, ProviderName } from '../../contracts/vocabulary.ts';
import type { FraudScenario } from '../world/fraud.ts';

/** One payment attempt: who made it and whether it is reported as fraud. */
export interface FraudTruth {
  readonly payment_ref: string;
  readonly customer_ref: string;
  readonly provider: ProviderName;
  /** When the attempt was made (ISO 8601 UTC). */
  readonly at: string;
  readonly approved: boolean;
  readonly actor: 'customer' | 'fraudster';
  /** The fraud scenario behind a fraudster's attempt; null for the customer's own. */
  readonly scenario: FraudScenario | null;
  /** The probability that the attempt is reported as fraud, given everything the world knows about it. */
  readonly fraud_probability: number;
  /** The label, drawn with that probability. */
  readonly fraud: boolean;
  /** When the report arrives (a chargeback for an approved payment), weeks later; null without one. */
  readonly label_at: string | null;
}

export interface RetryCandidate {
  /** `5m`, `1h`, `24h`, `3d`, `7d` after the decline, or `next_payday` (the customer's, at 12:00 UTC). */
  readonly label: string;
  readonly at: string;
  readonly probability: number;
  readonly succeeds: boolean;
}

/** One declined attempt: what a retry at each candidate time would have done. */
export interface RetryTruth {
  readonly payment_ref: string;
  readonly customer_ref: string;
  readonly failed_at: string;
  readonly failure_code: FailureCode;
  /** In the minor unit of `currency`. */
  readonly amount: number;
  readonly currency: string;
  readonly fraudulent: boolean;
  readonly next_payday_at: string;
  readonly fragility: number;
  /**
   * The attempt's one uniform draw: a retry at time t succeeds when `draw < probability(t)`, so outcomes
   * are consistent across times (see `retryOutcomeAt`).
   */
  readonly draw: number;
  readonly candidates: readonly RetryCandidate[];
}

/** One customer at the churn cutoff. */
export interface ChurnTruth {
  readonly customer_ref: string;
  readonly provider: ProviderName;
  readonly cutoff: string;
  readonly window_days: number;
  /** The probability of no successful payment of the customer's own in the window, from the state at cutoff. */
  readonly churn_probability: number;
  /** The label: no successful payment of the customer's own in `[cutoff, cutoff + window_days)`. */
  readonly churned: boolean;
  /** When the customer actually stopped paying for good, if within the run. */
  readonly stopped_at: string | null;
}

export interface WorldTruth {
  readonly fraud: readonly FraudTruth[];
  readonly retry: readonly RetryTruth[];
  readonly churn: readonly ChurnTruth[];
}
