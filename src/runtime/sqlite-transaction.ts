/**
 * One write transaction on a SQLite connection, as the log's and the store's group commits both run
 * theirs: `BEGIN IMMEDIATE` (the write lock is taken up front, so reads inside it see no other writer),
 * the work, `COMMIT`; on any error a rollback, and the original error rethrown.
 */
import type { DatabaseSync } from 'node:sqlite';

export function immediateTransaction<T>(db: DatabaseSync, work: () => T): T {
  db.exec('BEGIN IMMEDIATE');
  try {
    const result = work();
    db.exec('COMMIT');
    return result;
  } catch (error) {
    try {
      if (db.isTransaction) db.exec('ROLLBACK');
    } catch {
      // The original error says more than a failed rollback; SQLite rolls back on its own when it must.
    }
    throw error;
  }
}
