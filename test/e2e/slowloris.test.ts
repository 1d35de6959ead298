/**
 * A client that stops sending half-way through its body is cut off once it has been silent for the
 * gateway's idle timeout, and one that trickles its body a byte at a time (never idle) once the whole
 * request has taken the gateway's request timeout, so a slowloris cannot hold connections (and file
 * descriptors) forever. Run on a real port against the gateway alone, with short timeouts, to keep it fast.
 */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { type TestContext, test } from 'node:test';
import pino from 'pino';
import { Registry } from 'prom-client';
import type { GatewayConfig } from '../../src/config/config.ts';
import { createGateway } from '../../src/gateway/app.ts';
import { createEventLog } from '../../src/log/index.ts';
import { createProviderRegistry } from '../../src/providers/registry.ts';
import { head, rawRequest } from '../helpers/raw-http.ts';
import { testConfig } from '../helpers/test-config.ts';
import { stripeEvent, stripeSigned } from './hostile-corpus.ts';

/** The gateway alone on a free port, with these timeouts; closed when the test ends. */
async function startGateway(t: TestContext, timeouts: Partial<GatewayConfig>): Promise<string> {
  const config = testConfig();
  const log = createEventLog('sqlite::memory:');
  const app = createGateway({
    providers: createProviderRegistry(config.providers),
    log,
    config: { ...config.gateway, ...timeouts },
    logger: pino({ level: 'silent' }),
    registry: new Registry(),
  });
  t.after(async () => {
    await app.close();
    await log.close();
  });
  return app.listen({ host: '127.0.0.1', port: 0 });
}

test('the gateway closes a connection that goes silent mid-body after its idle timeout', async (t) => {
  const url = await startGateway(t, { idleTimeoutMs: 300 });
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

/** A chunked body sent one byte every 50 ms until the server closes or `waitMs` passes: never idle. */
function trickle(port: number, waitMs: number): Promise<{ closed: boolean; elapsedMs: number; text: string }> {
  const started = Date.now();
  const body = stripeEvent('evt_trickle');
  const lines = [`Stripe-Signature: ${stripeSigned(body)['stripe-signature']}`, 'Transfer-Encoding: chunked'];
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    const drip = setInterval(() => socket.write('1\r\n{\r\n'), 50);
    const finish = (closed: boolean) => {
      clearInterval(drip);
      clearTimeout(timer);
      socket.destroy();
      resolve({ closed, elapsedMs: Date.now() - started, text });
    };
    const timer = setTimeout(() => finish(false), waitMs);
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
    });
    socket.on('close', () => finish(true));
    socket.on('error', () => finish(true));
    socket.write(head('/webhooks/stripe', lines));
  });
}

test('the gateway closes a connection that trickles its body, never idle, after its request timeout', async (t) => {
  const url = await startGateway(t, { idleTimeoutMs: 5_000, requestTimeoutMs: 500 });
  const port = Number(new URL(url).port);
  const answers = await Promise.all(Array.from({ length: 20 }, () => trickle(port, 4_000)));
  for (const answer of answers) {
    assert.equal(answer.closed, true, 'still open after eight request timeouts');
    assert.ok(answer.text === '' || answer.text.startsWith('HTTP/1.1 408'), answer.text);
    assert.ok(answer.elapsedMs < 2_000, `closed after ${answer.elapsedMs} ms`);
  }
  const health = await fetch(`${url}/healthz`);
  assert.equal(health.status, 200);
});
