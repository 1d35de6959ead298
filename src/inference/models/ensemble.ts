/**
 * A small evaluator of the tree ensembles `make models` exports (`paypipe-trees-1`, written by
 * lakehouse/paypipe_lakehouse/models/export.py from LightGBM): it reproduces LightGBM's numerical
 * decisions exactly, so a score here equals the Python prediction (a parity test holds it within 1e-6).
 */
import { z } from 'zod';

/** A split: feature index, threshold, left, right (a child < 0 is leaf `-1 - child`), default side, missing, value. */
const Split = z.tuple([
  z.number().int().nonnegative(),
  z.number(),
  z.number().int(),
  z.number().int(),
  z.boolean(),
  z.enum(['none', 'nan', 'zero']),
  z.number(),
]);

const Tree = z.object({ nodes: z.array(Split), leaves: z.array(z.number()).min(1) });

/** An exported model: its version (in every answer), input names in order, and the trees. */
export const TreeEnsemble = z.object({
  format: z.literal('paypipe-trees-1'),
  name: z.string(),
  version: z.string().min(1),
  objective: z.literal('binary'),
  features: z.array(z.string()).min(1),
  trees: z.array(Tree),
});
export type TreeEnsemble = z.infer<typeof TreeEnsemble>;

/** LightGBM's kZeroThreshold: values this close to zero count as zero for `missing: zero` splits. */
const ZERO = 1e-35;

const MISSING = { none: 0, nan: 1, zero: 2 } as const;

/**
 * An ensemble laid out flat for scoring: every split of every tree in typed arrays indexed by one global
 * node number, children as global node numbers (>= 0) or leaves (-1 - global leaf number). Walking the
 * JSON's nested tuples with a callback per split took a third of the workflow thread's time in the
 * pipeline benchmark; the same decisions in the same order over flat arrays give bit-identical scores.
 */
interface Compiled {
  readonly feature: Int32Array;
  readonly threshold: Float64Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  readonly defaultLeft: Uint8Array;
  readonly missing: Uint8Array;
  readonly value: Float64Array;
  readonly leaves: Float64Array;
  /** Per tree: its root node, or (for a tree without splits) its only leaf. */
  readonly roots: Int32Array;
}

function compile(model: TreeEnsemble): Compiled {
  const nodeCount = model.trees.reduce((sum, tree) => sum + tree.nodes.length, 0);
  const leafCount = model.trees.reduce((sum, tree) => sum + tree.leaves.length, 0);
  const c = {
    feature: new Int32Array(nodeCount),
    threshold: new Float64Array(nodeCount),
    left: new Int32Array(nodeCount),
    right: new Int32Array(nodeCount),
    defaultLeft: new Uint8Array(nodeCount),
    missing: new Uint8Array(nodeCount),
    value: new Float64Array(nodeCount),
    leaves: new Float64Array(leafCount),
    roots: new Int32Array(model.trees.length),
  };
  let nodeBase = 0;
  let leafBase = 0;
  for (const [t, tree] of model.trees.entries()) {
    const child = (ref: number) => (ref < 0 ? ref - leafBase : ref + nodeBase);
    c.roots[t] = tree.nodes.length === 0 ? -1 - leafBase : nodeBase;
    for (const [i, [feature, threshold, left, right, defaultLeft, missing, value]] of tree.nodes.entries()) {
      const at = nodeBase + i;
      c.feature[at] = feature;
      c.threshold[at] = threshold;
      c.left[at] = child(left);
      c.right[at] = child(right);
      c.defaultLeft[at] = defaultLeft ? 1 : 0;
      c.missing[at] = MISSING[missing];
      c.value[at] = value;
    }
    c.leaves.set(tree.leaves, leafBase);
    nodeBase += tree.nodes.length;
    leafBase += tree.leaves.length;
  }
  return c;
}

const compiled = new WeakMap<TreeEnsemble, Compiled>();
function compiledOf(model: TreeEnsemble): Compiled {
  let c = compiled.get(model);
  if (c === undefined) {
    c = compile(model);
    compiled.set(model, c);
  }
  return c;
}

/** The child of split `node` that `inputs` go to (a node, or a leaf as `-1 - leaf`), as LightGBM decides. */
function step(c: Compiled, node: number, inputs: readonly number[]): number {
  const input = inputs[c.feature[node] as number] ?? Number.NaN;
  const missing = c.missing[node];
  // As LightGBM: NaN is read as 0 unless the split was trained with NaN as its own "missing" value.
  const x = missing !== MISSING.nan && Number.isNaN(input) ? 0 : input;
  const toDefault = (missing === MISSING.zero && Math.abs(x) <= ZERO) || (missing === MISSING.nan && Number.isNaN(x));
  const goLeft = toDefault ? c.defaultLeft[node] === 1 : x <= (c.threshold[node] as number);
  return goLeft ? (c.left[node] as number) : (c.right[node] as number);
}

