/**
 * The SQLite log's owner lock (sqlite-owner.ts): one holder at a time, another connection of the same
 * process included, free again once released; no file left beside the lock; an in-memory log needs none.
 * Another process refused, and a SIGKILLed holder's lock released, are test/cli/up.test.ts's.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { claimEventLog } from '../../src/log/index.ts';
import { claimSqliteLog } from '../../src/log/sqlite-owner.ts';

test('a SQLite log has one owner at a time, and is free again once released', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'paypipe-owner-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const path = join(dir, 'log.db');
  const owner = claimSqliteLog(path);
  assert.ok(owner);
  assert.equal(claimSqliteLog(path), null, 'a second claim while the first holds it');
  assert.equal(claimEventLog(`sqlite:${path}`), null, 'through the URL too');
  assert.deepEqual(await readdir(dir), ['log.db.lock'], 'no journal beside the lock');
  owner.release();
  owner.release();
  const next = claimSqliteLog(path);
  assert.ok(next, 'free once released');
  next.release();
});

test('a replay has a lock of its own: one replay at a time, beside the one consumer', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'paypipe-owner-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const path = join(dir, 'log.db');
  const consumer = claimSqliteLog(path);
  const replay = claimSqliteLog(path, 'replay');
  assert.ok(consumer && replay, 'a replay runs while the log is consumed');
  assert.equal(claimSqliteLog(path, 'replay'), null, 'a second replay while the first runs');
  assert.deepEqual((await readdir(dir)).sort(), ['log.db.lock', 'log.db.replay.lock']);
  replay.release();
  const next = claimEventLog(`sqlite:${path}`, 'replay');
  assert.ok(next, 'free once released');
  next.release();
  consumer.release();
});

test('an in-memory log is owned by its process anyway: every claim succeeds', () => {
  const first = claimEventLog('sqlite::memory:');
  const second = claimEventLog('sqlite::memory:');
  assert.ok(first && second);
  first.release();
  second.release();
});
