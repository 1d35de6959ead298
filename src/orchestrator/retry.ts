/**
 * Calling an activity with Temporal's retry semantics, for the in-process runner: exponential backoff
 * capped at `maximumInterval`, `maximumAttempts` in all, a timeout per attempt, and errors that fail at
 * once (a `retryable: false` paypipe error, a `nonRetryable` failure, or a listed error type).
 */
import type { RetryPolicy } from './workflows/options.ts';

export type Sleep = (ms: number) => Promise<void>;

/**
 * An activity that the runner stopped retrying: its last error is the cause. `nonRetryable` says it
 * stopped because retrying cannot help (as Temporal's ApplicationFailure says), not because the attempts
 * ran out.
 */
export class ActivityFailedError extends Error {
  readonly activity: string;
  readonly attempts: number;
  readonly nonRetryable: boolean;

  constructor(activity: string, attempts: number, cause: unknown, nonRetryable: boolean) {
    super(`activity ${activity} failed after ${attempts} attempt(s): ${String((cause as Error)?.message ?? cause)}`, {
      cause,
    });
    this.name = 'ActivityFailedError';
    this.activity = activity;
    this.attempts = attempts;
    this.nonRetryable = nonRetryable;
  }
}

/** An attempt that outlived `startToCloseTimeout`; retried like any other failure. */
export class ActivityTimeoutError extends Error {
  constructor(activity: string, ms: number) {
    super(`activity ${activity} did not finish within ${ms} ms`);
    this.name = 'ActivityTimeoutError';
  }
}

export function isNonRetryable(error: unknown, policy: RetryPolicy): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { retryable, nonRetryable, name, code } = error as Record<string, unknown>;
  if (retryable === false || nonRetryable === true) return true;
  return policy.nonRetryableErrorTypes.some((type) => type === name || type === code);
}

/** The delay after failed attempt `attempt` (1-based). */
export function backoffDelay(policy: RetryPolicy, attempt: number): number {
  return Math.min(policy.initialInterval * policy.backoffCoefficient ** (attempt - 1), policy.maximumInterval);
}

async function withTimeout<T>(activity: string, ms: number, run: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ActivityTimeoutError(activity, ms)), ms);
  });
  try {
    return await Promise.race([run(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** A failed attempt that will be tried again after `delayMs`: what Temporal's UI would show of it. */
export interface ActivityRetry {
  readonly activity: string;
  readonly attempt: number;
  readonly maximumAttempts: number;
  readonly delayMs: number;
  readonly error: unknown;
}

export async function callWithRetry<T>(
  activity: string,
  run: () => Promise<T>,
  policy: RetryPolicy,
  timeoutMs: number,
  sleep: Sleep,
  onRetry?: (retry: ActivityRetry) => void,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await withTimeout(activity, timeoutMs, run);
    } catch (error) {
      const nonRetryable = isNonRetryable(error, policy);
      if (attempt >= policy.maximumAttempts || nonRetryable) {
        throw new ActivityFailedError(activity, attempt, error, nonRetryable);
      }
      const delayMs = backoffDelay(policy, attempt);
      onRetry?.({ activity, attempt, maximumAttempts: policy.maximumAttempts, delayMs, error });
      await sleep(delayMs);
    }
  }
}
