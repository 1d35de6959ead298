/** The inference service's app through `inject`: the port's answers, the reason codes of bad bodies. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { createHttpInference } from '../../../src/inference/http.ts';
import { createInProcessInference } from '../../../src/inference/in-process.ts';
import type { HistorySource, Inference } from '../../../src/inference/port.ts';
import { createInferenceService, INFERENCE_ERRORS, INFERENCE_ROUTES } from '../../../src/inference/service/app.ts';
import { createLogger } from '../../../src/runtime/logger.ts';
import { head, rawRequest } from '../../helpers/raw-http.ts';
import { succeeded, T0 } from '../events.ts';
import { filledStore, PROBES } from './fixtures.ts';

const logger = createLogger('silent');

/** A history with no past: for tests whose requests never reach scoring. */
const emptyHistory: HistorySource = {
  customerHistory: async () => [],
  customerState: async () => undefined,
  paymentHistory: async () => [],
};

function service(inference: Inference, limits: { bodyLimitBytes?: number; requestTimeoutMs?: number } = {}) {
  const app = createInferenceService({ inference, logger, ...limits });
  const post = (url: string, payload: string, contentType = 'application/json') =>
    app.inject({ method: 'POST', url, payload, headers: { 'content-type': contentType } });
  return { app, post };
}

test('every route answers what in-process inference answers over the same store, model version included', async (t) => {
  const { store } = await filledStore(t);
  const { app, post } = service(createInProcessInference({ history: store }));
  t.after(() => app.close());
  const direct = createInProcessInference({ history: store });
  const versions = new Set<string>();
  for (const event of PROBES) {
    for (const [route, method] of Object.entries(INFERENCE_ROUTES)) {
      const response = await post(route, JSON.stringify(event));
      assert.equal(response.statusCode, 200, `${route} ${event.event_id}: ${response.body}`);
      const answer = response.json();
      assert.deepEqual(answer, await direct[method]({ ...event }), `${route} ${event.event_id}`);
      versions.add(answer.model_version);
    }
  }
  assert.deepEqual([...versions].map((version) => version.split('-')[0]).sort(), ['churn', 'fraud', 'retry']);
  const tester = (await post('/fraud/score', JSON.stringify(PROBES[4]))).json();
  assert.ok(tester.score > 0.5, `the card tester scored ${tester.score}: the service read the stored past`);
});

test('bad bodies are 400s with a stable reason code, never a 500', async (t) => {
  const { app, post } = service(createInProcessInference({ history: (await filledStore(t)).store }), {
    bodyLimitBytes: 4096,
  });
  t.after(() => app.close());
  const event = succeeded('pi_1', T0);
  const cases: [string, string, string?][] = [
    ['', 'malformed_json'],
    ['{"event_id":', 'malformed_json'],
    ['[1, 2]', 'invalid_event'],
    ['null', 'invalid_event'],
    [JSON.stringify({ ...event, amount_cents: 10.5 }), 'invalid_event', 'amount_cents'],
    [JSON.stringify({ ...event, currency: 'usd' }), 'invalid_event', 'currency'],
    [JSON.stringify({ ...event, surprise: true }), 'invalid_event'],
    [JSON.stringify({ ...event, timestamp: 'yesterday' }), 'invalid_event', 'timestamp'],
    // No provider's amounts are in these: no exponent to read the amount with (every normalizer refuses them).
    [JSON.stringify({ ...event, currency: 'ZZZ' }), 'invalid_event', 'currency'],
    [JSON.stringify({ ...event, currency: 'XXX' }), 'invalid_event', 'currency'],
    // Square still reads the Belarusian rouble replaced in 2016; Stripe does not.
    [JSON.stringify({ ...event, currency: 'BYR' }), 'invalid_event', 'currency'],
  ];
  for (const [body, reason, path] of cases) {
    const response = await post('/retry/strategy', body);
    assert.equal(response.statusCode, 400, body);
    assert.equal(response.json().error, reason, body);
    if (path)
      assert.ok(
        response.json().issues.some((issue: { path: string }) => issue.path === path),
        body,
      );
  }
  const missing = await post('/churn/predict', JSON.stringify({ ...event, customer_id: undefined }));
  assert.deepEqual(
    missing.json().issues.map((issue: { path: string }) => issue.path),
    ['customer_id'],
  );
  const big = await post('/fraud/score', JSON.stringify({ ...event, metadata: { note: 'x'.repeat(5000) } }));
  assert.deepEqual([big.statusCode, big.json().error], [413, 'body_too_large']);
  const lost = await post('/fraud', JSON.stringify(event));
  assert.deepEqual([lost.statusCode, lost.json().error], [404, 'not_found']);
  const rouble = await post('/fraud/score', JSON.stringify({ ...event, provider: 'square', currency: 'BYR' }));
  assert.equal(rouble.statusCode, 200, rouble.body);
  const unlabelled = await app.inject({ method: 'POST', url: '/fraud/score', payload: JSON.stringify(event) });
  assert.equal(unlabelled.statusCode, 200, 'the body is read as JSON whatever its content type says');
});

