/**
 * Stripe renders each event in the API version of the endpoint (or the account), and teams pin old versions
 * for years: the same fact arrives in different shapes. Each payload here is verified, routed and normalized
 * as the gateway and the normalizer do it.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { UnifiedPaymentEvent } from '../../../src/contracts/payment-event.ts';
import type { NormalizeResult } from '../../../src/providers/provider.ts';
import { charge, dispute, event, paymentIntent, refund, T0 } from '../../../src/providers/stripe/fixture-objects.ts';
import { createStripeProvider } from '../../../src/providers/stripe/index.ts';

const SECRET = 'whsec_Vq3xL8mN2pR5tW7yB0cE4gJ6kZ9aD1fH';
const provider = createStripeProvider({ secrets: [SECRET], toleranceSeconds: 300 });
const RECEIVED = new Date('2026-03-20T12:00:00.000Z');

type Json = Record<string, unknown>;

/** An envelope in API version `version` (the builders write the newest). */
function inVersion(version: string | null, id: string, type: string, object: Json, extra: Json = {}): string {
  const envelope = JSON.parse(event(id, type, T0 + 60, object)) as Json;
  return JSON.stringify({ ...envelope, api_version: version, ...extra });
}

/** Signs, verifies, routes and normalizes one payload as the pipeline does. */
function pipeline(payload: string) {
  const signed = provider.sign(payload, { timestamp: RECEIVED });
  const body = Buffer.from(signed.body);
  const verified = provider.verify({ body, headers: signed.headers, receivedAt: RECEIVED, explain: false });
  assert.deepEqual(verified, { ok: true });
  const route = provider.route(body);
  const normalized = provider.normalize({
    id: 'r1',
    provider: 'stripe',
    received_at: RECEIVED.toISOString(),
    headers: signed.headers,
    body,
  });
  return { route, normalized };
}

function single(result: NormalizeResult) {
  assert.equal(result.kind, 'events', JSON.stringify(result));
  assert.ok(result.kind === 'events' && result.events.length === 1);
  const [unified] = result.events;
  assert.ok(unified);
  assert.deepEqual(UnifiedPaymentEvent.parse(unified), unified);
  return unified;
}

const PI = 'pi_3TaB1cK8hG4nL0aZ0q2WeR5t';
const CH = 'ch_3TaB1cK8hG4nL0aZ0x7YuI9o';
const RE = 're_3TaB1cK8hG4nL0aZ0m4NbV6c';
const USD = { amount: 10_000, currency: 'usd' };

/** A manual-capture charge after capturing 6,000 of its 10,000 authorized. */
const partlyCaptured = (fields: Json = {}) =>
  charge(CH, PI, USD, 'succeeded', { captured: true, amount_captured: 6000, ...fields });

describe('authorizations released under versions before 2025-03-31.basil', () => {
  // Before basil, cancelling an uncaptured payment (or letting it expire) and capturing part of one created a
  // Refund of the released money: charge.refunded and charge.refund.updated were sent though nothing went back.
  test('charge.refunded of an uncaptured charge is its cancellation, not a refund', () => {
    const released = charge(CH, PI, USD, 'succeeded', {
      captured: false,
      amount_captured: null,
      amount_refunded: USD.amount,
      refunded: true,
    });
    const { route, normalized } = pipeline(inVersion('2024-06-20', 'evt_1TaB1c01', 'charge.refunded', released));
    assert.ok(route.ok && route.partitionKey === PI);
    const unified = single(normalized);
    assert.deepEqual(
      [unified.event_type, unified.status, unified.amount_cents, unified.currency],
      ['payment.canceled', 'canceled', 10_000, 'USD'],
    );
  });

  test('charge.refunded after a partial capture leaves out the released remainder', () => {
    // Captured 6,000, released 4,000, then refunded 1,500 of the captured money: amount_refunded says 5,500.
    const refunded = partlyCaptured({ amount_refunded: 5500, refunded: false });
    const unified = single(pipeline(inVersion('2023-10-16', 'evt_1TaB1c02', 'charge.refunded', refunded)).normalized);
    assert.deepEqual([unified.event_type, unified.amount_cents], ['refund.succeeded', 1500]);
  });

  test('the charge.refunded a partial capture itself sends refunds nothing', () => {
    const released = partlyCaptured({ amount_refunded: 4000 });
    const { normalized } = pipeline(inVersion('2022-11-15', 'evt_1TaB1c03', 'charge.refunded', released));
    assert.deepEqual(normalized, { kind: 'unsupported', providerEventType: 'charge.refunded' });
  });

  test('from basil on, amount_refunded counts refunds only and is taken as sent', () => {
    const refunded = partlyCaptured({ amount_refunded: 1500 });
    for (const version of ['2025-03-31.basil', '2026-10-28.endive']) {
      const unified = single(pipeline(inVersion(version, 'evt_1TaB1c04', 'charge.refunded', refunded)).normalized);
      assert.deepEqual([unified.event_type, unified.amount_cents], ['refund.succeeded', 1500], version);
    }
  });

  test('the Refund Stripe made of an expired authorization is no refund', () => {
    const release = refund(RE, CH, PI, USD, 'succeeded', { reason: 'expired_uncaptured_charge' });
    for (const type of ['charge.refund.updated', 'refund.created', 'refund.updated']) {
      const { route, normalized } = pipeline(inVersion('2024-04-10', 'evt_1TaB1c05', type, release));
      assert.ok(route.ok, type);
      assert.deepEqual(normalized, { kind: 'unsupported', providerEventType: type });
    }
  });
});

