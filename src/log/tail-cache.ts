/**
 * The newest records this process appended, kept in memory for its own consumers, as Kafka serves the
 * tail of a partition from the page cache. Reading them back from SQLite cost the main thread more than
 * any other step of a record's way through the log: the writer thread's commits invalidate the reading
 * connection's page cache, so each poll walked the b-tree from disk pages again, and every row was copied
 * and its headers parsed. A record enters the cache only once its append is durable, with the position and
 * timestamp the write gave it, so a consumer sees exactly what it would have read from the file.
 *
 * Per partition the cache holds one contiguous run of offsets. An append by another process leaves a gap,
 * and the run restarts after it; records before a run (or evicted from it) are read from SQLite. Records
 * are evicted oldest first once the cache holds more than its byte budget.
 */
import type { AppendRecord, LogRecord, RecordPosition } from './port.ts';

export interface TailCache {
  /** One durable append: its records in order, where each landed, and the timestamp it was written with. */
  add(topic: string, records: readonly AppendRecord[], positions: readonly RecordPosition[], timestamp: number): void;
  /**
   * Up to `max` records of a partition from `offset` on: an empty array when `offset` is the end of the
   * cached run (nothing newer appended here), undefined when the cache does not hold `offset`.
   */
  read(topic: string, partition: number, offset: bigint, max: number): LogRecord[] | undefined;
  /** Whether SQLite holds records below the cached run at `offset` (they were not appended here, or were evicted). */
  before(topic: string, partition: number, offset: bigint): boolean;
}

interface Run {
  /** Offset of records[head]. */
  base: number;
  head: number;
  records: LogRecord[];
}

/** Bytes a record is counted for: its value and key plus the objects around them. */
const sizeOf = (record: LogRecord): number => record.value.byteLength + record.key.length * 2 + 200;

export function createTailCache(budgetBytes: number): TailCache {
  const runs = new Map<string, Run[]>();
  // Every cached record in append order, for eviction; a record dropped by a restarted run is skipped.
  let order: ({ readonly run: Run; readonly record: LogRecord } | undefined)[] = [];
  let oldest = 0;
  let bytes = 0;

  function runOf(topic: string, partition: number): Run | undefined {
    return runs.get(topic)?.[partition];
  }

  function evict(): void {
    while (bytes > budgetBytes && oldest < order.length) {
      const entry = order[oldest];
      order[oldest] = undefined; // the record's memory is released now, not at the next compaction
      oldest += 1;
      if (entry === undefined) continue;
      const { run, record } = entry;
      bytes -= sizeOf(record);
      if (run.records[run.head] !== record) continue;
      run.head += 1;
      run.base += 1;
      if (run.head > 1024 && run.head * 2 > run.records.length) {
        run.records = run.records.slice(run.head);
        run.head = 0;
      }
    }
    if (oldest > 1024 && oldest * 2 > order.length) {
      order = order.slice(oldest);
      oldest = 0;
    }
  }

  return {
    add(topic, records, positions, timestamp) {
      if (budgetBytes <= 0) return;
      const partitions = runs.get(topic) ?? [];
      runs.set(topic, partitions);
      for (let index = 0; index < records.length; index += 1) {
        const appended = records[index];
        const position = positions[index];
        if (appended === undefined || position === undefined) break;
        const offset = Number(position.offset);
        let run = partitions[position.partition];
        if (run === undefined || run.base + run.records.length - run.head !== offset) {
          // First record here, or another process appended in between: start a new run at this offset.
          run = { base: offset, head: 0, records: [] };
          partitions[position.partition] = run;
        }
        const record: LogRecord = {
          topic,
          partition: position.partition,
          offset: position.offset,
          // As SQLite stores it (UTF-8): a lone surrogate becomes U+FFFD, so a key reads the same from the file.
          key: appended.key.toWellFormed(),
          value: appended.value,
          headers: appended.headers ?? {},
          timestamp,
        };
        run.records.push(record);
        order.push({ run, record });
        bytes += sizeOf(record);
      }
      evict();
    },
    read(topic, partition, offset, max) {
      const run = runOf(topic, partition);
      if (run === undefined) return undefined;
      const at = Number(offset) - run.base;
      const count = run.records.length - run.head;
      if (at < 0 || at > count) return undefined;
      return run.records.slice(run.head + at, run.head + Math.min(count, at + max));
    },
    before(topic, partition, offset) {
      const run = runOf(topic, partition);
      return run !== undefined && Number(offset) < run.base;
    },
  };
}
