/**
 * What the one-process pipeline refuses, end to end through a real port: forgeries are answered 401 and
 * kept in webhooks.dlq with their reason; genuine payloads that cannot be normalized, and events that break
 * a business rule, end in payment_events_quarantine with their reasons, never in payment_events.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import Stripe from 'stripe';
import { WEBHOOKS_DLQ } from '../../src/contracts/topics.ts';
import type { ProviderName } from '../../src/contracts/vocabulary.ts';
import type { SignedRequest } from '../../src/providers/provider.ts';
import { fixtureNamed } from '../../src/simulator/fixtures.ts';
import { startE2ePipeline } from '../helpers/e2e-pipeline.ts';
import { occurrences } from '../helpers/e2e-store.ts';
import { adyenSigned, basicAuth, braintreeForm, post, sdkSign, squareSignature } from '../helpers/sdk-signers.ts';
import { TEST_SECRETS } from '../helpers/test-config.ts';

const stripe = new Stripe('sk_test_paypipe_e2e');

function payload(provider: ProviderName, name: string): string {
  const fixture = fixtureNamed(provider, name);
  assert.ok(fixture, `${provider} ${name}`);
  return fixture.payload;
}

const STRIPE_PAID = payload('stripe', 'payment_intent.succeeded');
const ADYEN_PAID = payload('adyen', 'AUTHORISATION');
const stripeHeader = (secret: string, timestamp?: number) => ({
  'content-type': 'application/json',
  'stripe-signature': stripe.webhooks.generateTestHeaderString({
    payload: STRIPE_PAID,
    secret,
    ...(timestamp === undefined ? {} : { timestamp }),
  }),
});
const braintreeXml = payload('braintree', 'subscription_charged_successfully');

interface Forgery {
  readonly provider: ProviderName;
  readonly what: string;
  readonly request: SignedRequest;
  readonly reason: string;
}

const FORGERIES: readonly Forgery[] = [
  {
    provider: 'stripe',
    what: 'signed with another secret',
    request: { headers: stripeHeader('whsec_not_ours'), body: STRIPE_PAID },
    reason: 'no_matching_signature',
  },
  {
    provider: 'stripe',
    what: 'signed an hour ago (replayed)',
    request: {
      headers: stripeHeader(TEST_SECRETS.PAYPIPE_STRIPE_WEBHOOK_SECRETS, Math.floor(Date.now() / 1000) - 3600),
      body: STRIPE_PAID,
    },
    reason: 'timestamp_outside_tolerance',
  },
  {
    provider: 'stripe',
    what: 'without a signature',
    request: { headers: { 'content-type': 'application/json' }, body: STRIPE_PAID },
    reason: 'missing_signature_header',
  },
  {
    provider: 'square',
    what: 'signed with another key',
    request: {
      headers: {
        'x-square-hmacsha256-signature': squareSignature(payload('square', 'payment.updated:COMPLETED'), 'not-ours'),
      },
      body: payload('square', 'payment.updated:COMPLETED'),
    },
    reason: 'no_matching_signature',
  },
  {
    provider: 'adyen',
    what: 'items signed with another key',
    request: { headers: { authorization: basicAuth() }, body: adyenSigned(ADYEN_PAID, 'AB'.repeat(32)) },
    reason: 'no_matching_signature',
  },
  {
    provider: 'adyen',
    what: 'with the wrong Basic auth password',
    request: { headers: { authorization: basicAuth('adyen-hooks', 'guessed') }, body: adyenSigned(ADYEN_PAID) },
    reason: 'basic_auth_mismatch',
  },
  {
    provider: 'adyen',
    what: 'without Basic auth',
    request: { headers: {}, body: adyenSigned(ADYEN_PAID) },
    reason: 'missing_basic_auth',
  },
  {
    provider: 'braintree',
    what: 'signed under an unknown public key',
    request: {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: braintreeForm(braintreeXml).replace('test_public_key', 'someone_else'),
    },
    reason: 'unknown_public_key',
  },
];

test('forgeries are answered 401, dead-lettered with their reason, and store nothing', async (t) => {
  const pipeline = await startE2ePipeline(t);
  for (const forgery of FORGERIES) {
    const answer = await post(pipeline.url, forgery.provider, forgery.request);
    assert.equal(answer.status, 401, `${forgery.provider} ${forgery.what}: ${answer.text}`);
    assert.equal(JSON.parse(answer.text).error, forgery.reason, `${forgery.provider} ${forgery.what}`);
  }
  await pipeline.observer.drained();
  const letters = await pipeline.observer.deadLetters(WEBHOOKS_DLQ);
  for (const forgery of FORGERIES) {
    const letter = letters.find(
      (candidate) => Buffer.from(candidate.record.body_base64, 'base64').toString() === forgery.request.body,
    );
    assert.ok(letter, `${forgery.provider} ${forgery.what}: no dead letter`);
  }
  const reasons = letters.map((letter) => `${letter.record.provider}:${letter.reason}`).sort();
  assert.deepEqual(reasons, FORGERIES.map((forgery) => `${forgery.provider}:${forgery.reason}`).sort());
  assert.equal(pipeline.tables().events.length, 0);
});

/** The Stripe fixture with its event id replaced and `change` applied to its object. */
function stripeVariant(
  id: string,
  change: (object: Record<string, unknown>) => void,
  name = 'payment_intent.succeeded',
) {
  const event = JSON.parse(payload('stripe', name)) as { id: string; data: { object: Record<string, unknown> } };
  event.id = id;
  change(event.data.object);
  return JSON.stringify(event);
}

