/** The cryptographic primitives every signature scheme shares. */
import { createHmac, createSecretKey, type KeyObject, timingSafeEqual } from 'node:crypto';

/** Constant-time equality of two byte strings; different lengths compare unequal without early exit on content. */
export function constantTimeEqual(a: Buffer, b: Buffer): boolean {
  if (a.length !== b.length) return false;
  return timingSafeEqual(a, b);
}

const imported = new Map<string, KeyObject>();

/**
 * A secret as a KeyObject, imported once per distinct secret: `createHmac` given the raw key imports it on
 * every call, which cost more than the HMAC of a 2 KB body. Only configured secrets come here (never a
 * value from a request), so the map stays as small as the configuration.
 */
export function secretKey(secret: string, encoding: 'utf8' | 'hex' | 'latin1' = 'utf8'): KeyObject {
  const id = `${encoding}:${secret}`;
  let key = imported.get(id);
  if (!key) {
    key = createSecretKey(Buffer.from(secret, encoding));
    imported.set(id, key);
  }
  return key;
}

/** The HMAC of the parts, in order, as if concatenated (no copy of a large body to join them). */
export function hmac(
  algorithm: 'sha1' | 'sha256',
  key: string | Buffer | KeyObject,
  ...parts: readonly (string | Buffer)[]
): Buffer {
  const mac = createHmac(algorithm, key);
  for (const part of parts) mac.update(part);
  return mac.digest();
}

/** True when `candidate` equals any of `expected`, every comparison done in constant time. */
export function matchesAny(candidate: Buffer, expected: readonly Buffer[]): boolean {
  let found = false;
  for (const digest of expected) found = constantTimeEqual(candidate, digest) || found;
  return found;
}
