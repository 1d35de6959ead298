/**
 * The store's writer thread. `node:sqlite` is synchronous, so a COMMIT on the main thread stalls the whole
 * pipeline (gateway included) for its fsync. This backend writes on a worker thread with its own
 * connection to the same file; the main thread keeps reading through its own (WAL lets readers and the
 * writer proceed together). One batch at a time, in order: a write resolves only after the worker's
 * COMMIT has returned, exactly as if it had been written on the main thread.
 */
import { Worker } from 'node:worker_threads';
import type { StoreWriteOp, StoreWriteResult } from './sqlite-write.ts';
import type { StoreBackend } from './sqlite-writer.ts';

export interface StoreBatchMessage {
  readonly id: number;
  readonly ops: readonly StoreWriteOp[];
}
export type StoreBatchReply =
  | { readonly id: number; readonly results: StoreWriteResult[] }
  | { readonly id: number; readonly error: { readonly message: string; readonly code?: string } };

interface Pending {
  readonly resolve: (results: StoreWriteResult[]) => void;
  readonly reject: (error: Error) => void;
}

/** Starts the thread on the (already migrated) store file at `path`. */
export function createStoreThreadBackend(path: string): StoreBackend {
  const worker = new Worker(new URL('./sqlite-writer-worker.ts', import.meta.url), { workerData: { path } });
  // Idle, the thread must not keep the process alive; with a batch in flight it must (see `write`).
  worker.unref();
  const pending = new Map<number, Pending>();
  let nextId = 0;
  let dead: Error | null = null;

  const failAll = (error: Error): void => {
    dead ??= error;
    for (const entry of pending.values()) entry.reject(dead);
    pending.clear();
  };
  worker.on('message', (reply: StoreBatchReply) => {
    const entry = pending.get(reply.id);
    pending.delete(reply.id);
    if (pending.size === 0) worker.unref();
    if (!entry) return;
    if ('error' in reply) entry.reject(Object.assign(new Error(reply.error.message), { code: reply.error.code }));
    else entry.resolve(reply.results);
  });
  worker.on('error', (error) => failAll(error));
  worker.on('exit', (code) => failAll(new Error(`the store's writer thread exited (${code})`)));

  return {
    write(ops) {
      if (dead) return Promise.reject(dead);
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.ref();
        worker.postMessage({ id, ops } satisfies StoreBatchMessage);
      });
    },
    async close() {
      dead ??= new Error('the store is closed');
      await worker.terminate();
    },
  };
}
