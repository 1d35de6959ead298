/**
 * A normalizer dead letter re-driven after a fix, through the whole pipeline: a Braintree merchant account
 * configured with the wrong currency makes a renewal unnormalizable (49.99 cannot be JPY), so it ends
 * quarantined; the operator fixes the setting, restarts `paypipe up` and runs `paypipe replay`; the renewal's
 * event is then stored, and its quarantine row is marked re-driven: counted once, in payment_events.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { PAYMENTS_VALIDATION_DLQ } from '../../src/contracts/topics.ts';
import { createEventLog } from '../../src/log/index.ts';
import { createProviderRegistry } from '../../src/providers/registry.ts';
import { createLogger } from '../../src/runtime/logger.ts';
import { startPipeline } from '../../src/runtime/pipeline.ts';
import { replayDeadLetters } from '../../src/runtime/replay.ts';
import { fixtureNamed } from '../../src/simulator/fixtures.ts';
import { createStore } from '../../src/storage/create-store.ts';
import { dataFolder } from '../helpers/e2e-pipeline.ts';
import { observe, readTables, type Tables } from '../helpers/e2e-store.ts';
import { braintreeForm, post } from '../helpers/sdk-signers.ts';
import { testConfig } from '../helpers/test-config.ts';

async function until(read: () => Tables, done: (tables: Tables) => boolean, what: string): Promise<Tables> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const tables = read();
    if (done(tables)) return tables;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(tables)}`);
    await sleep(50);
  }
}

test('a quarantined renewal is stored once after the currency is fixed and replay re-drives it', async (t) => {
  const dir = dataFolder(t);
  const tables = () => readTables(join(dir, 'paypipe.db'));
  const run = (currencies: string) =>
    testConfig({ PAYPIPE_DATA_DIR: dir, PORT: '0', PAYPIPE_BRAINTREE_MERCHANT_CURRENCIES: currencies });
  const renewal = fixtureNamed('braintree', 'subscription_charged_successfully');
  assert.ok(renewal);
  const body = braintreeForm(renewal.payload.replaceAll('<currency-iso-code>USD</currency-iso-code>', ''));
  const request = { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body };

  const wrong = await startPipeline(run('acme_tools_usd=JPY'), createLogger('silent'));
  assert.equal((await post(wrong.url, 'braintree', request)).status, 200);
  const quarantined = await until(tables, (now) => now.quarantine.length === 1, 'the quarantine row');
  assert.equal(quarantined.quarantine[0]?.reasons[0]?.code, 'invalid_payload');
  assert.equal(quarantined.events.length, 0);
  await wrong.stop();

  const fixed = run('acme_tools_usd=USD');
  const pipeline = await startPipeline(fixed, createLogger('silent'));
  const observer = await observe(fixed.logUrl, fixed.databaseUrl);
  const log = createEventLog(fixed.logUrl);
  const store = await createStore(fixed.databaseUrl);
  t.after(async () => {
    await Promise.all([log.close(), store.close(), observer.close()]);
    await pipeline.stop();
  });
  assert.equal((await observer.deadLetters(PAYMENTS_VALIDATION_DLQ)).length, 1);
  const providers = createProviderRegistry(fixed.providers);
  const result = await replayDeadLetters({ log, providers, store }, { reasons: [], dryRun: false });
  assert.deepEqual([result.replayed, result.redriven], [1, 1]);

  const stored = await until(tables, (now) => now.events.length === 1, 'the re-driven event');
  assert.deepEqual(
    stored.events.map((event) => [event.provider, event.event_type, event.amount_cents]),
    [['braintree', 'payment.succeeded', 4999]],
  );
  const counts = await store.counts();
  assert.deepEqual([counts.events, counts.quarantined, counts.redriven], [1, 0, 1]);
  await observer.drained();
  assert.equal((await observer.deadLetters(PAYMENTS_VALIDATION_DLQ)).length, 1, 'not dead-lettered again');
});

test('a renewal replayed while paypipe up still refuses it is quarantined again, not lost', async (t) => {
  const dir = dataFolder(t);
  const run = (currencies: string) =>
    testConfig({ PAYPIPE_DATA_DIR: dir, PORT: '0', PAYPIPE_BRAINTREE_MERCHANT_CURRENCIES: currencies });
  const renewal = fixtureNamed('braintree', 'subscription_charged_successfully');
  assert.ok(renewal);
  const body = braintreeForm(renewal.payload.replaceAll('<currency-iso-code>USD</currency-iso-code>', ''));
  const wrong = run('acme_tools_usd=JPY');
  // The operator fixed the setting for replay but not yet for the running pipeline.
  const pipeline = await startPipeline(wrong, createLogger('silent'));
  const observer = await observe(wrong.logUrl, wrong.databaseUrl);
  const log = createEventLog(wrong.logUrl);
  const store = await createStore(wrong.databaseUrl);
  t.after(async () => {
    await Promise.all([log.close(), store.close(), observer.close()]);
    await pipeline.stop();
  });
  const request = { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body };
  assert.equal((await post(pipeline.url, 'braintree', request)).status, 200);
  await observer.drained();
  assert.equal((await store.counts()).quarantined, 1);

  const providers = createProviderRegistry(run('acme_tools_usd=USD').providers);
  const result = await replayDeadLetters({ log, providers, store }, { reasons: [], dryRun: false });
  assert.deepEqual([result.replayed, result.redriven], [1, 1]);
  const deadline = Date.now() + 15_000;
  while ((await observer.deadLetters(PAYMENTS_VALIDATION_DLQ)).length < 2) {
    assert.ok(Date.now() < deadline, 'the running pipeline dead-letters the record again');
    await sleep(50);
  }
  await observer.drained();
  const counts = await store.counts();
  assert.deepEqual([counts.events, counts.quarantined, counts.redriven], [0, 1, 0], 'quarantined again');
});
