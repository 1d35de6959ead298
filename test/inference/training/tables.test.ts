import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UnifiedPaymentEvent as UnifiedSchema } from '../../../src/contracts/payment-event.ts';
import { FEATURES } from '../../../src/inference/features/features.ts';
import { replayWorld } from '../../../src/inference/training/replay.ts';
import { buildTrainingSets } from '../../../src/inference/training/tables.ts';
import { smallWorld } from '../../simulator/calendar.ts';

const world = smallWorld({ customers: 250, days: 75 });
const replay = replayWorld(world);
const sets = buildTrainingSets(replay.events, world.truth);

test("every rendered webhook normalizes through its provider's own code into valid unified events", () => {
  assert.deepEqual(replay.problems, []);
  assert.ok(replay.events.length > 3000, `${replay.events.length} events`);
  for (const { event } of replay.events.slice(0, 500)) assert.equal(UnifiedSchema.safeParse(event).success, true);
  for (let i = 1; i < replay.events.length; i++) {
    const previous = replay.events[i - 1] as (typeof replay.events)[number];
    assert.ok(previous.event.timestamp <= (replay.events[i]?.event.timestamp ?? ''));
  }
});

test('fraud rows: one per approved payment, at its first succeeded event, with every feature and the label', () => {
  const approvedWithSuccess = new Set(
    replay.events.filter((r) => r.event.status === 'succeeded').map((r) => r.paymentRef),
  );
  assert.equal(sets.fraud.length, approvedWithSuccess.size);
  const truth = new Map(world.truth.fraud.map((r) => [r.payment_ref, r]));
  for (const row of sets.fraud) {
    for (const name of Object.keys(FEATURES)) assert.ok(Number.isFinite(row[name]), `${name} of ${row.event_id}`);
    const record = truth.get(row.payment_ref as string);
    assert.equal(row.label, record?.fraud ? 1 : 0);
    assert.equal(row.truth_fraud_probability, record?.fraud_probability);
  }
  assert.ok(sets.fraud.some((row) => row.label === 1));
});

test('labels as of a date: a fraud reported later is not yet a label', () => {
  const asOf = new Date(world.startAt.getTime() + 40 * 86_400_000);
  const early = buildTrainingSets(replay.events, world.truth, { labelsAsOf: asOf });
  const late = sets.fraud.filter((row) => row.label === 1 && Date.parse(row.label_at as string) > asOf.getTime());
  assert.ok(late.length > 0);
  const byEvent = new Map(early.fraud.map((row) => [row.event_id, row]));
  for (const row of late) assert.equal(byEvent.get(row.event_id)?.label, 0);
  assert.equal(
    early.fraud.filter((row) => row.label === 1).length,
    sets.fraud.filter((row) => row.label === 1).length - late.length,
  );
});

test('retry rows: every declined payment at every candidate time, labelled by whether that retry succeeds', () => {
  const declined = new Set(replay.events.filter((r) => r.event.status === 'failed').map((r) => r.paymentRef));
  assert.equal(sets.retry.length, declined.size * 6);
  for (const row of sets.retry) {
    assert.ok((row.retry_delay_hours as number) > 0);
    assert.ok(row.label === 0 || row.label === 1);
    assert.equal(typeof row.failure_code, 'string');
  }
});

test('churn rows: one per customer known before the cutoff, at their last event before it', () => {
  const refs = new Set(sets.churn.map((row) => row.customer_ref));
  assert.equal(refs.size, sets.churn.length);
  for (const row of sets.churn) {
    assert.ok((row.timestamp as string) < (row.cutoff as string));
    assert.ok((row.days_since_event_at_cutoff as number) >= 0);
    const later = replay.events.find(
      (r) =>
        r.customerRef === row.customer_ref &&
        r.event.timestamp > (row.timestamp as string) &&
        r.event.timestamp < (row.cutoff as string),
    );
    assert.equal(later, undefined, `${row.customer_ref} has a later event before the cutoff`);
  }
  assert.ok(sets.churn.length > 150);
});

test('earlier churn cutoffs: the same customers earlier, labelled from the attempts, without a probability', () => {
  const truthCutoff = world.truth.churn[0]?.cutoff as string;
  const windowMs = (world.truth.churn[0]?.window_days as number) * 86_400_000;
  const own = world.truth.fraud.filter((attempt) => attempt.actor === 'customer' && attempt.approved);
  const cutoffs = new Set(sets.churn_earlier.map((row) => row.cutoff));
  assert.equal(cutoffs.size, 2);
  let churned = 0;
  for (const row of sets.churn_earlier) {
    const cutoff = Date.parse(row.cutoff as string);
    assert.ok((row.cutoff as string) < truthCutoff);
    assert.ok((row.timestamp as string) < (row.cutoff as string));
    assert.equal(row.truth_churn_probability, null);
    const paid = own.some(
      (attempt) =>
        attempt.customer_ref === row.customer_ref &&
        Date.parse(attempt.at) >= cutoff &&
        Date.parse(attempt.at) < cutoff + windowMs,
    );
    assert.equal(row.label, paid ? 0 : 1, `${row.customer_ref} at ${row.cutoff}`);
    churned += row.label as number;
  }
  assert.ok(sets.churn_earlier.length > sets.churn.length, `${sets.churn_earlier.length} earlier rows`);
  assert.ok(churned > 0 && churned < sets.churn_earlier.length);
});

test("churn rows restate the silence as of the cutoff: days since the last success, and the pace's missed payments", () => {
  for (const row of [...sets.churn, ...sets.churn_earlier]) {
    const since = row.days_since_success_at_cutoff as number;
    assert.ok(since >= (row.days_since_event_at_cutoff as number) - 1e-9, row.event_id as string);
    if (row.event_succeeded === 1) assert.equal(since, row.days_since_event_at_cutoff);
    assert.ok((row.missed_successes_at_cutoff as number) >= 0);
  }
});
