import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SquareConfig } from '../../../src/config/config.ts';
import type { VerifyResult } from '../../../src/providers/provider.ts';
import { squareSignature, verifySquareSignature } from '../../../src/providers/square/signature.ts';
import { KAT } from './kit.ts';

const OTHER_KEY = 'MCmhFRxGX82xMwg5FsaoQA';

function config(keys: readonly string[], url: string | null = KAT.url): SquareConfig {
  return { signatureKeys: keys, notificationUrl: url };
}

function verify(cfg: SquareConfig, headers: Record<string, string>, body = KAT.body): VerifyResult {
  return verifySquareSignature(cfg, { body: Buffer.from(body), headers, receivedAt: new Date() });
}

const signed = { 'x-square-hmacsha256-signature': KAT.signature };

function failure(result: VerifyResult) {
  assert.equal(result.ok, false, 'verification must fail');
  assert.ok(!result.ok);
  return result;
}

test('the known-answer vector: our signature is Square’s, and verify accepts it', () => {
  assert.equal(squareSignature(KAT.key, KAT.url, KAT.body), KAT.signature);
  assert.deepEqual(verify(config([KAT.key]), signed), { ok: true });
});

test('the square SDK’s own vectors for bodies with escaped characters pass', () => {
  const url = 'https://webhook.site/webhooks';
  const vectors = [
    ['{"data":{"type":"webhooks","id":"fake_id"}}', 'W3FlCNk5IA3ZQ2LHTWoajvzfaDu/OwY2tNHIHC3IUOA='],
    ['{"data":{"type":"webhooks","id":">id<"}}', 'Cxt7+aTi4rKgcA0bC4g9EHdVtLSDWdqccmL5MvihU4U='],
  ] as const;
  for (const [body, signature] of vectors) {
    assert.equal(squareSignature('signature-key', url, body), signature);
    const cfg = config(['signature-key'], url);
    assert.deepEqual(verify(cfg, { 'x-square-hmacsha256-signature': signature }, body), { ok: true });
  }
});

test('rotation: every configured key is accepted, in any position', () => {
  assert.deepEqual(verify(config([OTHER_KEY, KAT.key]), signed), { ok: true });
  assert.deepEqual(verify(config([KAT.key, OTHER_KEY]), signed), { ok: true });
});

test('the configured URL is signed, never one built from the Host or X-Forwarded-* headers', () => {
  const proxied = { host: 'internal:8000', 'x-forwarded-host': 'other.example', 'x-forwarded-proto': 'http' };
  assert.deepEqual(verify(config([KAT.key]), { ...signed, ...proxied }), { ok: true });
  const forHost = squareSignature(KAT.key, 'http://other.example/679a4f3a-dcfa-49ee-bac5-9d0edad886b9', KAT.body);
  const result = verify(config([KAT.key]), { 'x-square-hmacsha256-signature': forHost, ...proxied });
  assert.equal(failure(result).reason, 'no_matching_signature');
});

test('the signature covers the raw bytes: a re-formatted body with the same JSON fails, with a hint', () => {
  const pretty = JSON.stringify(JSON.parse(KAT.body), null, 2);
  const result = failure(verify(config([KAT.key]), signed, pretty));
  assert.equal(result.reason, 'no_matching_signature');
  assert.match(result.hint ?? '', /line breaks/);
});

test('no URL or no key configured → no_secret_configured, naming what is missing', () => {
  const noUrl = failure(verify(config([KAT.key], null), signed));
  assert.equal(noUrl.reason, 'no_secret_configured');
  assert.match(noUrl.message, /PAYPIPE_SQUARE_NOTIFICATION_URL/);
  assert.doesNotMatch(noUrl.message, /SIGNATURE_KEYS/);
  const noKey = failure(verify(config([]), signed));
  assert.equal(noKey.reason, 'no_secret_configured');
  assert.match(noKey.message, /PAYPIPE_SQUARE_SIGNATURE_KEYS/);
  assert.doesNotMatch(noKey.message, /NOTIFICATION_URL/);
  assert.match(failure(verify(config([], null), signed)).message, /NOTIFICATION_URL and PAYPIPE_SQUARE_SIGNATURE_KEYS/);
});

