/**
 * Retention: by age (never a record a group of its topic has not committed: the gateway acknowledged it), and
 * by what every group has committed. Only a topic no group reads loses unread records to age.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { test } from 'node:test';
import type { LogRecord } from '../../src/log/port.ts';
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
  assert.equal((await log.applyRetention()).deleted, 3);
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
  assert.equal((await log.applyRetention()).deleted, 2);
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
  const appendedAt = now;
  now += 7 * DAY;
  const report = await log.applyRetention();
  assert.equal(report.deleted, 1, 'only the committed record ages out');
  assert.deepEqual(report.kept, [{ group: 'stuck', topic: 't', records: 3, oldest: appendedAt }]);
  assert.equal((await log.stats()).groups.find((group) => group.group === 'stuck')?.pastRetention, 3);
  await stuck.close();
  const again = log.consumer({ group: 'stuck', topics: ['t'] });
  const pending = await drain(again, 3);
  assert.deepEqual(values(pending), ['b', 'c', 'd']);
  await again.commit(pending);
  assert.deepEqual(await log.applyRetention(), { deleted: 3, kept: [] });
  assert.equal((await log.stats()).topics[0]?.records, 0);
});

test('a group that joined but never committed holds its topic; a topic no group reads still ages out', async (t) => {
  let now = 1_000_000;
  const log = await openLog(t, { now: () => now, retention: { maxAgeMs: DAY } });
  log.consumer({ group: 'down', topics: ['read'] });
  await log.append('read', records('acknowledged'));
  await log.append('unread', records('dead letter'));
  now += DAY + 1;
  assert.equal((await log.applyRetention()).deleted, 1);
  const counts = Object.fromEntries((await log.stats()).topics.map((topic) => [topic.topic, topic.records]));
  assert.deepEqual(counts, { read: 1, unread: 0 });
});

test('records younger than maxAgeMs stay though committed, and are not counted as kept past retention', async (t) => {
  let now = 1_000_000;
  const log = await openLog(t, { now: () => now, retention: { maxAgeMs: DAY } });
  const reader = log.consumer({ group: 'reader', topics: ['t'] });
  await log.append('t', records('old'));
  now += DAY;
  await log.append('t', records('young-1', 'young-2'));
  now += 1;
  await reader.commit((await drain(reader, 3)).slice(0, 2));
  assert.deepEqual(await log.applyRetention(), { deleted: 1, kept: [] });
  const [group] = (await log.stats()).groups;
  assert.deepEqual(group && [group.lag, group.pastRetention], [1, 0]);
  const left = [];
  for await (const record of log.scan('t')) left.push(record);
  assert.deepEqual(values(left), ['young-1', 'young-2']);
});

test('a retention run reports to onRetention, and keeps nothing past its age with maxAgeMs null', async (t) => {
  let now = 1_000_000;
  const reports: unknown[] = [];
  const log = await openLog(t, {
    now: () => now,
    retention: { maxAgeMs: null },
    onRetention: (report) => reports.push(report),
  });
  log.consumer({ group: 'idle', topics: ['t'] });
  await log.append('t', records('a'));
  now += 365 * DAY;
  await log.applyRetention();
  assert.deepEqual(reports, [{ deleted: 0, kept: [] }]);
  assert.equal((await log.stats()).groups[0]?.pastRetention, 0);
});

test('across partitions, exactly the records both old and committed go, wherever the boundaries fall', async (t) => {
  let now = 1_000_000;
  const log = await openLog(t, { now: () => now, partitions: 4, retention: { maxAgeMs: 100_000 } });
  const reader = log.consumer({ group: 'reader', topics: ['t'] });
  for (let i = 0; i < 300; i += 1) {
    await log.append('t', [{ key: `pi_${i % 13}`, value: Buffer.from(String(i)) }]);
    now += 1000;
  }
  const delivered = await drain(reader, 300);
  // The group's commit is below the age boundary on some partitions, above it on others.
  const committed = (record: LogRecord) => Number(record.value) < 150 + 30 * record.partition;
  await reader.commit(delivered.filter(committed));
  const old = (record: LogRecord) => record.timestamp < now - 100_000;
  const report = await log.applyRetention();
  const left = new Set<string>();
  for await (const record of log.scan('t')) left.add(record.value.toString());
  const gone = delivered.filter((record) => !left.has(record.value.toString()));
  assert.deepEqual(values(gone), values(delivered.filter((record) => old(record) && committed(record))));
  assert.equal(report.deleted, gone.length);
  assert.ok(gone.length > 0 && gone.length < delivered.filter(old).length, 'some old records are kept');
  assert.deepEqual(
    report.kept.map((kept) => kept.records),
    [delivered.filter((record) => old(record) && !committed(record)).length],
  );
});

test('a large deletion goes in short transactions: an append made meanwhile is not held until it ends', async (t) => {
  let now = 1_000_000;
  const log = await openLog(t, { now: () => now, retention: { maxAgeMs: DAY, chunkRecords: 100 } });
  for (let i = 0; i < 50; i += 1) await log.append('t', records(...Array.from({ length: 100 }, (_, j) => `${i}-${j}`)));
  now += DAY + 1;
  let retained = false;
  const retention = log.applyRetention().then((report) => {
    retained = true;
    return report;
  });
  await log.append('t', records('meanwhile'));
  assert.equal(retained, false, 'the append was durable before the deletion ended');
  assert.equal((await retention).deleted, 5000);
  assert.equal((await log.stats()).topics[0]?.records, 1);
});

test('a file with a gap where a group resumes (left by the former age rule) reports the next record as oldest', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'paypipe-log-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const path = join(dir, 'log.db');
  const earlier = createSqliteEventLog(path, { partitions: 1, now: () => 1_000_000 });
  const reader = earlier.consumer({ group: 'reader', topics: ['t'] });
  await earlier.append('t', records('a', 'b', 'c'));
  await reader.commit((await drain(reader, 3)).slice(0, 1));
  await earlier.close();
  const file = new DatabaseSync(path);
  file.exec(`DELETE FROM records WHERE "offset" = 1`);
  file.close();
  const log = createSqliteEventLog(path, {
    partitions: 1,
    now: () => 1_000_000 + DAY + 1,
    retention: { maxAgeMs: DAY },
  });
  t.after(() => log.close());
  const report = await log.applyRetention();
  assert.equal(report.deleted, 1);
  assert.deepEqual(
    report.kept.map((kept) => [kept.group, kept.oldest]),
    [['reader', 1_000_000]],
  );
});
