/**
 * The SQLite event log: the embedded default (DESIGN.md §2), on Node's built-in `node:sqlite`. Appends are
 * group-committed (sqlite-writer.ts) on a writer thread (sqlite-writer-thread.ts); consumers read through
 * this thread's own connection and share partitions through in-process groups (group.ts). One process owns
 * the log; another process may append to or read the same file (offsets are taken under the write lock),
 * but group membership is per process, so give each process its own groups.
 */
import type { DatabaseSync } from 'node:sqlite';
import { PaypipeError } from '../contracts/errors.ts';
import { createGroups } from './group.ts';
import { createNotifier } from './notifier.ts';
import type { Consumer, EventLog, EventLogOptions } from './port.ts';
import { createSqliteConsumer, rowToRecord } from './sqlite-consumer.ts';
import {
  applyRetention,
  keptPastRetention,
  type RetentionOptions,
  type RetentionReport,
  type RetentionStep,
} from './sqlite-retention.ts';
import { openDatabase, prepareStatements } from './sqlite-schema.ts';
import { readLags, readStats } from './sqlite-stats.ts';
import { createInThreadBackend, createWriter, type FlushInfo, type WriteBackend } from './sqlite-writer.ts';
import { createThreadBackend } from './sqlite-writer-thread.ts';
import { createTailCache } from './tail-cache.ts';
import { checkRecords, checkTopic, partitionCounts } from './validate.ts';

export type { KeptPastRetention, RetentionOptions, RetentionReport } from './sqlite-retention.ts';
export type { FlushInfo } from './sqlite-writer.ts';

export interface SqliteLogOptions extends EventLogOptions {
  /** Fallback wake-up of waiting consumers, for appends by other processes. Default 250 ms. */
  readonly pollIntervalMs?: number;
  readonly retention?: RetentionOptions;
  /** Called after each retention run that succeeded (every `retention.intervalMs`, and `applyRetention`). */
  readonly onRetention?: (report: RetentionReport) => void;
  /** The clock stamped on records and used by retention. Default `Date.now`. */
  readonly now?: () => number;
  /** How long a write waits for another process's write lock before failing. Default 5000 ms. */
  readonly busyTimeoutMs?: number;
  /** Called after each group commit (one transaction, one fsync). */
  readonly onFlush?: (info: FlushInfo) => void;
  /**
   * Memory for the newest records this process appended to topics it consumes, which its consumers then
   * read without going back to the file (tail-cache.ts). Default 64 MiB; 0 reads everything from SQLite.
   */
  readonly tailCacheBytes?: number;
}

export interface SqliteEventLog extends EventLog {
  /** Applies retention now (it also runs every `retention.intervalMs`): what went, what is kept past its age. */
  applyRetention(): Promise<RetentionReport>;
}

function unavailable(what: string, cause: unknown): PaypipeError {
  return new PaypipeError('PAYPIPE_ERR_LOG_UNAVAILABLE', `the SQLite log ${what}`, { cause });
}

/**
 * The main thread's connection to a file writes only what may be lost in a power cut: retention's deletions
 * (done again at the next run), a topic's or a group's first registration (made again at the next start).
 * Its commits are then not fsync'd on the event loop (WAL with synchronous=NORMAL: the writer thread's next
 * FULL commit syncs them with its own), and it leaves checkpoints to the writer thread. Retention's
 * transactions of 1,000 deletions took 60-100 ms of the event loop each with both, 23-33 ms without.
 */
function relaxMainConnection(db: DatabaseSync): void {
  db.exec('PRAGMA synchronous = NORMAL');
  db.exec('PRAGMA wal_autocheckpoint = 0');
}