describe('older shapes of the same objects', () => {
  test('a 2015 Charge: no PaymentIntent, no outcome, no amount_captured, request as a string', () => {
    const old = charge(CH, null, USD, 'succeeded', {
      amount_captured: undefined,
      outcome: undefined,
      payment_method_details: undefined,
      source: { id: 'card_1TaB1c', object: 'card', brand: 'Visa', country: 'US', last4: '4242' },
    });
    const payload = inVersion('2015-10-16', 'evt_1TaB1c06', 'charge.succeeded', old, { request: 'iar_7YRtA4LFd' });
    const { route, normalized } = pipeline(payload);
    assert.ok(route.ok && route.partitionKey === CH);
    const unified = single(normalized);
    assert.deepEqual(
      [unified.event_type, unified.amount_cents, unified.payment_id, unified.metadata.api_version],
      ['payment.succeeded', 10_000, CH, '2015-10-16'],
    );
  });

  test('charge.captured without amount_captured (versions before it existed) is a clear validation issue', () => {
    const old = charge(CH, PI, USD, 'succeeded', { amount_captured: undefined });
    const { normalized } = pipeline(inVersion('2019-12-03', 'evt_1TaB1c07', 'charge.captured', old));
    assert.equal(normalized.kind, 'invalid');
    assert.ok(normalized.kind === 'invalid');
    assert.deepEqual(
      normalized.errors.map((issue) => `${issue.path}:${issue.code}`),
      ['data.object.amount_captured:missing_field'],
    );
  });

  test('a PaymentIntent before 2022-11-15 embeds its charges and has no latest_charge', () => {
    const embedded = {
      object: 'list',
      data: [partlyCaptured()],
      has_more: false,
      url: `/v1/charges?payment_intent=${PI}`,
    };
    const pi = paymentIntent(PI, USD, 'succeeded', {
      amount_received: 6000,
      charges: embedded,
      latest_charge: undefined,
    });
    const unified = single(
      pipeline(inVersion('2020-08-27', 'evt_1TaB1c08', 'payment_intent.succeeded', pi)).normalized,
    );
    assert.deepEqual([unified.event_type, unified.amount_cents, unified.payment_id], ['payment.succeeded', 6000, PI]);
  });

  test('expanded ids read as their ids', () => {
    const expanded = partlyCaptured({
      customer: { id: 'cus_TaB1c', object: 'customer' },
      payment_intent: { id: PI, object: 'payment_intent' },
    });
    const { route, normalized } = pipeline(inVersion('2024-06-20', 'evt_1TaB1c09', 'charge.captured', expanded));
    assert.ok(route.ok && route.partitionKey === PI);
    const unified = single(normalized);
    assert.deepEqual([unified.payment_id, unified.customer_id], [PI, 'cus_TaB1c']);
  });

  test('the same event redelivered in another version keeps its event_id', () => {
    const oldShape = inVersion('2020-08-27', 'evt_1TaB1c10', 'charge.captured', partlyCaptured({ refunds: [] }));
    const newShape = inVersion('2026-10-28.endive', 'evt_1TaB1c10', 'charge.captured', partlyCaptured());
    const ids = [oldShape, newShape].map((payload) => single(pipeline(payload).normalized).event_id);
    assert.deepEqual(ids, ['stripe:evt_1TaB1c10', 'stripe:evt_1TaB1c10']);
  });
});

describe('thin events (event destinations)', () => {
  const thin = (type: string, related: Json) =>
    JSON.stringify({
      id: 'evt_test_65TaB1cK8hG4nL0aZ1',
      object: 'v2.core.event',
      type,
      livemode: false,
      created: '2026-03-20T11:59:58.120Z',
      context: null,
      reason: { type: 'request', request: { id: 'req_v2TaB1c', idempotency_key: 'a1b2' } },
      related_object: related,
      snapshot_event: 'evt_3TaB1cK8hG4nL0aZ0cRtE001',
    });

  test('a thin v1 payment event verifies and is dead-lettered unroutable, saying why and where the fact is', () => {
    const { route, normalized } = pipeline(
      thin('v1.charge.captured', { id: CH, type: 'charge', url: `/v1/charges/${CH}` }),
    );
    assert.equal(route.ok, false);
    assert.ok(!route.ok);
    assert.match(route.message, /thin event/);
    assert.match(route.message, new RegExp(CH));
    assert.match(route.message, /evt_3TaB1cK8hG4nL0aZ0cRtE001/);
    assert.match(route.message, /snapshot/);
    // Replayed past the gateway, the normalizer takes it for no payment fact rather than failing on it.
    assert.notEqual(normalized.kind, 'events');
  });

  test('a thin v2 event without related_object is dead-lettered too', () => {
    const { route } = pipeline(thin('v2.core.event_destination.ping', null as unknown as Json));
    assert.ok(!route.ok);
    assert.match(route.message, /thin event/);
  });
});

describe('dispute statuses of versions before 2014-11-20', () => {
  test('charge_refunded, the status a won dispute of a refunded charge took then, is won', () => {
    const closed = dispute('dp_1TaB1cK8hG4nL0aZ', CH, PI, USD, 'charge_refunded');
    const { route, normalized } = pipeline(inVersion('2014-10-07', 'evt_1TaB1c11', 'charge.dispute.closed', closed));
    assert.ok(route.ok && route.partitionKey === PI);
    const unified = single(normalized);
    assert.deepEqual([unified.event_type, unified.status, unified.amount_cents], ['dispute.won', 'disputed', 10_000]);
  });
});
