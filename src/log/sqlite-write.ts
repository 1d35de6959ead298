/**
 * One group commit's SQL: every queued append and offset commit in ONE transaction, so one WAL fsync makes
 * all of them durable. Plain data in and out (no callbacks), so the same function runs on the writer
 * thread (sqlite-writer-thread.ts) or, for an in-memory log, on the main thread.
 */
import type { DatabaseSync } from 'node:sqlite';
import { immediateTransaction } from '../runtime/sqlite-transaction.ts';
import { partitionFor } from './partitioner.ts';
import type { AppendRecord, RecordPosition } from './port.ts';
import type { Statements } from './sqlite-schema.ts';

export interface AppendOp {
  readonly kind: 'append';
  readonly topic: string;
  /** The topic's partition count. */
  readonly partitions: number;
  readonly records: readonly AppendRecord[];
}
export interface CommitOp {
  readonly kind: 'commit';
  readonly group: string;
  readonly next: readonly { topic: string; partition: number; next: bigint }[];
}
export type WriteOp = AppendOp | CommitOp;
/** Per op: an append's positions, in record order; undefined for a commit. */
export type WriteResult = readonly RecordPosition[] | undefined;

/** Writes all ops in one transaction stamped `timestamp`; returns each op's result, or throws after rollback. */
export function writeAll(
  db: DatabaseSync,
  statements: Statements,
  ops: readonly WriteOp[],
  timestamp: number,
): WriteResult[] {
  // Read under the write lock, so another process appending to the same file cannot race our offsets.
  return immediateTransaction(db, () => {
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
    const dirty = new Set<{ topic: string; partition: number; offset: bigint }>();
    const results = ops.map((op) => {
      if (op.kind === 'commit') {
        for (const { topic, partition, next: wanted } of op.next) {
          // Never past the partition's end: that would silently skip records appended later.
          const end = nextOf(topic, partition).offset;
          // biome-ignore lint/complexity/useMathMinMax: bigint operands, which Math.min does not take.
          statements.commit.run(op.group, topic, partition, wanted > end ? end : wanted);
        }
        return undefined;
      }
      return op.records.map((record) => {
        const entry = nextOf(op.topic, partitionFor(record.key, op.partitions));
        const headers = record.headers ? JSON.stringify(record.headers) : null;
        statements.insert.run(op.topic, entry.partition, entry.offset, record.key, record.value, headers, timestamp);
        dirty.add(entry);
        const position = { topic: op.topic, partition: entry.partition, offset: entry.offset };
        entry.offset += 1n;
        return position;
      });
    });
    for (const entry of dirty) statements.setNextOffset.run(entry.topic, entry.partition, entry.offset);
    return results;
  });
}
