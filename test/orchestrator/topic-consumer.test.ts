/** The orchestrator's consumer: overlapping batches keep each payment's order, and commit in batch order. */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import pino from 'pino';
import { Registry } from 'prom-client';
import type { UnifiedPaymentEvent } from '../../src/contracts/payment-event.ts';
import { PAYMENTS_NORMALIZED } from '../../src/contracts/topics.ts';
import type { EventLog } from '../../src/log/port.ts';
import { createSqliteEventLog } from '../../src/log/sqlite.ts';
import { recordsOf } from '../../src/orchestrator/record-workflows.ts';
import type { Runner } from '../../src/orchestrator/runner.ts';
import { createOrchestrator, ORCHESTRATOR_GROUP } from '../../src/orchestrator/topic-consumer.ts';
import { unifiedEvent } from '../storage/events.ts';

/** A runner whose workflows wait until the test releases them, noting when each starts and ends. */
function heldRunner() {
  const notes: string[] = [];
  const gates = new Map<string, () => void>();
  const runner: Runner = {
    async paymentEvent(event: UnifiedPaymentEvent) {
      notes.push(`start ${event.event_id}`);
      await new Promise<void>((resolve) => gates.set(event.event_id, resolve));
      notes.push(`end ${event.event_id}`);
      return { outcome: 'stored', event_id: event.event_id, duplicate: false };
    },
    async dlqReview() {
      return { outcome: 'quarantined', id: 'x', duplicate: false };
    },
    execute: () => Promise.reject(new Error('not used')),
    drain: async () => {},
    inFlight: 0,
  };
  const release = (id: string) => gates.get(id)?.();
  return { runner, notes, release, started: (id: string) => notes.includes(`start ${id}`) };
}

