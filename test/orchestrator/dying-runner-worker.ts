/**
 * A runner thread for the tests, speaking thread-runner.ts's protocol: a record whose bytes are `die` ends
 * the thread; any other is "stored" and answered with the thread's id.
 */
import { parentPort, threadId } from 'node:worker_threads';
import type { RunnerMessage, RunnerReply } from '../../src/orchestrator/thread-runner.ts';

const port = parentPort;
port?.on('message', ({ requests, bytes }: RunnerMessage) => {
  const replies: RunnerReply[] = [];
  for (const request of requests) {
    if (request.kind !== 'record') {
      replies.push({ id: request.id, value: null });
      continue;
    }
    const text = Buffer.from(bytes.subarray(request.record.start, request.record.end)).toString();
    if (text === 'die') process.exit(9);
    replies.push({ id: request.id, value: { workflow: 'PaymentEventWorkflow', id: text, thread: threadId } });
  }
  port.postMessage(replies);
});
port?.postMessage([{ id: -1, value: null }]);
