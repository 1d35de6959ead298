/**
 * The in-process runner on a worker thread. In the one-process pipeline the main thread also runs the
 * gateway and the normalizer, and every workflow (store reads, scoring, the store's group commits) took
 * CPU from the requests waiting there. This runner starts `createRunner` on its own thread, with its own
 * store connection and in-process inference (thread-runner-worker.ts); the orchestrator's consumer stays
 * on the main thread and hands it records, which the thread parses and validates (record-workflows.ts).
 * A workflow resolves here only once it resolved there, so "stored" still means committed, and offsets
 * are committed after that, as before.
 *
 * Requests made in one turn of the event loop cross as one message, their records' bytes in one
 * transferred buffer (record-batch.ts), and the replies of one turn on the thread come back as one
 * message: a message per event each way, each carrying an event object to clone, cost both threads more
 * than anything else the hand-over did (each message is also a wake-up of the other thread).
 */
import { Worker } from 'node:worker_threads';
import { ERRORS, type ErrorCode, PaypipeError } from '../contracts/errors.ts';
import { startRestartingThread } from '../runtime/restarting-thread.ts';
import { type PackedRecord, packRecords } from './record-batch.ts';
import type { WorkflowDone, WorkflowRecord, WorkflowStarter } from './record-workflows.ts';

export interface ThreadRunner extends WorkflowStarter {
  /** Resolves once no workflow is running or waiting on the thread. */
  drain(): Promise<void>;
  /**
   * Drains, closes the thread's store, and ends the thread. Idempotent. A workflow still retrying an
   * activity (the store down, say) after the grace period is cut off: its event's batch is uncommitted,
   * so it runs again after a restart, and workflows are idempotent.
   */
  close(): Promise<void>;
}

export interface ThreadRunnerOptions {
  /** The store's `DATABASE_URL`; the thread opens its own connection. */
  readonly databaseUrl: string;
  /** The variable that named it, for the error when it cannot open (default DATABASE_URL). */
  readonly databaseSetting?: string;
  /** Workflows running at once on the thread. */
  readonly concurrency: number;
  /** The inference service to score with (`INFERENCE_URL`); absent or null scores on the thread. */
  readonly inferenceUrl?: string | null;
  /** The level of the thread's own log lines (failed activity attempts being retried); default info. */
  readonly logLevel?: string;
  /** The thread's body (default thread-runner-worker.ts; the tests give one that can be told to die). */
  readonly script?: URL;
  /** How long `close` waits for running workflows (default 1 s). */
  readonly closeGraceMs?: number;
}

/**
 * `paypipe up` closes the runner after the orchestrator's stop has given the workflows in hand their 5 s
 * (topic-consumer.ts): what still runs then is retrying an activity (the store or the inference service down)
 * and is given up, its events uncommitted in the log. The grace only lets a store write under way finish; a
 * longer one made a stop take 15 s where the README promises 5.
 */
const CLOSE_GRACE_MS = 1_000;

/** A request to the thread. */
export type RunnerRequest<R = PackedRecord> =
  | { readonly id: number; readonly kind: 'record'; readonly record: R }
  | { readonly id: number; readonly kind: 'drain' | 'close' };
/** Main → thread: the requests of one turn, and their records' bytes. */
export interface RunnerMessage {
  readonly requests: readonly RunnerRequest[];
  readonly bytes: Uint8Array<ArrayBuffer>;
}
/** Thread → main, as an array: the replies of one turn. `id` -1 is the thread's start-up (its store opened, or why not). */
export type RunnerReply =
  | { readonly id: number; readonly value: unknown }
  | {
      readonly id: number;
      readonly error: { readonly name: string; readonly message: string; readonly code?: string };
    };

/** An error from the thread as an Error here: paypipe errors keep their class and code. */
function revive(error: { readonly name: string; readonly message: string; readonly code?: string }): Error {
  if (error.code !== undefined && error.code in ERRORS) return new PaypipeError(error.code as ErrorCode, error.message);
  return Object.assign(new Error(error.message), { name: error.name, code: error.code });
}

/**
 * Starts the thread; resolves once its store is open, rejects with the store's error if it cannot open.
 * Should the thread die later, the workflows it held fail (the orchestrator runs them again, they are
 * idempotent) and the next request starts a new thread, which opens the store again (restarting-thread.ts).
 */
export async function createThreadRunner(options: ThreadRunnerOptions): Promise<ThreadRunner> {
  const { script = new URL('./thread-runner-worker.ts', import.meta.url), ...workerData } = options;
  let nextId = 0;
  let closing: Promise<void> | undefined;
  const thread = startRestartingThread<{ resolve: (value: unknown) => void; reject: (error: Error) => void }>({
    start() {
      const worker = new Worker(script, {
        workerData,
        name: 'runner', // the thread's name in `top -H` and /proc (the pipeline benchmark's CPU per thread)
      });
      worker.on('message', (replies: readonly RunnerReply[]) => {
        for (const reply of replies) {
          // The thread's first reply (id -1, unasked) says whether its store opened.
          if (reply.id === -1 && 'error' in reply) {
            thread.fail(worker, revive(reply.error));
            return;
          }
          const entry = thread.pending.get(reply.id);
          thread.pending.delete(reply.id);
          if ('error' in reply) entry?.reject(revive(reply.error));
          else entry?.resolve(reply.value);
        }
        // Idle, the thread must not keep the process alive; with a workflow in flight it must.
        if (thread.pending.size === 0) worker.unref();
      });
      return worker;
    },
    exited: (code) => new Error(`the runner thread exited (${code})`),
  });
  const opened = new Promise((resolve, reject) => thread.pending.set(-1, { resolve, reject }));

  // Requests of this turn, sent on the next setImmediate (scheduled by the first of them).
  let outbox: RunnerRequest<WorkflowRecord>[] = [];
  function send(): void {
    // Those asked of a thread that died since were rejected with its end: they are not sent on.
    const requests = outbox.filter((item) => thread.pending.has(item.id));
    outbox = [];
    if (requests.length === 0) return;
    const { packed, bytes } = packRecords(requests.flatMap((item) => (item.kind === 'record' ? [item.record] : [])));
    let next = 0;
    const message: RunnerMessage = {
      requests: requests.map((item) =>
        item.kind === 'record' ? { ...item, record: packed[next++] as PackedRecord } : item,
      ),
      bytes,
    };
    thread.current().postMessage(message, [bytes.buffer]);
  }

  function request(item: RunnerRequest<WorkflowRecord>): Promise<unknown> {
    let worker: Worker;
    try {
      worker = thread.current();
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise((resolve, reject) => {
      thread.pending.set(item.id, { resolve, reject });
      worker.ref();
      if (outbox.length === 0) setImmediate(send);
      outbox.push(item);
    });
  }

  await opened;

  return {
    record: (record) => request({ id: nextId++, kind: 'record', record }) as Promise<WorkflowDone>,
    drain: async () => void (await request({ id: nextId++, kind: 'drain' })),
    close() {
      closing ??= (async () => {
        let grace: NodeJS.Timeout | undefined;
        const graceOver = new Promise((resolve) => {
          grace = setTimeout(resolve, options.closeGraceMs ?? CLOSE_GRACE_MS);
        });
        // A thread that died is not started again only to be closed.
        if (thread.running()) await Promise.race([request({ id: nextId++, kind: 'close' }).catch(() => {}), graceOver]);
        clearTimeout(grace);
        await thread.close(new Error('the runner is closed'));
      })();
      return closing;
    },
  };
}
