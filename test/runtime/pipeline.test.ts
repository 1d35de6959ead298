/**
 * `paypipe up` when a consuming stage fails with something other than the log's own unavailability (a bug,
 * say): the gateway keeps answering, the failure is logged once and counted, /readyz names the stage while
 * it is down, and the stage is started again from its group's committed offsets, so nothing is lost.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Config } from '../../src/config/config.ts';
import type { EventLog } from '../../src/log/port.ts';
import { NORMALIZER_GROUP } from '../../src/normalizer/normalizer.ts';
import { createProviderRegistry } from '../../src/providers/registry.ts';
import { openEventLog } from '../../src/runtime/event-log.ts';
import { createLogger } from '../../src/runtime/logger.ts';
import { startPipeline } from '../../src/runtime/pipeline.ts';
import { fixtureNamed } from '../../src/simulator/fixtures.ts';
import { dataFolder } from '../helpers/e2e-pipeline.ts';
import { observe, readTables } from '../helpers/e2e-store.ts';
import { testConfig } from '../helpers/test-config.ts';

/** The log, with the normalizer's first commit failing as a bug would (not as the log being unavailable). */
function failingOnce(log: EventLog): EventLog {
  let failures = 1;
  return {
    ...log,
    consumer(options) {
      const consumer = log.consumer(options);
      if (options.group !== NORMALIZER_GROUP) return consumer;
      return {
        ...consumer,
        async commit(records) {
          if (failures-- > 0) throw new TypeError('a bug in the stage');
          return consumer.commit(records);
        },
      };
    },
  };
}

/** One Stripe payment_intent.succeeded, signed now with the configured secret, posted to paypipe: its status. */
async function sendPaymentSucceeded(config: Config, url: string): Promise<number> {
  const fixture = fixtureNamed('stripe', 'payment_intent.succeeded');
  assert.ok(fixture);
  const signed = createProviderRegistry(config.providers).stripe.sign(fixture.payload, { timestamp: new Date() });
  const answer = await fetch(`${url}/webhooks/stripe`, { method: 'POST', headers: signed.headers, body: signed.body });
  return answer.status;
}

test('a stage that fails is logged, counted, named by /readyz (still ready) and started again, and its records are stored', async (t) => {
  const config = testConfig({ PAYPIPE_DATA_DIR: dataFolder(t), PORT: '0' });
  const lines: { level: number; msg: string; stage?: string; code?: string }[] = [];
  const logger = createLogger('info', { write: (line: string) => lines.push(JSON.parse(line)) });
  const pipeline = await startPipeline(config, logger, { log: failingOnce(openEventLog(config)) });
  t.after(() => pipeline.stop());

  assert.equal(await sendPaymentSucceeded(config, pipeline.url), 200);

  // The normalizer's offsets are committed only by the loop started again after the failure.
  const observer = await observe(config.logUrl, config.databaseUrl);
  t.after(() => observer.close());
  const normalizerLag = async () =>
    (await observer.status()).log.groups
      .filter((group) => group.group === NORMALIZER_GROUP)
      .reduce((sum, group) => sum + group.lag, 0);
  const readiness = new Set<string>();
  const deadline = Date.now() + 15_000;
  while ((await normalizerLag()) > 0 || readTables(join(config.dataDir, 'paypipe.db')).events.length === 0) {
    assert.ok(Date.now() < deadline, 'the failed stage did not come back');
    const ready = await fetch(`${pipeline.url}/readyz`);
    readiness.add(`${ready.status} ${await ready.text()}`);
    await sleep(20);
  }
  assert.ok(readiness.has('200 {"status":"ready","stagesDown":["normalizer"]}'), [...readiness].join('\n'));
  assert.equal(await (await fetch(`${pipeline.url}/readyz`)).text(), '{"status":"ready"}');
  assert.equal(readTables(join(config.dataDir, 'paypipe.db')).events.length, 1, 'stored once, though normalized twice');
  const metrics = await (await fetch(`${pipeline.url}/metrics`)).text();
  assert.match(metrics, /^paypipe_stage_failures_total\{stage="normalizer"\} 1$/m);
  assert.doesNotMatch(metrics, /^paypipe_stage_failures_total\{stage="orchestrator"\}/m);
  const errors = lines.filter((line) => line.level >= 50);
  assert.deepEqual(
    errors.map(({ msg, stage, code }) => ({ msg, stage, code })),
    [{ msg: 'stage failed; starting it again after a pause', stage: 'normalizer', code: 'unexpected' }],
  );
});

test('workflows stuck retrying show as consumer lag, and a stop gives them their 5 s and then gives them up, not 5 s more for the runner', async (t) => {
  // An inference service that never answers right: the event's workflow retries get_fraud_score until stopped.
  let asked = 0;
  const refusing = createServer((_request, response) => {
    asked += 1;
    response.writeHead(503, { 'content-type': 'application/json' }).end('{"error":"unavailable"}');
  });
  await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => refusing.close(() => resolve())));
  const { port } = refusing.address() as AddressInfo;
  const config = testConfig({
    PAYPIPE_DATA_DIR: dataFolder(t),
    PORT: '0',
    INFERENCE_URL: `http://127.0.0.1:${port}`,
    PAYPIPE_LOG_LEVEL: 'silent',
  });
  const pipeline = await startPipeline(config, createLogger('silent'));
  let stopped = false;
  t.after(() => (stopped ? undefined : pipeline.stop()));

  assert.equal(await sendPaymentSucceeded(config, pipeline.url), 200);
  const deadline = Date.now() + 15_000;
  while (asked === 0) {
    assert.ok(Date.now() < deadline, 'the workflow never asked the inference service');
    await sleep(20);
  }

  // Ready all the while (intake), the stuck stage shows as lag: what an operator alerts on.
  assert.equal((await fetch(`${pipeline.url}/readyz`)).status, 200);
  assert.match(
    await (await fetch(`${pipeline.url}/metrics`)).text(),
    /^paypipe_consumer_lag_records\{group="[a-z-]+",topic="payments\.normalized"\} 1$/m,
  );

  const started = performance.now();
  await pipeline.stop();
  stopped = true;
  const took = performance.now() - started;
  // README: the workflows in hand get 5 s; closing the store and the log after that takes well under 2 s.
  assert.ok(took >= 4_500 && took < 7_000, `stopped in ${Math.round(took)} ms`);
  assert.equal(readTables(join(config.dataDir, 'paypipe.db')).events.length, 0, 'the event waits in the log');
});
