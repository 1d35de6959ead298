import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DAY } from '../../../src/simulator/world/calendar.ts';
import { CAPABILITIES } from '../../../src/simulator/world/capabilities.ts';
import { usdToMinor } from '../../../src/simulator/world/geography.ts';
import type { Cardholder } from '../../../src/simulator/world/people.ts';
import { smallWorld } from '../calendar.ts';

const world = smallWorld();

test('the same seed builds the same world, another seed another one', () => {
  const again = smallWorld({ churn: { replicates: 32, windowDays: 30 } });
  assert.notEqual(again, world, 'a second build, not the cached one');
  const summary = (w: typeof world) => w.steps.map((s) => [s.payment.ref, s.payment.amount, s.step, s.at]);
  assert.deepEqual(summary(again), summary(world));
  assert.deepEqual(again.truth, world.truth);
  const other = smallWorld({ seed: 8 });
  assert.notDeepEqual(summary(other).slice(0, 200), summary(world).slice(0, 200));
});

test('steps are in time order, within the run, and each payment in its own order', () => {
  const end = world.days * DAY;
  for (let i = 1; i < world.steps.length; i++) {
    assert.ok((world.steps[i - 1]?.at ?? 0) <= (world.steps[i]?.at ?? 0));
  }
  for (const payment of world.payments) {
    payment.steps.forEach((timed, index) => {
      assert.equal(timed.index, index);
      assert.ok(timed.at >= 0 && timed.at < end);
    });
    assert.equal(payment.currency, (payment.merchant as Cardholder['usualShops'][number]).currency);
    assert.equal(payment.provider, payment.customer.provider);
  }
});

test('time advances over weeks: every week of the run has payments', () => {
  const weeks = new Set(world.payments.map((p) => Math.floor((p.steps[0]?.at ?? 0) / (7 * DAY))));
  assert.equal(weeks.size, Math.ceil(world.days / 7));
});

test('declines: about one attempt in ten, insufficient funds first and do not honor second', () => {
  const declined = world.truth.fraud.filter((r) => !r.approved).length / world.truth.fraud.length;
  assert.ok(declined > 0.07 && declined < 0.15, `declined ${declined}`);
  const counts = new Map<string, number>();
  for (const r of world.truth.retry) counts.set(r.failure_code, (counts.get(r.failure_code) ?? 0) + 1);
  const ranked = [...counts].sort((a, b) => b[1] - a[1]).map(([code]) => code);
  assert.deepEqual(ranked.slice(0, 2), ['insufficient_funds', 'do_not_honor']);
  for (const code of ['expired_card', 'incorrect_cvc', 'processing_error', 'try_again_later'])
    assert.ok(counts.has(code), code);
});

test('subscribers are charged monthly on their day; expired cards refuse stored-card charges', () => {
  const customers = new Map(world.customers.map((c) => [c.id, c]));
  const start = world.startAt.getTime();
  const subscriptionCharges = world.payments.filter((p) => {
    const sub = (p.customer as Cardholder).subscription;
    if (sub === null || p.merchant.id !== sub.shop.id) return false;
    const day = new Date(start + (p.steps[0]?.at ?? 0)).getUTCDate();
    return day === sub.day && p.amount === usdToMinor(sub.usd, sub.shop.currency);
  });
  assert.ok(subscriptionCharges.length > 100, `${subscriptionCharges.length} subscription charges`);
  let expiredRefusals = 0;
  for (const payment of subscriptionCharges) {
    const customer = customers.get(payment.customer.id) as Cardholder;
    const at = start + (payment.steps[0]?.at ?? 0);
    const first = payment.steps[0]?.step;
    const stale = at >= customer.cardExpiresAt && customer.cardUpdateDays === null;
    if (stale) {
      assert.deepEqual(first, { kind: 'failed', decline: 'expired_card' });
      expiredRefusals += 1;
    }
  }
  assert.ok(expiredRefusals > 0, 'some never-updated cards expire during the run');
});

test('providers only get steps they can report', () => {
  for (const payment of world.payments) {
    const can = CAPABILITIES[payment.provider];
    for (const { step } of payment.steps) {
      if (step.kind.startsWith('dispute')) assert.ok(can.disputes, `${payment.provider} ${step.kind}`);
      if (step.kind === 'refunded') assert.ok(can.refunds, payment.provider);
      if (step.kind === 'authorized') assert.ok(can.manualCapture, payment.provider);
    }
  }
});

test('options out of range are refused with a usage error naming them', () => {
  const usage = (name: string) => ({ code: 'PAYPIPE_ERR_USAGE', message: new RegExp(name) });
  assert.throws(() => smallWorld({ days: 0 }), usage('days'));
  assert.throws(() => smallWorld({ customers: 2.5 }), usage('customers'));
  assert.throws(() => smallWorld({ churn: { cutoffDay: 90 } }), usage('churn.cutoffDay'));
  assert.throws(() => smallWorld({ providers: [] }), usage('provider'));
  assert.throws(() => smallWorld({ startAt: new Date(Number.NaN) }), usage('startAt'));
});
