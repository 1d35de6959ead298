import assert from 'node:assert/strict';
import { test } from 'node:test';
import pino from 'pino';
import { Registry } from 'prom-client';
import type { DeadLetter } from '../../src/contracts/dead-letter.ts';
import { PaypipeError } from '../../src/contracts/errors.ts';
import { decodeRawRecord } from '../../src/contracts/raw-record.ts';
import { WEBHOOKS_DLQ } from '../../src/contracts/topics.ts';
import { createGateway } from '../../src/gateway/app.ts';
import { DEAD_LETTER_TOKEN_BYTES } from '../../src/gateway/dead-letters.ts';
import { createEventLog } from '../../src/log/index.ts';
import type { EventLog, LogRecord } from '../../src/log/port.ts';
import { adyenFixtures } from '../../src/providers/adyen/fixtures.ts';
import type { SignedRequest } from '../../src/providers/provider.ts';
import { createProviderRegistry } from '../../src/providers/registry.ts';
import { squareFixtures } from '../../src/providers/square/fixtures.ts';
import { stripeFixtures } from '../../src/providers/stripe/fixtures.ts';
import { testConfig } from '../helpers/test-config.ts';

const config = testConfig({ PAYPIPE_DLQ_RATE_PER_SECOND: '1', PAYPIPE_BODY_LIMIT_BYTES: '16384' });
const providers = createProviderRegistry(config.providers);

function setup(
  t: import('node:test').TestContext,
  wrap: (log: EventLog) => EventLog = (log) => log,
  now = () => Date.parse('2026-03-01T12:00:00Z'),
) {
  const log = createEventLog('sqlite::memory:');
  const registry = new Registry();
  const app = createGateway({
    providers,
    log: wrap(log),
    config: config.gateway,
    logger: pino({ level: 'silent' }),
    registry,
    now,
  });
  t.after(async () => {
    await app.close();
    await log.close();
  });
  return { app, log, registry };
}

async function drain(log: EventLog, topics: readonly string[]): Promise<LogRecord[]> {
  const consumer = log.consumer({ group: `test-${Math.random()}`, topics });
  const records = await consumer.poll({ maxWaitMs: 0 });
  await consumer.close();
  return [...records];
}

const succeeded = stripeFixtures.find((fixture) => fixture.name === 'payment_intent.succeeded');
assert.ok(succeeded);
const signedAt = new Date('2026-03-01T12:00:00Z');

/** POSTs a signed request as the provider would, optionally with another body. */
function post(app: ReturnType<typeof setup>['app'], url: string, signed: SignedRequest, body = signed.body) {
  return app.inject({ method: 'POST', url, headers: signed.headers, payload: body });
}

test('a verified webhook is acknowledged after its exact bytes are in the raw topic', async (t) => {
  const { app, log } = setup(t);
  const signed = providers.stripe.sign(succeeded.payload, { timestamp: signedAt });
  const response = await post(app, '/webhooks/stripe', signed);
  assert.equal(response.statusCode, 200);
  const [stored] = await drain(log, ['webhooks.stripe.payment_intent']);
  assert.ok(stored);
  const record = decodeRawRecord(stored.value.toString());
  assert.deepEqual(decodeRawRecord(stored.value), record, 'the stored bytes and their text read the same');
  assert.ok(stored.value.toString().endsWith(`\n${signed.body}`), 'the body is stored as received, not in base64');
  assert.equal(record.body.toString(), signed.body);
  assert.equal(record.id, response.json().id);
  assert.equal(record.headers['stripe-signature'], signed.headers['stripe-signature']);
  assert.deepEqual(
    providers.stripe.verify({ body: record.body, headers: record.headers, receivedAt: new Date(record.received_at) }),
    { ok: true },
  );
});

test('sub-paths are accepted, as Traefik routes /webhooks/{provider}/*', async (t) => {
  const { app } = setup(t);
  const signed = providers.stripe.sign(succeeded.payload, { timestamp: signedAt });
  const response = await post(app, '/webhooks/stripe/account-1', signed);
  assert.equal(response.statusCode, 200);
});

test('a forged webhook gets 401 with its reason and a webhooks.dlq record', async (t) => {
  const { app, log } = setup(t);
  const signed = providers.stripe.sign(succeeded.payload, { timestamp: signedAt });
  const response = await app.inject({
    method: 'POST',
    url: '/webhooks/stripe',
    headers: signed.headers,
    payload: signed.body.replace('succeeded', 'succeedeD'),
  });
  assert.equal(response.statusCode, 401);
  assert.equal(response.json().error, 'no_matching_signature');
  const [letter] = await drain(log, [WEBHOOKS_DLQ]);
  assert.ok(letter);
  const parsed = JSON.parse(letter.value.toString()) as DeadLetter;
  assert.equal(parsed.reason, 'no_matching_signature');
  assert.equal(parsed.stage, 'gateway');
});

