import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileEnsemble } from '../../../src/inference/models/ensemble.ts';
import { inputVector } from '../../../src/inference/models/inputs.ts';

const model = compileEnsemble({
  format: 'paypipe-trees-1',
  name: 'inputs',
  version: 'inputs-1',
  objective: 'binary',
  features: ['amount', 'failure_code=do_not_honor', 'failure_code=expired_card', 'tenure_days'],
  trees: [{ nodes: [], leaves: [0] }],
});

test('a column is the named number, a one-hot column 1 for its text, and a missing or non-number value NaN', () => {
  assert.deepEqual(inputVector(model, { amount: 12.5, failure_code: 'expired_card', tenure_days: 3 }), [12.5, 0, 1, 3]);
  assert.deepEqual(inputVector(model, { amount: '12.5', failure_code: null }), [Number.NaN, 0, 0, Number.NaN]);
  assert.deepEqual(inputVector(model, { failure_code: 'do_not_honor', tenure_days: 0 }), [Number.NaN, 1, 0, 0]);
});
