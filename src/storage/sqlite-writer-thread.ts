/**
 * The store's writer thread. `node:sqlite` is synchronous, so a COMMIT on the main thread stalls the whole
 * pipeline (gateway included) for its fsync. This backend writes on a worker thread with its own
 * connection to the same file; the main thread keeps reading through its own (WAL lets readers and the
 * writer proceed together). One batch at a time, in order: a write resolves only after the worker's
 * COMMIT has returned, exactly as if it had been written on the main thread.
 */
import { startBatchWorker } from '../runtime/batch-worker.ts';
import type { StoreWriteOp, StoreWriteResult } from './sqlite-write.ts';
import type { StoreBackend } from './sqlite-writer.ts';

export interface StoreBatchMessage {
  readonly id: number;
  readonly ops: readonly StoreWriteOp[];
}
export type StoreBatchReply =
  | { readonly id: number; readonly results: StoreWriteResult[] }
  | { readonly id: number; readonly error: { readonly message: string; readonly code?: string } };

/** Starts the thread on the (already migrated) store file at `path`. */
export function createStoreThreadBackend(path: string): StoreBackend {
  const worker = startBatchWorker<Omit<StoreBatchMessage, 'id'>, { results: StoreWriteResult[] }>(
    new URL('./sqlite-writer-worker.ts', import.meta.url),
    { path },
    (code) => new Error(`the store's writer thread exited (${code})`),
  );
  return {
    write: async (ops) => (await worker.send({ ops })).results,
    close: () => worker.close(new Error('the store is closed')),
  };
}
