import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FAILURE_CODES, PROVIDERS } from '../../../src/contracts/vocabulary.ts';
import type { Payment, TimedStep } from '../../../src/simulator/world/model.ts';
import { DEFAULT_SHARES } from '../../../src/simulator/world/shares.ts';
import { createWorld, type WorldOptions } from '../../../src/simulator/world/world.ts';

const ALL_DECLINES = { stripe: FAILURE_CODES, square: FAILURE_CODES, adyen: FAILURE_CODES, braintree: FAILURE_CODES };
const options: WorldOptions = { seed: 11, providers: PROVIDERS, declines: ALL_DECLINES, paymentsPerSecond: 20 };

function take(world: ReturnType<typeof createWorld>, count: number): TimedStep[] {
  const steps = world.steps();
  return Array.from({ length: count }, () => steps.next().value);
}

const steps = take(createWorld(options), 30_000);
const payments = [...new Map(steps.map((timed) => [timed.payment.ref, timed.payment])).values()];

test('steps come in world-time order and every payment in its own order', () => {
  for (let i = 1; i < steps.length; i++) assert.ok((steps[i - 1] as TimedStep).at <= (steps[i] as TimedStep).at);
  const seen = new Map<string, number>();
  for (const timed of steps) {
    assert.equal(timed.index, seen.get(timed.payment.ref) ?? 0, `${timed.payment.ref} step ${timed.index}`);
    seen.set(timed.payment.ref, timed.index + 1);
  }
});

test('the same seed builds the same world', () => {
  const again = take(createWorld(options), 2000);
  const summary = (list: TimedStep[]) =>
    list.map((timed) => [timed.payment.ref, timed.payment.amount, timed.step, timed.at]);
  assert.deepEqual(summary(again), summary(steps.slice(0, 2000)));
  assert.notDeepEqual(summary(take(createWorld({ ...options, seed: 12 }), 2000)), summary(again));
});

test('lifecycles are coherent: refunds within the amount, disputes only after a capture', () => {
  for (const payment of payments) {
    const kinds = payment.steps.map((timed) => timed.step.kind);
    assert.ok(['succeeded', 'authorized', 'failed'].includes(kinds[0] as string), kinds.join());
    if (kinds[0] === 'failed') assert.equal(kinds.length, 1);
    if (kinds.includes('canceled')) assert.deepEqual(kinds, ['authorized', 'canceled']);
    let refunded = 0;
    for (const { step } of payment.steps) {
      if (step.kind !== 'refunded') continue;
      refunded += step.amount;
      assert.ok(step.amount > 0);
      assert.equal(step.refundedTotal, refunded);
    }
    assert.ok(refunded <= payment.amount, `${payment.ref} refunds ${refunded} of ${payment.amount}`);
    if (kinds.includes('dispute_opened')) assert.ok(kinds.includes('succeeded') || kinds.includes('captured'));
    assert.ok(Number.isSafeInteger(payment.amount) && payment.amount > 0);
  }
});

test('providers only get steps they can report', () => {
  const kindsOf = (provider: string) =>
    new Set(payments.filter((p) => p.provider === provider).flatMap((p) => p.steps.map((timed) => timed.step.kind)));
  assert.deepEqual(
    [...kindsOf('braintree')].filter((kind) => !['succeeded', 'failed'].includes(kind) && !kind.startsWith('dispute')),
    [],
  );
  assert.equal(
    [...kindsOf('square')].some((kind) => kind.startsWith('dispute')),
    false,
  );
  assert.ok(kindsOf('stripe').has('captured') && kindsOf('stripe').has('refunded'));
});

test('shares are realistic: about 12% declined, insufficient funds the most common decline, refunds a few %', () => {
  const share = (predicate: (payment: Payment) => boolean) => payments.filter(predicate).length / payments.length;
  const declined = share((p) => p.steps[0]?.step.kind === 'failed');
  assert.ok(Math.abs(declined - DEFAULT_SHARES.decline) < 0.02, `declined ${declined}`);
  const declines = new Map<string, number>();
  for (const { step } of steps)
    if (step.kind === 'failed') declines.set(step.decline, (declines.get(step.decline) ?? 0) + 1);
  const ranked = [...declines].sort((a, b) => b[1] - a[1]).map(([code]) => code);
  assert.deepEqual(ranked.slice(0, 2), ['insufficient_funds', 'do_not_honor']);
  assert.ok(
    ranked.includes('lost_or_stolen_card') && ranked.includes('expired_card') && ranked.includes('incorrect_cvc'),
  );
  const refunded = share((p) => p.steps.some((timed) => timed.step.kind === 'refunded'));
  assert.ok(refunded > 0.01 && refunded < 0.06, `refunded ${refunded}`);
  const disputed = share((p) => p.steps.some((timed) => timed.step.kind === 'dispute_opened'));
  assert.ok(disputed > 0 && disputed < 0.015, `disputed ${disputed}`);
  const currencies = new Set(payments.map((p) => p.currency));
  for (const code of ['USD', 'EUR', 'JPY', 'KWD']) assert.ok(currencies.has(code), code);
});

test('a provider only declines with the reasons it can report', () => {
  const world = createWorld({ ...options, declines: { ...ALL_DECLINES, stripe: ['expired_card'] } });
  const declines = take(world, 5000)
    .filter((timed) => timed.payment.provider === 'stripe')
    .flatMap(({ step }) => (step.kind === 'failed' ? [step.decline] : []));
  assert.ok(declines.length > 0);
  assert.deepEqual(new Set(declines), new Set(['expired_card']));
});
