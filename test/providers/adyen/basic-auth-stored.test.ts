import assert from 'node:assert/strict';
import { test } from 'node:test';
import { adyenFixtures } from '../../../src/providers/adyen/fixtures.ts';
import { createAdyenProvider } from '../../../src/providers/adyen/index.ts';

const config = {
  hmacKeys: ['44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056'],
  basicAuth: { username: 'adyen-hooks', password: 'correct horse battery staple' },
};
const provider = createAdyenProvider(config);
const fixture = adyenFixtures.find((item) => item.expect !== 'unsupported');
assert.ok(fixture);
const signed = provider.sign(fixture.payload);
const receivedAt = new Date('2026-03-01T12:00:00Z');

test('a raw record keeps the Basic auth header only as a digest, never the credentials', () => {
  const stored = provider.storedHeaders?.(signed.headers) ?? signed.headers;
  assert.match(stored.authorization ?? '', /^sha256:[0-9a-f]{64}$/);
  const credentials = Buffer.from(`${config.basicAuth.username}:${config.basicAuth.password}`).toString('base64');
  assert.ok(!JSON.stringify(stored).includes(credentials));
  assert.ok(!JSON.stringify(stored).includes(config.basicAuth.password));
  assert.equal(stored['content-type'], 'application/json');
});

test('a stored request verifies with the digest; a live request carrying a digest is refused', () => {
  const headers = provider.storedHeaders?.(signed.headers) ?? {};
  const body = Buffer.from(signed.body);
  assert.deepEqual(provider.verify({ body, headers, receivedAt, stored: true }), { ok: true });
  const live = provider.verify({ body, headers, receivedAt });
  assert.ok(!live.ok && live.reason === 'basic_auth_mismatch');
});

test('a stored digest of other credentials is refused', () => {
  const other = createAdyenProvider({ ...config, basicAuth: { username: 'adyen-hooks', password: 'other' } });
  const headers = other.storedHeaders?.(other.sign(fixture.payload).headers) ?? {};
  const result = provider.verify({ body: Buffer.from(signed.body), headers, receivedAt, stored: true });
  assert.ok(!result.ok && result.reason === 'basic_auth_mismatch');
});
