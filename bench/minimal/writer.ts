/**
 * The writer thread of the minimal receivers (bench/minimal/): one transaction per batch on a SQLite file in
 * WAL mode with synchronous=FULL, the answer posted only once COMMIT has returned (the WAL is fsync'd).
 * Told its file, its tables and its one INSERT at start; then the protocol of src/runtime/batch-worker.ts:
 * `{ id, rows }` in (each row the INSERT's parameters), `{ id }` or `{ id, error }` out.
 */
import { DatabaseSync, type SQLInputValue } from 'node:sqlite';
import { parentPort, workerData } from 'node:worker_threads';

export interface WriterInit {
  readonly path: string;
  /** Run once at start: the tables. */
  readonly schema: string;
  /** The statement each row is written with. */
  readonly insert: string;
}

export interface WriterBatch {
  readonly id: number;
  readonly rows: readonly (readonly SQLInputValue[])[];
}

const init = workerData as WriterInit;
const db = new DatabaseSync(init.path);
db.exec('PRAGMA journal_mode = WAL');
db.exec('PRAGMA synchronous = FULL');
db.exec(init.schema);
const insert = db.prepare(init.insert);

parentPort?.on('message', ({ id, rows }: WriterBatch) => {
  try {
    db.exec('BEGIN IMMEDIATE');
    for (const row of rows) insert.run(...row);
    db.exec('COMMIT');
    parentPort?.postMessage({ id });
  } catch (error) {
    if (db.isTransaction) db.exec('ROLLBACK');
    parentPort?.postMessage({ id, error: { message: (error as Error).message } });
  }
});
