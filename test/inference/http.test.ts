/** The HTTP adapter of the inference port against a real service on an ephemeral port. */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { isPaypipeError } from '../../src/contracts/errors.ts';
import type { UnifiedPaymentEvent } from '../../src/contracts/payment-event.ts';
import { createHttpInference } from '../../src/inference/http.ts';
import { createInProcessInference } from '../../src/inference/in-process.ts';
import { startInferenceServer } from '../../src/inference/service/server.ts';
import { isNonRetryable } from '../../src/orchestrator/retry.ts';
import { ACTIVITY_OPTIONS } from '../../src/orchestrator/workflows/options.ts';
import { createLogger } from '../../src/runtime/logger.ts';
import { failed, succeeded, T0 } from './events.ts';
import { filledStore, PROBES } from './service/fixtures.ts';

const logger = createLogger('silent');
const retryable = (error: unknown) => !isNonRetryable(error, ACTIVITY_OPTIONS.retry);

/** A plain server whose handler the test writes, counting the connections it accepts. */
async function rawServer(t: { after(fn: () => unknown): void }, handler: Parameters<typeof createServer>[1]) {
  const server: Server = createServer(handler);
  const connections = { count: 0 };
  server.on('connection', () => connections.count++);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, connections };
}

test('over HTTP, the same decisions as in-process for the same store, model versions included', async (t) => {
  const { databaseUrl, store } = await filledStore(t);
  const server = await startInferenceServer({ databaseUrl, host: '127.0.0.1', port: 0, logger });
  t.after(() => server.stop());
  const remote = createHttpInference({ url: server.url });
  t.after(() => remote.close());
  const local = createInProcessInference({ history: store });
  for (const event of PROBES) {
    assert.deepEqual(await remote.fraudScore(event), await local.fraudScore({ ...event }), event.event_id);
    assert.deepEqual(await remote.retryStrategy(event), await local.retryStrategy({ ...event }), event.event_id);
    assert.deepEqual(await remote.churnPrediction(event), await local.churnPrediction({ ...event }), event.event_id);
  }
  const stolen = await remote.retryStrategy(PROBES[3] as UnifiedPaymentEvent);
  assert.deepEqual([stolen.strategy, stolen.reason.split(':')[0]], ['none', 'hard_decline']);
});

test('sequential calls reuse one connection; concurrent ones open a few', async (t) => {
  const { url, connections } = await rawServer(t, (request, response) => {
    request.resume().on('end', () => response.end('{"score":0.5,"model_version":"v","explanation":{}}'));
  });
  const remote = createHttpInference({ url, maxSockets: 4 });
  t.after(() => remote.close());
  for (let i = 0; i < 20; i++) assert.equal((await remote.fraudScore(succeeded('pi_1', T0))).score, 0.5);
  assert.equal(connections.count, 1);
  await Promise.all(Array.from({ length: 40 }, () => remote.churnPrediction(succeeded('pi_1', T0))));
  assert.ok(connections.count <= 4, `${connections.count} connections`);
});

/** A port nothing listens on: one a server just gave back. */
async function closedPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

test('a service that is down, slow, failing or answering garbage gives a retryable error', async (t) => {
  const why: Record<string, RegExp> = {
    '/500': /500/,
    '/503': /503/,
    '/429': /429/,
    '/html': /not JSON/,
    '/cut': /closed before the answer was complete|aborted|socket hang up/,
    '/slow': /no answer within 300 ms/,
  };
  const { url } = await rawServer(t, (request, response) => {
    request.resume();
    const path = request.url ?? '';
    if (path.startsWith('/slow')) return;
    if (path.startsWith('/html')) return response.writeHead(200).end('<html>proxy</html>');
    if (path.startsWith('/cut')) {
      response.writeHead(200, { 'content-length': '100' }).write('{"score"', () => response.destroy());
      return;
    }
    response.writeHead(Number(path.slice(1, 4))).end('{"error":"unavailable"}');
  });
  const targets = Object.entries(why).map(([prefix, reason]) => [`${url}${prefix}`, reason] as const);
  targets.push([`http://127.0.0.1:${await closedPort()}`, /ECONNREFUSED/]);
  for (const [target, reason] of targets) {
    const remote = createHttpInference({ url: target, timeoutMs: 300 });
    await assert.rejects(remote.fraudScore(succeeded('pi_1', T0)), (error) => {
      assert.ok(isPaypipeError(error, 'PAYPIPE_ERR_INFERENCE_UNAVAILABLE'), `${target}: ${error}`);
      assert.match(error.message, reason);
      assert.ok(retryable(error), target);
      return true;
    });
    remote.close();
  }
});

test('an event the service refuses gives a non-retryable error naming the reason', async (t) => {
  const { databaseUrl } = await filledStore(t);
  const server = await startInferenceServer({ databaseUrl, host: '127.0.0.1', port: 0, logger });
  t.after(() => server.stop());
  const remote = createHttpInference({ url: `${server.url}/` });
  t.after(() => remote.close());
  const bad = { ...succeeded('pi_1', T0), currency: 'dollars' } as UnifiedPaymentEvent;
  await assert.rejects(remote.retryStrategy(bad), (error) => {
    assert.ok(isPaypipeError(error, 'PAYPIPE_ERR_INFERENCE_REJECTED'), String(error));
    assert.match(error.message, /invalid_event/);
    assert.equal(retryable(error), false);
    return true;
  });
});

