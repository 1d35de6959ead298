/**
 * Provider-shaped identifiers derived from the seed and the world's own ids by hashing, so that they are
 * reproducible, unique in practice, and independent of the order in which random numbers are drawn.
 */
import { createHash } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const UPPER = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

export type Alphabet = 'base62' | 'upper' | 'hex' | 'digits';

const ALPHABETS: Readonly<Record<Exclude<Alphabet, 'hex'>, string>> = {
  base62: BASE62,
  upper: UPPER,
  digits: '0123456789',
};

/** `length` characters of `alphabet`, a pure function of the seed and the parts. */
export function token(seed: number, parts: readonly (string | number)[], length: number, alphabet: Alphabet): string {
  const key = JSON.stringify([seed, ...parts]);
  if (alphabet === 'hex') return createHash('sha256').update(key).digest('hex').slice(0, length);
  const chars = ALPHABETS[alphabet];
  let out = '';
  // Two digest bytes per character keep the modulo bias negligible; one more block per 16 characters.
  for (let block = 0; out.length < length; block++) {
    const digest = createHash('sha256').update(key).update(String(block)).digest();
    for (let at = 0; at < digest.length && out.length < length; at += 2) {
      out += chars[digest.readUInt16BE(at) % chars.length];
    }
  }
  return out;
}

/** A UUID-shaped token (version 4 layout), as Square uses for event ids. */
export function uuidToken(seed: number, parts: readonly (string | number)[]): string {
  const hex = token(seed, parts, 32, 'hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
