/** The scoring benchmark's closing lines and chart bars (bench/run.ts prints and draws them). */
import type { Bar } from '../chart.ts';
import type { Latency, ScoreName } from './latency.ts';
import { GOAL_P99_MS, type ScoringBenchResult } from './run.ts';

const SCORED: readonly ScoreName[] = ['fraud', 'retry', 'churn', 'event'];
/** The goal is on the three scores; `event` (a workflow's scoring of one event) is shown for insight. */
const HAS_GOAL = new Set<ScoreName>(['fraud', 'retry', 'churn']);

const ms = (latency: Latency) =>
  `p50 ${latency.p50.toFixed(2)} / p99 ${latency.p99.toFixed(2)} ms ` + `(CPU ${latency.cpuMean.toFixed(2)} ms/call)`;

export function scoringLines(result: ScoringBenchResult): string[] {
  const { store, inProcess, http } = result;
  const lines = [
    `scoring  store: ${store.events} events of ${store.customers} customers over ${store.days} days ` +
      `(events per customer: median ${store.eventsPerCustomer.p50}, p90 ${store.eventsPerCustomer.p90})`,
  ];
  for (const score of SCORED) {
    const goal = HAS_GOAL.has(score)
      ? ` (goal p99 < ${GOAL_P99_MS} ms: ${inProcess.scores[score].p99 < GOAL_P99_MS ? 'met' : 'missed'})`
      : '';
    lines.push(
      `scoring  ${score.padEnd(5)} in-process ${ms(inProcess.scores[score])}${goal}; HTTP ${ms(http.scores[score])}`,
    );
  }
  if (inProcess.stateRead) lines.push(`scoring  reading a customer's state alone: ${ms(inProcess.stateRead)}`);
  if (inProcess.historyRead)
    lines.push(`scoring  reading a customer's past event by event instead: ${ms(inProcess.historyRead)}`);
  if (inProcess.features) lines.push(`scoring  computing the features of that past: ${ms(inProcess.features)}`);
  return lines;
}

export function scoringBars(result: ScoringBenchResult): Bar[] {
  const bars: Bar[] = [];
  for (const percentile of ['p50', 'p99'] as const) {
    const panel = `scoring ${percentile}, ms`;
    for (const score of SCORED) {
      const value = result.inProcess.scores[score][percentile];
      const met = value < GOAL_P99_MS ? 'met' : 'missed';
      const status = percentile === 'p99' && HAS_GOAL.has(score) ? met : 'breakdown';
      bars.push({ panel, label: `${score} in-process`, value, status });
      bars.push({ panel, label: `${score} HTTP`, value: result.http.scores[score][percentile], status: 'baseline' });
    }
    const { stateRead, historyRead, features } = result.inProcess;
    if (stateRead) bars.push({ panel, label: 'state read', value: stateRead[percentile], status: 'breakdown' });
    if (historyRead) bars.push({ panel, label: 'history read', value: historyRead[percentile], status: 'breakdown' });
    if (features) bars.push({ panel, label: 'features', value: features[percentile], status: 'breakdown' });
  }
  return bars;
}
