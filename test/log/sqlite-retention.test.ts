/**
 * Retention: by age (never a record a group of its topic has not committed: the gateway acknowledged it), and
 * by what every group has committed. Only a topic no group reads loses unread records to age.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createSqliteEventLog, type SqliteLogOptions } from '../../src/log/sqlite.ts';
import { drain, values } from './helpers.ts';

const DAY = 86_400_000;

async function openLog(t: { after(fn: () => Promise<void>): void }, options: SqliteLogOptions) {
  const dir = await mkdtemp(join(tmpdir(), 'paypipe-log-'));
  const log = createSqliteEventLog(join(dir, 'log.db'), { partitions: 1, ...options });
  t.after(async () => {
    await log.close();
    await rm(dir, { recursive: true, force: true });
  });
  return log;
}

const records = (...items: string[]) => items.map((value) => ({ key: 'pi', value: Buffer.from(value) }));

test('on a topic no group reads, records older than maxAgeMs go; younger ones and the offsets stay', async (t) => {
  let now = 1_000_000;
  const log = await openLog(t, { now: () => now, retention: { maxAgeMs: DAY } });
  await log.append('t', records('old-1', 'old-2', 'old-3'));
  now += DAY + 1;
  await log.append('t', records('new-1', 'new-2'));
  assert.equal(await log.applyRetention(), 3);
  const got = await drain(log.consumer({ group: 'late', topics: ['t'] }), 2);
  assert.deepEqual(values(got), ['new-1', 'new-2']);
  assert.deepEqual(
    got.map((record) => record.offset),
    [3n, 4n],
  );
  const [stats] = (await log.stats()).topics;
  assert.deepEqual(stats && [stats.records, stats.appended], [2, 5]);
  assert.equal((await log.stats()).groups.find((group) => group.group === 'late')?.lag, 2);
});

test('deleteCommitted removes only what every group has committed; unsubscribed topics keep all', async (t) => {
  const log = await openLog(t, { retention: { maxAgeMs: null, deleteCommitted: true } });
  const fast = log.consumer({ group: 'fast', topics: ['t'] });
  const slow = log.consumer({ group: 'slow', topics: ['t'] });
  await log.append('t', records('a', 'b', 'c', 'd', 'e', 'f'));
  await log.append('untouched', records('kept'));
  await fast.commit(await drain(fast, 6));
  await slow.commit((await drain(slow, 6)).slice(0, 2));
  assert.equal(await log.applyRetention(), 2);
  const counts = Object.fromEntries((await log.stats()).topics.map((topic) => [topic.topic, topic.records]));
  assert.deepEqual(counts, { t: 4, untouched: 1 });
  await slow.close();
  const again = log.consumer({ group: 'slow', topics: ['t'] });
  assert.deepEqual(values(await drain(again, 4)), ['c', 'd', 'e', 'f']);
});

test('age never deletes a record a group of its topic has not committed; once committed, it goes', async (t) => {
  let now = 1_000_000;
  const log = await openLog(t, { now: () => now, retention: { maxAgeMs: DAY } });
  const stuck = log.consumer({ group: 'stuck', topics: ['t'] });
  await log.append('t', records('a', 'b', 'c', 'd'));
  await stuck.commit((await drain(stuck, 4)).slice(0, 1));
  now += 7 * DAY;
  assert.equal(await log.applyRetention(), 1, 'only the committed record ages out');
  await stuck.close();
  const again = log.consumer({ group: 'stuck', topics: ['t'] });
  const pending = await drain(again, 3);
  assert.deepEqual(values(pending), ['b', 'c', 'd']);
  await again.commit(pending);
  assert.equal(await log.applyRetention(), 3);
  assert.equal((await log.stats()).topics[0]?.records, 0);
});

test('a group that joined but never committed holds its topic; a topic no group reads still ages out', async (t) => {
  let now = 1_000_000;
  const log = await openLog(t, { now: () => now, retention: { maxAgeMs: DAY } });
  log.consumer({ group: 'down', topics: ['read'] });
  await log.append('read', records('acknowledged'));
  await log.append('unread', records('dead letter'));
  now += DAY + 1;
  assert.equal(await log.applyRetention(), 1);
  const counts = Object.fromEntries((await log.stats()).topics.map((topic) => [topic.topic, topic.records]));
  assert.deepEqual(counts, { read: 1, unread: 0 });
});
