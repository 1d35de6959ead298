/**
 * The loop every consuming stage runs: poll a batch, handle it (writing its outputs durably), then commit.
 * Committing only after the handler resolves is what makes delivery at least once: a crash in between
 * redelivers the batch, and the stages downstream are idempotent.
 *
 * With `inFlight` above 1 the loop polls the next batches while earlier ones are still being handled (the
 * handler then owns any ordering between batches), and commits strictly in batch order: a batch's offsets
 * are committed only once it and every batch before it were handled, so a commit never covers a record
 * whose outputs are not durable.
 */
import type { Consumer, LogRecord } from './port.ts';

export interface ConsumeLoop {
  /** Resolves when the loop has stopped (after `stop`), rejects if the handler fails. */
  readonly done: Promise<void>;
  /** Stops after the batches in hand are handled and committed. */
  stop(): Promise<void>;
}

export interface ConsumeLoopOptions {
  readonly maxWaitMs?: number;
  /** Batches handled at once (default 1: poll, handle, commit, poll again). */
  readonly inFlight?: number;
}

export function runConsumeLoop(
  consumer: Consumer,
  handle: (batch: readonly LogRecord[]) => Promise<void>,
  options: ConsumeLoopOptions = {},
): ConsumeLoop {
  const controller = new AbortController();
  const inFlight = Math.max(1, options.inFlight ?? 1);
  const done = (async () => {
    // Each entry settles once its batch is committed; a batch's commit waits for the previous one's.
    const window: Promise<void>[] = [];
    let committed: Promise<void> = Promise.resolve();
    try {
      while (!controller.signal.aborted) {
        const batch = await consumer.poll({ maxWaitMs: options.maxWaitMs ?? 1000, signal: controller.signal });
        if (batch.length === 0) continue;
        committed = Promise.all([committed, handle(batch)]).then(() => consumer.commit(batch));
        // A failure stops polling at once; it is reported when the window reaches it (never unhandled).
        committed.catch(() => controller.abort());
        window.push(committed);
        if (window.length >= inFlight) await window.shift();
      }
      await committed;
    } finally {
      await consumer.close();
    }
  })();
  return {
    done,
    async stop() {
      controller.abort();
      await done;
    },
  };
}
