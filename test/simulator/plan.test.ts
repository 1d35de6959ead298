import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PROVIDERS } from '../../src/contracts/vocabulary.ts';
import { type PlannedDelivery, REORDER_WINDOW } from '../../src/simulator/plan.ts';
import { createSigners, prepareRequest } from '../../src/simulator/requests.ts';
import { customersFor, planWorld, RUN_DAYS } from '../../src/simulator/run-world.ts';
import { MAX_DELIVERIES, plannedDeliveries, planOptions, type SimulateOptions } from '../../src/simulator/simulate.ts';
import { TRUTH_WORDS } from './calendar.ts';
import { check, config } from './helpers.ts';

const startAt = new Date('2026-11-20T10:00:00Z');
const plan = (options: Partial<SimulateOptions> = {}) => [
  ...plannedDeliveries(planOptions({ seed: 9, rate: 200, count: 2000, startAt, ...options })),
];
const deliveries = plan({ redeliveryRate: 0.05, outOfOrderRate: 0.2, forgeryRate: 0.04 });
const signers = createSigners(config.providers);

test('the same seed plans the same payloads; another seed, others', () => {
  const payloads = (list: readonly PlannedDelivery[]) => list.map((planned) => planned.payload);
  const again = plan({ redeliveryRate: 0.05, outOfOrderRate: 0.2, forgeryRate: 0.04 });
  assert.deepEqual(payloads(again), payloads(deliveries));
  assert.deepEqual(
    again.map((planned) => [planned.kind, planned.outOfOrder, planned.sendAt]),
    deliveries.map((planned) => [planned.kind, planned.outOfOrder, planned.sendAt]),
  );
  const other = new Set(payloads(plan({ seed: 10, redeliveryRate: 0.05, outOfOrderRate: 0.2, forgeryRate: 0.04 })));
  assert.equal(
    deliveries.filter((planned) => other.has(planned.payload)).length,
    0,
    'no payload shared between two seeds',
  );
});

test('exactly count deliveries, paced at the rate, numbered in order', () => {
  assert.equal(deliveries.length, 2000);
  deliveries.forEach((planned, seq) => {
    assert.equal(planned.seq, seq);
    assert.equal(planned.sendAt, seq * 5);
  });
  assert.deepEqual(plan({ count: 0 }), []);
});

test('redeliveries, overtaking webhooks and forgeries come in roughly the configured proportions', () => {
  const originals = deliveries.filter((planned) => planned.kind === 'original');
  const redeliveries = deliveries.filter((planned) => planned.kind === 'redelivery');
  const forgeries = deliveries.filter((planned) => planned.kind === 'forgery');
  const ratio = (part: number, whole: number) => part / whole;
  assert.ok(Math.abs(ratio(redeliveries.length, originals.length) - 0.05) < 0.015, `${redeliveries.length}`);
  assert.ok(Math.abs(ratio(forgeries.length, originals.length) - 0.04) < 0.015, `${forgeries.length}`);
  // Overtaking is drawn among webhooks that closely follow another of their payment.
  const lastWebhook = new Map<string, number>();
  let eligible = 0;
  for (const planned of [...originals].sort((a, b) => a.webhook - b.webhook)) {
    const previous = lastWebhook.get(planned.paymentRef);
    if (previous !== undefined && planned.webhook - previous < REORDER_WINDOW / 2) eligible += 1;
    lastWebhook.set(planned.paymentRef, planned.webhook);
  }
  const overtaking = originals.filter((planned) => planned.outOfOrder).length;
  assert.ok(eligible > 300, `eligible ${eligible}`);
  assert.ok(Math.abs(ratio(overtaking, eligible) - 0.2) < 0.07, `${overtaking} of ${eligible}`);
  const none = plan({ redeliveryRate: 0, outOfOrderRate: 0, forgeryRate: 0 });
  assert.ok(none.every((planned) => planned.kind === 'original' && !planned.outOfOrder));
});

test('a redelivery repeats its original byte for byte, after it', () => {
  const firstSeen = new Map<number, PlannedDelivery>();
  for (const planned of deliveries) {
    if (planned.kind === 'original') firstSeen.set(planned.webhook, planned);
    if (planned.kind !== 'redelivery') continue;
    const original = firstSeen.get(planned.webhook);
    assert.ok(original, `redelivery of webhook ${planned.webhook} before its original`);
    assert.equal(planned.payload, original.payload);
  }
});

test('an overtaking webhook really goes before the earlier webhook of its payment', () => {
  // The earlier webhook follows within the window: for the last window's, the count may have cut it off.
  const overtaking = deliveries.filter((planned) => planned.outOfOrder && planned.seq < 2000 - REORDER_WINDOW);
  assert.ok(overtaking.length > 0);
  for (const planned of overtaking) {
    const earlier = deliveries
      .filter((other) => other.kind === 'original' && other.paymentRef === planned.paymentRef)
      .filter((other) => other.webhook < planned.webhook)
      .sort((a, b) => b.webhook - a.webhook)[0];
    assert.ok(earlier, `${planned.paymentRef}: nothing earlier`);
    assert.ok(planned.seq < earlier.seq, `${planned.paymentRef}: ${planned.seq} after ${earlier.seq}`);
  }
});

