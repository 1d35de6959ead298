/**
 * `paypipe trigger` as an engineer runs it: a mistyped --target is a usage error (exit 64, one line), never
 * a stack trace, and a gateway that does not answer is a failure (exit 1), apart from an answer that is
 * not 2xx (exit 2).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type Socket } from 'node:net';
import { test } from 'node:test';
import { TEST_SECRETS } from '../helpers/test-config.ts';

const BIN = new URL('../../bin/paypipe', import.meta.url).pathname;

function paypipe(
  args: string[],
  more: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const env = { PATH: process.env.PATH ?? '', ...TEST_SECRETS, ...more };
    execFile(BIN, args, { env, timeout: 20_000 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : ((error as { code?: number }).code ?? -1), stdout, stderr });
    });
  });
}

/** A port nothing listens on: taken, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

for (const target of ['notaurl', 'ftp://127.0.0.1:8000']) {
  test(`--target ${target}: a usage error naming --target, exit 64, no stack trace`, async () => {
    const result = await paypipe(['trigger', 'stripe', 'payment_intent.succeeded', '--target', target]);
    assert.equal(result.code, 64, result.stderr);
    assert.match(result.stderr, /^paypipe: --target must be an http:\/\/ or https:\/\/ URL/);
    assert.doesNotMatch(result.stderr, /\n\s+at /);
  });
}

test('a gateway that does not answer: exit 1, saying so', async () => {
  const target = `http://127.0.0.1:${await closedPort()}`;
  const result = await paypipe(['trigger', 'stripe', 'payment_intent.succeeded', '--target', target]);
  assert.equal(result.code, 1, result.stderr);
  assert.match(result.stderr, /^paypipe: no answer from http:\/\/127\.0\.0\.1:\d+\/webhooks\/stripe \(ECONNREFUSED\)/);
});

test('a gateway that takes the connection but never answers: exit 1 after the timeout, never a hang', async (t) => {
  const sockets: Socket[] = [];
  const silent = createServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    for (const socket of sockets) socket.destroy();
    silent.close();
  });
  const { port } = silent.address() as { port: number };
  const result = await paypipe([
    'trigger',
    'stripe',
    'payment_intent.succeeded',
    '--target',
    `http://127.0.0.1:${port}`,
  ]);
  assert.equal(result.code, 1, result.stderr);
  assert.match(result.stderr, /^paypipe: no answer from http:\/\/127\.0\.0\.1:\d+\/webhooks\/stripe within 10 s/);
});

test('without --target, the gateway of HOST and PORT, the settings paypipe up listens by (0.0.0.0 reached on loopback)', async (t) => {
  const paths: string[] = [];
  const gateway = createHttpServer((request, response) => {
    paths.push(`${request.method} ${request.url}`);
    response.writeHead(200, { 'content-type': 'application/json' }).end('{"received":true}');
  });
  await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));
  t.after(() => gateway.close());
  const { port } = gateway.address() as { port: number };
  const result = await paypipe(['trigger', 'stripe', 'payment_intent.succeeded'], {
    HOST: '0.0.0.0',
    PORT: String(port),
  });
  assert.equal(result.code, 0, result.stderr);
  assert.deepEqual(paths, ['POST /webhooks/stripe']);
  assert.match(result.stdout, new RegExp(`→ http://127\\.0\\.0\\.1:${port}/webhooks/stripe: 200`));
});