test('a forged flood is dead-lettered only up to the rate limit, the rest counted', async (t) => {
  const { app, log, registry } = setup(t);
  for (let i = 0; i < 40; i++) {
    await app.inject({
      method: 'POST',
      url: '/webhooks/square',
      headers: { 'x-square-hmacsha256-signature': 'forged' },
      payload: `{"n":${i}}`,
    });
  }
  const letters = await drain(log, [WEBHOOKS_DLQ]);
  assert.equal(letters.length, 10, 'capacity is ten seconds of the configured rate');
  assert.match(await registry.metrics(), /paypipe_dead_letters_dropped_total\{provider="square"\} 30/);
});

test('a forged flood of large bodies is dead-lettered by size: its bytes on disk stay bounded', async (t) => {
  const { app, log, registry } = setup(t);
  // Just under this gateway's 16 KiB body limit: four tokens each. Counted one a letter, the burst of ten
  // would keep four times the bytes (256 times at the default 1 MiB limit).
  const body = `{"pad":"${'x'.repeat(4 * DEAD_LETTER_TOKEN_BYTES - 100)}"}`;
  for (let i = 0; i < 10; i++) {
    const response = await app.inject({
      method: 'POST',
      url: '/webhooks/square',
      headers: { 'x-square-hmacsha256-signature': 'forged' },
      payload: body,
    });
    assert.equal(response.statusCode, 401);
  }
  const letters = await drain(log, [WEBHOOKS_DLQ]);
  const kept = letters.reduce((sum, letter) => sum + letter.value.length, 0);
  // Ten seconds at one letter's worth of bytes a second, base64 and the letter's envelope included.
  assert.ok(kept <= 10 * DEAD_LETTER_TOKEN_BYTES * 1.4, `${letters.length} letters, ${kept} bytes`);
  assert.equal(letters.length, 2, 'two of four tokens each fit in a bucket of ten');
  assert.match(await registry.metrics(), /paypipe_dead_letters_dropped_total\{provider="square"\} 8/);
});

test('a body over the limit gets 413, an unknown provider 404', async (t) => {
  const { app } = setup(t);
  const big = await app.inject({
    method: 'POST',
    url: '/webhooks/stripe',
    headers: { 'content-type': 'application/json' },
    payload: 'x'.repeat(20_000),
  });
  assert.equal(big.statusCode, 413);
  const unknown = await app.inject({ method: 'POST', url: '/webhooks/paypal', payload: '{}' });
  assert.equal(unknown.statusCode, 404);
});

test('a request with set-cookie, the one header Node keeps as an array, is verified and stored as any other', async (t) => {
  const { app, log } = setup(t);
  const signed = providers.stripe.sign(succeeded.payload, { timestamp: signedAt });
  const response = await app.inject({
    method: 'POST',
    url: '/webhooks/stripe',
    headers: { ...signed.headers, 'set-cookie': ['a=1', 'b=2'] },
    payload: signed.body,
  });
  assert.equal(response.statusCode, 200);
  const [stored] = await drain(log, ['webhooks.stripe.payment_intent']);
  const record = decodeRawRecord(stored?.value ?? '');
  assert.equal(record.body.toString(), signed.body);
  assert.deepEqual(Object.keys(record.headers).sort(), ['content-type', 'stripe-signature', 'user-agent']);
});

test('Adyen is answered [accepted], and its raw record holds no credential', async (t) => {
  const { app, log } = setup(t);
  const fixture = adyenFixtures.find((f) => f.expect !== 'unsupported');
  assert.ok(fixture);
  const signed = providers.adyen.sign(fixture.payload);
  const response = await post(app, '/webhooks/adyen', signed);
  assert.equal(response.statusCode, 200);
  assert.equal(response.body, '[accepted]');
  const [stored] = await drain(log, ['webhooks.adyen.notification']);
  const record = decodeRawRecord(stored?.value.toString() ?? '');
  assert.match(
    record.headers.authorization ?? '',
    /^hmac-sha256:[0-9a-f]{64}$/,
    'Basic auth is kept only as a keyed digest',
  );
  const again = { body: record.body, headers: record.headers, receivedAt: new Date(record.received_at), stored: true };
  assert.deepEqual(providers.adyen.verify(again), { ok: true });
});

