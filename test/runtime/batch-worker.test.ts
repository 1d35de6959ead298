/** The writer threads' shared half: a thread that dies fails what it held, and the next batch gets a new one. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startBatchWorker } from '../../src/runtime/batch-worker.ts';

type Message = { value?: string; die?: boolean };
type Result = { echoed?: string; thread: number };

const script = new URL('./echo-worker.ts', import.meta.url);
const exited = (code: number) => new Error(`the test thread exited (${code})`);

test('a thread that dies fails the batch it held; the next batch starts a new thread', async (t) => {
  const worker = startBatchWorker<Message, Result>(script, null, exited, { restartAfterMs: 0 });
  t.after(() => worker.close(new Error('closed')));
  const first = await worker.send({ value: 'a' });
  assert.equal(first.echoed, 'a');
  await assert.rejects(worker.send({ die: true }), /the test thread exited \(7\)/);
  const again = await worker.send({ value: 'b' });
  assert.equal(again.echoed, 'b');
  assert.notEqual(again.thread, first.thread, 'answered by a new thread');
});

test('a thread is started again at most once per restartAfterMs; batches meanwhile get the exit error', async (t) => {
  const worker = startBatchWorker<Message, Result>(script, null, exited, { restartAfterMs: 300 });
  t.after(() => worker.close(new Error('closed')));
  await assert.rejects(worker.send({ die: true }), /exited \(7\)/);
  await assert.rejects(worker.send({ value: 'too soon' }), /exited \(7\)/);
  await new Promise((resolve) => setTimeout(resolve, 350));
  assert.equal((await worker.send({ value: 'later' })).echoed, 'later');
});

test('after close, batches are refused with its reason and no thread is started', async () => {
  const worker = startBatchWorker<Message, Result>(script, null, exited, { restartAfterMs: 0 });
  assert.equal((await worker.send({ value: 'x' })).echoed, 'x');
  await worker.close(new Error('the store is closed'));
  await assert.rejects(worker.send({ value: 'y' }), /the store is closed/);
});
