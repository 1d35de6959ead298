/**
 * Waiting out the log's own unavailability (`PAYPIPE_ERR_LOG_UNAVAILABLE`: a full disk, its writer thread
 * restarting). Meanwhile the gateway answers 503 and the providers retry; the stages that read the log must
 * not die of it, or they would take the process, gateway and all, down with them. Anything else is thrown.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { isPaypipeError } from '../contracts/errors.ts';

/** Told of each failed attempt (1-based) before the wait, e.g. to log the first of a spell. */
export type OnLogUnavailable = (error: unknown, attempt: number) => void;

/** Waits after failed attempt `attempt`: 100 ms, doubling, at most 5 s. */
const delayAfter = (attempt: number): number => Math.min(100 * 2 ** (attempt - 1), 5_000);

/**
 * `operation` until it succeeds, tried again while it fails with the log unavailable. Once `signal` aborts,
 * the wait ends and the next failure is thrown: a stopping stage leaves that work uncommitted, for the next
 * start.
 */
export async function whileLogUnavailable<T>(
  operation: () => Promise<T>,
  signal: AbortSignal,
  onRetry?: OnLogUnavailable,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      if (!isPaypipeError(error, 'PAYPIPE_ERR_LOG_UNAVAILABLE') || signal.aborted) throw error;
      onRetry?.(error, attempt);
      await sleep(delayAfter(attempt), undefined, { signal }).catch(() => {});
    }
  }
}

/** Logs an operation's first failed attempt only: an outage is one line per waiting operation, not one per try. */
export function warnOfLogUnavailable(logger: Logger, stage: string): OnLogUnavailable {
  return (error, attempt) => {
    if (attempt === 1) logger.warn({ err: error, stage }, 'event log unavailable; trying again until it is back');
  };
}
