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

/** How a split decides, from its `missing`: `none` (every split exported so far) is one comparison. */
const DECISION = { none: 0, nan: 1, zero: 2 } as const;

/**
 * A split's fields in `CompiledModel.ints`, at int32 slot `node * NODE.size` on; the float64 ones are read from
 * `CompiledModel.floats` at half that slot: its threshold, and the value changes of going left and right.
 */
const NODE = {
  size: 12,
  threshold: 0,
  change: 2,
  feature: 6,
  left: 7,
  right: 8,
  decision: 9,
  defaultLeft: 10,
} as const;

/**
 * A model ready to score: its version, input names, and its trees compiled into one buffer, without the
 * parsed JSON trees (hundreds of thousands of small arrays), which scoring never reads again. Kept, they held
 * 9 MB of heap (21.3 MB after load, 12.3 without) and doubled a full GC's CPU (32-41 ms, 16-21 without).
 *
 * Every split of every tree is indexed by one global node number, children as global node numbers (>= 0) or
 * leaves (-1 - global leaf number). A split's fields, with the value changes its explanation adds, lie side
 * by side, so a step reads one or two cache lines, not one per field: the fraud model's 1.2 MB of splits do
 * not stay in a core's cache between events. With one typed array per field, a fraud explanation took
 * 58-70 µs (least of 20 runs of 2,000 vectors), so 50-60 µs.
 */
export interface CompiledModel {
  readonly version: string;
  /** The input names, in the order of an input vector. */
  readonly features: readonly string[];
  /** The number of inputs. */
  readonly width: number;
  readonly ints: Int32Array;
  /** The same buffer as `ints`. */
  readonly floats: Float64Array;
  readonly leaves: Float64Array;
  /** Per tree: its root node, or (for a tree without splits) its only leaf. */
  readonly roots: Int32Array;
  /** The trees' starting value: their root values summed (a tree without splits starts at its leaf). */
  readonly bias: number;
}

/** The model laid out for scoring; `model`'s trees are not kept. */
export function compileEnsemble(model: TreeEnsemble): CompiledModel {
  const nodeCount = model.trees.reduce((sum, tree) => sum + tree.nodes.length, 0);
  const leafCount = model.trees.reduce((sum, tree) => sum + tree.leaves.length, 0);
  const buffer = new ArrayBuffer(nodeCount * NODE.size * Int32Array.BYTES_PER_ELEMENT);
  const c = {
    version: model.version,
    features: model.features,
    width: model.features.length,
    ints: new Int32Array(buffer),
    floats: new Float64Array(buffer),
    leaves: new Float64Array(leafCount),
    roots: new Int32Array(model.trees.length),
    bias: model.trees.reduce((sum, tree) => sum + (tree.nodes[0]?.[6] ?? tree.leaves[0] ?? 0), 0),
  };
  let nodeBase = 0;
  let leafBase = 0;
  for (const [t, tree] of model.trees.entries()) {
    const child = (ref: number) => (ref < 0 ? ref - leafBase : ref + nodeBase);
    const valueAt = (ref: number) => (ref < 0 ? tree.leaves[-1 - ref] : tree.nodes[ref]?.[6]) as number;
    c.roots[t] = tree.nodes.length === 0 ? -1 - leafBase : nodeBase;
    for (const [i, [feature, threshold, left, right, defaultLeft, missing, value]] of tree.nodes.entries()) {
      const at = (nodeBase + i) * NODE.size;
      c.floats[(at + NODE.threshold) >> 1] = threshold;
      c.floats[(at + NODE.change) >> 1] = valueAt(left) - value;
      c.floats[((at + NODE.change) >> 1) + 1] = valueAt(right) - value;
      c.ints[at + NODE.feature] = feature;
      c.ints[at + NODE.left] = child(left);
      c.ints[at + NODE.right] = child(right);
      c.ints[at + NODE.decision] = DECISION[missing];
      c.ints[at + NODE.defaultLeft] = defaultLeft ? 1 : 0;
    }
    c.leaves.set(tree.leaves, leafBase);
    nodeBase += tree.nodes.length;
    leafBase += tree.leaves.length;
  }
  return c;
}

