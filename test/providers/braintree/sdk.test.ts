/**
 * The official braintree SDK (3.40) judges our scheme in both directions: what it signs we accept and
 * normalize, what we sign it verifies and parses; and its challenge answer is ours.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import braintree from 'braintree';
import type { BraintreeKeyPair } from '../../../src/config/config.ts';
import { braintreeFixtures } from '../../../src/providers/braintree/fixtures.ts';
import { KIND_MAP } from '../../../src/providers/braintree/maps.ts';
import { BRAINTREE_KINDS } from '../../../src/providers/braintree/types.ts';
import { createProvider, formBody, NEW_KEYS, OLD_KEYS, recordOf, requestOf } from './kit.ts';

/** The parts of the SDK used here, typed as braintree 3.40 behaves (its bundled types call them otherwise). */
interface SdkNotification {
  readonly kind: string;
  readonly subscription: {
    readonly transactions: readonly {
      id: string;
      amount: string;
      merchantAccountId: string;
      customer: { id: string };
    }[];
  };
}
interface SdkGateway {
  readonly webhookTesting: {
    sampleNotification(kind: string, id: string): { bt_signature: string; bt_payload: string };
  };
  readonly webhookNotification: {
    parse(signature: string, payload: string): Promise<SdkNotification>;
    verify(challenge: string): string;
  };
}
const SDK_KINDS = (braintree as unknown as { WebhookNotification: { Kind: Record<string, string> } })
  .WebhookNotification.Kind;

function gatewayFor(keys: BraintreeKeyPair): SdkGateway {
  const gateway = new braintree.BraintreeGateway({
    environment: braintree.Environment.Sandbox,
    merchantId: 'acme_tools',
    publicKey: keys.publicKey,
    privateKey: keys.privateKey,
  });
  return gateway as unknown as SdkGateway;
}

const gateway = gatewayFor(NEW_KEYS);
const provider = createProvider([NEW_KEYS, OLD_KEYS]);
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

/** A sample as the SDK signs it, posted as Braintree posts it. */
function sdkRequest(kind: string, id: string, keys = NEW_KEYS) {
  const sample = gatewayFor(keys).webhookTesting.sampleNotification(kind, id);
  const body = formBody({ bt_signature: sample.bt_signature, bt_payload: sample.bt_payload });
  return { body: Buffer.from(body), headers: FORM, receivedAt: new Date() };
}

describe('what the SDK signs, we accept', () => {
  test('the SDK knows exactly the 41 kinds we map', () => {
    assert.deepEqual(Object.values(SDK_KINDS).sort(), [...BRAINTREE_KINDS].sort());
  });

  for (const kind of BRAINTREE_KINDS) {
    test(`${kind}: verifies and normalizes to ${KIND_MAP[kind] ? 'an event' : 'unsupported'}`, () => {
      const request = sdkRequest(kind, 'sample_id_9x2k');
      assert.deepEqual(provider.verify(request), { ok: true });
      const normalized = provider.normalize(recordOf(request.body));
      const mapping = KIND_MAP[kind];
      if (mapping === null) {
        assert.deepEqual(normalized, { kind: 'unsupported', providerEventType: kind });
        return;
      }
      assert.equal(normalized.kind, 'events', JSON.stringify(normalized));
      assert.ok(normalized.kind === 'events');
      const [event] = normalized.events;
      assert.equal(event?.event_type, mapping.eventType);
      assert.equal(event?.status, mapping.status);
      // The SDK's refund sample links its sale as refunded-transaction-fk "1": the refund's root reference.
      const paymentId = kind === 'refund_failed' ? '1' : 'sample_id_9x2k';
      assert.equal(event?.payment_id, paymentId);
      const route = provider.route(request.body);
      assert.ok(route.ok && route.partitionKey === paymentId);
    });
  }

  test('SDK amounts in major units become exact minor units; a missing currency is the merchant default', () => {
    const charged = provider.normalize(recordOf(sdkRequest('subscription_charged_successfully', 's1').body));
    assert.ok(charged.kind === 'events');
    assert.equal(charged.events[0]?.amount_cents, 4999);
    assert.equal(charged.events[0]?.currency, 'USD');
    const dispute = provider.normalize(recordOf(sdkRequest('dispute_lost', 'd1').body));
    assert.ok(dispute.kind === 'events');
    assert.equal(dispute.events[0]?.amount_cents, 25000, 'amount-disputed "250.0"');
    // A won dispute reports what came back to the merchant: amount-won "245.00" of the 250.0 disputed.
    const won = provider.normalize(recordOf(sdkRequest('dispute_won', 'd2').body));
    assert.ok(won.kind === 'events');
    assert.equal(won.events[0]?.amount_cents, 24500, 'amount-won "245.00"');
    assert.equal(won.events[0]?.metadata.dispute_amount_disputed, '250.0');
    const failed = provider.normalize(recordOf(sdkRequest('subscription_charged_unsuccessfully', 's2').body));
    assert.ok(failed.kind === 'events' && failed.events[0]?.failure_code === 'other', 'no decline code: other');
  });

  test('a sample signed with a key pair we do not hold is refused', () => {
    const stranger = { publicKey: 'stranger_public', privateKey: 'stranger_private' };
    const result = provider.verify(sdkRequest('check', 'x', stranger));
    assert.ok(!result.ok && result.reason === 'unknown_public_key');
  });
});

