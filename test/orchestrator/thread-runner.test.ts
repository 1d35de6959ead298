/** The runner on its own thread: same outcomes as in-process, stored means committed, errors come back. */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { type AddressInfo, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { test } from 'node:test';
import { isPaypipeError } from '../../src/contracts/errors.ts';
import type { UnifiedPaymentEvent } from '../../src/contracts/payment-event.ts';
import { PAYMENTS_NORMALIZED, PAYMENTS_VALIDATION_DLQ } from '../../src/contracts/topics.ts';
import type { WorkflowRecord } from '../../src/orchestrator/record-workflows.ts';
import { createThreadRunner } from '../../src/orchestrator/thread-runner.ts';
import { unifiedEvent } from '../storage/events.ts';

const LOGGED_AT = '2026-01-02T03:04:05.000Z';

/** An event as the orchestrator reads it from payments.normalized. */
const recordOf = (event: UnifiedPaymentEvent | string, offset = 0): WorkflowRecord => ({
  topic: PAYMENTS_NORMALIZED,
  partition: 0,
  offset: BigInt(offset),
  timestamp: Date.parse(LOGGED_AT),
  value: Buffer.from(typeof event === 'string' ? event : JSON.stringify(event)),
});

test('a payment event runs on the thread: stored once (committed when it resolves), then a duplicate', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'paypipe-thread-runner-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const path = join(dir, 'paypipe.db');
  const runner = await createThreadRunner({ databaseUrl: `sqlite:${path}`, concurrency: 8 });
  t.after(() => runner.close());
  const event = unifiedEvent({ event_id: 'stripe:evt_thread' });
  const first = await runner.record(recordOf(event));
  assert.equal(first.outcome, 'stored');
  const db = new DatabaseSync(path, { readOnly: true });
  t.after(() => db.close());
  const row = db.prepare('SELECT fraud_score FROM payment_events WHERE event_id = ?').get('stripe:evt_thread');
  assert.equal(typeof row?.fraud_score, 'number', 'stored and scored before the promise resolved');
  await runner.close();
  const again = await createThreadRunner({ databaseUrl: `sqlite:${path}`, concurrency: 8 });
  t.after(() => again.close());
  assert.deepEqual(await again.record(recordOf(event)), {
    workflow: 'PaymentEventWorkflow',
    id: 'stripe:evt_thread',
    outcome: 'duplicate',
  });
});

test('a store that cannot be opened rejects the start with its paypipe error; a closed runner refuses work', async () => {
  await assert.rejects(createThreadRunner({ databaseUrl: 'mysql://u:secret@h/db', concurrency: 1 }), (error) =>
    isPaypipeError(error, 'PAYPIPE_ERR_CONFIG'),
  );
  const runner = await createThreadRunner({ databaseUrl: 'sqlite::memory:', concurrency: 1 });
  await runner.close();
  await runner.close();
  await assert.rejects(runner.record(recordOf(unifiedEvent())));
});

test('close waits for a workflow stuck in an activity at most the grace period, then ends the thread', async (t) => {
  // An inference service that accepts connections and never answers: scoring retries with backoff.
  const sockets = new Set<Socket>();
  const silent = createServer((socket) => sockets.add(socket));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    for (const socket of sockets) socket.destroy();
    silent.close();
  });
  const { port } = silent.address() as AddressInfo;
  const runner = await createThreadRunner({
    databaseUrl: 'sqlite::memory:',
    concurrency: 1,
    inferenceUrl: `http://127.0.0.1:${port}`,
    closeGraceMs: 300,
  });
  const stuck = runner.record(recordOf(unifiedEvent()));
  stuck.catch(() => {});
  while (sockets.size === 0) await new Promise((resolve) => setTimeout(resolve, 10));
  const started = Date.now();
  await runner.close();
  assert.ok(Date.now() - started < 3000, `close took ${Date.now() - started} ms`);
  await assert.rejects(stuck, 'the cut-off workflow fails rather than hanging');
});

test('records handed over in one turn cross together, and each caller gets its own workflow back', async (t) => {
  const runner = await createThreadRunner({ databaseUrl: 'sqlite::memory:', concurrency: 16 });
  t.after(() => runner.close());
  const events = Array.from({ length: 200 }, (_, i) => unifiedEvent({ event_id: `stripe:evt_batch_${i}` }));
  // One event twice (one workflow, both callers told its outcome), and records that are no event at all.
  const records = [
    ...events.map((event, i) => recordOf(event, i)),
    recordOf(events[7] as UnifiedPaymentEvent, 7),
    recordOf('not json', 300),
    { ...recordOf('{"stage":"normalizer"}', 301), topic: PAYMENTS_VALIDATION_DLQ },
  ];
  const done = await Promise.all(records.map((record) => runner.record(record)));
  assert.deepEqual(
    done.map(({ workflow, id, outcome }) => `${workflow} ${id} ${outcome}`),
    [
      ...[...events, events[7] as UnifiedPaymentEvent].map((event) => `PaymentEventWorkflow ${event.event_id} stored`),
      // A record that is no dead letter stands for one written when the log took it.
      `DLQReviewWorkflow dlq:${PAYMENTS_NORMALIZED}/0/300:invalid_payload:${LOGGED_AT} quarantined`,
      `DLQReviewWorkflow dlq:${PAYMENTS_VALIDATION_DLQ}/0/301:invalid_payload:${LOGGED_AT} quarantined`,
    ],
  );
});

test('a runner thread that dies fails the workflows it held; the next request starts a new thread', async (t) => {
  const script = new URL('./dying-runner-worker.ts', import.meta.url);
  const runner = await createThreadRunner({ databaseUrl: 'sqlite::memory:', concurrency: 1, script });
  t.after(() => runner.close());
  const first = (await runner.record(recordOf('evt_a'))) as unknown as { id: string; thread: number };
  assert.equal(first.id, 'evt_a');
  await assert.rejects(runner.record(recordOf('die')), /the runner thread exited \(9\)/);
  await assert.rejects(runner.record(recordOf('evt_too_soon')), /exited \(9\)/, 'restarted at once');
  await new Promise((resolve) => setTimeout(resolve, 1_100));
  const after = (await runner.record(recordOf('evt_b'))) as unknown as { id: string; thread: number };
  assert.equal(after.id, 'evt_b');
  assert.notEqual(after.thread, first.thread, 'answered by a new thread');
});
