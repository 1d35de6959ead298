/**
 * Failed activity attempts that the runner will retry, as log lines: what Temporal's UI shows of a failing
 * activity, and the only sign that the store or the inference service is down until a workflow runs out
 * of attempts (minutes). In an outage every workflow in flight fails alike, so each activity gets at most
 * one line per quiet spell, counting the failures it stands for.
 */
import type { Logger } from 'pino';
import { createLogSpells } from '../runtime/log-spells.ts';
import type { ActivityRetry } from './retry.ts';

export function createRetryLog(logger: Logger, now: () => number = Date.now): (retry: ActivityRetry) => void {
  const due = createLogSpells(now);
  return ({ activity, attempt, maximumAttempts, delayMs, error }) => {
    const skipped = due(activity);
    if (skipped === null) return;
    logger.warn(
      {
        err: error,
        activity,
        attempt,
        maximumAttempts,
        retryInMs: delayMs,
        alsoFailedSinceLastLine: skipped,
      },
      'activity failed; retrying',
    );
  };
}
