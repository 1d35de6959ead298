/**
 * The evaluation as one SVG: ROC and precision-recall curves of the fraud and churn models beside the
 * world's ceiling, and the money each retry policy recovers. Hand-drawn paths, no dependency.
 */
import { writeFileSync } from 'node:fs';
import type { Evaluation } from './evaluate.ts';
import type { Curve } from './metrics.ts';

const SIZE = 220;
const GAP = 50;
const COLORS = { model: '#1f6feb', ceiling: '#9a6700' } as const;

function path(curve: Curve, x0: number, y0: number, color: string): string {
  const points = curve.x.map(
    (x, i) => `${(x0 + x * SIZE).toFixed(1)},${(y0 + SIZE - (curve.y[i] ?? 0) * SIZE).toFixed(1)}`,
  );
  return `<polyline fill="none" stroke="${color}" stroke-width="1.5" points="${points.join(' ')}"/>`;
}

function panel(title: string, x0: number, y0: number, lines: Record<keyof typeof COLORS, Curve>, axes: string) {
  return [
    `<rect x="${x0}" y="${y0}" width="${SIZE}" height="${SIZE}" fill="none" stroke="#888"/>`,
    `<text x="${x0}" y="${y0 - 8}" font-size="13">${title}</text>`,
    `<text x="${x0}" y="${y0 + SIZE + 16}" font-size="10" fill="#555">${axes}</text>`,
    path(lines.ceiling, x0, y0, COLORS.ceiling),
    path(lines.model, x0, y0, COLORS.model),
  ].join('\n');
}

function bars(recovery: Evaluation['recovery'], x0: number, y0: number): string {
  const entries = Object.entries(recovery);
  const top = Math.max(1, ...entries.map(([, r]) => r.recovered_amount));
  const rows = entries.map(([name, result], i) => {
    const y = y0 + 10 + i * 22;
    const width = (result.recovered_amount / top) * 300;
    const fill = name === 'model' ? COLORS.model : '#8c959f';
    return [
      `<text x="${x0}" y="${y + 12}" font-size="11">${name}</text>`,
      `<rect x="${x0 + 60}" y="${y}" width="${width.toFixed(1)}" height="15" fill="${fill}"/>`,
      `<text x="${x0 + 66 + width}" y="${y + 12}" font-size="10">$${Math.round(result.recovered_amount)} · ${result.attempts} attempts</text>`,
    ].join('\n');
  });
  return [`<text x="${x0}" y="${y0 - 8}" font-size="13">Retry: money recovered by policy (USD)</text>`, ...rows].join(
    '\n',
  );
}

/** The chart as SVG text. */
export function evaluationChart(evaluation: Evaluation): string {
  const { chart, metrics } = evaluation;
  const x = (i: number) => 20 + i * (SIZE + GAP);
  const width = x(4);
  const panels = [
    panel(
      `Fraud ROC (AUC ${metrics.fraud.roc_auc})`,
      x(0),
      40,
      { model: chart.fraud.model.roc, ceiling: chart.fraud.ceiling.roc },
      'false positive rate → true positive rate',
    ),
    panel(
      `Fraud PR (AUC ${metrics.fraud.pr_auc})`,
      x(1),
      40,
      { model: chart.fraud.model.pr, ceiling: chart.fraud.ceiling.pr },
      'recall → precision',
    ),
    panel(
      `Churn ROC (AUC ${metrics.churn.roc_auc})`,
      x(2),
      40,
      { model: chart.churn.model.roc, ceiling: chart.churn.ceiling.roc },
      'false positive rate → true positive rate',
    ),
    panel(`Churn PR`, x(3), 40, { model: chart.churn.model.pr, ceiling: chart.churn.ceiling.pr }, 'recall → precision'),
  ];
  const legend = `<text x="20" y="18" font-size="12"><tspan fill="${COLORS.model}">■ model</tspan>  <tspan fill="${COLORS.ceiling}">■ ceiling (the world's true probability)</tspan>  · seed ${metrics.seed}, ${metrics.customers} customers</text>`;
  const height = 40 + SIZE + 60 + 24 * (Object.keys(evaluation.recovery).length + 1);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif">`,
    '<rect width="100%" height="100%" fill="#fff"/>',
    legend,
    ...panels,
    bars(evaluation.recovery, 20, 40 + SIZE + 50),
    '</svg>',
    '',
  ].join('\n');
}

export function writeEvaluationChart(path: string, evaluation: Evaluation): void {
  writeFileSync(path, evaluationChart(evaluation));
}
