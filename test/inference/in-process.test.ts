import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EnrichedPaymentEvent, UnifiedPaymentEvent } from '../../src/contracts/payment-event.ts';
import { computeFeatures } from '../../src/inference/features/features.ts';
import { createInProcessInference } from '../../src/inference/in-process.ts';
import { loadModels } from '../../src/inference/models/load.ts';
import { modelFraudScore } from '../../src/inference/models/scores.ts';
import { predictChurn } from '../../src/inference/scores/churn.ts';
import { scoreFraud } from '../../src/inference/scores/fraud.ts';
import { DAY, failed, HOUR, iso, MINUTE, memoryHistory, monthlyPayer, succeeded, T0 } from './events.ts';

test('the test events are valid unified events', () => {
  assert.equal(UnifiedPaymentEvent.safeParse(failed('pi_1', T0, 'do_not_honor')).success, true);
  assert.equal(UnifiedPaymentEvent.safeParse(succeeded('pi_1', T0)).success, true);
});

test("asks the store for the customer's history strictly before the event, with the configured limit", async () => {
  const history = memoryHistory([]);
  const inference = createInProcessInference({ history, historyLimit: 50 });
  await inference.fraudScore(succeeded('pi_1', T0, { customer_id: 'cus_9' }));
  assert.deepEqual(history.calls, [{ customerId: 'cus_9', before: iso(T0), limit: 50 }]);
});

test("fraud, churn and retry of one event read its customer's state once, and not their past", async () => {
  const history = memoryHistory(monthlyPayer(3, 10));
  const inference = createInProcessInference({ history });
  const event = failed('pi_1', T0, 'insufficient_funds');
  const [fraud, churn] = [await inference.fraudScore(event), await inference.churnPrediction(event)];
  await inference.retryStrategy(event);
  assert.deepEqual(history.stateCalls, ['cus_1']);
  assert.equal(history.calls.length, 0);
  const fresh = createInProcessInference({ history: memoryHistory(monthlyPayer(3, 10)) });
  assert.deepEqual(await fresh.fraudScore(event), fraud, 'the shared features are the ones each score would compute');
  assert.deepEqual(await fresh.churnPrediction({ ...event }), churn);
});

test('a read of the store that failed is not kept: the retried score reads again and succeeds', async () => {
  // The workflow retries a failed activity with the same event object (the store restarting, say): a failed
  // read kept for that object failed every retry, so the event waited out all ten attempts (~4 minutes)
  // after the store was back.
  const history = memoryHistory(monthlyPayer(3, 10));
  let outage = true;
  const inference = createInProcessInference({
    history: {
      ...history,
      async customerState(customerId) {
        if (outage) throw new Error('Connection terminated unexpectedly');
        return history.customerState(customerId);
      },
    },
  });
  const event = succeeded('pi_1', T0);
  await assert.rejects(inference.fraudScore(event), /Connection terminated/);
  await assert.rejects(inference.churnPrediction(event), /Connection terminated/);
  outage = false;
  const fresh = createInProcessInference({ history: memoryHistory(monthlyPayer(3, 10)) });
  assert.deepEqual(await inference.fraudScore(event), await fresh.fraudScore(event));
  assert.deepEqual(await inference.churnPrediction(event), await fresh.churnPrediction(event));
  assert.deepEqual(history.stateCalls, ['cus_1'], 'read once the store answered, then shared by both scores');
});

test('scores with the features of the stored history, and ignores what the store holds after the event', async () => {
  const past = Array.from({ length: 12 }, (_, i) =>
    failed(`pi_t${i}`, T0 - (i + 1) * MINUTE, 'incorrect_cvc', { amount_cents: 100 }),
  );
  const later = [succeeded('pi_later', T0 + HOUR, { amount_cents: 100 })];
  const now = succeeded('pi_now', T0, { amount_cents: 100 });
  const inference = createInProcessInference({ history: memoryHistory([...past, ...later]) });
  const fraud = await inference.fraudScore(now);
  const loaded = loadModels();
  assert.equal(loaded.kind, 'models');
  if (loaded.kind !== 'models') return;
  assert.deepEqual(fraud, modelFraudScore(loaded.models.fraud, computeFeatures(now, past)));
  assert.equal(fraud.model_version, loaded.models.fraud.version);
  assert.ok(fraud.score > 0.5, `card testing scored ${fraud.score}`);
  assert.ok((fraud.explanation.failures_24h ?? 0) > 1, 'the declines in the last day explain most of it');
});

test('other customers never leak into a score', async () => {
  const strangers = Array.from({ length: 12 }, (_, i) =>
    failed(`pi_s${i}`, T0 - (i + 1) * MINUTE, 'incorrect_cvc', { customer_id: 'cus_other' }),
  );
  const inference = createInProcessInference({ history: memoryHistory([...strangers, ...monthlyPayer(6, 20)]) });
  assert.ok((await inference.fraudScore(succeeded('pi_now', T0))).score < 0.05);
});

test('an anonymous payment is scored without asking the store', async () => {
  const history = memoryHistory([]);
  const inference = createInProcessInference({ history });
  const churn = await inference.churnPrediction(succeeded('pi_1', T0, { customer_id: null }));
  assert.equal(history.calls.length, 0);
  assert.match(churn.model_version, /^churn-lgbm-/);
});

