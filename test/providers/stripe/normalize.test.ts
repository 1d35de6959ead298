import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { UnifiedPaymentEvent } from '../../../src/contracts/payment-event.ts';
import type { NormalizeResult } from '../../../src/providers/provider.ts';
import { stripeFixtures } from '../../../src/providers/stripe/fixtures.ts';
import { normalizeStripeEvent } from '../../../src/providers/stripe/normalize.ts';

const RECEIVED = '2026-03-01T12:00:00.000Z';
const normalize = (body: string | Buffer) =>
  normalizeStripeEvent({ id: 'r1', provider: 'stripe', received_at: RECEIVED, headers: {}, body: Buffer.from(body) });

/** A fixture's payload as loose JSON, for tests to break on purpose. */
type Payload = Record<string, unknown> & { data: { object: Record<string, unknown> } };

function payloadOf(name: string): Payload {
  const fixture = stripeFixtures.find((candidate) => candidate.name === name);
  assert.ok(fixture, name);
  return JSON.parse(fixture.payload);
}

function single(result: NormalizeResult) {
  assert.equal(result.kind, 'events', JSON.stringify(result));
  assert.ok(result.kind === 'events' && result.events.length === 1);
  const [event] = result.events;
  assert.ok(event);
  assert.deepEqual(UnifiedPaymentEvent.parse(event), event);
  return event;
}

function issues(result: NormalizeResult) {
  assert.equal(result.kind, 'invalid', JSON.stringify(result));
  return result.kind === 'invalid' ? result.errors.map((issue) => `${issue.path}:${issue.code}`) : [];
}

describe('each mapped kind', () => {
  // name → [event_type, status, amount_cents, currency, failure_code, payment_id prefix]
  const expected: Record<string, [string, string, number, string, string | null, string]> = {
    'payment_intent.requires_action': ['payment.pending', 'pending', 4999, 'USD', null, 'pi_3SxR2d'],
    'payment_intent.processing': ['payment.pending', 'pending', 4999, 'USD', null, 'pi_3SxR2d'],
    'payment_intent.succeeded': ['payment.succeeded', 'succeeded', 4999, 'USD', null, 'pi_3SxR2d'],
    'payment_intent.amount_capturable_updated': ['payment.authorized', 'authorized', 4800, 'JPY', null, 'pi_3SxS9f'],
    'payment_intent.payment_failed': ['payment.failed', 'failed', 12_900, 'EUR', 'insufficient_funds', 'pi_3SxV5j'],
    'payment_intent.canceled': ['payment.canceled', 'canceled', 4999, 'USD', null, 'pi_3SxX7m'],
    'charge.succeeded': ['payment.succeeded', 'succeeded', 4999, 'USD', null, 'pi_3SxR2d'],
    'charge.succeeded:uncaptured': ['payment.authorized', 'authorized', 4800, 'JPY', null, 'pi_3SxS9f'],
    'charge.captured': ['payment.captured', 'succeeded', 4800, 'JPY', null, 'pi_3SxS9f'],
    'charge.expired': ['payment.canceled', 'canceled', 12_350, 'KWD', null, 'pi_3SxU1h'],
    'charge.failed': ['payment.failed', 'failed', 12_900, 'EUR', 'lost_or_stolen_card', 'pi_3SxW6k'],
    'charge.pending': ['payment.pending', 'pending', 12_900, 'EUR', null, 'pi_3SxY8n'],
    'charge.refunded': ['refund.succeeded', 'refunded', 1500, 'USD', null, 'pi_3SxR2d'],
    'charge.refund.updated': ['refund.succeeded', 'refunded', 1500, 'USD', null, 'pi_3SxR2d'],
    'refund.created': ['refund.created', 'pending', 1500, 'USD', null, 'pi_3SxR2d'],
    'refund.updated': ['refund.succeeded', 'refunded', 1500, 'USD', null, 'pi_3SxR2d'],
    'refund.failed': ['refund.failed', 'failed', 1500, 'USD', 'expired_card', 'pi_3SxR2d'],
    'charge.dispute.created': ['dispute.opened', 'disputed', 23_450, 'GBP', null, 'pi_3SxT4g'],
    'charge.dispute.funds_withdrawn': ['dispute.opened', 'disputed', 23_450, 'GBP', null, 'pi_3SxT4g'],
    'charge.dispute.funds_reinstated': ['dispute.won', 'disputed', 23_450, 'GBP', null, 'pi_3SxT4g'],
    'charge.dispute.closed:won': ['dispute.won', 'disputed', 23_450, 'GBP', null, 'pi_3SxT4g'],
    'charge.dispute.closed:lost': ['dispute.lost', 'disputed', 4999, 'USD', null, 'pi_3Sy01q'],
  };
  for (const [name, [eventType, status, amount, currency, failure, payment]] of Object.entries(expected)) {
    test(name, () => {
      const payload = payloadOf(name);
      const event = single(normalize(JSON.stringify(payload)));
      assert.deepEqual(
        [event.event_type, event.status, event.amount_cents, event.currency, event.failure_code],
        [eventType, status, amount, currency, failure],
      );
      assert.ok(event.payment_id.startsWith(payment), event.payment_id);
      assert.equal(event.event_id, `stripe:${payload.id}`);
      assert.equal(event.provider_event_type, payload.type);
      assert.equal(event.merchant_id, payload.account ?? null);
      assert.equal(event.timestamp, new Date(Number(payload.created) * 1000).toISOString());
      assert.equal(event.received_at, RECEIVED);
    });
  }

  test('every payment fixture is covered above, and unsupported ones are unsupported', () => {
    for (const fixture of stripeFixtures) {
      if (fixture.expect === 'unsupported') assert.equal(normalize(fixture.payload).kind, 'unsupported');
      else assert.ok(fixture.name in expected, fixture.name);
    }
  });
});

