/**
 * Braintree's webhook signature: `bt_signature` holds `publicKey|hex` pairs joined by `&` (one per active
 * API key), hex = HMAC-SHA1 keyed with the raw SHA-1 digest of the private key, over `bt_payload` exactly as
 * sent. Like the SDK we also accept the payload plus a trailing newline, which some frameworks strip.
 */
import { createHash, createSecretKey, type KeyObject } from 'node:crypto';
import type { BraintreeKeyPair } from '../../config/config.ts';
import { hmac, matchesAny } from '../crypto.ts';
import type { VerifyResult, WebhookRequest } from '../provider.ts';
import { isWellFormedPayload, readForm } from './envelope.ts';

// The HMAC key of each private key, derived and imported once (only configured keys come here).
const signingKeys = new Map<string, KeyObject>();

function signingKey(privateKey: string): KeyObject {
  let key = signingKeys.get(privateKey);
  if (!key) {
    key = createSecretKey(createHash('sha1').update(privateKey, 'latin1').digest());
    signingKeys.set(privateKey, key);
  }
  return key;
}

/** The SDK hashes strings as "binary" (latin1); keys and payloads are ASCII, where that equals UTF-8. */
export function braintreeDigest(privateKey: string, data: string): string {
  return hmac('sha1', signingKey(privateKey), Buffer.from(data, 'latin1')).toString('hex');
}

/** Base64 in 60-character lines, each ending in a newline, as Braintree (Ruby's `Base64.encode64`) sends it. */
export function encodePayload(xml: string): string {
  const base64 = Buffer.from(xml, 'utf8').toString('base64');
  return `${base64.match(/.{1,60}/g)?.join('\n') ?? ''}\n`;
}

export function signaturePair(key: BraintreeKeyPair, payload: string): string {
  return `${key.publicKey}|${braintreeDigest(key.privateKey, payload)}`;
}

/** The `bt_challenge` answer, or undefined for a challenge the SDK would refuse (it must be 20-32 hex digits). */
export function challengeAnswer(key: BraintreeKeyPair | undefined, challenge: string): string | undefined {
  if (key === undefined || !/^[a-f0-9]{20,32}$/.test(challenge)) return undefined;
  return signaturePair(key, challenge);
}

const FORM = /^application\/x-www-form-urlencoded\s*(?:;|$)/i;

function refuse(reason: Exclude<VerifyResult, { ok: true }>['reason'], message: string, hint?: string): VerifyResult {
  return hint === undefined ? { ok: false, reason, message } : { ok: false, reason, message, hint };
}

function payloadHint(payload: string): string | undefined {
  if (payload.includes(' ')) {
    return 'a "+" of the base64 payload arrived as a space: the sender must percent-encode it as %2B';
  }
  if (payload.includes('\r')) return 'the payload has carriage returns: something rewrote its newlines in transit';
  return undefined;
}

/** The public keys of some pairs for a message: distinct, at most five, each cut to 40 characters. */
function describeKeys(pairs: readonly string[][]): string {
  const distinct = [...new Set(pairs.map(([publicKey = '']) => publicKey))];
  return distinct
    .slice(0, 5)
    .map((publicKey) => `"${publicKey.slice(0, 40)}"`)
    .join(', ');
}

/**
 * True when a known pair's signature is the digest of `data` under its public key's private key. Digests are
 * computed once per configured key, not per pair: a forged body listing a known public key thousands of
 * times costs comparisons of 40 bytes, not thousands of HMACs over the payload.
 */
function signedWith(keys: readonly BraintreeKeyPair[], known: readonly string[][], data: string): boolean {
  const expected = new Map<string, Buffer[]>();
  for (const key of keys) {
    if (!known.some(([publicKey]) => publicKey === key.publicKey)) continue;
    const digest = Buffer.from(braintreeDigest(key.privateKey, data));
    expected.set(key.publicKey, [...(expected.get(key.publicKey) ?? []), digest]);
  }
  let matched = false;
  for (const [publicKey = '', signature = ''] of known) {
    matched = matchesAny(Buffer.from(signature.toLowerCase()), expected.get(publicKey) ?? []) || matched;
  }
  return matched;
}

/** Verifies a Braintree webhook request against every configured key pair. */
export function verifySignature(keys: readonly BraintreeKeyPair[], request: WebhookRequest): VerifyResult {
  if (keys.length === 0) {
    return refuse('no_secret_configured', 'no Braintree key pair is configured', 'set PAYPIPE_BRAINTREE_KEYS');
  }
  const contentType = request.headers['content-type'];
  if (contentType === undefined || !FORM.test(contentType)) {
    return refuse(
      'malformed_body',
      `content-type is ${contentType === undefined ? 'missing' : `"${contentType.slice(0, 80)}"`}`,
      'Braintree posts application/x-www-form-urlencoded with bt_signature and bt_payload',
    );
  }
  const form = readForm(request.body);
  if (form.duplicated) return refuse('malformed_body', 'the form carries bt_signature or bt_payload more than once');
  if (form.signature === undefined && form.payload === undefined) {
    return refuse('malformed_body', 'the body is not a Braintree webhook form: no bt_signature and no bt_payload');
  }
  if (form.signature === undefined || form.signature === '') {
    return refuse('missing_signature_header', 'the form has no bt_signature field');
  }
  if (form.payload === undefined || form.payload === '') return refuse('malformed_body', 'the form has no bt_payload');
  const pairs = form.signature
    .split('&')
    .filter((pair) => pair.includes('|'))
    .map((pair) => pair.split('|'));
  if (pairs.length === 0) {
    return refuse('malformed_signature_header', 'bt_signature has no publicKey|signature pair');
  }
  const known = pairs.filter(([publicKey]) => keys.some((key) => key.publicKey === publicKey));
  if (known.length === 0) {
    return refuse(
      'unknown_public_key',
      `bt_signature is signed for public key(s) ${describeKeys(pairs)}, none of which is configured`,
      'add the key pair of that public key to PAYPIPE_BRAINTREE_KEYS',
    );
  }
  if (!isWellFormedPayload(form.payload)) {
    return refuse('malformed_body', 'bt_payload has characters outside base64 and newlines', payloadHint(form.payload));
  }
  // The payload with a newline added is tried only when the payload as sent matches no key.
  const payload = form.payload;
  if (signedWith(keys, known, payload) || signedWith(keys, known, `${payload}\n`)) return { ok: true };
  return refuse(
    'no_matching_signature',
    `bt_signature for public key(s) ${describeKeys(known)} does not match bt_payload`,
    'the private key configured for that public key may be out of date, or the payload was changed in transit',
  );
}
