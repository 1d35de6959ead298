import assert from 'node:assert/strict';
import { test } from 'node:test';
import { computeFeatures } from '../../../src/inference/features/features.ts';
import { CHURN_MODEL_VERSION, predictChurn } from '../../../src/inference/scores/churn.ts';
import { DAY, failed, monthlyPayer, succeeded, T0 } from '../events.ts';

const churnOf = (history: ReturnType<typeof monthlyPayer>, now = succeeded('pi_now', T0)) =>
  predictChurn(computeFeatures(now, history));

test('a lapsed customer scores higher than an active one', () => {
  const active = churnOf(monthlyPayer(12, 20));
  const lapsed = churnOf(monthlyPayer(12, 150));
  assert.ok(lapsed.score > 0.5, `lapsed scored ${lapsed.score}`);
  assert.ok(active.score < 0.1, `active scored ${active.score}`);
  assert.equal(lapsed.explanation.recency, 0.9 * 4);
  assert.equal(lapsed.explanation.frequency, 0);
});

test('failing payments raise churn: recent declines and a failing event', () => {
  const history = monthlyPayer(6, 20);
  const calm = churnOf(history);
  const failing = churnOf(
    [...history, failed('pi_a', T0 - 3 * DAY, 'insufficient_funds'), failed('pi_b', T0 - DAY, 'insufficient_funds')],
    failed('pi_now', T0, 'insufficient_funds'),
  );
  assert.ok(failing.score > calm.score * 2, `${failing.score} vs ${calm.score}`);
  assert.equal(failing.explanation.event_failed, 0.6);
  assert.equal(failing.explanation.recent_failures, 0.5 * Math.log1p(2));
});

test('longer tenure lowers churn, other things equal', () => {
  // Same recency and 90-day frequency; one customer has been around for two more years.
  const recent = monthlyPayer(3, 20);
  const longstanding = [...recent, succeeded('pi_old', T0 - 820 * DAY)];
  assert.ok(churnOf(longstanding).score < churnOf(recent).score);
});

test('the score is 0..1, versioned, and its explanation adds up', () => {
  const result = churnOf(monthlyPayer(2, 60));
  assert.equal(result.model_version, CHURN_MODEL_VERSION);
  assert.ok(result.score > 0 && result.score < 1);
  const logit = Math.log(result.score / (1 - result.score));
  const total = Object.values(result.explanation).reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(total - logit) < 1e-9);
  assert.deepEqual(churnOf(monthlyPayer(2, 60)), result);
});
