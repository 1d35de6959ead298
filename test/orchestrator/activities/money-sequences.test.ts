/**
 * Money sequences a payments team sees, built from each provider's real payloads (the fixtures, edited
 * where a story needs another id or amount), signed and normalized by the provider, then run through the
 * workflow (fake scores): stored when accepted, quarantined with its codes when not.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { UnifiedPaymentEvent } from '../../../src/contracts/payment-event.ts';
import type { ProviderName } from '../../../src/contracts/vocabulary.ts';
import { createActivities } from '../../../src/orchestrator/activities/index.ts';
import { paymentEventWorkflow } from '../../../src/orchestrator/workflows/payment-event.ts';
import { adyenFixtures } from '../../../src/providers/adyen/fixtures.ts';
import { braintreeFixtures } from '../../../src/providers/braintree/fixtures.ts';
import { createProviderRegistry } from '../../../src/providers/registry.ts';
import { refund as squareRefund, webhook as squareWebhook } from '../../../src/providers/square/fixture-builders.ts';
import { stripeFixtures } from '../../../src/providers/stripe/fixtures.ts';
import { createStore } from '../../../src/storage/create-store.ts';
import { testConfig } from '../../helpers/test-config.ts';
import { FIXED_CLOCK, fakeInference } from '../fakes.ts';

const registry = createProviderRegistry(testConfig().providers);
// After every fixture's time, so that no event is in the future of its receipt.
const RECEIVED_AT = '2026-11-27T00:00:00.000Z';

/** The payload as the provider sends it (signed by our `sign`), normalized by the provider. */
function normalize(provider: ProviderName, payload: string): UnifiedPaymentEvent[] {
  const signed = registry[provider].sign(payload);
  const body = Buffer.from(signed.body, 'utf8');
  const result = registry[provider].normalize({
    id: '01950000-0000-7000-8000-00000000c0de',
    provider,
    received_at: RECEIVED_AT,
    headers: signed.headers,
    body,
  });
  assert.equal(result.kind, 'events', `${provider} payload normalized: ${JSON.stringify(result)}`);
  return result.kind === 'events' ? [...result.events] : [];
}

function fixture(fixtures: readonly { name: string; payload: string }[], name: string): string {
  const found = fixtures.find((candidate) => candidate.name === name);
  assert.ok(found, `fixture ${name}`);
  return found.payload;
}

type Json = Record<string, unknown>;

/** One Adyen item from a fixture, its fields overridden (a partial capture's own pspReference, an amount). */
function adyen(name: string, fields: Json): UnifiedPaymentEvent[] {
  const request = JSON.parse(fixture(adyenFixtures, name)) as {
    notificationItems: { NotificationRequestItem: Json }[];
  };
  const [wrapper] = request.notificationItems;
  assert.ok(wrapper);
  wrapper.NotificationRequestItem = { ...wrapper.NotificationRequestItem, ...fields };
  return normalize('adyen', JSON.stringify(request));
}

/** A Stripe fixture with its event id, time and object fields overridden. */
function stripe(name: string, eventId: string, created: number, object: Json = {}): UnifiedPaymentEvent[] {
  const event = JSON.parse(fixture(stripeFixtures, name)) as { id: string; created: number; data: { object: Json } };
  event.id = eventId;
  event.created = created;
  event.data.object = { ...event.data.object, ...object };
  return normalize('stripe', JSON.stringify(event));
}

async function setup(t: { after(fn: () => Promise<void>): void }) {
  const store = await createStore('sqlite::memory:');
  t.after(() => store.close());
  const acts = createActivities({ store, inference: fakeInference(), clock: FIXED_CLOCK });
  /** Each event through the workflow in turn: the codes the events broke, none when every one was stored. */
  async function deliver(events: readonly UnifiedPaymentEvent[]): Promise<string[]> {
    const codes: string[] = [];
    for (const event of events) {
      const done = await paymentEventWorkflow(acts, event);
      if (done.outcome === 'quarantined') codes.push(...done.reasons.map((reason) => reason.code));
    }
    return codes;
  }
  return { store, deliver };
}

