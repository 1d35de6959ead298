import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createSemaphore } from '../../src/orchestrator/semaphore.ts';

test('no more than the limit run at once, waiters start in arrival order, failures free their slot', async () => {
  const slots = createSemaphore(2);
  let active = 0;
  let peak = 0;
  const started: number[] = [];
  const task = (id: number) =>
    slots.run(async () => {
      started.push(id);
      peak = Math.max(peak, ++active);
      await new Promise((resolve) => setTimeout(resolve, 5));
      active--;
      if (id === 0) throw new Error('boom');
      return id;
    });
  const results = await Promise.allSettled([0, 1, 2, 3, 4].map(task));
  assert.equal(peak, 2);
  assert.deepEqual(started, [0, 1, 2, 3, 4]);
  assert.equal(results.filter((r) => r.status === 'fulfilled').length, 4);
});

test('a limit below 1 is refused', () => {
  assert.throws(() => createSemaphore(0), RangeError);
});
