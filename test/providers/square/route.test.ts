import assert from 'node:assert/strict';
import { test } from 'node:test';
import { squareFixtures } from '../../../src/providers/square/fixtures.ts';
import { routeSquare } from '../../../src/providers/square/route.ts';

const PAID = 'KkAkhdMsgzn59SM8A89WgKwekxLZY';

function route(body: unknown) {
  return routeSquare(Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)));
}

test('payments go to webhooks.square.payment and refunds to webhooks.square.refund, keyed by the payment id', () => {
  const routes = Object.fromEntries(squareFixtures.map((fixture) => [fixture.name, route(fixture.payload)]));
  assert.deepEqual(routes['payment.created:APPROVED'], {
    ok: true,
    topic: 'webhooks.square.payment',
    partitionKey: PAID,
  });
  assert.deepEqual(routes['payment.updated:COMPLETED'], {
    ok: true,
    topic: 'webhooks.square.payment',
    partitionKey: PAID,
  });
  // A refund shares its payment's partition, so it is never read before the payment it refunds.
  for (const name of ['refund.created:PENDING', 'refund.updated:COMPLETED', 'refund.updated:REJECTED']) {
    assert.deepEqual(routes[name], { ok: true, topic: 'webhooks.square.refund', partitionKey: PAID }, name);
  }
});

test('disputes go to webhooks.square.payment keyed by the disputed payment id, evidence events too', () => {
  const disputes = squareFixtures.filter((fixture) => fixture.name.startsWith('dispute.'));
  assert.ok(disputes.length >= 5);
  for (const fixture of disputes) {
    const paymentId = JSON.parse(fixture.payload).data.object.dispute.disputed_payment.payment_id;
    assert.deepEqual(
      route(fixture.payload),
      { ok: true, topic: 'webhooks.square.payment', partitionKey: paymentId },
      fixture.name,
    );
  }
});

test('a dispute is found under data.object.dispute (Square’s examples) or data.object.object (the SDK’s types)', () => {
  const dispute = { id: 'd-1', disputed_payment: { payment_id: 'p-1' } };
  const expected = { ok: true, topic: 'webhooks.square.payment', partitionKey: 'p-1' };
  assert.deepEqual(route({ type: 'dispute.created', data: { id: 'd-1', object: { dispute } } }), expected);
  assert.deepEqual(
    route({ type: 'dispute.state.changed', data: { id: 'd-1', object: { object: dispute } } }),
    expected,
  );
});

test('a dispute without its disputed payment is not routed: it has no root to be ordered with', () => {
  for (const dispute of [
    { id: 'd-1' },
    { id: 'd-1', disputed_payment: { payment_id: '' } },
    { id: 'd-1', disputed_payment: 'p-1' },
  ]) {
    const result = route({ type: 'dispute.created', data: { id: 'd-1', object: { dispute } } });
    assert.ok(!result.ok && /disputed_payment\.payment_id/.test(result.message), JSON.stringify(result));
  }
});

test('a payment event without data.object falls back to data.id', () => {
  assert.deepEqual(route({ type: 'payment.updated', data: { type: 'payment', id: 'p-1' } }), {
    ok: true,
    topic: 'webhooks.square.payment',
    partitionKey: 'p-1',
  });
});

test('a refund is keyed by its own id only when Square marks it unlinked', () => {
  const refund = { id: 'r-1', unlinked: true };
  assert.deepEqual(route({ type: 'refund.created', data: { id: 'r-1', object: { refund } } }), {
    ok: true,
    topic: 'webhooks.square.refund',
    partitionKey: 'r-1',
  });
  const linked = route({ type: 'refund.created', data: { id: 'r-1', object: { refund: { id: 'r-1' } } } });
  assert.equal(linked.ok, false);
  assert.ok(!linked.ok && /payment_id/.test(linked.message));
});

test('what cannot be routed says why', () => {
  const cases: [unknown, RegExp][] = [
    ['{"type":', /not JSON/],
    [[1], /no string "type"/],
    [{ type: 7 }, /no string "type"/],
    [{ type: 'webhooks.test_notification' }, /"webhooks.test_notification" has no raw topic/],
    [{ type: 'payment.updated', data: { object: { payment: {} } } }, /no payment id/],
    [{ type: 'payment.updated', data: { id: '' } }, /no payment id/],
  ];
  for (const [body, message] of cases) {
    const result = route(body);
    assert.equal(result.ok, false, JSON.stringify(body));
    assert.ok(!result.ok && message.test(result.message), !result.ok ? result.message : '');
  }
});

test('a huge forged type is cut short in the message', () => {
  const result = route({ type: 'x'.repeat(100_000) });
  assert.ok(!result.ok);
  assert.ok(result.message.length < 200, `${result.message.length} characters`);
});
