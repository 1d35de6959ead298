/**
 * What `paypipe up` makes of each retention run of its log: a gauge per group and topic of the records kept
 * past the retention, and a warning when there are some (repeated hourly while they stay, not every minute).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import pino from 'pino';
import { Registry } from 'prom-client';
import { createRetentionWatch } from '../../src/runtime/retention-watch.ts';

interface Line {
  readonly level: number;
  readonly msg: string;
  readonly kept?: readonly { group: string; topic: string; records: number; oldest: string }[];
}

function watch() {
  const lines: Line[] = [];
  const registry = new Registry();
  let now = Date.parse('2026-01-08T00:00:00Z');
  const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
  const report = createRetentionWatch({ logger, registry, now: () => now });
  const gauge = async () =>
    ((await registry.getSingleMetric('paypipe_log_records_past_retention')?.get())?.values ?? []).map((value) => [
      value.labels.group,
      value.labels.topic,
      value.value,
    ]);
  return { report, lines, gauge, advance: (ms: number) => (now += ms) };
}

const stuck = (records: number) => ({
  deleted: 0,
  kept: [{ group: 'orchestrator', topic: 'payments.normalized', records, oldest: Date.parse('2026-01-01T00:00:00Z') }],
});

test('records kept past retention are a gauge per group and topic, back to nothing once committed', async () => {
  const { report, gauge } = watch();
  report(stuck(5));
  assert.deepEqual(await gauge(), [['orchestrator', 'payments.normalized', 5]]);
  report(stuck(9));
  assert.deepEqual(await gauge(), [['orchestrator', 'payments.normalized', 9]]);
  report({ deleted: 9, kept: [] });
  assert.deepEqual(await gauge(), []);
});

test('a warning names the group, topic, count and oldest record; hourly while it lasts; a line when it ends', () => {
  const { report, lines, advance } = watch();
  report(stuck(5));
  advance(60_000);
  report(stuck(6));
  assert.equal(lines.length, 1);
  assert.equal(lines[0]?.level, 40);
  assert.deepEqual(lines[0]?.kept, [
    { group: 'orchestrator', topic: 'payments.normalized', records: 5, oldest: '2026-01-01T00:00:00.000Z' },
  ]);
  advance(3_600_000);
  report(stuck(70));
  assert.equal(lines.length, 2);
  report({ deleted: 70, kept: [] });
  report({ deleted: 0, kept: [] });
  assert.equal(lines.length, 3);
  assert.equal(lines[2]?.level, 30);
  report(stuck(1));
  assert.equal(lines.length, 4, 'a new episode is warned of at once');
});
