/**
 * `paypipe_consumer_lag_records{group,topic}`: what an operator alerts on when a stage is down or stuck
 * behind a failing store or inference service, while /readyz stays ready (readiness is intake).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Registry } from 'prom-client';
import { createSqliteEventLog } from '../../src/log/sqlite.ts';
import { registerLagGauge } from '../../src/runtime/lag-gauge.ts';
import { drain } from '../log/helpers.ts';

const record = (value: string) => ({ key: 'pi_1', value: Buffer.from(value) });

test("each scrape reads every group's lag per topic from the log", async (t) => {
  const log = createSqliteEventLog(':memory:', { partitions: 2 });
  t.after(() => log.close());
  const registry = new Registry();
  registerLagGauge(registry, log);
  await log.append('webhooks.stripe.charge', [record('a'), record('b'), record('c')]);
  const consumer = log.consumer({ group: 'normalizer', topics: ['webhooks.stripe.charge'] });
  const got = await drain(consumer, 3);
  await consumer.commit(got.slice(0, 1));
  assert.match(
    await registry.metrics(),
    /^paypipe_consumer_lag_records\{group="normalizer",topic="webhooks\.stripe\.charge"\} 2$/m,
  );

  await consumer.commit(got);
  assert.match(
    await registry.metrics(),
    /^paypipe_consumer_lag_records\{group="normalizer",topic="webhooks\.stripe\.charge"\} 0$/m,
  );
});
