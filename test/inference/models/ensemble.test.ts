import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  type CompiledModel,
  compileEnsemble,
  explain,
  parseTreeEnsemble,
  predict,
  predictVaryingMany,
  type TreeEnsemble,
} from '../../../src/inference/models/ensemble.ts';
import { loadModels, MODEL_NAMES, MODELS_DIR } from '../../../src/inference/models/load.ts';

const loaded = loadModels();
const parity = JSON.parse(readFileSync(join(MODELS_DIR, 'parity.json'), 'utf8')) as Record<
  string,
  { rows: number[][]; scores: number[] }
>;

test('the committed models load compiled, each with a version and its inputs, without their JSON trees', () => {
  assert.equal(loaded.kind, 'models');
  if (loaded.kind !== 'models') return;
  for (const name of MODEL_NAMES) {
    const model: CompiledModel = loaded.models[name];
    assert.match(model.version, new RegExp(`^${name}-lgbm-[0-9a-f]{10}$`));
    assert.ok(model.roots.length > 50);
    // Nothing but the version, the input names and typed arrays: the parsed trees can be collected.
    const held = Object.values(model).filter((value) => typeof value === 'object' && !ArrayBuffer.isView(value));
    assert.deepEqual(held, [model.features]);
    assert.ok(model.features.every((feature) => typeof feature === 'string'));
  }
});

test('scores equal the Python predictions of the same rows within 1e-6 (parity fixture from make models)', () => {
  assert.equal(loaded.kind, 'models');
  if (loaded.kind !== 'models') return;
  for (const name of MODEL_NAMES) {
    const fixture = parity[name];
    assert.ok(fixture && fixture.rows.length >= 50, name);
    for (const [i, row] of fixture.rows.entries()) {
      const expected = fixture.scores[i] as number;
      assert.ok(Math.abs(predict(loaded.models[name], row) - expected) <= 1e-6, `${name} row ${i}`);
    }
  }
});

test('the explanation adds up: bias plus every contribution is the log-odds of the score', () => {
  assert.equal(loaded.kind, 'models');
  if (loaded.kind !== 'models') return;
  const model = loaded.models.fraud;
  for (const row of parity.fraud?.rows.slice(0, 20) ?? []) {
    const { score, contributions } = explain(model, row);
    const logOdds = model.bias + contributions.reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(logOdds - Math.log(score / (1 - score))) < 1e-9);
    assert.equal(score, predict(model, row));
  }
});

test('predictions varying only some inputs equal full predictions bit for bit (the retry model over candidate times)', () => {
  assert.equal(loaded.kind, 'models');
  if (loaded.kind !== 'models') return;
  const model = loaded.models.retry;
  const varying = ['retry_delay_hours', 'retry_hour_of_day', 'retry_day_of_month'].map((name) =>
    model.features.indexOf(name),
  );
  assert.ok(varying.every((column) => column >= 0));
  let changed = 0;
  for (const row of parity.retry?.rows.slice(0, 30) ?? []) {
    const movedList = [
      [0.1, 3, 1],
      [24, 12, 15],
      [200, 23, 31],
      [Number.NaN, 0, 28],
    ].map((times) => {
      const moved = row.slice();
      for (const [i, column] of varying.entries()) moved[column] = times[i] as number;
      return moved;
    });
    const scores = predictVaryingMany(model, row, varying, [row, ...movedList]);
    assert.equal(scores[0], predict(model, row));
    for (const [i, moved] of movedList.entries()) {
      assert.equal(scores[i + 1], predict(model, moved));
      if (predict(model, moved) !== predict(model, row)) changed += 1;
    }
  }
  assert.ok(changed > 30, `the time inputs move the score (${changed} of 120)`);
});

const tiny: TreeEnsemble = {
  format: 'paypipe-trees-1',
  name: 'tiny',
  version: 'tiny-1',
  objective: 'binary',
  features: ['a', 'b'],
  trees: [
    {
      nodes: [
        [0, 1.5, -1, 1, true, 'none', 0.1],
        [1, 0, -2, -3, false, 'zero', 0.3],
      ],
      leaves: [-1, 2, 0.5],
    },
    { nodes: [], leaves: [0.25] },
  ],
};

test('decisions as LightGBM makes them: <= goes left, NaN reads as 0, zero goes to the default side', () => {
  const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
  const model = compileEnsemble(tiny);
  assert.equal(predict(model, [1.5, 9]), sigmoid(-1 + 0.25));
  assert.equal(predict(model, [Number.NaN, 9]), sigmoid(-1 + 0.25));
  assert.equal(predict(model, [2, 0]), sigmoid(0.5 + 0.25));
  assert.equal(predict(model, [2, -3]), sigmoid(2 + 0.25));
  assert.equal(predict(model, [2, 3]), sigmoid(0.5 + 0.25));
  assert.equal(predict(model, [2, 1e-40]), sigmoid(0.5 + 0.25));
});

test('a split trained with NaN as missing sends NaN to its default side, and the contributions follow the path', () => {
  const nanAware = compileEnsemble({
    ...tiny,
    trees: [
      { nodes: [[1, -0.5, -1, -2, false, 'nan', 0]], leaves: [-1, 1] },
      { nodes: [[0, 0.5, -1, -2, true, 'nan', 0.2]], leaves: [3, -3] },
    ],
  });
  const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
  assert.equal(predict(nanAware, [Number.NaN, Number.NaN]), sigmoid(1 + 3), 'NaN takes each default side');
  assert.equal(predict(nanAware, [0, -1]), sigmoid(-1 + 3), '-1 <= -0.5 goes left, 0 <= 0.5 goes left');
  assert.equal(predict(nanAware, [1, 0]), sigmoid(1 - 3));
  assert.deepEqual([...explain(nanAware, [Number.NaN, Number.NaN]).contributions], [3 - 0.2, 1 - 0]);
});

test('a damaged model file is a value with a reason, never an exception', () => {
  assert.equal(parseTreeEnsemble(null).kind, 'invalid_model');
  assert.equal(parseTreeEnsemble({ ...tiny, format: 'xgboost' }).kind, 'invalid_model');
  const dangling = { ...tiny, trees: [{ nodes: [[0, 1, -1, 7, true, 'none', 0]], leaves: [1] }] };
  assert.deepEqual(parseTreeEnsemble(dangling), {
    kind: 'invalid_model',
    reason: 'tree 0 refers to a node, leaf or feature that does not exist',
  });
  assert.equal(loadModels('/nonexistent/models').kind, 'missing_model');
});