describe('ids and metadata', () => {
  test('a redelivery of the same payload gets the same event_id; another event id another one', () => {
    const payload = payloadOf('charge.succeeded');
    const first = single(normalize(JSON.stringify(payload)));
    assert.deepEqual(single(normalize(JSON.stringify(payload, null, 2))), first);
    assert.notEqual(single(normalize(JSON.stringify({ ...payload, id: 'evt_other' }))).event_id, first.event_id);
  });

  test('raw codes, references and the merchant metadata (prefixed) are kept as strings', () => {
    const failed = single(normalize(JSON.stringify(payloadOf('payment_intent.payment_failed'))));
    assert.equal(failed.metadata.provider_failure_code, 'card_declined');
    assert.equal(failed.metadata.provider_decline_code, 'insufficient_funds');
    assert.equal(failed.metadata.charge_id, 'ch_3SxV5jK8hG4nL0aZ1e7RfH3d');
    assert.equal(failed.metadata['metadata.order_id'], '10482');
    const charge = single(normalize(JSON.stringify(payloadOf('charge.failed'))));
    assert.equal(charge.metadata.provider_decline_code, 'lost_card');
    assert.equal(charge.metadata.network_decline_code, '41');
    const refund = single(normalize(JSON.stringify(payloadOf('refund.failed'))));
    assert.equal(refund.metadata.refund_id, 're_3SxR2dK8hG4nL0aZ1q5JmR7v');
    assert.equal(refund.metadata.provider_failure_code, 'expired_or_canceled_card');
    const dispute = single(normalize(JSON.stringify(payloadOf('charge.dispute.created'))));
    assert.equal(dispute.metadata.dispute_id, 'dp_1SxZ9pK8hG4nL0aZkR3wT5yU');
    assert.equal(dispute.metadata.dispute_reason, 'fraudulent');
    assert.equal(dispute.customer_id, null);
  });

  test('funds reinstated after a lost dispute (a partially refunded charge) are no win: the status decides', () => {
    // stripe 23's ChargeDisputeFundsReinstatedEvent: "after a dispute is closed. This includes partially refunded
    // payments"; Stripe then returns only the refunded part and sets the dispute's status to lost.
    const payload = payloadOf('charge.dispute.funds_reinstated');
    payload.data.object.status = 'lost';
    const lost = single(normalize(JSON.stringify(payload)));
    assert.deepEqual([lost.event_type, lost.status], ['dispute.lost', 'disputed']);
    payload.data.object.status = 'warning_closed';
    assert.equal(single(normalize(JSON.stringify(payload))).event_type, 'dispute.won');
    payload.data.object.status = 'under_review';
    assert.deepEqual(issues(normalize(JSON.stringify(payload))), ['data.object.status:invalid_value']);
  });

  test('a Radar block is suspected fraud; an unknown decline code is other', () => {
    const payload = payloadOf('charge.failed');
    payload.data.object.outcome = { type: 'blocked', reason: 'highest_risk_level' };
    assert.equal(single(normalize(JSON.stringify(payload))).failure_code, 'suspected_fraud');
    payload.data.object.outcome = { type: 'issuer_declined', reason: 'brand_new_code' };
    payload.data.object.failure_code = 'also_new';
    assert.equal(single(normalize(JSON.stringify(payload))).failure_code, 'other');
  });

  test('a charge without a PaymentIntent is keyed by its own id; an expanded customer gives its id', () => {
    const payload = payloadOf('charge.succeeded');
    payload.data.object.payment_intent = null;
    payload.data.object.customer = { id: 'cus_expanded', object: 'customer' };
    const event = single(normalize(JSON.stringify(payload)));
    assert.equal(event.payment_id, payload.data.object.id);
    assert.equal(event.customer_id, 'cus_expanded');
  });
});

