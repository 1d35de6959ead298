import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { PaypipeError } from '../../src/contracts/errors.ts';
import type { UnifiedPaymentEvent } from '../../src/contracts/payment-event.ts';
import { createActivities } from '../../src/orchestrator/activities/index.ts';
import { ActivityFailedError } from '../../src/orchestrator/retry.ts';
import { createRunner, type RunnerOptions } from '../../src/orchestrator/runner.ts';
import { createStore } from '../../src/storage/create-store.ts';
import type { PaymentStore } from '../../src/storage/port.ts';
import { unifiedEvent } from '../storage/events.ts';
import { FIXED_CLOCK, fakeInference } from './fakes.ts';

const FAST_RETRY = { initialInterval: 1, maximumInterval: 4, maximumAttempts: 4 };

async function setup(t: { after(fn: () => Promise<void>): void }, options: Partial<RunnerOptions> = {}) {
  const store = await createStore('sqlite::memory:');
  t.after(() => store.close());
  const inference = fakeInference();
  const activities = createActivities({ store, inference, clock: FIXED_CLOCK });
  const runner = createRunner({ activities, retry: FAST_RETRY, ...options });
  return { store, inference, activities, runner };
}

test('a failing-then-succeeding activity is retried with exponential backoff', async (t) => {
  const delays: number[] = [];
  const store = await createStore('sqlite::memory:');
  t.after(() => store.close());
  let failures = 2;
  const flaky: PaymentStore = {
    ...store,
    saveEvent: async (event) => {
      if (failures-- > 0) throw new PaypipeError('PAYPIPE_ERR_STORE_UNAVAILABLE', 'disk busy');
      return store.saveEvent(event);
    },
  };
  const activities = createActivities({ store: flaky, inference: fakeInference(), clock: FIXED_CLOCK });
  const runner = createRunner({ activities, retry: FAST_RETRY, sleep: async (ms) => void delays.push(ms) });
  assert.equal((await runner.paymentEvent(unifiedEvent())).outcome, 'stored');
  assert.deepEqual(delays, [1, 2]);
  assert.equal(await store.locate('stripe:evt_1'), 'payment_events');
});

test('a non-retryable error fails the workflow at once; a later redelivery runs it again', async (t) => {
  const { activities } = await setup(t);
  let broken = true;
  let calls = 0;
  const runner = createRunner({
    activities: {
      ...activities,
      get_churn_prediction: async (event) => {
        calls++;
        if (broken) throw new PaypipeError('PAYPIPE_ERR_CONFIG', 'no model');
        return activities.get_churn_prediction(event);
      },
    },
    retry: FAST_RETRY,
  });
  await assert.rejects(runner.paymentEvent(unifiedEvent()), (error) => {
    assert.ok(error instanceof ActivityFailedError);
    assert.equal(error.activity, 'get_churn_prediction');
    return true;
  });
  assert.equal(calls, 1);
  broken = false;
  assert.equal((await runner.paymentEvent(unifiedEvent())).outcome, 'stored', 'failures are not remembered as done');
});

test('an event the store refuses is quarantined as processing_failed, and the events after it go on', async (t) => {
  const { store, activities } = await setup(t);
  const runner = createRunner({
    activities: {
      ...activities,
      persist_to_postgres: async (draft) => {
        if (draft.event_id === 'stripe:poison') throw new PaypipeError('PAYPIPE_ERR_STORE_REFUSED', 'CHECK failed');
        return activities.persist_to_postgres(draft);
      },
    },
    retry: FAST_RETRY,
  });
  const outcome = await runner.paymentEvent(unifiedEvent({ event_id: 'stripe:poison' }));
  assert.equal(outcome.outcome, 'quarantined');
  assert.match(
    outcome.outcome === 'quarantined' ? (outcome.reasons[0]?.message ?? '') : '',
    /persist_to_postgres.*CHECK failed/,
  );
  assert.equal(await store.locate('stripe:poison'), 'payment_events_quarantine');
  assert.deepEqual((await store.counts()).quarantineByReason, [{ reason: 'processing_failed', count: 1 }]);
  assert.equal((await runner.paymentEvent(unifiedEvent({ event_id: 'stripe:next' }))).outcome, 'stored');
});

