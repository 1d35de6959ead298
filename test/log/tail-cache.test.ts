/**
 * The tail cache: its runs of offsets on their own, then the SQLite log reading through it, where what a
 * consumer gets must be exactly what the file holds, whoever appended it and however far behind it is.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { AppendRecord, EventLog, LogRecord, RecordPosition } from '../../src/log/port.ts';
import { createSqliteEventLog, type SqliteLogOptions } from '../../src/log/sqlite.ts';
import { createTailCache } from '../../src/log/tail-cache.ts';
import { drain, unique } from './helpers.ts';

const appended = (values: readonly string[]): AppendRecord[] =>
  values.map((value) => ({ key: 'k', value: Buffer.from(value), headers: { v: value } }));
const at = (offsets: readonly number[]): RecordPosition[] =>
  offsets.map((offset) => ({ topic: 't', partition: 0, offset: BigInt(offset) }));
const text = (records: readonly LogRecord[] | undefined) => records?.map((record) => record.value.toString());

test('a partition run: reads from any offset in it, [] at its end, undefined outside; a gap restarts it', () => {
  const cache = createTailCache(1 << 20);
  assert.equal(cache.read('t', 0, 0n, 10), undefined, 'nothing appended here yet');
  cache.add('t', appended(['a', 'b', 'c']), at([5, 6, 7]), 1234);
  assert.deepEqual(text(cache.read('t', 0, 5n, 10)), ['a', 'b', 'c']);
  assert.deepEqual(text(cache.read('t', 0, 6n, 1)), ['b']);
  assert.deepEqual(cache.read('t', 0, 8n, 10), []);
  assert.equal(cache.read('t', 0, 9n, 10), undefined);
  assert.equal(cache.read('t', 0, 4n, 10), undefined);
  assert.equal(cache.before('t', 0, 4n), true, 'offsets before the run are in the file only');
  const [record] = cache.read('t', 0, 7n, 1) ?? [];
  assert.deepEqual(record, {
    topic: 't',
    partition: 0,
    offset: 7n,
    key: 'k',
    value: Buffer.from('c'),
    headers: { v: 'c' },
    timestamp: 1234,
  });
  // Offsets 8-9 were appended by another process: the run starts again at 10.
  cache.add('t', appended(['x']), at([10]), 1300);
  assert.equal(cache.read('t', 0, 8n, 10), undefined);
  assert.equal(cache.before('t', 0, 8n), true);
  assert.deepEqual(text(cache.read('t', 0, 10n, 10)), ['x']);
});

test('over its byte budget the cache forgets its oldest records first; a budget of 0 keeps nothing', () => {
  const value = 'v'.repeat(1000);
  const cache = createTailCache(3 * 1300);
  cache.add('t', appended([value, value, value, value, value]), at([0, 1, 2, 3, 4]), 1);
  assert.equal(cache.read('t', 0, 1n, 10), undefined, 'evicted');
  assert.equal(cache.before('t', 0, 1n), true);
  assert.equal(cache.read('t', 0, 2n, 10)?.length, 3);
  const none = createTailCache(0);
  none.add('t', appended(['a']), at([0]), 1);
  assert.equal(none.read('t', 0, 0n, 10), undefined);
});

async function fileLog(t: { after(fn: () => Promise<void>): void }, options: SqliteLogOptions = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'paypipe-tail-'));
  const path = join(dir, 'log.db');
  const logs: EventLog[] = [];
  const open = (more: SqliteLogOptions = {}) => {
    const log = createSqliteEventLog(path, { partitions: 2, pollIntervalMs: 20, ...options, ...more });
    logs.push(log);
    return log;
  };
  t.after(async () => {
    for (const log of logs) await log.close();
    await rm(dir, { recursive: true, force: true });
  });
  return open;
}

/** Every record of the topic as the file holds it. */
async function inFile(log: EventLog, topic: string): Promise<LogRecord[]> {
  const records: LogRecord[] = [];
  for await (const record of log.scan(topic)) records.push(record);
  return records;
}

const sorted = (records: readonly LogRecord[]) =>
  [...records].sort((a, b) => a.partition - b.partition || Number(a.offset - b.offset));

test('a consumer reading from the cache gets exactly what the file holds: bytes, key, headers, offsets, timestamps', async (t) => {
  const log = (await fileLog(t))();
  const topic = unique('tail');
  const consumer = log.consumer({ group: 'g', topics: [topic] });
  for (let round = 0; round < 5; round += 1) {
    await log.append(
      topic,
      Array.from({ length: 20 }, (_, i) => ({
        key: `key-${i}`,
        value: Buffer.from(`value ${round}/${i}`),
        ...(i % 2 === 0 ? { headers: { event_id: `e-${round}-${i}` } } : {}),
      })),
    );
  }
  const received = await drain(consumer, 100);
  assert.deepEqual(sorted(received), await inFile(log, topic));
});

test('records another process appended in between are read from the file, in order, each once', async (t) => {
  const open = await fileLog(t);
  const log = open();
  const other = open(); // its own writer and cache: to this log, another process
  const topic = unique('tail');
  const consumer = log.consumer({ group: 'g', topics: [topic] });
  const received: LogRecord[] = [];
  for (let round = 0; round < 6; round += 1) {
    const writer = round % 3 === 1 ? other : log;
    await writer.append(topic, appended([`r${round}a`, `r${round}b`]));
    received.push(...(await consumer.poll({ maxWaitMs: 0 })));
  }
  received.push(...(await drain(consumer, 12 - received.length)));
  assert.deepEqual(sorted(received), await inFile(log, topic));
});

test('a consumer further behind than the cache keeps reads the rest from the file', async (t) => {
  const log = (await fileLog(t, { tailCacheBytes: 2000 }))();
  const topic = unique('tail');
  const consumer = log.consumer({ group: 'g', topics: [topic], maxRecords: 7 });
  for (let round = 0; round < 10; round += 1) {
    await log.append(
      topic,
      Array.from({ length: 10 }, (_, i) => ({ key: `k${i}`, value: Buffer.alloc(300, round) })),
    );
  }
  const received = await drain(consumer, 100);
  assert.deepEqual(sorted(received), await inFile(log, topic));
});

test('a key that is not well-formed UTF-16 comes from the cache as the file gives it back', async (t) => {
  // A key parsed from a webhook's JSON can hold a lone surrogate ("\ud800"); SQLite stores it as UTF-8, with
  // U+FFFD in its place. A consumer must see one key for the record, read from the cache or from the file
  // (the orchestrator keeps a payment's order by key).
  const log = (await fileLog(t))();
  const topic = unique('tail');
  const consumer = log.consumer({ group: 'g', topics: [topic] });
  await log.append(topic, [{ key: 'pi_\ud800x', value: Buffer.from('a') }]);
  const received = await drain(consumer, 1);
  assert.deepEqual(
    received.map((record) => record.key),
    (await inFile(log, topic)).map((record) => record.key),
  );
});
