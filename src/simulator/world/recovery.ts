/**
 * Whether a declined payment would have gone through if retried at a given time: the world's recovery
 * model, which the retry truth and policy evaluation read. It depends on the decline and on timing, as
 * issuers behave: insufficient funds recover once the customer's salary lands; a generic "do not honor"
 * sometimes after a day; processing errors and issuer outages within minutes to an hour; a card reported
 * lost or stolen, expired, or one that needs the customer never recovers without the customer.
 */
import type { FailureCode } from '../../contracts/vocabulary.ts';
import { DAY, HOUR, MINUTE } from './calendar.ts';

export interface RecoveryContext {
  readonly code: FailureCode;
  /** Epoch ms of the decline. */
  readonly failedAt: number;
  /** The customer's next payday after the decline (epoch ms). */
  readonly nextPaydayAt: number;
  /** 0..1: how short of money the customer tends to run. */
  readonly fragility: number;
  /** True when a fraudster, not the cardholder, made the attempt: the issuer will keep refusing. */
  readonly fraudulent: boolean;
}

/** The probability that a retry at `retryAt` (epoch ms) succeeds. */
export function recoveryProbability(context: RecoveryContext, retryAt: number): number {
  if (context.fraudulent || retryAt <= context.failedAt) return 0;
  const wait = retryAt - context.failedAt;
  const afterPayday = retryAt >= context.nextPaydayAt;
  switch (context.code) {
    case 'insufficient_funds':
      // Before payday the account is still short; a little money trickles in over a week.
      return afterPayday ? 0.82 - 0.35 * context.fragility : 0.02 + 0.06 * Math.min(wait / (7 * DAY), 1);
    case 'do_not_honor':
      return (wait < HOUR ? 0.04 : wait < DAY ? 0.1 : 0.38) + (afterPayday ? 0.08 : 0);
    case 'try_again_later':
      return wait < 30 * MINUTE ? 0.3 : wait < DAY ? 0.78 : 0.8;
    case 'processing_error':
      return wait < 2 * MINUTE ? 0.4 : 0.86;
    case 'limit_exceeded':
      // Daily limits reset after a day; monthly ones at the turn of the pay period.
      return (wait < DAY ? 0.04 : wait < 3 * DAY ? 0.3 : 0.5) + (afterPayday ? 0.15 : 0);
    case 'suspected_fraud':
      // A genuine customer refused as suspect may call the bank; a retry without that call fails.
      return wait < DAY ? 0.01 : 0.12;
    case 'authentication_required':
      return 0.02;
    case 'incorrect_cvc':
      return 0.01;
    default:
      return 0;
  }
}

/** Candidate retry times the truth records for every failed payment, as offsets from the decline. */
export const RETRY_CANDIDATES = [
  { label: '5m', offset: 5 * MINUTE },
  { label: '1h', offset: HOUR },
  { label: '24h', offset: DAY },
  { label: '3d', offset: 3 * DAY },
  { label: '7d', offset: 7 * DAY },
] as const;
