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

export function startBatchWorker<Message extends object, Result extends object>(
  script: URL,
  workerData: unknown,
  exited: (code: number) => Error,
): BatchWorker<Message, Result> {
  // Named after the script's folder (`log`, `storage`): the thread's name in `top -H` and /proc, which is how
  // the pipeline benchmark tells the writer threads' CPU apart.
  const worker = new Worker(script, { workerData, name: basename(dirname(fileURLToPath(script))) });
  worker.unref();
  const pending = new Map<number, { resolve: (result: Result) => void; reject: (error: Error) => void }>();
  let nextId = 0;
  let dead: Error | null = null;

  const failAll = (error: Error): void => {
    dead ??= error;
    for (const entry of pending.values()) entry.reject(dead);
    pending.clear();
  };
  worker.on('message', (reply: WorkerReply<Result>) => {
    const entry = pending.get(reply.id);
    pending.delete(reply.id);
    if (pending.size === 0) worker.unref();
    if (!entry) return;
    if ('error' in reply) entry.reject(Object.assign(new Error(reply.error.message), { code: reply.error.code }));
    else entry.resolve(reply);
  });
  worker.on('error', failAll);
  worker.on('exit', (code) => failAll(exited(code)));

  return {
    send(message) {
      if (dead) return Promise.reject(dead);
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.ref();
        worker.postMessage({ id, ...message });
      });
    },
    async close(reason) {
      dead ??= reason;
      await worker.terminate();
    },
  };
}
