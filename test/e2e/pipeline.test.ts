/**
 * The one-process pipeline end to end through a real port: webhooks signed by the providers' official SDKs
 * go in at the gateway, and the store's two tables are read back once every stage has drained (lag 0).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PROVIDERS, type ProviderName } from '../../src/contracts/vocabulary.ts';
import type { SignedRequest } from '../../src/providers/provider.ts';
import { createProviderRegistry } from '../../src/providers/registry.ts';
import { FIXTURES } from '../../src/simulator/fixtures.ts';
import { expectedEventIds } from '../../src/simulator/requests.ts';
import { type E2ePipeline, startE2ePipeline } from '../helpers/e2e-pipeline.ts';
import { occurrences } from '../helpers/e2e-store.ts';
import { braintreeSample, post, sdkSign, squareSdkVerifies } from '../helpers/sdk-signers.ts';
import { testConfig } from '../helpers/test-config.ts';

const registry = createProviderRegistry(testConfig().providers);
const RETRY_STRATEGIES = ['immediate', 'delayed', 'none'];

interface Sent {
  readonly provider: ProviderName;
  readonly name: string;
  readonly eventIds: readonly string[];
}

/** Sends one request, asserts it was acknowledged as its provider expects, and returns the ids it must store. */
async function deliver(pipeline: E2ePipeline, provider: ProviderName, name: string, request: SignedRequest) {
  if (provider === 'square') {
    const signature = request.headers['x-square-hmacsha256-signature'] ?? '';
    assert.equal(await squareSdkVerifies(request.body, signature), true, `square SDK refuses ${name}`);
  }
  const answer = await post(pipeline.url, provider, request);
  assert.equal(answer.status, 200, `${provider} ${name}: ${answer.text}`);
  if (provider === 'adyen') assert.equal(answer.text, '[accepted]');
  return { provider, name, eventIds: expectedEventIds(registry[provider], request, new Date()) };
}

test('every fixture of every provider, signed by its SDK, ends in exactly one table, scored as its status asks', async (t) => {
  const pipeline = await startE2ePipeline(t);
  const sent: Sent[] = [];
  for (const provider of PROVIDERS) {
    // In fixture order: each provider's fixtures tell payment stories whose later events need earlier ones.
    for (const fixture of FIXTURES[provider]) {
      sent.push(await deliver(pipeline, provider, fixture.name, sdkSign(provider, fixture.payload)));
    }
  }
  for (const kind of ['subscription_charged_successfully', 'subscription_charged_unsuccessfully']) {
    sent.push(await deliver(pipeline, 'braintree', kind, braintreeSample(kind, `sub_e2e_${kind.length}`)));
  }
  await pipeline.observer.drained();

  const tables = pipeline.tables();
  const expected = sent.flatMap((delivery) => delivery.eventIds);
  assert.ok(expected.length > 40, `only ${expected.length} events expected`);
  assert.equal(new Set(expected).size, expected.length, 'fixtures share an event id');
  for (const delivery of sent) {
    for (const eventId of delivery.eventIds) {
      const where = occurrences(tables, eventId);
      assert.equal(
        where.events + where.quarantine,
        1,
        `${delivery.provider} ${delivery.name} ${eventId}: ${JSON.stringify(where)}`,
      );
    }
  }
  // Nothing besides what was sent: no row appeared twice or from nowhere.
  const stored = tables.events.length + tables.quarantine.filter((row) => row.event_id !== null).length;
  assert.equal(stored, expected.length);

  for (const event of tables.events) {
    const what = `${event.event_id} (${event.status})`;
    assert.ok(event.churn_score !== null && event.churn_score >= 0 && event.churn_score <= 1, what);
    if (event.status === 'succeeded') {
      assert.ok(event.fraud_score !== null && event.fraud_score >= 0 && event.fraud_score <= 1, what);
    } else assert.equal(event.fraud_score, null, what);
    if (event.status === 'failed') assert.ok(RETRY_STRATEGIES.includes(event.retry_strategy ?? ''), what);
    else assert.equal(event.retry_strategy, null, what);
  }
  for (const provider of PROVIDERS) {
    for (const status of ['succeeded', 'failed']) {
      const count = tables.events.filter((event) => event.provider === provider && event.status === status).length;
      assert.ok(count > 0, `no ${status} ${provider} payment stored`);
    }
  }
});

/** A fixture of `provider` that normalizes to one succeeded payment event. */
function succeededFixture(provider: ProviderName): string {
  const fixture = FIXTURES[provider].find((candidate) => {
    const signed = registry[provider].sign(candidate.payload);
    const result = registry[provider].normalize({
      id: 'pick',
      provider,
      received_at: new Date().toISOString(),
      headers: signed.headers,
      body: Buffer.from(signed.body),
    });
    return result.kind === 'events' && result.events.length === 1 && result.events[0]?.status === 'succeeded';
  });
  assert.ok(fixture, `${provider} has no succeeded fixture`);
  return fixture.payload;
}

test('a webhook redelivered concurrently and later is acknowledged every time and stored once', async (t) => {
  const pipeline = await startE2ePipeline(t);
  const ids = new Map<ProviderName, readonly string[]>();
  for (const provider of PROVIDERS) {
    const payload = succeededFixture(provider);
    // Each attempt is signed anew, as providers re-sign retries (Stripe's timestamp changes).
    const burst = await Promise.all(
      Array.from({ length: 6 }, () => deliver(pipeline, provider, 'burst', sdkSign(provider, payload))),
    );
    ids.set(provider, burst[0]?.eventIds ?? []);
    assert.ok(burst.every((delivery) => delivery.eventIds.join() === burst[0]?.eventIds.join()));
    await pipeline.observer.drained();
    await deliver(pipeline, provider, 'later', sdkSign(provider, payload));
    await deliver(pipeline, provider, 'later', sdkSign(provider, payload));
  }
  const status = await pipeline.observer.drained();
  const appended = status.log.topics
    .filter((topic) => topic.topic.startsWith('webhooks.') && topic.topic !== 'webhooks.dlq')
    .reduce((sum, topic) => sum + topic.appended, 0);
  assert.equal(appended, PROVIDERS.length * 8, 'every attempt is durably logged before its 2xx');
  const tables = pipeline.tables();
  for (const [provider, eventIds] of ids) {
    assert.ok(eventIds.length === 1, provider);
    for (const eventId of eventIds) assert.deepEqual(occurrences(tables, eventId), { events: 1, quarantine: 0 });
  }
  assert.equal(tables.events.length, PROVIDERS.length);
  assert.equal(tables.quarantine.length, 0);
});
