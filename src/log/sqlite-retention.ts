/**
 * Retention of the SQLite log. Two independent rules, applied together, per partition:
 * - `maxAgeMs`: records older than this go once every group of their topic has committed them; a record a
 *   group has not committed stays however old it is, since the gateway acknowledged it and a stage that was
 *   down or stuck longer than the retention must still find it. Those are reported (`kept`), as the file
 *   grows for them. A topic no group reads (`webhooks.dlq`, read by `paypipe replay` without a group) ages
 *   out whole: that is the one way an unread record goes.
 * - `deleteCommitted`: records every group of their topic has committed go, however young.
 * A group counts from the moment a consumer of it first joins the topic (it then holds everything from offset
 * 0), so a topic nobody has subscribed to keeps everything under `deleteCommitted` alone.
 *
 * Both rules delete a prefix of each partition, found without reading the partition: a partition's records
 * are stamped in append order, so the first one young enough to keep is found by a binary search on the
 * offset (a few lookups on the primary key, where `WHERE timestamp < ?` read the whole file every minute).
 */
import type { DatabaseSync, StatementSync } from 'node:sqlite';

export interface RetentionOptions {
  /** Default 7 days, Kafka's `retention.ms` default; null keeps records forever. */
  readonly maxAgeMs?: number | null;
  /** Default false. */
  readonly deleteCommitted?: boolean;
  /** How often retention runs. Default one minute. */
  readonly intervalMs?: number;
  /**
   * Most records one transaction deletes; a run takes as many as it needs, letting appends in between.
   * Default 1,000. In one transaction, a backlog that became deletable all at once (a stage caught up after
   * a long outage) held the write lock for as long as it took: 35,000 webhooks' records took 1.8 s, during
   * which every append waited (past the 5 s busy timeout, failed: 503s), and the WAL grew by their size.
   */
  readonly chunkRecords?: number;
}

export const DEFAULT_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;

/** Records of one topic older than the retention, kept because one group has not committed them yet. */
export interface KeptPastRetention {
  readonly group: string;
  readonly topic: string;
  /** Counted by offsets, without reading them: in a file with gaps (see recordAtOrAfter), a few too many. */
  readonly records: number;
  /** The oldest one's timestamp, milliseconds since the epoch. */
  readonly oldest: number;
}

export interface RetentionReport {
  readonly deleted: number;
  /** Per group and topic, most records first; empty when nothing is kept past its age. */
  readonly kept: readonly KeptPastRetention[];
}

/** One transaction of a retention run; `more` when the rules allow deleting more than it did. */
export interface RetentionStep extends RetentionReport {
  readonly more: boolean;
}

/** One partition as retention sees it: records kept are [first, end); those before `young` are old. */
interface PartitionView {
  readonly topic: string;
  readonly partition: number;
  readonly first: number;
  readonly young: number;
  readonly commits: readonly { readonly group: string; readonly next: number }[];
}

function maxAgeOf(options: RetentionOptions): number | null {
  return options.maxAgeMs === undefined ? DEFAULT_MAX_AGE_MS : options.maxAgeMs;
}

function atOrAfter(db: DatabaseSync): StatementSync {
  return db.prepare(
    'SELECT "offset", timestamp FROM records WHERE topic = ? AND partition = ? AND "offset" >= ? ORDER BY "offset" LIMIT 1',
  );
}

/**
 * The first record at or after `offset`. A partition may have gaps: the former age rule (`WHERE timestamp <
 * ?`) deleted a record and kept an earlier one stamped a millisecond later by another process.
 */
function recordAtOrAfter(at: StatementSync, topic: string, partition: number, offset: number) {
  return at.get(topic, partition, offset) as { offset: number; timestamp: number } | undefined;
}

/** The lowest offset in [first, end) from which every record is at least as young as `cutoff`. */
function firstYoung(at: StatementSync, topic: string, partition: number, first: number, end: number, cutoff: number) {
  let low = first;
  let high = end;
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    const row = recordAtOrAfter(at, topic, partition, middle);
    if (row !== undefined && row.timestamp < cutoff) low = row.offset + 1;
    else high = middle;
  }
  return low;
}

