/** Group commit: many concurrent appends share few transactions, and a failed one loses nothing silently. */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createSqliteEventLog, type FlushInfo } from '../../src/log/sqlite.ts';
import { drain } from './helpers.ts';

async function openLog(t: { after(fn: () => Promise<void>): void }, flushes: FlushInfo[]) {
  const dir = await mkdtemp(join(tmpdir(), 'paypipe-log-'));
  const log = createSqliteEventLog(join(dir, 'log.db'), { onFlush: (info) => flushes.push(info) });
  t.after(async () => {
    await log.close();
    await rm(dir, { recursive: true, force: true });
  });
  return log;
}

test('1,000 concurrent appends are written in far fewer than 1,000 transactions', async (t) => {
  const flushes: FlushInfo[] = [];
  const log = await openLog(t, flushes);
  await Promise.all(
    Array.from({ length: 1000 }, (_, i) => log.append('t', [{ key: `k${i}`, value: Buffer.from(String(i)) }])),
  );
  assert.ok(flushes.length <= 10, `${flushes.length} transactions`);
  assert.equal(
    flushes.reduce((sum, flush) => sum + flush.requests, 0),
    1000,
  );
  assert.equal(
    flushes.reduce((sum, flush) => sum + flush.records, 0),
    1000,
  );
});

test('appends queued before a flush runs share its one transaction; later ones form the next', async (t) => {
  const flushes: FlushInfo[] = [];
  const log = await openLog(t, flushes);
  const first = log.append('t', [{ key: 'a', value: Buffer.from('1') }]);
  // Queued after the first flush was scheduled but before it ran: they must join it, not wait for another.
  const more = Array.from({ length: 9 }, () => log.append('t', [{ key: 'a', value: Buffer.from('2') }]));
  await Promise.all([first, ...more]);
  const later = await Promise.all(
    Array.from({ length: 5 }, () => log.append('t', [{ key: 'b', value: Buffer.from('3') }])),
  );
  assert.deepEqual(
    flushes.map((flush) => flush.requests),
    [10, 5],
  );
  assert.equal(new Set(later.map(([position]) => position?.offset)).size, 5);
});

test('offset commits ride in the same group commit as appends', async (t) => {
  const flushes: FlushInfo[] = [];
  const log = await openLog(t, flushes);
  await log.append('t', [{ key: 'a', value: Buffer.from('x') }]);
  const consumer = log.consumer({ group: 'g', topics: ['t'] });
  const batch = await drain(consumer, 1);
  flushes.length = 0;
  await Promise.all([consumer.commit(batch), log.append('t', [{ key: 'a', value: Buffer.from('y') }])]);
  assert.deepEqual(
    flushes.map((flush) => [flush.requests, flush.records]),
    [[2, 1]],
  );
  assert.equal((await log.stats()).groups.find((group) => group.group === 'g')?.lag, 1);
});
