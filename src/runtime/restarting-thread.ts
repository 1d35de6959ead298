/**
 * A worker thread that is started again after it dies, shared by the writer threads (batch-worker.ts) and
 * the runner thread (src/orchestrator/thread-runner.ts). When the thread dies (an uncaught error, its memory
 * exhausted), the requests it held fail with its exit and their callers retry as for any other failure;
 * the next request starts a new thread, at most once per `restartAfterMs`, so that a thread that dies as it
 * starts is not restarted in a loop. Without it, `paypipe up` kept running with a log, a store or a runner
 * that refused everything until it was restarted.
 */
import type { Worker } from 'node:worker_threads';

export interface Pending {
  resolve(value: never): void;
  reject(error: Error): void;
}

export interface RestartingThread<P extends Pending> {
  /** Requests the thread was asked and has not answered, by id; failed all at once if it dies. */
  readonly pending: Map<number, P>;
  /** The thread to post to, started now if the last one died long enough ago; throws why there is none. */
  current(): Worker;
  /** Whether a thread is up now (none after it died, until the next request starts one). */
  running(): boolean;
  /** Ends `thread` as if it had died with `error` (its start failed, say). */
  fail(thread: Worker, error: Error): void;
  /** Refuses further requests with `reason`, fails those pending with it, and ends the thread. */
  close(reason: Error): Promise<void>;
}

export interface RestartingThreadOptions {
  /** Creates the thread and handles its messages (its 'error' and 'exit' are handled here). */
  readonly start: () => Worker;
  /** The error of a thread that exited with `code`. */
  readonly exited: (code: number) => Error;
  /** Default 1 s. */
  readonly restartAfterMs?: number;
}

export function startRestartingThread<P extends Pending>(options: RestartingThreadOptions): RestartingThread<P> {
  const restartAfterMs = options.restartAfterMs ?? 1000;
  const pending = new Map<number, P>();
  let closed: Error | null = null;
  let worker: Worker | null = null;
  let died: { readonly error: Error; readonly at: number } | null = null;

  function failPending(error: Error): void {
    for (const entry of pending.values()) entry.reject(error);
    pending.clear();
  }

  function fail(thread: Worker, error: Error): void {
    if (worker !== thread) return;
    worker = null;
    died = { error, at: Date.now() };
    failPending(error);
  }

  function launch(): Worker {
    const thread = options.start();
    thread.on('error', (error) => fail(thread, error));
    thread.on('exit', (code) => fail(thread, options.exited(code)));
    worker = thread;
    return thread;
  }

  launch();
  return {
    pending,
    current() {
      if (closed) throw closed;
      if (worker !== null) return worker;
      if (died !== null && Date.now() - died.at < restartAfterMs) throw died.error;
      return launch();
    },
    running: () => worker !== null,
    fail(thread, error) {
      fail(thread, error);
      void thread.terminate();
    },
    async close(reason) {
      closed ??= reason;
      const thread = worker;
      worker = null;
      failPending(closed);
      await thread?.terminate();
    },
  };
}
