import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodePayload } from '../../../src/providers/braintree/envelope.ts';
import { notificationXml } from '../../../src/providers/braintree/sample-xml.ts';
import { encodePayload } from '../../../src/providers/braintree/signature.ts';
import { partitionKey } from '../../../src/providers/braintree/subjects.ts';

function keyOf(kind: string, subject: string) {
  const decoded = decodePayload(encodePayload(notificationXml(kind, '2026-03-01T09:00:00Z', subject)));
  assert.ok(decoded.ok);
  return partitionKey(decoded.notification);
}

test('payment kinds partition by the charged, settled, refunded or disputed transaction', () => {
  const charged =
    '<subscription><id>s1</id><transactions><transaction><id>t2</id></transaction><transaction><id>t1</id></transaction></transactions></subscription>';
  assert.deepEqual(keyOf('subscription_charged_successfully', charged), { ok: true, key: 't2' });
  assert.deepEqual(keyOf('transaction_settled', '<transaction><id>t3</id></transaction>'), { ok: true, key: 't3' });
  const refund = '<transaction><id>r1</id><refunded-transaction-id>t4</refunded-transaction-id></transaction>';
  assert.deepEqual(keyOf('refund_failed', refund), { ok: true, key: 't4' });
  assert.deepEqual(keyOf('refund_failed', '<transaction><id>r2</id></transaction>'), { ok: true, key: 'r2' });
  assert.deepEqual(keyOf('dispute_won', '<dispute><id>d1</id><transaction><id>t5</id></transaction></dispute>'), {
    ok: true,
    key: 't5',
  });
});

test('other kinds keep a related payment together where they name one, else a stable key of their own', () => {
  assert.deepEqual(keyOf('transaction_disbursed', '<transaction><id>t6</id></transaction>'), { ok: true, key: 't6' });
  const review = '<transaction-review><transaction-id>t7</transaction-id></transaction-review>';
  assert.deepEqual(keyOf('transaction_reviewed', review), { ok: true, key: 't7' });
  assert.deepEqual(keyOf('subscription_canceled', '<subscription><id>s2</id></subscription>'), { ok: true, key: 's2' });
  assert.deepEqual(keyOf('check', '<check>true</check>'), { ok: true, key: 'check' });
});

test('a payment kind without its transaction id, or no kind at all, cannot be routed', () => {
  assert.equal(keyOf('dispute_opened', '<dispute><id>d2</id></dispute>').ok, false);
  const decoded = decodePayload(encodePayload('<notification><subject/></notification>'));
  assert.ok(decoded.ok && !partitionKey(decoded.notification).ok);
});
