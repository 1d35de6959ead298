/**
 * The normalizer stage (DESIGN.md §5): raw topics → `payments.normalized` | `payments.validation.dlq`.
 * A pure provider function does the work; this file only moves records, and commits a batch's offsets
 * after its outputs are durably appended. While the log is unavailable (a full disk) it waits, and goes on
 * once the log is back.
 */
import type { Logger } from 'pino';
import { Counter, type Registry } from 'prom-client';
import type { DeadLetter } from '../contracts/dead-letter.ts';
import { decodeRawRecord, type RawRecord, toWire } from '../contracts/raw-record.ts';
import type { ValidationIssue } from '../contracts/reasons.ts';
import { PAYMENTS_NORMALIZED, PAYMENTS_VALIDATION_DLQ, RAW_TOPICS } from '../contracts/topics.ts';
import type { ProviderName } from '../contracts/vocabulary.ts';
import { type ConsumeLoop, runConsumeLoop } from '../log/consume-loop.ts';
import type { AppendRecord, EventLog, LogRecord } from '../log/port.ts';
import { warnOfLogUnavailable, whileLogUnavailable } from '../log/retry.ts';
import type { ProviderRegistry } from '../providers/registry.ts';
import { countLabels } from '../runtime/count-labels.ts';

export interface NormalizerDeps {
  readonly log: EventLog;
  readonly providers: ProviderRegistry;
  readonly serve: readonly ProviderName[];
  readonly logger: Logger;
  readonly registry: Registry;
  readonly now?: () => number;
}

export const NORMALIZER_GROUP = 'paypipe-normalizer';

/**
 * Batches handled at once: the next batch is normalized while the previous one's outputs wait for their
 * group commit's fsync, instead of every record waiting for one more fsync per batch ahead of it. Order
 * holds across batches: `handle` appends synchronously, before its first await, so batches reach the log's
 * writer in poll order, and the writer keeps that order within each partition.
 */
const BATCHES_IN_FLIGHT = 4;

/** The topic's provider, for a record whose own provider field cannot be read. */
function providerOfTopic(topic: string): ProviderName {
  const entry = Object.entries(RAW_TOPICS).find(([, topics]) => (topics as readonly string[]).includes(topic));
  return (entry?.[0] ?? 'stripe') as ProviderName;
}

function deadLetter(record: RawRecord, message: string, errors: readonly ValidationIssue[], now: number): AppendRecord {
  const letter: DeadLetter = {
    stage: 'normalizer',
    reason: 'invalid_payload',
    message,
    errors: [...errors],
    dead_lettered_at: new Date(now).toISOString(),
    record: toWire(record),
  };
  return { key: record.id, value: Buffer.from(JSON.stringify(letter)) };
}

export interface Normalizer {
  /** Joins the group with a new consumer, which resumes at its committed offsets, and runs the loop. */
  start(): ConsumeLoop;
}

/** The stage, started by `start` (again after a failure: src/runtime/supervise.ts); its metrics are made once. */
export function createNormalizer(deps: NormalizerDeps): Normalizer {
  const now = deps.now ?? Date.now;
  const outcomes = new Counter({
    name: 'paypipe_normalizer_records_total',
    help: 'Raw records normalized, by provider and outcome (events, unsupported, invalid, failed)',
    labelNames: ['provider', 'outcome'],
    registers: [deps.registry],
  });

  const onLogUnavailable = warnOfLogUnavailable(deps.logger, 'normalizer');

  function decode(record: LogRecord): RawRecord | undefined {
    try {
      // From the bytes: the body is then a view on them, not decoded to text and encoded back.
      return decodeRawRecord(record.value);
    } catch {
      return undefined;
    }
  }

  async function handle(batch: readonly LogRecord[], signal: AbortSignal): Promise<void> {
    const events: AppendRecord[] = [];
    const invalid: AppendRecord[] = [];
    const counted: { provider: ProviderName; outcome: string }[] = [];
    for (const logRecord of batch) {
      const raw = decode(logRecord);
      if (!raw) {
        const provider = providerOfTopic(logRecord.topic);
        const id = `${logRecord.topic}/${logRecord.partition}/${logRecord.offset}`;
        const stand: RawRecord = {
          id,
          provider,
          received_at: new Date(logRecord.timestamp).toISOString(),
          headers: {},
          body: logRecord.value,
        };
        invalid.push(deadLetter(stand, 'the log record is not a raw record', [], now()));
        counted.push({ provider, outcome: 'invalid' });
        continue;
      }
      let result: ReturnType<ProviderRegistry[ProviderName]['normalize']>;
      try {
        result = deps.providers[raw.provider].normalize(raw);
      } catch (error) {
        // A bug, not the payload's fault; but thrown, it would stop the stage on this record at every start.
        // Dead-lettered, the rest goes on, and `paypipe replay` normalizes it again once the bug is fixed.
        deps.logger.error({ err: error, provider: raw.provider, recordId: raw.id }, 'normalizer failed');
        invalid.push(
          deadLetter(raw, `the normalizer failed: ${(error as Error)?.message ?? String(error)}`, [], now()),
        );
        counted.push({ provider: raw.provider, outcome: 'failed' });
        continue;
      }
      counted.push({ provider: raw.provider, outcome: result.kind });
      if (result.kind === 'events') {
        for (const event of result.events) {
          events.push({
            key: event.payment_id,
            value: Buffer.from(JSON.stringify(event)),
            headers: { event_id: event.event_id },
          });
        }
      } else if (result.kind === 'invalid') {
        const summary = result.errors.map((issue) => `${issue.path}: ${issue.code}`).join('; ');
        invalid.push(deadLetter(raw, `payload cannot be normalized: ${summary}`, result.errors, now()));
      } else {
        deps.logger.debug({ provider: raw.provider, type: result.providerEventType }, 'unsupported event skipped');
      }
    }
    countLabels(outcomes, counted);
    // Appended together, so both topics' records go into the same group commit (one fsync, not two). Each
    // is tried again on its own while the log is unavailable: a retry never appends the other one twice.
    const outputs: [string, AppendRecord[]][] = [
      [PAYMENTS_NORMALIZED, events],
      [PAYMENTS_VALIDATION_DLQ, invalid],
    ];
    await Promise.all(
      outputs
        .filter(([, records]) => records.length > 0)
        .map(([topic, records]) =>
          whileLogUnavailable(() => deps.log.append(topic, records), signal, onLogUnavailable),
        ),
    );
  }

  const topics = deps.serve.flatMap((provider) => RAW_TOPICS[provider]);
  return {
    start: () =>
      runConsumeLoop(deps.log.consumer({ group: NORMALIZER_GROUP, topics }), handle, {
        inFlight: BATCHES_IN_FLIGHT,
        onLogUnavailable,
      }),
  };
}
