/**
 * Group commit. append() only queues; on the next setImmediate the queue goes to the backend as ONE
 * transaction, whose COMMIT is one WAL fsync for every request that arrived meanwhile. While a batch is
 * being written, new requests pile up and form the next batch: the busier the gateway, the bigger the
 * batches, and the fewer fsyncs per record. With the thread backend (sqlite-writer-thread.ts) the fsync
 * runs off the event loop, so the gateway keeps accepting requests while a batch is made durable.
 */
import type { DatabaseSync } from 'node:sqlite';
import { PaypipeError } from '../contracts/errors.ts';
import { createGroupCommit } from '../runtime/group-commit.ts';
import type { AppendRecord, RecordPosition } from './port.ts';
import type { Statements } from './sqlite-schema.ts';
import { type CommitOp, type WriteOp, type WriteResult, writeAll } from './sqlite-write.ts';

/** What one group commit did, for metrics and for the tests that prove the batching. */
export interface FlushInfo {
  readonly requests: number;
  readonly records: number;
  readonly durationMs: number;
}

/** Where batches are written: on this thread, or on a writer thread. */
export interface WriteBackend {
  /** Writes the ops in one durable transaction; rejects (having written nothing) when it cannot. */
  write(ops: readonly WriteOp[], timestamp: number): Promise<{ results: WriteResult[]; durationMs: number }>;
  close(): Promise<void>;
}

export interface Writer {
  /** `partitions` is the topic's partition count. Resolves once the records are durable. */
  append(topic: string, partitions: number, records: readonly AppendRecord[]): Promise<readonly RecordPosition[]>;
  /** Moves the group to the given next offsets (clamped to each partition's end). Resolves once durable. */
  commit(group: string, next: CommitOp['next']): Promise<void>;
  /** Writes what is queued now, refuses new work, and releases the backend. */
  close(): Promise<void>;
}

export interface WriterDeps {
  readonly backend: WriteBackend;
  readonly now: () => number;
  readonly onDurable: (topics: ReadonlySet<string>) => void;
  readonly onFlush?: ((info: FlushInfo) => void) | undefined;
}

type Job = WriteOp & { readonly resolve: (value: WriteResult) => void; readonly reject: (error: Error) => void };

/** Writes on the calling thread: for `:memory:`, which no other thread can open. Blocks during the fsync. */
export function createInThreadBackend(db: DatabaseSync, statements: Statements): WriteBackend {
  return {
    async write(ops, timestamp) {
      const started = performance.now();
      const results = writeAll(db, statements, ops, timestamp);
      return { results, durationMs: performance.now() - started };
    },
    async close() {},
  };
}

export function createWriter(deps: WriterDeps): Writer {
  async function write(jobs: readonly Job[]): Promise<void> {
    let outcome: Awaited<ReturnType<WriteBackend['write']>>;
    try {
      outcome = await deps.backend.write(jobs.map(toOp), deps.now());
    } catch (cause) {
      const error = new PaypipeError('PAYPIPE_ERR_LOG_UNAVAILABLE', 'the SQLite log could not write', { cause });
      for (const job of jobs) job.reject(error);
      return;
    }
    const topics = new Set<string>();
    let records = 0;
    for (const [index, job] of jobs.entries()) {
      if (job.kind === 'append') {
        topics.add(job.topic);
        records += job.records.length;
      }
      job.resolve(outcome.results[index]);
    }
    deps.onFlush?.({ requests: jobs.length, records, durationMs: outcome.durationMs });
    if (topics.size > 0) deps.onDurable(topics);
  }

  const batches = createGroupCommit<Job>(write, () => deps.backend.close());
  function enqueue(job: Job): void {
    if (!batches.enqueue(job)) job.reject(new PaypipeError('PAYPIPE_ERR_LOG_UNAVAILABLE', 'the event log is closed'));
  }

  return {
    append(topic, partitions, records) {
      return new Promise((resolve, reject) =>
        enqueue({ kind: 'append', topic, partitions, records, resolve: (value) => resolve(value ?? []), reject }),
      );
    },
    commit(group, next) {
      return new Promise((resolve, reject) =>
        enqueue({ kind: 'commit', group, next, resolve: () => resolve(), reject }),
      );
    },
    close: () => batches.close(),
  };
}

function toOp(job: Job): WriteOp {
  return job.kind === 'append'
    ? { kind: 'append', topic: job.topic, partitions: job.partitions, records: job.records }
    : { kind: 'commit', group: job.group, next: job.next };
}
