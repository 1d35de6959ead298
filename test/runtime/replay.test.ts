import assert from 'node:assert/strict';
import { test } from 'node:test';
import pino from 'pino';
import { Registry } from 'prom-client';
import { decodeRawRecord } from '../../src/contracts/raw-record.ts';
import { createGateway } from '../../src/gateway/app.ts';
import { createEventLog } from '../../src/log/index.ts';
import type { AppendRecord, EventLog } from '../../src/log/port.ts';
import { adyenFixtures } from '../../src/providers/adyen/fixtures.ts';
import { createProviderRegistry } from '../../src/providers/registry.ts';
import { stripeFixtures } from '../../src/providers/stripe/fixtures.ts';
import { type ReplayProgress, replayDeadLetters } from '../../src/runtime/replay.ts';
import { collectStatus, formatStatus } from '../../src/runtime/status.ts';
import { createStore } from '../../src/storage/create-store.ts';
import { testConfig } from '../helpers/test-config.ts';

const before = testConfig({
  PAYPIPE_STRIPE_WEBHOOK_SECRETS: 'whsec_old',
  PAYPIPE_ADYEN_BASIC_AUTH: 'adyen:old-password',
});
const after = testConfig({
  PAYPIPE_STRIPE_WEBHOOK_SECRETS: 'whsec_new,whsec_old',
  PAYPIPE_ADYEN_BASIC_AUTH: 'adyen:new-password',
});
const payment = stripeFixtures.find((fixture) => fixture.name === 'payment_intent.succeeded');
const adyenPayment = adyenFixtures.find((fixture) => fixture.expect !== 'unsupported');
assert.ok(payment && adyenPayment);

/** Webhooks signed with secrets the gateway does not know yet land in webhooks.dlq. */
async function deadLettered(t: import('node:test').TestContext) {
  const log = createEventLog('sqlite::memory:');
  const gateway = createGateway({
    providers: createProviderRegistry(before.providers),
    log,
    config: before.gateway,
    logger: pino({ level: 'silent' }),
    registry: new Registry(),
  });
  t.after(async () => {
    await gateway.close();
    await log.close();
  });
  const rotated = createProviderRegistry(after.providers);
  const stripe = rotated.stripe.sign(payment?.payload ?? '');
  const adyen = rotated.adyen.sign(adyenPayment?.payload ?? '');
  for (const [url, signed] of [
    ['/webhooks/stripe', stripe],
    ['/webhooks/adyen', adyen],
  ] as const) {
    const response = await gateway.inject({ method: 'POST', url, headers: signed.headers, payload: signed.body });
    assert.equal(response.statusCode, 401);
  }
  await gateway.inject({
    method: 'POST',
    url: '/webhooks/stripe',
    headers: { 'stripe-signature': 't=1,v1=00' },
    payload: '{}',
  });
  return { log, stripe };
}

test('after configuring a rotated secret, replay re-drives the dead letters that now verify', async (t) => {
  const { log, stripe } = await deadLettered(t);
  const providers = createProviderRegistry(after.providers);

  const dry = await replayDeadLetters(log, providers, { reasons: [], dryRun: true });
  assert.deepEqual(dry, { examined: 3, replayed: 2, stillFailing: { no_matching_signature: 1 } });
  let raw = 0;
  for await (const _ of log.scan('webhooks.stripe.payment_intent')) raw += 1;
  assert.equal(raw, 0, 'a dry run appends nothing');

  const result = await replayDeadLetters(log, providers, {
    reasons: ['basic_auth_mismatch', 'no_matching_signature'],
    dryRun: false,
  });
  assert.equal(result.replayed, 2);
  const replayed = [];
  for await (const item of log.scan('webhooks.stripe.payment_intent'))
    replayed.push(decodeRawRecord(item.value.toString()));
  assert.equal(replayed.length, 1);
  assert.equal(replayed[0]?.body.toString(), stripe.body, 'the exact bytes received go to the raw topic');
  let adyen = 0;
  for await (const _ of log.scan('webhooks.adyen.notification')) adyen += 1;
  assert.equal(adyen, 1, 'Adyen verifies again from the stored Basic auth digest');
});

