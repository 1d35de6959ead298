/**
 * The loop every consuming stage runs: poll a batch, handle it (writing its outputs durably), then commit.
 * Committing only after the handler resolves is what makes delivery at least once: a crash in between
 * redelivers the batch, and the stages downstream are idempotent.
 */
import type { Consumer, LogRecord } from './port.ts';

export interface ConsumeLoop {
  /** Resolves when the loop has stopped (after `stop`), rejects if the handler fails. */
  readonly done: Promise<void>;
  /** Stops after the batch in hand is handled and committed. */
  stop(): Promise<void>;
}

export function runConsumeLoop(
  consumer: Consumer,
  handle: (batch: readonly LogRecord[]) => Promise<void>,
  options: { readonly maxWaitMs?: number } = {},
): ConsumeLoop {
  const controller = new AbortController();
  const done = (async () => {
    try {
      while (!controller.signal.aborted) {
        const batch = await consumer.poll({ maxWaitMs: options.maxWaitMs ?? 1000, signal: controller.signal });
        if (batch.length === 0) continue;
        await handle(batch);
        await consumer.commit(batch);
      }
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
