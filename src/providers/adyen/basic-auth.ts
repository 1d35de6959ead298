/**
 * The Basic auth half of Adyen's verification: Adyen sends the user name and password configured on the
 * webhook in the Customer Area with every request.
 */
import { hash } from 'node:crypto';
import type { BasicAuth } from '../../config/config.ts';
import { constantTimeEqual } from '../crypto.ts';
import type { VerifyResult } from '../provider.ts';

const MISMATCH_HINT =
  'compare PAYPIPE_ADYEN_BASIC_AUTH with the user name and password set on this webhook in the Adyen Customer Area';

export function basicAuthHeader(auth: BasicAuth): string {
  return `Basic ${Buffer.from(`${auth.username}:${auth.password}`, 'utf8').toString('base64')}`;
}

/** SHA-256 first, so the comparison is constant time whatever the credentials' lengths. */
function digest(text: string | Buffer): Buffer {
  return hash('sha256', text, 'buffer');
}

// Every request carries the same credentials, digested by both storedHeaders and verify: the last few
// digests are kept. Looked up by the Map's hash, never compared as text, so timing tells nothing.
const recent = new Map<string, Buffer>();

function credentialsDigest(base64: string): Buffer {
  let known = recent.get(base64);
  if (!known) {
    if (recent.size >= 8) recent.clear();
    known = digest(Buffer.from(base64, 'base64'));
    recent.set(base64, known);
  }
  return known;
}

const expectedDigests = new WeakMap<BasicAuth, Buffer>();

function expectedDigest(auth: BasicAuth): Buffer {
  let known = expectedDigests.get(auth);
  if (!known) {
    known = digest(`${auth.username}:${auth.password}`);
    expectedDigests.set(auth, known);
  }
  return known;
}

const STORED = /^sha256:([0-9a-f]{64})$/;

/**
 * The authorization header as a raw record keeps it: `sha256:<hex>` of the credentials, never the
 * credentials themselves. A header that is not Basic auth is kept as received: it holds no credential
 * paypipe knows, and verification will refuse it either way.
 */
export function storedAuthorization(header: string): string {
  const match = /^\s*basic\s+(\S+)\s*$/i.exec(header);
  if (!match) return header;
  return `sha256:${credentialsDigest(match[1] ?? '').toString('hex')}`;
}

/**
 * `{ ok: true }` when the header carries exactly the configured credentials, or, for a stored request
 * only, their digest as `storedAuthorization` wrote it.
 */
export function checkBasicAuth(header: string | undefined, auth: BasicAuth, stored = false): VerifyResult {
  if (header === undefined || header.trim() === '') {
    return {
      ok: false,
      reason: 'missing_basic_auth',
      message: 'the request has no authorization header; Adyen sends Basic auth with every webhook',
      hint: 'set a user name and password on the webhook in the Adyen Customer Area',
    };
  }
  const expected = expectedDigest(auth);
  const storedDigest = stored ? STORED.exec(header.trim())?.[1] : undefined;
  if (storedDigest !== undefined) {
    return constantTimeEqual(Buffer.from(storedDigest, 'hex'), expected)
      ? { ok: true }
      : {
          ok: false,
          reason: 'basic_auth_mismatch',
          message: 'the stored Basic auth digest does not match the configured credentials',
          hint: MISMATCH_HINT,
        };
  }
  const match = /^\s*(\S+)\s+(\S+)\s*$/.exec(header);
  if (match?.[1]?.toLowerCase() !== 'basic') {
    return {
      ok: false,
      reason: 'basic_auth_mismatch',
      message: 'the authorization header does not use the Basic scheme',
      hint: 'Adyen sends `Authorization: Basic base64(user:password)`; a proxy may have replaced the header',
    };
  }
  const given = credentialsDigest(match[2] ?? '');
  if (!constantTimeEqual(given, expected)) {
    return {
      ok: false,
      reason: 'basic_auth_mismatch',
      message: 'the Basic auth credentials do not match the configured ones',
      hint: MISMATCH_HINT,
    };
  }
  return { ok: true };
}
