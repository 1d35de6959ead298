import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import pino from 'pino';
import { createRetryLog } from '../../src/orchestrator/retry-log.ts';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()));
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

test('a failing activity is logged with its error and attempt, once per 5 s spell, counting the failures between', () => {
  const { logger, lines } = capture();
  let clock = 0;
  const log = createRetryLog(logger, () => clock);
  const retry = (activity: string, attempt: number) => ({
    activity,
    attempt,
    maximumAttempts: 10,
    delayMs: 1000,
    error: new Error(`the store's writer thread exited (${attempt})`),
  });
  log(retry('persist_to_postgres', 1));
  clock = 100;
  log(retry('persist_to_postgres', 1));
  log(retry('get_fraud_score', 1));
  clock = 4_999;
  log(retry('persist_to_postgres', 2));
  clock = 5_000;
  log(retry('persist_to_postgres', 3));
  const summary = lines.map((line) => [
    line.level,
    line.msg,
    line.activity,
    line.attempt,
    line.alsoFailedSinceLastLine,
    (line.err as { message?: string }).message,
  ]);
  assert.deepEqual(summary, [
    [40, 'activity failed; retrying', 'persist_to_postgres', 1, 0, "the store's writer thread exited (1)"],
    [40, 'activity failed; retrying', 'get_fraud_score', 1, 0, "the store's writer thread exited (1)"],
    [40, 'activity failed; retrying', 'persist_to_postgres', 3, 2, "the store's writer thread exited (3)"],
  ]);
});
