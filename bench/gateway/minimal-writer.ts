/**
 * The minimal receiver's writer thread (target.ts `minimal`): one table, one transaction per batch in WAL
 * mode with synchronous=FULL, the answer posted only after COMMIT returned (the WAL is fsync'd). The
 * protocol of src/runtime/batch-worker.ts: `{ id, values }` in, `{ id }` or `{ id, error }` out.
 */
import { DatabaseSync } from 'node:sqlite';
import { parentPort, workerData } from 'node:worker_threads';

export interface MinimalBatch {
  readonly id: number;
  readonly values: readonly Uint8Array[];
}

const db = new DatabaseSync((workerData as { path: string }).path);
db.exec('PRAGMA journal_mode = WAL');
db.exec('PRAGMA synchronous = FULL');
db.exec('CREATE TABLE IF NOT EXISTS raw (id INTEGER PRIMARY KEY, value BLOB NOT NULL) STRICT');
const insert = db.prepare('INSERT INTO raw (value) VALUES (?)');

parentPort?.on('message', ({ id, values }: MinimalBatch) => {
  try {
    db.exec('BEGIN IMMEDIATE');
    for (const value of values) insert.run(value);
    db.exec('COMMIT');
    parentPort?.postMessage({ id });
  } catch (error) {
    if (db.isTransaction) db.exec('ROLLBACK');
    parentPort?.postMessage({ id, error: { message: (error as Error).message } });
  }
});