/**
 * The inputs as the splits read them: first with NaN read as 0 (as LightGBM does, unless a split was
 * trained with NaN as its own "missing" value), then as given (for those splits).
 */
function prepare(c: CompiledModel, inputs: readonly number[]): Float64Array {
  const x = new Float64Array(2 * c.width);
  for (let i = 0; i < c.width; i++) {
    const input = inputs[i] ?? Number.NaN;
    x[i] = Number.isNaN(input) ? 0 : input;
    x[c.width + i] = input;
  }
  return x;
}

/**
 * Whether the split at slot `at` sends prepared inputs `x` right (1) or left (0), as LightGBM decides. The
 * common split's input has NaN read as 0, so `>` is exactly "not `<=`", and as a number it is no branch
 * (predictions 5-10% faster than with `? 0 : 1`); the rest is out of line, so that this is inlined into
 * every walk (it was not, whole).
 */
function side(c: CompiledModel, at: number, x: Float64Array): number {
  const feature = c.ints[at + NODE.feature] as number;
  if (c.ints[at + NODE.decision] !== DECISION.none) return sideWithMissing(c, at, x[c.width + feature] as number);
  return Number((x[feature] as number) > (c.floats[(at + NODE.threshold) >> 1] as number));
}

/**
 * `side` for a split trained with a "missing" value (NaN, or zero) that goes to its default side, from its
 * input as given.
 */
function sideWithMissing(c: CompiledModel, at: number, given: number): number {
  const nan = c.ints[at + NODE.decision] === DECISION.nan;
  const input = nan || !Number.isNaN(given) ? given : 0;
  if (nan ? Number.isNaN(input) : Math.abs(input) <= ZERO) return c.ints[at + NODE.defaultLeft] === 1 ? 0 : 1;
  return input <= (c.floats[(at + NODE.threshold) >> 1] as number) ? 0 : 1;
}

/** The child of split `node` that prepared inputs `x` go to (a node, or a leaf `l` as `-1 - l`). */
function step(c: CompiledModel, node: number, x: Float64Array): number {
  const at = node * NODE.size;
  return c.ints[at + NODE.left + side(c, at, x)] as number;
}

/**
 * The leaves prepared inputs `x` reach, summed in tree order. Two trees are walked at once: each step waits
 * on its node's memory, and the two walks overlap (fraud predictions: 50-57 -> 34-36 µs, least of 20
 * alternated runs of 2,000 vectors; explanations, which must add each tree's contributions in order, gained
 * nothing from it).
 */
function leafSum(c: CompiledModel, x: Float64Array): number {
  const roots = c.roots;
  let raw = 0;
  for (let t = 0; t < roots.length; t += 2) {
    let a = roots[t] as number;
    let b = t + 1 < roots.length ? (roots[t + 1] as number) : -1;
    while (a >= 0 && b >= 0) {
      a = step(c, a, x);
      b = step(c, b, x);
    }
    while (a >= 0) a = step(c, a, x);
    while (b >= 0) b = step(c, b, x);
    raw += c.leaves[-1 - a] as number;
    if (t + 1 < roots.length) raw += c.leaves[-1 - b] as number;
  }
  return raw;
}

const sigmoid = (raw: number) => 1 / (1 + Math.exp(-raw));

/** The model's probability for one input vector (in `model.features` order): its leaves summed in tree order. */
export function predict(model: CompiledModel, inputs: readonly number[]): number {
  return sigmoid(leafSum(model, prepare(model, inputs)));
}

/**
 * Puts first the vectors of `order[lo..hi)` that the split at slot `slot` sends left, and returns where those
 * it sends right start. Vector `k`'s input is `values[column + k]` with NaN read as 0, and as given in the
 * second half of `values`.
 */
function divide(
  model: CompiledModel,
  slot: number,
  values: Float64Array,
  column: number,
  order: Int32Array,
  lo: number,
  hi: number,
): number {
  const plain = model.ints[slot + NODE.decision] === DECISION.none;
  const threshold = model.floats[(slot + NODE.threshold) >> 1] as number;
  const given = values.length >> 1;
  let mid = lo;
  for (let i = lo; i < hi; i++) {
    const k = order[i] as number;
    const right = plain
      ? (values[column + k] as number) > threshold
      : sideWithMissing(model, slot, values[given + column + k] as number) === 1;
    if (!right) {
      order[i] = order[mid] as number;
      order[mid] = k;
      mid += 1;
    }
  }
  return mid;
}

