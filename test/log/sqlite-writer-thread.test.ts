/** The writer thread: group commits run off the event loop, and an append resolves only once committed. */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { test } from 'node:test';
import { createSqliteEventLog } from '../../src/log/sqlite.ts';

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
