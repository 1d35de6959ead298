/**
 * PaymentEventWorkflow's decision logic (DESIGN.md §1): validate the business rules; score fraud for a
 * succeeded payment or ask for a retry strategy for a failed one; predict churn; store the enriched event.
 * A rule failure quarantines the event with its reasons, and so does an activity that failed because of
 * the event itself (`processing_failed`): a poison event must not hold up every event behind it. Any other
 * failure (the store or the inference service down, a missing model) fails the workflow, and the
 * orchestrator tries it again later. Deterministic: no clock, no I/O, no Node built-ins;
 * every effect is an activity.
 */
import type { UnifiedPaymentEvent } from '../../contracts/payment-event.ts';
import type { QuarantineReason } from '../../storage/port.ts';
import type { Activities } from '../activities/index.ts';

export type PaymentEventOutcome =
  | { readonly outcome: 'stored'; readonly event_id: string; readonly duplicate: boolean }
  | { readonly outcome: 'quarantined'; readonly event_id: string; readonly reasons: readonly QuarantineReason[] }
  /** Already in one of the two tables: nothing was done. */
  | { readonly outcome: 'duplicate'; readonly event_id: string };

/**
 * Errors that condemn the event itself, not the system: the store refused its row, the inference service
 * refused it, or a value in it is malformed. Retrying such an event later fails the same way. (A missing
 * model or a bad configuration is not here: it would fail every event, and quarantining them all would
 * hide it.)
 */
const POISON = new Set(['PAYPIPE_ERR_STORE_REFUSED', 'PAYPIPE_ERR_INFERENCE_REJECTED', 'ZodError']);

/**
 * Why an activity failed for good because of the event, or null. The in-process runner's
 * ActivityFailedError and Temporal's ActivityFailure both carry the activity's error as `cause` (Temporal
 * as an ApplicationFailure whose `type` names it); shapes are read, not classes, so this file imports
 * neither runtime.
 */
function poisoned(error: unknown): string | null {
  const { cause, message } = (error ?? {}) as { cause?: unknown; message?: unknown };
  const { code, type, name } = (cause ?? {}) as { code?: unknown; type?: unknown; name?: unknown };
  const kind = [code, type, name].find((value) => typeof value === 'string' && POISON.has(value));
  return kind === undefined ? null : String(message ?? error);
}

export async function paymentEventWorkflow(acts: Activities, event: UnifiedPaymentEvent): Promise<PaymentEventOutcome> {
  try {
    return await enrichAndStore(acts, event);
  } catch (error) {
    const why = poisoned(error);
    if (why === null) throw error;
    const reasons = [{ code: 'processing_failed', message: why }];
    await acts.persist_to_quarantine({ stage: 'orchestrator', provider: event.provider, reasons, event, record: null });
    return { outcome: 'quarantined', event_id: event.event_id, reasons };
  }
}

async function enrichAndStore(acts: Activities, event: UnifiedPaymentEvent): Promise<PaymentEventOutcome> {
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
