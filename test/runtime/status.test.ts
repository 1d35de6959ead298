/**
 * `paypipe status` on the log's retention: records older than PAYPIPE_LOG_RETENTION_HOURS that a group has
 * not committed are kept for it (the file grows for them), and the operator sees how many and which group;
 * the file never shrinks, and the operator sees how much of it is free for new records.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { PAYMENTS_NORMALIZED, WEBHOOKS_DLQ } from '../../src/contracts/topics.ts';
import { createSqliteEventLog, type SqliteEventLog } from '../../src/log/sqlite.ts';
import { openEventLog } from '../../src/runtime/event-log.ts';
import { collectStatus, formatStatus } from '../../src/runtime/status.ts';
import type { StoreCounts } from '../../src/storage/port.ts';
import { testConfig } from '../helpers/test-config.ts';

const HOUR_MS = 3_600_000;

const emptyStore = {
  counts: async (): Promise<StoreCounts> => ({
    events: 0,
    quarantined: 0,
    redriven: 0,
    byProviderStatus: [],
    quarantineByReason: [],
    latencyMs: null,
  }),
  replayedDeadLetters: async (letters: readonly unknown[]) => letters.map(() => false),
};

test('status shows the records a group holds past the retention, and says the file grows for them', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'paypipe-status-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'log.db');
  const earlier = createSqliteEventLog(path, { now: () => Date.now() - 3 * HOUR_MS, partitions: 2 });
  earlier.consumer({ group: 'orchestrator', topics: [PAYMENTS_NORMALIZED] });
  await earlier.append(PAYMENTS_NORMALIZED, [
    { key: 'pi_1', value: Buffer.from('{}') },
    { key: 'pi_2', value: Buffer.from('{}') },
  ]);
  await earlier.close();

  const log = openEventLog(testConfig({ PAYPIPE_LOG_URL: `sqlite:${path}`, PAYPIPE_LOG_RETENTION_HOURS: '1' }));
  t.after(() => log.close());
  const status = await collectStatus(log, emptyStore);
  assert.deepEqual(status.log.groups, [
    { group: 'orchestrator', topic: PAYMENTS_NORMALIZED, lag: 2, pastRetention: 2 },
  ]);
  const text = formatStatus(status);
  assert.match(text, /group\s+topic\s+lag\s+past retention/);
  assert.match(text, /orchestrator\s+payments\.normalized\s+2\s+2/);
  assert.match(text, /2 records older than the log's retention are kept until their group commits them/);
});

test('status shows the log file size and how much of it retention freed for new records', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'paypipe-status-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'log.db');
  const earlier = createSqliteEventLog(path, { now: () => Date.now() - 3 * HOUR_MS });
  const value = Buffer.alloc(2000, 120);
  await earlier.append(
    WEBHOOKS_DLQ,
    Array.from({ length: 500 }, (_, i) => ({ key: `rec_${i}`, value })),
  );
  await earlier.close();

  const log = openEventLog(testConfig({ PAYPIPE_LOG_URL: `sqlite:${path}`, PAYPIPE_LOG_RETENTION_HOURS: '1' }));
  t.after(() => log.close());
  await (log as SqliteEventLog).applyRetention();
  const status = await collectStatus(log, emptyStore);
  const file = status.log.file;
  assert.ok(file && file.bytes >= 1_000_000, 'the file held a megabyte of records');
  assert.ok(file.freeBytes >= 1_000_000 && file.freeBytes < file.bytes, 'which retention freed');
  assert.match(formatStatus(status), /Topics \(log file \d+\.\d MB, \d+\.\d MB of it free for new records\)/);
});
