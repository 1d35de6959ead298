/** A batch worker for the tests: answers `{ id, echoed, thread }`, or ends its thread when told to `die`. */
import { parentPort, threadId } from 'node:worker_threads';

parentPort?.on('message', ({ id, value, die }: { id: number; value?: string; die?: boolean }) => {
  if (die) process.exit(7);
  parentPort?.postMessage({ id, echoed: value, thread: threadId });
});
