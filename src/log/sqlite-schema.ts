/**
 * The SQLite log's file: WAL journal with synchronous=FULL, so a COMMIT returns only once the WAL is fsync'd
 * (https://www.sqlite.org/pragma.html#pragma_synchronous). One row per record; `partitions` holds each
 * partition's next offset, `commits` each group's next offset to read (Kafka's committed-offset meaning).
 */
import { dirname } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { makeDirectory } from '../runtime/make-directory.ts';

const DDL = `
CREATE TABLE IF NOT EXISTS topics (topic TEXT PRIMARY KEY, partitions INTEGER NOT NULL) STRICT;
CREATE TABLE IF NOT EXISTS partitions (
  topic TEXT NOT NULL, partition INTEGER NOT NULL, next_offset INTEGER NOT NULL,
  PRIMARY KEY (topic, partition)) STRICT, WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS records (
  topic TEXT NOT NULL, partition INTEGER NOT NULL, "offset" INTEGER NOT NULL,
  key TEXT NOT NULL, value BLOB NOT NULL, headers TEXT, timestamp INTEGER NOT NULL,
  PRIMARY KEY (topic, partition, "offset")) STRICT;
CREATE TABLE IF NOT EXISTS commits (
  grp TEXT NOT NULL, topic TEXT NOT NULL, partition INTEGER NOT NULL, next_offset INTEGER NOT NULL,
  PRIMARY KEY (grp, topic, partition)) STRICT, WITHOUT ROWID;
`;

/** Opens (creating if needed) the log file. Throws what node:sqlite throws; the caller maps it. */
export function openDatabase(path: string, busyTimeoutMs: number): DatabaseSync {
  if (path !== ':memory:') makeDirectory(dirname(path));
  // A second process holding the write lock is waited for, briefly, rather than failing at once.
  const db = new DatabaseSync(path, { timeout: busyTimeoutMs });
  db.exec('PRAGMA journal_mode = WAL');
  db.exec('PRAGMA synchronous = FULL');
  // A checkpoint runs inside the commit that crosses this many WAL pages, and every append waits for it.
  // SQLite's default of 1,000 (~4 MB) rather than 10,000: more, shorter stalls halved the gateway's p99 at
  // saturation and cut it by about a quarter at a fixed rate, for the same throughput (bench/README.md).
  db.exec('PRAGMA wal_autocheckpoint = 1000');
  db.exec(DDL);
  return db;
}

export type Statements = ReturnType<typeof prepareStatements>;

export function prepareStatements(db: DatabaseSync) {
  const s = (sql: string): StatementSync => db.prepare(sql);
  return {
    topic: s('SELECT partitions FROM topics WHERE topic = ?'),
    createTopic: s('INSERT OR IGNORE INTO topics (topic, partitions) VALUES (?, ?)'),
    nextOffset: s('SELECT next_offset FROM partitions WHERE topic = ? AND partition = ?'),
    setNextOffset: s(
      `INSERT INTO partitions (topic, partition, next_offset) VALUES (?, ?, ?)
       ON CONFLICT (topic, partition) DO UPDATE SET next_offset = excluded.next_offset`,
    ),
    insert: s(
      'INSERT INTO records (topic, partition, "offset", key, value, headers, timestamp) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    ends: s('SELECT partition, next_offset FROM partitions WHERE topic = ?'),
    allEnds: s('SELECT topic, partition, next_offset FROM partitions'),
    fetch: s(
      `SELECT "offset", key, value, headers, timestamp FROM records
       WHERE topic = ? AND partition = ? AND "offset" >= ? ORDER BY "offset" LIMIT ?`,
    ),
    committed: s('SELECT next_offset FROM commits WHERE grp = ? AND topic = ? AND partition = ?'),
    joinGroup: s('INSERT OR IGNORE INTO commits (grp, topic, partition, next_offset) VALUES (?, ?, ?, 0)'),
    commit: s(
      `INSERT INTO commits (grp, topic, partition, next_offset) VALUES (?, ?, ?, ?)
       ON CONFLICT (grp, topic, partition) DO UPDATE SET next_offset = max(next_offset, excluded.next_offset)`,
    ),
  };
}
