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
  /**
   * Runs `run` on this thread between two batches, in queue order: no batch is in flight, so it takes the
   * write lock without waiting for the writer thread, and appends queued meanwhile wait only for it, not for
   * the lock's busy timeout (retention's short transactions, sqlite-retention.ts). Resolves with its result.
   */
  between<T>(run: () => T): Promise<T>;
  /** Writes what is queued now, refuses new work, and releases the backend. */
  close(): Promise<void>;
}

export interface WriterDeps {
  readonly backend: WriteBackend;
  readonly now: () => number;
  readonly onDurable: (topics: ReadonlySet<string>) => void;
  readonly onFlush?: ((info: FlushInfo) => void) | undefined;
}

type WriteJob = WriteOp & { readonly resolve: (value: WriteResult) => void; readonly reject: (error: Error) => void };
interface BetweenJob {
  readonly kind: 'between';
  readonly run: () => unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}
type Job = WriteJob | BetweenJob;

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
  async function writeOps(jobs: readonly WriteJob[]): Promise<void> {
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

  /** The batch's appends and commits in one transaction, then what runs between batches. */
  async function write(jobs: readonly Job[]): Promise<void> {
    const writes = jobs.filter((job): job is WriteJob => job.kind !== 'between');
    if (writes.length > 0) await writeOps(writes);
    for (const job of jobs) {
      if (job.kind !== 'between') continue;
      try {
        job.resolve(job.run());
      } catch (error) {
        job.reject(error);
      }
    }
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
    between<T>(run: () => T) {
      return new Promise<T>((resolve, reject) =>
        enqueue({ kind: 'between', run, resolve: (value) => resolve(value as T), reject }),
      );
    },
    close: () => batches.close(),
  };
}

function toOp(job: WriteJob): WriteOp {
  return job.kind === 'append'
    ? { kind: 'append', topic: job.topic, partitions: job.partitions, records: job.records }
    : { kind: 'commit', group: job.group, next: job.next };
}
