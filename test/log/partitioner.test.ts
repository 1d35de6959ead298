import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { murmur2, partitionFor } from '../../src/log/partitioner.ts';

test("murmur2 matches Kafka's Utils.murmur2 test vectors", () => {
  // From Apache Kafka's UtilsTest.testMurmur2.
  const cases: [string, number][] = [
    ['21', -973932308],
    ['foobar', -790332482],
    ['a-little-bit-long-string', -985981536],
    ['a-little-bit-longer-string', -1486304829],
    ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
    ['abc', 479470107],
  ];
  for (const [text, hash] of cases) assert.equal(murmur2(Buffer.from(text)), hash, text);
});

test('partitionFor is stable and always inside 0..partitions-1', () => {
  fc.assert(
    fc.property(fc.string(), fc.integer({ min: 1, max: 1024 }), (key, partitions) => {
      const partition = partitionFor(key, partitions);
      return (
        Number.isInteger(partition) &&
        partition >= 0 &&
        partition < partitions &&
        partitionFor(key, partitions) === partition
      );
    }),
  );
});

test('keys spread over the partitions', () => {
  const counts = new Array(8).fill(0);
  for (let i = 0; i < 8000; i += 1) counts[partitionFor(`pi_${i}`, 8)] += 1;
  assert.ok(
    counts.every((count) => count > 800 && count < 1200),
    counts.join(','),
  );
});
