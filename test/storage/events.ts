/** Valid unified and enriched events for the store and orchestrator tests; overrides change one field. */
import {
  type EnrichedPaymentEvent,
  SCHEMA_VERSION,
  type UnifiedPaymentEvent,
} from '../../src/contracts/payment-event.ts';

export function unifiedEvent(overrides: Partial<UnifiedPaymentEvent> = {}): UnifiedPaymentEvent {
  return {
    schema_version: SCHEMA_VERSION,
    event_id: 'stripe:evt_1',
    provider: 'stripe',
    event_type: 'payment.succeeded',
    provider_event_type: 'payment_intent.succeeded',
    payment_id: 'pi_1',
    amount_cents: 1000,
    currency: 'USD',
    status: 'succeeded',
    failure_code: null,
    customer_id: 'cus_1',
    merchant_id: 'acct_1',
    timestamp: '2026-01-01T00:00:00.000Z',
    received_at: '2026-01-01T00:00:01.000Z',
    metadata: { order: '42' },
    ...overrides,
  };
}

export function enrichedEvent(overrides: Partial<EnrichedPaymentEvent> = {}): EnrichedPaymentEvent {
  return {
    ...unifiedEvent(),
    fraud_score: 0.1,
    churn_score: 0.2,
    retry_strategy: null,
    retry_at: null,
    processed_at: '2026-01-01T00:00:02.000Z',
    model_versions: { fraud: 'fraud-1', churn: 'churn-1', retry: null },
    ...overrides,
  };
}
