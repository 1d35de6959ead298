import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createAdyenProvider } from '../../../src/providers/adyen/index.ts';
import { itemSignature, signedString } from '../../../src/providers/adyen/signature.ts';
import { hmac } from '../../../src/providers/crypto.ts';
import type { VerifyResult } from '../../../src/providers/provider.ts';
import { asRequest, notification, provider, RECEIVED_AT } from './helpers.ts';
import { ADYEN_TEST_BASIC_AUTH, ADYEN_TEST_KEYS } from './kit.ts';

const [KEY, OTHER_KEY] = ADYEN_TEST_KEYS;
const AUTH = `Basic ${Buffer.from('adyen-hooks:adyen-password').toString('base64')}`;

/** Verifies a body sent with that authorization header (`null`: none). */
function verifyBody(body: string, authorization: string | null = AUTH): VerifyResult {
  const headers = authorization === null ? {} : { authorization };
  return provider.verify({ body: Buffer.from(body), headers, receivedAt: RECEIVED_AT });
}

function reasonOf(result: VerifyResult): string {
  return result.ok ? 'ok' : result.reason;
}

/** A body whose items carry the given signatures verbatim. */
function withSignature(signature: string | undefined, item: Record<string, unknown> = {}): string {
  const additionalData = signature === undefined ? {} : { hmacSignature: signature };
  return notification({ ...item, additionalData });
}

test('known answer from PROVIDERS.md: the signed string and its HMAC', () => {
  const item = JSON.parse(notification()).notificationItems[0].NotificationRequestItem;
  const data = signedString(item);
  assert.equal(data, '7914073381342284::TestMerchant:TestPayment-1407325143704:1130:EUR:AUTHORISATION:true');
  assert.equal(itemSignature(data ?? '', KEY), 'coqCmt/IZ4E3CzPvMY8zTjQVL5hYJUiBRg8UU+iCWo0=');
  assert.equal(verifyBody(withSignature('coqCmt/IZ4E3CzPvMY8zTjQVL5hYJUiBRg8UU+iCWo0=')).ok, true);
});

test("known answer from the SDK's own hmacValidator spec", () => {
  const data = 'pspReference:originalReference:merchantAccount:reference:1000:EUR:CAPTURE:true';
  assert.equal(itemSignature(data, OTHER_KEY), 'xhpHvYq2u2Np0rstbZ6QjLGu7JWhvf7Iwaa6EviJSX0=');
});

test('a zero amount is signed as 0 and absent fields as empty strings', () => {
  const item = {
    pspReference: 'P',
    amount: { currency: 'EUR', value: 0 },
    eventCode: 'AUTHORISATION',
    success: 'true',
  };
  assert.equal(signedString(item), 'P::::0:EUR:AUTHORISATION:true');
  assert.equal(signedString({}), ':::::::');
});

test('sign sets hmacSignature on every item, keeps every other field, and sends Basic auth', () => {
  const payload = notification({ originalReference: 'ORIG' }, { pspReference: 'SECOND', eventCode: 'CAPTURE' });
  const signed = provider.sign(payload);
  assert.equal(signed.headers.authorization, AUTH);
  assert.equal(signed.headers['content-type'], 'application/json');
  const sent = JSON.parse(signed.body);
  const original = JSON.parse(payload);
  for (const [index, wrapper] of sent.notificationItems.entries()) {
    const { hmacSignature, ...rest } = wrapper.NotificationRequestItem.additionalData;
    const data = signedString(wrapper.NotificationRequestItem);
    assert.ok(data !== undefined);
    assert.equal(hmacSignature, itemSignature(data, KEY));
    assert.deepEqual(rest, original.notificationItems[index].NotificationRequestItem.additionalData);
  }
  assert.equal(sent.live, 'false');
  assert.deepEqual(provider.verify(asRequest(signed)), { ok: true });
});

test('rotation: every configured key is accepted; signing uses the first', () => {
  const rotating = createAdyenProvider({ hmacKeys: [OTHER_KEY, KEY], basicAuth: ADYEN_TEST_BASIC_AUTH });
  assert.deepEqual(rotating.verify(asRequest(provider.sign(notification()))), { ok: true });
  const signed = rotating.sign(notification());
  assert.deepEqual(rotating.verify(asRequest(signed)), { ok: true });
  assert.equal(reasonOf(provider.verify(asRequest(signed))), 'no_matching_signature');
});

test('no key or no Basic auth configured → no_secret_configured, naming the missing setting', () => {
  const signed = asRequest(provider.sign(notification()));
  const noKeys = createAdyenProvider({ hmacKeys: [], basicAuth: ADYEN_TEST_BASIC_AUTH }).verify(signed);
  const noAuth = createAdyenProvider({ hmacKeys: [KEY], basicAuth: null }).verify(signed);
  assert.ok(
    !noKeys.ok && noKeys.reason === 'no_secret_configured' && noKeys.message.includes('PAYPIPE_ADYEN_HMAC_KEYS'),
  );
  assert.ok(
    !noAuth.ok && noAuth.reason === 'no_secret_configured' && noAuth.message.includes('PAYPIPE_ADYEN_BASIC_AUTH'),
  );
  assert.throws(
    () => createAdyenProvider({ hmacKeys: [], basicAuth: null }).sign(notification()),
    /PAYPIPE_ERR_SIGNING|HMAC/,
  );
});

