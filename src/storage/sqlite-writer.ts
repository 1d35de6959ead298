/**
 * Group commit for the store. `write` only queues; on the next setImmediate the queue goes to the backend
 * as ONE transaction (sqlite-write.ts), whose COMMIT is one fsync for every write that arrived meanwhile.
 * While a batch is being written, new writes pile up and form the next one: the busier the orchestrator,
 * the bigger the batches and the fewer fsyncs per event. A write resolves only after its batch's COMMIT.
 */
import type { DatabaseSync } from 'node:sqlite';
import { PaypipeError } from '../contracts/errors.ts';
import { createGroupCommit } from '../runtime/group-commit.ts';
import { prepareWrites, type StoreWriteOp, type StoreWriteResult, writeBatch } from './sqlite-write.ts';

/** Where batches are written: on this thread, or on a writer thread (sqlite-writer-thread.ts). */
export interface StoreBackend {
  /** Writes the ops in one durable transaction; rejects, having written nothing, when it cannot. */
  write(ops: readonly StoreWriteOp[]): Promise<StoreWriteResult[]>;
  close(): Promise<void>;
}

export interface StoreWriter {
  /** Resolves once durable with the duplicate flag; rejects if SQLite refused the row or the batch failed. */
  write(op: StoreWriteOp): Promise<{ readonly duplicate: boolean }>;
  /** Writes what is queued, refuses new writes, and releases the backend. Idempotent. */
  close(): Promise<void>;
}

export interface StoreWriterDeps {
  readonly backend: StoreBackend;
}

interface Job {
  readonly op: StoreWriteOp;
  readonly resolve: (value: { readonly duplicate: boolean }) => void;
  readonly reject: (error: Error) => void;
}

/** Writes on the calling thread, for `:memory:`, which no other thread can open. Blocks during the fsync. */
export function createInThreadBackend(db: DatabaseSync): StoreBackend {
  const statements = prepareWrites(db);
  return {
    async write(ops) {
      return writeBatch(db, statements, ops);
    },
    async close() {},
  };
}

function settle(job: Job, result: StoreWriteResult | undefined): void {
  if (result !== undefined && 'duplicate' in result) job.resolve({ duplicate: result.duplicate });
  else if (result !== undefined) job.reject(new PaypipeError('PAYPIPE_ERR_STORE_REFUSED', result.error.message));
  else job.reject(new Error('no result for the write'));
}

export function createStoreWriter(deps: StoreWriterDeps): StoreWriter {
  async function write(jobs: readonly Job[]): Promise<void> {
    const ops = jobs.map((job) => job.op);
    let results: StoreWriteResult[];
    try {
      results = await deps.backend.write(ops);
    } catch (cause) {
      const error = cause instanceof Error ? cause : new Error(String(cause));
      for (const job of jobs) job.reject(error);
      return;
    }
    for (const [index, job] of jobs.entries()) settle(job, results[index]);
  }

  const batches = createGroupCommit<Job>(write, () => deps.backend.close());
  return {
    write(op) {
      return new Promise((resolve, reject) => {
        if (!batches.enqueue({ op, resolve, reject })) reject(new Error('the store is closed'));
      });
    },
    close: () => batches.close(),
  };
}