describe('what we sign, the SDK verifies', () => {
  for (const fixture of braintreeFixtures) {
    test(`${fixture.name}: the SDK parses our signed request`, async () => {
      const form = new URLSearchParams(createProvider([NEW_KEYS]).sign(fixture.payload).body);
      const notification = await gateway.webhookNotification.parse(
        form.get('bt_signature') ?? '',
        form.get('bt_payload') ?? '',
      );
      assert.equal(notification.kind, fixture.name);
    });
  }

  test('the SDK reads the same transaction, amount and merchant we normalize', async () => {
    const fixture = braintreeFixtures.find((item) => item.name === 'subscription_charged_successfully');
    assert.ok(fixture);
    const signed = createProvider([NEW_KEYS]).sign(fixture.payload);
    const form = new URLSearchParams(signed.body);
    const notification = await gateway.webhookNotification.parse(
      form.get('bt_signature') ?? '',
      form.get('bt_payload') ?? '',
    );
    const normalized = provider.normalize(recordOf(signed.body));
    assert.ok(normalized.kind === 'events');
    const [event] = normalized.events;
    const charged = notification.subscription.transactions[0];
    assert.ok(charged);
    assert.equal(event?.payment_id, charged.id);
    assert.equal(event?.amount_cents, Math.round(Number(charged.amount) * 100));
    assert.equal(event?.merchant_id, charged.merchantAccountId);
    assert.equal(event?.customer_id, charged.customer.id);
  });

  test('the SDK rejects what we signed once the payload is changed', async () => {
    const fixture = braintreeFixtures[0];
    assert.ok(fixture);
    const form = new URLSearchParams(createProvider([NEW_KEYS]).sign(`${fixture.payload} `).body);
    const payload = form.get('bt_payload') ?? '';
    await assert.rejects(gateway.webhookNotification.parse(form.get('bt_signature') ?? '', `A${payload.slice(1)}`));
  });

  test('the challenge answer is the SDK’s', () => {
    const challenge = 'a3f9c2e8b1d74605f2e9c8b7a6d5e4f3';
    assert.equal(provider.answerChallenge?.(challenge), gateway.webhookNotification.verify(challenge));
  });

  test('an old-key request verifies under rotation and the SDK with the old keys agrees', async () => {
    const signed = createProvider([OLD_KEYS]).sign(braintreeFixtures[0]?.payload ?? '');
    assert.deepEqual(provider.verify(requestOf(signed)), { ok: true });
    const form = new URLSearchParams(signed.body);
    const parsed = await gatewayFor(OLD_KEYS).webhookNotification.parse(
      form.get('bt_signature') ?? '',
      form.get('bt_payload') ?? '',
    );
    assert.equal(parsed.kind, braintreeFixtures[0]?.name);
  });
});
