/** The writer thread: group commits run off the event loop, and an append resolves only once committed. */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { test } from 'node:test';
import { createSqliteEventLog } from '../../src/log/sqlite.ts';
import type { WriteOp } from '../../src/log/sqlite-write.ts';
import { packPositions, unpackPositions } from '../../src/log/sqlite-writer-thread.ts';

async function logFile(t: { after(fn: () => Promise<void>): void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'paypipe-log-thread-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return join(dir, 'log.db');
}

test('a resolved append is already committed: another connection reads it at once', async (t) => {
  const path = await logFile(t);
  const log = createSqliteEventLog(path);
  t.after(() => log.close());
  const [position] = await log.append('t', [{ key: 'k', value: Buffer.from('durable') }]);
  const other = new DatabaseSync(path, { readOnly: true });
  t.after(() => other.close());
  const row = other
    .prepare('SELECT value FROM records WHERE topic = ? AND partition = ? AND "offset" = ?')
    .get('t', position?.partition ?? -1, Number(position?.offset ?? -1));
  assert.equal(Buffer.from(row?.value as Uint8Array).toString(), 'durable');
});

test('the event loop keeps turning while a large group commit is written', async (t) => {
  const log = createSqliteEventLog(await logFile(t));
  t.after(() => log.close());
  const value = Buffer.alloc(10_000, 1);
  const records = Array.from({ length: 2000 }, (_, i) => ({ key: `k${i}`, value }));
  let turns = 0;
  let writing = true;
  const spin = (): void => {
    turns += 1;
    if (writing) setImmediate(spin);
  };
  setImmediate(spin);
  // 20 MB in one transaction: on the main thread the loop would stand still until COMMIT returned.
  const positions = await log.append('t', records);
  writing = false;
  assert.equal(positions.length, 2000);
  assert.ok(turns >= 10, `only ${turns} event-loop turns during the commit`);
});

test('appends after close are refused as unavailable, appends before it are kept', async (t) => {
  const path = await logFile(t);
  const log = createSqliteEventLog(path);
  const pending = log.append('t', [{ key: 'k', value: Buffer.from('before close') }]);
  await log.close();
  await pending;
  await assert.rejects(log.append('t', [{ key: 'k', value: Buffer.from('after') }]), {
    code: 'PAYPIPE_ERR_LOG_UNAVAILABLE',
  });
  const reopened = createSqliteEventLog(path);
  t.after(() => reopened.close());
  assert.equal((await reopened.stats()).topics.find((topic) => topic.topic === 't')?.appended, 1);
});

test("a batch's positions cross the thread as arrays and come back as each op's positions", () => {
  const record = (key: string) => ({ key, value: Buffer.from(key) });
  const ops: WriteOp[] = [
    { kind: 'append', topic: 'a', partitions: 4, records: [record('x'), record('y')] },
    { kind: 'commit', group: 'g', next: [{ topic: 'a', partition: 0, next: 1n }] },
    { kind: 'append', topic: 'b', partitions: 4, records: [record('z')] },
  ];
  const results = [
    [
      { topic: 'a', partition: 3, offset: 7n },
      { topic: 'a', partition: 0, offset: 2n ** 40n },
    ],
    undefined,
    [{ topic: 'b', partition: 1, offset: 0n }],
  ];
  assert.deepEqual(unpackPositions(ops, packPositions(results)), results);
});

test('positions resolved through the thread are where a consumer finds the records', async (t) => {
  const log = createSqliteEventLog(await logFile(t), { partitions: 4 });
  t.after(() => log.close());
  const records = Array.from({ length: 20 }, (_, i) => ({ key: `k${i % 7}`, value: Buffer.from(String(i)) }));
  const positions = await log.append('t', records);
  const consumer = log.consumer({ group: 'g', topics: ['t'] });
  const seen = await consumer.poll({ maxWaitMs: 0 });
  await consumer.close();
  const byPosition = new Map(seen.map((item) => [`${item.partition}/${item.offset}`, item.value.toString()]));
  assert.deepEqual(
    positions.map((position) => byPosition.get(`${position.partition}/${position.offset}`)),
    records.map((item) => item.value.toString()),
  );
});
