import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PROVIDERS, type ProviderName } from '../../../src/contracts/vocabulary.ts';
import { createRenderers } from '../../../src/simulator/render/index.ts';
import { declinesOf } from '../../../src/simulator/run-world.ts';
import { createCalendarWorld } from '../../../src/simulator/world/calendar-world.ts';
import type { TimedStep } from '../../../src/simulator/world/model.ts';
import { check, registry } from '../helpers.ts';

const renderers = createRenderers(5);
// Rare outcomes made common (manual captures and releases, refunds, Braintree subscribers, fraud and so
// disputes), so that every kind of step is rendered many times.
const world = createCalendarWorld({
  seed: 5,
  declines: declinesOf(renderers),
  customers: 100,
  days: 60,
  shares: {
    providers: { stripe: 3, adyen: 3, square: 2, braintree: 3 },
    manualCapture: 0.4,
    cancelAfterAuthorization: 0.3,
    refund: 0.3,
  },
  fraud: { cardTesting: 0.1, compromisedCard: 0.15 },
  churn: { replicates: 1 },
});
const steps: readonly TimedStep[] = world.steps;
// World time from its own start, long past: no signature's timestamp is in the future of its receipt.
const base = world.startAt.getTime();

const rendered = steps.flatMap((timed) =>
  renderers[timed.payment.provider].render(timed, new Date(base + timed.at)).map((event) => ({ timed, event })),
);

test('every rendered webhook verifies and normalizes to the intended events', () => {
  const paymentIds = new Map<string, string>();
  const eventIds = new Set<string>();
  const seen = new Set<string>();
  for (const { timed, event } of rendered) {
    const { provider, ref, currency } = timed.payment;
    const signed = check(provider, registry[provider].sign(event.payload), new Date(base + timed.at));
    const where = `${provider} ${event.name} of ${ref}`;
    assert.equal(signed.verified, true, where);
    if (!signed.verified) continue;
    assert.deepEqual(
      signed.events.map((unified) => unified.event_type),
      event.expect,
      where,
    );
    for (const unified of signed.events) {
      assert.equal(unified.amount_cents, event.amount, `${where}: amount`);
      assert.equal(unified.currency, currency, `${where}: currency`);
      assert.equal(unified.failure_code, event.failureCode, `${where}: failure code`);
      // One payment id across the lifecycle: the pipeline's partition key and the store's grouping.
      const known = paymentIds.get(ref) ?? unified.payment_id;
      assert.equal(unified.payment_id, known, `${where}: payment id`);
      paymentIds.set(ref, known);
      assert.equal(eventIds.has(unified.event_id), false, `${where}: event id ${unified.event_id} reused`);
      eventIds.add(unified.event_id);
    }
    seen.add(`${provider} ${timed.step.kind}`);
  }
  // Two world payments never share a provider payment id.
  assert.equal(new Set(paymentIds.values()).size, paymentIds.size);
  for (const kind of ['succeeded', 'failed', 'authorized', 'captured', 'canceled', 'refunded', 'dispute_opened']) {
    assert.ok(seen.has(`stripe ${kind}`) && seen.has(`adyen ${kind}`), kind);
  }
  for (const kind of ['succeeded', 'failed', 'refunded', 'canceled', 'dispute_opened']) {
    assert.ok(seen.has(`square ${kind}`), kind);
  }
  for (const kind of ['succeeded', 'failed', 'dispute_opened']) assert.ok(seen.has(`braintree ${kind}`), kind);
});

test('each provider expresses every decline reason it claims in codes that normalize back to it', () => {
  const template = steps.find((timed) => timed.step.kind === 'failed') as TimedStep;
  for (const provider of PROVIDERS) {
    assert.ok(renderers[provider].declines.length >= 8, provider);
    for (const decline of renderers[provider].declines) {
      const payment = { ...template.payment, provider };
      const timed: TimedStep = { ...template, payment, step: { kind: 'failed', decline } };
      for (const event of renderers[provider].render(timed, new Date(base))) {
        const result = check(provider, registry[provider].sign(event.payload), new Date(base));
        assert.ok(result.verified);
        assert.deepEqual(
          result.events.map((unified) => unified.failure_code),
          [decline],
          `${provider} ${event.name}`,
        );
      }
    }
  }
});

test('zero- and three-decimal currencies keep their exponents (JPY, KWD)', () => {
  const odd = rendered.filter(({ timed }) => ['JPY', 'KWD'].includes(timed.payment.currency));
  assert.ok(odd.some(({ timed }) => timed.payment.currency === 'KWD'));
  assert.ok(odd.some(({ timed }) => timed.payment.currency === 'JPY'));
});

test('rendering is a pure function of the seed, the step and the time', () => {
  const again = createRenderers(5);
  const other = createRenderers(6);
  const sample = rendered.slice(0, 200);
  for (const { timed, event } of sample) {
    const time = new Date(base + timed.at);
    const first = again[timed.payment.provider].render(timed, time);
    assert.ok(first.some((candidate) => candidate.payload === event.payload));
    assert.ok(
      !other[timed.payment.provider].render(timed, time).some((candidate) => candidate.payload === event.payload),
    );
  }
});

test("the card's issuing country reaches metadata.card_country where the provider reports it", () => {
  const template = steps.find((timed) => timed.step.kind === 'succeeded') as TimedStep;
  // Where each provider reports it: Stripe on Charges only, Adyen on AUTHORISATION items, Braintree on the
  // transaction's credit card (alpha-3 on the wire); Square's Card has no issuing country.
  const reports = (provider: ProviderName, name: string) =>
    provider === 'stripe'
      ? name.startsWith('charge.') && !name.startsWith('charge.dispute')
      : provider === 'adyen'
        ? name.startsWith('AUTHORISATION')
        : provider === 'braintree';
  let reported = 0;
  for (const provider of PROVIDERS) {
    for (const step of [
      { kind: 'succeeded' },
      { kind: 'failed', decline: 'insufficient_funds' },
      { kind: 'authorized' },
      { kind: 'captured' },
    ] as const) {
      const payment = { ...template.payment, provider, cardCountry: 'JP' };
      for (const event of renderers[provider].render({ ...template, payment, step }, new Date(base))) {
        const result = check(provider, registry[provider].sign(event.payload), new Date(base));
        assert.ok(result.verified);
        for (const unified of result.events) {
          const expected = reports(provider, event.name) ? 'JP' : undefined;
          assert.equal(unified.metadata.card_country, expected, `${provider} ${event.name}`);
          if (expected !== undefined) reported += 1;
        }
      }
    }
  }
  assert.ok(reported >= 8);
});