test('churn and retry read the same history: a lapsed customer, and a payment past its retry limit', async () => {
  const declines = Array.from({ length: 15 }, (_, i) => failed('pi_1', T0 - (i + 1) * 1.5 * DAY, 'do_not_honor'));
  const inference = createInProcessInference({ history: memoryHistory([...monthlyPayer(12, 150), ...declines]) });
  const event = failed('pi_1', T0, 'do_not_honor');
  const retry = await inference.retryStrategy(event);
  assert.equal(retry.strategy, 'none');
  assert.match(retry.reason, /^retry_limit_reached: /);
  const regular = createInProcessInference({ history: memoryHistory(monthlyPayer(12, 5)) });
  const regularChurn = (await regular.churnPrediction(succeeded('pi_2', T0))).score;
  const lapsedChurn = (await inference.churnPrediction(event)).score;
  assert.ok(lapsedChurn > 2 * regularChurn, `lapsed ${lapsedChurn}, regular ${regularChurn}`);
  assert.deepEqual(await inference.retryStrategy(event), retry);
});

test('without usable model files, scoring falls back to the baselines, which say so in their versions', async () => {
  const past = monthlyPayer(6, 20);
  const inference = createInProcessInference({
    history: memoryHistory(past),
    models: { kind: 'missing_model', reason: 'fraud: ENOENT' },
  });
  const now = succeeded('pi_now', T0);
  assert.deepEqual(await inference.fraudScore(now), scoreFraud(computeFeatures(now, past)));
  assert.deepEqual(await inference.churnPrediction(now), predictChurn(computeFeatures(now, past)));
  assert.equal((await inference.retryStrategy(failed('pi_f', T0, 'do_not_honor'))).model_version, 'baseline-retry-1');
});

test('a failed payment gets the retry model: a soft decline is retried no earlier than its rule allows', async () => {
  const inference = createInProcessInference({ history: memoryHistory(monthlyPayer(12, 5)) });
  const retry = await inference.retryStrategy(failed('pi_2', T0, 'do_not_honor'));
  assert.match(retry.model_version, /^retry-lgbm-/);
  assert.equal(retry.strategy, 'delayed');
  assert.ok(Date.parse(retry.retry_at ?? '') >= T0 + DAY, retry.retry_at ?? 'none');
  const stolen = await inference.retryStrategy(failed('pi_3', T0, 'lost_or_stolen_card'));
  assert.deepEqual([stolen.strategy, stolen.retry_at], ['none', null]);
  assert.match(stolen.reason, /^hard_decline: /);
});

test("a payment without a customer still counts its own earlier declines towards the networks' limits", async () => {
  const declines = Array.from({ length: 15 }, (_, i) =>
    failed('pi_anon', T0 - (i + 1) * 1.5 * DAY, 'do_not_honor', { customer_id: null }),
  );
  const inference = createInProcessInference({ history: memoryHistory(declines) });
  const retry = await inference.retryStrategy(failed('pi_anon', T0, 'do_not_honor', { customer_id: null }));
  assert.equal(retry.strategy, 'none');
  assert.match(retry.reason, /^retry_limit_reached: /);
  const fresh = await inference.retryStrategy(failed('pi_other', T0, 'do_not_honor', { customer_id: null }));
  assert.equal(fresh.strategy, 'delayed');
});

test('the results are plain JSON, ready for the HTTP adapter', async () => {
  const inference = createInProcessInference({ history: memoryHistory(monthlyPayer(3, 10)) });
  const event = failed('pi_1', T0, 'insufficient_funds');
  for (const result of [
    await inference.fraudScore(event),
    await inference.churnPrediction(event),
    await inference.retryStrategy(event),
  ]) {
    assert.deepEqual(JSON.parse(JSON.stringify(result)), result);
  }
});

test('a retry time is a timestamp of the contract after the decline, at either end of the calendar too', async () => {
  // Year 10000 has no place in the contract's timestamps (the HTTP adapter refuses '+010000-…' as an answer
  // out of contract); years 0 to 99 are where Date.UTC means 1900 to 1999.
  const retryAt = EnrichedPaymentEvent.shape.retry_at;
  const models = [loadModels(), { kind: 'missing_model', reason: 'retry: ENOENT' } as const];
  for (const at of ['9999-12-31T00:00:00.000Z', '9999-12-20T00:00:00.000Z', '0050-03-10T12:00:00.000Z']) {
    for (const code of ['insufficient_funds', 'do_not_honor', 'processing_error'] as const) {
      for (const loaded of models) {
        const inference = createInProcessInference({ history: memoryHistory([]), models: loaded });
        const retry = await inference.retryStrategy(failed('pi_1', Date.parse(at), code));
        const what = `${at} ${code} ${loaded.kind}: ${JSON.stringify(retry)}`;
        assert.ok(retryAt.safeParse(retry.retry_at).success, what);
        if (retry.retry_at === null) assert.match(retry.reason, /^invalid_timestamp: /, what);
        else assert.ok(Date.parse(retry.retry_at) - Date.parse(at) <= 40 * DAY, what);
      }
    }
  }
});
