import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { UnifiedPaymentEvent } from '../../../src/contracts/payment-event.ts';
import type { ValidationIssue } from '../../../src/contracts/reasons.ts';
import type { NormalizeResult } from '../../../src/providers/provider.ts';
import { squareFixtures } from '../../../src/providers/square/fixtures.ts';
import { normalizeSquare } from '../../../src/providers/square/normalize.ts';

const RECEIVED = '2026-03-01T12:10:00.000Z';

function normalize(body: string | Buffer, receivedAt = RECEIVED): NormalizeResult {
  return normalizeSquare({
    id: 'rec-1',
    provider: 'square',
    received_at: receivedAt,
    headers: {},
    body: Buffer.from(body),
  });
}

function fixture(name: string): string {
  const found = squareFixtures.find((candidate) => candidate.name === name);
  assert.ok(found, name);
  return found.payload;
}

/** The fixture with a change applied to its parsed JSON. */
// biome-ignore lint/suspicious/noExplicitAny: the tests reshape payloads into deliberately ill-typed ones.
function changed(name: string, change: (event: Record<string, any>) => void): string {
  const event = JSON.parse(fixture(name));
  change(event);
  return JSON.stringify(event);
}

function only(result: NormalizeResult): UnifiedPaymentEvent {
  assert.equal(result.kind, 'events', JSON.stringify(result));
  assert.ok(result.kind === 'events');
  assert.equal(result.events.length, 1);
  const [event] = result.events;
  assert.ok(event);
  return event;
}

function issues(result: NormalizeResult): readonly ValidationIssue[] {
  assert.equal(result.kind, 'invalid', JSON.stringify(result));
  assert.ok(result.kind === 'invalid');
  return result.errors;
}

function codes(result: NormalizeResult): string[] {
  return issues(result).map((issue) => `${issue.path}:${issue.code}`);
}

const PAID = 'KkAkhdMsgzn59SM8A89WgKwekxLZY';
const CUSTOMER = 'JDKYHBWT1D4F8MFH63DBMEN8Y4';

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
  assert.equal(Object.keys(EXPECTED).length, squareFixtures.filter((f) => f.expect !== 'unsupported').length);
});

test('a failed payment keeps Square’s raw codes and the card facts in metadata', () => {
  const event = only(normalize(fixture('payment.updated:FAILED:INSUFFICIENT_FUNDS')));
  assert.deepEqual(
    {
      code: event.metadata.provider_failure_code,
      decline: event.metadata.provider_decline_code,
      category: event.metadata.provider_error_category,
      status: event.metadata.provider_status,
      card: event.metadata.card_status,
      location: event.metadata.location_id,
    },
    {
      code: 'INSUFFICIENT_FUNDS',
      decline: 'INSUFFICIENT_FUNDS',
      category: 'PAYMENT_METHOD_ERROR',
      status: 'FAILED',
      card: 'FAILED',
      location: 'L88917AVBK2S5',
    },
  );
});

