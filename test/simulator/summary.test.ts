import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DeliveryResult } from '../../src/simulator/sender.ts';
import { formatSummary, percentile, summarize } from '../../src/simulator/summary.ts';

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
