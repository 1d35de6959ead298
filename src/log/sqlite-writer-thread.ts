/**
 * The writer thread. `node:sqlite` is synchronous, so a COMMIT on the main thread blocks the event loop for
 * the whole fsync (several milliseconds here), and the gateway can neither accept nor answer requests
 * meanwhile. This backend writes on a worker thread with its own connection to the same file; the main
 * thread keeps reading through its own (WAL lets readers and the writer proceed together). Batches are
 * written one at a time, in order, so offsets and the durability promise are exactly those of the
 * in-thread writer: an append resolves only after the worker's COMMIT has returned.
 *
 * One message per batch each way. The reply carries the records' positions as two typed arrays (partition,
 * offset) in op and record order, not as objects: cloning an object with a BigInt per record, and reading
 * it back, cost the main thread more than building the positions from the arrays.
 */
import { PaypipeError } from '../contracts/errors.ts';
import { startBatchWorker } from '../runtime/batch-worker.ts';
import type { WriteOp, WriteResult } from './sqlite-write.ts';
import type { WriteBackend } from './sqlite-writer.ts';

/** What the worker is told: the file to open, then one message per batch. */
export interface WorkerInit {
  readonly path: string;
  readonly busyTimeoutMs: number;
}
export interface BatchMessage {
  readonly id: number;
  readonly ops: readonly WriteOp[];
  readonly timestamp: number;
}
export type BatchReply =
  | { readonly id: number; readonly positions: PackedPositions; readonly durationMs: number }
  | { readonly id: number; readonly error: { readonly message: string; readonly code?: string } };

/** Every appended record's position, in op and record order (commit ops have none). */
export interface PackedPositions {
  readonly partitions: Int32Array<ArrayBuffer>;
  readonly offsets: BigInt64Array<ArrayBuffer>;
}

/** The worker's side: a batch's results as typed arrays. */
export function packPositions(results: readonly WriteResult[]): PackedPositions {
  let count = 0;
  for (const result of results) count += result?.length ?? 0;
  const partitions = new Int32Array(count);
  const offsets = new BigInt64Array(count);
  let at = 0;
  for (const result of results) {
    for (const position of result ?? []) {
      partitions[at] = position.partition;
      offsets[at] = position.offset;
      at += 1;
    }
  }
  return { partitions, offsets };
}

/** The main thread's side: each op's result again, from the ops sent and the arrays received. */
export function unpackPositions(ops: readonly WriteOp[], packed: PackedPositions): WriteResult[] {
  let at = 0;
  return ops.map((op) => {
    if (op.kind === 'commit') return undefined;
    return op.records.map(() => {
      const position = {
        topic: op.topic,
        partition: packed.partitions[at] as number,
        offset: packed.offsets[at] as bigint,
      };
      at += 1;
      return position;
    });
  });
}

export function createThreadBackend(init: WorkerInit): WriteBackend {
  const worker = startBatchWorker<Omit<BatchMessage, 'id'>, { positions: PackedPositions; durationMs: number }>(
    new URL('./sqlite-writer-worker.ts', import.meta.url),
    init,
    (code) => new PaypipeError('PAYPIPE_ERR_LOG_UNAVAILABLE', `writer thread exited (${code})`),
  );
  return {
    async write(ops, timestamp) {
      const reply = await worker.send({ ops, timestamp });
      return { results: unpackPositions(ops, reply.positions), durationMs: reply.durationMs };
    },
    close: () => worker.close(new PaypipeError('PAYPIPE_ERR_LOG_UNAVAILABLE', 'the event log is closed')),
  };
}
