import assert from 'node:assert/strict';
import { hash } from 'node:crypto';
import { test } from 'node:test';
import pino from 'pino';
import { Registry } from 'prom-client';
import type { DeadLetter } from '../../src/contracts/dead-letter.ts';
import { PaypipeError } from '../../src/contracts/errors.ts';
import { decodeRawRecord, type RawRecord, toWire } from '../../src/contracts/raw-record.ts';
import type { ValidationIssue } from '../../src/contracts/reasons.ts';
import type { ProviderName } from '../../src/contracts/vocabulary.ts';
import { createGateway } from '../../src/gateway/app.ts';
import { createEventLog } from '../../src/log/index.ts';
import type { AppendRecord, EventLog } from '../../src/log/port.ts';
import type { Activities } from '../../src/orchestrator/activities/index.ts';
import { dlqReviewWorkflow } from '../../src/orchestrator/workflows/dlq-review.ts';
import { adyenFixtures } from '../../src/providers/adyen/fixtures.ts';
import { braintreeFixtures } from '../../src/providers/braintree/fixtures.ts';
import type { SignedRequest } from '../../src/providers/provider.ts';
import { createProviderRegistry } from '../../src/providers/registry.ts';
import { stripeFixtures } from '../../src/providers/stripe/fixtures.ts';
import { type ReplayProgress, replayDeadLetters } from '../../src/runtime/replay.ts';
import { collectStatus, formatStatus } from '../../src/runtime/status.ts';
import { createStore } from '../../src/storage/create-store.ts';
import type { PaymentStore, QuarantineEntry } from '../../src/storage/port.ts';
import { TEST_SECRETS, testConfig } from '../helpers/test-config.ts';

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

/** A payload the normalizer could not normalize, as it dead-letters it. */
function normalizerDeadLetter(raw: RawRecord, errors: readonly ValidationIssue[] = []): DeadLetter {
  return {
    stage: 'normalizer',
    reason: 'invalid_payload',
    message: 'payload cannot be normalized',
    errors: [...errors],
    dead_lettered_at: '2026-03-02T10:00:01.000Z',
    record: toWire(raw),
  };
}

/** A signed request as the gateway keeps it, received at the tests' fixed time. */
function received(id: string, provider: ProviderName, signed: SignedRequest): RawRecord {
  return {
    id,
    provider,
    received_at: '2026-03-02T10:00:00.000Z',
    headers: signed.headers,
    body: Buffer.from(signed.body),
  };
}

/** A settled Braintree transaction, signed with today's secrets, as the gateway kept it. */
function settledBraintree(providers: ReturnType<typeof createProviderRegistry>, id: string): RawRecord {
  const settled = braintreeFixtures.find((fixture) => fixture.name === 'transaction_settled');
  assert.ok(settled);
  return received(id, 'braintree', providers.braintree.sign(settled.payload));
}

/** Quarantines a dead letter as the orchestrator's DLQ review workflow does. */
function quarantineAsReviewed(store: PaymentStore, letter: DeadLetter) {
  const acts = {
    persist_to_quarantine: (draft: Omit<QuarantineEntry, 'quarantined_at'>) =>
      store.quarantine({ ...draft, quarantined_at: letter.dead_lettered_at }),
  } as unknown as Activities;
  return dlqReviewWorkflow(acts, letter);
}

/** A gateway with these providers, on an in-memory log, beside an in-memory store; all closed after the test. */
async function gatewayWith(t: import('node:test').TestContext, providers: ReturnType<typeof createProviderRegistry>) {
  const log = createEventLog('sqlite::memory:');
  const store = await createStore('sqlite::memory:');
  const gateway = createGateway({
    providers,
    log,
    config: before.gateway,
    logger: pino({ level: 'silent' }),
    registry: new Registry(),
  });
  t.after(async () => {
    await gateway.close();
    await log.close();
    await store.close();
  });
  return { log, store, gateway };
}

/** Webhooks signed with secrets the gateway does not know yet land in webhooks.dlq. */
async function deadLettered(t: import('node:test').TestContext) {
  const { log, store, gateway } = await gatewayWith(t, createProviderRegistry(before.providers));
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
  return { log, store, stripe };
}

