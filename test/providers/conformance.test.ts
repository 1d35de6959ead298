/**
 * One conformance suite over every provider (STYLE.md): sign → verify round trips, tampering, rotation,
 * tolerance, known-answer vectors, wrong secrets, missing signatures, routing and normalization of every
 * fixture, and hostile input.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { loadConfig } from '../../src/config/config.ts';
import { isPaypipeError } from '../../src/contracts/errors.ts';
import { UnifiedPaymentEvent } from '../../src/contracts/payment-event.ts';
import { RAW_TOPICS } from '../../src/contracts/topics.ts';
import type { Provider, SignedRequest, WebhookRequest } from '../../src/providers/provider.ts';
import { createProviderRegistry } from '../../src/providers/registry.ts';
import { adyenKit } from './adyen/kit.ts';
import { braintreeKit } from './braintree/kit.ts';
import type { ConformanceKit } from './kit.ts';
import { squareKit } from './square/kit.ts';
import { stripeKit } from './stripe/kit.ts';

const KITS: Readonly<Record<string, ConformanceKit<unknown>>> = {
  stripe: stripeKit,
  square: squareKit,
  adyen: adyenKit,
  braintree: braintreeKit,
};

const SIGNED_AT = new Date('2026-03-01T12:00:00.000Z');

function asRequest(signed: SignedRequest, receivedAt = SIGNED_AT): WebhookRequest {
  return { body: Buffer.from(signed.body, 'utf8'), headers: signed.headers, receivedAt };
}

function record(provider: Provider, request: WebhookRequest) {
  return {
    id: '01950000-0000-7000-8000-000000000001',
    provider: provider.name,
    received_at: request.receivedAt.toISOString(),
    headers: {},
    body: request.body,
  };
}

for (const [name, kit] of Object.entries(KITS)) {
  describe(`${name} conformance`, () => {
    const [oldSecrets, newSecrets] = kit.secrets;
    const provider = kit.create([newSecrets]);

    test('signing with nothing configured names every variable to set (paypipe sign, trigger, simulate)', () => {
      const unconfigured = createProviderRegistry(loadConfig({}).providers)[provider.name];
      const missing = unconfigured.missingSettings();
      assert.ok(missing.length > 0);
      const [fixture] = kit.fixtures;
      assert.ok(fixture);
      assert.throws(
        () => unconfigured.sign(fixture.payload),
        (error) =>
          isPaypipeError(error, 'PAYPIPE_ERR_SIGNING') && missing.every((setting) => error.message.includes(setting)),
      );
    });

    test('has fixtures covering payment events and at least one unsupported kind', () => {
      assert.ok(kit.fixtures.some((fixture) => fixture.expect === 'unsupported'));
      assert.ok(kit.fixtures.filter((fixture) => fixture.expect !== 'unsupported').length >= 4);
    });

    for (const fixture of kit.fixtures) {
      test(`${fixture.name}: signs, verifies, routes and normalizes as expected`, () => {
        const request = asRequest(provider.sign(fixture.payload, { timestamp: SIGNED_AT }));
        assert.deepEqual(provider.verify(request), { ok: true });
        const normalized = provider.normalize(record(provider, request));
        if (fixture.expect === 'unsupported') {
          assert.equal(normalized.kind, 'unsupported');
          return;
        }
        assert.equal(normalized.kind, 'events', JSON.stringify(normalized));
        assert.ok(normalized.kind === 'events');
        assert.deepEqual(
          normalized.events.map((event) => event.event_type),
          fixture.expect,
        );
        for (const event of normalized.events) {
          assert.deepEqual(UnifiedPaymentEvent.parse(event), event);
          assert.equal(event.provider, name);
          assert.ok(event.event_id.startsWith(`${name}:`));
        }
        const route = provider.route(request.body);
        assert.ok(route.ok, 'a payment fixture must be routable');
        assert.ok((RAW_TOPICS[provider.name] as readonly string[]).includes(route.topic));
        assert.equal(route.partitionKey, normalized.events[0]?.payment_id);
        const again = provider.normalize(record(provider, request));
        assert.deepEqual(again, normalized, 'normalization is deterministic: a redelivery gets the same event ids');
      });
    }

    const sample = kit.fixtures.find((fixture) => fixture.expect !== 'unsupported');
    assert.ok(sample);

    test('a tampered request fails with no_matching_signature', () => {
      const tampered = kit.tamper(provider.sign(sample.payload, { timestamp: SIGNED_AT }));
      const result = provider.verify(asRequest(tampered));
      assert.equal(result.ok, false);
      assert.ok(!result.ok && result.reason === 'no_matching_signature', JSON.stringify(result));
    });

    test('rotation: a provider holding the new and the old secret accepts what either signs', () => {
      const rotating = kit.create([newSecrets, oldSecrets]);
      for (const secrets of [oldSecrets, newSecrets]) {
        const signed = kit.create([secrets]).sign(sample.payload, { timestamp: SIGNED_AT });
        assert.deepEqual(rotating.verify(asRequest(signed)), { ok: true });
      }
    });

    test(`known answer (${kit.knownAnswer.source}): verify accepts it, and sign reproduces it`, () => {
      const { provider: known, payload, signedAt, request } = kit.knownAnswer;
      assert.deepEqual(known.verify(asRequest(request, signedAt)), { ok: true });
      const signed = known.sign(payload, { timestamp: signedAt });
      assert.equal(signed.body, request.body);
      for (const header of known.signatureHeaders) {
        assert.equal(signed.headers[header], request.headers[header], header);
      }
    });

    const tolerance = kit.toleranceSeconds;
    if (tolerance === null) {
      test('no signed time: a retry 30 days later (as long as Adyen retries) still verifies', () => {
        const signed = provider.sign(sample.payload, { timestamp: SIGNED_AT });
        const later = new Date(SIGNED_AT.getTime() + 30 * 86_400_000);
        assert.deepEqual(provider.verify(asRequest(signed, later)), { ok: true });
      });
    } else {
      test(`tolerance: verifies ${tolerance} s after signing, refused one second later`, () => {
        const signed = provider.sign(sample.payload, { timestamp: SIGNED_AT });
        const after = (seconds: number) => asRequest(signed, new Date(SIGNED_AT.getTime() + seconds * 1000));
        assert.deepEqual(provider.verify(after(tolerance)), { ok: true });
        const late = provider.verify(after(tolerance + 1));
        assert.ok(!late.ok && late.reason === 'timestamp_outside_tolerance', JSON.stringify(late));
      });
    }

    test('a request signed with a secret that is no longer configured is refused', () => {
      const signed = kit.create([oldSecrets]).sign(sample.payload, { timestamp: SIGNED_AT });
      const result = provider.verify(asRequest(signed));
      assert.equal(result.ok, false);
    });

    test('a request without its signature headers is refused with a stable reason', () => {
      const signed = provider.sign(sample.payload, { timestamp: SIGNED_AT });
      const result = provider.verify({ ...asRequest(signed), headers: {} });
      assert.equal(result.ok, false);
      assert.ok(!result.ok && typeof result.message === 'string' && result.message.length > 0);
    });

    test('a provider with no secret configured refuses everything with no_secret_configured', () => {
      const signed = provider.sign(sample.payload, { timestamp: SIGNED_AT });
      const result = kit.create([]).verify(asRequest(signed));
      assert.ok(!result.ok && result.reason === 'no_secret_configured', JSON.stringify(result));
    });

    test('missingSettings is empty when configured, and names the variables verify lacks when not', () => {
      assert.deepEqual(provider.missingSettings(), []);
      const missing = kit.create([]).missingSettings();
      assert.ok(missing.length > 0);
      for (const setting of missing) assert.match(setting, new RegExp(`^PAYPIPE_${name.toUpperCase()}_[A-Z_]+$`));
    });

    test('arbitrary bytes and headers never throw out of verify, route or normalize', () => {
      fc.assert(
        fc.property(
          fc.oneof(
            fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
            fc.json().map((text) => Buffer.from(text)),
          ),
          fc.dictionary(fc.constantFrom(...provider.signatureHeaders, 'content-type', 'authorization'), fc.string()),
          (body, headers) => {
            const request = { body, headers, receivedAt: SIGNED_AT };
            assert.equal(provider.verify(request).ok, false);
            provider.route(body);
            const normalized = provider.normalize(record(provider, request));
            assert.ok(['events', 'unsupported', 'invalid'].includes(normalized.kind));
          },
        ),
        { numRuns: 300 },
      );
    });
  });
}
