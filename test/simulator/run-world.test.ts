import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isPaypipeError } from '../../src/contracts/errors.ts';
import { PROVIDERS, type ProviderName } from '../../src/contracts/vocabulary.ts';
import { createRenderers } from '../../src/simulator/render/index.ts';
import { createRunWorld, customersFor, declinesOf, RUN_DAYS } from '../../src/simulator/run-world.ts';
import type { CalendarWorld } from '../../src/simulator/world/calendar-world.ts';

const renderers = createRenderers(1);
const webhooksOf = (world: CalendarWorld) =>
  world.steps.reduce((sum, timed) => sum + renderers[timed.payment.provider].render(timed, world.startAt).length, 0);

test('the world declines only with the reasons each renderer can express', () => {
  const declines = declinesOf(renderers);
  for (const provider of PROVIDERS) assert.deepEqual(declines[provider], renderers[provider].declines);
  const world = createRunWorld({ seed: 2, providers: PROVIDERS, webhooks: 3000 });
  for (const { payment, step } of world.steps) {
    if (step.kind === 'failed') assert.ok(declines[payment.provider].includes(step.decline), step.decline);
  }
});

test('a world sized for a run gives at least its webhooks, and not many times more', () => {
  for (const providers of [PROVIDERS, ['stripe'], ['braintree'], ['adyen', 'braintree']] as const) {
    for (const webhooks of [150, 1500]) {
      const world = createRunWorld({ seed: 42, providers, webhooks });
      const given = webhooksOf(world);
      assert.ok(given >= webhooks, `${providers.join()}: ${given} webhooks for ${webhooks}`);
      // Small runs get a floor of customers; larger ones a world about their size.
      if (world.customers.length > 40) assert.ok(given < webhooks * 1.6, `${providers.join()}: ${given}`);
      assert.equal(world.days, RUN_DAYS);
      assert.deepEqual(new Set(world.steps.map((timed) => timed.payment.provider)), new Set(providers));
    }
  }
});

test('the first guess grows with the run, the days and the share of quiet Braintree subscribers', () => {
  const guess = (webhooks: number, providers: readonly ProviderName[] = PROVIDERS, days = RUN_DAYS) =>
    customersFor(webhooks, providers, days);
  assert.ok(guess(20_000) > guess(2_000));
  assert.ok(guess(20_000, PROVIDERS, 30) > guess(20_000));
  assert.ok(guess(20_000, ['braintree']) > 10 * guess(20_000, ['stripe']));
  assert.ok(customersFor(20_000, PROVIDERS, RUN_DAYS, { providers: { braintree: 90, stripe: 10 } }) > guess(20_000));
});

test('a given size is kept, the same seed and size give the same world, and bad sizes are usage errors', () => {
  const world = createRunWorld({ seed: 5, providers: PROVIDERS, customers: 30, days: 14, webhooks: 1_000_000 });
  assert.equal(world.customers.length, 30);
  assert.equal(world.days, 14);
  const again = createRunWorld({ seed: 5, providers: PROVIDERS, customers: 30, days: 14, webhooks: 1 });
  assert.deepEqual(again.truth, world.truth);
  for (const size of [{ customers: 0 }, { customers: 2.5 }, { days: 1 }, { days: Number.NaN }]) {
    assert.throws(
      () => createRunWorld({ seed: 5, providers: PROVIDERS, webhooks: 100, ...size }),
      (error) => isPaypipeError(error, 'PAYPIPE_ERR_USAGE'),
      JSON.stringify(size),
    );
  }
});