test('any JSON body is answered 200 or 400 with a known reason', async (t) => {
  const { app, post } = service(createInProcessInference({ history: (await filledStore(t)).store }));
  t.after(() => app.close());
  const valid = succeeded('pi_1', T0);
  const body = fc.oneof(
    fc.json(),
    fc.record({ ...Object.fromEntries(Object.keys(valid).map((key) => [key, fc.jsonValue()])) }, { requiredKeys: [] }),
    fc.constantFrom(...Object.keys(valid)).map((key) => JSON.stringify({ ...valid, [key]: null })),
  );
  await fc.assert(
    fc.asyncProperty(body, fc.constantFrom(...Object.keys(INFERENCE_ROUTES)), async (payload, route) => {
      const text = typeof payload === 'string' ? payload : JSON.stringify(payload);
      const response = await post(route, text);
      if (response.statusCode === 200) return;
      assert.equal(response.statusCode, 400, response.body);
      assert.ok(response.json().error in INFERENCE_ERRORS, response.body);
    }),
    { numRuns: 200 },
  );
});

test('a failing store is a 503 to retry and makes the service unready; health stays ok', async () => {
  const broken: HistorySource = {
    customerHistory: () => Promise.reject(new Error('database is locked')),
    customerState: () => Promise.reject(new Error('database is locked')),
    paymentHistory: () => Promise.reject(new Error('database is locked')),
  };
  const { app, post } = service(createInProcessInference({ history: broken }));
  const response = await post('/churn/predict', JSON.stringify(succeeded('pi_1', T0)));
  assert.deepEqual(
    [response.statusCode, response.json().error, response.headers['retry-after']],
    [503, 'unavailable', '1'],
  );
  assert.equal((await app.inject('/readyz')).statusCode, 503);
  assert.equal((await app.inject('/healthz')).statusCode, 200);
  await app.close();
});

test('after a store failure the service is unready for the Retry-After second only, so it is tried again', async () => {
  const broken: HistorySource = {
    customerHistory: () => Promise.reject(new Error('database is locked')),
    customerState: () => Promise.reject(new Error('database is locked')),
    paymentHistory: () => Promise.reject(new Error('database is locked')),
  };
  let clock = 0;
  const app = createInferenceService({
    inference: createInProcessInference({ history: broken }),
    logger,
    now: () => clock,
  });
  const readiness = async () => (await app.inject('/readyz')).statusCode;
  const score = () =>
    app.inject({
      method: 'POST',
      url: '/churn/predict',
      payload: JSON.stringify(succeeded('pi_1', T0)),
      headers: { 'content-type': 'application/json' },
    });
  assert.equal((await score()).statusCode, 503);
  clock += 999;
  assert.equal(await readiness(), 503);
  clock += 1;
  assert.equal(await readiness(), 200, 'a load balancer that stopped sending requests sends them again');
  assert.equal((await score()).statusCode, 503);
  assert.equal(await readiness(), 503);
  await app.close();
});

