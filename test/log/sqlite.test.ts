/** The SQLite adapter: the shared contract, plus what only SQLite promises (WAL file, crash safety, groups). */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { test } from 'node:test';
import { isPaypipeError } from '../../src/contracts/errors.ts';
import { createSqliteEventLog, type SqliteLogOptions } from '../../src/log/sqlite.ts';
import { appendUntilKilled } from './child.ts';
import { eventLogContract } from './contract.ts';
import { drain, unique, values } from './helpers.ts';

async function tempDir(t: { after(fn: () => Promise<void>): void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'paypipe-log-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

eventLogContract('sqlite', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'paypipe-log-'));
  // A long poll interval, so only the in-process notification can wake a consumer quickly.
  const options: SqliteLogOptions = { partitions: 4, pollIntervalMs: 60_000 };
  return {
    partitions: 4,
    open: async () => createSqliteEventLog(join(dir, 'log.db'), options),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
});

const record = (key: string, value: string) => ({ key, value: Buffer.from(value) });

test('the file is in WAL mode, and its directory is created', async (t) => {
  const path = join(await tempDir(t), 'nested', 'log.db');
  const log = createSqliteEventLog(path);
  await log.append('t', [record('a', 'x')]);
  await log.close();
  const db = new DatabaseSync(path);
  assert.equal(db.prepare('PRAGMA journal_mode').get()?.journal_mode, 'wal');
  db.close();
});

test('every append acknowledged before a SIGKILL is in the log after reopening', async (t) => {
  const path = join(await tempDir(t), 'log.db');
  const acked = await appendUntilKilled(path, 'crash', 500);
  assert.ok(acked.size >= 500);
  const log = createSqliteEventLog(path, { partitions: 4 });
  t.after(() => log.close());
  // The whole topic: the child may have committed more than it acknowledged, so reading just `acked.size`
  // records could stop before an acknowledged one.
  const stored = new Set<string>();
  for await (const record of log.scan('crash')) stored.add(record.value.toString());
  const lost = [...acked].filter((value) => !stored.has(value));
  assert.deepEqual(lost, []);
});

test('appends by another process reach a waiting consumer through the poll interval', async (t) => {
  const path = join(await tempDir(t), 'log.db');
  const log = createSqliteEventLog(path, { partitions: 4, pollIntervalMs: 50 });
  t.after(() => log.close());
  const consumer = log.consumer({ group: 'g', topics: ['shared'] });
  const [, got] = await Promise.all([appendUntilKilled(path, 'shared', 100), drain(consumer, 100, 10_000)]);
  assert.ok(got.length >= 100, `only ${got.length} records arrived`);
  assert.equal(new Set(values(got)).size, got.length);
});

test('members of one group own disjoint partitions', async (t) => {
  const log = createSqliteEventLog(join(await tempDir(t), 'log.db'), { partitions: 4 });
  t.after(() => log.close());
  const members = [0, 1].map(() => log.consumer({ group: 'g', topics: ['t'] }));
  await log.append(
    't',
    Array.from({ length: 40 }, (_, i) => record(`k${i}`, String(i))),
  );
  const [first, second] = await Promise.all(members.map((member) => drain(member, 40, 300)));
  const partitions = (list: typeof first) => new Set(list?.map((item) => item.partition));
  assert.deepEqual([...partitions(first)].sort(), [0, 2]);
  assert.deepEqual([...partitions(second)].sort(), [1, 3]);
  assert.equal((first?.length ?? 0) + (second?.length ?? 0), 40);
});

test('a write lock held elsewhere makes appends fail as unavailable, and the log recovers', async (t) => {
  const path = join(await tempDir(t), 'log.db');
  const log = createSqliteEventLog(path, { busyTimeoutMs: 20 });
  t.after(() => log.close());
  await log.append('t', [record('a', 'before')]);
  const other = new DatabaseSync(path);
  other.exec('BEGIN IMMEDIATE');
  await assert.rejects(log.append('t', [record('a', 'blocked')]), (error) =>
    isPaypipeError(error, 'PAYPIPE_ERR_LOG_UNAVAILABLE'),
  );
  other.exec('ROLLBACK');
  other.close();
  await log.append('t', [record('a', 'after')]);
  assert.deepEqual(values(await drain(log.consumer({ group: unique('g'), topics: ['t'] }), 2)), ['before', 'after']);
});

test('a log that cannot be opened is PAYPIPE_ERR_LOG_UNAVAILABLE', async (t) => {
  const file = join(await tempDir(t), 'file');
  await writeFile(file, 'not a directory');
  assert.throws(
    () => createSqliteEventLog(join(file, 'log.db')),
    (error) => isPaypipeError(error, 'PAYPIPE_ERR_LOG_UNAVAILABLE'),
  );
});
