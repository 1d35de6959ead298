import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isPaypipeError } from '../../src/contracts/errors.ts';
import { createEventLog } from '../../src/log/index.ts';

test('sqlite: URLs open the SQLite log', async () => {
  const log = createEventLog('sqlite::memory:', { partitions: 2 });
  const [position] = await log.append('payments.normalized', [{ key: 'pi_1', value: Buffer.from('{}') }]);
  assert.deepEqual(position, { topic: 'payments.normalized', partition: position?.partition, offset: 0n });
  assert.deepEqual(
    (await log.stats()).topics.map((topic) => [topic.topic, topic.partitions, topic.records]),
    [['payments.normalized', 2, 1]],
  );
  await log.close();
});

test('an unknown scheme, or a kafka URL before its adapter exists, is PAYPIPE_ERR_CONFIG', () => {
  for (const url of ['kafka://localhost:9092', 'mysql://x', 'log.db', '']) {
    assert.throws(
      () => createEventLog(url),
      (error) => isPaypipeError(error, 'PAYPIPE_ERR_CONFIG') && error.message.includes('PAYPIPE_LOG_URL'),
      url,
    );
  }
});

test('a refused log URL is named by its scheme only: brokers take credentials in the URL', () => {
  assert.throws(
    () => createEventLog('kafka://paypipe:s3cret@broker:9092'),
    (error) =>
      isPaypipeError(error, 'PAYPIPE_ERR_CONFIG') &&
      error.message.includes('kafka') &&
      !error.message.includes('s3cret'),
  );
});

test('invalid partition settings are PAYPIPE_ERR_CONFIG', () => {
  for (const partitions of [0, 1.5, 5000, { '*': 0 }]) {
    assert.throws(
      () => createEventLog('sqlite::memory:', { partitions }),
      (error) => isPaypipeError(error, 'PAYPIPE_ERR_CONFIG'),
    );
  }
});
