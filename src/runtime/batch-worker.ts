/**
 * A worker thread that takes batches and answers each one: the shared half of the event log's and the
 * store's writer threads (node:sqlite is synchronous, so their COMMITs and fsyncs run off the main thread).
 * Each message gets an id; the worker answers `{ id, …result }` or `{ id, error }`. Idle, the thread does
 * not keep the process alive; with a batch in flight it does, so a pending write is never abandoned. A
 * thread that dies is started again for the next batch (restarting-thread.ts); SQLite rolls back what it
 * left uncommitted.
 */
import { basename, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { type RestartingThreadOptions, startRestartingThread } from './restarting-thread.ts';

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

export type BatchWorkerOptions = Pick<RestartingThreadOptions, 'restartAfterMs'>;

/** Starts the thread; should it die, the next batch starts another (restarting-thread.ts). */
export function startBatchWorker<Message extends object, Result extends object>(
  script: URL,
  workerData: unknown,
  exited: (code: number) => Error,
  options: BatchWorkerOptions = {},
): BatchWorker<Message, Result> {
  // Named after the script's folder (`log`, `storage`): the thread's name in `top -H` and /proc, which is how
  // the pipeline benchmark tells the writer threads' CPU apart.
  const name = basename(dirname(fileURLToPath(script)));
  const thread = startRestartingThread<{ resolve: (result: Result) => void; reject: (error: Error) => void }>({
    start() {
      const worker = new Worker(script, { workerData, name });
      worker.unref();
      worker.on('message', (reply: WorkerReply<Result>) => {
        const entry = thread.pending.get(reply.id);
        thread.pending.delete(reply.id);
        if (thread.pending.size === 0) worker.unref();
        if (!entry) return;
        if ('error' in reply) entry.reject(Object.assign(new Error(reply.error.message), { code: reply.error.code }));
        else entry.resolve(reply);
      });
      return worker;
    },
    exited,
    ...options,
  });
  let nextId = 0;

  return {
    send(message) {
      let worker: Worker;
      try {
        worker = thread.current();
      } catch (error) {
        return Promise.reject(error);
      }
      const id = nextId++;
      return new Promise((resolve, reject) => {
        thread.pending.set(id, { resolve, reject });
        worker.ref();
        worker.postMessage({ id, ...message });
      });
    },
    close: (reason) => thread.close(reason),
  };
}
