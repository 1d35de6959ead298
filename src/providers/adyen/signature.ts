/**
 * Adyen's per-item HMAC: base64 HMAC-SHA256, keyed with the hex-decoded key, over
 * `pspReference:originalReference:merchantAccountCode:merchantReference:value:currency:eventCode:success`.
 * Fields are rendered the way the SDK's `hmacValidator.getDataToSign` renders them (an array `join`):
 * absent or null is the empty string, anything else its text, so a zero amount is `0`, never empty.
 */

import type { KeyObject } from 'node:crypto';
import { PaypipeError } from '../../contracts/errors.ts';
import { hmac, matchesAny, secretKey } from '../crypto.ts';
import { at, isObject, type JsonObject } from '../payload.ts';
import type { VerifyResult } from '../provider.ts';
import { type EnvelopeItem, readEnvelope } from './envelope.ts';

const SIGNED_FIELDS = [
  'pspReference',
  'originalReference',
  'merchantAccountCode',
  'merchantReference',
  'amount.value',
  'amount.currency',
  'eventCode',
  'success',
] as const;

/** A base64 SHA-256 digest: 32 bytes are 43 characters and one `=`. */
const SIGNATURE_SHAPE = /^[A-Za-z0-9+/]{43}=$/;

/** A field's text as the SDK's `join` renders it; undefined for an object or array, which no sender signs. */
function field(value: unknown): string | undefined {
  if (value === undefined || value === null) return '';
  return typeof value === 'object' ? undefined : String(value);
}

/** The exact text Adyen signs for one NotificationRequestItem; undefined when a signed field is not text. */
export function signedString(item: JsonObject): string | undefined {
  const fields = SIGNED_FIELDS.map((path) => field(at(item, path)));
  return fields.every((text) => text !== undefined) ? fields.join(':') : undefined;
}

/** Adyen's key is the hex-decoded bytes of the configured text. */
const keyBytes = (hexKey: string): KeyObject => secretKey(hexKey, 'hex');
/** The key text itself as the key: a sender's mistake that `diagnose` recognizes. */
const keyText = (hexKey: string): KeyObject => secretKey(hexKey);

export function itemSignature(data: string, hexKey: string): string {
  return hmac('sha256', keyBytes(hexKey), data).toString('base64');
}

/** Compares against every key, each in constant time. */
function signedByAny(given: Buffer, keys: readonly KeyObject[], data: string): boolean {
  return matchesAny(
    given,
    keys.map((key) => hmac('sha256', key, data)),
  );
}

/** Why a signature that matches no key fails, where a known sender mistake explains it. */
function diagnose(item: JsonObject, data: string, given: Buffer, hexKeys: readonly string[]): string {
  const emptyZero = SIGNED_FIELDS.map((path) => (path === 'amount.value' ? '' : field(at(item, path)))).join(':');
  if (at(item, 'amount.value') === 0 && signedByAny(given, hexKeys.map(keyBytes), emptyZero)) {
    return 'the sender signed the zero amount as an empty string; Adyen signs it as `0`';
  }
  if (signedByAny(given, hexKeys.map(keyText), data)) {
    return 'the sender used the key text as the HMAC key; Adyen uses the hex-decoded bytes of the key';
  }
  return (
    'copy the HMAC key of this webhook from the Adyen Customer Area; after generating a new key, list it first ' +
    'in PAYPIPE_ADYEN_HMAC_KEYS and keep the old one until Adyen has switched over'
  );
}

function checkItem({ path, item }: EnvelopeItem, hexKeys: readonly string[], explain: boolean): VerifyResult {
  const signature = at(item, 'additionalData.hmacSignature');
  if (typeof signature !== 'string' || signature === '') {
    return {
      ok: false,
      reason: 'missing_item_signature',
      message: `${path}.additionalData.hmacSignature is missing`,
      hint: 'enable HMAC signing on this webhook in the Adyen Customer Area',
    };
  }
  if (!SIGNATURE_SHAPE.test(signature)) {
    return {
      ok: false,
      reason: 'no_matching_signature',
      message: `${path}.additionalData.hmacSignature is not a base64 HMAC-SHA256 (44 characters)`,
    };
  }
  const data = signedString(item);
  if (data === undefined) {
    return { ok: false, reason: 'malformed_body', message: `${path}: a signed field is an object or an array` };
  }
  const given = Buffer.from(signature, 'base64');
  if (signedByAny(given, hexKeys.map(keyBytes), data)) return { ok: true };
  return {
    ok: false,
    reason: 'no_matching_signature',
    message: `${path}: the HMAC signature matches none of the ${hexKeys.length} configured keys`,
    ...(explain && { hint: diagnose(item, data, given, hexKeys) }),
  };
}

/** Every item must carry a signature made with one of the keys; the first failing item decides. */
export function verifyItems(body: Buffer, hexKeys: readonly string[], explain = true): VerifyResult {
  const envelope = readEnvelope(body);
  if (!envelope.ok) {
    const where = envelope.issue.path ? `${envelope.issue.path}: ` : '';
    return {
      ok: false,
      reason: 'malformed_body',
      message: `not an Adyen notification: ${where}${envelope.issue.message}`,
    };
  }
  for (const item of envelope.items) {
    const result = checkItem(item, hexKeys, explain);
    if (!result.ok) return result;
  }
  return { ok: true };
}

/** The notification with `additionalData.hmacSignature` set on every item, everything else kept. */
export function signNotification(payload: string, hexKey: string): string {
  const envelope = readEnvelope(payload);
  if (!envelope.ok) {
    throw new PaypipeError('PAYPIPE_ERR_SIGNING', `not an Adyen notification: ${envelope.issue.message}`);
  }
  for (const { path, item } of envelope.items) {
    const data = signedString(item);
    if (data === undefined) throw new PaypipeError('PAYPIPE_ERR_SIGNING', `${path}: a signed field is not text`);
    const additionalData = at(item, 'additionalData');
    const extra = isObject(additionalData) ? additionalData : {};
    const mutable = item as Record<string, unknown>;
    mutable.additionalData = { ...extra, hmacSignature: itemSignature(data, hexKey) };
  }
  return JSON.stringify(envelope.root);
}
