import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRecordIds } from '../../src/gateway/record-id.ts';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The Unix milliseconds of a UUIDv7. */
const msecsOf = (id: string): number => Number.parseInt(id.replaceAll('-', '').slice(0, 12), 16);

test('ids are UUIDv7 carrying the clock, version and variant', () => {
  const at = Date.parse('2026-03-01T12:00:00.123Z');
  const id = createRecordIds(() => at)();
  assert.match(id, UUID_V7);
  assert.equal(msecsOf(id), at);
});

test('ids made in one millisecond, or while the clock goes back, still sort in the order they were made', () => {
  let clock = 1_000_000;
  const next = createRecordIds(() => clock);
  const ids: string[] = [];
  for (let i = 0; i < 5000; i++) {
    if (i === 2000) clock += 1;
    if (i === 3000) clock -= 500;
    ids.push(next());
  }
  assert.deepEqual([...ids].sort(), ids);
  assert.equal(new Set(ids).size, ids.length);
  assert.ok(ids.every((id) => UUID_V7.test(id)));
});

test('ids of separate generators in the same millisecond differ (random counter seed and tail)', () => {
  const ids = new Set(Array.from({ length: 2000 }, () => createRecordIds(() => 42)()));
  assert.equal(ids.size, 2000);
});

test('the random bits are spread: every hex digit shows up in the tail', () => {
  const next = createRecordIds();
  const digits = new Set(Array.from({ length: 500 }, () => next().slice(-12)).join(''));
  assert.equal(digits.size, 16);
});
