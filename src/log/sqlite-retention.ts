/**
 * Retention of the SQLite log. Two independent rules, applied together, per partition:
 * - `maxAgeMs`: records older than this go once every group of their topic has committed them; a record a
 *   group has not committed stays however old it is, since the gateway acknowledged it and a stage that was
 *   down or stuck longer than the retention must still find it. A topic no group reads (`webhooks.dlq`,
 *   read by `paypipe replay` without a group) ages out whole: that is the one way an unread record goes.
 * - `deleteCommitted`: records every group of their topic has committed go, however young.
 * A group counts from the moment a consumer of it first joins the topic (it then holds everything from offset
 * 0), so a topic nobody has subscribed to keeps everything under `deleteCommitted` alone.
 */
import type { DatabaseSync } from 'node:sqlite';

export interface RetentionOptions {
  /** Default 7 days, Kafka's `retention.ms` default; null keeps records forever. */
  readonly maxAgeMs?: number | null;
  /** Default false. */
  readonly deleteCommitted?: boolean;
  /** How often retention runs. Default one minute. */
  readonly intervalMs?: number;
}

export const DEFAULT_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;

interface PartitionFloor {
  readonly topic: string;
  readonly partition: number;
  /** The lowest offset some group of the topic has not committed; null when no group reads the topic. */
  readonly floor: number | null;
}

/** Every partition, with the commit of its slowest group. */
function partitionFloors(db: DatabaseSync): PartitionFloor[] {
  return db
    .prepare(
      `SELECT p.topic AS topic, p.partition AS partition, min(c.next_offset) AS floor
       FROM partitions p LEFT JOIN commits c ON c.topic = p.topic AND c.partition = p.partition
       GROUP BY p.topic, p.partition`,
    )
    .all() as unknown as PartitionFloor[];
}

/** Deletes what the rules allow, in one transaction; returns how many records went. */
export function applyRetention(db: DatabaseSync, options: RetentionOptions, now: number): number {
  const maxAgeMs = options.maxAgeMs === undefined ? DEFAULT_MAX_AGE_MS : options.maxAgeMs;
  const removeOld = db.prepare(
    'DELETE FROM records WHERE topic = ? AND partition = ? AND "offset" < ? AND timestamp < ?',
  );
  const removeCommitted = db.prepare('DELETE FROM records WHERE topic = ? AND partition = ? AND "offset" < ?');
  let deleted = 0;
  db.exec('BEGIN IMMEDIATE');
  try {
    for (const { topic, partition, floor } of partitionFloors(db)) {
      if (maxAgeMs !== null) {
        deleted += Number(removeOld.run(topic, partition, floor ?? Number.MAX_SAFE_INTEGER, now - maxAgeMs).changes);
      }
      if (options.deleteCommitted && floor !== null) {
        deleted += Number(removeCommitted.run(topic, partition, floor).changes);
      }
    }
    db.exec('COMMIT');
  } catch (error) {
    if (db.isTransaction) db.exec('ROLLBACK');
    throw error;
  }
  return deleted;
}
