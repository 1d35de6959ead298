import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createActivities } from '../../../src/orchestrator/activities/index.ts';
import { createStore } from '../../../src/storage/create-store.ts';
import { provider as adyenProvider, asRecord, notification } from '../../providers/adyen/helpers.ts';
import { enrichedEvent, unifiedEvent } from '../../storage/events.ts';
import { FIXED_CLOCK, fakeInference } from '../fakes.ts';

async function setup(t: { after(fn: () => Promise<void>): void }) {
  const store = await createStore('sqlite::memory:');
  t.after(() => store.close());
  const inference = fakeInference();
  return { store, inference, acts: createActivities({ store, inference, clock: FIXED_CLOCK }) };
}

test('persist_to_postgres stamps processed_at from the clock and is idempotent', async (t) => {
  const { store, acts } = await setup(t);
  const { processed_at: _, ...draft } = enrichedEvent();
  assert.deepEqual(await acts.persist_to_postgres(draft), { duplicate: false });
  assert.deepEqual(await acts.persist_to_postgres(draft), { duplicate: true });
  const [stored] = await store.paymentHistory('stripe', 'pi_1', '2030-01-01T00:00:00.000Z', 1);
  assert.equal(stored?.processed_at, '2026-01-01T00:00:09.000Z');
});

test('validate_business_rules: accepted, then duplicate once stored or quarantined', async (t) => {
  const { acts } = await setup(t);
  const event = unifiedEvent();
  assert.deepEqual(await acts.validate_business_rules(event), { kind: 'accepted' });
  const { processed_at: _, ...draft } = enrichedEvent();
  await acts.persist_to_postgres(draft);
  assert.deepEqual(await acts.validate_business_rules(event), { kind: 'duplicate', location: 'payment_events' });
  const bad = unifiedEvent({ event_id: 'stripe:evt_bad', amount_cents: 0 });
  await acts.persist_to_quarantine({
    stage: 'orchestrator',
    provider: 'stripe',
    reasons: [],
    event: bad,
    record: null,
  });
  assert.deepEqual(await acts.validate_business_rules(bad), {
    kind: 'duplicate',
    location: 'payment_events_quarantine',
  });
});

test('validate_business_rules reads the payment totals from the store', async (t) => {
  const { acts } = await setup(t);
  const { processed_at: _, ...paid } = enrichedEvent({ event_id: 'stripe:evt_paid', amount_cents: 1000 });
  await acts.persist_to_postgres(paid);
  const refund = unifiedEvent({
    event_id: 'stripe:evt_refund',
    event_type: 'refund.succeeded',
    status: 'refunded',
    amount_cents: 1001,
  });
  const verdict = await acts.validate_business_rules(refund);
  assert.equal(verdict.kind, 'rejected');
  assert.deepEqual(verdict.kind === 'rejected' ? verdict.reasons.map((r) => r.code) : [], ['refund_exceeds_captured']);
});

test('the scoring activities are the inference port, one call each', async (t) => {
  const { acts, inference } = await setup(t);
  const event = unifiedEvent();
  assert.equal((await acts.get_fraud_score(event)).score, 0.25);
  assert.equal((await acts.get_retry_strategy(event)).strategy, 'delayed');
  assert.equal((await acts.get_churn_prediction(event)).score, 0.5);
  assert.deepEqual(inference.calls, ['fraud:stripe:evt_1', 'retry:stripe:evt_1', 'churn:stripe:evt_1']);
});

test('two refunds created already succeeded cannot together exceed the capture', async (t) => {
  const { acts } = await setup(t);
  const { processed_at: _, ...paid } = enrichedEvent({ event_id: 'stripe:evt_paid', amount_cents: 1000 });
  await acts.persist_to_postgres(paid);
  // Stripe's refund.created of a card refund: the refund object is already `succeeded`.
  const refund = (id: string) =>
    unifiedEvent({
      event_id: `stripe:evt_${id}`,
      event_type: 'refund.created',
      provider_event_type: 'refund.created',
      status: 'refunded',
      amount_cents: 600,
      timestamp: '2026-01-01T00:00:05.000Z',
      metadata: { refund_id: id },
    });
  assert.deepEqual(await acts.validate_business_rules(refund('re_1')), { kind: 'accepted' });
  const { processed_at: __, ...first } = enrichedEvent(refund('re_1'));
  await acts.persist_to_postgres(first);
  const verdict = await acts.validate_business_rules(refund('re_2'));
  assert.deepEqual(verdict.kind === 'rejected' ? verdict.reasons.map((r) => r.code) : verdict, [
    'refund_exceeds_captured',
  ]);
});

