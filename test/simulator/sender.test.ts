import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import type { PlannedDelivery } from '../../src/simulator/plan.ts';
import type { PreparedRequest } from '../../src/simulator/requests.ts';
import { sendDeliveries } from '../../src/simulator/sender.ts';

const planned = (seq: number) =>
  ({
    seq,
    provider: 'stripe',
    name: 'x',
    kind: 'original',
    outOfOrder: false,
    paymentRef: 'pi_1',
    sendAt: 0,
  }) as unknown as PlannedDelivery;
const request = (): PreparedRequest => ({
  path: '/webhooks/stripe',
  headers: { 'content-type': 'application/json' },
  body: '{}',
  eventIds: [],
});

async function listen(t: import('node:test').TestContext, server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const sendOne = async (target: string, timeoutMs = 1000) =>
  (await sendDeliveries([planned(0)], request, { target, concurrency: 2, timeoutMs }))[0];

test('a request that gets no answer has status 0 and the reason as its error code', async (t) => {
  const down = await sendOne('http://127.0.0.1:1');
  assert.deepEqual([down?.status, down?.error], [0, 'ECONNREFUSED']);

  const silent = await listen(
    t,
    createServer(() => {}),
  );
  const timedOut = await sendOne(silent, 200);
  assert.deepEqual([timedOut?.status, timedOut?.error], [0, 'UND_ERR_HEADERS_TIMEOUT']);

  const hangsUp = await listen(
    t,
    createServer((incoming) => incoming.socket.destroy()),
  );
  const reset = await sendOne(hangsUp);
  assert.deepEqual([reset?.status, reset?.error], [0, 'UND_ERR_SOCKET']);
});

test('a POST whose connection is lost is not sent again', async (t) => {
  let received = 0;
  const target = await listen(
    t,
    createServer((incoming) => {
      received += 1;
      incoming.socket.destroy();
    }),
  );
  await sendOne(target);
  assert.equal(received, 1);
});
