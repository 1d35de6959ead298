/**
 * Progress of a run on stderr: a live bar redrawn in place when stderr is a terminal, otherwise a plain line
 * every few seconds (CI logs and files should not fill with carriage returns).
 */
import type { SimulationProgress } from './simulate.ts';

export interface ProgressOutput {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

export interface ProgressReporter {
  update(progress: SimulationProgress): void;
  /** Draws the last state and ends the line. */
  finish(): void;
}

const BAR = 24;

function describe(progress: SimulationProgress): string {
  const rate = progress.elapsedMs > 0 ? Math.round((progress.done * 1000) / progress.elapsedMs) : 0;
  const { done, total, acknowledged, rejected, failed } = progress;
  return `${done}/${total} sent · 2xx ${acknowledged} · refused ${rejected} · no answer ${failed} · ${rate}/s`;
}

export function createProgressReporter(output: ProgressOutput, options: { readonly everyMs?: number } = {}) {
  const tty = output.isTTY === true;
  const every = options.everyMs ?? (tty ? 100 : 5000);
  let last: SimulationProgress | undefined;
  let drawnAt = Number.NEGATIVE_INFINITY;
  const draw = (progress: SimulationProgress) => {
    if (!tty) {
      output.write(`simulate: ${describe(progress)}\n`);
      return;
    }
    const filled = progress.total > 0 ? Math.round((progress.done / progress.total) * BAR) : BAR;
    const bar = `${'█'.repeat(filled)}${'░'.repeat(BAR - filled)}`;
    output.write(`\r${bar} ${describe(progress)}\u001b[K`);
  };
  const reporter: ProgressReporter = {
    update(progress) {
      last = progress;
      if (progress.elapsedMs - drawnAt < every) return;
      drawnAt = progress.elapsedMs;
      draw(progress);
    },
    finish() {
      if (last !== undefined && (tty || last.elapsedMs !== drawnAt)) draw(last);
      if (tty && last !== undefined) output.write('\n');
    },
  };
  return reporter;
}
