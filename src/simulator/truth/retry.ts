/** Retry outcomes at any time, from a retry truth record: the same recovery model the world drew from. */
import { recoveryProbability } from '../world/recovery.ts';
import type { RetryTruth } from './types.ts';

export interface RetryOutcome {
  readonly probability: number;
  readonly succeeds: boolean;
}

/** What a retry of the declined payment at `at` would have done. */
export function retryOutcomeAt(record: RetryTruth, at: Date): RetryOutcome {
  const probability = recoveryProbability(
    {
      code: record.failure_code,
      failedAt: Date.parse(record.failed_at),
      nextPaydayAt: Date.parse(record.next_payday_at),
      fragility: record.fragility,
      fraudulent: record.fraudulent,
    },
    at.getTime(),
  );
  return { probability, succeeds: record.draw < probability };
}