/** Opens the log file at `path` (`:memory:` for tests). Throws PAYPIPE_ERR_LOG_UNAVAILABLE if it cannot. */
export function createSqliteEventLog(path: string, options: SqliteLogOptions = {}): SqliteEventLog {
  const partitionsFor = partitionCounts(options);
  const now = options.now ?? Date.now;
  const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
  let db: ReturnType<typeof openDatabase>;
  try {
    db = openDatabase(path, busyTimeoutMs);
    if (path !== ':memory:') relaxMainConnection(db);
  } catch (cause) {
    throw unavailable(`cannot open ${path}`, cause);
  }
  const statements = prepareStatements(db);
  const notifier = createNotifier();
  const groups = createGroups();
  const closing = new AbortController();
  const consumers = new Set<Consumer>();
  // A file is written on its own thread, so fsyncs never block the event loop; `:memory:` cannot be shared.
  const fileBackend =
    path === ':memory:' ? createInThreadBackend(db, statements) : createThreadBackend({ path, busyTimeoutMs });
  // Durable appends to the topics this process consumes go into the tail cache, before anyone is woken.
  const tail = createTailCache(options.tailCacheBytes ?? 64 * 1024 * 1024);
  const consumed = new Set<string>();
  const backend: WriteBackend = {
    async write(ops, timestamp) {
      const outcome = await fileBackend.write(ops, timestamp);
      for (const [index, op] of ops.entries()) {
        const positions = outcome.results[index];
        if (op.kind === 'append' && positions !== undefined && consumed.has(op.topic)) {
          tail.add(op.topic, op.records, positions, timestamp);
        }
      }
      return outcome;
    },
    close: () => fileBackend.close(),
  };
  const writer = createWriter({ backend, now, onFlush: options.onFlush, onDurable: notifier.notify });
  // A topic's partition count is fixed when it is created (by this or another process) and never changes.
  const topics = new Map<string, number>();

  function partitionsOf(topic: string): number {
    let count = topics.get(topic);
    if (count === undefined) {
      statements.createTopic.run(topic, partitionsFor(topic));
      count = statements.topic.get(topic)?.partitions as number;
      topics.set(topic, count);
    }
    return count;
  }

  /** Creates the topic if needed and registers the group on each partition (from offset 0), atomically. */
  function join(group: string, topic: string): number {
    try {
      const count = partitionsOf(topic);
      db.exec('BEGIN IMMEDIATE');
      for (let partition = 0; partition < count; partition += 1) statements.joinGroup.run(group, topic, partition);
      db.exec('COMMIT');
      return count;
    } catch (cause) {
      if (db.isOpen && db.isTransaction) db.exec('ROLLBACK');
      throw unavailable(`cannot register group ${group} on ${topic}`, cause);
    }
  }

  const retention = options.retention ?? {};
  /**
   * One run: transactions of at most `chunkRecords` deletions, each between two of the writer's batches, so
   * appends queued meanwhile are written after one transaction rather than after the whole run.
   */
  async function runRetention(): Promise<RetentionReport> {
    const at = now();
    let report: RetentionReport = { deleted: 0, kept: [] };
    for (let more = true; more && !closing.signal.aborted; ) {
      let step: RetentionStep;
      try {
        step = await writer.between(() => applyRetention(db, retention, at));
      } catch (cause) {
        throw unavailable('cannot apply retention', cause);
      }
      report = { deleted: report.deleted + step.deleted, kept: step.kept };
      more = step.more;
    }
    options.onRetention?.(report);
    return report;
  }
  // A run that takes longer than the interval is not overlapped by the next: a caller then shares it.
  let running: Promise<RetentionReport> | undefined;
  const retain = (): Promise<RetentionReport> => {
    running ??= runRetention().finally(() => {
      running = undefined;
    });
    return running;
  };
  // A failed run (say, the file is locked by another process) stops at the transaction that failed, which
  // changed nothing; the next interval's run takes up from there.
  const timer = setInterval(() => retain().catch(() => {}), retention.intervalMs ?? 60_000);
  timer.unref();

  return {
    async append(topic, records) {
      checkRecords(checkTopic(topic), records);
      if (closing.signal.aborted) throw unavailable('is closed', undefined);
      if (records.length === 0) return [];
      let count: number;
      try {
        count = partitionsOf(topic);
      } catch (cause) {
        throw unavailable(`cannot create topic ${topic}`, cause);
      }
      return writer.append(topic, count, records);
    },
    consumer(consumerOptions) {
      if (closing.signal.aborted) throw unavailable('is closed', undefined);
      if (Array.isArray(consumerOptions.topics)) for (const topic of consumerOptions.topics) consumed.add(topic);
      const consumer = createSqliteConsumer(
        {
          statements,
          groups,
          notifier,
          writer,
          tail,
          join,
          pollIntervalMs: options.pollIntervalMs ?? 250,
          closing: closing.signal,
          onClose: (closed) => consumers.delete(closed),
        },
        consumerOptions,
      );
      consumers.add(consumer);
      return consumer;
    },
    async stats() {
      try {
        return readStats(db, keptPastRetention(db, retention, now()));
      } catch (cause) {
        throw unavailable('cannot be read', cause);
      }
    },
    async lags() {
      try {
        return readLags(db);
      } catch (cause) {
        throw unavailable('cannot be read', cause);
      }
    },
    async *scan(topic) {
      checkTopic(topic);
      const pageSize = 1000;
      let partitions: { partition: number }[];
      try {
        partitions = statements.ends.all(topic) as { partition: number }[];
      } catch (cause) {
        throw unavailable('cannot be read', cause);
      }
      for (const { partition } of partitions) {
        for (let offset = 0; ; ) {
          const rows = statements.fetch.all(topic, partition, offset, pageSize);
          for (const row of rows) yield rowToRecord(topic, partition, row);
          if (rows.length < pageSize) break;
          offset = Number((rows.at(-1) as { offset: number }).offset) + 1;
        }
      }
    },
    applyRetention: retain,
    async close() {
      if (closing.signal.aborted) return;
      closing.abort();
      clearInterval(timer);
      await Promise.all([...consumers].map((consumer) => consumer.close()));
      await writer.close();
      db.close();
    },
  };
}
