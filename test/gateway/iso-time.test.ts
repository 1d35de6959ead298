import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { createIsoTime } from '../../src/gateway/iso-time.ts';

test('the text is exactly toISOString, across minutes, years and the four-digit boundary', () => {
  const iso = createIsoTime();
  const instant = fc.oneof(
    fc.integer({ min: 0, max: 253_402_300_799_999 }),
    fc.integer({ min: 1_700_000_000_000, max: 1_700_000_200_000 }),
    fc.constantFrom(0, 59_999, 60_000, 253_402_300_799_999, 253_402_300_800_000, -1, 1.5),
  );
  fc.assert(
    fc.property(fc.array(instant, { minLength: 1, maxLength: 20 }), (instants) => {
      for (const ms of instants) assert.equal(iso(ms), new Date(ms).toISOString());
    }),
  );
});
