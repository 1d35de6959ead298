/**
 * What a raw record keeps of Adyen's Basic auth, and how a stored record (`paypipe replay` verifies with
 * `stored: true`) is checked again: the keyed digest, the older unkeyed one, a rotated HMAC key, none.
 */
import assert from 'node:assert/strict';
import { hash } from 'node:crypto';
import { test } from 'node:test';
import { hmacValidator } from '@adyen/api-library';
import type { AdyenConfig } from '../../../src/config/config.ts';
import { adyenFixtures } from '../../../src/providers/adyen/fixtures.ts';
import { createAdyenProvider } from '../../../src/providers/adyen/index.ts';
import type { Provider } from '../../../src/providers/provider.ts';
import { ADYEN_TEST_KEYS } from './kit.ts';

const [KEY_A, KEY_B] = ADYEN_TEST_KEYS;
const config: AdyenConfig = {
  hmacKeys: [KEY_A],
  basicAuth: { username: 'adyen-hooks', password: 'correct horse battery staple' },
};
const CREDENTIALS = 'adyen-hooks:correct horse battery staple';
const provider = createAdyenProvider(config);
const fixture = adyenFixtures.find((item) => item.expect !== 'unsupported');
assert.ok(fixture);
const signed = provider.sign(fixture.payload);
const body = Buffer.from(signed.body);
const receivedAt = new Date('2026-03-01T12:00:00Z');

function storedHeaders(by: Provider, headers: Readonly<Record<string, string>> = signed.headers) {
  return by.storedHeaders?.(headers) ?? headers;
}

/** `verify` as `paypipe replay` calls it on a dead letter's record. */
function replayed(by: Provider, headers: Readonly<Record<string, string>>) {
  return by.verify({ body, headers, receivedAt, stored: true, explain: false });
}

const reasonOf = (result: ReturnType<Provider['verify']>) => (result.ok ? 'ok' : result.reason);

test('a raw record keeps the Basic auth header only as a digest, never the credentials', () => {
  const stored = storedHeaders(provider);
  assert.match(stored.authorization ?? '', /^hmac-sha256:[0-9a-f]{64}$/);
  const text = JSON.stringify(stored);
  assert.ok(!text.includes(Buffer.from(CREDENTIALS).toString('base64')));
  assert.ok(!text.includes(config.basicAuth?.password ?? '?'));
  assert.equal(stored['content-type'], 'application/json');
});

test('the stored digest cannot be recomputed from the credentials alone, so a reader cannot brute-force it', () => {
  const stored = storedHeaders(provider).authorization ?? '';
  // What the records held before: anyone could test password guesses against it offline.
  const unkeyed = hash('sha256', CREDENTIALS, 'hex');
  assert.ok(!stored.includes(unkeyed), 'the stored header is the plain SHA-256 of user:password');
  const underB = storedHeaders(createAdyenProvider({ ...config, hmacKeys: [KEY_B] })).authorization;
  assert.notEqual(underB, stored, 'the digest depends on the HMAC key');
});

test('the stored digest is no Adyen item signature: requests cannot turn the record into a signing oracle', () => {
  const item = JSON.parse(signed.body).notificationItems[0].NotificationRequestItem;
  const validator = new hmacValidator();
  const data = validator.getDataToSign(item);
  // A sender chooses the "credentials": it sends the item's signed string as Basic auth.
  const chosen = { authorization: `Basic ${Buffer.from(data).toString('base64')}` };
  const digest = /[0-9a-f]{64}/.exec(storedHeaders(provider, chosen).authorization ?? '')?.[0];
  assert.ok(digest !== undefined);
  const asSignature = Buffer.from(digest, 'hex').toString('base64');
  assert.equal(validator.validateHMAC({ ...item, additionalData: { hmacSignature: asSignature } }, KEY_A), false);
});

test('a stored request verifies with the digest; a live request carrying a digest is refused', () => {
  const headers = storedHeaders(provider);
  assert.deepEqual(replayed(provider, headers), { ok: true });
  const live = provider.verify({ body, headers, receivedAt });
  assert.equal(reasonOf(live), 'basic_auth_mismatch');
});

