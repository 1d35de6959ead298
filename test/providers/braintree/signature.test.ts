import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isPaypipeError } from '../../../src/contracts/errors.ts';
import { braintreeFixtures } from '../../../src/providers/braintree/fixtures.ts';
import { braintreeDigest, challengeAnswer, encodePayload } from '../../../src/providers/braintree/signature.ts';
import type { VerifyResult, WebhookRequest } from '../../../src/providers/provider.ts';
import { createProvider, formBody, NEW_KEYS, OLD_KEYS, RECEIVED_AT, requestOf } from './kit.ts';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const payloadXml = braintreeFixtures[0]?.payload ?? '';
const provider = createProvider([NEW_KEYS]);

function post(body: string, headers: Record<string, string> = FORM): WebhookRequest {
  return { body: Buffer.from(body), headers, receivedAt: new Date(RECEIVED_AT) };
}

function signedFields(keys = NEW_KEYS) {
  const payload = encodePayload(payloadXml);
  return { payload, signature: `${keys.publicKey}|${braintreeDigest(keys.privateKey, payload)}` };
}

function refused(result: VerifyResult) {
  assert.equal(result.ok, false);
  assert.ok(!result.ok);
  for (const secret of [NEW_KEYS.privateKey, OLD_KEYS.privateKey]) {
    assert.ok(!result.message.includes(secret) && !(result.hint ?? '').includes(secret), 'never reveals a secret');
  }
  return result;
}

describe('known answers', () => {
  test("the bt_challenge answer matches the vector in every official Braintree SDK's test suite", () => {
    const key = { publicKey: 'integration_public_key', privateKey: 'integration_private_key' };
    assert.equal(
      challengeAnswer(key, '20f9f8ed05f77439fe955c977e4c8a53'),
      'integration_public_key|d9b899556c966b3f06945ec21311865d35df3ce4',
    );
  });

  test('the payload digest matches openssl: HMAC-SHA1 keyed with SHA-1(private key)', () => {
    // printf 'payload\n' | openssl dgst -sha1 -mac HMAC -macopt hexkey:$(printf integration_private_key | sha1sum)
    assert.equal(braintreeDigest('integration_private_key', 'payload\n'), '9f0f1898aa9d91d839e9fdb12ca5371462829450');
  });

  test('payloads are base64 in 60-character lines, each ending in a newline', () => {
    const payload = encodePayload(payloadXml);
    const lines = payload.split('\n');
    assert.equal(lines.pop(), '');
    assert.ok(lines.slice(0, -1).every((line) => line.length === 60));
    assert.equal(Buffer.from(payload, 'base64').toString('utf8'), payloadXml);
  });
});

describe('challenge', () => {
  test('refuses what the SDK refuses, and answers nothing without a key', () => {
    assert.equal(challengeAnswer(NEW_KEYS, 'not hex at all'), undefined);
    assert.equal(challengeAnswer(NEW_KEYS, 'abc'), undefined);
    assert.equal(challengeAnswer(undefined, '20f9f8ed05f77439fe955c977e4c8a53'), undefined);
    assert.equal(
      provider.answerChallenge?.('20f9f8ed05f77439fe955c977e4c8a53')?.startsWith(`${NEW_KEYS.publicKey}|`),
      true,
    );
  });
});

