import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { UnifiedPaymentEvent } from '../../../src/contracts/payment-event.ts';
import { stripeFixtures } from '../../../src/providers/stripe/fixtures.ts';
import { createStripeProvider } from '../../../src/providers/stripe/index.ts';
import { STRIPE_EXPONENTS } from '../../../src/providers/stripe/maps.ts';
import { NEW_SECRET } from './kit.ts';

const AT = new Date('2026-03-01T12:00:00.000Z');
const provider = createStripeProvider({ secrets: [NEW_SECRET], toleranceSeconds: 300 });
const record = (body: Buffer) => ({
  id: 'r',
  provider: 'stripe' as const,
  received_at: AT.toISOString(),
  headers: {},
  body,
});

/** Everything must come back as a value; an event that does come back must satisfy the contract. */
function total(body: Buffer, header: string | undefined) {
  const verified = provider.verify({ body, headers: { 'stripe-signature': header }, receivedAt: AT });
  assert.equal(typeof verified.ok, 'boolean');
  const routed = provider.route(body);
  assert.ok(routed.ok || routed.message.length > 0);
  const normalized = provider.normalize(record(body));
  if (normalized.kind === 'events') for (const event of normalized.events) UnifiedPaymentEvent.parse(event);
  else if (normalized.kind === 'invalid') assert.ok(normalized.errors.length > 0);
  return verified;
}

const header = fc.oneof(
  fc.string(),
  fc.tuple(fc.string(), fc.string()).map(([t, v]) => `t=${t},v1=${v}`),
  fc
    .tuple(fc.integer(), fc.string({ unit: fc.constantFrom(...'0123456789abcdef') }))
    .map(([t, v]) => `t=${t},v0=${v},v1=${v}`),
  fc.constant(undefined),
);

test('arbitrary bytes, JSON and headers never throw out of verify, route or normalize', () => {
  fc.assert(
    fc.property(
      fc.oneof(
        fc.uint8Array({ maxLength: 400 }).map((bytes) => Buffer.from(bytes)),
        fc.json().map((text) => Buffer.from(text)),
      ),
      header,
      (body, signature) => assert.equal(total(body, signature).ok, false),
    ),
    { numRuns: 500 },
  );
});

const ENVELOPE_FIELDS = ['id', 'type', 'created', 'account', 'data'];
const OBJECT_FIELDS = ['object', 'id', 'amount', 'amount_received', 'currency', 'status', 'captured', 'payment_intent'];
const MORE_OBJECT_FIELDS = ['charge', 'customer', 'metadata', 'outcome', 'last_payment_error', 'failure_reason'];

test('any field of any fixture replaced by any JSON value never throws, and what normalizes is valid', () => {
  const payloads = stripeFixtures.map((fixture) => JSON.parse(fixture.payload));
  const place = fc.oneof(
    fc.constantFrom(...ENVELOPE_FIELDS).map((field) => ({ inObject: false, field })),
    fc.constantFrom(...OBJECT_FIELDS, ...MORE_OBJECT_FIELDS).map((field) => ({ inObject: true, field })),
  );
  fc.assert(
    fc.property(fc.constantFrom(...payloads), place, fc.jsonValue(), (payload, { inObject, field }, value) => {
      const copy = structuredClone(payload);
      (inObject ? copy.data.object : copy)[field] = value;
      const signed = provider.sign(JSON.stringify(copy), { timestamp: AT });
      assert.deepEqual(total(Buffer.from(signed.body), signed.headers['stripe-signature']), { ok: true });
    }),
    { numRuns: 500 },
  );
});

test('for every currency in the table and any safe amount, sign → verify → normalize gives the amount back exactly', () => {
  const base = JSON.parse(
    stripeFixtures.find((fixture) => fixture.name === 'payment_intent.succeeded')?.payload ?? '{}',
  );
  fc.assert(
    fc.property(fc.constantFrom(...STRIPE_EXPONENTS.keys()), fc.maxSafeNat(), (currency, amount) => {
      const payload = structuredClone(base);
      Object.assign(payload.data.object, { amount, amount_received: amount, currency: currency.toLowerCase() });
      const signed = provider.sign(JSON.stringify(payload, null, 2), { timestamp: AT });
      const body = Buffer.from(signed.body);
      assert.deepEqual(provider.verify({ body, headers: signed.headers, receivedAt: AT }), { ok: true });
      const normalized = provider.normalize(record(body));
      assert.ok(normalized.kind === 'events', JSON.stringify(normalized));
      assert.equal(normalized.events[0]?.amount_cents, amount);
      assert.equal(normalized.events[0]?.currency, currency);
    }),
    { numRuns: 1000 },
  );
});
