/**
 * The event-log contract: every adapter (SQLite now, Kafka later) runs these same tests through
 * `eventLogContract(name, setup)`. Topics and groups are unique per test, so a shared broker works too.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isPaypipeError } from '../../src/contracts/errors.ts';
import { partitionFor } from '../../src/log/partitioner.ts';
import { registerGroupContract } from './contract-groups.ts';
import { byKey, drain, type HarnessFactory, opened, unique, values } from './helpers.ts';

export type { HarnessFactory, LogHarness } from './helpers.ts';

const record = (key: string, value: string) => ({ key, value: Buffer.from(value) });

export function eventLogContract(name: string, setup: HarnessFactory): void {
  describe(`event log contract: ${name}`, () => {
    test('records of one key are consumed in append order, on the key’s murmur2 partition', async (t) => {
      const { harness, log } = await opened(setup, t);
      const topic = unique('order');
      const keys = Array.from({ length: 10 }, (_, i) => `pi_${i}`);
      for (let round = 0; round < 20; round += 1) {
        await log.append(
          topic,
          keys.map((key) => record(key, `${key}:${round}`)),
        );
      }
      const consumer = log.consumer({ group: unique('g'), topics: [topic] });
      const received = await drain(consumer, 200);
      assert.equal(received.length, 200);
      for (const [key, list] of byKey(received)) {
        assert.deepEqual(
          values(list),
          Array.from({ length: 20 }, (_, round) => `${key}:${round}`),
        );
        assert.ok(list.every((item) => item.partition === partitionFor(key, harness.partitions)));
      }
    });

    test('append answers where each record landed: distinct, consecutive offsets per partition', async (t) => {
      const { log } = await opened(setup, t);
      const topic = unique('positions');
      const first = await log.append(topic, [record('a', '1'), record('a', '2'), record('b', '3')]);
      const again = await log.append(topic, [record('a', '4')]);
      assert.equal(first.length, 3);
      assert.ok(first.every((position) => position.topic === topic));
      assert.equal(first[1]?.partition, first[0]?.partition);
      assert.equal(again[0]?.partition, first[0]?.partition);
      assert.equal(first[1]?.offset, (first[0]?.offset ?? -9n) + 1n);
      assert.ok((again[0]?.offset ?? -1n) > (first[1]?.offset ?? 0n));
      const ids = [...first, ...again].map((position) => `${position.partition}/${position.offset}`);
      assert.equal(new Set(ids).size, 4);
      assert.deepEqual(await log.append(topic, []), []);
    });

    test('bytes, headers and timestamp come back exactly', async (t) => {
      const { log } = await opened(setup, t);
      const topic = unique('bytes');
      const value = Buffer.from([0, 255, 1, 254, 0x7b, 0]);
      const before = Date.now();
      await log.append(topic, [{ key: 'ключ', value, headers: { 'stripe-signature': 't=1,v1=ab' } }]);
      const [got] = await drain(log.consumer({ group: unique('g'), topics: [topic] }), 1);
      assert.ok(got);
      assert.deepEqual([got.key, got.value, got.headers], ['ключ', value, { 'stripe-signature': 't=1,v1=ab' }]);
      assert.ok(got.timestamp >= before - 1000 && got.timestamp <= Date.now() + 1000);
    });

    test('two groups each get every record', async (t) => {
      const { log } = await opened(setup, t);
      const topic = unique('fanout');
      await log.append(
        topic,
        Array.from({ length: 50 }, (_, i) => record(`k${i % 7}`, String(i))),
      );
      const one = await drain(log.consumer({ group: unique('one'), topics: [topic] }), 50);
      const two = await drain(log.consumer({ group: unique('two'), topics: [topic] }), 50);
      const all = Array.from({ length: 50 }, (_, i) => String(i));
      assert.deepEqual(values(one).sort(), [...all].sort());
      assert.deepEqual(values(two).sort(), [...all].sort());
    });

    test('after a commit and a restart, the group resumes right after the commit', async (t) => {
      const { log, open } = await opened(setup, t);
      const topic = unique('resume');
      const group = unique('g');
      await log.append(
        topic,
        Array.from({ length: 10 }, (_, i) => record('pi_1', String(i))),
      );
      const consumer = log.consumer({ group, topics: [topic] });
      const got = await drain(consumer, 10);
      await consumer.commit(got.slice(0, 6));
      await consumer.commit(got.slice(0, 2)); // never moves the group backwards
      await log.close();
      const reopened = await open();
      const rest = await drain(reopened.consumer({ group, topics: [topic] }), 4);
      assert.deepEqual(values(rest), ['6', '7', '8', '9']);
    });

    test('records delivered but not committed are delivered again after a restart', async (t) => {
      const { log, open } = await opened(setup, t);
      const topic = unique('redeliver');
      const group = unique('g');
      await log.append(topic, [record('a', 'x'), record('b', 'y'), record('c', 'z')]);
      assert.equal((await drain(log.consumer({ group, topics: [topic] }), 3)).length, 3);
      await log.close();
      const again = await drain((await open()).consumer({ group, topics: [topic] }), 3);
      assert.deepEqual(values(again).sort(), ['x', 'y', 'z']);
    });

    test('2,000 concurrent appends are all durable, each at its own offset', async (t) => {
      const { log, open } = await opened(setup, t);
      const topic = unique('concurrent');
      const positions = await Promise.all(
        Array.from({ length: 2000 }, (_, i) => log.append(topic, [record(`key-${i % 97}`, String(i))])),
      );
      const ids = new Set(positions.map(([position]) => `${position?.partition}/${position?.offset}`));
      assert.equal(ids.size, 2000);
      await log.close();
      const got = await drain((await open()).consumer({ group: unique('g'), topics: [topic] }), 2000, 10_000);
      assert.equal(new Set(values(got)).size, 2000);
    });

    test('a waiting consumer wakes on append, not at the next poll interval', async (t) => {
      const { log } = await opened(setup, t);
      const topic = unique('wake');
      const consumer = log.consumer({ group: unique('g'), topics: [topic] });
      await consumer.poll({ maxWaitMs: 0 });
      const started = Date.now();
      const waiting = consumer.poll({ maxWaitMs: 20_000 });
      setTimeout(() => void log.append(topic, [record('a', 'now')]), 50);
      assert.deepEqual(values(await waiting), ['now']);
      assert.ok(Date.now() - started < 5000, `woke after ${Date.now() - started} ms`);
    });

    test('scan reads every kept record of a topic without joining a group', async (t) => {
      const { log } = await opened(setup, t);
      const topic = unique('scan');
      const appended = Array.from({ length: 2_500 }, (_, i) => record(`k${i % 13}`, String(i)));
      await log.append(topic, appended);
      const scanned: string[] = [];
      for await (const item of log.scan(topic)) scanned.push(item.value.toString());
      assert.deepEqual(scanned.sort(), appended.map((item) => item.value.toString()).sort());
      const stats = await log.stats();
      assert.ok(!stats.groups.some((item) => item.topic === topic), 'a scan leaves no group behind');
    });

    test('stats count records per topic and lag per group', async (t) => {
      const { log } = await opened(setup, t);
      const topic = unique('stats');
      const group = unique('g');
      await log.append(
        topic,
        Array.from({ length: 5 }, (_, i) => record('pi', String(i))),
      );
      const consumer = log.consumer({ group, topics: [topic] });
      const got = await drain(consumer, 5);
      await consumer.commit(got.slice(0, 2));
      const stats = await log.stats();
      const topicStats = stats.topics.find((item) => item.topic === topic);
      assert.deepEqual(topicStats && { records: topicStats.records, appended: topicStats.appended }, {
        records: 5,
        appended: 5,
      });
      assert.equal(stats.groups.find((item) => item.group === group && item.topic === topic)?.lag, 3);
    });

    test("lags give each group's lag per topic as stats do, without counting the records", async (t) => {
      const { log } = await opened(setup, t);
      const topic = unique('lags');
      const [behind, done] = [unique('behind'), unique('done')];
      await log.append(
        topic,
        Array.from({ length: 6 }, (_, i) => record(`pi_${i % 3}`, String(i))),
      );
      const slow = log.consumer({ group: behind, topics: [topic] });
      await slow.commit((await drain(slow, 6)).slice(0, 1));
      const fast = log.consumer({ group: done, topics: [topic] });
      await fast.commit(await drain(fast, 6));
      const lags = (await log.lags()).filter((item) => item.topic === topic);
      assert.deepEqual(
        lags.map(({ group, lag }) => ({ group, lag })).sort((a, b) => a.group.localeCompare(b.group)),
        [
          { group: behind, lag: 5 },
          { group: done, lag: 0 },
        ].sort((a, b) => a.group.localeCompare(b.group)),
      );
      const stats = (await log.stats()).groups.filter((item) => item.topic === topic);
      assert.deepEqual(
        lags.map(({ group, lag }) => `${group} ${lag}`).sort(),
        stats.map(({ group, lag }) => `${group} ${lag}`).sort(),
      );
    });

    test('close ends pending polls and iteration; later appends are refused as unavailable, later polls as closed', async (t) => {
      const { log } = await opened(setup, t);
      const topic = unique('close');
      const consumer = log.consumer({ group: unique('g'), topics: [topic] });
      const pending = consumer.poll({ maxWaitMs: 30_000 });
      const iteration = (async () => {
        for await (const _ of log.consumer({ group: unique('g'), topics: [topic] })) return 'got a batch';
        return 'ended';
      })();
      await log.close();
      assert.deepEqual(await pending, []);
      assert.equal(await iteration, 'ended');
      await log.close();
      await assert.rejects(log.append(topic, [record('a', 'late')]), (error) =>
        isPaypipeError(error, 'PAYPIPE_ERR_LOG_UNAVAILABLE'),
      );
      // Answered at once with nothing, a poll after the close would keep a polling loop spinning.
      await assert.rejects(consumer.poll({ maxWaitMs: 0 }), (error) => isPaypipeError(error, 'PAYPIPE_ERR_LOG_CLOSED'));
    });

    test('a poll on a consumer that has left its group is refused with PAYPIPE_ERR_LOG_CLOSED', async (t) => {
      const { log } = await opened(setup, t);
      const consumer = log.consumer({ group: unique('g'), topics: [unique('left')] });
      await consumer.close();
      await assert.rejects(consumer.poll({ maxWaitMs: 0 }), (error) => isPaypipeError(error, 'PAYPIPE_ERR_LOG_CLOSED'));
    });

    test('bad input is refused with PAYPIPE_ERR_CONFIG, never a crash', async (t) => {
      const { log } = await opened(setup, t);
      const config = (error: unknown) => isPaypipeError(error, 'PAYPIPE_ERR_CONFIG');
      await assert.rejects(log.append('bad topic!', [record('a', 'x')]), config);
      await assert.rejects(log.append(unique('t'), [{ key: 'a', value: 'text' as unknown as Buffer }]), config);
      await assert.rejects(log.append(unique('t'), [{ key: 1 as unknown as string, value: Buffer.from('x') }]), config);
      const consumer = log.consumer({ group: unique('g'), topics: [unique('t')] });
      await assert.rejects(consumer.commit([{ topic: 'x', partition: -1, offset: 0n }]), config);
      assert.throws(() => log.consumer({ group: '', topics: [unique('t')] }), config);
      assert.throws(() => log.consumer({ group: unique('g'), topics: [] }), config);
    });

    registerGroupContract(setup);
  });
}