test('a refund keeps its own id, reason and order in metadata', () => {
  const event = only(normalize(fixture('refund.created:PENDING')));
  assert.equal(event.metadata.refund_id, `${PAID}_xlEzrN7W4E0pxh0Z1jdVQV3dBrAKX`);
  assert.equal(event.metadata.refund_reason, 'Returned one item');
  assert.equal(event.metadata.order_id, 'CAISENgvhpdP05f1DWG9H8yMn4kZY');
  assert.equal(event.metadata.provider_status, 'PENDING');
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

test('amounts: fractions of a minor unit are amount_precision, never rounded; negatives and > 2^53 are out of range', () => {
  const amount = (value: unknown) =>
    changed('payment.updated:COMPLETED', (event) => {
      event.data.object.payment.amount_money.amount = value;
    });
  assert.deepEqual(codes(normalize(amount(2500.5))), ['data.object.payment.amount_money.amount:amount_precision']);
  assert.deepEqual(codes(normalize(amount(-1))), ['data.object.payment.amount_money.amount:amount_out_of_range']);
  const huge = fixture('payment.updated:COMPLETED').replace('"amount":2500', '"amount":9007199254740993');
  assert.deepEqual(codes(normalize(huge)), ['data.object.payment.amount_money.amount:amount_out_of_range']);
  assert.equal(only(normalize(amount(0))).amount_cents, 0);
});

test('currencies: unknown codes are unknown_currency; a lower-case code is upper-cased', () => {
  const currency = (code: string) =>
    changed('payment.updated:COMPLETED', (event) => {
      event.data.object.payment.amount_money.currency = code;
    });
  assert.deepEqual(codes(normalize(currency('XYZ'))), ['data.object.payment.amount_money.currency:unknown_currency']);
  assert.deepEqual(codes(normalize(currency('BTC'))), ['data.object.payment.amount_money.currency:unknown_currency']);
  assert.equal(only(normalize(currency('usd'))).currency, 'USD');
  assert.equal(only(normalize(currency('KWD'))).amount_cents, 2500);
});

test('a status Square has not documented is invalid_value, not a guess', () => {
  const body = changed('payment.updated:COMPLETED', (event) => {
    event.data.object.payment.status = 'DISPUTED';
  });
  const [issue] = issues(normalize(body));
  assert.deepEqual([issue?.path, issue?.code], ['data.object.payment.status', 'invalid_value']);
  assert.match(issue?.message ?? '', /DISPUTED/);
  const refund = changed('refund.updated:COMPLETED', (event) => {
    event.data.object.refund.status = 'REVERSED';
  });
  assert.deepEqual(codes(normalize(refund)), ['data.object.refund.status:invalid_value']);
});

test('a failed payment with an unknown error code, or none, is `other`', () => {
  const unknown = changed('payment.updated:FAILED:GENERIC_DECLINE', (event) => {
    event.data.object.payment.card_details.errors[0].code = 'BRAND_NEW_DECLINE';
  });
  const event = only(normalize(unknown));
  assert.equal(event.failure_code, 'other');
  assert.equal(event.metadata.provider_failure_code, 'BRAND_NEW_DECLINE');
  for (const errors of [undefined, [], ['GENERIC_DECLINE'], 'GENERIC_DECLINE']) {
    const body = changed('payment.updated:FAILED:GENERIC_DECLINE', (event) => {
      event.data.object.payment.card_details.errors = errors;
    });
    assert.equal(only(normalize(body)).failure_code, 'other', JSON.stringify(errors));
  }
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

test('optional fields: no merchant or customer gives null; non-string metadata is left out', () => {
  const body = changed('payment.updated:COMPLETED', (event) => {
    delete event.merchant_id;
    delete event.data.object.payment.customer_id;
    event.data.object.payment.order_id = 12;
  });
  const event = only(normalize(body));
  assert.equal(event.merchant_id, null);
  assert.equal(event.customer_id, null);
  assert.equal(event.metadata.order_id, undefined);
  assert.ok(Object.values(event.metadata).every((value) => typeof value === 'string'));
});

test('a field the unified schema refuses (an event id over 255 characters) is invalid, not thrown', () => {
  const body = changed('payment.updated:COMPLETED', (event) => {
    event.event_id = 'e'.repeat(300);
  });
  assert.deepEqual(codes(normalize(body)), ['event_id:invalid_value']);
});

test('a failed bank-account (ACH) payment takes its error from bank_account_details', () => {
  const body = changed('payment.updated:FAILED:GENERIC_DECLINE', (event) => {
    const payment = event.data.object.payment;
    delete payment.card_details;
    payment.source_type = 'BANK_ACCOUNT';
    payment.bank_account_details = {
      bank_name: 'Citizens Bank',
      transfer_type: 'ACH',
      account_ownership_type: 'INDIVIDUAL',
      country: 'US',
      errors: [{ category: 'PAYMENT_METHOD_ERROR', code: 'INSUFFICIENT_FUNDS' }],
    };
  });
  const event = only(normalize(body));
  assert.equal(event.failure_code, 'insufficient_funds');
  assert.equal(event.metadata.provider_failure_code, 'INSUFFICIENT_FUNDS');
  assert.equal(event.metadata.source_type, 'BANK_ACCOUNT');
});
