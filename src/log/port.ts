/**
 * The event-log port (DESIGN.md §2): the topics of src/contracts/topics.ts, shaped like Kafka so that the
 * SQLite adapter and the Kafka adapter pass one contract suite (test/log/contract.ts). Each topic has a fixed
 * number of partitions; a record's key picks its partition (murmur2, Kafka's default partitioner); order is
 * kept per partition, so per key. Consumers belong to groups; a group commits, per partition, the offsets it
 * has processed; a consumer starting in a group resumes after the group's last commit, so delivery is
 * at least once: whatever was delivered but not committed before a crash is delivered again.
 */

/** One record to append. The key is the payment's root reference (DESIGN.md §1). */
export interface AppendRecord {
  readonly key: string;
  readonly value: Buffer;
  readonly headers?: Readonly<Record<string, string>>;
}

/** Where an appended record landed. Offsets start at 0 and grow by 1 per record in each partition. */
export interface RecordPosition {
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint;
}

/** A record as a consumer sees it. */
export interface LogRecord extends RecordPosition {
  readonly key: string;
  readonly value: Buffer;
  readonly headers: Readonly<Record<string, string>>;
  /** When the log took the record, milliseconds since the epoch. */
  readonly timestamp: number;
}

export interface ConsumerOptions {
  readonly group: string;
  readonly topics: readonly string[];
  /** Most records one `poll` returns. Default 500. */
  readonly maxRecords?: number;
}

export interface PollOptions {
  /** How long to wait for records when none is ready; 0 returns at once. Default 1000 ms. */
  readonly maxWaitMs?: number;
  /** Aborting ends the wait early with whatever is ready (often nothing). */
  readonly signal?: AbortSignal;
}

/**
 * One member of a consumer group. Partitions of its topics are shared among the group's live members
 * (each partition has one owner at a time); a member receives its partitions' records in offset order.
 * Iterating it yields non-empty batches until it or the log is closed.
 */
export interface Consumer extends AsyncIterable<readonly LogRecord[]> {
  /**
   * The next records after the ones this member was already given, waiting up to `maxWaitMs` (woken by an
   * append, not by busy polling). Resolves with an empty batch on timeout, abort, or a close while it waits.
   * Rejects with `PAYPIPE_ERR_LOG_CLOSED` once this member or the log is closed: answered at once with
   * nothing, a polling loop would spin without ever yielding to a timer.
   */
  poll(options?: PollOptions): Promise<readonly LogRecord[]>;
  /**
   * Marks records this group was given as processed: per partition, the highest offset given and everything
   * before it. Resolves once durable. A commit never moves a group backwards.
   */
  commit(records: readonly RecordPosition[]): Promise<void>;
  /** Leaves the group; its partitions go to the remaining members. Uncommitted records will be redelivered. */
  close(): Promise<void>;
}

export interface TopicStats {
  readonly topic: string;
  readonly partitions: number;
  /** Records currently kept (appended minus removed by retention). */
  readonly records: number;
  /** Records ever appended: the sum of the partitions' end offsets. */
  readonly appended: number;
}

export interface GroupStats {
  readonly group: string;
  readonly topic: string;
  /** Records appended but not yet committed by this group, over all partitions. */
  readonly lag: number;
  /**
   * Of the lag, records older than the log's retention, kept only until this group commits them (the SQLite
   * log; absent where retention deletes by age regardless, as Kafka's does).
   */
  readonly pastRetention?: number;
}

/** A group's lag on one topic. */
export type GroupLag = Pick<GroupStats, 'group' | 'topic' | 'lag'>;

/** What `paypipe status` shows about the log. */
export interface LogStats {
  readonly topics: readonly TopicStats[];
  readonly groups: readonly GroupStats[];
  /**
   * The SQLite log's file (without its WAL): its size, and the part retention freed, which new records
   * reuse (the file never shrinks by itself; src/log/README.md). Absent for a broker.
   */
  readonly file?: { readonly bytes: number; readonly freeBytes: number };
}

export interface EventLog {
  /**
   * Appends records to one topic and resolves, in the same order, with where each landed, only once they
   * are durable (fsync'd or replicated). Rejects with `PAYPIPE_ERR_LOG_UNAVAILABLE` when the log cannot take
   * them (nothing of the call is then acknowledged), `PAYPIPE_ERR_CONFIG` for an invalid topic name or record.
   */
  append(topic: string, records: readonly AppendRecord[]): Promise<readonly RecordPosition[]>;
  /** Joins a consumer group. Topics are created on first use with the configured partition count. */
  consumer(options: ConsumerOptions): Consumer;
  stats(): Promise<LogStats>;
  /**
   * Each group's lag per topic, as `stats()` gives it, without what else stats reads (the SQLite log counts
   * every record for stats): cheap enough for every Prometheus scrape.
   */
  lags(): Promise<readonly GroupLag[]>;
  /**
   * Every record the log still keeps on one topic, partition by partition in offset order, without joining
   * a group (no commit, no lag): what `paypipe status` and `paypipe replay` read dead letters with.
   */
  scan(topic: string): AsyncIterable<LogRecord>;
  /** Ends pending polls, finishes appends already taken, then releases the log. Idempotent. */
  close(): Promise<void>;
}

/** Options every adapter understands. */
export interface EventLogOptions {
  /** Partitions of a topic created by this log: one number for all, or per topic (`*` for the rest). Default 8. */
  readonly partitions?: number | Readonly<Record<string, number>>;
}
