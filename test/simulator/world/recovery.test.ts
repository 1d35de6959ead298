import assert from 'node:assert/strict';
import { test } from 'node:test';
import { retryOutcomeAt } from '../../../src/simulator/truth/retry.ts';
import { DAY, HOUR, MINUTE, nextPayday, payPeriodProgress } from '../../../src/simulator/world/calendar.ts';
import { type RecoveryContext, recoveryProbability } from '../../../src/simulator/world/recovery.ts';
import { smallWorld } from '../calendar.ts';

const T = Date.parse('2026-02-10T15:00:00.000Z');
const context = (overrides: Partial<RecoveryContext> = {}): RecoveryContext => ({
  code: 'insufficient_funds',
  failedAt: T,
  nextPaydayAt: Date.parse('2026-02-15T09:00:00.000Z'),
  fragility: 0.5,
  fraudulent: false,
  ...overrides,
});

test('paydays: semi-monthly and end of month, clamped to short months', () => {
  assert.equal(nextPayday({ days: [1, 15] }, T), Date.parse('2026-02-15T09:00:00.000Z'));
  assert.equal(nextPayday({ days: [31] }, T), Date.parse('2026-02-28T09:00:00.000Z'));
  assert.equal(
    nextPayday({ days: [25] }, Date.parse('2026-12-26T00:00:00.000Z')),
    Date.parse('2027-01-25T09:00:00.000Z'),
  );
  assert.ok(payPeriodProgress({ days: [1, 15] }, Date.parse('2026-02-14T09:00:00.000Z')) > 0.9);
  assert.ok(payPeriodProgress({ days: [1, 15] }, Date.parse('2026-02-15T10:00:00.000Z')) < 0.01);
});

test('recovery depends on the decline and on timing', () => {
  const p = (overrides: Partial<RecoveryContext>, after: number) => recoveryProbability(context(overrides), T + after);
  // Insufficient funds: hopeless before payday, likely after it.
  assert.ok(p({}, DAY) < 0.1);
  assert.ok(p({}, 5 * DAY) > 0.6);
  // Do not honor: sometimes after a day, rarely within the hour.
  assert.ok(p({ code: 'do_not_honor' }, DAY) > 3 * p({ code: 'do_not_honor' }, HOUR));
  // Processing errors clear within minutes.
  assert.ok(p({ code: 'processing_error' }, 5 * MINUTE) > 0.8);
  // Lost or stolen, expired, unsupported: never, however long one waits.
  for (const code of ['lost_or_stolen_card', 'expired_card', 'card_not_supported'] as const) {
    assert.equal(p({ code }, 30 * DAY), 0, code);
  }
  // A fraudster's attempt never recovers; nor does a retry before the decline.
  assert.equal(p({ fraudulent: true }, 5 * DAY), 0);
  assert.equal(p({}, -MINUTE), 0);
});

const world = smallWorld({ customers: 1500, days: 120, churn: { replicates: 1 } });

test('insufficient funds retried after payday succeed far more often than retried before it', () => {
  const records = world.truth.retry.filter((r) => r.failure_code === 'insufficient_funds' && !r.fraudulent);
  assert.ok(records.length > 200, `${records.length} declines for insufficient funds`);
  const before = records.flatMap((r) => r.candidates.filter((c) => Date.parse(c.at) < Date.parse(r.next_payday_at)));
  const after = records.flatMap((r) => r.candidates.filter((c) => Date.parse(c.at) >= Date.parse(r.next_payday_at)));
  const rate = (list: typeof before) => list.filter((c) => c.succeeds).length / list.length;
  assert.ok(rate(after) > 4 * rate(before), `after payday ${rate(after)}, before ${rate(before)}`);
  assert.ok(rate(after) > 0.5, `after payday ${rate(after)}`);
});

test('stolen cards never recover; processing errors recover soon', () => {
  const stolen = world.truth.retry.filter((r) => r.failure_code === 'lost_or_stolen_card');
  assert.ok(stolen.length > 0);
  assert.ok(stolen.every((r) => r.candidates.every((c) => !c.succeeds && c.probability === 0)));
  const errors = world.truth.retry.filter((r) => r.failure_code === 'processing_error' && !r.fraudulent);
  const soon = errors.filter((r) => r.candidates.find((c) => c.label === '5m')?.succeeds).length / errors.length;
  assert.ok(soon > 0.6, `processing errors recovered within 5 minutes: ${soon}`);
});

test('every candidate agrees with the outcome at its time, and one draw keeps outcomes consistent', () => {
  for (const record of world.truth.retry.slice(0, 500)) {
    assert.deepEqual(
      record.candidates.map((c) => retryOutcomeAt(record, new Date(c.at))),
      record.candidates.map((c) => ({ probability: c.probability, succeeds: c.succeeds })),
    );
    const times = record.candidates.map((c) => c.label);
    assert.deepEqual(times, ['5m', '1h', '24h', '3d', '7d', 'next_payday']);
  }
});