test("Braintree's bt_challenge is answered with the configured key", async (t) => {
  const { app } = setup(t);
  const response = await app.inject({
    method: 'GET',
    url: '/webhooks/braintree?bt_challenge=20f9f8ed05f77439fe955c977e4c8a53',
  });
  assert.equal(response.statusCode, 200);
  assert.equal(response.body, providers.braintree.answerChallenge?.('20f9f8ed05f77439fe955c977e4c8a53'));
  assert.match(response.body, /^test_public_key\|[0-9a-f]{40}$/);
});

test('bt_challenge is answered on sub-paths too, where webhooks to that destination are accepted', async (t) => {
  const { app } = setup(t);
  const challenge = '20f9f8ed05f77439fe955c977e4c8a53';
  for (const path of ['/webhooks/braintree/', '/webhooks/braintree/notifications']) {
    const response = await app.inject({ method: 'GET', url: `${path}?bt_challenge=${challenge}` });
    assert.equal(response.statusCode, 200, path);
    assert.equal(response.body, providers.braintree.answerChallenge?.(challenge));
  }
});

test('when the log cannot take the record the answer is 503, and readiness fails until it recovers', async (t) => {
  let failing = true;
  const { app } = setup(t, (log) => ({
    ...log,
    append: (topic, records) =>
      failing
        ? Promise.reject(new PaypipeError('PAYPIPE_ERR_LOG_UNAVAILABLE', 'disk full'))
        : log.append(topic, records),
  }));
  const signed = providers.stripe.sign(succeeded.payload, { timestamp: signedAt });
  const refused = await post(app, '/webhooks/stripe', signed);
  assert.equal(refused.statusCode, 503);
  assert.equal((await app.inject({ method: 'GET', url: '/readyz' })).statusCode, 503);
  failing = false;
  const accepted = await post(app, '/webhooks/stripe', signed);
  assert.equal(accepted.statusCode, 200);
  assert.equal((await app.inject({ method: 'GET', url: '/readyz' })).statusCode, 200);
});

test('a log that refuses every webhook is one error line per provider per 5 s, counting the rest: not one per request', async (t) => {
  // A full disk refuses every webhook; a line with a stack trace for each would fill the disk holding the logs.
  let clock = Date.parse('2026-03-01T12:00:00Z');
  const lines: { msg: string; provider?: string; alsoRefusedSinceLastLine?: number }[] = [];
  const log = createEventLog('sqlite::memory:');
  const app = createGateway({
    providers,
    log: { ...log, append: () => Promise.reject(new PaypipeError('PAYPIPE_ERR_LOG_UNAVAILABLE', 'disk full')) },
    config: config.gateway,
    logger: pino({ level: 'error' }, { write: (line: string) => lines.push(JSON.parse(line)) }),
    registry: new Registry(),
    now: () => clock,
  });
  t.after(async () => {
    await app.close();
    await log.close();
  });
  const signed = providers.stripe.sign(succeeded.payload, { timestamp: signedAt });
  for (let i = 0; i < 20; i++) assert.equal((await post(app, '/webhooks/stripe', signed)).statusCode, 503);
  clock += 4_999;
  assert.equal((await post(app, '/webhooks/stripe', signed)).statusCode, 503);
  const refusedLines = () => lines.filter((line) => line.msg === 'event log refused the webhook');
  assert.equal(refusedLines().length, 1, 'the first refusal of the spell only');
  clock += 1;
  assert.equal((await post(app, '/webhooks/stripe', signed)).statusCode, 503);
  assert.deepEqual(
    refusedLines().map((line) => [line.provider, line.alsoRefusedSinceLastLine]),
    [
      ['stripe', 0],
      ['stripe', 20],
    ],
  );
});

test('readiness lapses for the Retry-After time only: a load balancer that stopped sending webhooks sends them again', async (t) => {
  // Readiness that waited for an append to succeed would never come back once no webhook is sent to it.
  let clock = Date.parse('2026-03-01T12:00:00Z');
  const { app } = setup(
    t,
    (log) => ({ ...log, append: () => Promise.reject(new PaypipeError('PAYPIPE_ERR_LOG_UNAVAILABLE', 'disk full')) }),
    () => clock,
  );
  const readiness = async () => (await app.inject({ method: 'GET', url: '/readyz' })).statusCode;
  const signed = providers.stripe.sign(succeeded.payload, { timestamp: signedAt });
  const refused = await post(app, '/webhooks/stripe', signed);
  assert.deepEqual([refused.statusCode, refused.headers['retry-after']], [503, '5']);
  clock += 4_999;
  assert.equal(await readiness(), 503);
  clock += 1;
  assert.equal(await readiness(), 200, 'ready again to be tried once the answer said to retry');
  assert.equal((await post(app, '/webhooks/stripe', signed)).statusCode, 503);
  assert.equal(await readiness(), 503, 'and unready again at the next failure');
});

