/**
 * Ranking metrics for a binary label: ROC AUC (ties count half, the Mann-Whitney form), PR AUC as average
 * precision (the precision at each positive, tied scores taken together), and the curves for the chart.
 */

export interface Curve {
  readonly x: readonly number[];
  readonly y: readonly number[];
}

interface Step {
  readonly positives: number;
  readonly negatives: number;
}

/** Groups of tied scores, highest score first, each with its positives and negatives. */
function steps(scores: readonly number[], labels: readonly number[]): Step[] {
  const order = scores.map((_, i) => i).sort((a, b) => (scores[b] as number) - (scores[a] as number));
  const result: Step[] = [];
  let previous = Number.NaN;
  for (const i of order) {
    const positive = labels[i] === 1 ? 1 : 0;
    const last = result.at(-1);
    if (last && scores[i] === previous) {
      result[result.length - 1] = { positives: last.positives + positive, negatives: last.negatives + 1 - positive };
    } else result.push({ positives: positive, negatives: 1 - positive });
    previous = scores[i] as number;
  }
  return result;
}

/** ROC AUC; 0.5 when one class is missing (no ranking to judge). */
export function rocAuc(scores: readonly number[], labels: readonly number[]): number {
  const all = steps(scores, labels);
  const positives = all.reduce((n, s) => n + s.positives, 0);
  const negatives = all.reduce((n, s) => n + s.negatives, 0);
  if (positives === 0 || negatives === 0) return 0.5;
  let area = 0;
  let seenPositives = 0;
  for (const step of all) {
    area += step.negatives * (seenPositives + step.positives / 2);
    seenPositives += step.positives;
  }
  return area / (positives * negatives);
}

/** Average precision; 0 when there is no positive. */
export function prAuc(scores: readonly number[], labels: readonly number[]): number {
  const all = steps(scores, labels);
  const positives = all.reduce((n, s) => n + s.positives, 0);
  if (positives === 0) return 0;
  let sum = 0;
  let tp = 0;
  let seen = 0;
  for (const step of all) {
    tp += step.positives;
    seen += step.positives + step.negatives;
    sum += step.positives * (tp / seen);
  }
  return sum / positives;
}

/** ROC (false vs true positive rate) and PR (recall vs precision) curves, thinned to about `points`. */
export function curves(scores: readonly number[], labels: readonly number[], points = 200): { roc: Curve; pr: Curve } {
  const all = steps(scores, labels);
  const positives = Math.max(
    1,
    all.reduce((n, s) => n + s.positives, 0),
  );
  const negatives = Math.max(
    1,
    all.reduce((n, s) => n + s.negatives, 0),
  );
  const every = Math.max(1, Math.floor(all.length / points));
  const roc = { x: [0], y: [0] };
  const pr = { x: [0], y: [1] };
  let tp = 0;
  let fp = 0;
  for (const [i, step] of all.entries()) {
    tp += step.positives;
    fp += step.negatives;
    if (i % every !== 0 && i !== all.length - 1) continue;
    roc.x.push(fp / negatives);
    roc.y.push(tp / positives);
    pr.x.push(tp / positives);
    pr.y.push(tp / (tp + fp));
  }
  return { roc, pr };
}
