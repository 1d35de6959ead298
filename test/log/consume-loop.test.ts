import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isPaypipeError, PaypipeError } from '../../src/contracts/errors.ts';
import { runConsumeLoop } from '../../src/log/consume-loop.ts';
import type { LogRecord } from '../../src/log/port.ts';
import { createSqliteEventLog } from '../../src/log/sqlite.ts';

async function setup(t: { after(fn: () => Promise<void>): void }) {
  const log = createSqliteEventLog(':memory:', { partitions: 2 });
  t.after(() => log.close());
  await log.append(
    't',
    ['a', 'b', 'c'].map((value) => ({ key: value, value: Buffer.from(value) })),
  );
  const lag = async () => (await log.stats()).groups.find((group) => group.group === 'g')?.lag;
  return { log, lag };
}

test('a batch is committed only after its handler resolved', async (t) => {
  const { log, lag } = await setup(t);
  const handled: string[] = [];
  let lagWhileHandling: number | undefined;
  const loop = runConsumeLoop(log.consumer({ group: 'g', topics: ['t'] }), async (batch) => {
    lagWhileHandling ??= await lag();
    handled.push(...batch.map((record) => record.value.toString()));
  });
  while (handled.length < 3) await new Promise((resolve) => setTimeout(resolve, 5));
  await loop.stop();
  assert.deepEqual(handled.sort(), ['a', 'b', 'c']);
  assert.ok((lagWhileHandling ?? 0) > 0);
  assert.equal(await lag(), 0);
});

test('a failing handler stops the loop with its error and commits nothing', async (t) => {
  const { log, lag } = await setup(t);
  const loop = runConsumeLoop(log.consumer({ group: 'g', topics: ['t'] }), async (_batch: readonly LogRecord[]) => {
    throw new Error('store down');
  });
  await assert.rejects(loop.done, /store down/);
  assert.equal(await lag(), 3);
});

test('with batches in flight, the next batch is handled before the previous ends, and commits keep batch order', async (t) => {
  const log = createSqliteEventLog(':memory:', { partitions: 1 });
  t.after(() => log.close());
  const lag = async () => (await log.stats()).groups.find((group) => group.group === 'g')?.lag;
  let releaseFirst: (() => void) | undefined;
  const handled: string[] = [];
  const loop = runConsumeLoop(
    log.consumer({ group: 'g', topics: ['t'] }),
    async (batch) => {
      const values = batch.map((record) => record.value.toString());
      if (values.includes('first')) await new Promise<void>((resolve) => (releaseFirst = resolve));
      handled.push(...values);
    },
    { inFlight: 2, maxWaitMs: 10 },
  );
  await log.append('t', [{ key: 'k', value: Buffer.from('first') }]);
  while (!releaseFirst) await new Promise((resolve) => setTimeout(resolve, 5));
  await log.append('t', [{ key: 'k', value: Buffer.from('second') }]);
  while (!handled.includes('second')) await new Promise((resolve) => setTimeout(resolve, 5));
  assert.equal(await lag(), 2, 'the second batch is handled but not committed before the first');
  releaseFirst();
  while ((await lag()) !== 0) await new Promise((resolve) => setTimeout(resolve, 5));
  await loop.stop();
  assert.deepEqual(handled, ['second', 'first']);
});

test('with batches in flight, a failing handler stops the loop and nothing after it is committed', async (t) => {
  const { log, lag } = await setup(t);
  const loop = runConsumeLoop(
    log.consumer({ group: 'g', topics: ['t'], maxRecords: 1 }),
    async (batch) => {
      if (batch[0]?.value.toString() === 'a') throw new Error('store down');
    },
    { inFlight: 3 },
  );
  await assert.rejects(loop.done, /store down/);
  const left = await lag();
  assert.ok(left !== undefined && left >= 1, `records from the failed batch on stay uncommitted (lag ${left})`);
});

test('a handler failure is what the loop reports, though an earlier batch in flight was given up on the abort', async (t) => {
  const { log } = await setup(t);
  let calls = 0;
  const loop = runConsumeLoop(
    log.consumer({ group: 'g', topics: ['t'], maxRecords: 1 }),
    async (_batch, signal) => {
      calls++;
      if (calls === 1) {
        await new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
      }
      throw new Error('log down');
    },
    { inFlight: 2 },
  );
  await assert.rejects(loop.done, /log down/);
});

