import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { decodeRawRecord, encodeRawRecord, type RawRecord, toWire } from '../../src/contracts/raw-record.ts';

test('the body survives the wire byte for byte, whatever the bytes', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 512 }), (bytes) => {
      const record: RawRecord = {
        id: '0190c1d2-0000-7000-8000-000000000000',
        provider: 'adyen',
        received_at: '2026-01-02T03:04:05.000Z',
        headers: { authorization: 'Basic eA==' },
        body: Buffer.from(bytes),
      };
      const decoded = decodeRawRecord(encodeRawRecord(record));
      assert.ok(decoded.body.equals(record.body));
      assert.deepEqual({ ...decoded, body: null }, { ...record, body: null });
    }),
  );
});

test('the wire text is exactly the JSON of the wire object, whatever the strings', () => {
  const text = fc.string({ unit: 'binary', maxLength: 20 });
  fc.assert(
    fc.property(text, text, fc.dictionary(text, text), fc.uint8Array({ maxLength: 64 }), (id, at, headers, bytes) => {
      const record: RawRecord = { id, provider: 'braintree', received_at: at, headers, body: Buffer.from(bytes) };
      assert.equal(encodeRawRecord(record), JSON.stringify(toWire(record)));
    }),
  );
});

test('a record that is not a raw record is refused', () => {
  assert.throws(() => decodeRawRecord('{"id":"x"}'));
  assert.throws(() => decodeRawRecord('not json'));
  const wire = JSON.parse(
    encodeRawRecord({
      id: 'x',
      provider: 'stripe',
      received_at: '2026-01-02T03:04:05.000Z',
      headers: {},
      body: Buffer.from('{}'),
    }),
  );
  assert.throws(() => decodeRawRecord(JSON.stringify({ ...wire, provider: 'paypal' })));
});
