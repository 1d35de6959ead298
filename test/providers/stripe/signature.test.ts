import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, test } from 'node:test';
import type { VerifyResult, WebhookRequest } from '../../../src/providers/provider.ts';
import { createStripeProvider } from '../../../src/providers/stripe/index.ts';
import { parseSignatureHeader } from '../../../src/providers/stripe/signature.ts';
import { KAT, NEW_SECRET, OLD_SECRET } from './kit.ts';

const AT = new Date('2026-03-01T12:00:00.000Z');
const T = Math.floor(AT.getTime() / 1000);
const BODY = '{\n  "id": "evt_1",\n  "type": "payment_intent.succeeded"\n}';

const provider = (secrets: string[], toleranceSeconds = 300) => createStripeProvider({ secrets, toleranceSeconds });
const v1 = (secret: string, t: number, body: string | Buffer) =>
  createHmac('sha256', secret).update(`${t}.`).update(body).digest('hex');
const request = (header: string | undefined, body: string | Buffer = BODY, receivedAt = AT): WebhookRequest => ({
  body: Buffer.from(body),
  headers: { 'stripe-signature': header },
  receivedAt,
});

function failure(result: VerifyResult) {
  assert.equal(result.ok, false, 'expected a failure');
  assert.ok(!result.ok);
  for (const secret of [OLD_SECRET, NEW_SECRET, KAT.secret]) {
    assert.ok(!result.message.includes(secret) && !(result.hint ?? '').includes(secret), 'never shows a secret');
  }
  return result;
}

describe('known answer', () => {
  test('sign produces the known v1, lower-case hex keyed with the whole whsec_ string', () => {
    const signed = provider([KAT.secret]).sign(KAT.body, { timestamp: new Date(KAT.timestamp * 1000) });
    assert.equal(signed.headers['stripe-signature'], `t=${KAT.timestamp},v1=${KAT.v1}`);
    assert.equal(signed.body, KAT.body);
    assert.equal(signed.headers['content-type'], 'application/json; charset=utf-8');
  });

  test('verify accepts the known answer, tolerance measured from receivedAt', () => {
    const at = new Date((KAT.timestamp + 299) * 1000);
    const result = provider([KAT.secret]).verify(request(`t=${KAT.timestamp},v1=${KAT.v1}`, KAT.body, at));
    assert.deepEqual(result, { ok: true });
  });

  test('verification runs on the raw bytes, even bytes that are not UTF-8', () => {
    const bytes = Buffer.from([0x7b, 0xff, 0xfe, 0x7d]);
    assert.deepEqual(provider([NEW_SECRET]).verify(request(`t=${T},v1=${v1(NEW_SECRET, T, bytes)}`, bytes)), {
      ok: true,
    });
  });
});

describe('rotation and schemes', () => {
  test('every v1 is tried against every secret', () => {
    const both = provider([NEW_SECRET, OLD_SECRET]);
    const wrong = v1('whsec_other', T, BODY);
    assert.deepEqual(both.verify(request(`t=${T},v1=${wrong},v1=${v1(OLD_SECRET, T, BODY)}`)), { ok: true });
    assert.deepEqual(both.verify(request(`t=${T},v1=${v1(NEW_SECRET, T, BODY)},v1=${wrong}`)), { ok: true });
  });

  test('sign uses the first secret only', () => {
    const signed = provider([NEW_SECRET, OLD_SECRET]).sign(BODY, { timestamp: AT });
    assert.equal(signed.headers['stripe-signature'], `t=${T},v1=${v1(NEW_SECRET, T, BODY)}`);
  });

  test('v0 and unknown schemes are ignored, even when they would match', () => {
    const header = `t=${T},v0=${v1(NEW_SECRET, T, BODY)},v9=x,v1=${v1(OLD_SECRET, T, BODY)}`;
    const result = failure(provider([NEW_SECRET]).verify(request(header)));
    assert.equal(result.reason, 'no_matching_signature');
  });

  test('upper-case hex does not match, as in the SDK', () => {
    const result = provider([NEW_SECRET]).verify(request(`t=${T},v1=${v1(NEW_SECRET, T, BODY).toUpperCase()}`));
    assert.equal(failure(result).reason, 'no_matching_signature');
  });
});