test('Adyen: partial captures add up, partial refunds up to them pass, one cent more is quarantined', async (t) => {
  const { deliver } = await setup(t);
  const capture = (psp: string, value: number, eventDate: string) =>
    adyen('CAPTURE', { pspReference: psp, amount: { currency: 'EUR', value }, eventDate });
  const refund = (psp: string, value: number, eventDate: string, currency = 'EUR') =>
    adyen('REFUND', { pspReference: psp, amount: { currency, value }, eventDate });
  assert.deepEqual(await deliver(adyen('AUTHORISATION', {})), []);
  assert.deepEqual(await deliver(capture('CAP1XXXXXXXXXX01', 6_000, '2025-11-20T18:00:00+01:00')), []);
  assert.deepEqual(await deliver(capture('CAP1XXXXXXXXXX02', 6_995, '2025-11-21T18:00:00+01:00')), []);
  assert.deepEqual(await deliver(refund('REF1XXXXXXXXXX01', 5_000, '2025-11-22T09:00:00+01:00')), []);
  assert.deepEqual(await deliver(refund('REF1XXXXXXXXXX02', 7_995, '2025-11-22T10:00:00+01:00')), []);
  assert.deepEqual(await deliver(refund('REF1XXXXXXXXXX03', 1, '2025-11-22T11:00:00+01:00')), [
    'refund_exceeds_captured',
  ]);
  assert.deepEqual(await deliver(refund('REF1XXXXXXXXXX04', 1, '2025-11-22T12:00:00+01:00', 'USD')), [
    'currency_mismatch',
  ]);
});

const ADYEN_PAYMENT = 'QFQTPCQ8HXSKGK82';

test('Adyen: a capture that failed (CAPTURE_FAILED) captured nothing, until Adyen captures it again', async (t) => {
  const { store, deliver } = await setup(t);
  const capture = (psp: string, value: number, eventDate: string, reason?: string) =>
    adyen('CAPTURE', {
      pspReference: psp,
      amount: { currency: 'EUR', value },
      eventDate,
      ...(reason ? { reason } : {}),
    });
  await deliver(capture('CAP2XXXXXXXXXX01', 6_000, '2025-11-20T18:00:00+01:00'));
  await deliver(capture('CAP2XXXXXXXXXX02', 6_995, '2025-11-20T18:05:00+01:00'));
  // The scheme rejected the second capture: its notification names that capture's pspReference.
  const failed = adyen('CAPTURE_FAILED', {
    pspReference: 'CAP2XXXXXXXXXX02',
    amount: { currency: 'EUR', value: 6_995 },
    eventDate: '2025-11-22T03:15:40+01:00',
  });
  assert.deepEqual(await deliver(failed), []);
  assert.equal((await store.paymentTotals('adyen', ADYEN_PAYMENT)).captured_cents, 6_000);
  const whole = adyen('REFUND', { amount: { currency: 'EUR', value: 12_995 }, eventDate: '2025-11-23T09:00:00+01:00' });
  assert.deepEqual(await deliver(whole), ['refund_exceeds_captured']);
  // Adyen re-captures after a technical failure: a CAPTURE of the same capture, reason "Transaction Recaptured".
  const recaptured = capture('CAP2XXXXXXXXXX02', 6_995, '2025-11-24T02:00:00+01:00', 'Transaction Recaptured');
  assert.deepEqual(await deliver(recaptured), []);
  assert.equal((await store.paymentTotals('adyen', ADYEN_PAYMENT)).captured_cents, 12_995);
  const again = adyen('REFUND', {
    pspReference: 'REF2XXXXXXXXXX02',
    amount: { currency: 'EUR', value: 12_995 },
    eventDate: '2025-11-25T09:00:00+01:00',
  });
  assert.deepEqual(await deliver(again), []);
});

test('Adyen: a CAPTURE_FAILED delivered before its CAPTURE still takes the capture out', async (t) => {
  const { store, deliver } = await setup(t);
  const fields = { pspReference: 'CAP3XXXXXXXXXX01', amount: { currency: 'EUR', value: 12_995 } };
  await deliver(adyen('CAPTURE_FAILED', { ...fields, eventDate: '2025-11-22T03:15:40+01:00' }));
  await deliver(adyen('CAPTURE', { ...fields, eventDate: '2025-11-20T18:00:00+01:00' }));
  assert.equal((await store.paymentTotals('adyen', ADYEN_PAYMENT)).captured_cents, 0);
});