test('closing answers the requests in flight, then ends their kept-alive connections instead of waiting on them', async () => {
  const answer = { score: 0.5, model_version: 'v', explanation: {} };
  const slow: Inference = {
    fraudScore: () => new Promise((resolve) => setTimeout(() => resolve(answer), 300)),
    churnPrediction: async () => answer,
    retryStrategy: async () => ({ strategy: 'none', retry_at: null, model_version: 'v', reason: 'hard_decline' }),
  };
  const { app } = service(slow);
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  const client = createHttpInference({ url });
  try {
    await client.churnPrediction(succeeded('pi_0', T0));
    const inFlight = client.fraudScore(succeeded('pi_1', T0));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    // The client keeps its connection for 60 s: a close that waits for it would hold a SIGTERM that long.
    const closed = app.close().then(() => Date.now() - started);
    assert.deepEqual(await inFlight, answer);
    const took = await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 3_000, 'still open'))]);
    assert.ok(typeof took === 'number' && took < 2_000, `closed after ${took} ms`);
  } finally {
    client.close();
    await app.close();
  }
});

test('a request that is not HTTP the server can read is a 4xx with a stable reason code too', async () => {
  const { app } = service(createInProcessInference({ history: emptyHistory }));
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  const port = Number(new URL(url).port);
  try {
    const cases: [string, number, string][] = [
      [`${head('/fraud/score', ['Content-Length: 5', 'Content-Length: 6'])}hello!`, 400, 'malformed_request'],
      [
        `${head('/fraud/score', ['Content-Length: 2', 'Transfer-Encoding: chunked'])}0\r\n\r\n`,
        400,
        'malformed_request',
      ],
      [`${head('/fraud/score', ['Transfer-Encoding: chunked'])}zz\r\nabc\r\n0\r\n\r\n`, 400, 'malformed_request'],
      ['GARBAGE\r\n\r\n', 400, 'malformed_request'],
      [`${head('/fraud/score', [`X-Big: ${'a'.repeat(20_000)}`, 'Content-Length: 2'])}{}`, 431, 'headers_too_large'],
    ];
    for (const [bytes, status, reason] of cases) {
      const answer = await rawRequest(port, Buffer.from(bytes, 'latin1'), { waitMs: 2_000 });
      assert.equal(answer.status, status, bytes.slice(0, 80));
      const body = JSON.parse(answer.text.slice(answer.text.indexOf('\r\n\r\n') + 4));
      assert.equal(body.error, reason, bytes.slice(0, 80));
      assert.ok(body.error in INFERENCE_ERRORS);
    }
  } finally {
    await app.close();
  }
});

test('a request not received whole within the request timeout is a 408 request_timeout, its connection closed', async () => {
  // A body sent half-way, then nothing: without a bound each such connection was held for ever (Fastify's
  // default), a file descriptor and up to the body limit of memory each.
  const { app } = service(createInProcessInference({ history: emptyHistory }), { requestTimeoutMs: 400 });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  const port = Number(new URL(url).port);
  try {
    const body = JSON.stringify(succeeded('pi_1', T0));
    const halfway = `${head('/fraud/score', [`Content-Length: ${Buffer.byteLength(body)}`])}${body.slice(0, 50)}`;
    const answers = await Promise.all(Array.from({ length: 5 }, () => rawRequest(port, halfway, { waitMs: 4_000 })));
    for (const answer of answers) {
      assert.equal(answer.status, 408, answer.text);
      const reply = JSON.parse(answer.text.slice(answer.text.indexOf('\r\n\r\n') + 4));
      assert.equal(reply.error, 'request_timeout');
      assert.ok(answer.elapsedMs < 2_000, `answered after ${answer.elapsedMs} ms`);
    }
    const whole = await fetch(`${url}/fraud/score`, { method: 'POST', body });
    assert.equal(whole.status, 200, 'a request sent whole is unaffected');
  } finally {
    await app.close();
  }
});
