/**
 * The runner thread's body (started by thread-runner.ts): opens its own store connection, builds the same
 * activities, inference and runner as the main thread would, and answers one reply per request.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createHttpInference } from '../inference/http.ts';
import { createInProcessInference } from '../inference/in-process.ts';
import { createLogger } from '../runtime/logger.ts';
import { createStore } from '../storage/create-store.ts';
import type { PaymentStore } from '../storage/port.ts';
import { createActivities } from './activities/index.ts';
import { unpackRecord } from './record-batch.ts';
import { runRecordWorkflow } from './record-workflows.ts';
import { createRetryLog } from './retry-log.ts';
import { createRunner, type Runner } from './runner.ts';
import type { RunnerMessage, RunnerReply, RunnerRequest, ThreadRunnerOptions } from './thread-runner.ts';

const options = workerData as ThreadRunnerOptions;
const port = parentPort;

function failure(id: number, error: unknown): RunnerReply {
  const { name, message, code } = error as { name?: unknown; message?: unknown; code?: unknown };
  const base = { name: String(name ?? 'Error'), message: String(message ?? error) };
  return { id, error: typeof code === 'string' ? { ...base, code } : base };
}

async function answer(store: PaymentStore, runner: Runner, request: RunnerRequest, bytes: Uint8Array) {
  switch (request.kind) {
    case 'record':
      return runRecordWorkflow(runner, unpackRecord(request.record, bytes));
    case 'drain':
      return runner.drain();
    case 'close':
      await runner.drain();
      return store.close();
  }
}

async function start(): Promise<void> {
  if (!port) return;
  let store: PaymentStore;
  try {
    store = await createStore(options.databaseUrl, options.databaseSetting);
  } catch (error) {
    port.postMessage([failure(-1, error)]);
    return;
  }
  // INFERENCE_URL set: the inference service scores (DESIGN.md §2); unset: this thread does.
  const inference = options.inferenceUrl
    ? createHttpInference({ url: options.inferenceUrl })
    : createInProcessInference({ history: store });
  const activities = createActivities({ store, inference, clock: { now: () => new Date() } });
  const runner = createRunner({
    activities,
    concurrency: options.concurrency,
    onActivityRetry: createRetryLog(createLogger(options.logLevel ?? 'info')),
  });
  // The replies of one turn go back as one message (thread-runner.ts says why).
  let replies: RunnerReply[] = [];
  const send = (): void => {
    const batch = replies;
    replies = [];
    port.postMessage(batch);
  };
  const reply = (message: RunnerReply): void => {
    if (replies.length === 0) setImmediate(send);
    replies.push(message);
  };
  port.on('message', ({ requests, bytes }: RunnerMessage) => {
    for (const request of requests) {
      answer(store, runner, request, bytes).then(
        (value) => reply({ id: request.id, value }),
        (error: unknown) => reply(failure(request.id, error)),
      );
    }
  });
  reply({ id: -1, value: null });
}

await start();
