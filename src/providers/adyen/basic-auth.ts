/**
 * The Basic auth half of Adyen's verification: Adyen sends the user name and password configured on the
 * webhook in the Customer Area with every request.
 *
 * A raw record (event log, dead letters, the lakehouse's quarantine) keeps the credentials only as
 * `hmac-sha256:<hex>`, so that `paypipe replay` can check them again. An unkeyed hash of a chosen password
 * can be brute-forced by whoever reads the records; this one is keyed with the configured Adyen HMAC key,
 * which replay needs anyway to check the items, so it adds no secret to manage. Not with that key itself:
 * a sender chooses the "credentials" it sends, and would get back, in the record, the HMAC of any text it
 * likes (an item's signed string: a forged item signature). The digest key is derived from it (HKDF), so a
 * digest is no item signature. Records written before kept `sha256:<hex>` (unkeyed): still read, never written.
 */
import { createSecretKey, hash, hkdfSync, type KeyObject } from 'node:crypto';
import type { BasicAuth } from '../../config/config.ts';
import { constantTimeEqual, hmac, matchesAny, secretKey } from '../crypto.ts';
import type { VerifyResult } from '../provider.ts';

const MISMATCH_HINT =
  'compare PAYPIPE_ADYEN_BASIC_AUTH with the user name and password set on this webhook in the Adyen Customer Area';

const BASIC = /^\s*basic\s+(\S+)\s*$/i;
const KEYED = /^hmac-sha256:([0-9a-f]{64})$/;
const UNKEYED = /^sha256:([0-9a-f]{64})$/;
/** Kept instead of a digest when no HMAC key was configured: nothing to key it with, and replay refuses it. */
const NOT_KEPT = 'not-kept:no-hmac-key';
/**
 * Kept instead of a header that is not Basic auth: it carries no credential of Adyen's, and kept as sent it
 * could be someone else's (a proxy's token), or a digest a sender copied, which replay would then accept.
 */
const NOT_BASIC = 'not-basic';

export function basicAuthHeader(auth: BasicAuth): string {
  return `Basic ${Buffer.from(`${auth.username}:${auth.password}`, 'utf8').toString('base64')}`;
}

const digestKeys = new Map<string, KeyObject>();

/** The digest key derived from a configured HMAC key; only configured keys come here. */
function digestKey(hexKey: string): KeyObject {
  let key = digestKeys.get(hexKey);
  if (!key) {
    const derived = hkdfSync('sha256', secretKey(hexKey, 'hex'), '', 'paypipe adyen stored basic auth', 32);
    key = createSecretKey(Buffer.from(derived));
    digestKeys.set(hexKey, key);
  }
  return key;
}

/**
 * Keyed with `hexKey` for a record; without, the plain SHA-256 that the live comparison uses (nothing keeps
 * it). Either way a fixed length, so the comparison is constant time whatever the credentials' lengths.
 */
function digest(credentials: Buffer, hexKey?: string): Buffer {
  return hexKey === undefined ? hash('sha256', credentials, 'buffer') : hmac('sha256', digestKey(hexKey), credentials);
}

// Every request carries the same credentials, digested by both storedHeaders (keyed) and verify (unkeyed):
// the last few digests are kept. Looked up by the Map's hash, never compared as text, so timing tells nothing.
const recent = new Map<string, Buffer>();

function credentialsDigest(base64: string, hexKey?: string): Buffer {
  // A hex key holds no `:`, so the id is unambiguous.
  const id = `${hexKey ?? ''}:${base64}`;
  let known = recent.get(id);
  if (!known) {
    if (recent.size >= 16) recent.clear();
    known = digest(Buffer.from(base64, 'base64'), hexKey);
    recent.set(id, known);
  }
  return known;
}

const expectedDigests = new WeakMap<BasicAuth, Map<string, Buffer>>();

function expectedDigest(auth: BasicAuth, hexKey?: string): Buffer {
  let byKey = expectedDigests.get(auth);
  if (!byKey) {
    byKey = new Map();
    expectedDigests.set(auth, byKey);
  }
  let known = byKey.get(hexKey ?? '');
  if (!known) {
    known = digest(Buffer.from(`${auth.username}:${auth.password}`, 'utf8'), hexKey);
    byKey.set(hexKey ?? '', known);
  }
  return known;
}