test("a refund's currency is checked against the capture's, not the latest event's", async (t) => {
  const { acts } = await setup(t);
  const refund = (id: string, currency: string, second: number) =>
    unifiedEvent({
      event_id: `stripe:evt_${id}`,
      event_type: 'refund.succeeded',
      status: 'refunded',
      amount_cents: 100,
      currency,
      timestamp: `2026-01-01T00:00:0${second}.000Z`,
      received_at: '2026-01-01T00:00:09.000Z',
      metadata: { refund_id: id },
    });
  // Before its capture a refund is let through (the capture may be in flight), so a wrong one gets in.
  const early = refund('re_eur', 'EUR', 5);
  assert.deepEqual(await acts.validate_business_rules(early), { kind: 'accepted' });
  const { processed_at: _, ...stored } = enrichedEvent(early);
  await acts.persist_to_postgres(stored);
  const { processed_at: __, ...paid } = enrichedEvent({ event_id: 'stripe:evt_paid', amount_cents: 1000 });
  await acts.persist_to_postgres(paid);
  const codes = async (event: ReturnType<typeof refund>) => {
    const verdict = await acts.validate_business_rules(event);
    return verdict.kind === 'rejected' ? verdict.reasons.map((r) => r.code) : [];
  };
  assert.deepEqual(await codes(refund('re_usd', 'USD', 6)), []);
  assert.deepEqual(await codes(refund('re_eur_2', 'EUR', 7)), ['currency_mismatch']);
});

/** The one event an Adyen notification item of payment PAYMENT00000001 normalizes to. */
function adyen(item: Record<string, unknown>) {
  const result = adyenProvider.normalize(asRecord(notification({ originalReference: 'PAYMENT00000001', ...item })));
  assert.ok(result.kind === 'events', JSON.stringify(result));
  const [event] = result.events;
  assert.ok(event);
  return event;
}

test("a full refund after Adyen's two partial captures is within the captured amount", async (t) => {
  const { acts } = await setup(t);
  const capture = (pspReference: string, value: number, eventDate: string) =>
    adyen({ eventCode: 'CAPTURE', pspReference, amount: { currency: 'EUR', value }, eventDate });
  for (const event of [
    capture('CAPTURE00000001', 6000, '2025-11-20T14:02:01+01:00'),
    capture('CAPTURE00000002', 4000, '2025-11-20T14:02:02+01:00'),
  ]) {
    const { processed_at: _, ...draft } = enrichedEvent(event);
    await acts.persist_to_postgres(draft);
  }
  const refund = (pspReference: string, value: number) =>
    adyen({
      eventCode: 'REFUND',
      pspReference,
      amount: { currency: 'EUR', value },
      eventDate: '2025-11-20T14:02:03+01:00',
    });
  assert.deepEqual(await acts.validate_business_rules(refund('REFUND000000001', 10_000)), { kind: 'accepted' });
  const verdict = await acts.validate_business_rules(refund('REFUND000000002', 10_001));
  assert.deepEqual(verdict.kind === 'rejected' ? verdict.reasons.map((r) => r.code) : verdict, [
    'refund_exceeds_captured',
  ]);
});

test("Adyen's refund that failed after it succeeded (REFUND_FAILED) gives the money back to refund", async (t) => {
  const { acts } = await setup(t);
  const item = (eventCode: string, pspReference: string, eventDate: string) =>
    adyen({ eventCode, pspReference, amount: { currency: 'EUR', value: 10_000 }, eventDate });
  const codes = async (event: ReturnType<typeof adyen>) => {
    const verdict = await acts.validate_business_rules(event);
    return verdict.kind === 'rejected' ? verdict.reasons.map((r) => r.code) : [];
  };
  for (const event of [
    item('CAPTURE', 'CAPTURE00000001', '2025-11-20T14:02:01+01:00'),
    item('REFUND', 'REFUND000000001', '2025-11-20T14:02:02+01:00'),
  ]) {
    const { processed_at: _, ...draft } = enrichedEvent(event);
    await acts.persist_to_postgres(draft);
  }
  const reissue = item('REFUND', 'REFUND000000002', '2025-11-20T14:02:05+01:00');
  assert.deepEqual(await codes(reissue), ['refund_exceeds_captured'], 'while the first refund stands');
  const failed = item('REFUND_FAILED', 'REFUND000000001', '2025-11-20T14:02:04+01:00');
  assert.deepEqual(await codes(failed), []);
  const { processed_at: _, ...draft } = enrichedEvent(failed);
  await acts.persist_to_postgres(draft);
  assert.deepEqual(await codes(reissue), [], 'the failed refund returned nothing');
});
