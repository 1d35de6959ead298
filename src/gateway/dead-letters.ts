/**
 * Writes gateway dead letters to `webhooks.dlq`. Requests that fail verification can be forged at any rate,
 * so they pass a token bucket per provider first; beyond it they are only counted. A letter costs a token
 * per started 4 KiB of its body (a typical webhook, one), so the bucket bounds the bytes kept as well as the
 * letters: counted one a letter, a flood of forged bodies at the default 1 MiB limit kept ~13 MB a second
 * per provider at the default rate, for the log's whole retention. A body larger than the bucket (ten
 * seconds' worth) is never kept, only counted. Verified requests that cannot be routed are always written:
 * they are genuine, and the provider will not send them again.
 */
import type { DeadLetter } from '../contracts/dead-letter.ts';
import { type RawRecord, toWire } from '../contracts/raw-record.ts';
import type { DeadLetterReason } from '../contracts/reasons.ts';
import { WEBHOOKS_DLQ } from '../contracts/topics.ts';
import type { EventLog } from '../log/port.ts';
import type { GatewayMetrics } from './metrics.ts';

export interface DeadLetterWriter {
  /** Appends the dead letter durably. Rejects when the log cannot take it. */
  write(record: RawRecord, reason: DeadLetterReason, message: string): Promise<void>;
  /** Appends it if the provider's rate allows; false when dropped. Never rejects: a log failure is counted. */
  writeLimited(record: RawRecord, reason: DeadLetterReason, message: string): Promise<boolean>;
}

/** A dead letter costs one token per started this many bytes of its body (an empty body costs one). */
export const DEAD_LETTER_TOKEN_BYTES = 4096;

const cost = (record: RawRecord) => Math.max(1, Math.ceil(record.body.length / DEAD_LETTER_TOKEN_BYTES));

interface Bucket {
  tokens: number;
  refilledAt: number;
}

export function createDeadLetterWriter(options: {
  readonly log: EventLog;
  readonly ratePerSecond: number;
  readonly metrics: GatewayMetrics;
  readonly now: () => number;
  readonly onError: (error: unknown) => void;
}): DeadLetterWriter {
  const { log, ratePerSecond, metrics, now } = options;
  const capacity = ratePerSecond * 10;
  const buckets = new Map<string, Bucket>();

  function take(provider: string, tokens: number): boolean {
    const at = now();
    const bucket = buckets.get(provider) ?? { tokens: capacity, refilledAt: at };
    bucket.tokens = Math.min(capacity, bucket.tokens + ((at - bucket.refilledAt) / 1000) * ratePerSecond);
    bucket.refilledAt = at;
    buckets.set(provider, bucket);
    if (bucket.tokens < tokens) return false;
    bucket.tokens -= tokens;
    return true;
  }

  async function write(record: RawRecord, reason: DeadLetterReason, message: string): Promise<void> {
    const letter: DeadLetter = {
      stage: 'gateway',
      reason,
      message,
      errors: [],
      dead_lettered_at: new Date(now()).toISOString(),
      record: toWire(record),
    };
    await log.append(WEBHOOKS_DLQ, [{ key: record.id, value: Buffer.from(JSON.stringify(letter)) }]);
  }

  return {
    write,
    async writeLimited(record, reason, message) {
      if (!take(record.provider, cost(record))) {
        metrics.deadLettersDropped.inc({ provider: record.provider });
        return false;
      }
      try {
        await write(record, reason, message);
        return true;
      } catch (error) {
        options.onError(error);
        return false;
      }
    },
  };
}