test('a stored digest of other credentials is refused', () => {
  const other = createAdyenProvider({ ...config, basicAuth: { username: 'adyen-hooks', password: 'other' } });
  const headers = storedHeaders(other, other.sign(fixture.payload).headers);
  assert.equal(reasonOf(replayed(provider, headers)), 'basic_auth_mismatch');
});

test('a record stored under key A verifies once the configuration rotated to [B, A], not once A is gone', () => {
  const headers = storedHeaders(provider);
  const rotated = createAdyenProvider({ ...config, hmacKeys: [KEY_B, KEY_A] });
  assert.deepEqual(replayed(rotated, headers), { ok: true });
  assert.notEqual(storedHeaders(rotated).authorization, headers.authorization, 'new records use the first key');
  const dropped = replayed(createAdyenProvider({ ...config, hmacKeys: [KEY_B] }), headers);
  assert.ok(!dropped.ok && dropped.reason === 'basic_auth_mismatch', JSON.stringify(dropped));
  assert.match(dropped.hint ?? '', /PAYPIPE_ADYEN_HMAC_KEYS/, 'the hint names the removed key as a cause');
  assert.ok(!JSON.stringify(dropped).includes(KEY_A) && !JSON.stringify(dropped).includes(KEY_B));
});

test('a record stored before the digest was keyed (sha256:) still verifies on replay; it is never written', () => {
  const old = { ...signed.headers, authorization: `sha256:${hash('sha256', CREDENTIALS, 'hex')}` };
  assert.deepEqual(replayed(provider, old), { ok: true });
  const wrong = { ...old, authorization: `sha256:${hash('sha256', 'adyen-hooks:guess', 'hex')}` };
  assert.equal(reasonOf(replayed(provider, wrong)), 'basic_auth_mismatch');
  assert.equal(reasonOf(provider.verify({ body, headers: old, receivedAt })), 'basic_auth_mismatch');
  for (const keys of [[KEY_A], [KEY_B, KEY_A], []]) {
    const stored = storedHeaders(createAdyenProvider({ ...config, hmacKeys: keys })).authorization ?? '';
    assert.doesNotMatch(stored, /^sha256:/, `written with ${keys.length} keys`);
  }
});

test('with no HMAC key configured no digest is kept, and replay refuses the record with its own reason', () => {
  const unkeyed = createAdyenProvider({ ...config, hmacKeys: [] });
  const headers = storedHeaders(unkeyed);
  assert.equal(reasonOf(unkeyed.verify({ body, headers: signed.headers, receivedAt })), 'no_secret_configured');
  const kept = headers.authorization ?? '';
  assert.doesNotMatch(kept, /[0-9a-f]{64}/, 'no digest');
  assert.ok(!kept.includes(Buffer.from(CREDENTIALS).toString('base64')));
  const result = replayed(provider, headers);
  assert.ok(!result.ok && result.reason === 'basic_auth_not_kept', JSON.stringify(result));
  assert.match(result.hint ?? '', /PAYPIPE_ADYEN_HMAC_KEYS/);
  assert.equal(reasonOf(provider.verify({ body, headers, receivedAt })), 'basic_auth_mismatch', 'live: no Basic');
});

test('a header that is not Basic auth is not kept as sent: a sender cannot plant a digest for replay to accept', () => {
  const digest = storedHeaders(provider).authorization ?? '';
  for (const authorization of [digest, `sha256:${hash('sha256', CREDENTIALS, 'hex')}`, 'Bearer a-proxy-token']) {
    const headers = storedHeaders(provider, { ...signed.headers, authorization });
    assert.equal(reasonOf(provider.verify({ body, headers: { authorization }, receivedAt })), 'basic_auth_mismatch');
    assert.ok(!JSON.stringify(headers).includes(authorization), authorization);
    const result = replayed(provider, headers);
    assert.ok(!result.ok && result.reason === 'basic_auth_mismatch' && result.message.includes('Basic scheme'));
  }
});
