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
type Tree = z.infer<typeof Tree>;

/** LightGBM's kZeroThreshold: values this close to zero count as zero for `missing: zero` splits. */
const ZERO = 1e-35;

function goesLeft(split: z.infer<typeof Split>, input: number): boolean {
  const [, threshold, , , defaultLeft, missing] = split;
  // As LightGBM: NaN is read as 0 unless the split was trained with NaN as its own "missing" value.
  const value = missing !== 'nan' && Number.isNaN(input) ? 0 : input;
  if ((missing === 'zero' && Math.abs(value) <= ZERO) || (missing === 'nan' && Number.isNaN(value))) return defaultLeft;
  return value <= threshold;
}

/** Walks one tree; calls `step(feature, from, to)` with the value change at each split taken. */
function walk(tree: Tree, inputs: readonly number[], step?: (feature: number, change: number) => void): number {
  if (tree.nodes.length === 0) return tree.leaves[0] ?? 0;
  let index = 0;
  for (;;) {
    const split = tree.nodes[index];
    if (split === undefined) return 0; // a malformed reference: the parse below refuses such files
    const next = goesLeft(split, inputs[split[0]] ?? Number.NaN) ? split[2] : split[3];
    const value = next < 0 ? (tree.leaves[-1 - next] ?? 0) : (tree.nodes[next]?.[6] ?? 0);
    step?.(split[0], value - split[6]);
    if (next < 0) return value;
    index = next;
  }
}

const sigmoid = (raw: number) => 1 / (1 + Math.exp(-raw));

/** The model's probability for one input vector (in `model.features` order). */
export function predict(model: TreeEnsemble, inputs: readonly number[]): number {
  let raw = 0;
  for (const tree of model.trees) raw += walk(tree, inputs);
  return sigmoid(raw);
}

/**
 * The probability and each input's contribution to its log-odds (the value change along the paths);
 * `bias` is the trees' starting value, so `bias` plus every contribution is the log-odds of the score.
 */
export function explain(model: TreeEnsemble, inputs: readonly number[]): { score: number; contributions: number[] } {
  const contributions = model.features.map(() => 0);
  let raw = 0;
  for (const tree of model.trees) {
    raw += walk(tree, inputs, (feature, change) => {
      contributions[feature] = (contributions[feature] ?? 0) + change;
    });
  }
  return { score: sigmoid(raw), contributions };
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
