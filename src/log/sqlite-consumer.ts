/**
 * A member of a consumer group on the SQLite log. It reads its owned partitions from its own positions,
 * which start at the group's committed offsets; it waits for appends through the notifier, and falls back
 * to a poll interval for appends made by another process on the same file.
 *
 * Records this process appended come from the tail cache (tail-cache.ts); SQLite is read for what the
 * cache does not hold: records before its run of a partition, and, found by a look at every partition's
 * end at most once per poll interval, records appended by another process.
 */
import { PaypipeError } from '../contracts/errors.ts';
import type { Groups } from './group.ts';
import type { Notifier } from './notifier.ts';
import type { Consumer, ConsumerOptions, LogRecord, PollOptions } from './port.ts';
import type { Statements } from './sqlite-schema.ts';
import type { Writer } from './sqlite-writer.ts';
import type { TailCache } from './tail-cache.ts';
import { checkGroup, checkTopic, nextOffsets } from './validate.ts';

export interface ConsumerDeps {
  readonly statements: Statements;
  readonly groups: Groups;
  readonly notifier: Notifier;
  readonly writer: Writer;
  readonly tail: TailCache;
  /** The topic's partition count, creating the topic and the group's offsets on first use. */
  readonly join: (group: string, topic: string) => number;
  readonly pollIntervalMs: number;
  /** Aborted when the log closes. */
  readonly closing: AbortSignal;
  readonly onClose: (consumer: Consumer) => void;
}

interface Position {
  readonly topic: string;
  readonly partition: number;
  offset: bigint;
  /** SQLite holds records from `offset` on that the tail cache cannot give: read them before waiting. */
  behind: boolean;
}

/** A `records` row as the port's LogRecord. */
export function rowToRecord(topic: string, partition: number, row: Record<string, unknown>): LogRecord {
  const value = row.value as Uint8Array;
  return {
    topic,
    partition,
    offset: BigInt(row.offset as number),
    key: row.key as string,
    value: Buffer.from(value.buffer, value.byteOffset, value.byteLength),
    headers: row.headers === null ? {} : JSON.parse(row.headers as string),
    timestamp: row.timestamp as number,
  };
}

const DEFAULT_WAIT_MS = 1000;
const DEFAULT_MAX_RECORDS = 500;

export function createSqliteConsumer(deps: ConsumerDeps, options: ConsumerOptions): Consumer {
  const group = checkGroup(options.group);
  const topics = [...new Set(Array.isArray(options.topics) ? options.topics.map(checkTopic) : [])];
  if (topics.length === 0) throw new PaypipeError('PAYPIPE_ERR_CONFIG', `consumer ${group}: no topics`);
  const maxRecords = options.maxRecords ?? DEFAULT_MAX_RECORDS;
  if (!Number.isInteger(maxRecords) || maxRecords < 1) {
    throw new PaypipeError('PAYPIPE_ERR_CONFIG', `consumer ${group}: maxRecords must be a positive integer`);
  }
  const counts = new Map(topics.map((topic) => [topic, deps.join(group, topic)]));
  const member = { topics };
  const stop = new AbortController();
  const { statements } = deps;
  let generation = -1;
  let positions: Position[] = [];
  let cursor = 0;
  deps.groups.join(group, member);

  const closed = (): boolean => stop.signal.aborted || deps.closing.aborted;

  /** After a rebalance: keep the positions of partitions still owned, start new ones at the commit. */
  function rebalance(): void {
    const current = deps.groups.generation(group);
    if (current === generation) return;
    generation = current;
    const kept = new Map(positions.map((item) => [`${item.topic}\u0000${item.partition}`, item]));
    positions = topics.flatMap((topic) =>
      deps.groups.owned(group, member, topic, counts.get(topic) ?? 0).map((partition) => {
        const row = statements.committed.get(group, topic, partition);
        const offset = BigInt((row?.next_offset as number | undefined) ?? 0);
        const committed = { topic, partition, offset, behind: true };
        return kept.get(`${topic}\u0000${partition}`) ?? committed;
      }),
    );
  }

  /** When the partitions' ends were last read; another process's appends are noticed within a poll interval. */
  let checked = Number.NEGATIVE_INFINITY;

  /** Every partition's end, when a position needs it or the poll interval has passed; otherwise undefined. */
  function sqliteEnds(): Map<string, bigint> | undefined {
    const now = Date.now();
    if (!positions.some((position) => position.behind) && now - checked < deps.pollIntervalMs) return undefined;
    checked = now;
    // Every partition's end in one query (a handful of rows), not one query per topic per poll.
    const ends = new Map<string, bigint>();
    for (const row of statements.allEnds.all()) {
      ends.set(`${row.topic}\u0000${row.partition}`, BigInt(row.next_offset as number));
    }
    return ends;
  }

  function fromSqlite(position: Position, max: number): LogRecord[] {
    const { topic, partition } = position;
    const rows = statements.fetch.all(topic, partition, position.offset, max);
    return rows.map((row) => rowToRecord(topic, partition, row));
  }

  function fetch(): LogRecord[] {
    rebalance();
    const ends = sqliteEnds();
    const batch: LogRecord[] = [];
    // Start at a different partition each time, so one busy partition cannot starve the others.
    for (let i = 0; i < positions.length && batch.length < maxRecords; i += 1) {
      const position = positions[(cursor + i) % positions.length] as Position;
      const { topic, partition } = position;
      const left = maxRecords - batch.length;
      const end = ends?.get(`${topic}\u0000${partition}`);
      let records = deps.tail.read(topic, partition, position.offset, left);
      const fromFile =
        !records?.length && (deps.tail.before(topic, partition, position.offset) || (end ?? 0n) > position.offset);
      if (fromFile) records = fromSqlite(position, left);
      const last = records?.at(-1);
      if (records !== undefined && last !== undefined) {
        for (const record of records) batch.push(record);
        position.offset = last.offset + 1n;
      }
      // More in the file than was read: look at the ends again next time rather than after a poll interval.
      position.behind = fromFile && end !== undefined && end > position.offset;
    }
    cursor = (cursor + 1) % Math.max(1, positions.length);
    return batch;
  }

  async function poll({ maxWaitMs = DEFAULT_WAIT_MS, signal }: PollOptions = {}): Promise<readonly LogRecord[]> {
    if (closed()) throw new PaypipeError('PAYPIPE_ERR_LOG_CLOSED', `consumer ${group}: it or its log is closed`);
    const deadline = Date.now() + maxWaitMs;
    for (;;) {
      // Closed while this poll waited: it ends with nothing, as the port says; the next poll is refused.
      if (closed()) return [];
      let batch: LogRecord[];
      try {
        batch = fetch();
      } catch (cause) {
        throw new PaypipeError('PAYPIPE_ERR_LOG_UNAVAILABLE', 'the SQLite log could not be read', { cause });
      }
      const left = deadline - Date.now();
      if (batch.length > 0 || left <= 0 || signal?.aborted) return batch;
      await deps.notifier.wait(topics, Math.min(left, deps.pollIntervalMs), [signal, stop.signal, deps.closing]);
    }
  }

  const consumer: Consumer = {
    poll,
    async commit(records) {
      const next = nextOffsets(records);
      if (next.length > 0) await deps.writer.commit(group, next);
    },
    async close() {
      if (stop.signal.aborted) return;
      stop.abort();
      deps.groups.leave(group, member);
      deps.onClose(consumer);
    },
    async *[Symbol.asyncIterator]() {
      while (!closed()) {
        const batch = await poll({ maxWaitMs: 60_000 });
        if (batch.length > 0) yield batch;
      }
    },
  };
  return consumer;
}