describe('verify', () => {
  test('accepts the payload with its trailing newline stripped, as the SDK does', () => {
    const { payload, signature } = signedFields();
    assert.deepEqual(provider.verify(post(formBody({ bt_signature: signature, bt_payload: payload.trimEnd() }))), {
      ok: true,
    });
  });

  test('accepts content-type parameters and a signature listing several public keys', () => {
    const { payload, signature } = signedFields();
    const body = formBody({ bt_signature: `unknown_key|abc&${signature}`, bt_payload: payload });
    assert.deepEqual(
      provider.verify(post(body, { 'content-type': 'Application/X-WWW-Form-Urlencoded; charset=utf-8' })),
      {
        ok: true,
      },
    );
  });

  test('rotation: every configured key pair is tried, and the old one still works', () => {
    const rotating = createProvider([NEW_KEYS, OLD_KEYS]);
    for (const keys of [OLD_KEYS, NEW_KEYS]) {
      const signed = createProvider([keys]).sign(payloadXml);
      assert.deepEqual(rotating.verify(requestOf(signed)), { ok: true });
    }
  });

  test('no key pair configured → no_secret_configured', () => {
    const result = refused(createProvider([]).verify(requestOf(provider.sign(payloadXml))));
    assert.equal(result.reason, 'no_secret_configured');
  });

  test('a body that is not a Braintree form → malformed_body, with a hint on the content type', () => {
    const signed = provider.sign(payloadXml);
    const noType = refused(provider.verify(post(signed.body, {})));
    assert.equal(noType.reason, 'malformed_body');
    assert.match(noType.hint ?? '', /x-www-form-urlencoded/);
    assert.equal(
      refused(provider.verify(post(signed.body, { 'content-type': 'application/json' }))).reason,
      'malformed_body',
    );
    assert.equal(refused(provider.verify(post('{"kind":"check"}'))).reason, 'malformed_body');
    assert.equal(refused(provider.verify(post(`${signed.body}&bt_payload=QQ%3D%3D`))).reason, 'malformed_body');
    const { signature } = signedFields();
    assert.equal(refused(provider.verify(post(formBody({ bt_signature: signature })))).reason, 'malformed_body');
  });

  test('no bt_signature → missing_signature_header; no pair in it → malformed_signature_header', () => {
    const { payload } = signedFields();
    assert.equal(refused(provider.verify(post(formBody({ bt_payload: payload })))).reason, 'missing_signature_header');
    const noPair = formBody({ bt_signature: 'just-a-string', bt_payload: payload });
    assert.equal(refused(provider.verify(post(noPair))).reason, 'malformed_signature_header');
  });

  test('only unconfigured public keys → unknown_public_key, naming them and saying what to configure', () => {
    const { payload, signature } = signedFields(OLD_KEYS);
    const result = refused(provider.verify(post(formBody({ bt_signature: signature, bt_payload: payload }))));
    assert.equal(result.reason, 'unknown_public_key');
    assert.match(result.message, new RegExp(OLD_KEYS.publicKey));
    assert.match(result.hint ?? '', /PAYPIPE_BRAINTREE_KEYS/);
  });

  test('a "+" sent unencoded arrives as a space → malformed_body, with the %2B hint', () => {
    const { payload, signature } = signedFields();
    assert.ok(payload.includes('+'), 'the fixture payload exercises a plus sign');
    const body = `bt_signature=${encodeURIComponent(signature)}&bt_payload=${payload.replaceAll('\n', '%0A')}`;
    const result = refused(provider.verify(post(body)));
    assert.equal(result.reason, 'malformed_body');
    assert.match(result.hint ?? '', /%2B/);
  });

  test('a known public key with the wrong digest → no_matching_signature, with a hint', () => {
    const { payload } = signedFields();
    const forged = `${NEW_KEYS.publicKey}|${braintreeDigest(OLD_KEYS.privateKey, payload)}`;
    const result = refused(provider.verify(post(formBody({ bt_signature: forged, bt_payload: payload }))));
    assert.equal(result.reason, 'no_matching_signature');
    assert.ok((result.hint ?? '').length > 0);
    const edited = signedFields();
    const appended = formBody({ bt_signature: edited.signature, bt_payload: `${edited.payload}QQ==\n` });
    assert.equal(refused(provider.verify(post(appended))).reason, 'no_matching_signature');
  });
});

test('a signature repeating a known public key thousands of times costs no more HMACs, and says so briefly', () => {
  // A 256 KiB payload: 10,000 HMACs over it would hash 2.5 GB (seconds even on an idle machine), while
  // the two the scheme needs take milliseconds, so the bound below separates them however loaded the machine.
  const payload = encodePayload(payloadXml.replace('<notification>', `<notification><!--${'x'.repeat(256 * 1024)}-->`));
  const pairs = Array.from(
    { length: 5000 },
    (_, index) => `${NEW_KEYS.publicKey}|${index.toString(16).padStart(40, '0')}`,
  );
  const started = performance.now();
  const result = refused(provider.verify(post(formBody({ bt_signature: pairs.join('&'), bt_payload: payload }))));
  assert.equal(result.reason, 'no_matching_signature');
  assert.ok(performance.now() - started < 1500, 'comparisons, not 10,000 HMACs');
  assert.equal(result.message.split(NEW_KEYS.publicKey).length, 2, 'the key is named once');
});

describe('sign', () => {
  test('posts a form with lower-case headers, signed with the first key pair only', () => {
    const signed = createProvider([NEW_KEYS, OLD_KEYS]).sign(payloadXml);
    assert.deepEqual(signed.headers, FORM);
    const form = new URLSearchParams(signed.body);
    assert.equal(form.get('bt_payload'), encodePayload(payloadXml));
    assert.equal(form.get('bt_signature'), signedFields().signature);
    assert.ok(signed.body.includes('%2B') || !encodePayload(payloadXml).includes('+'), 'a plus travels as %2B');
  });

  test('without a key pair, signing is a PAYPIPE_ERR_SIGNING error', () => {
    assert.throws(
      () => createProvider([]).sign(payloadXml),
      (error) => isPaypipeError(error, 'PAYPIPE_ERR_SIGNING'),
    );
  });
});
