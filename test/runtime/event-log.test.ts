/**
 * Every command opens the log with the configured retention: the SQLite log applies retention from whichever
 * process has it open, so a `paypipe replay` or `paypipe status` that ran past a retention interval with the
 * adapter's default of 7 days deleted what PAYPIPE_LOG_RETENTION_HOURS said to keep (dead letters included).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { WEBHOOKS_DLQ } from '../../src/contracts/topics.ts';
import { createSqliteEventLog, type RetentionReport, type SqliteEventLog } from '../../src/log/sqlite.ts';
import { openEventLog } from '../../src/runtime/event-log.ts';
import { testConfig } from '../helpers/test-config.ts';

const DAY_MS = 24 * 3_600_000;

test('the log keeps what PAYPIPE_LOG_RETENTION_HOURS keeps, not the adapter default', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'paypipe-retention-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'log.db');
  const old = createSqliteEventLog(path, { now: () => Date.now() - 10 * DAY_MS });
  await old.append(WEBHOOKS_DLQ, [{ key: 'rec_1', value: Buffer.from('{}') }]);
  await old.close();

  const kept = async (hours: string) => {
    const log = openEventLog(testConfig({ PAYPIPE_LOG_URL: `sqlite:${path}`, PAYPIPE_LOG_RETENTION_HOURS: hours }));
    try {
      await (log as SqliteEventLog).applyRetention();
      return (await log.stats()).topics.find((topic) => topic.topic === WEBHOOKS_DLQ)?.records;
    } finally {
      await log.close();
    }
  };
  assert.equal(await kept('720'), 1, 'a 10-day-old dead letter is kept under 30 days of retention');
  assert.equal(await kept('168'), 0, 'and deleted under 7');
});

test('the log reports each retention run to the hook paypipe up gives it', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'paypipe-retention-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'log.db');
  const old = createSqliteEventLog(path, { now: () => Date.now() - 2 * DAY_MS });
  old.consumer({ group: 'orchestrator', topics: ['payments.normalized'] });
  await old.append('payments.normalized', [{ key: 'pi_1', value: Buffer.from('{}') }]);
  await old.close();
  const reports: RetentionReport[] = [];
  const config = testConfig({ PAYPIPE_LOG_URL: `sqlite:${path}`, PAYPIPE_LOG_RETENTION_HOURS: '24' });
  const log = openEventLog(config, { onRetention: (report) => reports.push(report) });
  t.after(() => log.close());
  await (log as SqliteEventLog).applyRetention();
  assert.deepEqual(
    reports.map((report) => report.kept.map((kept) => [kept.group, kept.records])),
    [[['orchestrator', 1]]],
  );
});