const STRIPE_PAYMENT = 'pi_3SxR2dK8hG4nL0aZ1q7YpM2c';
const T0 = 1_772_357_400; // 2026-03-01T09:30:00Z, the Stripe fixtures' story

test("Stripe: charge.refunded's running total and a refund that failed do not block the refund issued again", async (t) => {
  const { store, deliver } = await setup(t);
  const whole = { amount: 4_999 };
  assert.deepEqual(await deliver(stripe('charge.succeeded', 'evt_seq_01', T0 + 3)), []);
  assert.deepEqual(await deliver(stripe('refund.updated', 'evt_seq_02', T0 + 100, { id: 're_seqA', ...whole })), []);
  assert.deepEqual(await deliver(stripe('charge.refunded', 'evt_seq_03', T0 + 100, { amount_refunded: 4_999 })), []);
  // The refund fails days later (card closed): the money is back with the merchant, who refunds again.
  const failed = stripe('refund.updated', 'evt_seq_04', T0 + 3 * 86_400, { id: 're_seqA', ...whole, status: 'failed' });
  assert.deepEqual(await deliver(failed), []);
  assert.deepEqual(
    await deliver(stripe('refund.updated', 'evt_seq_05', T0 + 4 * 86_400, { id: 're_seqB', ...whole })),
    [],
  );
  const running = stripe('charge.refunded', 'evt_seq_06', T0 + 4 * 86_400, { amount_refunded: 4_999 });
  assert.deepEqual(await deliver(running), []);
  const totals = await store.paymentTotals('stripe', STRIPE_PAYMENT);
  assert.deepEqual([totals.refunded_cents, totals.failed_refunds], [4_999, ['re_seqA']]);
  const more = stripe('refund.updated', 'evt_seq_07', T0 + 5 * 86_400, { id: 're_seqC', amount: 1 });
  assert.deepEqual(await deliver(more), ['refund_exceeds_captured']);
});

test('a refund let in before its capture: the capture is stored even when smaller, and later refunds are held to it', async (t) => {
  const { store, deliver } = await setup(t);
  // Stripe delivers the refund first (no ordering across retries): nothing to check it against yet.
  assert.deepEqual(
    await deliver(stripe('refund.updated', 'evt_seq_11', T0 + 100, { id: 're_seqD', amount: 4_999 })),
    [],
  );
  const smaller = stripe('charge.succeeded', 'evt_seq_12', T0 + 3, { amount: 3_000, amount_captured: 3_000 });
  assert.deepEqual(await deliver(smaller), [], 'a capture is a fact of the provider; it is never quarantined');
  const totals = await store.paymentTotals('stripe', STRIPE_PAYMENT);
  assert.deepEqual([totals.captured_cents, totals.refunded_cents], [3_000, 4_999]);
  const next = stripe('refund.updated', 'evt_seq_13', T0 + 200, { id: 're_seqE', amount: 1 });
  assert.deepEqual(await deliver(next), ['refund_exceeds_captured']);
});

test("one payment id at two providers: a Square refund is not checked against a Braintree payment's capture", async (t) => {
  const { store, deliver } = await setup(t);
  // Braintree's transaction 3fz7k2qm, 49.99 USD.
  const braintree = normalize('braintree', fixture(braintreeFixtures, 'subscription_charged_successfully'));
  assert.deepEqual(await deliver(braintree), []);
  const paymentId = braintree[0]?.payment_id ?? '';
  // A Square payment that happens to carry the same id, refunded in full (60 EUR): Square has its own payment.
  const refund = (suffix: string, amount: number, currency: string) =>
    normalize(
      'square',
      squareWebhook('refund.updated', `5f0d3c1e-0000-4000-8000-00000000000${suffix}`, '2026-03-02T09:15:31.877Z', {
        refund: squareRefund({
          paymentId,
          suffix: `seq${suffix}`,
          status: 'COMPLETED',
          money: { amount, currency },
          at: '2026-03-02T09:15:31.877Z',
        }),
      }),
    );
  assert.deepEqual(await deliver(refund('1', 6_000, 'EUR')), []);
  assert.equal((await store.paymentTotals('braintree', paymentId)).refunded_cents, 0);
  assert.equal((await store.paymentTotals('square', paymentId)).refunded_cents, 6_000);
});
