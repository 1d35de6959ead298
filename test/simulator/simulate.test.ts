import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isPaypipeError } from '../../src/contracts/errors.ts';
import { type SimulationProgress, simulate } from '../../src/simulator/simulate.ts';
import { config, startReceiver } from './helpers.ts';

test('sends every delivery at the rate; forgeries are refused, the rest acknowledged', async (t) => {
  const receiver = await startReceiver();
  t.after(() => receiver.close());
  const progress: SimulationProgress[] = [];
  const { deliveries, summary } = await simulate({
    seed: 4,
    rate: 400,
    count: 400,
    target: receiver.url,
    config: config.providers,
    forgeryRate: 0.05,
    onProgress: (update) => progress.push(update),
  });
  assert.equal(receiver.arrivals.length, 400);
  assert.equal(deliveries.length, 400);
  // 400 requests at 400/s take about a second: never a burst; the upper bound only leaves room for a busy
  // machine (the sender and this receiver share one process here).
  const span = (receiver.arrivals.at(-1) as number) - (receiver.arrivals[0] as number);
  assert.ok(span > 800 && span < 15_000, `span ${span} ms`);
  const forged = deliveries.filter((delivery) => delivery.forged);
  assert.ok(forged.length > 5);
  assert.ok(forged.every((delivery) => delivery.status === 401 && delivery.eventIds.length === 0));
  assert.ok(deliveries.filter((d) => !d.forged).every((d) => d.status === 200 && d.eventIds.length > 0));
  assert.equal(receiver.byStatus.get(401), forged.length);
  assert.equal(summary.sent, 400);
  assert.equal(summary.answers['401'], forged.length);
  assert.equal(summary.forgeriesRejected, forged.length);
  assert.equal(summary.answers['2xx'], 400 - forged.length);
  const ids = new Set(deliveries.flatMap((delivery) => delivery.eventIds));
  assert.equal(summary.expectedStoredEvents, ids.size);
  assert.ok(summary.redeliveries > 0 && ids.size < deliveries.length - forged.length);
  assert.ok(summary.latencyMs.p50 > 0 && summary.latencyMs.p99 >= summary.latencyMs.p50);
  assert.equal(progress.length, 400);
  assert.deepEqual(
    { done: progress.at(-1)?.done, acknowledged: progress.at(-1)?.acknowledged, rejected: progress.at(-1)?.rejected },
    { done: 400, acknowledged: 400 - forged.length, rejected: forged.length },
  );
});

test('never has more requests open than the concurrency allows', async (t) => {
  const receiver = await startReceiver(40);
  t.after(() => receiver.close());
  const { summary } = await simulate({
    rate: 2000,
    count: 60,
    concurrency: 4,
    target: receiver.url,
    config: config.providers,
  });
  assert.equal(summary.sent, 60);
  assert.ok(receiver.maxOpen() <= 4, `max open ${receiver.maxOpen()}`);
  assert.equal(receiver.maxOpen(), 4);
});

test('a gateway that is down gives answers of status 0, none acknowledged, nothing expected stored', async () => {
  const receiver = await startReceiver();
  const url = receiver.url;
  await receiver.close();
  const { deliveries, summary } = await simulate({ rate: 1000, count: 20, target: url, config: config.providers });
  assert.ok(deliveries.every((delivery) => delivery.status === 0 && delivery.error !== null));
  assert.equal(summary.answers.none, 20);
  assert.equal(summary.expectedStoredEvents, 0);
});

test('bad options and missing secrets are refused before anything is sent', async () => {
  await assert.rejects(simulate({ rate: 0, count: 1, config: config.providers }), (error) =>
    isPaypipeError(error, 'PAYPIPE_ERR_USAGE'),
  );
  await assert.rejects(simulate({ rate: 10, config: config.providers }), (error) =>
    isPaypipeError(error, 'PAYPIPE_ERR_USAGE'),
  );
  await assert.rejects(simulate({ rate: 10, count: 1, forgeryRate: 2, config: config.providers }), (error) =>
    isPaypipeError(error, 'PAYPIPE_ERR_USAGE'),
  );
  await assert.rejects(simulate({ rate: 10, count: 1, target: 'localhost:8000', config: config.providers }), (error) =>
    isPaypipeError(error, 'PAYPIPE_ERR_USAGE'),
  );
  const noSquare = { ...config.providers, square: { signatureKeys: [], notificationUrl: null } };
  await assert.rejects(simulate({ rate: 10, count: 1, providers: ['square'], config: noSquare }), (error) =>
    isPaypipeError(error, 'PAYPIPE_ERR_SIGNING'),
  );
});

test('only the chosen providers are sent', async (t) => {
  const receiver = await startReceiver();
  t.after(() => receiver.close());
  const { summary } = await simulate({
    rate: 1000,
    count: 100,
    providers: ['adyen', 'braintree'],
    target: receiver.url,
    config: config.providers,
  });
  assert.equal(summary.sentByProvider.stripe + summary.sentByProvider.square, 0);
  assert.ok(summary.sentByProvider.adyen > 0 && summary.sentByProvider.braintree > 0);
});

test('the ground truth of exactly the payments sent comes back beside the deliveries', async (t) => {
  const receiver = await startReceiver();
  t.after(() => receiver.close());
  const { deliveries, summary, truth } = await simulate({
    seed: 12,
    rate: 2000,
    count: 500,
    target: receiver.url,
    config: config.providers,
  });
  const sent = new Set(deliveries.filter((d) => !d.forged).map((d) => d.paymentRef));
  assert.deepEqual(new Set(truth.fraud.map((record) => record.payment_ref)), sent);
  const declined = new Set(truth.fraud.filter((record) => !record.approved).map((record) => record.payment_ref));
  assert.ok(declined.size > 0);
  assert.deepEqual(new Set(truth.retry.map((record) => record.payment_ref)), declined);
  const customers = new Set(truth.fraud.map((record) => record.customer_ref));
  assert.ok(truth.churn.length > 0 && truth.churn.every((record) => customers.has(record.customer_ref)));
  const world = summary.world;
  assert.ok(world !== undefined);
  assert.equal(world.paymentsSent, sent.size);
  assert.equal(world.declined, declined.size);
  assert.ok(world.payments > world.paymentsSent, 'the run ends a little before its world does');
  assert.ok(world.throughDay > 1 && world.throughDay <= world.days);
});
