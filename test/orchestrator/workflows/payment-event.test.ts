import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { UnifiedPaymentEvent } from '../../../src/contracts/payment-event.ts';
import type { Activities, RuleVerdict } from '../../../src/orchestrator/activities/index.ts';
import { paymentEventWorkflow } from '../../../src/orchestrator/workflows/payment-event.ts';
import { unifiedEvent } from '../../storage/events.ts';

/** Activities that record each call by name and answer fixed values; `verdict` is the rules' answer. */
function recording(verdict: RuleVerdict = { kind: 'accepted' }) {
  const calls: string[] = [];
  const persisted: unknown[] = [];
  const answer =
    <T>(name: string, value: T) =>
    async (input?: unknown): Promise<T> => {
      calls.push(name);
      if (name.startsWith('persist_')) persisted.push(input);
      return value;
    };
  const acts: Activities = {
    validate_business_rules: answer('validate_business_rules', verdict),
    get_fraud_score: answer('get_fraud_score', { score: 0.3, model_version: 'f1', explanation: {} }),
    get_retry_strategy: answer('get_retry_strategy', {
      strategy: 'immediate',
      retry_at: '2026-01-01T00:05:00.000Z',
      model_version: 'r1',
      reason: 'soft decline',
    }),
    get_churn_prediction: answer('get_churn_prediction', { score: 0.7, model_version: 'c1', explanation: {} }),
    persist_to_postgres: answer('persist_to_postgres', { duplicate: false }),
    persist_to_quarantine: answer('persist_to_quarantine', { id: 'q', duplicate: false }),
  };
  return { acts, calls, persisted };
}

test('a succeeded payment is scored for fraud, then churn, then stored with both scores', async () => {
  const { acts, calls, persisted } = recording();
  const outcome = await paymentEventWorkflow(acts, unifiedEvent());
  assert.deepEqual(outcome, { outcome: 'stored', event_id: 'stripe:evt_1', duplicate: false });
  assert.deepEqual(calls, [
    'validate_business_rules',
    'get_fraud_score',
    'get_churn_prediction',
    'persist_to_postgres',
  ]);
  assert.partialDeepStrictEqual(persisted[0], {
    fraud_score: 0.3,
    churn_score: 0.7,
    retry_strategy: null,
    model_versions: { fraud: 'f1', churn: 'c1', retry: null },
  });
});

test('a failed payment gets a retry strategy instead of a fraud score', async () => {
  const { acts, calls, persisted } = recording();
  await paymentEventWorkflow(
    acts,
    unifiedEvent({ status: 'failed', event_type: 'payment.failed', failure_code: 'do_not_honor' }),
  );
  assert.deepEqual(calls, [
    'validate_business_rules',
    'get_retry_strategy',
    'get_churn_prediction',
    'persist_to_postgres',
  ]);
  assert.partialDeepStrictEqual(persisted[0], {
    fraud_score: null,
    retry_strategy: 'immediate',
    retry_at: '2026-01-01T00:05:00.000Z',
    model_versions: { fraud: null, churn: 'c1', retry: 'r1' },
  });
});

test('other statuses get neither fraud score nor retry strategy, only churn', async () => {
  for (const status of ['pending', 'authorized', 'canceled', 'refunded', 'disputed'] as const) {
    const { acts, calls } = recording();
    await paymentEventWorkflow(acts, unifiedEvent({ status }) as UnifiedPaymentEvent);
    assert.deepEqual(calls, ['validate_business_rules', 'get_churn_prediction', 'persist_to_postgres'], status);
  }
});

test('a rule failure quarantines the event with its reasons and stores nothing', async () => {
  const reasons = [{ code: 'amount_not_positive', message: 'zero' }] as const;
  const { acts, calls, persisted } = recording({ kind: 'rejected', reasons });
  const outcome = await paymentEventWorkflow(acts, unifiedEvent({ amount_cents: 0 }));
  assert.deepEqual(outcome, { outcome: 'quarantined', event_id: 'stripe:evt_1', reasons });
  assert.deepEqual(calls, ['validate_business_rules', 'persist_to_quarantine']);
  assert.partialDeepStrictEqual(persisted[0], { stage: 'orchestrator', provider: 'stripe', reasons, record: null });
});

test('a duplicate event id does nothing at all', async () => {
  const { acts, calls } = recording({ kind: 'duplicate', location: 'payment_events' });
  assert.deepEqual(await paymentEventWorkflow(acts, unifiedEvent()), {
    outcome: 'duplicate',
    event_id: 'stripe:evt_1',
  });
  assert.deepEqual(calls, ['validate_business_rules']);
});

test('an activity failing because of the event quarantines it; any other failure fails the workflow', async () => {
  const failing = (cause: object) => async (): Promise<never> => {
    throw Object.assign(new Error('activity get_churn_prediction failed'), { cause });
  };
  for (const cause of [{ code: 'PAYPIPE_ERR_INFERENCE_REJECTED' }, { type: 'ZodError' }]) {
    const { acts, calls, persisted } = recording();
    const outcome = await paymentEventWorkflow({ ...acts, get_churn_prediction: failing(cause) }, unifiedEvent());
    assert.deepEqual(outcome, {
      outcome: 'quarantined',
      event_id: 'stripe:evt_1',
      reasons: [{ code: 'processing_failed', message: 'activity get_churn_prediction failed' }],
    });
    assert.deepEqual(calls, ['validate_business_rules', 'get_fraud_score', 'persist_to_quarantine']);
    assert.partialDeepStrictEqual(persisted[0], { stage: 'orchestrator', record: null, event: unifiedEvent() });
  }
  for (const cause of [{ code: 'PAYPIPE_ERR_STORE_UNAVAILABLE' }, { code: 'PAYPIPE_ERR_CONFIG' }]) {
    const { acts, calls } = recording();
    await assert.rejects(paymentEventWorkflow({ ...acts, get_churn_prediction: failing(cause) }, unifiedEvent()));
    assert.ok(!calls.includes('persist_to_quarantine'), cause.code);
  }
});
