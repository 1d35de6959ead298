/**
 * How workflows reach their activities. The field names are Temporal's `ActivityOptions` and `RetryPolicy`
 * (durations in milliseconds, which Temporal also accepts), so these options go to `proxyActivities` from
 * `@temporalio/workflow` unchanged (see workflows/index.ts), and the in-process runner reads the same ones.
 */

export interface RetryPolicy {
  /** Delay before the first retry. */
  readonly initialInterval: number;
  /** Each delay is the previous one times this. */
  readonly backoffCoefficient: number;
  /** Delays stop growing here. */
  readonly maximumInterval: number;
  /** Attempts in all, the first included. */
  readonly maximumAttempts: number;
  /** Error names (or paypipe error codes) that fail at once. */
  readonly nonRetryableErrorTypes: string[];
}

export interface ActivityOptions {
  readonly startToCloseTimeout: number;
  readonly retry: RetryPolicy;
}

/** Turns activity options into callable activities: Temporal's `proxyActivities`, or the runner's. */
export type ActivityProxy = <A extends object>(options: ActivityOptions) => A;

export const ACTIVITY_OPTIONS: ActivityOptions = {
  startToCloseTimeout: 30_000,
  retry: {
    initialInterval: 1_000,
    backoffCoefficient: 2,
    maximumInterval: 60_000,
    maximumAttempts: 10,
    // A malformed value will be malformed again. (Not TypeError: fetch reports network failures with it.)
    nonRetryableErrorTypes: ['ZodError'],
  },
};