test('no signature header → missing_signature_header, with a hint when only the legacy SHA-1 header came', () => {
  const none = failure(verify(config([KAT.key]), {}));
  assert.equal(none.reason, 'missing_signature_header');
  assert.equal(none.hint, undefined);
  const empty = failure(verify(config([KAT.key]), { 'x-square-hmacsha256-signature': '' }));
  assert.equal(empty.reason, 'missing_signature_header');
  const legacy = failure(verify(config([KAT.key]), { 'x-square-signature': 'bWFkZSB1cA==' }));
  assert.equal(legacy.reason, 'missing_signature_header');
  assert.match(legacy.hint ?? '', /x-square-signature/);
});

test('a header that is not a base64 SHA-256 → malformed_signature_header', () => {
  for (const header of [
    'not base64!',
    KAT.signature.slice(0, -2),
    `${KAT.signature},${KAT.signature}`,
    'a'.repeat(44),
    `${'A'.repeat(42)}B=`,
  ]) {
    const result = failure(verify(config([KAT.key]), { 'x-square-hmacsha256-signature': header }));
    assert.equal(result.reason, 'malformed_signature_header', header);
  }
});

test('surrounding whitespace in the header is tolerated', () => {
  assert.deepEqual(verify(config([KAT.key]), { 'x-square-hmacsha256-signature': ` ${KAT.signature} ` }), { ok: true });
});

test('a wrong key → no_matching_signature, and the message never contains a key', () => {
  const result = failure(verify(config([OTHER_KEY]), signed));
  assert.equal(result.reason, 'no_matching_signature');
  assert.equal(result.hint, undefined);
  assert.ok(!result.message.includes(OTHER_KEY) && !result.message.includes(KAT.key));
  assert.match(result.message, /1 configured signature key/);
});

test('a URL that differs by a trailing slash or the scheme fails, with a hint naming the URL that matches', () => {
  const variants = [
    `${KAT.url}/`,
    KAT.url.replace('https://', 'http://'),
    `${KAT.url.replace('https://', 'http://')}/`,
  ];
  for (const configured of variants) {
    const result = failure(verify(config([KAT.key], configured), signed));
    assert.equal(result.reason, 'no_matching_signature', configured);
    assert.match(result.hint ?? '', new RegExp(`matches the notification URL ${KAT.url}(;|$)`), configured);
    assert.ok(!(result.hint ?? '').includes(KAT.key));
  }
});

test('a URL that differs otherwise gets no URL hint: variants only explain, they never widen acceptance', () => {
  const result = failure(verify(config([KAT.key], 'https://webhook.site/elsewhere'), signed));
  assert.equal(result.reason, 'no_matching_signature');
  assert.equal(result.hint, undefined);
});

test('a configured access token instead of a signature key gets a hint', () => {
  const result = failure(verify(config(['EAAAl3R5b2tlbmFjY2Vzcw']), signed));
  assert.equal(result.reason, 'no_matching_signature');
  assert.match(result.hint ?? '', /access token/);
  assert.ok(!(result.hint ?? '').includes('EAAAl3R5'));
});

test('the URL is signed as UTF-8 before the raw body bytes, exactly', () => {
  const url = 'https://example.com/hooks/ü';
  const body = Buffer.from([0x7b, 0xff, 0x7d]);
  const signature = squareSignature(KAT.key, url, body);
  const result = verifySquareSignature(config([KAT.key], url), {
    body,
    headers: { 'x-square-hmacsha256-signature': signature },
    receivedAt: new Date(),
  });
  assert.deepEqual(result, { ok: true });
});
