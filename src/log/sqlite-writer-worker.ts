/**
 * The writer thread's body (started by sqlite-writer-thread.ts): its own connection to the log file, one
 * transaction per batch message, the reply sent only after COMMIT returned (the WAL is fsync'd).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase, prepareStatements } from './sqlite-schema.ts';
import { writeAll } from './sqlite-write.ts';
import { type BatchMessage, type BatchReply, packPositions, type WorkerInit } from './sqlite-writer-thread.ts';

const init = workerData as WorkerInit;
const port = parentPort;
let opened: { db: ReturnType<typeof openDatabase>; statements: ReturnType<typeof prepareStatements> } | undefined;
let openError: Error | undefined;
try {
  const db = openDatabase(init.path, init.busyTimeoutMs);
  opened = { db, statements: prepareStatements(db) };
} catch (error) {
  // Every batch is then refused with this cause: the log is unavailable, the process is not crashed.
  openError = error as Error;
}

port?.on('message', ({ id, ops, timestamp }: BatchMessage) => {
  let reply: BatchReply;
  try {
    if (!opened) throw openError ?? new Error('the log file is not open');
    const started = performance.now();
    const results = writeAll(opened.db, opened.statements, ops, timestamp);
    reply = { id, positions: packPositions(results), durationMs: performance.now() - started };
  } catch (error) {
    const { message, code } = error as { message: string; code?: string };
    reply = { id, error: code === undefined ? { message } : { message, code } };
  }
  // The arrays are this reply's alone: handed over, not copied.
  port.postMessage(
    reply,
    'positions' in reply ? [reply.positions.partitions.buffer, reply.positions.offsets.buffer] : [],
  );
});
