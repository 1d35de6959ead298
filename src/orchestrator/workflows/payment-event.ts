/**
 * PaymentEventWorkflow's decision logic (DESIGN.md §1): validate the business rules; score fraud for a
 * succeeded payment or ask for a retry strategy for a failed one; predict churn; store the enriched event.
 * A rule failure quarantines the event with its reasons. Deterministic: no clock, no I/O, no Node
 * built-ins; every effect is an activity.
 */
import type { UnifiedPaymentEvent } from '../../contracts/payment-event.ts';
import type { RuleViolation } from '../activities/business-rules.ts';
import type { Activities } from '../activities/index.ts';

export type PaymentEventOutcome =
  | { readonly outcome: 'stored'; readonly event_id: string; readonly duplicate: boolean }
  | { readonly outcome: 'quarantined'; readonly event_id: string; readonly reasons: readonly RuleViolation[] }
  /** Already in one of the two tables: nothing was done. */
  | { readonly outcome: 'duplicate'; readonly event_id: string };

export async function paymentEventWorkflow(acts: Activities, event: UnifiedPaymentEvent): Promise<PaymentEventOutcome> {
  const event_id = event.event_id;
  const verdict = await acts.validate_business_rules(event);
  if (verdict.kind === 'duplicate') return { outcome: 'duplicate', event_id };
  if (verdict.kind === 'rejected') {
    await acts.persist_to_quarantine({
      stage: 'orchestrator',
      provider: event.provider,
      reasons: verdict.reasons,
      event,
      record: null,
    });
    return { outcome: 'quarantined', event_id, reasons: verdict.reasons };
  }
  const fraud = event.status === 'succeeded' ? await acts.get_fraud_score(event) : null;
  const retry = event.status === 'failed' ? await acts.get_retry_strategy(event) : null;
  const churn = await acts.get_churn_prediction(event);
  const { duplicate } = await acts.persist_to_postgres({
    ...event,
    fraud_score: fraud?.score ?? null,
    churn_score: churn.score,
    retry_strategy: retry?.strategy ?? null,
    retry_at: retry?.retry_at ?? null,
    model_versions: {
      fraud: fraud?.model_version ?? null,
      churn: churn.model_version,
      retry: retry?.model_version ?? null,
    },
  });
  return { outcome: 'stored', event_id, duplicate };
}
