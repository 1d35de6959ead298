/**
 * Retention of the SQLite log. Two independent rules, applied together:
 * - `maxAgeMs`: records older than this go, committed or not (the one way an unread record is deleted);
 * - `deleteCommitted`: records every group of their topic has committed go. A group counts from the moment
 *   a consumer of it first joins the topic, so a topic nobody has subscribed to keeps everything.
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

/** Deletes what the rules allow, in one transaction; returns how many records went. */
export function applyRetention(db: DatabaseSync, options: RetentionOptions, now: number): number {
  const maxAgeMs = options.maxAgeMs === undefined ? DEFAULT_MAX_AGE_MS : options.maxAgeMs;
  let deleted = 0;
  db.exec('BEGIN IMMEDIATE');
  try {
    if (maxAgeMs !== null) {
      deleted += Number(db.prepare('DELETE FROM records WHERE timestamp < ?').run(now - maxAgeMs).changes);
    }
    if (options.deleteCommitted) {
      const remove = db.prepare('DELETE FROM records WHERE topic = ? AND partition = ? AND "offset" < ?');
      const floors = db.prepare(
        'SELECT topic, partition, min(next_offset) AS floor FROM commits GROUP BY topic, partition',
      );
      for (const { topic, partition, floor } of floors.all() as { topic: string; partition: number; floor: number }[]) {
        deleted += Number(remove.run(topic, partition, floor).changes);
      }
    }
    db.exec('COMMIT');
  } catch (error) {
    if (db.isTransaction) db.exec('ROLLBACK');
    throw error;
  }
  return deleted;
}
