/**
 * The raw record: what the gateway appends to a raw topic (and to `webhooks.dlq`). The body is kept as
 * the exact bytes received, never re-serialized, so anyone can re-verify, replay and re-normalize it.
 *
 * In the log (version 2): one line of JSON holding everything but the body, a newline, then the body's
 * bytes as received. JSON.stringify never writes a raw newline, so the first one ends the header. A body
 * that is not valid UTF-8 is written as version 1 instead, so every stored record is UTF-8 text.
 * Version 1, what logs written before held and what dead letters embed (`RawRecordWire`): one JSON object
 * with the body in base64, a third larger and encoded and decoded on both sides.
 */
import { isUtf8 } from 'node:buffer';
import { z } from 'zod';
import { ProviderName } from './vocabulary.ts';

export interface RawRecord {
  /** The gateway's record id (UUIDv7: unique and time-ordered). */
  readonly id: string;
  readonly provider: ProviderName;
  /** When the gateway received the request, ISO 8601 UTC. */
  readonly received_at: string;
  /** The headers needed to verify the request again, names lower-cased. */
  readonly headers: Readonly<Record<string, string>>;
  /** The request body, byte for byte. */
  readonly body: Buffer;
}

export const RawRecordWire = z
  .object({
    id: z.string().min(1),
    provider: ProviderName,
    received_at: z.iso.datetime({ offset: false }),
    headers: z.record(z.string(), z.string()),
    body_base64: z.base64(),
  })
  .strict();
export type RawRecordWire = z.infer<typeof RawRecordWire>;

/** Version 2's first line: the wire object without the body. */
const RawRecordHeader = RawRecordWire.omit({ body_base64: true });

export function toWire(record: RawRecord): RawRecordWire {
  return {
    id: record.id,
    provider: record.provider,
    received_at: record.received_at,
    headers: { ...record.headers },
    body_base64: record.body.toString('base64'),
  };
}

export function fromWire(wire: RawRecordWire): RawRecord {
  const { body_base64, ...rest } = wire;
  return { ...rest, body: Buffer.from(body_base64, 'base64') };
}

const NEWLINE = 0x0a;

/**
 * The record as the log stores it (version 2; version 1 for a body that is not UTF-8). The header is
 * written out rather than built as an object for JSON.stringify: the gateway's hot path copies nothing.
 */
export function rawRecordBytes(record: RawRecord): Buffer {
  if (!isUtf8(record.body)) return Buffer.from(JSON.stringify(toWire(record)));
  const header =
    `{"id":${JSON.stringify(record.id)},"provider":${JSON.stringify(record.provider)},` +
    `"received_at":${JSON.stringify(record.received_at)},"headers":${JSON.stringify(record.headers)}}\n`;
  const headerBytes = Buffer.byteLength(header);
  const bytes = Buffer.allocUnsafe(headerBytes + record.body.length);
  bytes.write(header, 0);
  record.body.copy(bytes, headerBytes);
  return bytes;
}

/** The stored record as text: valid UTF-8 whatever the body, so the text and the bytes say the same. */
export function encodeRawRecord(record: RawRecord): string {
  return rawRecordBytes(record).toString('utf8');
}

/**
 * Reads a stored record of either version, from its bytes (the body is then a view on them, not a copy)
 * or from its UTF-8 text. Throws a ZodError or a SyntaxError when it is not a raw record.
 */
export function decodeRawRecord(stored: string | Uint8Array): RawRecord {
  if (typeof stored === 'string') {
    const end = stored.indexOf('\n');
    if (end < 0) return fromWire(RawRecordWire.parse(JSON.parse(stored)));
    const header = RawRecordHeader.parse(JSON.parse(stored.slice(0, end)));
    return { ...header, body: Buffer.from(stored.slice(end + 1), 'utf8') };
  }
  const bytes = Buffer.from(stored.buffer, stored.byteOffset, stored.byteLength);
  const end = bytes.indexOf(NEWLINE);
  if (end < 0) return fromWire(RawRecordWire.parse(JSON.parse(bytes.toString('utf8'))));
  const header = RawRecordHeader.parse(JSON.parse(bytes.toString('utf8', 0, end)));
  return { ...header, body: bytes.subarray(end + 1) };
}
