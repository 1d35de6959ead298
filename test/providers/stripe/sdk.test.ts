/** The official SDK (stripe 23) judges our signatures in both directions, over every fixture. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import Stripe from 'stripe';
import { stripeFixtures } from '../../../src/providers/stripe/fixtures.ts';
import { createStripeProvider } from '../../../src/providers/stripe/index.ts';
import { NEW_SECRET, OLD_SECRET } from './kit.ts';

const stripe = new Stripe('sk_test_x');
const AT = new Date('2026-03-01T12:00:00.000Z');
const T = Math.floor(AT.getTime() / 1000);
const provider = createStripeProvider({ secrets: [NEW_SECRET, OLD_SECRET], toleranceSeconds: 300 });

const record = (body: string) => ({
  id: '01950000-0000-7000-8000-000000000001',
  provider: 'stripe' as const,
  received_at: AT.toISOString(),
  headers: {},
  body: Buffer.from(body),
});

describe('what the SDK signs, we accept and normalize', () => {
  for (const fixture of stripeFixtures) {
    test(fixture.name, () => {
      for (const secret of [NEW_SECRET, OLD_SECRET]) {
        const header = stripe.webhooks.generateTestHeaderString({ payload: fixture.payload, secret, timestamp: T });
        const result = provider.verify({
          body: Buffer.from(fixture.payload),
          headers: { 'stripe-signature': header },
          receivedAt: AT,
        });
        assert.deepEqual(result, { ok: true });
      }
      const normalized = provider.normalize(record(fixture.payload));
      if (fixture.expect === 'unsupported') assert.equal(normalized.kind, 'unsupported');
      else {
        assert.ok(normalized.kind === 'events', JSON.stringify(normalized));
        assert.deepEqual(
          normalized.events.map((event) => event.event_type),
          fixture.expect,
        );
        assert.equal(normalized.events[0]?.event_id, `stripe:${JSON.parse(fixture.payload).id}`);
      }
    });
  }
});

describe('what we sign, the SDK verifies', () => {
  for (const fixture of stripeFixtures) {
    test(fixture.name, () => {
      const signed = provider.sign(fixture.payload, { timestamp: AT });
      const event = stripe.webhooks.constructEvent(
        signed.body,
        signed.headers['stripe-signature'] ?? '',
        NEW_SECRET,
        300,
        undefined,
        AT.getTime(),
      );
      assert.equal(event.id, JSON.parse(fixture.payload).id);
      assert.equal(event.type, JSON.parse(fixture.payload).type);
    });
  }
});

describe('we and the SDK agree on refusals', () => {
  const payload = stripeFixtures[3]?.payload ?? '';
  const signed = provider.sign(payload, { timestamp: AT });
  const header = signed.headers['stripe-signature'] ?? '';
  const sdkAccepts = (body: string, secret: string, receivedAtMs: number) => {
    try {
      stripe.webhooks.constructEvent(body, header, secret, 300, undefined, receivedAtMs);
      return true;
    } catch {
      return false;
    }
  };
  const weAccept = (body: string, secret: string, receivedAtMs: number) =>
    createStripeProvider({ secrets: [secret], toleranceSeconds: 300 }).verify({
      body: Buffer.from(body),
      headers: { 'stripe-signature': header },
      receivedAt: new Date(receivedAtMs),
    }).ok;

  test('a secret that did not sign, a changed body, the tolerance boundary', () => {
    const cases: [string, string, number][] = [
      [payload, NEW_SECRET, AT.getTime()],
      [payload, OLD_SECRET, AT.getTime()],
      [payload.replace('4999', '4998'), NEW_SECRET, AT.getTime()],
      [payload, NEW_SECRET, AT.getTime() + 300_000],
      [payload, NEW_SECRET, AT.getTime() + 301_000],
    ];
    const verdicts = cases.map(([body, secret, at]) => [weAccept(body, secret, at), sdkAccepts(body, secret, at)]);
    assert.deepEqual(verdicts, [
      [true, true],
      [false, false],
      [false, false],
      [true, true],
      [false, false],
    ]);
  });

  test('a header carrying two v1 signatures (a secret being rolled) passes both', () => {
    const second = stripe.webhooks.generateTestHeaderString({ payload, secret: OLD_SECRET, timestamp: T });
    const both = `${header},v1=${second.split('v1=')[1]}`;
    assert.ok(
      createStripeProvider({ secrets: [OLD_SECRET], toleranceSeconds: 300 }).verify({
        body: Buffer.from(payload),
        headers: { 'stripe-signature': both },
        receivedAt: AT,
      }).ok,
    );
    assert.ok(stripe.webhooks.constructEvent(payload, both, OLD_SECRET, 300, undefined, AT.getTime()));
  });
});