describe('failure reasons', () => {
  const good = `t=${T},v1=${v1(NEW_SECRET, T, BODY)}`;

  test('no secret configured', () => {
    const result = failure(provider([]).verify(request(good)));
    assert.equal(result.reason, 'no_secret_configured');
    assert.match(result.hint ?? '', /PAYPIPE_STRIPE_WEBHOOK_SECRETS/);
  });

  test('missing or empty header', () => {
    for (const header of [undefined, '', '  ']) {
      assert.equal(failure(provider([NEW_SECRET]).verify(request(header))).reason, 'missing_signature_header');
    }
  });

  test('malformed headers say what is wrong', () => {
    const cases: [string, RegExp][] = [
      [`v1=${v1(NEW_SECRET, T, BODY)}`, /no t= timestamp/],
      [`t=12.5,v1=${v1(NEW_SECRET, T, BODY)}`, /not a whole number/],
      [`t=abc,v1=${v1(NEW_SECRET, T, BODY)}`, /not a whole number/],
      [`t=,v1=${v1(NEW_SECRET, T, BODY)}`, /not a whole number/],
      [`t=${T},t=${T},v1=${v1(NEW_SECRET, T, BODY)}`, /more than one t=/],
      [`t=${T}`, /no v1= signature/],
      ['garbage', /no t= timestamp/],
    ];
    for (const [header, message] of cases) {
      const result = failure(provider([NEW_SECRET]).verify(request(header)));
      assert.equal(result.reason, 'malformed_signature_header', header);
      assert.match(result.message, message, header);
    }
  });

  test('a header with only v0 hints that v1 is required', () => {
    const result = failure(provider([NEW_SECRET]).verify(request(`t=${T},v0=${v1(NEW_SECRET, T, BODY)}`)));
    assert.equal(result.reason, 'malformed_signature_header');
    assert.match(result.hint ?? '', /only v0 present/);
  });

  test('a wrong secret gives no_matching_signature with counts', () => {
    const result = failure(provider([OLD_SECRET]).verify(request(good)));
    assert.equal(result.reason, 'no_matching_signature');
    assert.match(result.message, /1 v1 signature\(s\).*1 configured secret/);
  });

  test('an old timestamp fails with its age in the message; tolerance boundary and 0 disable', () => {
    const later = (seconds: number) => new Date(AT.getTime() + seconds * 1000);
    assert.deepEqual(provider([NEW_SECRET]).verify(request(good, BODY, later(300))), { ok: true });
    const result = failure(provider([NEW_SECRET]).verify(request(good, BODY, later(400))));
    assert.equal(result.reason, 'timestamp_outside_tolerance');
    assert.match(result.message, /400 seconds old, 100 seconds beyond the 300-second tolerance/);
    assert.deepEqual(provider([NEW_SECRET], 0).verify(request(good, BODY, later(86_400 * 365))), { ok: true });
  });

  test('an invalid receive time fails closed instead of skipping the age check', () => {
    const result = failure(provider([NEW_SECRET]).verify(request(good, BODY, new Date(Number.NaN))));
    assert.equal(result.reason, 'timestamp_outside_tolerance');
  });

  test('a timestamp from the future is not an age failure (the SDK checks old ones only)', () => {
    assert.deepEqual(provider([NEW_SECRET]).verify(request(good, BODY, new Date(AT.getTime() - 3600_000))), {
      ok: true,
    });
  });
});

describe('hints for altered bodies', () => {
  const good = `t=${T},v1=${v1(NEW_SECRET, T, BODY)}`;

  test('a re-serialized (compact) body is recognised', () => {
    const compact = JSON.stringify(JSON.parse(BODY));
    const result = failure(provider([NEW_SECRET]).verify(request(good, compact)));
    assert.equal(result.reason, 'no_matching_signature');
    assert.match(result.hint ?? '', /re-serialized/);
  });

  test('an added or a removed trailing newline is recognised', () => {
    const added = failure(provider([NEW_SECRET]).verify(request(good, `${BODY}\n`)));
    assert.match(added.hint ?? '', /trailing newline was added/);
    const signedWithNewline = `t=${T},v1=${v1(NEW_SECRET, T, `${BODY}\n`)}`;
    const removed = failure(provider([NEW_SECRET]).verify(request(signedWithNewline, BODY)));
    assert.match(removed.hint ?? '', /trailing newline was removed/);
  });

  test('an unrelated body gets the generic hint', () => {
    const result = failure(provider([NEW_SECRET]).verify(request(good, '{"id":"evt_2"}')));
    assert.match(result.hint ?? '', /signing secret/);
  });
});

test('signing at an invalid time is a typed error, not a header with t=NaN', () => {
  assert.throws(() => provider([NEW_SECRET]).sign(BODY, { timestamp: new Date(Number.NaN) }), {
    code: 'PAYPIPE_ERR_SIGNING',
  });
  assert.throws(() => provider([]).sign(BODY), { code: 'PAYPIPE_ERR_SIGNING' });
});

test('parseSignatureHeader keeps every v1 in order and ignores items without =', () => {
  assert.deepEqual(parseSignatureHeader('t=5,v1=aa,junk,v1=bb,v0=cc'), {
    ok: true,
    timestamp: 5,
    signatures: ['aa', 'bb'],
  });
});