/**
 * The authorization header as a raw record keeps it: `hmac-sha256:<hex>` of the credentials keyed with the
 * first configured HMAC key, never the credentials themselves; a marker when there is no key or no Basic auth.
 */
export function storedAuthorization(header: string, hexKeys: readonly string[]): string {
  const match = BASIC.exec(header);
  if (!match) return NOT_BASIC;
  const [key] = hexKeys;
  return key === undefined ? NOT_KEPT : `hmac-sha256:${credentialsDigest(match[1] ?? '', key).toString('hex')}`;
}

/** The verdict on a stored header `storedAuthorization` wrote (or an older paypipe did); undefined for any other. */
function checkStored(header: string, auth: BasicAuth, hexKeys: readonly string[]): VerifyResult | undefined {
  const keyed = KEYED.exec(header)?.[1];
  if (keyed !== undefined) {
    // Under any configured key: the record was keyed with the first key of its day, maybe an older one now.
    const expected = hexKeys.map((key) => expectedDigest(auth, key));
    return matchesAny(Buffer.from(keyed, 'hex'), expected)
      ? { ok: true }
      : {
          ok: false,
          reason: 'basic_auth_mismatch',
          message: 'the stored Basic auth digest matches the configured credentials under no configured HMAC key',
          hint: `${MISMATCH_HINT}; the digest is keyed with the first of PAYPIPE_ADYEN_HMAC_KEYS when the request arrived: if that key was removed since, list it again after the current one`,
        };
  }
  const unkeyed = UNKEYED.exec(header)?.[1];
  if (unkeyed !== undefined) {
    return constantTimeEqual(Buffer.from(unkeyed, 'hex'), expectedDigest(auth))
      ? { ok: true }
      : {
          ok: false,
          reason: 'basic_auth_mismatch',
          message: 'the stored Basic auth digest does not match the configured credentials',
          hint: MISMATCH_HINT,
        };
  }
  if (header === NOT_KEPT) {
    return {
      ok: false,
      reason: 'basic_auth_not_kept',
      message: 'the request arrived while no Adyen HMAC key was configured, so its Basic auth was not kept',
      hint: 'its credentials cannot be checked again: Adyen retries a refused webhook for up to 30 days, and with PAYPIPE_ADYEN_HMAC_KEYS set its next delivery is verified as it arrives',
    };
  }
  return undefined;
}

/**
 * `{ ok: true }` when the header carries exactly the configured credentials, or, for a stored request
 * only, their digest as `storedAuthorization` wrote it under one of `hexKeys`.
 */
export function checkBasicAuth(
  header: string | undefined,
  auth: BasicAuth,
  hexKeys: readonly string[],
  stored = false,
): VerifyResult {
  if (header === undefined || header.trim() === '') {
    return {
      ok: false,
      reason: 'missing_basic_auth',
      message: 'the request has no authorization header; Adyen sends Basic auth with every webhook',
      hint: 'set a user name and password on the webhook in the Adyen Customer Area',
    };
  }
  const verdict = stored ? checkStored(header.trim(), auth, hexKeys) : undefined;
  if (verdict !== undefined) return verdict;
  const match = /^\s*(\S+)\s+(\S+)\s*$/.exec(header);
  if (match?.[1]?.toLowerCase() !== 'basic') {
    return {
      ok: false,
      reason: 'basic_auth_mismatch',
      message: 'the authorization header does not use the Basic scheme',
      hint: 'Adyen sends `Authorization: Basic base64(user:password)`; a proxy may have replaced the header',
    };
  }
  if (!constantTimeEqual(credentialsDigest(match[2] ?? ''), expectedDigest(auth))) {
    return {
      ok: false,
      reason: 'basic_auth_mismatch',
      message: 'the Basic auth credentials do not match the configured ones',
      hint: MISMATCH_HINT,
    };
  }
  return { ok: true };
}
