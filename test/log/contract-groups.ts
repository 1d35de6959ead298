/** The consumer-group part of the event-log contract: members of one group share the partitions. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { drain, type HarnessFactory, opened, unique, values } from './helpers.ts';

export function registerGroupContract(setup: HarnessFactory): void {
  test('members of one group share the partitions; a leaver’s partitions go to the others', async (t) => {
    const { log } = await opened(setup, t);
    const topic = unique('share');
    const group = unique('g');
    const first = log.consumer({ group, topics: [topic] });
    const second = log.consumer({ group, topics: [topic] });
    const batch = (from: number) =>
      Array.from({ length: 100 }, (_, i) => ({ key: `pi_${i}`, value: Buffer.from(String(from + i)) }));
    await log.append(topic, batch(0));
    const got = [];
    for (const deadline = Date.now() + 10_000; got.length < 100 && Date.now() < deadline; ) {
      for (const member of [first, second]) got.push(...(await member.poll({ maxWaitMs: 50 })));
    }
    const expected = Array.from({ length: 100 }, (_, i) => String(i));
    assert.deepEqual([...new Set(values(got))].sort(), [...expected].sort());
    await first.commit(got);
    await first.close();
    await log.append(topic, batch(100));
    const later = await drain(second, 100);
    assert.deepEqual(values(later).sort(), Array.from({ length: 100 }, (_, i) => String(100 + i)).sort());
  });
}
