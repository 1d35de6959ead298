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
  /** Tree t's nodes are `firstNode[t]` up to `firstNode[t + 1]`. */
  readonly firstNode: Int32Array;
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
    firstNode: new Int32Array(model.trees.length + 1),
  };
  let nodeBase = 0;
  let leafBase = 0;
  for (const [t, tree] of model.trees.entries()) {
    const child = (ref: number) => (ref < 0 ? ref - leafBase : ref + nodeBase);
    c.roots[t] = tree.nodes.length === 0 ? -1 - leafBase : nodeBase;
    c.firstNode[t] = nodeBase;
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
  c.firstNode[model.trees.length] = nodeBase;
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

/** Tree t's leaf value for `inputs`; with `contributions`, adds each split's value change to its feature's entry. */
function walk(c: Compiled, t: number, inputs: readonly number[], contributions?: number[]): number {
  let node = c.roots[t] as number;
  while (node >= 0) {
    const feature = c.feature[node] as number;
    const input = inputs[feature] ?? Number.NaN;
    const missing = c.missing[node];
    // As LightGBM: NaN is read as 0 unless the split was trained with NaN as its own "missing" value.
    const x = missing !== MISSING.nan && Number.isNaN(input) ? 0 : input;
    const toDefault = (missing === MISSING.zero && Math.abs(x) <= ZERO) || (missing === MISSING.nan && Number.isNaN(x));
    const goLeft = toDefault ? c.defaultLeft[node] === 1 : x <= (c.threshold[node] as number);
    const next = goLeft ? (c.left[node] as number) : (c.right[node] as number);
    if (contributions !== undefined) {
      const reached = next < 0 ? (c.leaves[-1 - next] as number) : (c.value[next] as number);
      contributions[feature] = (contributions[feature] as number) + (reached - (c.value[node] as number));
    }
    node = next;
  }
  return c.leaves[-1 - node] as number;
}

/** The model's raw log-odds: the trees' leaves summed in tree order. */
function rawScore(c: Compiled, inputs: readonly number[], contributions?: number[]): number {
  let raw = 0;
  for (let t = 0; t < c.roots.length; t++) raw += walk(c, t, inputs, contributions);
  return raw;
}

const sigmoid = (raw: number) => 1 / (1 + Math.exp(-raw));

/** The model's probability for one input vector (in `model.features` order). */
export function predict(model: TreeEnsemble, inputs: readonly number[]): number {
  return sigmoid(rawScore(compiledOf(model), inputs));
}

/**
 * Predictions for input vectors that differ from `base` only at the indices in `varying` (the retry model
 * scored at many candidate times of one decline). A tree that never splits on those inputs reaches the
 * same leaf for every such vector: it is walked once, here, and its leaf reused; only the other trees are
 * walked per call. The leaves are summed in the same order as `predict`'s, so the result is bit-identical.
 */
export function predictVarying(
  model: TreeEnsemble,
  base: readonly number[],
  varying: readonly number[],
): (inputs: readonly number[]) => number {
  const c = compiledOf(model);
  const walked = treesSplittingOn(model, c, varying);
  const fixed = new Float64Array(walked.length);
  for (let t = 0; t < walked.length; t++) if (walked[t] === 0) fixed[t] = walk(c, t, base);
  return (inputs) => {
    let raw = 0;
    for (let t = 0; t < walked.length; t++) raw += walked[t] === 1 ? walk(c, t, inputs) : (fixed[t] as number);
    return sigmoid(raw);
  };
}

const splitting = new WeakMap<TreeEnsemble, Map<string, Uint8Array>>();

/** Per tree, 1 when one of its splits reads an input in `columns` (kept per model and columns). */
function treesSplittingOn(model: TreeEnsemble, c: Compiled, columns: readonly number[]): Uint8Array {
  const key = columns.join(',');
  const known = splitting.get(model) ?? new Map<string, Uint8Array>();
  splitting.set(model, known);
  let flags = known.get(key);
  if (flags === undefined) {
    flags = new Uint8Array(c.roots.length);
    for (let t = 0; t < flags.length; t++) {
      for (let node = c.firstNode[t] as number; node < (c.firstNode[t + 1] as number); node++) {
        if (columns.includes(c.feature[node] as number)) flags[t] = 1;
      }
    }
    known.set(key, flags);
  }
  return flags;
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