test('Basic auth: missing, another scheme, wrong credentials', () => {
  const body = provider.sign(notification()).body;
  assert.equal(reasonOf(verifyBody(body, null)), 'missing_basic_auth');
  assert.equal(reasonOf(verifyBody(body, '  ')), 'missing_basic_auth');
  const bearer = verifyBody(body, 'Bearer abc');
  assert.ok(!bearer.ok && bearer.reason === 'basic_auth_mismatch' && bearer.message.includes('Basic scheme'));
  const wrong = verifyBody(body, `Basic ${Buffer.from('adyen-hooks:guess').toString('base64')}`);
  assert.ok(!wrong.ok && wrong.reason === 'basic_auth_mismatch' && wrong.hint?.includes('PAYPIPE_ADYEN_BASIC_AUTH'));
  assert.equal(verifyBody(body, `basic ${Buffer.from('adyen-hooks:adyen-password').toString('base64')}`).ok, true);
});

test('malformed bodies → malformed_body', () => {
  for (const body of [
    'not json',
    '[]',
    '{}',
    '{"notificationItems":{}}',
    '{"notificationItems":[]}',
    '{"notificationItems":[1]}',
  ]) {
    assert.equal(reasonOf(verifyBody(body)), 'malformed_body', body);
  }
  assert.equal(
    reasonOf(
      provider.verify({ body: Buffer.from([0xff, 0xfe]), headers: { authorization: AUTH }, receivedAt: RECEIVED_AT }),
    ),
    'malformed_body',
  );
});

test('a signed field that is an object or array → malformed_body; sign refuses it', () => {
  const signature = 'coqCmt/IZ4E3CzPvMY8zTjQVL5hYJUiBRg8UU+iCWo0=';
  for (const pspReference of [{ toString: 0 }, ['7914073381342284']]) {
    const result = verifyBody(withSignature(signature, { pspReference }));
    assert.ok(!result.ok && result.reason === 'malformed_body', JSON.stringify(result));
    assert.throws(() => provider.sign(notification({ pspReference })), /PAYPIPE_ERR_SIGNING|not text/);
  }
});

test('a key pasted in lower-case hex verifies as the upper-case key the Customer Area shows', () => {
  const lower = createAdyenProvider({ hmacKeys: [KEY.toLowerCase()], basicAuth: ADYEN_TEST_BASIC_AUTH });
  const body = withSignature('coqCmt/IZ4E3CzPvMY8zTjQVL5hYJUiBRg8UU+iCWo0=');
  assert.deepEqual(
    lower.verify({ body: Buffer.from(body), headers: { authorization: AUTH }, receivedAt: RECEIVED_AT }),
    {
      ok: true,
    },
  );
  assert.equal(lower.sign(notification()).body, provider.sign(notification()).body);
});

test('an item without hmacSignature → missing_item_signature, naming the item', () => {
  const good = JSON.parse(provider.sign(notification()).body).notificationItems[0];
  const body = JSON.stringify({
    live: 'false',
    notificationItems: [good, JSON.parse(withSignature(undefined)).notificationItems[0]],
  });
  const result = verifyBody(body);
  assert.ok(!result.ok && result.reason === 'missing_item_signature');
  assert.match(result.message, /notificationItems\.1\./);
});

test('a wrong or malformed signature → no_matching_signature; every item is checked', () => {
  assert.equal(reasonOf(verifyBody(withSignature('not base64!'))), 'no_matching_signature');
  const wrongKey = createAdyenProvider({ hmacKeys: [OTHER_KEY], basicAuth: ADYEN_TEST_BASIC_AUTH }).sign(
    notification(),
  );
  const result = provider.verify(asRequest(wrongKey));
  assert.ok(
    !result.ok && result.reason === 'no_matching_signature' && result.hint?.includes('PAYPIPE_ADYEN_HMAC_KEYS'),
  );
  const first = JSON.parse(provider.sign(notification()).body).notificationItems[0];
  const second = JSON.parse(wrongKey.body).notificationItems[0];
  const mixed = verifyBody(JSON.stringify({ live: 'false', notificationItems: [first, second] }));
  assert.ok(!mixed.ok && mixed.reason === 'no_matching_signature' && mixed.message.includes('notificationItems.1.'));
});

test('hint: a sender that signs a zero amount as an empty string is named', () => {
  const zero = { amount: { currency: 'EUR', value: 0 } };
  const buggy = hmac(
    'sha256',
    Buffer.from(KEY, 'hex'),
    '7914073381342284::TestMerchant:TestPayment-1407325143704::EUR:AUTHORISATION:true',
  );
  const result = verifyBody(withSignature(buggy.toString('base64'), zero));
  assert.ok(!result.ok && result.reason === 'no_matching_signature');
  assert.match(result.hint ?? '', /zero amount as an empty string/);
});

test('hint: a sender that keys the HMAC with the hex text instead of its bytes is named', () => {
  const data = '7914073381342284::TestMerchant:TestPayment-1407325143704:1130:EUR:AUTHORISATION:true';
  const result = verifyBody(withSignature(hmac('sha256', KEY, data).toString('base64')));
  assert.ok(!result.ok && result.reason === 'no_matching_signature');
  assert.match(result.hint ?? '', /hex-decoded/);
});

test('no message or hint ever contains a secret', () => {
  const results = [
    verifyBody(provider.sign(notification()).body, `Basic ${Buffer.from('x:y').toString('base64')}`),
    provider.verify(
      asRequest(createAdyenProvider({ hmacKeys: [OTHER_KEY], basicAuth: ADYEN_TEST_BASIC_AUTH }).sign(notification())),
    ),
  ];
  for (const result of results) {
    assert.equal(result.ok, false);
    const text = JSON.stringify(result);
    for (const secret of [KEY, OTHER_KEY, ADYEN_TEST_BASIC_AUTH.password, AUTH]) assert.ok(!text.includes(secret));
  }
});
