import assert from 'node:assert/strict';
import { test } from 'node:test';
import { computeFeatures } from '../../../src/inference/features/features.ts';
import { FRAUD_MODEL_VERSION, scoreFraud } from '../../../src/inference/scores/fraud.ts';
import { failed, MINUTE, monthlyPayer, succeeded, T0 } from '../events.ts';

const logit = (p: number) => Math.log(p / (1 - p));
const sum = (record: Readonly<Record<string, number>>) => Object.values(record).reduce((a, b) => a + b, 0);

// Card testing: twenty $1 attempts on different payments in the last hour, most of them declined.
const burst = Array.from({ length: 20 }, (_, i) =>
  i % 5 === 0
    ? succeeded(`pi_t${i}`, T0 - (i + 1) * 2 * MINUTE, { amount_cents: 100 })
    : failed(`pi_t${i}`, T0 - (i + 1) * 2 * MINUTE, 'incorrect_cvc', { amount_cents: 100 }),
);
const normal = monthlyPayer(12, 20, 2500);

test('a card-testing burst scores far higher than a normal customer', () => {
  const testing = scoreFraud(computeFeatures(succeeded('pi_now', T0, { amount_cents: 100 }), burst));
  const regular = scoreFraud(computeFeatures(succeeded('pi_now', T0, { amount_cents: 2500 }), normal));
  assert.ok(testing.score > 0.9, `card testing scored ${testing.score}`);
  assert.ok(regular.score < 0.03, `normal customer scored ${regular.score}`);
  assert.ok((testing.explanation.velocity_burst ?? 0) > 0);
  assert.ok((testing.explanation.recent_declines ?? 0) > 0);
  assert.equal(regular.explanation.velocity_burst, 0);
});

test('an amount far above the customer norm raises the score; the norm itself does not', () => {
  const usual = scoreFraud(computeFeatures(succeeded('pi_now', T0, { amount_cents: 2500 }), normal));
  const large = scoreFraud(computeFeatures(succeeded('pi_now', T0, { amount_cents: 80_000 }), normal));
  assert.equal(usual.explanation.amount_above_norm, 0);
  assert.equal(large.explanation.amount_above_norm, 0.7 * 5);
  assert.ok(large.score > 0.3);
});

test('a new customer paying a high amount scores above a new customer paying a small one', () => {
  const small = scoreFraud(computeFeatures(succeeded('pi_now', T0, { amount_cents: 2000 }), []));
  const high = scoreFraud(computeFeatures(succeeded('pi_now', T0, { amount_cents: 500_000 }), []));
  assert.equal(small.explanation.new_customer_high_amount, 0);
  assert.ok(high.score > small.score * 5);
});

test('the explanation adds up to the score, and names the model version', () => {
  const result = scoreFraud(computeFeatures(succeeded('pi_now', T0, { amount_cents: 100 }), burst));
  assert.equal(result.model_version, FRAUD_MODEL_VERSION);
  assert.ok(Math.abs(sum(result.explanation) - logit(result.score)) < 1e-9);
  assert.equal(result.explanation.bias, -4);
});

test('the score is deterministic: the same features give the same result', () => {
  const features = computeFeatures(succeeded('pi_now', T0, { amount_cents: 100 }), burst);
  assert.deepEqual(scoreFraud(features), scoreFraud({ ...features }));
});
