/**
 * The store's writer thread body (started by sqlite-writer-thread.ts): its own connection to the store
 * file, one transaction per batch message, the reply sent only after COMMIT returned (the WAL is fsync'd).
 */
import type { DatabaseSync } from 'node:sqlite';
import { parentPort, workerData } from 'node:worker_threads';
import { openStoreDatabase } from './sqlite-open.ts';
import { prepareWrites, type WriteStatements, writeBatch } from './sqlite-write.ts';
import type { StoreBatchMessage, StoreBatchReply } from './sqlite-writer-thread.ts';

const { path } = workerData as { readonly path: string };
const port = parentPort;
let opened: { readonly db: DatabaseSync; readonly statements: WriteStatements } | undefined;
let openError: Error | undefined;
try {
  const db = openStoreDatabase(path, { migrate: false });
  opened = { db, statements: prepareWrites(db) };
} catch (error) {
  // Every batch is then refused with this cause: the store is unavailable, the process is not crashed.
  openError = error as Error;
}

port?.on('message', ({ id, ops }: StoreBatchMessage) => {
  let reply: StoreBatchReply;
  try {
    if (!opened) throw openError ?? new Error('the store file is not open');
    reply = { id, results: writeBatch(opened.db, opened.statements, ops) };
  } catch (error) {
    const { message, code } = error as { message: string; code?: string };
    reply = { id, error: code === undefined ? { message } : { message, code } };
  }
  port.postMessage(reply);
});
