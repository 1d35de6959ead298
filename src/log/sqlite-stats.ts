/**
 * `paypipe status` figures from the SQLite log: records kept and appended per topic, lag per group, and of
 * the lag what is older than the retention (`kept`, sqlite-retention.ts); the file's size and free space.
 */
import type { DatabaseSync } from 'node:sqlite';
import type { GroupLag, LogStats, TopicStats } from './port.ts';
import type { KeptPastRetention } from './sqlite-retention.ts';

export function readStats(db: DatabaseSync, kept: readonly KeptPastRetention[]): LogStats {
  const firsts = new Map<string, { first: number; count: number }>();
  for (const row of db
    .prepare(
      'SELECT topic, partition, min("offset") AS first, count(*) AS count FROM records GROUP BY topic, partition',
    )
    .all()) {
    firsts.set(`${row.topic}\u0000${row.partition}`, { first: row.first as number, count: row.count as number });
  }
  const ends = readEnds(db);
  const topics: TopicStats[] = db
    .prepare('SELECT topic, partitions FROM topics ORDER BY topic')
    .all()
    .map((row) => {
      const topic = row.topic as string;
      const partitions = row.partitions as number;
      let records = 0;
      let appended = 0;
      for (let partition = 0; partition < partitions; partition += 1) {
        records += firsts.get(`${topic}\u0000${partition}`)?.count ?? 0;
        appended += ends.get(`${topic}\u0000${partition}`) ?? 0;
      }
      return { topic, partitions, records, appended };
    });
  const lags = lagsOf(db, ends, (id) => firsts.get(id)?.first);
  const past = new Map(kept.map((item) => [`${item.group}\u0000${item.topic}`, item.records]));
  const groups = lags.map((lag) => ({ ...lag, pastRetention: past.get(`${lag.group}\u0000${lag.topic}`) ?? 0 }));
  return { topics, groups, file: fileSize(db) };
}

/**
 * Each group's lag per topic, as `readStats` gives it, from the small tables and one lookup of each
 * partition's first record on the primary key: no record is counted, so a scrape costs no scan of the file.
 */
export function readLags(db: DatabaseSync): GroupLag[] {
  const first = db.prepare('SELECT min("offset") AS first FROM records WHERE topic = ? AND partition = ?');
  return lagsOf(db, readEnds(db), (id) => {
    const [topic, partition] = id.split('\u0000');
    return (first.get(topic ?? '', Number(partition))?.first as number | null | undefined) ?? undefined;
  });
}

/** Each partition's next offset, keyed by topic and partition. */
function readEnds(db: DatabaseSync): Map<string, number> {
  const ends = new Map<string, number>();
  for (const row of db.prepare('SELECT topic, partition, next_offset FROM partitions').all()) {
    ends.set(`${row.topic}\u0000${row.partition}`, row.next_offset as number);
  }
  return ends;
}

/** What each group has not committed of what the log keeps (from `first` on, in each partition). */
function lagsOf(
  db: DatabaseSync,
  ends: ReadonlyMap<string, number>,
  first: (id: string) => number | undefined,
): GroupLag[] {
  const lags = new Map<string, GroupLag>();
  for (const row of db.prepare('SELECT grp, topic, partition, next_offset FROM commits ORDER BY grp, topic').all()) {
    const id = `${row.topic}\u0000${row.partition}`;
    const end = ends.get(id) ?? 0;
    // Records removed by retention before the group read them are gone, not lag.
    const start = Math.max(row.next_offset as number, first(id) ?? end);
    const key = `${row.grp}\u0000${row.topic}`;
    const lag = (lags.get(key)?.lag ?? 0) + Math.max(0, end - start);
    lags.set(key, { group: row.grp as string, topic: row.topic as string, lag });
  }
  return [...lags.values()];
}

function fileSize(db: DatabaseSync): { bytes: number; freeBytes: number } {
  const pragma = (name: string) => Number(Object.values(db.prepare(`PRAGMA ${name}`).get() ?? {})[0]);
  const pageSize = pragma('page_size');
  return { bytes: pragma('page_count') * pageSize, freeBytes: pragma('freelist_count') * pageSize };
}
