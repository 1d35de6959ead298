import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DeliveryResult } from '../../src/simulator/sender.ts';
import { formatSummary, percentile, summarize, summarizeWorld } from '../../src/simulator/summary.ts';
import { truthOfPayments } from '../../src/simulator/truth/sent.ts';
import { smallWorld } from './calendar.ts';

const result = (overrides: Partial<DeliveryResult>): DeliveryResult => ({
  seq: 0,
  provider: 'stripe',
  name: 'charge.succeeded',
  kind: 'original',
  forged: false,
  outOfOrder: false,
  paymentRef: 'pay_00000001',
  status: 200,
  error: null,
  latencyMs: 1,
  eventIds: ['stripe:evt_1'],
  ...overrides,
});

test('percentiles by nearest rank', () => {
  const values = Array.from({ length: 100 }, (_, i) => i + 1);
  assert.equal(percentile(values, 50), 50);
  assert.equal(percentile(values, 99), 99);
  assert.equal(percentile([7], 99), 7);
  assert.equal(percentile([], 50), 0);
});

test('only acknowledged genuine deliveries count towards what must be stored, each event once', () => {
  const summary = summarize(
    [
      result({ eventIds: ['stripe:evt_1'] }),
      result({ kind: 'redelivery', eventIds: ['stripe:evt_1'], latencyMs: 3 }),
      result({ provider: 'adyen', eventIds: ['adyen:a'], status: 503, latencyMs: 5 }),
      result({ provider: 'square', kind: 'forgery', forged: true, eventIds: [], status: 401, latencyMs: 2 }),
      result({ provider: 'braintree', eventIds: ['braintree:b'], status: 0, error: 'ECONNREFUSED' }),
      result({ eventIds: ['stripe:evt_2'], outOfOrder: true, status: 202, latencyMs: 4 }),
    ],
    { seed: 3, target: 'http://127.0.0.1:8000', elapsedMs: 2000 },
  );
  assert.equal(summary.expectedStoredEvents, 2);
  assert.deepEqual(summary.answers, { '2xx': 3, '401': 1, other: 1, none: 1 });
  assert.deepEqual(summary.statuses, { 0: 1, 200: 2, 202: 1, 401: 1, 503: 1 });
  assert.deepEqual(summary.sentByProvider, { stripe: 3, square: 1, adyen: 1, braintree: 1 });
  assert.equal(summary.forgeriesRejected, 1);
  assert.equal(summary.genuineNotAcknowledged, 2);
  assert.equal(summary.redeliveries, 1);
  assert.equal(summary.outOfOrder, 1);
  assert.equal(summary.rate, 3);
  // Requests that got no answer have no latency to report.
  assert.deepEqual(summary.latencyMs, { p50: 3, p99: 5, max: 5 });
  const text = formatSummary(summary);
  assert.match(text, /should store 2 distinct payment events \(2 genuine webhooks not acknowledged\)/);
  assert.match(text, /forgeries rejected 1\/1/);
});

test('the world line says how much of the world was sent and what it held', () => {
  const world = smallWorld({ customers: 200, days: 40, churn: { replicates: 1 } });
  // The payments of the first 20 days, as if the run had stopped there.
  const early = world.truth.fraud.filter((record) => Date.parse(record.at) < world.startAt.getTime() + 20 * 86_400_000);
  const sent = truthOfPayments(world.truth, new Set(early.map((record) => record.payment_ref)));
  const counted = summarizeWorld(world, sent);
  assert.deepEqual(counted, {
    customers: 200,
    days: 40,
    startAt: '2026-01-01',
    payments: world.payments.length,
    paymentsSent: early.length,
    declined: early.filter((record) => !record.approved).length,
    byFraudsters: early.filter((record) => record.actor === 'fraudster').length,
    reportedAsFraud: early.filter((record) => record.fraud).length,
    throughDay: 20,
  });
  const text = formatSummary(summarize([result({})], { seed: 3, target: 'http://x', elapsedMs: 1, world: counted }));
  assert.match(text, new RegExp(`world of 200 customers over 40 days from 2026-01-01: ${early.length} of its`));
  assert.match(text, /\(through day 20\)/);
  assert.equal(summarizeWorld(world, truthOfPayments(world.truth, new Set())).throughDay, 1);
});

test('a run cut short says so, with how much of the plan it sent; a whole run says nothing of it', () => {
  const run = { seed: 3, target: 'http://x', elapsedMs: 1, planned: 5 };
  const cut = summarize([result({}), result({})], { ...run, interrupted: true });
  assert.equal(cut.interrupted, true);
  assert.equal(cut.planned, 5);
  assert.match(
    formatSummary(cut),
    /^sent 2 webhooks .*\n {2}cut short \(interrupted\): 2 of the 5 planned deliveries sent\n/,
  );
  const whole = summarize([result({}), result({})], { ...run, interrupted: false });
  assert.equal(whole.interrupted, false);
  assert.doesNotMatch(formatSummary(whole), /cut short/);
});