const KEY_A = TEST_SECRETS.PAYPIPE_ADYEN_HMAC_KEYS;
const KEY_B = 'DFB1EB5485895CFA84146406857104ABB4CBCABDC8AAF103A624C8F6A3EAAB00';

/** The Adyen provider as configured with these HMAC keys (comma-separated) and the new password. */
const adyenWith = (keys: string) =>
  createProviderRegistry(
    testConfig({ PAYPIPE_ADYEN_HMAC_KEYS: keys, PAYPIPE_ADYEN_BASIC_AUTH: 'adyen:new-password' }).providers,
  );

/** One Adyen webhook, sent with the new password and signed with `key`, dead-lettered by a gateway with `env`. */
async function adyenDeadLetter(t: import('node:test').TestContext, env: Record<string, string>, key: string) {
  const { log, store, gateway } = await gatewayWith(t, createProviderRegistry(testConfig(env).providers));
  const signed = adyenWith(key).adyen.sign(adyenPayment?.payload ?? '');
  const response = await gateway.inject({
    method: 'POST',
    url: '/webhooks/adyen',
    headers: signed.headers,
    payload: signed.body,
  });
  assert.equal(response.statusCode, 401);
  const letters: DeadLetter[] = [];
  for await (const item of log.scan('webhooks.dlq')) letters.push(JSON.parse(item.value.toString()));
  assert.equal(letters.length, 1);
  return { log, store, letter: letters[0] as DeadLetter };
}

test('an Adyen record dead-lettered under HMAC key A replays once the keys are [B, A], not once A is gone', async (t) => {
  // Adyen already signs with B; paypipe still has only A and the old password.
  const env = { PAYPIPE_ADYEN_HMAC_KEYS: KEY_A, PAYPIPE_ADYEN_BASIC_AUTH: 'adyen:old-password' };
  const { log, store, letter } = await adyenDeadLetter(t, env, KEY_B);
  assert.equal(letter.reason, 'basic_auth_mismatch');
  assert.match(letter.record.headers.authorization ?? '', /^hmac-sha256:[0-9a-f]{64}$/);

  const onlyB = await replayDeadLetters({ log, providers: adyenWith(KEY_B), store }, { reasons: [], dryRun: true });
  assert.deepEqual(onlyB.stillFailing, { basic_auth_mismatch: 1 }, 'the key that keyed the digest is gone');
  const rotated = await replayDeadLetters(
    { log, providers: adyenWith(`${KEY_B},${KEY_A}`), store },
    { reasons: [], dryRun: false },
  );
  assert.deepEqual(rotated, { examined: 1, replayed: 1, alreadyReplayed: 0, stillFailing: {}, redriven: 0 });
  let raw = 0;
  for await (const _ of log.scan('webhooks.adyen.notification')) raw += 1;
  assert.equal(raw, 1);
});

test('an Adyen dead letter from before the digest was keyed (sha256:) still replays', async (t) => {
  const env = { PAYPIPE_ADYEN_HMAC_KEYS: KEY_A, PAYPIPE_ADYEN_BASIC_AUTH: 'adyen:old-password' };
  const { log, store, letter } = await adyenDeadLetter(t, env, KEY_A);
  const written = (credentials: string): DeadLetter => ({
    ...letter,
    record: {
      ...letter.record,
      headers: { ...letter.record.headers, authorization: `sha256:${hash('sha256', credentials, 'hex')}` },
    },
  });
  await log.append('webhooks.dlq', [
    { key: 'old', value: Buffer.from(JSON.stringify(written('adyen:new-password'))) },
    { key: 'old-guess', value: Buffer.from(JSON.stringify(written('adyen:guess'))) },
  ]);
  const result = await replayDeadLetters({ log, providers: adyenWith(KEY_A), store }, { reasons: [], dryRun: true });
  assert.deepEqual(result, {
    examined: 3,
    replayed: 2,
    alreadyReplayed: 0,
    stillFailing: { basic_auth_mismatch: 1 },
    redriven: 0,
  });
});

