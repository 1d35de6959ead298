/**
 * The loop every consuming stage runs: poll a batch, handle it (writing its outputs durably), then commit.
 * Committing only after the handler resolves is what makes delivery at least once: a crash in between
 * redelivers the batch, and the stages downstream are idempotent.
 *
 * With `inFlight` above 1 the loop polls the next batches while earlier ones are still being handled (the
 * handler then owns any ordering between batches), and commits strictly in batch order: a batch's offsets
 * are committed only once it and every batch before it were handled, so a commit never covers a record
 * whose outputs are not durable.
 *
 * A batch holds its place in the window while it is handled, not while its offsets are committed: a
 * commit is bookkeeping (one more durable write), and waiting for it before polling again would add its
 * fsync to every record's latency. One commit is written at a time; the batches handled meanwhile are
 * committed together by the next.
 *
 * A poll or a commit that fails because the log is unavailable (a full disk) is tried again, with backoff,
 * until the log is back or the loop stops (retry.ts); any other failure stops the loop. So does a log closed
 * under the loop: a poll on it is refused (`PAYPIPE_ERR_LOG_CLOSED`) rather than answered with nothing at
 * once, which kept the loop polling on microtasks alone, starving every timer of the process.
 *
 * The handler gets the loop's abort signal: on `stop`, a handler still retrying a batch may give up by
 * rejecting with the signal's reason. That batch stays uncommitted and is delivered again after a restart.
 */
import type { Consumer, LogRecord } from './port.ts';
import { type OnLogUnavailable, whileLogUnavailable } from './retry.ts';

export interface ConsumeLoop {
  /** Resolves when the loop has stopped (after `stop`), rejects if the handler fails. */
  readonly done: Promise<void>;
  /** Stops after the batches in hand are handled and committed, or given up by their handler (see above). */
  stop(): Promise<void>;
}

export interface ConsumeLoopOptions {
  readonly maxWaitMs?: number;
  /** Batches handled at once (default 1: poll, handle, poll again). */
  readonly inFlight?: number;
  /** Told of each poll or commit tried again because the log was unavailable (retry.ts). */
  readonly onLogUnavailable?: OnLogUnavailable;
}

interface Polled {
  readonly batch: readonly LogRecord[];
  handled: boolean;
}

export function runConsumeLoop(
  consumer: Consumer,
  handle: (batch: readonly LogRecord[], signal: AbortSignal) => Promise<void>,
  options: ConsumeLoopOptions = {},
): ConsumeLoop {
  const controller = new AbortController();
  const { signal } = controller;
  let stopping = false;
  let failure: { readonly error: unknown } | undefined;
  const inFlight = Math.max(1, options.inFlight ?? 1);
  // Polled and not yet committed, in poll order.
  const uncommitted: Polled[] = [];
  let handling = 0;
  let committing = false;
  let wake: (() => void) | undefined;
  const changed = (): void => {
    wake?.();
    wake = undefined;
  };
  const nextChange = (): Promise<void> => new Promise((resolve) => (wake = resolve));

  // A failure stops polling at once and is what the loop reports, whichever batch or commit it came from.
  function fail(error: unknown): void {
    if (!(stopping && error === signal.reason)) failure ??= { error };
    controller.abort();
    changed();
  }

  /** Commits the handled batches at the head of the queue, unless a commit is being written already. */
  function commitHandled(): void {
    if (committing || failure) return;
    let count = 0;
    while (count < uncommitted.length && uncommitted[count]?.handled) count += 1;
    if (count === 0) return;
    const batches = uncommitted.splice(0, count);
    const records = count === 1 ? (batches[0] as Polled).batch : batches.flatMap((polled) => polled.batch);
    committing = true;
    whileLogUnavailable(() => consumer.commit(records), signal, options.onLogUnavailable).then(
      () => {
        committing = false;
        commitHandled();
        changed();
      },
      (error: unknown) => {
        committing = false;
        fail(error);
      },
    );
  }

  function start(batch: readonly LogRecord[]): void {
    const polled: Polled = { batch, handled: false };
    uncommitted.push(polled);
    handling += 1;
    handle(batch, signal).then(
      () => {
        handling -= 1;
        polled.handled = true;
        commitHandled();
        changed();
      },
      (error: unknown) => {
        handling -= 1;
        fail(error);
      },
    );
  }

  const done = (async () => {
    try {
      while (!signal.aborted) {
        if (handling >= inFlight) {
          await nextChange();
          continue;
        }
        const batch = await whileLogUnavailable(
          () => consumer.poll({ maxWaitMs: options.maxWaitMs ?? 1000, signal }),
          signal,
          options.onLogUnavailable,
        );
        if (batch.length > 0) start(batch);
      }
      // Every batch in hand settles (handled, or given up on the abort), and what was handled is committed.
      while (handling > 0 || committing) await nextChange();
      if (failure) throw failure.error;
    } finally {
      await consumer.close();
    }
  })();
  return {
    done,
    async stop() {
      stopping = true;
      controller.abort();
      await done;
    },
  };
}
