import assert from 'node:assert/strict';
import { isUtf8 } from 'node:buffer';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  decodeRawRecord,
  encodeRawRecord,
  type RawRecord,
  rawRecordBytes,
  toWire,
} from '../../src/contracts/raw-record.ts';

const recordOf = (body: Uint8Array, headers: Record<string, string> = { authorization: 'Basic eA==' }): RawRecord => ({
  id: '0190c1d2-0000-7000-8000-000000000000',
  provider: 'adyen',
  received_at: '2026-01-02T03:04:05.000Z',
  headers,
  body: Buffer.from(body),
});

/** Bodies that are mostly text (the providers' JSON and forms), and any bytes at all. */
const bodies = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 200 }).map((text) => new TextEncoder().encode(text)),
  fc.uint8Array({ maxLength: 512 }),
);
// Any names but `__proto__`, which zod's record drops (the gateway keeps only named headers, never that one).
const headerNames = fc.string({ unit: 'binary', maxLength: 12 }).filter((name) => name !== '__proto__');
const headerMaps = fc
  .dictionary(headerNames, fc.string({ unit: 'binary' }))
  .map((headers) => Object.fromEntries(Object.entries(headers)));

function assertSame(decoded: RawRecord, record: RawRecord): void {
  assert.ok(decoded.body.equals(record.body));
  assert.deepEqual({ ...decoded, body: null }, { ...record, body: null });
}

test('the body survives the log byte for byte, whatever the bytes and headers, from the bytes or the text', () => {
  fc.assert(
    fc.property(bodies, headerMaps, (body, headers) => {
      const record = recordOf(body, headers);
      const stored = rawRecordBytes(record);
      assertSame(decodeRawRecord(stored), record);
      assertSame(decodeRawRecord(encodeRawRecord(record)), record);
      assert.equal(encodeRawRecord(record), stored.toString('utf8'));
    }),
  );
});

test('every stored record is UTF-8; a UTF-8 body is stored as is after a one-line header (version 2)', () => {
  fc.assert(
    fc.property(bodies, headerMaps, (body, headers) => {
      const record = recordOf(body, headers);
      const stored = rawRecordBytes(record);
      assert.ok(isUtf8(stored));
      const end = stored.indexOf(0x0a);
      if (isUtf8(record.body)) {
        assert.ok(stored.subarray(end + 1).equals(record.body));
        const { body_base64: _, ...header } = toWire(record);
        assert.deepEqual(JSON.parse(stored.toString('utf8', 0, end)), header);
      } else {
        assert.equal(end, -1);
        assert.deepEqual(JSON.parse(stored.toString('utf8')), toWire(record));
      }
    }),
  );
});

test('a version 1 record (what older logs hold: JSON with the body in base64) still reads, as text or bytes', () => {
  fc.assert(
    fc.property(bodies, headerMaps, (body, headers) => {
      const record = recordOf(body, headers);
      const v1 = JSON.stringify(toWire(record));
      assertSame(decodeRawRecord(v1), record);
      assertSame(decodeRawRecord(Buffer.from(v1)), record);
    }),
  );
});

test('the body decoded from bytes is a view on them, not a copy', () => {
  const stored = rawRecordBytes(recordOf(Buffer.from('{"a":1}')));
  const decoded = decodeRawRecord(stored);
  assert.equal(decoded.body.buffer, stored.buffer);
});

test('a record that is not a raw record is refused, in either version', () => {
  assert.throws(() => decodeRawRecord('{"id":"x"}'));
  assert.throws(() => decodeRawRecord('not json'));
  assert.throws(() => decodeRawRecord(Buffer.from('not json\n{}')));
  const record = recordOf(Buffer.from('{}'));
  const wire = toWire(record);
  assert.throws(() => decodeRawRecord(JSON.stringify({ ...wire, provider: 'paypal' })));
  const [header = '', body] = encodeRawRecord(record).split('\n');
  const paypal = `${JSON.stringify({ ...JSON.parse(header), provider: 'paypal' })}\n${body}`;
  assert.throws(() => decodeRawRecord(paypal));
  assert.throws(() => decodeRawRecord(Buffer.from(paypal)));
  const extra = `${JSON.stringify({ ...JSON.parse(header), body_base64: 'e30=' })}\n${body}`;
  assert.throws(() => decodeRawRecord(extra), 'a header carries no body of its own');
});
