/**
 * Never acknowledge and then lose (DESIGN.md §5): a child running `paypipe up` is SIGKILLed twice while
 * the simulator streams signed webhooks at it, and restarted on the same data folder and port. Every
 * webhook answered 2xx before a kill must be stored exactly once; those that failed on the connection are
 * resent after the restart, as a provider would, and must then be stored exactly once too.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PROVIDERS } from '../../src/contracts/vocabulary.ts';
import type { PlannedDelivery } from '../../src/simulator/plan.ts';
import { createSigners, prepareRequest } from '../../src/simulator/requests.ts';
import { type DeliveryResult, sendDeliveries } from '../../src/simulator/sender.ts';
import { plannedDeliveries, planOptions } from '../../src/simulator/simulate.ts';
import { type ChildPipeline, dataFolder, freePort, startChildPipeline } from '../helpers/e2e-pipeline.ts';
import { observe, readTables } from '../helpers/e2e-store.ts';
import { testConfig } from '../helpers/test-config.ts';

const COUNT = 700;
const RATE = 100;
/**
 * The stream is sent in three phases; the pipeline is killed when a phase has had this many deliveries
 * acknowledged (early in the stream, then later), while the phase's sender keeps going. Waiting for the
 * restart between phases keeps the kills mid-stream however slowly a loaded machine restarts the child.
 */
const PHASES = [250, 250, COUNT - 500];
const KILL_AFTER = [100, 100];

const acknowledged = (result: DeliveryResult) => result.status >= 200 && result.status < 300;

async function kill(child: ChildPipeline): Promise<void> {
  child.process.kill('SIGKILL');
  assert.equal(await child.exited, 'SIGKILL');
}

/** Records logged but not yet committed by every stage: acknowledged work the kill interrupted. */
async function unfinished(dir: string): Promise<number> {
  const config = testConfig({ PAYPIPE_DATA_DIR: dir });
  const observer = await observe(config.logUrl, config.databaseUrl);
  try {
    const status = await observer.status();
    return status.log.groups.reduce((sum, group) => sum + group.lag, 0);
  } finally {
    await observer.close();
  }
}

test('webhooks acknowledged before a SIGKILL are stored exactly once after restarts', {
  timeout: 90_000,
}, async (t) => {
  const dir = dataFolder(t);
  const port = await freePort();
  const target = `http://127.0.0.1:${port}`;
  const signers = createSigners(testConfig().providers);
  const plan = planOptions({
    seed: 7,
    rate: RATE,
    count: COUNT,
    providers: PROVIDERS,
    forgeryRate: 0,
    // Events an hour old, so no timestamp lies in the future of a delayed resend.
    startAt: new Date(Date.now() - 3_600_000),
  });
  const planned = new Map<number, PlannedDelivery>();
  let child = await startChildPipeline(dir, port);
  t.after(() => child.process.kill('SIGKILL'));

  const kills: number[] = [];
  const interrupted: number[] = [];
  const all = [...plannedDeliveries(plan)];
  const results: DeliveryResult[] = [];
  for (const [phase, size] of PHASES.entries()) {
    const start = PHASES.slice(0, phase).reduce((sum, n) => sum + n, 0);
    const first = all[start]?.sendAt ?? 0;
    const killAfter = KILL_AFTER[phase];
    let acks = 0;
    let crashing = Promise.resolve();
    const sent = await sendDeliveries(
      all.slice(start, start + size).map((delivery) => ({ ...delivery, sendAt: delivery.sendAt - first })),
      (delivery) => {
        planned.set(delivery.seq, delivery);
        return prepareRequest(signers, delivery, new Date());
      },
      {
        target,
        concurrency: 16,
        timeoutMs: 5_000,
        onResult(result) {
          if (!acknowledged(result)) return;
          acks += 1;
          if (acks !== killAfter) return;
          kills.push(phase);
          // Killed mid-stream: requests in flight fail on their connection, the sender keeps going.
          crashing = (async () => {
            await kill(child);
            interrupted.push(await unfinished(dir));
            child = await startChildPipeline(dir, port);
          })();
        },
      },
    );
    await crashing;
    results.push(...sent.filter((result) => result !== undefined));
  }
  assert.deepEqual(kills, [0, 1], 'both kills happened while sending');
  // The kills must have cut into acknowledged work, or the test would prove nothing about recovery.
  assert.ok(
    interrupted.some((lag) => lag > 0),
    `no kill left logged webhooks unprocessed: ${interrupted}`,
  );
  const refused = results.filter((result) => !acknowledged(result));
  assert.ok(refused.length > 0, 'the kills cut some requests off');
  assert.ok(
    refused.every((result) => result.status === 0 || result.status === 503),
    JSON.stringify(refused[0]),
  );

  // A provider retries what it got no 2xx for; Stripe re-signs each attempt.
  const retried = await sendDeliveries(
    refused.map((result) => ({ ...(planned.get(result.seq) as PlannedDelivery), sendAt: 0 })),
    (delivery) => prepareRequest(signers, delivery, new Date()),
    { target, concurrency: 16, timeoutMs: 5_000 },
  );
  assert.ok(retried.every(acknowledged), 'every resend is acknowledged');

  const config = testConfig({ PAYPIPE_DATA_DIR: dir });
  const observer = await observe(config.logUrl, config.databaseUrl);
  await observer.drained(30_000);
  await observer.close();
  const tables = readTables(`${dir}/paypipe.db`);

  const stored = [...tables.events.map((row) => row.event_id), ...tables.quarantine.map((row) => row.event_id)];
  const counts = new Map<string, number>();
  for (const id of stored) if (id !== null) counts.set(id, (counts.get(id) ?? 0) + 1);
  const twice = [...counts].filter(([, count]) => count > 1);
  assert.deepEqual(twice, [], 'no event stored twice');

  const expected = new Set([...results, ...retried].flatMap((result) => result.eventIds));
  const missing = [...expected].filter((id) => !counts.has(id));
  assert.deepEqual(missing, [], 'every acknowledged webhook is stored');
  assert.equal(counts.size, expected.size, 'nothing stored that was not sent');
  assert.ok(expected.size > COUNT / 2, `only ${expected.size} events expected`);

  child.process.kill('SIGTERM');
  assert.equal(await child.exited, 0, 'a clean stop after the crashes');
});
