import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { UnifiedPaymentEvent } from '../../../src/contracts/payment-event.ts';
import { squareFixtures } from '../../../src/providers/square/fixtures.ts';
import { CUSTOMER, changed, codes, fixture, normalize, only, PAID, RECEIVED } from './helpers.ts';

const EXPECTED: Record<string, Partial<UnifiedPaymentEvent>> = {
  'payment.created:APPROVED': {
    event_id: 'square:13b867cf-db3d-4b1c-90b6-2f32a9d78124',
    event_type: 'payment.authorized',
    status: 'authorized',
    amount_cents: 2500,
    currency: 'USD',
    failure_code: null,
    payment_id: PAID,
    customer_id: CUSTOMER,
    timestamp: '2026-03-01T12:00:00.792Z',
  },
  'payment.updated:COMPLETED': {
    event_type: 'payment.succeeded',
    status: 'succeeded',
    amount_cents: 2500,
    payment_id: PAID,
    // Square's nanosecond fraction, cut to milliseconds.
    timestamp: '2026-03-01T12:02:34.308Z',
  },
  'payment.created:PENDING': {
    event_type: 'payment.pending',
    status: 'pending',
    amount_cents: 480000,
    currency: 'JPY',
  },
  'payment.updated:CANCELED': {
    event_type: 'payment.canceled',
    status: 'canceled',
    amount_cents: 1999,
    currency: 'GBP',
  },
  'payment.updated:FAILED:GENERIC_DECLINE': {
    event_type: 'payment.failed',
    status: 'failed',
    failure_code: 'do_not_honor',
    payment_id: 'hYy9pRFVxpDsO1FB05SunFWUe9JZY',
  },
  'payment.updated:FAILED:INSUFFICIENT_FUNDS': { status: 'failed', failure_code: 'insufficient_funds' },
  'payment.updated:FAILED:CVV_FAILURE': { status: 'failed', failure_code: 'incorrect_cvc' },
  'refund.created:PENDING': {
    event_type: 'refund.created',
    status: 'pending',
    amount_cents: 1000,
    payment_id: PAID,
    customer_id: null,
    failure_code: null,
  },
  'refund.updated:COMPLETED': { event_type: 'refund.succeeded', status: 'refunded', payment_id: PAID },
  'refund.updated:REJECTED': {
    event_type: 'refund.failed',
    status: 'failed',
    failure_code: 'other',
    amount_cents: 1500,
  },
  'refund.updated:FAILED': { event_type: 'refund.failed', status: 'failed', failure_code: 'other' },
};

test('each mapped fixture gives the right type, status, amount, currency, failure code and ids', () => {
  for (const [name, expected] of Object.entries(EXPECTED)) {
    const event = only(normalize(fixture(name)));
    assert.deepEqual({ ...event, ...expected }, event, name);
    assert.equal(event.provider, 'square');
    assert.equal(event.provider_event_type, name.split(':')[0]);
    assert.equal(event.merchant_id, 'MLEFBHHSJGVHD');
    assert.equal(event.received_at, RECEIVED);
    assert.equal(event.schema_version, 1);
    assert.equal(event.event_id, `square:${JSON.parse(fixture(name)).event_id}`);
  }
  // Disputes have their own table (dispute.test.ts).
  const mapped = squareFixtures.filter((f) => f.expect !== 'unsupported' && !f.name.startsWith('dispute.'));
  assert.equal(Object.keys(EXPECTED).length, mapped.length);
});

test('a redelivery of the same payload gives the same event, whenever it arrives', () => {
  for (const { payload, expect } of squareFixtures) {
    if (expect === 'unsupported') continue;
    const first = only(normalize(payload));
    const again = only(normalize(payload, '2026-03-02T08:00:00.000Z'));
    assert.deepEqual({ ...again, received_at: first.received_at }, first);
  }
});

test('the test notification and other non-payment types are unsupported, with their type', () => {
  assert.deepEqual(normalize(fixture('webhooks.test_notification')), {
    kind: 'unsupported',
    providerEventType: 'webhooks.test_notification',
  });
  assert.deepEqual(normalize('{"type":"payment.deleted"}'), {
    kind: 'unsupported',
    providerEventType: 'payment.deleted',
  });
  assert.deepEqual(normalize('{"type":"invoice.payment_made","data":7}'), {
    kind: 'unsupported',
    providerEventType: 'invoice.payment_made',
  });
});

test('bytes that are not a JSON object are invalid', () => {
  assert.deepEqual(codes(normalize('{"type":')), [':invalid_json']);
  assert.deepEqual(codes(normalize(Buffer.from([0xff, 0xfe]))), [':invalid_json']);
  assert.deepEqual(codes(normalize('[1,2]')), [':invalid_type']);
  assert.deepEqual(codes(normalize('{}')), ['type:missing_field']);
  assert.deepEqual(codes(normalize('{"type":42}')), ['type:invalid_type']);
});

test('every problem of a payment event is reported at once, by path', () => {
  const body = changed('payment.updated:COMPLETED', (event) => {
    delete event.event_id;
    event.created_at = 'yesterday';
    event.data.object.payment.amount_money.amount = '2500';
    delete event.data.object.payment.amount_money.currency;
  });
  assert.deepEqual(codes(normalize(body)).sort(), [
    'created_at:invalid_timestamp',
    'data.object.payment.amount_money.amount:invalid_amount',
    'data.object.payment.amount_money.currency:missing_field',
    'event_id:missing_field',
  ]);
});

test('a refund needs the payment it refunds, unless Square marks it unlinked', () => {
  const orphan = changed('refund.updated:COMPLETED', (event) => {
    delete event.data.object.refund.payment_id;
  });
  assert.deepEqual(codes(normalize(orphan)), ['data.object.refund.payment_id:missing_field']);
  const unlinked = changed('refund.updated:COMPLETED', (event) => {
    delete event.data.object.refund.payment_id;
    event.data.object.refund.unlinked = true;
  });
  assert.equal(only(normalize(unlinked)).payment_id, `${PAID}_xlEzrN7W4E0pxh0Z1jdVQV3dBrAKX`);
});

test('a payment or refund object that is missing or not an object is invalid', () => {
  const missing = changed('payment.created:APPROVED', (event) => {
    delete event.data.object;
  });
  assert.deepEqual(codes(normalize(missing)), ['data.object.payment:missing_field']);
  const wrong = changed('refund.created:PENDING', (event) => {
    event.data.object.refund = 'r1';
  });
  assert.deepEqual(codes(normalize(wrong)), ['data.object.refund:invalid_type']);
});

test('a field the unified schema refuses (an event id over 255 characters) is invalid, not thrown', () => {
  const body = changed('payment.updated:COMPLETED', (event) => {
    event.event_id = 'e'.repeat(300);
  });
  assert.deepEqual(codes(normalize(body)), ['event_id:invalid_value']);
});
