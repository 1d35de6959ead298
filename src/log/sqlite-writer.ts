/**
 * Group commit. `node:sqlite` is synchronous, so append() only queues; the queue is written on the next
 * setImmediate as ONE transaction, whose COMMIT is one WAL fsync for every request that arrived meanwhile.
 * While a commit blocks the thread, new requests pile up in the event loop and form the next batch: the
 * busier the gateway, the bigger the batches, and the fewer fsyncs per record.
 */
import type { DatabaseSync } from 'node:sqlite';
import { PaypipeError } from '../contracts/errors.ts';
import { partitionFor } from './partitioner.ts';
import type { AppendRecord, RecordPosition } from './port.ts';
import type { Statements } from './sqlite-schema.ts';

/** What one group commit did, for metrics and for the tests that prove the batching. */
export interface FlushInfo {
  readonly requests: number;
  readonly records: number;
  readonly durationMs: number;
}

interface Job<T> {
  readonly resolve: (value: T) => void;
  readonly reject: (error: Error) => void;
}
interface AppendJob extends Job<readonly RecordPosition[]> {
  readonly kind: 'append';
  readonly topic: string;
  readonly partitions: number;
  readonly records: readonly AppendRecord[];
}
interface CommitJob extends Job<void> {
  readonly kind: 'commit';
  readonly group: string;
  readonly next: readonly { topic: string; partition: number; next: bigint }[];
}
type WriteJob = AppendJob | CommitJob;

export interface Writer {
  /** `partitions` is the topic's partition count. Resolves once the records are durable. */
  append(topic: string, partitions: number, records: readonly AppendRecord[]): Promise<readonly RecordPosition[]>;
  /** Moves the group to the given next offsets (clamped to each partition's end). Resolves once durable. */
  commit(group: string, next: CommitJob['next']): Promise<void>;
  /** Writes what is queued now, then refuses new work. */
  close(): void;
}

export interface WriterDeps {
  readonly db: DatabaseSync;
  readonly statements: Statements;
  readonly now: () => number;
  readonly onDurable: (topics: ReadonlySet<string>) => void;
  readonly onFlush?: ((info: FlushInfo) => void) | undefined;
}

export function createWriter(deps: WriterDeps): Writer {
  let queue: WriteJob[] = [];
  let scheduled: NodeJS.Immediate | null = null;
  let closed = false;

  function flush(): void {
    scheduled = null;
    const jobs = queue;
    queue = [];
    if (jobs.length === 0) return;
    const started = performance.now();
    let results: unknown[];
    try {
      results = writeAll(deps, jobs);
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
        job.resolve(results[index] as readonly RecordPosition[]);
      } else job.resolve();
    }
    deps.onFlush?.({ requests: jobs.length, records, durationMs: performance.now() - started });
    if (topics.size > 0) deps.onDurable(topics);
  }

  function enqueue(job: WriteJob): void {
    if (closed) {
      job.reject(new PaypipeError('PAYPIPE_ERR_LOG_UNAVAILABLE', 'the event log is closed'));
      return;
    }
    queue.push(job);
    scheduled ??= setImmediate(flush);
  }

  return {
    append(topic, partitions, records) {
      return new Promise((resolve, reject) => enqueue({ kind: 'append', topic, partitions, records, resolve, reject }));
    },
    commit(group, next) {
      return new Promise((resolve, reject) => enqueue({ kind: 'commit', group, next, resolve, reject }));
    },
    close() {
      if (closed) return;
      closed = true;
      if (scheduled) clearImmediate(scheduled);
      flush();
    },
  };
}

/** One transaction for all jobs; returns each job's result, or throws after rolling back. */
function writeAll({ db, statements, now }: WriterDeps, jobs: readonly WriteJob[]): unknown[] {
  // Read under the write lock, so another process appending to the same file cannot race our offsets.
  db.exec('BEGIN IMMEDIATE');
  try {
    const next = new Map<string, { topic: string; partition: number; offset: bigint }>();
    const nextOf = (topic: string, partition: number) => {
      const id = `${topic}\u0000${partition}`;
      let entry = next.get(id);
      if (!entry) {
        const row = statements.nextOffset.get(topic, partition);
        entry = { topic, partition, offset: BigInt((row?.next_offset as number | undefined) ?? 0) };
        next.set(id, entry);
      }
      return entry;
    };
    const timestamp = now();
    const dirty = new Set<{ topic: string; partition: number; offset: bigint }>();
    const results = jobs.map((job) => {
      if (job.kind === 'commit') {
        for (const { topic, partition, next: wanted } of job.next) {
          // Never past the partition's end: that would silently skip records appended later.
          const end = nextOf(topic, partition).offset;
          // biome-ignore lint/complexity/useMathMinMax: bigint operands, which Math.min does not take.
          statements.commit.run(job.group, topic, partition, wanted > end ? end : wanted);
        }
        return undefined;
      }
      return job.records.map((record) => {
        const entry = nextOf(job.topic, partitionFor(record.key, job.partitions));
        const headers = record.headers ? JSON.stringify(record.headers) : null;
        statements.insert.run(job.topic, entry.partition, entry.offset, record.key, record.value, headers, timestamp);
        dirty.add(entry);
        const position = { topic: job.topic, partition: entry.partition, offset: entry.offset };
        entry.offset += 1n;
        return position;
      });
    });
    for (const entry of dirty) statements.setNextOffset.run(entry.topic, entry.partition, entry.offset);
    db.exec('COMMIT');
    return results;
  } catch (error) {
    try {
      if (db.isTransaction) db.exec('ROLLBACK');
    } catch {
      // The original error says more than a failed rollback; SQLite rolls back on its own when it must.
    }
    throw error;
  }
}
