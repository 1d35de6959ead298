import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { createGroups } from '../../src/log/group.ts';

test('each partition has exactly one owner among the members subscribed to its topic', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 32 }), (members, partitions) => {
      const groups = createGroups();
      const all = Array.from({ length: members }, () => ({ topics: ['t'] }));
      for (const member of all) groups.join('g', member);
      const owned = all.flatMap((member) => groups.owned('g', member, 't', partitions));
      assert.deepEqual(
        owned.sort((a, b) => a - b),
        Array.from({ length: partitions }, (_, i) => i),
      );
    }),
  );
});

test('leaving hands the partitions to the rest and bumps the generation', () => {
  const groups = createGroups();
  const [a, b, other] = [{ topics: ['t'] }, { topics: ['t'] }, { topics: ['u'] }];
  for (const member of [a, b, other]) groups.join('g', member);
  assert.deepEqual(groups.owned('g', a, 't', 4), [0, 2]);
  assert.deepEqual(groups.owned('g', other, 't', 4), []);
  const before = groups.generation('g');
  groups.leave('g', b);
  assert.ok(groups.generation('g') > before);
  assert.deepEqual(groups.owned('g', a, 't', 4), [0, 1, 2, 3]);
});
