/**
 * What the minimal receivers (the yardsticks the goals were set against) share: a `node:http`
 * server that reads each body whole, and rows group-committed on a writer thread (writer.ts) with the same
 * batching as paypipe's log and store (src/runtime/group-commit.ts), each request answered after its COMMIT.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { SQLInputValue } from 'node:sqlite';
import { startBatchWorker } from '../../src/runtime/batch-worker.ts';
import { createGroupCommit } from '../../src/runtime/group-commit.ts';
import { CPU_PATH, readThreadCpu } from '../gateway/cpu.ts';
import type { WriterBatch, WriterInit } from './writer.ts';

export type Handler = (body: Buffer, request: IncomingMessage, response: ServerResponse) => void;

export interface Listening {
  readonly port: number;
  close(): Promise<void>;
}

/** A `node:http` server on a free port that hands each whole body to `handle`; `GET /bench/cpu` besides. */
export async function listen(handle: Handler): Promise<Listening> {
  const server = createServer((request, response) => {
    if (request.url === CPU_PATH) {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(readThreadCpu()));
      return;
    }
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => handle(Buffer.concat(chunks), request, response));
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { port, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

export interface Committer {
  /** Queues rows for the next group commit; `settle` hears the outcome once it is durable (or failed). */
  write(rows: readonly (readonly SQLInputValue[])[], settle: (error?: Error) => void): void;
  /** Writes what is queued and ends the thread. Stop taking requests first. */
  close(): Promise<void>;
}

/** Rows written by `init.insert`, group-committed on a writer thread named `minimal`. */
export function startCommitter(init: WriterInit): Committer {
  const writer = startBatchWorker<Omit<WriterBatch, 'id'>, object>(
    new URL('./writer.ts', import.meta.url),
    init,
    (code) => new Error(`the writer thread exited (${code})`),
  );
  const batches = createGroupCommit<{ rows: readonly (readonly SQLInputValue[])[]; settle: (error?: Error) => void }>(
    async (jobs) => {
      const outcome = await writer.send({ rows: jobs.flatMap((job) => job.rows) }).then(
        () => undefined,
        (error: Error) => error,
      );
      for (const job of jobs) job.settle(outcome);
    },
    () => writer.close(new Error('closed')),
  );
  return {
    write(rows, settle) {
      // Never refused: a receiver stops its server, and so every request, before it closes the committer.
      batches.enqueue({ rows, settle });
    },
    close: () => batches.close(),
  };
}
