/**
 * A worker thread that takes batches and answers each one: the shared half of the event log's and the
 * store's writer threads (node:sqlite is synchronous, so their COMMITs and fsyncs run off the main thread).
 * Each message gets an id; the worker answers `{ id, …result }` or `{ id, error }`. Idle, the thread does
 * not keep the process alive; with a batch in flight it does, so a pending write is never abandoned.
 */
import { basename, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

export type WorkerError = { readonly message: string; readonly code?: string };
export type WorkerReply<Result> =
  | (Result & { readonly id: number })
  | { readonly id: number; readonly error: WorkerError };

export interface BatchWorker<Message, Result> {
  /** Resolves with the worker's answer to this batch; rejects with its error, or once the thread is gone. */
  send(message: Message): Promise<Result>;
  /** Refuses further batches with `reason` and ends the thread. */
  close(reason: Error): Promise<void>;
}

export interface BatchWorkerOptions {
  /**
   * After the thread died, how long batches are refused with its exit before a new thread is started for
   * the next one (default 1 s): a thread that dies as it starts is not restarted in a loop.
   */
  readonly restartAfterMs?: number;
}

/**
 * Starts the thread. Should it die (an uncaught error, its memory exhausted), the batches it held fail with
 * `exited(code)`, their callers retry as for any failed write (a 503 to the provider, an activity retried),
 * and the next batch starts a new thread: without that, `paypipe up` kept running with a log or a store
 * that refused every write until it was restarted. SQLite rolls back what the dead thread left uncommitted.
 */
export function startBatchWorker<Message extends object, Result extends object>(
  script: URL,
  workerData: unknown,
  exited: (code: number) => Error,
  options: BatchWorkerOptions = {},
): BatchWorker<Message, Result> {
  const restartAfterMs = options.restartAfterMs ?? 1000;
  // Named after the script's folder (`log`, `storage`): the thread's name in `top -H` and /proc, which is how
  // the pipeline benchmark tells the writer threads' CPU apart.
  const name = basename(dirname(fileURLToPath(script)));
  const pending = new Map<number, { resolve: (result: Result) => void; reject: (error: Error) => void }>();
  let nextId = 0;
  let closed: Error | null = null;
  let worker: Worker | null = null;
  let died: { readonly error: Error; readonly at: number } | null = null;

  /** The end of `thread` (its 'error', then its 'exit'): what it held fails; a later batch starts another. */
  function lost(thread: Worker, error: Error): void {
    if (worker !== thread) return;
    worker = null;
    died = { error, at: Date.now() };
    for (const entry of pending.values()) entry.reject(error);
    pending.clear();
  }

  function start(): Worker {
    const thread = new Worker(script, { workerData, name });
    thread.unref();
    thread.on('message', (reply: WorkerReply<Result>) => {
      const entry = pending.get(reply.id);
      pending.delete(reply.id);
      if (pending.size === 0) thread.unref();
      if (!entry) return;
      if ('error' in reply) entry.reject(Object.assign(new Error(reply.error.message), { code: reply.error.code }));
      else entry.resolve(reply);
    });
    thread.on('error', (error) => lost(thread, error));
    thread.on('exit', (code) => lost(thread, exited(code)));
    return thread;
  }

  worker = start();
  return {
    send(message) {
      if (closed) return Promise.reject(closed);
      if (worker === null) {
        if (died !== null && Date.now() - died.at < restartAfterMs) return Promise.reject(died.error);
        worker = start();
      }
      const thread = worker;
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        thread.ref();
        thread.postMessage({ id, ...message });
      });
    },
    async close(reason) {
      closed ??= reason;
      const thread = worker;
      worker = null;
      for (const entry of pending.values()) entry.reject(closed);
      pending.clear();
      await thread?.terminate();
    },
  };
}