async function until(condition: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

test('a payment waits for its events of an earlier batch; other payments and the next batch do not', async (t) => {
  const log = createSqliteEventLog(':memory:', { partitions: 1 });
  t.after(() => log.close());
  const { runner, notes, release, started } = heldRunner();
  const orchestrator = createOrchestrator({
    log,
    runner: recordsOf(runner),
    logger: pino({ level: 'silent' }),
    registry: new Registry(),
  }).start();
  const send = (id: string, payment: string) =>
    log.append(PAYMENTS_NORMALIZED, [
      { key: payment, value: Buffer.from(JSON.stringify(unifiedEvent({ event_id: id, payment_id: payment }))) },
    ]);
  const lag = async () =>
    (await log.stats()).groups.find((g) => g.group === ORCHESTRATOR_GROUP && g.topic === PAYMENTS_NORMALIZED)?.lag;

  await send('a1', 'pay_a');
  await until(() => started('a1'));
  await send('a2', 'pay_a');
  await send('b1', 'pay_b');
  // b1 came in a later batch than a1 and runs while a1 is still held; a2 must not.
  await until(() => started('b1'));
  assert.ok(!started('a2'), 'a2 started before a1 finished');
  release('b1');
  await new Promise((resolve) => setTimeout(resolve, 30));
  assert.equal(await lag(), 3, 'nothing is committed while the oldest batch is unfinished');

  release('a1');
  await until(() => started('a2'));
  assert.ok(notes.indexOf('end a1') < notes.indexOf('start a2'));
  release('a2');
  await until(async () => (await lag()) === 0);
  await orchestrator.stop();
});

test('stopping while a batch keeps failing gives it up at once: stop resolves, the batch stays uncommitted', async (t) => {
  const log = createSqliteEventLog(':memory:', { partitions: 1 });
  t.after(() => log.close());
  let attempts = 0;
  const runner: Runner = {
    async paymentEvent() {
      attempts++;
      throw new Error('store down');
    },
    dlqReview: () => Promise.reject(new Error('not used')),
    execute: () => Promise.reject(new Error('not used')),
    drain: async () => {},
    inFlight: 0,
  };
  const orchestrator = createOrchestrator({
    log,
    runner: recordsOf(runner),
    logger: pino({ level: 'silent' }),
    registry: new Registry(),
    retryDelayMs: 60_000,
  }).start();
  await log.append(PAYMENTS_NORMALIZED, [{ key: 'pay_a', value: Buffer.from(JSON.stringify(unifiedEvent())) }]);
  await until(() => attempts > 0);
  const started = Date.now();
  await orchestrator.stop();
  assert.ok(Date.now() - started < 5000, 'stop waited for the 60 s retry delay');
  const lag = (await log.stats()).groups.find((g) => g.group === ORCHESTRATOR_GROUP)?.lag;
  assert.equal(lag, 1, 'the given-up batch is not committed');
});

/** An orchestrator over an in-memory log and a held runner, with one event of `pay_a` appended. */
async function heldWorkflow(t: { after(fn: () => Promise<void>): void }, eventId: string, stopGraceMs?: number) {
  const log = createSqliteEventLog(':memory:', { partitions: 1 });
  t.after(() => log.close());
  const held = heldRunner();
  const orchestrator = createOrchestrator({
    log,
    runner: recordsOf(held.runner),
    logger: pino({ level: 'silent' }),
    registry: new Registry(),
    ...(stopGraceMs === undefined ? {} : { stopGraceMs }),
  }).start();
  await log.append(PAYMENTS_NORMALIZED, [
    { key: 'pay_a', value: Buffer.from(JSON.stringify(unifiedEvent({ event_id: eventId }))) },
  ]);
  await until(() => held.started(eventId));
  const lag = async () => (await log.stats()).groups.find((g) => g.group === ORCHESTRATOR_GROUP)?.lag;
  return { orchestrator, release: () => held.release(eventId), lag };
}

test('stopping while a workflow never finishes (an activity retried for ever) gives its batch up after the grace, uncommitted', async (t) => {
  const { orchestrator, lag } = await heldWorkflow(t, 'evt_stuck', 200);
  const stopped = orchestrator.stop().then(() => 'stopped');
  const outcome = await Promise.race([stopped, new Promise((resolve) => setTimeout(resolve, 3000, 'still waiting'))]);
  assert.equal(outcome, 'stopped', 'stop waited for a workflow that never ends');
  assert.equal(await lag(), 1, 'the given-up batch is not committed');
});

test('stopping lets a workflow in hand finish within the grace, and commits its batch', async (t) => {
  const { orchestrator, release, lag } = await heldWorkflow(t, 'evt_finishing');
  const stopped = orchestrator.stop();
  setTimeout(release, 50);
  await stopped;
  assert.equal(await lag(), 0, 'the finished workflow was given up instead of committed');
});

test("a payment's events retried after a failure are counted once each in paypipe_workflows_total", async (t) => {
  const log = createSqliteEventLog(':memory:', { partitions: 1 });
  t.after(() => log.close());
  let failures = 1;
  const runner: Runner = {
    async paymentEvent(event: UnifiedPaymentEvent) {
      if (event.event_id === 'a2' && failures-- > 0) throw new Error('store down');
      return { outcome: 'stored', event_id: event.event_id, duplicate: false };
    },
    dlqReview: () => Promise.reject(new Error('not used')),
    execute: () => Promise.reject(new Error('not used')),
    drain: async () => {},
    inFlight: 0,
  };
  const registry = new Registry();
  const orchestrator = createOrchestrator({
    log,
    runner: recordsOf(runner),
    logger: pino({ level: 'silent' }),
    registry,
    retryDelayMs: 1,
  }).start();
  const record = (id: string) => ({
    key: 'pay_a',
    value: Buffer.from(JSON.stringify(unifiedEvent({ event_id: id, payment_id: 'pay_a' }))),
  });
  await log.append(PAYMENTS_NORMALIZED, [record('a1'), record('a2')]);
  await until(async () => (await log.stats()).groups.find((g) => g.group === ORCHESTRATOR_GROUP)?.lag === 0);
  await orchestrator.stop();
  const metric = await registry.getSingleMetric('paypipe_workflows_total')?.get();
  assert.deepEqual(
    metric?.values.map(({ labels, value }) => [labels.outcome, value]),
    [['stored', 2]],
  );
});

test('started again after its loop failed, the orchestrator runs what the failed loop left uncommitted', async (t) => {
  const log = createSqliteEventLog(':memory:', { partitions: 1 });
  t.after(() => log.close());
  let failures = 1;
  const failingCommit: EventLog = {
    ...log,
    consumer(options) {
      const consumer = log.consumer(options);
      return {
        ...consumer,
        async commit(records) {
          if (failures-- > 0) throw new TypeError('a bug');
          return consumer.commit(records);
        },
      };
    },
  };
  const ran: string[] = [];
  const runner: Runner = {
    async paymentEvent(event: UnifiedPaymentEvent) {
      ran.push(event.event_id);
      return { outcome: 'stored', event_id: event.event_id, duplicate: false };
    },
    dlqReview: () => Promise.reject(new Error('not used')),
    execute: () => Promise.reject(new Error('not used')),
    drain: async () => {},
    inFlight: 0,
  };
  const orchestrator = createOrchestrator({
    log: failingCommit,
    runner: recordsOf(runner),
    logger: pino({ level: 'silent' }),
    registry: new Registry(),
  });
  await log.append(PAYMENTS_NORMALIZED, [
    { key: 'pay_a', value: Buffer.from(JSON.stringify(unifiedEvent({ event_id: 'a1', payment_id: 'pay_a' }))) },
  ]);
  await assert.rejects(orchestrator.start().done, /a bug/);
  const again = orchestrator.start();
  await until(async () => (await log.stats()).groups.find((g) => g.group === ORCHESTRATOR_GROUP)?.lag === 0);
  await again.stop();
  assert.deepEqual(ran, ['a1', 'a1'], 'the uncommitted event is delivered again to the new loop');
});

test('workflows failing alike (the store down) are logged once per 5 s spell, not once per payment and attempt', async (t) => {
  const log = createSqliteEventLog(':memory:', { partitions: 1 });
  t.after(() => log.close());
  let down = true;
  let failed = 0;
  const runner: Runner = {
    async paymentEvent(event: UnifiedPaymentEvent) {
      if (down) {
        failed += 1;
        throw new Error('DATABASE_URL: the store cannot open (connect ECONNREFUSED 127.0.0.1:5432)');
      }
      return { outcome: 'stored', event_id: event.event_id, duplicate: false };
    },
    dlqReview: () => Promise.reject(new Error('not used')),
    execute: () => Promise.reject(new Error('not used')),
    drain: async () => {},
    inFlight: 0,
  };
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()));
      done();
    },
  });
  const orchestrator = createOrchestrator({
    log,
    runner: recordsOf(runner),
    logger: pino({ level: 'info' }, stream),
    registry: new Registry(),
    retryDelayMs: 1,
  }).start();
  const payments = Array.from({ length: 20 }, (_, i) => `pay_${i}`);
  await log.append(
    PAYMENTS_NORMALIZED,
    payments.map((payment) => ({
      key: payment,
      value: Buffer.from(JSON.stringify(unifiedEvent({ event_id: payment, payment_id: payment }))),
    })),
  );
  await until(() => failed >= 60);
  down = false;
  await until(async () => (await log.stats()).groups.find((g) => g.group === ORCHESTRATOR_GROUP)?.lag === 0);
  await orchestrator.stop();
  const retrying = lines.filter((line) => line.msg === 'workflows failed; retrying');
  assert.equal(retrying.length, 1, `${failed} failures`);
  assert.match(String((retrying[0]?.err as { message?: string })?.message), /ECONNREFUSED/);
});
