import assert from 'node:assert/strict';
import { test } from 'node:test';
import { routeStripeEvent } from '../../../src/providers/stripe/route.ts';

const route = (value: unknown) => routeStripeEvent(Buffer.from(JSON.stringify(value)));
const evt = (type: string, object: Record<string, unknown>) => ({ id: 'evt_1', type, data: { object } });

test('each family has its topic; the key is the PaymentIntent id wherever the object carries it', () => {
  assert.deepEqual(route(evt('payment_intent.succeeded', { object: 'payment_intent', id: 'pi_1' })), {
    ok: true,
    topic: 'webhooks.stripe.payment_intent',
    partitionKey: 'pi_1',
  });
  assert.deepEqual(route(evt('charge.captured', { object: 'charge', id: 'ch_1', payment_intent: 'pi_1' })), {
    ok: true,
    topic: 'webhooks.stripe.charge',
    partitionKey: 'pi_1',
  });
  assert.deepEqual(
    route(evt('charge.dispute.created', { object: 'dispute', id: 'dp_1', charge: 'ch_1', payment_intent: 'pi_1' })),
    {
      ok: true,
      topic: 'webhooks.stripe.charge',
      partitionKey: 'pi_1',
    },
  );
  assert.deepEqual(
    route(evt('refund.created', { object: 'refund', id: 're_1', charge: 'ch_1', payment_intent: 'pi_1' })),
    {
      ok: true,
      topic: 'webhooks.stripe.refund',
      partitionKey: 'pi_1',
    },
  );
});

test('without a PaymentIntent, the Charge id (the charge itself, or the one a refund or dispute names)', () => {
  const charge = route(evt('charge.succeeded', { object: 'charge', id: 'ch_9', payment_intent: null }));
  assert.ok(charge.ok && charge.partitionKey === 'ch_9');
  const refund = route(
    evt('charge.refund.updated', { object: 'refund', id: 're_9', charge: 'ch_9', payment_intent: null }),
  );
  assert.ok(refund.ok && refund.partitionKey === 'ch_9' && refund.topic === 'webhooks.stripe.charge');
  const expanded = route(
    evt('refund.updated', { object: 'refund', id: 're_9', charge: { id: 'ch_8', object: 'charge' } }),
  );
  assert.ok(expanded.ok && expanded.partitionKey === 'ch_8');
});

test('anything that cannot be routed says why', () => {
  const cases: [Buffer, RegExp][] = [
    [Buffer.from('not json'), /not JSON/],
    [Buffer.from('{"type":7}'), /no string `type`/],
    [Buffer.from('[]'), /no string `type`/],
    [Buffer.from(JSON.stringify(evt('customer.created', { object: 'customer', id: 'cus_1' }))), /no routed family/],
    [
      Buffer.from(JSON.stringify(evt('refund.created', { object: 'refund', id: 're_1' }))),
      /no PaymentIntent or Charge id/,
    ],
    [Buffer.from(JSON.stringify({ type: 'charge.succeeded' })), /no PaymentIntent or Charge id/],
  ];
  for (const [body, message] of cases) {
    const result = routeStripeEvent(body);
    assert.ok(!result.ok, body.toString());
    assert.match(result.message, message);
  }
});
