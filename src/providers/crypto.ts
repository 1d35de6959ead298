/** The cryptographic primitives every signature scheme shares. */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Constant-time equality of two byte strings; different lengths compare unequal without early exit on content. */
export function constantTimeEqual(a: Buffer, b: Buffer): boolean {
  if (a.length !== b.length) return false;
  return timingSafeEqual(a, b);
}

export function hmac(algorithm: 'sha1' | 'sha256', key: string | Buffer, data: string | Buffer): Buffer {
  return createHmac(algorithm, key).update(data).digest();
}

/** True when `candidate` equals any of `expected`, every comparison done in constant time. */
export function matchesAny(candidate: Buffer, expected: readonly Buffer[]): boolean {
  let found = false;
  for (const digest of expected) found = constantTimeEqual(candidate, digest) || found;
  return found;
}
