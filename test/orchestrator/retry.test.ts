import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PaypipeError } from '../../src/contracts/errors.ts';
import {
  ActivityFailedError,
  ActivityTimeoutError,
  backoffDelay,
  callWithRetry,
  isNonRetryable,
} from '../../src/orchestrator/retry.ts';
import type { RetryPolicy } from '../../src/orchestrator/workflows/options.ts';

const POLICY: RetryPolicy = {
  initialInterval: 10,
  backoffCoefficient: 2,
  maximumInterval: 50,
  maximumAttempts: 5,
  nonRetryableErrorTypes: ['ZodError'],
};

test('backoff doubles from the initial interval and stops growing at the maximum', () => {
  assert.deepEqual(
    [1, 2, 3, 4, 5].map((attempt) => backoffDelay(POLICY, attempt)),
    [10, 20, 40, 50, 50],
  );
});

test('non-retryable: paypipe errors marked so, Temporal-style nonRetryable, listed types', () => {
  assert.equal(isNonRetryable(new PaypipeError('PAYPIPE_ERR_CONFIG', 'x'), POLICY), true);
  assert.equal(isNonRetryable(new PaypipeError('PAYPIPE_ERR_STORE_UNAVAILABLE', 'x'), POLICY), false);
  assert.equal(isNonRetryable(Object.assign(new Error('x'), { nonRetryable: true }), POLICY), true);
  assert.equal(isNonRetryable(Object.assign(new Error('x'), { name: 'ZodError' }), POLICY), true);
  assert.equal(isNonRetryable(new Error('x'), POLICY), false);
  assert.equal(isNonRetryable('a string', POLICY), false);
});

test('a failing-then-succeeding call is retried after growing delays', async () => {
  const delays: number[] = [];
  let calls = 0;
  const result = await callWithRetry(
    'act',
    async () => {
      if (++calls < 4) throw new Error('flaky');
      return 'ok';
    },
    POLICY,
    1_000,
    async (ms) => void delays.push(ms),
  );
  assert.equal(result, 'ok');
  assert.deepEqual(delays, [10, 20, 40]);
});

test('attempts run out, or a non-retryable error fails at once', async () => {
  let calls = 0;
  const failing = async () => {
    calls++;
    throw new Error('down');
  };
  await assert.rejects(
    callWithRetry('act', failing, POLICY, 1_000, async () => {}),
    (error) => {
      assert.ok(error instanceof ActivityFailedError);
      assert.equal(error.attempts, 5);
      return true;
    },
  );
  assert.equal(calls, 5);
  const permanent = async () => {
    throw new PaypipeError('PAYPIPE_ERR_CONFIG', 'bad');
  };
  await assert.rejects(
    callWithRetry('act', permanent, POLICY, 1_000, async () => {}),
    { attempts: 1 },
  );
});

test('an attempt that outlives the timeout counts as a failure and is retried', async () => {
  let calls = 0;
  const result = await callWithRetry(
    'slow',
    () => (++calls === 1 ? new Promise<string>(() => {}) : Promise.resolve('second')),
    POLICY,
    20,
    async () => {},
  );
  assert.equal(result, 'second');
  const never = () => new Promise<never>(() => {});
  await assert.rejects(
    callWithRetry('slow', never, { ...POLICY, maximumAttempts: 1 }, 5, async () => {}),
    (error) => {
      assert.ok(error instanceof ActivityFailedError && error.cause instanceof ActivityTimeoutError);
      return true;
    },
  );
});

test('every failed attempt that will be retried is reported (activity, attempt, delay, error); the last is not', async () => {
  const reported: string[] = [];
  let calls = 0;
  await assert.rejects(
    callWithRetry(
      'persist_to_postgres',
      async () => {
        calls += 1;
        throw new Error(`store down ${calls}`);
      },
      { ...POLICY, maximumAttempts: 3 },
      1_000,
      async () => {},
      (retry) =>
        reported.push(
          `${retry.activity} ${retry.attempt}/${retry.maximumAttempts} in ${retry.delayMs} ms: ${(retry.error as Error).message}`,
        ),
    ),
    ActivityFailedError,
  );
  assert.deepEqual(reported, [
    'persist_to_postgres 1/3 in 10 ms: store down 1',
    'persist_to_postgres 2/3 in 20 ms: store down 2',
  ]);
});
