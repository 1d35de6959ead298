/**
 * Byte values handed to a worker thread in one transferred buffer instead of cloned one by one. A clone of
 * a small Buffer copies the whole ArrayBuffer behind it, and Node cuts small Buffers out of a shared pool:
 * posting eight 1.6 KB records cost ~10 µs per record cloned, ~3 µs packed and transferred (2026-11-26).
 */

/** Where value `i` lies in the packed bytes: `[ends[i - 1] ?? 0, ends[i])`. */
export interface PackedBytes {
  readonly bytes: Uint8Array<ArrayBuffer>;
  readonly ends: Uint32Array<ArrayBuffer>;
}

export function packBytes(values: readonly Uint8Array[]): PackedBytes {
  let size = 0;
  for (const value of values) size += value.byteLength;
  const bytes = new Uint8Array(size);
  const ends = new Uint32Array(values.length);
  let at = 0;
  for (const [i, value] of values.entries()) {
    bytes.set(value, at);
    at += value.byteLength;
    ends[i] = at;
  }
  return { bytes, ends };
}

/** Value `i` of `packed` as a Buffer viewing the packed bytes (no copy). */
export function unpackedValue(packed: PackedBytes, i: number): Buffer {
  const start = i === 0 ? 0 : (packed.ends[i - 1] as number);
  const { bytes } = packed;
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, (packed.ends[i] as number) - start);
}

/** The buffers to list as transferred when posting `packed`. */
export const transferOf = (packed: PackedBytes): ArrayBuffer[] => [packed.bytes.buffer, packed.ends.buffer];
