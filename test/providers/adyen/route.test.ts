import assert from 'node:assert/strict';
import { test } from 'node:test';
import { notification, provider } from './helpers.ts';

const route = (body: string) => provider.route(Buffer.from(body));

test('a payment routes by its own pspReference', () => {
  assert.deepEqual(route(notification()), {
    ok: true,
    topic: 'webhooks.adyen.notification',
    partitionKey: '7914073381342284',
  });
});

test('modifications and disputes route by originalReference, so a payment keeps its order', () => {
  for (const eventCode of ['CAPTURE', 'REFUND', 'CHARGEBACK']) {
    const result = route(notification({ eventCode, pspReference: 'MOD', originalReference: 'PAY' }));
    assert.ok(result.ok && result.partitionKey === 'PAY', eventCode);
  }
  const empty = route(notification({ originalReference: '' }));
  assert.ok(empty.ok && empty.partitionKey === '7914073381342284');
});

test('a request routes by its first item', () => {
  const result = route(notification({ pspReference: 'FIRST' }, { pspReference: 'SECOND' }));
  assert.ok(result.ok && result.partitionKey === 'FIRST');
});

test('what cannot be routed says why', () => {
  for (const body of ['nope', '{}', '{"notificationItems":[]}', notification({ pspReference: 5 })]) {
    const result = route(body);
    assert.equal(result.ok, false, body);
    assert.ok(!result.ok && result.message.length > 0);
  }
  const result = route(notification({ pspReference: undefined }));
  assert.ok(!result.ok && result.message.includes('notificationItems.0.NotificationRequestItem'));
});