describe('unsupported and invalid', () => {
  test('non-payment and not-mapped types are unsupported', () => {
    for (const type of [
      'customer.created',
      'charge.updated',
      'payment_intent.created',
      'charge.brand_new',
      'invoice.paid',
    ]) {
      const payload = { ...payloadOf('charge.succeeded'), type };
      assert.deepEqual(normalize(JSON.stringify(payload)), { kind: 'unsupported', providerEventType: type });
    }
  });

  test('bytes that are not a JSON object', () => {
    assert.deepEqual(issues(normalize('{"id":')), [':invalid_json']);
    assert.deepEqual(issues(normalize(Buffer.from([0xff, 0xfe]))), [':invalid_json']);
    assert.deepEqual(issues(normalize('[1,2]')), [':invalid_type']);
    assert.deepEqual(issues(normalize('{"id":"evt_1"}')), ['type:missing_field']);
  });

  const broken = (name: string, change: (payload: Payload) => void) => {
    const payload = payloadOf(name);
    change(payload);
    return issues(normalize(JSON.stringify(payload)));
  };

  test('amounts: missing, fractional (never rounded), negative, beyond 2^53', () => {
    assert.deepEqual(
      broken('charge.succeeded', (p) => delete p.data.object.amount),
      ['data.object.amount:missing_field'],
    );
    assert.deepEqual(
      broken('charge.succeeded', (p) => (p.data.object.amount = 49.5)),
      ['data.object.amount:amount_precision'],
    );
    assert.deepEqual(
      broken('charge.succeeded', (p) => (p.data.object.amount = -1)),
      ['data.object.amount:amount_out_of_range'],
    );
    assert.deepEqual(
      broken('charge.succeeded', (p) => (p.data.object.amount = '4999')),
      ['data.object.amount:invalid_amount'],
    );
    assert.deepEqual(
      broken('charge.succeeded', (p) => (p.data.object.amount = 2 ** 60)),
      ['data.object.amount:amount_out_of_range'],
    );
  });

  test('currency unknown to the table, or missing', () => {
    assert.deepEqual(
      broken('charge.succeeded', (p) => (p.data.object.currency = 'xyz')),
      ['data.object.currency:unknown_currency'],
    );
    assert.deepEqual(
      broken('charge.succeeded', (p) => (p.data.object.currency = 'usdd')),
      ['data.object.currency:unknown_currency'],
    );
    assert.deepEqual(
      broken('charge.succeeded', (p) => delete p.data.object.currency),
      ['data.object.currency:missing_field'],
    );
  });

  test('envelope fields: id, created, data.object', () => {
    assert.deepEqual(
      broken('charge.succeeded', (p) => delete p.id),
      ['id:missing_field'],
    );
    assert.deepEqual(
      broken('charge.succeeded', (p) => (p.created = 'yesterday')),
      ['created:invalid_timestamp'],
    );
    assert.deepEqual(
      broken('charge.succeeded', (p) => delete p.created),
      ['created:missing_field'],
    );
    assert.deepEqual(
      broken('charge.succeeded', (p) => delete (p.data as Partial<Payload['data']>).object),
      ['data.object:missing_field'],
    );
  });

  test("a record whose received_at is not a time is an issue on the record's field", () => {
    const body = Buffer.from(JSON.stringify(payloadOf('charge.succeeded')));
    const result = normalizeStripeEvent({ id: 'r1', provider: 'stripe', received_at: 'soon', headers: {}, body });
    assert.deepEqual(issues(result), ['received_at:invalid_timestamp']);
  });

  test('contradictions are invalid values, not guesses', () => {
    assert.deepEqual(
      broken('charge.succeeded', (p) => (p.data.object.object = 'refund')),
      ['data.object.object:invalid_value'],
    );
    assert.deepEqual(
      broken('charge.succeeded', (p) => delete p.data.object.captured),
      ['data.object.captured:invalid_type'],
    );
    assert.deepEqual(
      broken('charge.dispute.closed:won', (p) => (p.data.object.status = 'needs_response')),
      ['data.object.status:invalid_value'],
    );
    assert.deepEqual(
      broken('refund.updated', (p) => (p.data.object.status = 'teleported')),
      ['data.object.status:invalid_value'],
    );
    assert.deepEqual(
      broken('refund.created', (p) => {
        p.data.object.payment_intent = null;
        p.data.object.charge = null;
      }),
      ['data.object.payment_intent:missing_field'],
    );
  });
});

test("the card's issuing country: alpha-2 from a Charge, absent from a PaymentIntent or when unusable", () => {
  const withCountry = (country: unknown) => {
    const payload = payloadOf('charge.succeeded');
    const details = payload.data.object.payment_method_details as { card: Record<string, unknown> };
    details.card.country = country;
    return single(normalize(JSON.stringify(payload))).metadata.card_country;
  };
  assert.equal(withCountry('US'), 'US');
  assert.equal(withCountry('jp'), 'JP');
  for (const bad of ['Unknown', 'XX', 7, null]) assert.equal(withCountry(bad), undefined, String(bad));
  assert.equal(
    single(normalize(JSON.stringify(payloadOf('payment_intent.succeeded')))).metadata.card_country,
    undefined,
  );
});