test('an answer outside the port contract is a retryable error naming what is wrong, never a score', async (t) => {
  const fraud = (fields: object) =>
    JSON.stringify({ score: 0.5, model_version: 'fraud-v', explanation: {}, ...fields });
  const retry = (fields: object) =>
    JSON.stringify({ strategy: 'none', retry_at: null, model_version: 'retry-v', reason: 'hard_decline', ...fields });
  const answers: Record<string, string> = {
    '/fraud/empty/': '{}',
    '/fraud/above/': fraud({ score: 1.5 }),
    '/fraud/below/': fraud({ score: -0.1 }),
    '/fraud/null/': fraud({ score: null }),
    '/fraud/text/': fraud({ score: '0.5' }),
    '/fraud/nan/': '{"score":NaN,"model_version":"fraud-v","explanation":{}}',
    '/fraud/version/': fraud({ model_version: undefined }),
    '/fraud/explained/': fraud({ explanation: { bias: 'high' } }),
    '/fraud/list/': '[0.5]',
    '/retry/strategy/': retry({ strategy: 'later' }),
    '/retry/when/': retry({ strategy: 'delayed', retry_at: 'tomorrow' }),
    '/retry/reason/': retry({ reason: 42 }),
  };
  const { url } = await rawServer(t, (request, response) => {
    request.resume();
    const prefix = Object.keys(answers).find((key) => request.url?.startsWith(key)) ?? '';
    response.writeHead(200, { 'content-type': 'application/json' }).end(answers[prefix]);
  });
  for (const prefix of Object.keys(answers)) {
    const remote = createHttpInference({ url: `${url}${prefix}` });
    const call = prefix.startsWith('/retry')
      ? remote.retryStrategy(failed('pi_1', T0, 'do_not_honor'))
      : remote.fraudScore(succeeded('pi_1', T0));
    await assert.rejects(call, (error) => {
      assert.ok(isPaypipeError(error, 'PAYPIPE_ERR_INFERENCE_UNAVAILABLE'), `${prefix}: ${error}`);
      assert.match(error.message, /not JSON|not a (FraudScore|RetryDecision)/, prefix);
      assert.ok(retryable(error), prefix);
      return true;
    });
    remote.close();
  }
});

test('only a refusal of the event itself (400, 413, 422) is final; a wrong URL, credentials or redirect is retried', async (t) => {
  const { url } = await rawServer(t, (request, response) => {
    request.resume();
    const status = Number(request.url?.slice(1, 4));
    response.writeHead(status, status === 301 ? { location: '/elsewhere' } : {}).end('{"error":"test"}');
  });
  for (const status of [400, 413, 422]) {
    const remote = createHttpInference({ url: `${url}/${status}` });
    await assert.rejects(remote.churnPrediction(succeeded('pi_1', T0)), (error) => {
      assert.ok(isPaypipeError(error, 'PAYPIPE_ERR_INFERENCE_REJECTED'), `${status}: ${error}`);
      assert.equal(retryable(error), false, String(status));
      return true;
    });
    remote.close();
  }
  // Every event would get these alike: quarantining them would empty the stream into quarantine.
  for (const status of [204, 301, 401, 403, 404, 405]) {
    const remote = createHttpInference({ url: `${url}/${status}` });
    await assert.rejects(remote.churnPrediction(succeeded('pi_1', T0)), (error) => {
      assert.ok(isPaypipeError(error, 'PAYPIPE_ERR_INFERENCE_UNAVAILABLE'), `${status}: ${error}`);
      assert.match(error.message, new RegExp(`${status}`));
      assert.ok(retryable(error), String(status));
      return true;
    });
    remote.close();
  }
});

test('an answer larger than the limit is cut off as soon as it passes it, retryably', async (t) => {
  const sent = { bytes: 0 };
  const chunk = Buffer.alloc(64 * 1024, ' ');
  const { url } = await rawServer(t, (request, response) => {
    request.resume();
    response.writeHead(200, { 'content-type': 'application/json' });
    // Whitespace is valid JSON around a value, so only the size can stop this answer: 64 MiB of it.
    const pump = () => {
      while (sent.bytes < 64 * 1024 * 1024 && !response.destroyed) {
        sent.bytes += chunk.length;
        if (!response.write(chunk)) return response.once('drain', pump);
      }
      if (!response.destroyed) response.end('{"score":0.5,"model_version":"v","explanation":{}}');
    };
    pump();
  });
  const remote = createHttpInference({ url, maxAnswerBytes: 256 * 1024 });
  t.after(() => remote.close());
  await assert.rejects(remote.fraudScore(succeeded('pi_1', T0)), (error) => {
    assert.ok(isPaypipeError(error, 'PAYPIPE_ERR_INFERENCE_UNAVAILABLE'), String(error));
    assert.match(error.message, /larger than 262144 bytes/);
    assert.ok(retryable(error));
    return true;
  });
  assert.ok(sent.bytes < 16 * 1024 * 1024, `the server got to write ${sent.bytes} bytes`);
});
