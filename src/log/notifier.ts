/**
 * In-process wake-ups for consumers: the writer announces the topics it has just made durable, and a waiting
 * consumer resumes at once instead of polling. The wait's timeout is the fallback that catches records
 * appended by another process sharing the log file.
 */
export interface Notifier {
  notify(topics: Iterable<string>): void;
  /** Resolves on an append to one of `topics`, after `ms`, or when a signal aborts, whichever comes first. */
  wait(topics: readonly string[], ms: number, signals: readonly (AbortSignal | undefined)[]): Promise<void>;
}

export function createNotifier(): Notifier {
  const waiters = new Map<string, Set<() => void>>();
  return {
    notify(topics) {
      for (const topic of topics) for (const wake of [...(waiters.get(topic) ?? [])]) wake();
    },
    wait(topics, ms, signals) {
      return new Promise((resolve) => {
        const done = (): void => {
          clearTimeout(timer);
          for (const topic of topics) waiters.get(topic)?.delete(done);
          for (const signal of signals) signal?.removeEventListener('abort', done);
          resolve();
        };
        const timer = setTimeout(done, Math.max(0, ms));
        for (const topic of topics) {
          const set = waiters.get(topic) ?? new Set();
          waiters.set(topic, set.add(done));
        }
        for (const signal of signals) {
          if (signal?.aborted) return done();
          signal?.addEventListener('abort', done, { once: true });
        }
      });
    },
  };
}