test('a verified payload that cannot be normalized is quarantined with its reasons', async (t) => {
  const pipeline = await startE2ePipeline(t);
  const cases = [
    {
      body: stripeVariant('evt_e2e_unknown_currency', (pi) => Object.assign(pi, { currency: 'xyz' })),
      issue: 'unknown_currency',
    },
    {
      body: stripeVariant('evt_e2e_fraction', (pi) => Object.assign(pi, { amount: 49.5, amount_received: 49.5 })),
      issue: 'amount_precision',
    },
  ];
  for (const { body } of cases) {
    const answer = await post(pipeline.url, 'stripe', sdkSign('stripe', body));
    assert.equal(answer.status, 200, answer.text);
  }
  await pipeline.observer.drained();
  const tables = pipeline.tables();
  for (const { body, issue } of cases) {
    const rows = tables.quarantine.filter((row) => row.body === body);
    assert.equal(rows.length, 1, issue);
    assert.equal(rows[0]?.stage, 'normalizer');
    assert.deepEqual(
      rows[0]?.reasons.map((reason) => reason.code),
      ['invalid_payload', issue],
    );
  }
  const letters = await pipeline.observer.deadLetters('payments.validation.dlq');
  assert.deepEqual(letters.map((letter) => letter.errors.map((error) => error.code)).sort(), [
    ['amount_precision'],
    ['unknown_currency'],
  ]);
  assert.equal(tables.events.length, 0);
});

test('a refund above what was captured is quarantined with its business-rule reason', async (t) => {
  const pipeline = await startE2ePipeline(t);
  const refund = stripeVariant(
    'evt_e2e_refund_too_much',
    (re) => Object.assign(re, { amount: 10_000 }),
    'refund.updated',
  );
  for (const body of [STRIPE_PAID, refund]) {
    const answer = await post(pipeline.url, 'stripe', sdkSign('stripe', body));
    assert.equal(answer.status, 200, answer.text);
    // The refund must meet the stored capture, as it would a day later in real life.
    await pipeline.observer.drained();
  }
  const tables = pipeline.tables();
  assert.deepEqual(occurrences(tables, 'stripe:evt_3SxR2dK8hG4nL0aZ1cRtE004'), { events: 1, quarantine: 0 });
  assert.deepEqual(occurrences(tables, 'stripe:evt_e2e_refund_too_much'), { events: 0, quarantine: 1 });
  const row = tables.quarantine.find((candidate) => candidate.event_id === 'stripe:evt_e2e_refund_too_much');
  assert.equal(row?.stage, 'orchestrator');
  assert.deepEqual(
    row?.reasons.map((reason) => reason.code),
    ['refund_exceeds_captured'],
  );
});