test('the next batch is handled while the previous batch commit is still being written, and commits coalesce', async (t) => {
  const log = createSqliteEventLog(':memory:', { partitions: 1 });
  t.after(() => log.close());
  const consumer = log.consumer({ group: 'g', topics: ['t'] });
  // Commits wait for the test's release, as a slow fsync would.
  const commits: string[][] = [];
  const held: (() => void)[] = [];
  const slowCommits = {
    ...consumer,
    poll: consumer.poll,
    close: consumer.close,
    async commit(records: readonly LogRecord[]) {
      commits.push(records.map((record) => String(record.offset)));
      await new Promise<void>((resolve) => held.push(resolve));
      await consumer.commit(records);
    },
  };
  const handled: string[] = [];
  const loop = runConsumeLoop(slowCommits, async (batch) => {
    handled.push(...batch.map((record) => record.value.toString()));
  });
  const until = async (condition: () => boolean) => {
    const deadline = Date.now() + 5000;
    while (!condition()) {
      assert.ok(Date.now() < deadline, 'timed out');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };
  await log.append('t', [{ key: 'k', value: Buffer.from('first') }]);
  await until(() => commits.length === 1);
  await log.append('t', [{ key: 'k', value: Buffer.from('second') }]);
  await until(() => handled.includes('second'));
  await log.append('t', [{ key: 'k', value: Buffer.from('third') }]);
  await until(() => handled.includes('third'));
  assert.equal(commits.length, 1, 'one commit at a time');
  held.shift()?.();
  await until(() => commits.length === 2);
  assert.deepEqual(commits, [['0'], ['1', '2']], 'the batches handled meanwhile are committed by one commit');
  held.shift()?.();
  await loop.stop();
  const lag = (await log.stats()).groups.find((group) => group.group === 'g')?.lag;
  assert.equal(lag, 0);
});

/** A consumer whose `poll` and `commit` fail `failures` times each with the log's own unavailability. */
function flaky(consumer: ReturnType<ReturnType<typeof createSqliteEventLog>['consumer']>, failures: number) {
  const left = { poll: failures, commit: failures };
  const unavailable = () => new PaypipeError('PAYPIPE_ERR_LOG_UNAVAILABLE', 'the SQLite log could not write');
  return {
    ...consumer,
    async poll(options?: Parameters<typeof consumer.poll>[0]) {
      if (left.poll-- > 0) throw unavailable();
      return consumer.poll(options);
    },
    async commit(records: readonly LogRecord[]) {
      if (left.commit-- > 0) throw unavailable();
      return consumer.commit(records);
    },
  };
}

test('the log unavailable for a while (a full disk) is waited out: polls and commits are tried again', async (t) => {
  const { log, lag } = await setup(t);
  const retried: number[] = [];
  const handled: string[] = [];
  const loop = runConsumeLoop(
    flaky(log.consumer({ group: 'g', topics: ['t'] }), 3),
    async (batch) => {
      handled.push(...batch.map((record) => record.value.toString()));
    },
    { onLogUnavailable: (_error, attempt) => retried.push(attempt) },
  );
  const deadline = Date.now() + 10_000;
  while ((await lag()) !== 0) {
    assert.ok(Date.now() < deadline, `still uncommitted: ${await lag()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await loop.stop();
  assert.deepEqual(handled.sort(), ['a', 'b', 'c']);
  assert.deepEqual(retried, [1, 2, 3, 1, 2, 3], 'three failed polls, then three failed commits');
});

test('any other poll or commit failure still stops the loop with its error', async (t) => {
  const { log, lag } = await setup(t);
  const consumer = log.consumer({ group: 'g', topics: ['t'] });
  const loop = runConsumeLoop(
    {
      ...consumer,
      async commit() {
        throw new Error('a bug');
      },
    },
    async () => {},
  );
  await assert.rejects(loop.done, /a bug/);
  assert.equal(await lag(), 3);
});

test('a log closed under a running loop ends it with PAYPIPE_ERR_LOG_CLOSED instead of polling nothing for ever', async () => {
  const log = createSqliteEventLog(':memory:', { partitions: 1 });
  const consumer = log.consumer({ group: 'g', topics: ['t'] });
  // Counted, so that a loop spinning on the closed log (each poll answered at once) fails the test rather
  // than starving it of every timer.
  let polls = 0;
  const loop = runConsumeLoop(
    {
      ...consumer,
      async poll(options) {
        if (++polls > 1000) throw new Error('still polling a closed log');
        return consumer.poll(options);
      },
    },
    async () => {},
  );
  await log.close();
  await assert.rejects(loop.done, (error) => isPaypipeError(error, 'PAYPIPE_ERR_LOG_CLOSED'));
  assert.ok(polls <= 2, `${polls} polls`);
});
