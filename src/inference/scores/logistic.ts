/**
 * An explained logistic score: a bias plus weighted terms, squashed to 0..1. The explanation lists every
 * term's contribution to the log-odds, so a reader can add them up and get the score back.
 */

/** One term of the formula: a bounded transform of features, and the weight it carries. */
export interface Term {
  readonly name: string;
  readonly weight: number;
  readonly value: number;
}

export interface ExplainedScore {
  readonly score: number;
  /** `bias` and each term's `weight × value`, in log-odds; they sum to `logit(score)`. */
  readonly explanation: Readonly<Record<string, number>>;
}

/** Limits `value` to `[low, high]`. */
export function clamp(value: number, low: number, high: number): number {
  return Math.min(Math.max(value, low), high);
}

export function explainedLogistic(bias: number, terms: readonly Term[]): ExplainedScore {
  const explanation: Record<string, number> = { bias };
  let logit = bias;
  for (const term of terms) {
    // `+ 0` turns -0 (a negative weight times 0) into 0, so explanations compare equal however they were made.
    const contribution = term.weight * term.value + 0;
    explanation[term.name] = contribution;
    logit += contribution;
  }
  return { score: 1 / (1 + Math.exp(-logit)), explanation };
}
