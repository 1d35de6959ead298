import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isPaypipeError } from '../../../src/contracts/errors.ts';
import { squareFixtures } from '../../../src/providers/square/fixtures.ts';
import { createSquareProvider } from '../../../src/providers/square/index.ts';
import { SQUARE_TEST_URL, squareKit } from './kit.ts';

const [KEY, OTHER_KEY] = squareKit.secrets;

test('sign returns the exact body and lower-case headers, signed with the first key', () => {
  const provider = createSquareProvider({ signatureKeys: [KEY, OTHER_KEY], notificationUrl: SQUARE_TEST_URL });
  const [first] = squareFixtures;
  assert.ok(first);
  const signed = provider.sign(first.payload);
  assert.equal(signed.body, first.payload);
  assert.deepEqual(Object.keys(signed.headers).sort(), ['content-type', 'x-square-hmacsha256-signature']);
  assert.equal(signed.headers['content-type'], 'application/json');
  const onlyFirst = createSquareProvider({ signatureKeys: [KEY], notificationUrl: SQUARE_TEST_URL });
  const onlySecond = createSquareProvider({ signatureKeys: [OTHER_KEY], notificationUrl: SQUARE_TEST_URL });
  const request = { body: Buffer.from(signed.body), headers: signed.headers, receivedAt: new Date() };
  assert.deepEqual(onlyFirst.verify(request), { ok: true });
  assert.equal(onlySecond.verify(request).ok, false);
});

test('the signature header is the one a raw record keeps for re-verification', () => {
  const provider = createSquareProvider({ signatureKeys: [KEY], notificationUrl: SQUARE_TEST_URL });
  assert.equal(provider.name, 'square');
  assert.deepEqual(provider.signatureHeaders, ['x-square-hmacsha256-signature']);
  const signed = provider.sign('{}');
  for (const name of provider.signatureHeaders) assert.ok(signed.headers[name], name);
});

test('signing without a URL or a key is a PAYPIPE_ERR_SIGNING failure naming the missing setting', () => {
  const cases = [
    [{ signatureKeys: [], notificationUrl: SQUARE_TEST_URL }, /PAYPIPE_SQUARE_SIGNATURE_KEYS/],
    [{ signatureKeys: [KEY], notificationUrl: null }, /PAYPIPE_SQUARE_NOTIFICATION_URL/],
  ] as const;
  for (const [config, message] of cases) {
    assert.throws(
      () => createSquareProvider(config).sign('{}'),
      (error) => isPaypipeError(error, 'PAYPIPE_ERR_SIGNING') && message.test(error.message),
    );
  }
});
