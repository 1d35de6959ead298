/**
 * Progress of a long command on stderr (`paypipe simulate`, `paypipe replay`): a live bar redrawn in place
 * when stderr is a terminal, otherwise a plain line every few seconds (CI logs and files should not fill
 * with carriage returns). What a line says is the command's own `describe`.
 */
export interface ProgressOutput {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

/** Where a run stands: `done` of `total` (0 when unknown) after `elapsedMs`. */
export interface Progress {
  readonly done: number;
  readonly total: number;
  readonly elapsedMs: number;
}

export interface ProgressReporter<P extends Progress> {
  update(progress: P): void;
  /** Draws the last state and ends the line. */
  finish(): void;
}

export interface ProgressOptions<P extends Progress> {
  /** The command's name, which starts each plain line. */
  readonly label: string;
  readonly describe: (progress: P) => string;
  readonly everyMs?: number;
}

const BAR = 24;

/** Items per second so far. */
export function ratePerSecond(progress: Progress): number {
  return progress.elapsedMs > 0 ? Math.round((progress.done * 1000) / progress.elapsedMs) : 0;
}

export function createProgressReporter<P extends Progress>(
  output: ProgressOutput,
  options: ProgressOptions<P>,
): ProgressReporter<P> {
  const tty = output.isTTY === true;
  const every = options.everyMs ?? (tty ? 100 : 5000);
  let last: P | undefined;
  let drawnAt = Number.NEGATIVE_INFINITY;
  const draw = (progress: P) => {
    if (!tty) {
      output.write(`${options.label}: ${options.describe(progress)}\n`);
      return;
    }
    const filled = progress.total > 0 ? Math.round((progress.done / progress.total) * BAR) : BAR;
    const bar = `${'█'.repeat(filled)}${'░'.repeat(BAR - filled)}`;
    output.write(`\r${bar} ${options.describe(progress)}\u001b[K`);
  };
  return {
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
}
