/**
 * A client that stops sending half-way through its body is cut off once it has been silent for the
 * gateway's idle timeout, so a slowloris cannot hold connections (and file descriptors) forever. Run on a
 * real port against the gateway alone, with a short timeout, to keep the test fast.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import pino from 'pino';
import { Registry } from 'prom-client';
import { createGateway } from '../../src/gateway/app.ts';
import { createEventLog } from '../../src/log/index.ts';
import { createProviderRegistry } from '../../src/providers/registry.ts';
import { head, rawRequest } from '../helpers/raw-http.ts';
import { testConfig } from '../helpers/test-config.ts';
import { stripeEvent, stripeSigned } from './hostile-corpus.ts';

test('the gateway closes a connection that goes silent mid-body after its idle timeout', async (t) => {
  const config = testConfig();
  const log = createEventLog('sqlite::memory:');
  const app = createGateway({
    providers: createProviderRegistry(config.providers),
    log,
    config: { ...config.gateway, idleTimeoutMs: 300 },
    logger: pino({ level: 'silent' }),
    registry: new Registry(),
  });
  t.after(async () => {
    await app.close();
    await log.close();
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  const port = Number(new URL(url).port);
  const body = stripeEvent('evt_slowloris');
  const lines = [
    `Stripe-Signature: ${stripeSigned(body)['stripe-signature']}`,
    `Content-Length: ${Buffer.byteLength(body)}`,
  ];
  const answers = await Promise.all(
    Array.from({ length: 20 }, () =>
      rawRequest(port, `${head('/webhooks/stripe', lines)}${body.slice(0, 50)}`, { waitMs: 3_000 }),
    ),
  );
  for (const answer of answers) {
    assert.equal(answer.closed, true, 'still open after ten idle timeouts');
    assert.ok(answer.status === null || answer.status === 408, answer.text);
    assert.ok(answer.elapsedMs < 2_000, `closed after ${answer.elapsedMs} ms`);
  }
  const health = await fetch(`${url}/healthz`);
  assert.equal(health.status, 200);
});
