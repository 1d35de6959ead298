/**
 * The supervisor of `paypipe up`'s consuming stages, on loops the tests end as they wish: a failure is logged
 * once and counted, the stage is named as down until it is started again after a pause that doubles while
 * it keeps failing, and a stop ends a pause at once.
 */
import assert from 'node:assert/strict';
import { type TestContext, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import pino from 'pino';
import { Registry } from 'prom-client';
import { PaypipeError } from '../../src/contracts/errors.ts';
import type { ConsumeLoop } from '../../src/log/consume-loop.ts';
import { createSupervisor, type SupervisorOptions } from '../../src/runtime/supervise.ts';

interface Line {
  readonly level: number;
  readonly msg: string;
  readonly stage?: string;
  readonly code?: string;
  readonly pauseMs?: number;
  readonly err?: { message: string };
}

function supervisor(options: Omit<SupervisorOptions, 'logger' | 'registry'> = {}) {
  const lines: Line[] = [];
  const registry = new Registry();
  const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
  const failures = async (stage: string) =>
    (await registry.getSingleMetric('paypipe_stage_failures_total')?.get())?.values.find(
      (value) => value.labels.stage === stage,
    )?.value ?? 0;
  return { ...createSupervisor({ logger, registry, ...options }), lines, failures };
}

/** A loop that runs until the test fails it or it is stopped. */
function controlledLoop() {
  let fail: (error: unknown) => void = () => {};
  let end: () => void = () => {};
  const done = new Promise<void>((resolve, reject) => {
    end = resolve;
    fail = reject;
  });
  const loop: ConsumeLoop = {
    done,
    async stop() {
      end();
      await done;
    },
  };
  return { loop, fail };
}

/** A stage's start function whose loops are kept, in start order, for the test to fail or inspect. */
function stage() {
  const loops: ReturnType<typeof controlledLoop>[] = [];
  return {
    loops,
    start: () => {
      const loop = controlledLoop();
      loops.push(loop);
      return loop.loop;
    },
  };
}

async function until(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!(await condition())) {
    assert.ok(Date.now() < deadline, what);
    await sleep(2);
  }
}

function stopped(t: TestContext, ...stages: { stop(): Promise<void> }[]): void {
  t.after(() => Promise.all(stages.map((each) => each.stop())));
}

test('a failed stage is logged once and counted, named as down, and started again after the pause', async (t) => {
  const supervision = supervisor({ firstPauseMs: 100 });
  const normalizer = stage();
  const orchestrator = stage();
  stopped(
    t,
    supervision.supervise('normalizer', normalizer.start),
    supervision.supervise('orchestrator', orchestrator.start),
  );
  assert.deepEqual(supervision.down(), []);
  normalizer.loops[0]?.fail(new TypeError('a bug'));
  await until(() => supervision.down().length > 0, 'named as down');
  assert.deepEqual(supervision.down(), ['normalizer']);
  assert.equal(normalizer.loops.length, 1, 'not started again before the pause');
  assert.equal(await supervision.failures('normalizer'), 1);
  assert.equal(await supervision.failures('orchestrator'), 0);
  assert.deepEqual(
    supervision.lines.map(({ level, msg, stage, code, pauseMs, err }) => ({
      level,
      msg,
      stage,
      code,
      pauseMs,
      error: err?.message,
    })),
    [
      {
        level: 50,
        msg: 'stage failed; starting it again after a pause',
        stage: 'normalizer',
        code: 'unexpected',
        pauseMs: 100,
        error: 'a bug',
      },
    ],
  );
  await until(() => normalizer.loops.length === 2, 'started again');
  assert.deepEqual(supervision.down(), []);
  assert.equal(orchestrator.loops.length, 1, 'the other stage went on');
  assert.equal(supervision.lines.length, 1);
});

test('the pause doubles while a stage keeps failing, up to the longest, and starts over after a run that lasted', async (t) => {
  const supervision = supervisor({ firstPauseMs: 5, maxPauseMs: 20, healthyAfterMs: 400 });
  const normalizer = stage();
  stopped(t, supervision.supervise('normalizer', normalizer.start));
  for (let failed = 0; failed < 5; failed++) {
    await until(() => normalizer.loops.length === failed + 1, `start ${failed + 1}`);
    normalizer.loops[failed]?.fail(new TypeError('the same bug at every start'));
  }
  await until(() => normalizer.loops.length === 6, 'start 6');
  await sleep(450);
  normalizer.loops[5]?.fail(new TypeError('a bug after a good run'));
  await until(() => normalizer.loops.length === 7, 'start 7');
  assert.deepEqual(
    supervision.lines.map((line) => line.pauseMs),
    [5, 10, 20, 20, 20, 5],
  );
  assert.equal(await supervision.failures('normalizer'), 6);
});

test('a stop during the pause ends at once, starts nothing more, and the stage is no longer named', async () => {
  const supervision = supervisor({ firstPauseMs: 60_000 });
  const normalizer = stage();
  const supervised = supervision.supervise('normalizer', normalizer.start);
  normalizer.loops[0]?.fail(new TypeError('a bug'));
  await until(() => supervision.down().length > 0, 'named as down');
  const started = Date.now();
  await supervised.stop();
  assert.ok(Date.now() - started < 1000, `stop waited ${Date.now() - started} ms for the pause`);
  assert.equal(normalizer.loops.length, 1);
  assert.deepEqual(supervision.down(), []);
});

test('a stop while running stops the loop and resolves once it has', async () => {
  const supervision = supervisor();
  const normalizer = stage();
  const supervised = supervision.supervise('normalizer', normalizer.start);
  let loopEnded = false;
  void normalizer.loops[0]?.loop.done.then(() => (loopEnded = true));
  await supervised.stop();
  assert.ok(loopEnded);
  assert.equal(normalizer.loops.length, 1);
});

test('a failure while stopping (the log down, say) is logged, not counted or started again, and the stop resolves', async () => {
  const supervision = supervisor({ firstPauseMs: 1 });
  let starts = 0;
  const supervised = supervision.supervise('orchestrator', () => {
    starts++;
    const { loop, fail } = controlledLoop();
    return {
      done: loop.done,
      async stop() {
        fail(new PaypipeError('PAYPIPE_ERR_LOG_UNAVAILABLE', 'the SQLite log could not write'));
        await loop.done;
      },
    };
  });
  await supervised.stop();
  assert.equal(starts, 1);
  assert.equal(await supervision.failures('orchestrator'), 0);
  assert.deepEqual(supervision.down(), []);
  assert.deepEqual(
    supervision.lines.map(({ level, msg, stage, code }) => ({ level, msg, stage, code })),
    [{ level: 50, msg: 'stage failed while stopping', stage: 'orchestrator', code: 'PAYPIPE_ERR_LOG_UNAVAILABLE' }],
  );
});

test('a start that throws is a failure like any other: logged with its code, then tried again', async (t) => {
  const supervision = supervisor({ firstPauseMs: 5 });
  const normalizer = stage();
  let first = true;
  stopped(
    t,
    supervision.supervise('normalizer', () => {
      if (first) {
        first = false;
        throw new PaypipeError('PAYPIPE_ERR_CONFIG', 'consumer paypipe-normalizer: no topics');
      }
      return normalizer.start();
    }),
  );
  await until(() => normalizer.loops.length === 1, 'started again');
  assert.deepEqual(
    supervision.lines.map(({ stage, code }) => ({ stage, code })),
    [{ stage: 'normalizer', code: 'PAYPIPE_ERR_CONFIG' }],
  );
});
