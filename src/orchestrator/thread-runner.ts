/**
 * The in-process runner on a worker thread. In the one-process pipeline the main thread also runs the
 * gateway and the normalizer, and every workflow (store reads, scoring, the store's group commits) took
 * CPU from the requests waiting there. This runner starts `createRunner` on its own thread, with its own
 * store connection and in-process inference (thread-runner-worker.ts); the orchestrator's consumer stays
 * on the main thread and hands it events. A workflow resolves here only once it resolved there, so
 * "stored" still means committed, and offsets are committed after that, as before.
 */
import { Worker } from 'node:worker_threads';
import { ERRORS, type ErrorCode, PaypipeError } from '../contracts/errors.ts';
import type { Runner } from './runner.ts';

/** What the topic consumer needs of a runner. */
export type WorkflowStarter = Pick<Runner, 'paymentEvent' | 'dlqReview'>;

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
  /** Workflows running at once on the thread. */
  readonly concurrency: number;
  /** The inference service to score with (`INFERENCE_URL`); absent or null scores on the thread. */
  readonly inferenceUrl?: string | null;
  /** How long `close` waits for running workflows (default 10 s). */
  readonly closeGraceMs?: number;
}

const CLOSE_GRACE_MS = 10_000;

/** Main → thread. */
export type RunnerRequest =
  | { readonly id: number; readonly kind: 'paymentEvent' | 'dlqReview'; readonly input: unknown }
  | { readonly id: number; readonly kind: 'drain' | 'close' };
/** Thread → main: `id` -1 is the thread's start-up (its store opened, or why not). */
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

/** Starts the thread; resolves once its store is open, rejects with the store's error if it cannot open. */
export async function createThreadRunner(options: ThreadRunnerOptions): Promise<ThreadRunner> {
  const worker = new Worker(new URL('./thread-runner-worker.ts', import.meta.url), {
    workerData: options,
    name: 'runner', // the thread's name in `top -H` and /proc (the pipeline benchmark's CPU per thread)
  });
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 0;
  let dead: Error | null = null;
  let closing: Promise<void> | undefined;

  const failAll = (error: Error): void => {
    dead ??= error;
    for (const entry of pending.values()) entry.reject(dead);
    pending.clear();
  };
  worker.on('message', (reply: RunnerReply) => {
    const entry = pending.get(reply.id);
    pending.delete(reply.id);
    // Idle, the thread must not keep the process alive; with a workflow in flight it must.
    if (pending.size === 0) worker.unref();
    if ('error' in reply) entry?.reject(revive(reply.error));
    else entry?.resolve(reply.value);
  });
  worker.on('error', (error) => failAll(error));
  worker.on('exit', (code) => failAll(new Error(`the runner thread exited (${code})`)));

  function request(kind: RunnerRequest['kind'], input?: unknown): Promise<unknown> {
    if (dead) return Promise.reject(dead);
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      worker.ref();
      worker.postMessage(kind === 'drain' || kind === 'close' ? { id, kind } : { id, kind, input });
    });
  }

  // The thread's first reply (id -1, unasked) says whether its store opened.
  await new Promise((resolve, reject) => pending.set(-1, { resolve, reject })).catch(async (error: unknown) => {
    await worker.terminate();
    throw error;
  });

  return {
    paymentEvent: (event) => request('paymentEvent', event) as ReturnType<Runner['paymentEvent']>,
    dlqReview: (letter) => request('dlqReview', letter) as ReturnType<Runner['dlqReview']>,
    drain: async () => void (await request('drain')),
    close() {
      closing ??= (async () => {
        let grace: NodeJS.Timeout | undefined;
        const graceOver = new Promise((resolve) => {
          grace = setTimeout(resolve, options.closeGraceMs ?? CLOSE_GRACE_MS);
        });
        await Promise.race([request('close'), graceOver]).finally(() => clearTimeout(grace));
        dead ??= new Error('the runner is closed');
        await worker.terminate();
      })();
      return closing;
    },
  };
}