/**
 * Predictions for input vectors that differ from `base` only at the indices in `varying` (the retry model
 * scored at the candidate times of one decline), in `inputsList`'s order. The vectors walk each tree
 * together: a split on an input they share is decided once (on `base`), a split on a varying input divides
 * them into the groups that go left and right, so a tree whose path never reads a varying input is walked
 * once for all. Each vector's leaves are summed in tree order, as `predict`'s, so every result is
 * bit-identical to it. The retry model's trees at 21 candidate times took 137-140 µs (least of 12 runs of
 * 1,775 declines) walked per vector from each tree's first split on a time; 70-76 µs so, alternated.
 */
export function predictVaryingMany(
  model: CompiledModel,
  base: readonly number[],
  varying: readonly number[],
  inputsList: readonly (readonly number[])[],
): Float64Array {
  const count = inputsList.length;
  // Input `varying[j]` of vector `k`: at `j * count + k` with NaN read as 0, and as given `given` on.
  const given = varying.length * count;
  const values = new Float64Array(2 * given);
  const columnOf = new Int32Array(model.width).fill(-1);
  for (const [j, column] of varying.entries()) {
    columnOf[column] = j * count;
    for (const [k, inputs] of inputsList.entries()) {
      const input = inputs[column] ?? Number.NaN;
      values[j * count + k] = Number.isNaN(input) ? 0 : input;
      values[given + j * count + k] = input;
    }
  }
  const x = prepare(model, base);
  const raw = new Float64Array(count);
  const order = new Int32Array(count);
  for (let k = 0; k < count; k++) order[k] = k;
  // The groups still to walk down: node, first and end of their range of `order`.
  const pending = new Int32Array(3 * count);
  for (let t = 0; t < model.roots.length; t++) {
    let node = model.roots[t] as number;
    let lo = 0;
    let hi = count;
    let waiting = 0;
    for (;;) {
      while (node >= 0) {
        const slot = node * NODE.size;
        const column = columnOf[model.ints[slot + NODE.feature] as number] as number;
        if (column < 0) {
          node = model.ints[slot + NODE.left + side(model, slot, x)] as number;
          continue;
        }
        const mid = divide(model, slot, values, column, order, lo, hi);
        if (mid === lo) node = model.ints[slot + NODE.right] as number;
        else {
          if (mid < hi) {
            pending[waiting] = model.ints[slot + NODE.right] as number;
            pending[waiting + 1] = mid;
            pending[waiting + 2] = hi;
            waiting += 3;
          }
          node = model.ints[slot + NODE.left] as number;
          hi = mid;
        }
      }
      const leaf = model.leaves[-1 - node] as number;
      for (let i = lo; i < hi; i++) {
        const k = order[i] as number;
        raw[k] = (raw[k] as number) + leaf;
      }
      if (waiting === 0) break;
      waiting -= 3;
      node = pending[waiting] as number;
      lo = pending[waiting + 1] as number;
      hi = pending[waiting + 2] as number;
    }
  }
  for (let k = 0; k < count; k++) raw[k] = sigmoid(raw[k] as number);
  return raw;
}

/**
 * The probability and each input's contribution to its log-odds (the value change along the paths);
 * `model.bias` is the trees' starting value, so it plus every contribution is the log-odds of the score.
 */
export function explain(
  model: CompiledModel,
  inputs: readonly number[],
): { score: number; contributions: Float64Array } {
  const x = prepare(model, inputs);
  const contributions = new Float64Array(model.width);
  let raw = 0;
  for (let t = 0; t < model.roots.length; t++) {
    let at = model.roots[t] as number;
    while (at >= 0) {
      const slot = at * NODE.size;
      const right = side(model, slot, x);
      const feature = model.ints[slot + NODE.feature] as number;
      contributions[feature] =
        (contributions[feature] as number) + (model.floats[((slot + NODE.change) >> 1) + right] as number);
      at = model.ints[slot + NODE.left + right] as number;
    }
    raw += model.leaves[-1 - at] as number;
  }
  return { score: sigmoid(raw), contributions };
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
