/** The simulator's progress line: what was sent, and how the gateway answered (src/runtime/progress.ts draws it). */
import {
  createProgressReporter,
  type ProgressOutput,
  type ProgressReporter,
  ratePerSecond,
} from '../runtime/progress.ts';
import type { SimulationProgress } from './simulate.ts';

function describe(progress: SimulationProgress): string {
  const { done, total, acknowledged, rejected, failed } = progress;
  return `${done}/${total} sent · 2xx ${acknowledged} · refused ${rejected} · no answer ${failed} · ${ratePerSecond(progress)}/s`;
}

export function createSimulationProgress(
  output: ProgressOutput,
  options: { readonly everyMs?: number } = {},
): ProgressReporter<SimulationProgress> {
  return createProgressReporter(output, { label: 'simulate', describe, ...options });
}