/**
 * The leaf value `inputs` reach from `node`; with `contributions`, adds each split's value change to its
 * feature's entry.
 */
function descend(c: Compiled, node: number, inputs: readonly number[], contributions?: number[]): number {
  let at = node;
  while (at >= 0) {
    const next = step(c, at, inputs);
    if (contributions !== undefined) {
      const feature = c.feature[at] as number;
      const reached = next < 0 ? (c.leaves[-1 - next] as number) : (c.value[next] as number);
      contributions[feature] = (contributions[feature] as number) + (reached - (c.value[at] as number));
    }
    at = next;
  }
  return c.leaves[-1 - at] as number;
}

/** The model's raw log-odds: the trees' leaves summed in tree order. */
function rawScore(c: Compiled, inputs: readonly number[], contributions?: number[]): number {
  let raw = 0;
  for (let t = 0; t < c.roots.length; t++) raw += descend(c, c.roots[t] as number, inputs, contributions);
  return raw;
}

const sigmoid = (raw: number) => 1 / (1 + Math.exp(-raw));

/** The model's probability for one input vector (in `model.features` order). */
export function predict(model: TreeEnsemble, inputs: readonly number[]): number {
  return sigmoid(rawScore(compiledOf(model), inputs));
}

/**
 * Predictions for input vectors that differ from `base` only at the indices in `varying` (the retry model
 * scored at many candidate times of one decline). Every such vector takes `base`'s path through a tree
 * until the first split on a varying input: that prefix is walked once, here, and each call walks on from
 * there (a tree whose path never reads a varying input has its leaf already). The leaves are summed in the
 * same order as `predict`'s, so the result is bit-identical.
 */
export function predictVarying(
  model: TreeEnsemble,
  base: readonly number[],
  varying: readonly number[],
): (inputs: readonly number[]) => number {
  const c = compiledOf(model);
  const isVarying = new Uint8Array(model.features.length);
  for (const column of varying) isVarying[column] = 1;
  const from = new Int32Array(c.roots.length);
  for (let t = 0; t < from.length; t++) {
    let node = c.roots[t] as number;
    while (node >= 0 && isVarying[c.feature[node] as number] === 0) node = step(c, node, base);
    from[t] = node;
  }
  return (inputs) => {
    let raw = 0;
    for (let t = 0; t < from.length; t++) {
      const node = from[t] as number;
      raw += node < 0 ? (c.leaves[-1 - node] as number) : descend(c, node, inputs);
    }
    return sigmoid(raw);
  };
}

/**
 * The probability and each input's contribution to its log-odds (the value change along the paths);
 * `bias` is the trees' starting value, so `bias` plus every contribution is the log-odds of the score.
 */
export function explain(model: TreeEnsemble, inputs: readonly number[]): { score: number; contributions: number[] } {
  const contributions = model.features.map(() => 0);
  return { score: sigmoid(rawScore(compiledOf(model), inputs, contributions)), contributions };
}

/** The trees' starting value: the sum of the root values (a tree without splits starts at its leaf). */
const biases = new WeakMap<TreeEnsemble, number>();

/** The trees' root values summed: the same for every score of a model, so computed once per model. */
export function bias(model: TreeEnsemble): number {
  let value = biases.get(model);
  if (value === undefined) {
    value = model.trees.reduce((sum, tree) => sum + (tree.nodes[0]?.[6] ?? tree.leaves[0] ?? 0), 0);
    biases.set(model, value);
  }
  return value;
}

/** Why a model file cannot be used, as a stable code and the details. */
export type ModelProblem = { readonly kind: 'invalid_model'; readonly reason: string };

/** Parses an exported model, checking every child reference and feature index; never throws. */
export function parseTreeEnsemble(json: unknown): { kind: 'model'; model: TreeEnsemble } | ModelProblem {
  const parsed = TreeEnsemble.safeParse(json);
  if (!parsed.success) return { kind: 'invalid_model', reason: parsed.error.issues[0]?.message ?? 'invalid' };
  const model = parsed.data;
  for (const [t, tree] of model.trees.entries()) {
    for (const [feature, , left, right] of tree.nodes) {
      const bad = (child: number) => (child < 0 ? -1 - child >= tree.leaves.length : child >= tree.nodes.length);
      if (feature >= model.features.length || bad(left) || bad(right)) {
        return { kind: 'invalid_model', reason: `tree ${t} refers to a node, leaf or feature that does not exist` };
      }
    }
  }
  return { kind: 'model', model };
}
