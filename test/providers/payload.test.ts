import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isoFromText } from '../../src/providers/payload.ts';

test('isoFromText reads RFC 3339 times with any fraction and offset as UTC', () => {
  assert.equal(isoFromText('2022-07-13T20:30:59.037339943Z'), '2022-07-13T20:30:59.037Z');
  assert.equal(isoFromText('2026-01-01T10:00:00+01:00'), '2026-01-01T09:00:00.000Z');
  assert.equal(isoFromText('2026-01-01T10:00:00.5-05:30'), '2026-01-01T15:30:00.500Z');
});

test('isoFromText refuses a time without an offset, which Date.parse would read in the host time zone', () => {
  // Otherwise the same payload normalizes to a different instant on hosts with different TZ settings.
  for (const text of ['2026-01-01T10:00:00', '2026-01-01T10:00', '2026-01-01T10:00:00.123456']) {
    assert.equal(isoFromText(text), undefined, text);
  }
});

test('isoFromText refuses a date or time that does not exist, which Date.parse rolls over into another', () => {
  // V8 reads 30 February as 2 March and 24:00 as the next day's midnight: a wrong time, not an error.
  for (const text of [
    '2026-02-30T00:00:00Z',
    '2026-04-31T12:00:00+02:00',
    '2026-01-01T24:00:00Z',
    '2025-02-29T10:00:00Z',
  ]) {
    assert.equal(isoFromText(text), undefined, text);
  }
  assert.equal(isoFromText('2028-02-29T23:30:00-01:00'), '2028-03-01T00:30:00.000Z');
});