test('replay filters by reason and provider', async (t) => {
  const { log } = await deadLettered(t);
  const providers = createProviderRegistry(after.providers);
  const onlyAdyen = await replayDeadLetters(log, providers, { reasons: [], provider: 'adyen', dryRun: true });
  assert.equal(onlyAdyen.examined, 1);
  const onlyMalformed = await replayDeadLetters(log, providers, {
    reasons: ['malformed_signature_header'],
    dryRun: true,
  });
  assert.equal(onlyMalformed.examined, 0);
});

test('a record in webhooks.dlq that is not a dead letter is counted as unreadable, and the rest still replay', async (t) => {
  const { log } = await deadLettered(t);
  await log.append('webhooks.dlq', [
    { key: 'damaged', value: Buffer.from('{"stage": "gateway", "trunc') },
    { key: 'foreign', value: Buffer.from('{"hello": "world"}') },
    { key: 'binary', value: Buffer.from([0xff, 0xfe, 0x00]) },
  ]);
  const result = await replayDeadLetters(log, createProviderRegistry(after.providers), { reasons: [], dryRun: true });
  assert.deepEqual(result, {
    examined: 6,
    replayed: 2,
    stillFailing: { no_matching_signature: 1, unreadable: 3 },
  });
  const filtered = await replayDeadLetters(log, createProviderRegistry(after.providers), {
    reasons: ['basic_auth_mismatch'],
    dryRun: true,
  });
  assert.equal(filtered.examined, 1, 'a filter by reason or provider leaves unreadable records out');
});

test('replay reports its progress and appends in batches, not one fsync per dead letter', async (t) => {
  const { log } = await deadLettered(t);
  const letters: AppendRecord[] = [];
  for await (const item of log.scan('webhooks.dlq')) letters.push({ key: item.key, value: item.value });
  // 100 redeliveries of each of the three dead letters.
  await log.append('webhooks.dlq', Array.from({ length: 100 }, () => letters).flat());
  let appends = 0;
  const counting: EventLog = {
    append: (topic, records) => {
      appends += 1;
      return log.append(topic, records);
    },
    consumer: (options) => log.consumer(options),
    stats: () => log.stats(),
    scan: (topic) => log.scan(topic),
    close: () => log.close(),
  };
  const updates: ReplayProgress[] = [];
  const result = await replayDeadLetters(
    counting,
    createProviderRegistry(after.providers),
    { reasons: [], dryRun: false },
    (progress) => updates.push(progress),
  );
  assert.equal(result.replayed, 202);
  assert.ok(appends <= 2, `${appends} appends for 202 records`);
  let raw = 0;
  for await (const _ of log.scan('webhooks.stripe.payment_intent')) raw += 1;
  assert.equal(raw, 101, 'every replayed Stripe dead letter reached its raw topic');
  const last = updates.at(-1);
  assert.deepEqual(
    last && { done: last.done, total: last.total, replayed: last.replayed, stillFailing: last.stillFailing },
    { done: 303, total: 303, replayed: 202, stillFailing: 101 },
  );
  assert.ok(updates.every((update, i) => i === 0 || update.done >= (updates[i - 1] as ReplayProgress).done));
});

test('status counts dead letters by reason beside the store and the log', async (t) => {
  const { log } = await deadLettered(t);
  const store = await createStore('sqlite::memory:');
  t.after(() => store.close());
  const status = await collectStatus(log, store);
  assert.deepEqual(status.deadLetters.map((letter) => [letter.reason, letter.count]).sort(), [
    ['basic_auth_mismatch', 1],
    ['no_matching_signature', 2],
  ]);
  const text = formatStatus(status);
  assert.match(text, /webhooks\.dlq\s+no_matching_signature\s+2/);
  assert.match(text, /Stored events: 0/);
});