test('forgeries fail verification; genuine deliveries pass and give the expected events', () => {
  const now = new Date();
  let forged = 0;
  for (const planned of deliveries) {
    const request = prepareRequest(signers, planned, now);
    const result = check(planned.provider, request, now);
    if (planned.kind === 'forgery') {
      forged += 1;
      assert.equal(result.verified, false, `${planned.provider} forgery verified`);
      assert.deepEqual(request.eventIds, []);
      continue;
    }
    assert.ok(result.verified, `${planned.provider} ${planned.name}`);
    assert.deepEqual(
      result.events.map((event) => event.event_id),
      request.eventIds,
    );
    assert.deepEqual(
      result.events.map((event) => event.event_type),
      planned.expect,
    );
  }
  assert.ok(forged > 50);
});

test('a redelivery is expected to give the same event ids as its original, even re-signed later', () => {
  const originals = new Map(deliveries.filter((p) => p.kind === 'original').map((p) => [p.webhook, p]));
  const redelivery = deliveries.find((planned) => planned.kind === 'redelivery' && planned.provider === 'stripe');
  assert.ok(redelivery);
  const original = originals.get(redelivery.webhook) as PlannedDelivery;
  const first = prepareRequest(signers, original, new Date('2026-11-20T10:00:00Z'));
  const second = prepareRequest(signers, redelivery, new Date('2026-11-20T10:03:00Z'));
  assert.equal(second.body, first.body);
  assert.notEqual(second.headers['stripe-signature'], first.headers['stripe-signature']);
  assert.deepEqual(second.eventIds, first.eventIds);
});

test("the originals are the calendar world's webhooks in its order, timestamped at the delivery pace", () => {
  const world = planWorld(planOptions({ seed: 9, rate: 200, count: 2000, startAt }));
  // At the end, the count may have cut off a webhook that a later one overtook: compare before that.
  const originals = deliveries
    .filter((planned) => planned.kind === 'original')
    .sort((a, b) => a.webhook - b.webhook)
    .filter((planned, _, all) => planned.webhook < all.length - REORDER_WINDOW);
  assert.deepEqual(
    originals.map((planned) => planned.webhook),
    originals.map((_, index) => index),
    'every webhook of the world, none skipped',
  );
  // Each world step gives one or more webhooks: the originals' payments follow the world's steps.
  const order = [...new Set(world.steps.map((timed) => timed.payment.ref))];
  const sent = [...new Set(originals.map((planned) => planned.paymentRef))];
  assert.deepEqual(sent, order.slice(0, sent.length));
  const interval = 1000 / 200 / (1 + 0.05 + 0.04);
  let previous = 0;
  for (const planned of originals) {
    const request = prepareRequest(signers, planned, startAt);
    const result = check(planned.provider, request, startAt);
    assert.ok(result.verified);
    for (const event of result.events) {
      const at = Date.parse(event.timestamp) - startAt.getTime();
      assert.ok(at >= previous - 1000, `${planned.name} of ${planned.paymentRef} goes back in time`);
      // Never later than its delivery would be, had nothing been forged or redelivered before it.
      assert.ok(at <= planned.webhook * interval + 1000, `${planned.name} at ${at} ms, webhook ${planned.webhook}`);
      previous = Math.max(previous, at);
    }
  }
});

test('no payload carries a name or value of the ground truth', () => {
  for (const planned of deliveries) {
    const text = planned.payload.toLowerCase();
    for (const word of TRUTH_WORDS) assert.ok(!text.includes(word), `${planned.name} mentions ${word}`);
  }
});

test('a world smaller than the run is sent whole, then the plan ends', () => {
  const options = planOptions({ seed: 3, rate: 100, count: 100_000, customers: 4, days: 20, startAt });
  const world = planWorld(options);
  const all = [...plannedDeliveries(options, world)];
  const refs = new Set(world.steps.map((timed) => timed.payment.ref));
  const originals = all.filter((planned) => planned.kind === 'original');
  assert.ok(all.length < 100_000 && originals.length >= world.steps.length);
  assert.deepEqual(new Set(originals.map((planned) => planned.paymentRef)), refs);
  // Held-back redeliveries are flushed at the end, none lost.
  const numbers = new Set(originals.map((planned) => planned.webhook));
  assert.ok(all.filter((planned) => planned.kind === 'redelivery').every((planned) => numbers.has(planned.webhook)));
  assert.deepEqual(
    all.map((planned) => planned.seq),
    all.map((_, index) => index),
  );
});

test('without a size, the world is large enough for the run, whichever providers send', () => {
  for (const providers of [PROVIDERS, ['braintree'], ['square', 'braintree']] as const) {
    assert.equal(plan({ providers, count: 400, seed: 5 }).length, 400, providers.join());
  }
});

test('a run larger than memory holds is refused before its world is built, by deliveries or by customers', () => {
  assert.equal(planOptions({ rate: 100, count: MAX_DELIVERIES, startAt }).count, MAX_DELIVERIES);
  assert.throws(() => planOptions({ rate: 100, count: MAX_DELIVERIES + 1, startAt }), {
    code: 'PAYPIPE_ERR_USAGE',
    message: /at most 1000000 deliveries/,
  });
  assert.throws(() => planOptions({ rate: 1e9, duration: 10, startAt }), { code: 'PAYPIPE_ERR_USAGE' });
  // A world of as many customers as a run of the most deliveries is built for is allowed; ten times more is not.
  const allowed = customersFor(MAX_DELIVERIES, PROVIDERS, RUN_DAYS);
  assert.equal(planOptions({ rate: 100, count: 10, customers: allowed, startAt }).customers, allowed);
  assert.throws(() => planOptions({ rate: 100, count: 10, customers: allowed * 10, startAt }), {
    code: 'PAYPIPE_ERR_USAGE',
    message: /customers: at most \d+/,
  });
});
