/**
 * The orchestrator's activities: every side effect of the workflows (DESIGN.md §5). Each is idempotent,
 * so a retry or a redelivery repeats nothing: persistence upserts by `event_id`, quarantine by its key.
 * The names are the original design's; `persist_to_postgres` writes to whichever store is configured.
 */
import type { EnrichedPaymentEvent, UnifiedPaymentEvent } from '../../contracts/payment-event.ts';
import type { ChurnScore, FraudScore, Inference, RetryDecision } from '../../inference/port.ts';
import type {
  EventLocation,
  PaymentStore,
  QuarantineEntry,
  QuarantineWriteResult,
  WriteResult,
} from '../../storage/port.ts';
import { checkBusinessRules, DEFAULT_RULE_OPTIONS, type RuleOptions, type RuleViolation } from './business-rules.ts';

export interface Clock {
  now(): Date;
}

export interface ActivityDeps {
  readonly store: PaymentStore;
  readonly inference: Inference;
  readonly clock: Clock;
  readonly rules?: RuleOptions;
}

/** What `validate_business_rules` decided. Plain JSON, as Temporal passes it between worker and workflow. */
export type RuleVerdict =
  | { readonly kind: 'accepted' }
  /** The event id is already in one of the two tables: processing it again must change nothing. */
  | { readonly kind: 'duplicate'; readonly location: Exclude<EventLocation, null> }
  | { readonly kind: 'rejected'; readonly reasons: readonly RuleViolation[] };

/** The enriched event less `processed_at`, which the activity stamps (workflow code reads no clock). */
export type EnrichedDraft = Omit<EnrichedPaymentEvent, 'processed_at'>;
/** A quarantine entry less `quarantined_at`, stamped by the activity for the same reason. */
export type QuarantineDraft = Omit<QuarantineEntry, 'quarantined_at'>;

export interface Activities {
  validate_business_rules(event: UnifiedPaymentEvent): Promise<RuleVerdict>;
  get_fraud_score(event: UnifiedPaymentEvent): Promise<FraudScore>;
  get_retry_strategy(event: UnifiedPaymentEvent): Promise<RetryDecision>;
  get_churn_prediction(event: UnifiedPaymentEvent): Promise<ChurnScore>;
  persist_to_postgres(draft: EnrichedDraft): Promise<WriteResult>;
  persist_to_quarantine(draft: QuarantineDraft): Promise<QuarantineWriteResult>;
}

export function createActivities(deps: ActivityDeps): Activities {
  const { store, inference, clock } = deps;
  const stamp = () => clock.now().toISOString();
  return {
    async validate_business_rules(event) {
      const location = await store.locate(event.event_id);
      if (location !== null) return { kind: 'duplicate', location };
      const reasons = checkBusinessRules(
        event,
        await store.paymentTotals(event.provider, event.payment_id),
        deps.rules ?? DEFAULT_RULE_OPTIONS,
      );
      return reasons.length === 0 ? { kind: 'accepted' } : { kind: 'rejected', reasons };
    },
    get_fraud_score: (event) => inference.fraudScore(event),
    get_retry_strategy: (event) => inference.retryStrategy(event),
    get_churn_prediction: (event) => inference.churnPrediction(event),
    persist_to_postgres: (draft) => store.saveEvent({ ...draft, processed_at: stamp() }),
    persist_to_quarantine: (draft) => store.quarantine({ ...draft, quarantined_at: stamp() }),
  };
}
