/**
 * The simulator against the real gateway on a real port: what the gateway acknowledges is exactly what the
 * simulator says, and the expected event ids are exactly what normalizing the logged raw records gives.
 */
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import pino from 'pino';
import { Registry } from 'prom-client';
import { decodeRawRecord } from '../../src/contracts/raw-record.ts';
import { RAW_TOPICS } from '../../src/contracts/topics.ts';
import { PROVIDERS } from '../../src/contracts/vocabulary.ts';
import { createGateway } from '../../src/gateway/app.ts';
import { createEventLog } from '../../src/log/index.ts';
import type { LogRecord } from '../../src/log/port.ts';
import { simulate } from '../../src/simulator/simulate.ts';
import { config, registry } from './helpers.ts';

test('every genuine delivery is acknowledged and logged, every forgery refused', async (t) => {
  const log = createEventLog('sqlite::memory:');
  const app = createGateway({
    providers: registry,
    log,
    config: { ...config.gateway, deadLetterRatePerSecond: 1000 },
    logger: pino({ level: 'silent' }),
    registry: new Registry(),
  });
  t.after(async () => {
    await app.close();
    await log.close();
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;

  const { deliveries, summary } = await simulate({
    seed: 21,
    rate: 500,
    count: 300,
    forgeryRate: 0.05,
    redeliveryRate: 0.05,
    target: `http://127.0.0.1:${port}`,
    config: config.providers,
  });
  const forged = deliveries.filter((delivery) => delivery.forged);
  assert.ok(forged.length > 3);
  assert.deepEqual(new Set(forged.map((delivery) => delivery.status)), new Set([401]));
  const genuine = deliveries.filter((delivery) => !delivery.forged);
  assert.deepEqual(new Set(genuine.map((delivery) => delivery.status)), new Set([200]));

  const consumer = log.consumer({ group: 'simulator-test', topics: PROVIDERS.flatMap((name) => RAW_TOPICS[name]) });
  const records: LogRecord[] = [];
  for (
    let batch = await consumer.poll({ maxWaitMs: 0 });
    batch.length > 0;
    batch = await consumer.poll({ maxWaitMs: 0 })
  ) {
    records.push(...batch);
  }
  await consumer.close();
  assert.equal(records.length, genuine.length);
  const logged = new Set<string>();
  for (const record of records) {
    const raw = decodeRawRecord(record.value.toString());
    const result = registry[raw.provider].normalize(raw);
    assert.equal(result.kind, 'events');
    if (result.kind === 'events') for (const event of result.events) logged.add(event.event_id);
  }
  const expected = new Set(genuine.flatMap((delivery) => delivery.eventIds));
  assert.deepEqual(logged, expected);
  assert.equal(summary.expectedStoredEvents, expected.size);
});
