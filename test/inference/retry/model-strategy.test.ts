import assert from 'node:assert/strict';
import { test } from 'node:test';
import { computeFeatures } from '../../../src/inference/features/features.ts';
import { compileEnsemble, type TreeEnsemble } from '../../../src/inference/models/ensemble.ts';
import { inputVector } from '../../../src/inference/models/inputs.ts';
import {
  candidateInputs,
  candidateTimes,
  decideRetryWithModel,
  earliestRetry,
  MIN_RETRY_SUCCESS,
  retryInputs,
} from '../../../src/inference/retry/model-strategy.ts';
import { DAY, failed, HOUR, MINUTE, T0 } from '../events.ts';

/** A one-split model: success 0.9 when the retry waits more than 48 h, else 0.05 (logit ±). */
const waitsPayTrees: TreeEnsemble = {
  format: 'paypipe-trees-1',
  name: 'retry',
  version: 'retry-test-1',
  objective: 'binary',
  features: ['retry_delay_hours', 'failure_code=do_not_honor'],
  trees: [{ nodes: [[0, 48, -1, -2, false, 'none', 0]], leaves: [Math.log(0.05 / 0.95), Math.log(0.9 / 0.1)] }],
};
const waitsPay = compileEnsemble(waitsPayTrees);
const never = compileEnsemble({ ...waitsPayTrees, trees: [{ nodes: [], leaves: [Math.log(0.01 / 0.99)] }] });

test("each rule's earliest retry: its wait, its pause, an hour before a payday guess, none for hard declines", () => {
  assert.equal(earliestRetry('do_not_honor', T0), T0 + 24 * HOUR);
  assert.equal(earliestRetry('processing_error', T0), T0 + 5 * MINUTE);
  assert.equal(earliestRetry('insufficient_funds', T0), T0 + HOUR);
  assert.equal(earliestRetry('lost_or_stolen_card', T0), null);
});

test('candidates run from minutes to 16 noons ahead, in order', () => {
  const times = candidateTimes(T0);
  assert.equal(times[0], T0 + 5 * MINUTE);
  assert.ok(times.every((time, i) => i === 0 || time >= (times[i - 1] as number)));
  assert.ok((times.at(-1) as number) <= T0 + 17 * DAY);
});

test('the model picks the candidate with the best predicted success, after the rule allows', () => {
  const event = failed('pi_1', T0, 'do_not_honor');
  const decision = decideRetryWithModel(waitsPay, event, [], computeFeatures(event, []));
  assert.equal(decision.strategy, 'delayed');
  assert.equal(decision.model_version, 'retry-test-1');
  assert.ok(Date.parse(decision.retry_at ?? '') - T0 > 48 * HOUR);
  assert.match(decision.reason, /^model_best_time: do_not_honor, predicted success 0\.900/);
});

test('too unlikely to succeed anywhere: none, with the model version and a stable reason', () => {
  const event = failed('pi_1', T0, 'try_again_later');
  const decision = decideRetryWithModel(never, event, [], computeFeatures(event, []));
  assert.ok(MIN_RETRY_SUCCESS > 0.01);
  assert.deepEqual([decision.strategy, decision.retry_at, decision.model_version], ['none', null, 'retry-test-1']);
  assert.match(decision.reason, /^unlikely_to_succeed: /);
});

test('the rules gate first: a hard decline and a payment past its limit are none whatever the model says', () => {
  const stolen = failed('pi_1', T0, 'lost_or_stolen_card');
  assert.match(decideRetryWithModel(waitsPay, stolen, [], computeFeatures(stolen, [])).reason, /^hard_decline: /);
  const past = Array.from({ length: 15 }, (_, i) => failed('pi_2', T0 - (i + 1) * 1.5 * DAY, 'do_not_honor'));
  const event = failed('pi_2', T0, 'do_not_honor');
  const decision = decideRetryWithModel(waitsPay, event, past, computeFeatures(event, past));
  assert.equal(decision.strategy, 'none');
  assert.match(decision.reason, /^retry_limit_reached: /);
});

test('the input vector of each candidate time equals the one built from scratch for that time', () => {
  const model = compileEnsemble({
    ...waitsPayTrees,
    features: ['retry_day_of_month', 'amount', 'failure_code=do_not_honor', 'retry_hour_of_day', 'retry_delay_hours'],
  });
  const event = failed('pi_1', T0, 'do_not_honor');
  const features = computeFeatures(event, []);
  const inputsAt = candidateInputs(model, features, 'do_not_honor', T0);
  for (const at of candidateTimes(T0)) {
    assert.deepEqual(inputsAt(at), inputVector(model, retryInputs(features, 'do_not_honor', T0, at)));
  }
  const withoutTime = compileEnsemble({ ...waitsPayTrees, features: ['amount', 'failure_code=do_not_honor'] });
  assert.deepEqual(candidateInputs(withoutTime, features, 'do_not_honor', T0)(T0 + DAY), [features.amount, 1]);
});
