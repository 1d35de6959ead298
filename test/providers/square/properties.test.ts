/** Property tests: no input escapes verify, route or normalize as an exception; amounts survive exactly. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { UnifiedPaymentEvent } from '../../../src/contracts/payment-event.ts';
import type { NormalizeResult } from '../../../src/providers/provider.ts';
import { payment, refund, webhook } from '../../../src/providers/square/fixture-builders.ts';
import { squareFixtures } from '../../../src/providers/square/fixtures.ts';
import { createSquareProvider } from '../../../src/providers/square/index.ts';
import { PAYMENT_STATUSES, REFUND_STATUSES } from '../../../src/providers/square/maps.ts';
import { SQUARE_EXPONENTS } from '../../../src/providers/square/objects.ts';
import { SQUARE_TEST_URL, squareKit } from './kit.ts';

const provider = createSquareProvider({ signatureKeys: squareKit.secrets, notificationUrl: SQUARE_TEST_URL });
const configs = [
  provider,
  createSquareProvider({ signatureKeys: [], notificationUrl: SQUARE_TEST_URL }),
  createSquareProvider({ signatureKeys: squareKit.secrets, notificationUrl: null }),
];

function normalize(body: Buffer | string): NormalizeResult {
  const record = {
    id: 'r',
    provider: 'square' as const,
    received_at: '2026-03-01T12:00:00.000Z',
    headers: {},
    body: Buffer.from(body),
  };
  return provider.normalize(record);
}

/** Whatever normalize returns is one of the three kinds, and events always pass the unified schema. */
function assertWellFormed(result: NormalizeResult): void {
  assert.ok(['events', 'unsupported', 'invalid'].includes(result.kind));
  if (result.kind === 'events') for (const event of result.events) UnifiedPaymentEvent.parse(event);
  if (result.kind === 'invalid') assert.ok(result.errors.length > 0);
}

const bodies = fc.oneof(
  fc.uint8Array({ maxLength: 512 }).map((bytes) => Buffer.from(bytes)),
  fc.json().map((text) => Buffer.from(text)),
  fc.string({ unit: 'binary' }).map((text) => Buffer.from(text)),
);
const headers = fc.dictionary(
  fc.constantFrom('x-square-hmacsha256-signature', 'x-square-signature', 'content-type'),
  fc.oneof(fc.string(), fc.base64String({ minLength: 44, maxLength: 44 })),
);

test('arbitrary bytes and headers never throw out of verify, route or normalize', () => {
  fc.assert(
    fc.property(bodies, headers, (body, requestHeaders) => {
      for (const candidate of configs) {
        assert.equal(candidate.verify({ body, headers: requestHeaders, receivedAt: new Date() }).ok, false);
      }
      const route = provider.route(body);
      assert.ok(route.ok || route.message.length > 0);
      assertWellFormed(normalize(body));
    }),
    { numRuns: 500 },
  );
});

const PATHS = [
  ['type'],
  ['event_id'],
  ['created_at'],
  ['merchant_id'],
  ['data'],
  ['data', 'object'],
  ['data', 'object', 'payment'],
  ['data', 'object', 'refund'],
  ['data', 'object', 'payment', 'status'],
  ['data', 'object', 'refund', 'status'],
  ['data', 'object', 'payment', 'amount_money'],
  ['data', 'object', 'payment', 'amount_money', 'amount'],
  ['data', 'object', 'refund', 'amount_money', 'currency'],
  ['data', 'object', 'refund', 'payment_id'],
  ['data', 'object', 'payment', 'card_details', 'errors'],
  ['data', 'object', 'payment', 'card_details', 'errors', '0'],
  ['data', 'object', 'payment', 'customer_id'],
  ['data', 'object', 'dispute'],
  ['data', 'object', 'object'],
  ['data', 'object', 'dispute', 'id'],
  ['data', 'object', 'dispute', 'dispute_id'],
  ['data', 'object', 'dispute', 'state'],
  ['data', 'object', 'dispute', 'amount_money'],
  ['data', 'object', 'dispute', 'amount_money', 'amount'],
  ['data', 'object', 'dispute', 'amount_money', 'currency'],
  ['data', 'object', 'dispute', 'disputed_payment'],
  ['data', 'object', 'dispute', 'disputed_payment', 'payment_id'],
  ['data', 'object', 'dispute', 'reason'],
];

function replaced(root: unknown, path: readonly string[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [key = '', ...rest] = path;
  const container: Record<string, unknown> =
    typeof root === 'object' && root !== null ? { ...(root as Record<string, unknown>) } : {};
  container[key] = replaced(container[key], rest, value);
  return container;
}

test('real payloads with any field replaced by any JSON value normalize without throwing', () => {
  fc.assert(
    fc.property(
      fc.constantFrom(...squareFixtures),
      fc.array(fc.tuple(fc.constantFrom(...PATHS), fc.jsonValue()), { minLength: 1, maxLength: 3 }),
      (fixture, changes) => {
        let event: unknown = JSON.parse(fixture.payload);
        for (const [path, value] of changes) event = replaced(event, path, value);
        const body = Buffer.from(JSON.stringify(event));
        const route = provider.route(body);
        const result = normalize(body);
        assertWellFormed(result);
        // Whatever is stored was read on its payment's partition: the key and payment_id never disagree.
        if (result.kind === 'events') {
          assert.ok(route.ok, fixture.name);
          for (const unified of result.events) assert.equal(unified.payment_id, route.partitionKey, fixture.name);
        }
      },
    ),
    { numRuns: 1000 },
  );
});

const amounts = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });
const currencies = fc.constantFrom(...SQUARE_EXPONENTS.keys());

test('any amount in any currency of the table comes back exactly, through sign, verify and normalize', () => {
  fc.assert(
    fc.property(
      amounts,
      currencies,
      fc.constantFrom(...PAYMENT_STATUSES),
      fc.constantFrom(...REFUND_STATUSES),
      fc.uuid(),
      fc.boolean(),
      (amount, currency, paymentStatus, refundStatus, eventId, isRefund) => {
        const money = { amount, currency };
        const at = '2026-03-01T12:00:00.000Z';
        const payload = isRefund
          ? webhook('refund.updated', eventId, at, {
              refund: refund({ paymentId: 'p1', suffix: 'r1', status: refundStatus, money, at }),
            })
          : webhook('payment.updated', eventId, at, {
              payment: payment({ id: 'p1', status: paymentStatus, money, at }),
            });
        const signed = provider.sign(payload);
        const body = Buffer.from(signed.body);
        assert.deepEqual(provider.verify({ body, headers: signed.headers, receivedAt: new Date() }), { ok: true });
        const result = normalize(body);
        assert.equal(result.kind, 'events', JSON.stringify(result));
        assert.ok(result.kind === 'events');
        assert.deepEqual(
          result.events.map((event) => [event.amount_cents, event.currency, event.event_id, event.payment_id]),
          [[amount, currency, `square:${eventId}`, 'p1']],
        );
      },
    ),
    { numRuns: 500 },
  );
});