/** Every partition with its kept range, where its old records end for `cutoff`, and its groups' commits. */
function survey(db: DatabaseSync, cutoff: number): PartitionView[] {
  const at = atOrAfter(db);
  const commits = new Map<string, { group: string; next: number }[]>();
  for (const row of db.prepare('SELECT grp, topic, partition, next_offset FROM commits').all()) {
    const id = `${row.topic}\u0000${row.partition}`;
    commits.set(id, [...(commits.get(id) ?? []), { group: row.grp as string, next: row.next_offset as number }]);
  }
  return db
    .prepare('SELECT topic, partition, next_offset FROM partitions')
    .all()
    .map((row) => {
      const topic = row.topic as string;
      const partition = row.partition as number;
      const end = row.next_offset as number;
      const first = recordAtOrAfter(at, topic, partition, 0)?.offset ?? end;
      const young = firstYoung(at, topic, partition, first, end, cutoff);
      return { topic, partition, first, young, commits: commits.get(`${topic}\u0000${partition}`) ?? [] };
    });
}

/** What the groups hold past the cutoff, summed over partitions per group and topic, most first. */
function keptOf(db: DatabaseSync, views: readonly PartitionView[]): KeptPastRetention[] {
  const at = atOrAfter(db);
  const kept = new Map<string, KeptPastRetention>();
  for (const view of views) {
    for (const { group, next } of view.commits) {
      const from = Math.max(next, view.first);
      if (from >= view.young) continue;
      // from < young, so a record at or after it is old: there is one, and it is the oldest the group holds.
      const oldest = recordAtOrAfter(at, view.topic, view.partition, from)?.timestamp ?? Number.NaN;
      const id = `${group}\u0000${view.topic}`;
      const sum = kept.get(id) ?? { group, topic: view.topic, records: 0, oldest };
      kept.set(id, { ...sum, records: sum.records + view.young - from, oldest: Math.min(sum.oldest, oldest) });
    }
  }
  return [...kept.values()].sort((a, b) => b.records - a.records);
}

/** Records older than the retention that groups have not committed, per group and topic. */
export function keptPastRetention(db: DatabaseSync, options: RetentionOptions, now: number): KeptPastRetention[] {
  const maxAgeMs = maxAgeOf(options);
  return maxAgeMs === null ? [] : keptOf(db, survey(db, now - maxAgeMs));
}

/** Where a partition's deletable prefix ends under the rules. */
function deleteBelow(view: PartitionView, options: RetentionOptions, aged: boolean): number {
  const floor = view.commits.length === 0 ? null : Math.min(...view.commits.map((commit) => commit.next));
  const byAge = aged ? Math.min(view.young, floor ?? view.young) : 0;
  const byCommit = options.deleteCommitted && floor !== null ? floor : 0;
  return Math.max(byAge, byCommit);
}

/**
 * Deletes what the rules allow, up to `chunkRecords` records, in one transaction; reports how many went, what
 * is kept past its age, and whether there is more to delete (the caller runs it again after letting others in).
 */
export function applyRetention(db: DatabaseSync, options: RetentionOptions, now: number): RetentionStep {
  const maxAgeMs = maxAgeOf(options);
  const remove = db.prepare('DELETE FROM records WHERE topic = ? AND partition = ? AND "offset" < ?');
  let left = options.chunkRecords ?? 1000;
  let deleted = 0;
  let more = false;
  db.exec('BEGIN IMMEDIATE');
  try {
    const views = survey(db, maxAgeMs === null ? Number.NEGATIVE_INFINITY : now - maxAgeMs);
    for (const view of views) {
      const below = deleteBelow(view, options, maxAgeMs !== null);
      if (below <= view.first) continue;
      // Offsets kept are contiguous, so this bounds the records deleted (gaps in older files make it fewer).
      const until = Math.min(below, view.first + left);
      more ||= until < below;
      if (until <= view.first) continue;
      const changes = Number(remove.run(view.topic, view.partition, until).changes);
      deleted += changes;
      left = Math.max(0, left - changes);
    }
    const kept = keptOf(db, views);
    db.exec('COMMIT');
    return { deleted, kept, more };
  } catch (error) {
    if (db.isTransaction) db.exec('ROLLBACK');
    throw error;
  }
}