test('workflow id = event_id: in-flight redeliveries are joined, completed ones are no-ops', async (t) => {
  const { runner, inference, store, activities } = await setup(t);
  const event = unifiedEvent();
  const [first, second] = await Promise.all([runner.paymentEvent(event), runner.paymentEvent(event)]);
  assert.deepEqual(first, { outcome: 'stored', event_id: 'stripe:evt_1', duplicate: false });
  assert.equal(second, first, 'the same run');
  assert.deepEqual(await runner.paymentEvent(event), first);
  assert.deepEqual(inference.calls, ['fraud:stripe:evt_1', 'churn:stripe:evt_1']);
  const restarted = createRunner({ activities });
  assert.deepEqual(await restarted.paymentEvent(event), { outcome: 'duplicate', event_id: 'stripe:evt_1' });
  assert.equal((await store.counts()).events, 1);
});

test('no more workflows run at once than the concurrency bound, and drain waits for all', async (t) => {
  const { activities, store } = await setup(t);
  let active = 0;
  let peak = 0;
  const runner = createRunner({
    concurrency: 3,
    activities: {
      ...activities,
      validate_business_rules: async (event) => {
        peak = Math.max(peak, ++active);
        await new Promise((resolve) => setTimeout(resolve, 5));
        return activities.validate_business_rules(event);
      },
      persist_to_postgres: async (draft) => {
        active--;
        return activities.persist_to_postgres(draft);
      },
    },
  });
  for (let i = 0; i < 10; i++) void runner.paymentEvent(unifiedEvent({ event_id: `stripe:evt_${i}` }));
  assert.equal(runner.inFlight, 10, 'waiting workflows count as in flight');
  await runner.drain();
  assert.equal(runner.inFlight, 0);
  assert.equal(peak, 3);
  assert.equal((await store.counts()).events, 10);
});

test('a dead letter goes through DLQReviewWorkflow into the quarantine, once', async (t) => {
  const { runner, store } = await setup(t);
  const deadLetter = {
    stage: 'gateway',
    reason: 'no_matching_signature',
    message: 'no v1 signature matched',
    errors: [],
    dead_lettered_at: '2026-01-01T00:00:00.000Z',
    record: { id: 'rec_9', provider: 'stripe', received_at: '2026-01-01T00:00:00.000Z', headers: {}, body_base64: '' },
  } as const;
  const outcome = await runner.dlqReview({ ...deadLetter, errors: [], record: { ...deadLetter.record, headers: {} } });
  assert.deepEqual(outcome, { outcome: 'quarantined', id: 'record:rec_9:no_matching_signature', duplicate: false });
  assert.deepEqual((await store.counts()).quarantineByReason, [{ reason: 'no_matching_signature', count: 1 }]);
});

/** Events of a few payments: payments, refunds and disputes, some breaking rules, some redelivered. */
const eventArb = fc
  .record({
    n: fc.integer({ min: 0, max: 11 }),
    payment: fc.constantFrom('pi_a', 'pi_b'),
    kind: fc.constantFrom('paid', 'failed', 'refund', 'dispute', 'pending'),
    amount: fc.constantFrom(0, 300, 700, 1000),
    currency: fc.constantFrom('USD', 'USD', 'XYZ'),
    minute: fc.integer({ min: 0, max: 59 }),
  })
  .map(({ n, payment, kind, amount, currency, minute }): UnifiedPaymentEvent => {
    const shape = {
      paid: { event_type: 'payment.succeeded', status: 'succeeded' },
      failed: { event_type: 'payment.failed', status: 'failed', failure_code: 'insufficient_funds' },
      refund: { event_type: 'refund.succeeded', status: 'refunded' },
      dispute: { event_type: 'dispute.opened', status: 'disputed' },
      pending: { event_type: 'payment.pending', status: 'pending' },
    } as const;
    return unifiedEvent({
      event_id: `stripe:evt_${n}`,
      payment_id: payment,
      amount_cents: amount,
      currency,
      timestamp: `2026-01-01T00:${String(minute).padStart(2, '0')}:00.000Z`,
      received_at: '2026-01-01T01:00:00.000Z',
      ...shape[kind],
    });
  });

test('every event ends in exactly one of payment_events and payment_events_quarantine', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(eventArb, { maxLength: 25 }), async (events) => {
      const store = await createStore('sqlite::memory:');
      try {
        const activities = createActivities({ store, inference: fakeInference(), clock: FIXED_CLOCK });
        const runner = createRunner({ activities, concurrency: 4 });
        // A redelivery carries the same id and the same content, so the first copy of each id is the event.
        const unique = new Map(events.map((event) => [event.event_id, event] as const).reverse());
        await Promise.all(events.map((event) => runner.paymentEvent(unique.get(event.event_id) ?? event)));
        for (const id of unique.keys()) assert.notEqual(await store.locate(id), null, id);
        const counts = await store.counts();
        assert.equal(counts.events + counts.quarantined, unique.size);
      } finally {
        await store.close();
      }
    }),
    { numRuns: 40 },
  );
});
