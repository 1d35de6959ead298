import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EnrichedPaymentEvent, UnifiedPaymentEvent } from '../../src/contracts/payment-event.ts';

const event = {
  schema_version: 1,
  event_id: 'stripe:evt_1',
  provider: 'stripe',
  event_type: 'payment.succeeded',
  provider_event_type: 'payment_intent.succeeded',
  payment_id: 'pi_1',
  amount_cents: 1999,
  currency: 'EUR',
  status: 'succeeded',
  failure_code: null,
  customer_id: 'cus_1',
  merchant_id: null,
  timestamp: '2026-01-02T03:04:05.000Z',
  received_at: '2026-01-02T03:04:06.000Z',
  metadata: { order: '42' },
};

test('a well-formed unified event validates', () => {
  assert.deepEqual(UnifiedPaymentEvent.parse(event), event);
});

test('amounts are integer minor units within 2^53', () => {
  for (const amount_cents of [19.99, -1, 2 ** 53, Number.NaN]) {
    assert.equal(UnifiedPaymentEvent.safeParse({ ...event, amount_cents }).success, false, String(amount_cents));
  }
});

test('currency is upper-case ISO 4217 and vocabularies are closed', () => {
  assert.equal(UnifiedPaymentEvent.safeParse({ ...event, currency: 'eur' }).success, false);
  assert.equal(UnifiedPaymentEvent.safeParse({ ...event, status: 'settled' }).success, false);
  assert.equal(UnifiedPaymentEvent.safeParse({ ...event, event_type: 'payment.refunded' }).success, false);
  assert.equal(UnifiedPaymentEvent.safeParse({ ...event, failure_code: 'card_declined' }).success, false);
});

test('unknown fields are rejected, metadata holds strings only', () => {
  assert.equal(UnifiedPaymentEvent.safeParse({ ...event, extra: 1 }).success, false);
  assert.equal(UnifiedPaymentEvent.safeParse({ ...event, metadata: { n: 1 } }).success, false);
});

test('timestamps are ISO 8601 UTC', () => {
  assert.equal(UnifiedPaymentEvent.safeParse({ ...event, timestamp: '2026-01-02 03:04:05' }).success, false);
  assert.equal(UnifiedPaymentEvent.safeParse({ ...event, timestamp: '2026-01-02T03:04:05+01:00' }).success, false);
});

test('the enriched event adds scores in 0..1, the retry strategy and model versions', () => {
  const enriched = {
    ...event,
    fraud_score: 0.12,
    churn_score: 0.3,
    retry_strategy: null,
    retry_at: null,
    processed_at: '2026-01-02T03:04:07.000Z',
    model_versions: { fraud: 'f1', churn: 'c1', retry: null },
  };
  assert.deepEqual(EnrichedPaymentEvent.parse(enriched), enriched);
  assert.equal(EnrichedPaymentEvent.safeParse({ ...enriched, fraud_score: 1.5 }).success, false);
  assert.equal(EnrichedPaymentEvent.safeParse({ ...enriched, retry_strategy: 'later' }).success, false);
});

test('no text field may carry a NUL character, which PostgreSQL cannot store', () => {
  for (const patch of [
    { customer_id: 'cus_\u0000x' },
    { payment_id: 'pi\u0000' },
    { event_id: 'stripe:\u0000' },
    { metadata: { note: 'a\u0000b' } },
    { metadata: { 'k\u0000': 'v' } },
  ]) {
    assert.equal(UnifiedPaymentEvent.safeParse({ ...event, ...patch }).success, false, JSON.stringify(patch));
  }
});

test('no text field may carry a lone surrogate, which PostgreSQL refuses and DuckDB cannot read as JSON', () => {
  for (const patch of [
    { customer_id: 'cus_\ud800x' },
    { payment_id: 'pi\udc00' },
    { metadata: { note: 'half an emoji \ud83d' } },
    { metadata: { '\ude00k': 'v' } },
  ]) {
    assert.equal(UnifiedPaymentEvent.safeParse({ ...event, ...patch }).success, false, JSON.stringify(patch));
  }
  const whole = { ...event, metadata: { note: 'a whole emoji \ud83d\ude00' } };
  assert.equal(UnifiedPaymentEvent.safeParse(whole).success, true);
});