test('readyz names the stages that wait to be started again, and stays ready: webhooks are still accepted', async (t) => {
  const log = createEventLog('sqlite::memory:');
  let down: string[] = ['normalizer'];
  const app = createGateway({
    providers,
    log,
    config: config.gateway,
    logger: pino({ level: 'silent' }),
    registry: new Registry(),
    stagesDown: () => down,
    now: () => Date.parse('2026-03-01T12:00:00Z'),
  });
  t.after(async () => {
    await app.close();
    await log.close();
  });
  const readyz = () => app.inject({ method: 'GET', url: '/readyz' });
  const degraded = await readyz();
  assert.equal(degraded.statusCode, 200);
  assert.deepEqual(degraded.json(), { status: 'ready', stagesDown: ['normalizer'] });
  const signed = providers.stripe.sign(succeeded.payload, { timestamp: signedAt });
  assert.equal((await post(app, '/webhooks/stripe', signed)).statusCode, 200);
  down = [];
  const ready = await readyz();
  assert.equal(ready.statusCode, 200);
  assert.deepEqual(ready.json(), { status: 'ready' });
});

test('a genuine event paypipe does not route is acknowledged once durably dead-lettered as unroutable', async (t) => {
  const { app, log } = setup(t);
  const unsupported = stripeFixtures.find((fixture) => fixture.name === 'customer.created');
  assert.ok(unsupported);
  const signed = providers.stripe.sign(unsupported.payload, { timestamp: signedAt });
  const response = await post(app, '/webhooks/stripe', signed);
  assert.equal(response.statusCode, 200);
  const [letter] = await drain(log, [WEBHOOKS_DLQ]);
  assert.equal((JSON.parse(letter?.value.toString() ?? '{}') as DeadLetter).reason, 'unroutable');
});

test('a Square dispute (a chargeback: real money) is appended to webhooks.square.payment under its payment, not dead-lettered', async (t) => {
  const { app, log } = setup(t);
  const opened = squareFixtures.find((fixture) => fixture.name === 'dispute.created:EVIDENCE_REQUIRED');
  assert.ok(opened);
  const response = await post(app, '/webhooks/square', providers.square.sign(opened.payload));
  assert.equal(response.statusCode, 200);
  assert.deepEqual(await drain(log, [WEBHOOKS_DLQ]), []);
  const [stored] = await drain(log, ['webhooks.square.payment']);
  assert.ok(stored, 'the dispute is in the payment topic');
  // The disputed payment's id: the dispute is read in order with that payment's own events.
  assert.equal(stored.key, JSON.parse(opened.payload).data.object.dispute.disputed_payment.payment_id);
  assert.equal(decodeRawRecord(stored.value.toString()).body.toString(), opened.payload);
});

test('metrics count outcomes per provider', async (t) => {
  const { app } = setup(t);
  const signed = providers.stripe.sign(succeeded.payload, { timestamp: signedAt });
  await post(app, '/webhooks/stripe', signed);
  const metrics = await app.inject({ method: 'GET', url: '/metrics' });
  assert.match(metrics.body, /paypipe_webhooks_total\{provider="stripe",outcome="accepted"\} 1/);
  assert.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
});

test('unknown provider names in the path share one metrics label, so forged paths cannot grow the registry', async (t) => {
  const { app } = setup(t);
  for (const name of ['paypal', 'x1', 'x2']) {
    assert.equal((await app.inject({ method: 'POST', url: `/webhooks/${name}`, payload: '{}' })).statusCode, 404);
  }
  const tooBig = await app.inject({
    method: 'POST',
    url: '/webhooks/forged-name',
    headers: { 'content-type': 'application/json' },
    payload: 'x'.repeat(20_000),
  });
  assert.equal(tooBig.statusCode, 413);
  const metrics = (await app.inject({ method: 'GET', url: '/metrics' })).body;
  assert.match(metrics, /paypipe_webhooks_total\{provider="unknown",outcome="unknown_provider"\} 3/);
  assert.match(metrics, /paypipe_webhooks_total\{provider="unknown",outcome="too_large"\} 1/);
  assert.doesNotMatch(metrics, /provider="(paypal|x1|x2|forged-name)"/);
});
