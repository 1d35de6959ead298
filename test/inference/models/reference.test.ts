/**
 * The flat evaluator against a straightforward walk of the JSON trees, written from LightGBM's rules:
 * bit for bit, on random ensembles with every kind of split and on the committed models, over random
 * inputs that include NaN, zeros, values at the thresholds and inputs the vector lacks.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  type CompiledModel,
  compileEnsemble,
  explain,
  predict,
  predictVaryingMany,
  type TreeEnsemble,
} from '../../../src/inference/models/ensemble.ts';
import { loadModels, MODEL_NAMES, MODELS_DIR, readEnsemble } from '../../../src/inference/models/load.ts';

type Tree = TreeEnsemble['trees'][number];
type Split = Tree['nodes'][number];

/** Score and contributions by walking each tree's JSON: the decision exactly as LightGBM documents it. */
function referenceWalk(model: TreeEnsemble, inputs: readonly number[]) {
  const contributions = model.features.map(() => 0);
  let raw = 0;
  for (const tree of model.trees) {
    const valueAt = (ref: number) => (ref < 0 ? tree.leaves[-1 - ref] : tree.nodes[ref]?.[6]) as number;
    let ref = tree.nodes.length === 0 ? -1 : 0;
    while (ref >= 0) {
      const [feature, threshold, left, right, defaultLeft, missing, value] = tree.nodes[ref] as Split;
      const input = inputs[feature] ?? Number.NaN;
      const x = missing !== 'nan' && Number.isNaN(input) ? 0 : input;
      const toDefault = (missing === 'zero' && Math.abs(x) <= 1e-35) || (missing === 'nan' && Number.isNaN(x));
      const next = (toDefault ? defaultLeft : x <= threshold) ? left : right;
      contributions[feature] = (contributions[feature] as number) + (valueAt(next) - value);
      ref = next;
    }
    raw += tree.leaves[-1 - ref] as number;
  }
  return { score: 1 / (1 + Math.exp(-raw)), contributions };
}

/** A deterministic generator, so a failure reproduces. */
function random(seed: number) {
  let state = seed;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  return { next, pick: <T>(values: readonly T[]) => values[Math.floor(next() * values.length)] as T };
}

const THRESHOLDS = [0, -0.5, 0.5, 1e-36, -1e-36, 3, 1e-300];
const MISSING = ['none', 'nan', 'zero'] as const;

/** A random tree: splits in LightGBM's numbering (parents first), leaves in any order, often unbalanced. */
function randomTree(rng: ReturnType<typeof random>, width: number): Tree {
  const nodes: Split[] = [];
  const leaves: number[] = [];
  const grow = (depth: number): number => {
    if (depth > 5 || (depth > 0 && rng.next() < 0.3)) {
      leaves.push(Math.round((rng.next() - 0.5) * 1e6) / 1e5);
      return -leaves.length;
    }
    const at = nodes.length;
    const split: Split = [
      Math.floor(rng.next() * width),
      rng.pick(THRESHOLDS),
      0,
      0,
      rng.next() < 0.5,
      rng.pick(MISSING),
      rng.next() - 0.5,
    ];
    nodes.push(split);
    split[2] = grow(depth + 1);
    split[3] = grow(depth + 1);
    return at;
  };
  if (rng.next() < 0.05) leaves.push(rng.next());
  else grow(0);
  return { nodes, leaves };
}

function randomInputs(rng: ReturnType<typeof random>, width: number): number[] {
  const values = [Number.NaN, 0, -0, 1e-40, -1e-40, ...THRESHOLDS, 7, -7];
  const inputs = Array.from({ length: width }, () => (rng.next() < 0.7 ? rng.pick(values) : (rng.next() - 0.5) * 10));
  return rng.next() < 0.1 ? inputs.slice(0, width - 1) : inputs;
}

function assertSameAsReference(model: TreeEnsemble, compiled: CompiledModel, inputs: readonly number[], label: string) {
  const expected = referenceWalk(model, inputs);
  const explained = explain(compiled, inputs);
  assert.equal(explained.score, expected.score, `${label}: score`);
  assert.deepEqual([...explained.contributions], expected.contributions, `${label}: contributions`);
  assert.equal(predict(compiled, inputs), expected.score, `${label}: predict`);
}

test('random ensembles with every kind of split score and explain as the reference walk, bit for bit', () => {
  const rng = random(20261126);
  let nanDefaults = 0;
  let zeroDefaults = 0;
  for (let m = 0; m < 40; m++) {
    const width = 1 + Math.floor(rng.next() * 6);
    const trees = Array.from({ length: 1 + Math.floor(rng.next() * 30) }, () => randomTree(rng, width));
    const model: TreeEnsemble = {
      format: 'paypipe-trees-1',
      name: 'random',
      version: `random-${m}`,
      objective: 'binary',
      features: Array.from({ length: width }, (_, i) => `f${i}`),
      trees,
    };
    const compiled = compileEnsemble(model);
    for (let v = 0; v < 200; v++) {
      const inputs = randomInputs(rng, width);
      assertSameAsReference(model, compiled, inputs, `model ${m} vector ${v}`);
      for (const [feature, , , , , missing] of trees.flatMap((tree) => tree.nodes)) {
        const input = inputs[feature] ?? Number.NaN;
        if (missing === 'nan' && Number.isNaN(input)) nanDefaults += 1;
        if (missing === 'zero' && (Number.isNaN(input) || Math.abs(input) <= 1e-35)) zeroDefaults += 1;
      }
      const varying = [...new Set([Math.floor(rng.next() * width), Math.floor(rng.next() * width)])];
      const movedList = Array.from({ length: 1 + Math.floor(rng.next() * 8) }, () => {
        const moved = inputs.slice();
        for (const column of varying) moved[column] = rng.pick([Number.NaN, 0, 1e-40, 0.5, -3, ...THRESHOLDS]);
        return moved;
      });
      const scores = predictVaryingMany(compiled, inputs, varying, [...movedList, inputs]);
      for (const [i, moved] of [...movedList, inputs].entries()) {
        assert.equal(scores[i], referenceWalk(model, moved).score, `model ${m} vector ${v}: varying ${i}`);
      }
    }
  }
  assert.ok(
    nanDefaults > 1000 && zeroDefaults > 1000,
    `the default sides are exercised (${nanDefaults}, ${zeroDefaults})`,
  );
});

test('the committed models score and explain as the reference walk, bit for bit', () => {
  const loaded = loadModels();
  assert.equal(loaded.kind, 'models');
  if (loaded.kind !== 'models') return;
  const rng = random(7);
  for (const name of MODEL_NAMES) {
    const read = readEnsemble(MODELS_DIR, name);
    assert.equal(read.kind, 'model');
    if (read.kind !== 'model') return;
    const model = read.model;
    const thresholds = model.trees.flatMap((tree) => tree.nodes.map((split) => split[1]));
    for (let v = 0; v < 300; v++) {
      const inputs = model.features.map(() =>
        rng.next() < 0.1 ? rng.pick([Number.NaN, 0]) : rng.pick(thresholds) + rng.pick([0, 0, 1e-9, -1e-9]),
      );
      assertSameAsReference(model, loaded.models[name], inputs, `${name} vector ${v}`);
    }
  }
});
