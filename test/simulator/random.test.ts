import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRandom } from '../../src/simulator/random.ts';

const draws = (seed: number) => {
  const random = createRandom(seed);
  return Array.from({ length: 50 }, () => random.int(0, 1_000_000));
};

test('the same seed draws the same numbers, another seed others', () => {
  assert.deepEqual(draws(42), draws(42));
  assert.notDeepEqual(draws(42), draws(43));
});

test('forks are reproducible and independent of draws made on the parent', () => {
  const a = createRandom(7);
  const b = createRandom(7);
  b.float();
  b.float();
  assert.equal(a.fork(1).float(), b.fork(1).float());
  assert.notEqual(a.fork(1).float(), a.fork(2).float());
});

test('weighted picks follow the weights and int stays within its bounds', () => {
  const random = createRandom(3);
  const counts = { a: 0, b: 0, c: 0 };
  for (let i = 0; i < 20_000; i++) counts[random.weighted({ a: 6, b: 3, c: 1 })] += 1;
  assert.ok(Math.abs(counts.a / 20_000 - 0.6) < 0.02, `a: ${counts.a}`);
  assert.ok(Math.abs(counts.c / 20_000 - 0.1) < 0.02, `c: ${counts.c}`);
  for (let i = 0; i < 1000; i++) {
    const value = random.int(5, 9);
    assert.ok(value >= 5 && value <= 9 && Number.isInteger(value));
  }
  assert.equal(random.chance(0), false);
  assert.equal(random.chance(1), true);
});