test('an Adyen request received with no HMAC key configured keeps no digest, and replay refuses it', async (t) => {
  const env = { PAYPIPE_ADYEN_HMAC_KEYS: '', PAYPIPE_ADYEN_BASIC_AUTH: 'adyen:new-password' };
  const { log, store, letter } = await adyenDeadLetter(t, env, KEY_A);
  assert.equal(letter.reason, 'no_secret_configured');
  const kept = letter.record.headers.authorization ?? '';
  assert.doesNotMatch(kept, /[0-9a-f]{64}/, 'no digest');
  assert.ok(!kept.includes(Buffer.from('adyen:new-password').toString('base64')), 'no credential');
  const result = await replayDeadLetters(
    { log, providers: adyenWith(KEY_A), store },
    { reasons: ['no_secret_configured'], dryRun: false },
  );
  assert.deepEqual(result, {
    examined: 1,
    replayed: 0,
    alreadyReplayed: 0,
    stillFailing: { basic_auth_not_kept: 1 },
    redriven: 0,
  });
});

test('after configuring a rotated secret, replay re-drives the dead letters that now verify', async (t) => {
  const { log, store, stripe } = await deadLettered(t);
  const providers = createProviderRegistry(after.providers);

  const dry = await replayDeadLetters({ log, providers, store }, { reasons: [], dryRun: true });
  assert.deepEqual(dry, {
    examined: 3,
    replayed: 2,
    alreadyReplayed: 0,
    stillFailing: { no_matching_signature: 1 },
    redriven: 0,
  });
  let raw = 0;
  for await (const _ of log.scan('webhooks.stripe.payment_intent')) raw += 1;
  assert.equal(raw, 0, 'a dry run appends nothing');

  const result = await replayDeadLetters(
    { log, providers, store },
    {
      reasons: ['basic_auth_mismatch', 'no_matching_signature'],
      dryRun: false,
    },
  );
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

/** Records a topic keeps. */
async function kept(log: EventLog, topic: string): Promise<number> {
  let records = 0;
  for await (const _ of log.scan(topic)) records += 1;
  return records;
}

test('a second replay skips the dead letters replayed before, and --again replays them anyway', async (t) => {
  const { log, store } = await deadLettered(t);
  const providers = createProviderRegistry(after.providers);
  const dry = await replayDeadLetters({ log, providers, store }, { reasons: [], dryRun: true });
  assert.equal(dry.replayed, 2);
  const first = await replayDeadLetters({ log, providers, store }, { reasons: [], dryRun: false });
  assert.deepEqual([first.replayed, first.alreadyReplayed], [2, 0], 'a dry run marks nothing');

  const updates: ReplayProgress[] = [];
  const second = await replayDeadLetters({ log, providers, store }, { reasons: [], dryRun: false }, (progress) =>
    updates.push(progress),
  );
  assert.deepEqual(second, {
    examined: 1,
    replayed: 0,
    alreadyReplayed: 2,
    stillFailing: { no_matching_signature: 1 },
    redriven: 0,
  });
  assert.equal(updates.at(-1)?.alreadyReplayed, 2);
  assert.deepEqual(
    [await kept(log, 'webhooks.stripe.payment_intent'), await kept(log, 'webhooks.adyen.notification')],
    [1, 1],
    'appended once',
  );
  const onlyAdyen = await replayDeadLetters(
    { log, providers, store },
    { reasons: [], provider: 'adyen', dryRun: false },
  );
  assert.equal(onlyAdyen.alreadyReplayed, 1, 'counted among the dead letters the filter selects');

  const again = await replayDeadLetters({ log, providers, store }, { reasons: [], dryRun: false, again: true });
  assert.deepEqual([again.replayed, again.alreadyReplayed], [2, 0]);
  assert.deepEqual(
    [await kept(log, 'webhooks.stripe.payment_intent'), await kept(log, 'webhooks.adyen.notification')],
    [2, 2],
  );
});

test('a dead letter is marked replayed only once its record is durably back in its raw topic', async (t) => {
  const { log, store } = await deadLettered(t);
  const failing: EventLog = {
    append: async (topic, records) => {
      if (topic === 'webhooks.adyen.notification') {
        throw new PaypipeError('PAYPIPE_ERR_LOG_UNAVAILABLE', 'disk full');
      }
      return log.append(topic, records);
    },
    consumer: (options) => log.consumer(options),
    stats: () => log.stats(),
    lags: () => log.lags(),
    scan: (topic) => log.scan(topic),
    close: () => log.close(),
  };
  const providers = createProviderRegistry(after.providers);
  await assert.rejects(replayDeadLetters({ log: failing, providers, store }, { reasons: [], dryRun: false }), {
    code: 'PAYPIPE_ERR_LOG_UNAVAILABLE',
  });
  const result = await replayDeadLetters({ log, providers, store }, { reasons: [], dryRun: false });
  assert.deepEqual([result.replayed, result.alreadyReplayed], [2, 0], 'nothing of the failed batch is marked');
});

test("a normalizer's dead letter the pipeline refuses again after a replay is a new dead letter, replayed in turn", async (t) => {
  const { log, store } = await deadLettered(t);
  const providers = createProviderRegistry(after.providers);
  const raw = settledBraintree(providers, 'rec_braintree_3');
  const letter = normalizerDeadLetter(raw);
  const deadLetter = async (at: string) => {
    const again = { ...letter, dead_lettered_at: at };
    await log.append('payments.validation.dlq', [{ key: raw.id, value: Buffer.from(JSON.stringify(again)) }]);
    return quarantineAsReviewed(store, again);
  };
  const { id } = await deadLetter(letter.dead_lettered_at);
  const filter = { reasons: ['invalid_payload'], dryRun: false };
  const now = () => new Date('2026-03-04T08:00:00.000Z');
  const first = await replayDeadLetters({ log, providers, store, now }, filter);
  assert.deepEqual([first.replayed, first.redriven], [1, 1]);

  // The running pipeline still refuses it: dead-lettered again, and its quarantine row open again.
  await deadLetter('2026-03-05T09:00:00.000Z');
  assert.equal(await store.quarantineState(id), 'open');
  const second = await replayDeadLetters({ log, providers, store }, filter);
  assert.deepEqual([second.examined, second.replayed, second.alreadyReplayed, second.redriven], [1, 1, 1, 1]);
  assert.equal(await kept(log, 'webhooks.braintree.notification'), 2);
  const third = await replayDeadLetters({ log, providers, store }, filter);
  assert.deepEqual([third.examined, third.alreadyReplayed], [0, 2]);
});

test('a dead letter reviewed again after its record was re-driven leaves its row re-driven', async (t) => {
  const { log, store } = await deadLettered(t);
  const providers = createProviderRegistry(after.providers);
  const raw = settledBraintree(providers, 'rec_braintree_4');
  const letter = normalizerDeadLetter(raw);
  await log.append('payments.validation.dlq', [{ key: raw.id, value: Buffer.from(JSON.stringify(letter)) }]);
  const { id } = await quarantineAsReviewed(store, letter);
  const replayed = await replayDeadLetters({ log, providers, store }, { reasons: ['invalid_payload'], dryRun: false });
  assert.equal(replayed.redriven, 1);

  // paypipe up stopped before the review's batch was committed (a payment ahead of it was retrying, say):
  // the next start reviews the same dead letter again, while its record's event is stored.
  await quarantineAsReviewed(store, letter);
  assert.equal(await store.quarantineState(id), 'redriven');
  const counts = await store.counts();
  assert.deepEqual([counts.quarantined, counts.redriven], [0, 1]);
});

/** A Braintree renewal the normalizer could not normalize, dead-lettered and quarantined as the pipeline does. */
async function quarantinedRenewal(log: EventLog, store: PaymentStore, id: string) {
  const providers = createProviderRegistry(after.providers);
  const raw = settledBraintree(providers, id);
  const letter = normalizerDeadLetter(raw);
  await log.append('payments.validation.dlq', [{ key: raw.id, value: Buffer.from(JSON.stringify(letter)) }]);
  const { id: row } = await quarantineAsReviewed(store, letter);
  return { providers, letter, row };
}

test('a record the running pipeline refuses again before replay is done with it has its row open again', async (t) => {
  const { log, store } = await deadLettered(t);
  const { providers, letter, row } = await quarantinedRenewal(log, store, 'rec_braintree_5');
  // The running pipeline (not restarted with the fix) takes the record as soon as it is durable, and its
  // dead letter is reviewed before replay has gone on.
  const fast: EventLog = {
    append: async (topic, records) => {
      const positions = await log.append(topic, records);
      if (topic === 'webhooks.braintree.notification') {
        await quarantineAsReviewed(store, { ...letter, dead_lettered_at: new Date().toISOString() });
      }
      return positions;
    },
    consumer: (options) => log.consumer(options),
    stats: () => log.stats(),
    lags: () => log.lags(),
    scan: (topic) => log.scan(topic),
    close: () => log.close(),
  };
  const result = await replayDeadLetters(
    { log: fast, providers, store },
    { reasons: ['invalid_payload'], dryRun: false },
  );
  assert.deepEqual([result.replayed, result.redriven], [1, 1]);
  assert.equal(await store.quarantineState(row), 'open', 'quarantined again: else neither stored nor quarantined');
});

test('a replay stopped before its records were back leaves rows re-driven, and the next one sends them back', async (t) => {
  const { log, store } = await deadLettered(t);
  const { providers, row } = await quarantinedRenewal(log, store, 'rec_braintree_6');
  const failing: EventLog = {
    append: async () => {
      throw new PaypipeError('PAYPIPE_ERR_LOG_UNAVAILABLE', 'disk full');
    },
    consumer: (options) => log.consumer(options),
    stats: () => log.stats(),
    lags: () => log.lags(),
    scan: (topic) => log.scan(topic),
    close: () => log.close(),
  };
  const filter = { reasons: ['invalid_payload'], dryRun: false };
  await assert.rejects(replayDeadLetters({ log: failing, providers, store }, filter), {
    code: 'PAYPIPE_ERR_LOG_UNAVAILABLE',
  });
  assert.equal(await store.quarantineState(row), 'redriven');
  const next = await replayDeadLetters({ log, providers, store }, filter);
  assert.deepEqual([next.replayed, next.alreadyReplayed, next.stillFailing], [1, 0, {}]);
  assert.equal(await kept(log, 'webhooks.braintree.notification'), 1);
});

test('a dead letter the normalizer still throws on (its bug not fixed yet) still fails, and the rest replay', async (t) => {
  const { log, store } = await deadLettered(t);
  const { providers } = await quarantinedRenewal(log, store, 'rec_braintree_7');
  const buggy = {
    ...providers,
    braintree: {
      ...providers.braintree,
      normalize: () => {
        throw new TypeError("Cannot read properties of undefined (reading 'amount')");
      },
    },
  };
  const result = await replayDeadLetters({ log, providers: buggy, store }, { reasons: [], dryRun: false });
  assert.deepEqual(result, {
    examined: 4,
    replayed: 2,
    alreadyReplayed: 0,
    stillFailing: { no_matching_signature: 1, invalid_payload: 1 },
    redriven: 0,
  });
});

test('replay filters by reason and provider', async (t) => {
  const { log, store } = await deadLettered(t);
  const providers = createProviderRegistry(after.providers);
  const onlyAdyen = await replayDeadLetters(
    { log, providers, store },
    { reasons: [], provider: 'adyen', dryRun: true },
  );
  assert.equal(onlyAdyen.examined, 1);
  const onlyMalformed = await replayDeadLetters(
    { log, providers, store },
    {
      reasons: ['malformed_signature_header'],
      dryRun: true,
    },
  );
  assert.equal(onlyMalformed.examined, 0);
});

test('a record in webhooks.dlq that is not a dead letter is counted as unreadable, and the rest still replay', async (t) => {
  const { log, store } = await deadLettered(t);
  await log.append('webhooks.dlq', [
    { key: 'damaged', value: Buffer.from('{"stage": "gateway", "trunc') },
    { key: 'foreign', value: Buffer.from('{"hello": "world"}') },
    { key: 'binary', value: Buffer.from([0xff, 0xfe, 0x00]) },
  ]);
  const result = await replayDeadLetters(
    { log, providers: createProviderRegistry(after.providers), store },
    { reasons: [], dryRun: true },
  );
  assert.deepEqual(result, {
    examined: 6,
    replayed: 2,
    alreadyReplayed: 0,
    stillFailing: { no_matching_signature: 1, unreadable: 3 },
    redriven: 0,
  });
  const filtered = await replayDeadLetters(
    { log, providers: createProviderRegistry(after.providers), store },
    {
      reasons: ['basic_auth_mismatch'],
      dryRun: true,
    },
  );
  assert.equal(filtered.examined, 1, 'a filter by reason or provider leaves unreadable records out');
});

test('replay reports its progress and appends in batches, not one fsync per dead letter', async (t) => {
  const { log, store } = await deadLettered(t);
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
    lags: () => log.lags(),
    scan: (topic) => log.scan(topic),
    close: () => log.close(),
  };
  const updates: ReplayProgress[] = [];
  const result = await replayDeadLetters(
    { log: counting, providers: createProviderRegistry(after.providers), store },
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

test("a normalizer's dead letter that normalizes after a fix goes back to its raw topic, and its quarantine row is marked re-driven", async (t) => {
  const { log, store } = await deadLettered(t);
  // The merchant account's currency was configured wrong: 49.99 cannot be JPY (no minor unit).
  const wrong = createProviderRegistry(
    testConfig({ PAYPIPE_BRAINTREE_MERCHANT_CURRENCIES: 'acme_tools_usd=JPY' }).providers,
  );
  const fixed = createProviderRegistry(after.providers);
  const renewal = braintreeFixtures.find((fixture) => fixture.name === 'subscription_charged_successfully');
  assert.ok(renewal);
  const signed = wrong.braintree.sign(renewal.payload.replaceAll('<currency-iso-code>USD</currency-iso-code>', ''));
  const raw = received('rec_braintree_1', 'braintree', signed);
  const invalid = wrong.braintree.normalize(raw);
  assert.equal(invalid.kind, 'invalid', 'the wrong currency makes it unnormalizable');
  const letter = normalizerDeadLetter(raw, invalid.kind === 'invalid' ? invalid.errors : []);
  // Dead-lettered twice (a redelivery): one quarantine row, as the DLQ review workflow keeps it.
  await log.append('payments.validation.dlq', [
    { key: raw.id, value: Buffer.from(JSON.stringify(letter)) },
    { key: raw.id, value: Buffer.from(JSON.stringify(letter)) },
  ]);
  const { id } = await quarantineAsReviewed(store, letter);

  const notYet = await replayDeadLetters(
    { log, providers: wrong, store },
    { reasons: ['invalid_payload'], dryRun: false },
  );
  assert.deepEqual(notYet, {
    examined: 2,
    replayed: 0,
    alreadyReplayed: 0,
    stillFailing: { invalid_payload: 2 },
    redriven: 0,
  });

  const result = await replayDeadLetters(
    { log, providers: fixed, store, now: () => new Date('2026-03-05T08:00:00.000Z') },
    { reasons: ['invalid_payload'], dryRun: false },
  );
  assert.deepEqual(result, {
    examined: 2,
    replayed: 1,
    alreadyReplayed: 0,
    stillFailing: { already_redriven: 1 },
    redriven: 1,
  });
  const back = [];
  for await (const item of log.scan('webhooks.braintree.notification')) back.push(decodeRawRecord(item.value));
  assert.deepEqual(
    back.map((record) => [record.id, record.body.toString()]),
    [[raw.id, signed.body]],
    'the exact record, once',
  );
  assert.equal(await store.quarantineState(id), 'redriven');
  const counts = await store.counts();
  assert.deepEqual([counts.quarantined, counts.redriven], [0, 1]);
  assert.deepEqual(counts.quarantineByReason, []);

  const again = await replayDeadLetters(
    { log, providers: fixed, store },
    { reasons: ['invalid_payload'], dryRun: false },
  );
  assert.deepEqual(
    [again.alreadyReplayed, again.replayed, again.redriven],
    [2, 0, 0],
    'both dead letters went back (the second with the first): skipped, and the row re-driven once',
  );
  const forced = await replayDeadLetters(
    { log, providers: fixed, store },
    { reasons: ['invalid_payload'], dryRun: false, again: true },
  );
  assert.deepEqual(
    [forced.replayed, forced.redriven, forced.stillFailing.already_redriven],
    [1, 0, 1],
    '--again sends the record back once more; its row was re-driven already',
  );
  assert.equal(await kept(log, 'webhooks.braintree.notification'), 2);
});

test('a quarantined record that does not go back (it now routes nowhere) keeps its row open', async (t) => {
  const { log, store } = await deadLettered(t);
  const providers = createProviderRegistry(after.providers);
  const signed = providers.stripe.sign(
    '{"id":"evt_1","object":"event","type":"customer.created","data":{"object":{}}}',
  );
  const raw = received('rec_stripe_customer', 'stripe', signed);
  assert.equal(providers.stripe.normalize(raw).kind, 'unsupported', 'it normalizes (as no payment fact)');
  const letter = normalizerDeadLetter(raw);
  // Dead-lettered twice: the second copy does not go back either, it is not "re-driven" with the first.
  const copy = { key: raw.id, value: Buffer.from(JSON.stringify(letter)) };
  await log.append('payments.validation.dlq', [copy, copy]);
  const { id } = await quarantineAsReviewed(store, letter);
  const result = await replayDeadLetters({ log, providers, store }, { reasons: ['invalid_payload'], dryRun: false });
  assert.deepEqual(result, {
    examined: 2,
    replayed: 0,
    alreadyReplayed: 0,
    stillFailing: { unroutable: 2 },
    redriven: 0,
  });
  assert.equal(await store.quarantineState(id), 'open');
  const status = await collectStatus(log, store);
  assert.deepEqual(
    status.deadLetters.find((row) => row.topic === 'payments.validation.dlq'),
    { topic: 'payments.validation.dlq', reason: 'invalid_payload', waiting: 2, replayed: 0 },
    'neither is remembered as replayed',
  );
});

test('a dry run re-drives nothing, and a dead letter whose quarantine row is not written yet is left alone', async (t) => {
  const { log, store } = await deadLettered(t);
  const providers = createProviderRegistry(after.providers);
  const raw = settledBraintree(providers, 'rec_braintree_2');
  const letter = normalizerDeadLetter(raw);
  await log.append('payments.validation.dlq', [{ key: raw.id, value: Buffer.from(JSON.stringify(letter)) }]);
  const result = await replayDeadLetters({ log, providers, store }, { reasons: ['invalid_payload'], dryRun: false });
  assert.deepEqual(result, {
    examined: 1,
    replayed: 0,
    alreadyReplayed: 0,
    stillFailing: { not_yet_quarantined: 1 },
    redriven: 0,
  });

  const { id } = await quarantineAsReviewed(store, letter);
  const dry = await replayDeadLetters({ log, providers, store }, { reasons: ['invalid_payload'], dryRun: true });
  assert.deepEqual(dry, { examined: 1, replayed: 1, alreadyReplayed: 0, stillFailing: {}, redriven: 0 });
  assert.equal(await store.quarantineState(id), 'open');
  for await (const _ of log.scan('webhooks.braintree.notification')) assert.fail('a dry run appends nothing');
});

test('status counts dead letters by reason beside the store and the log, those waiting apart from those replayed', async (t) => {
  const { log, store } = await deadLettered(t);
  const status = await collectStatus(log, store);
  assert.deepEqual(status.deadLetters.map((letter) => [letter.reason, letter.waiting, letter.replayed]).sort(), [
    ['basic_auth_mismatch', 1, 0],
    ['no_matching_signature', 2, 0],
  ]);
  const text = formatStatus(status);
  assert.match(text, /webhooks\.dlq\s+no_matching_signature\s+2\s+0/);
  assert.match(text, /Stored events: 0/);

  await replayDeadLetters(
    { log, providers: createProviderRegistry(after.providers), store },
    { reasons: [], dryRun: false },
  );
  const replayed = await collectStatus(log, store);
  assert.deepEqual(replayed.deadLetters, [
    { topic: 'webhooks.dlq', reason: 'no_matching_signature', waiting: 1, replayed: 1 },
    { topic: 'webhooks.dlq', reason: 'basic_auth_mismatch', waiting: 0, replayed: 1 },
  ]);
  const replayedText = formatStatus(replayed);
  assert.match(replayedText, /Dead letters: 1 waiting, 2 replayed/);
  assert.match(replayedText, /webhooks\.dlq\s+no_matching_signature\s+1\s+1/);
  assert.match(replayedText, /webhooks\.dlq\s+basic_auth_mismatch\s+0\s+1/);
});
