import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { curves, prAuc, rocAuc } from '../../../src/inference/evaluation/metrics.ts';

test('ROC AUC: perfect, reversed, tied and hand-computed rankings', () => {
  assert.equal(rocAuc([0.9, 0.8, 0.2, 0.1], [1, 1, 0, 0]), 1);
  assert.equal(rocAuc([0.1, 0.2, 0.8, 0.9], [1, 1, 0, 0]), 0);
  assert.equal(rocAuc([0.5, 0.5, 0.5, 0.5], [1, 0, 1, 0]), 0.5);
  // Positives at 0.9 and 0.4; negatives at 0.6 and 0.1: 3 of 4 pairs ordered.
  assert.equal(rocAuc([0.9, 0.6, 0.4, 0.1], [1, 0, 1, 0]), 0.75);
  assert.equal(rocAuc([0.3, 0.2], [0, 0]), 0.5);
});

test('PR AUC is the average precision at each positive', () => {
  // Ranked: +, -, +, -: precision 1 at the first positive, 2/3 at the second.
  assert.equal(prAuc([0.9, 0.6, 0.4, 0.1], [1, 0, 1, 0]), (1 + 2 / 3) / 2);
  assert.equal(prAuc([0.9, 0.1], [0, 0]), 0);
});

test('ROC AUC matches the pair-counting definition (property)', () => {
  const sample = fc.array(fc.tuple(fc.integer({ min: 0, max: 9 }), fc.boolean()), { minLength: 2, maxLength: 40 });
  fc.assert(
    fc.property(sample, (pairs) => {
      const scores = pairs.map(([s]) => s);
      const labels = pairs.map(([, l]) => (l ? 1 : 0));
      const pos = scores.filter((_, i) => labels[i] === 1);
      const neg = scores.filter((_, i) => labels[i] === 0);
      if (pos.length === 0 || neg.length === 0) return true;
      let wins = 0;
      for (const p of pos) for (const n of neg) wins += p > n ? 1 : p === n ? 0.5 : 0;
      return Math.abs(rocAuc(scores, labels) - wins / (pos.length * neg.length)) < 1e-12;
    }),
  );
});

test('curves start at the origin (ROC) and end at full recall', () => {
  const { roc, pr } = curves([0.9, 0.6, 0.4, 0.1], [1, 0, 1, 0]);
  assert.deepEqual([roc.x[0], roc.y[0], roc.x.at(-1), roc.y.at(-1)], [0, 0, 1, 1]);
  assert.equal(pr.x.at(-1), 1);
  assert.equal(pr.y.at(-1), 0.5);
});
