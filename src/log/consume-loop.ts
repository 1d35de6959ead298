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
 * The handler gets the loop's abort signal: on `stop`, a handler still retrying a batch may give up by
 * rejecting with the signal's reason. That batch stays uncommitted and is delivered again after a restart.
 */
import type { Consumer, LogRecord } from './port.ts';

export interface ConsumeLoop {
  /** Resolves when the loop has stopped (after `stop`), rejects if the handler fails. */
  readonly done: Promise<void>;
  /** Stops after the batches in hand are handled and committed, or given up by their handler (see above). */
  stop(): Promise<void>;
}

export interface ConsumeLoopOptions {
  readonly maxWaitMs?: number;
  /** Batches handled at once (default 1: poll, handle, commit, poll again). */
  readonly inFlight?: number;
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
  const done = (async () => {
    // Each entry settles once its batch is committed; a batch's commit waits for the previous one's.
    const window: Promise<void>[] = [];
    let committed: Promise<void> = Promise.resolve();
    try {
      while (!signal.aborted) {
        const batch = await consumer.poll({ maxWaitMs: options.maxWaitMs ?? 1000, signal });
        if (batch.length === 0) continue;
        committed = Promise.all([committed, handle(batch, signal)]).then(() => consumer.commit(batch));
        // A failure stops polling at once and is what the loop reports, whichever batch the window is at.
        committed.catch((error: unknown) => {
          if (!(stopping && error === signal.reason)) failure ??= { error };
          controller.abort();
        });
        window.push(committed);
        if (window.length >= inFlight) await window.shift()?.catch(() => {});
      }
      await Promise.allSettled(window);
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
