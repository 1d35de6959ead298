/**
 * Failed activity attempts that the runner will retry, as log lines: what Temporal's UI shows of a failing
 * activity, and the only sign that the store or the inference service is down until a workflow runs out
 * of attempts (minutes). In an outage every workflow in flight fails alike, so each activity gets at most
 * one line per quiet spell, counting the failures it stands for.
 */
import type { Logger } from 'pino';
import type { ActivityRetry } from './retry.ts';

const SPELL_MS = 5_000;

export function createRetryLog(logger: Logger, now: () => number = Date.now): (retry: ActivityRetry) => void {
  const last = new Map<string, { readonly at: number; suppressed: number }>();
  return ({ activity, attempt, maximumAttempts, delayMs, error }) => {
    const at = now();
    const seen = last.get(activity);
    if (seen !== undefined && at - seen.at < SPELL_MS) {
      seen.suppressed += 1;
      return;
    }
    last.set(activity, { at, suppressed: 0 });
    logger.warn(
      {
        err: error,
        activity,
        attempt,
        maximumAttempts,
        retryInMs: delayMs,
        alsoFailedSinceLastLine: seen?.suppressed ?? 0,
      },
      'activity failed; retrying',
    );
  };
}
