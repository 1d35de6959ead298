import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { type CompiledModel, compileEnsemble, explain } from '../../../src/inference/models/ensemble.ts';
import { inputVector } from '../../../src/inference/models/inputs.ts';
import { loadModels, MODELS_DIR } from '../../../src/inference/models/load.ts';
import { scoreWithModel } from '../../../src/inference/models/scores.ts';

/** The explanation as sorting every contribution gives it: non-zero ones, largest first, ties in input order. */
function sortedExplanation(model: CompiledModel, inputs: readonly number[]) {
  const { contributions } = explain(model, inputs);
  const largest = [...contributions]
    .map((value, i) => [model.features[i] as string, value] as const)
    .filter(([, value]) => value !== 0)
    .sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]))
    .slice(0, 6);
  return { bias: model.bias, ...Object.fromEntries(largest) };
}

/** A model whose input `i` contributes `changes[i]` when every input is 0. */
function contributing(changes: readonly number[]): CompiledModel {
  return compileEnsemble({
    format: 'paypipe-trees-1',
    name: 'contributing',
    version: 'contributing-1',
    objective: 'binary',
    features: changes.map((_, i) => `f${i}`),
    trees: changes.map((change, i) => ({ nodes: [[i, 0, -1, -2, true, 'none', 0]], leaves: [change, 2] })),
  });
}

const zeros = (width: number) => Object.fromEntries(Array.from({ length: width }, (_, i) => [`f${i}`, 0]));

test('the explanation keeps the six largest contributions, ties in input order, zeros left out', () => {
  const changes = [0.5, -0.5, 0.25, 0, 0.5, -0.25, 1, -1, 0.125];
  const { explanation } = scoreWithModel(contributing(changes), zeros(changes.length));
  assert.deepEqual(Object.keys(explanation), ['bias', 'f6', 'f7', 'f0', 'f1', 'f4', 'f2']);
  assert.equal(explanation.f7, -1);
  assert.equal(explanation.f4, 0.5);
  const few = scoreWithModel(contributing([0, 0.5, 0, -0.75]), zeros(4)).explanation;
  assert.deepEqual(few, { bias: 0, f3: -0.75, f1: 0.5 });
});

/** The committed model `name` and its parity rows, each with the named record it is the input vector of. */
function committed(name: 'fraud' | 'churn') {
  const loaded = loadModels();
  assert.equal(loaded.kind, 'models');
  if (loaded.kind !== 'models') throw new Error('the committed models do not load');
  const parity = JSON.parse(readFileSync(join(MODELS_DIR, 'parity.json'), 'utf8')) as Record<
    string,
    { rows: number[][] }
  >;
  const model: CompiledModel = loaded.models[name];
  const rows = (parity[name]?.rows ?? []).map((row) => ({
    row,
    record: Object.fromEntries(model.features.map((feature, i) => [feature, row[i] ?? null])),
  }));
  return { model, rows };
}

test('explanations of the committed models equal sorting every contribution, keys in the same order', () => {
  for (const name of ['fraud', 'churn'] as const) {
    const { model, rows } = committed(name);
    for (const { row, record } of rows) {
      assert.deepEqual(inputVector(model, record), row);
      const { explanation } = scoreWithModel(model, record);
      assert.equal(JSON.stringify(explanation), JSON.stringify(sortedExplanation(model, row)));
    }
  }
});

test('a score is the explained score; its explanation is worked out when first read, once, and serializes', () => {
  const { model, rows } = committed('fraud');
  for (const { row, record } of rows) {
    const scored = scoreWithModel(model, record);
    assert.equal(scored.score, explain(model, row).score);
    const read = scored.explanation;
    assert.equal(scored.explanation, read, 'the explanation is worked out once');
    assert.deepEqual(JSON.parse(JSON.stringify(scored)), {
      score: scored.score,
      model_version: model.version,
      explanation: sortedExplanation(model, row),
    });
    assert.deepEqual(structuredClone(scored).explanation, read);
  }
  // Not read, not worked out: explaining walks every tree again with the contributions.
  const walked = { count: 0 };
  const counting: CompiledModel = new Proxy(model, {
    get(target, key, receiver) {
      if (key === 'bias') walked.count += 1;
      return Reflect.get(target, key, receiver);
    },
  });
  scoreWithModel(counting, rows[0]?.record ?? {});
  assert.equal(walked.count, 0);
});
