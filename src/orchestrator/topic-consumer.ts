/**
 * The orchestrator's topic consumer: `payments.normalized` → PaymentEventWorkflow, and
 * `payments.validation.dlq` → DLQReviewWorkflow. Events of one payment run one after another, in log order,
 * so the business rules see a payment's earlier events; different payments run concurrently. A batch is
 * committed only once every workflow of it has finished; an infrastructure failure retries the batch
 * (workflows are idempotent by workflow id), so nothing is skipped.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { Counter, type Registry } from 'prom-client';
import { DeadLetter } from '../contracts/dead-letter.ts';
import { UnifiedPaymentEvent } from '../contracts/payment-event.ts';
import { PAYMENTS_NORMALIZED, PAYMENTS_VALIDATION_DLQ } from '../contracts/topics.ts';
import { PROVIDERS, type ProviderName } from '../contracts/vocabulary.ts';
import { type ConsumeLoop, runConsumeLoop } from '../log/consume-loop.ts';
import type { EventLog, LogRecord } from '../log/port.ts';
import type { Runner } from './runner.ts';

export const ORCHESTRATOR_GROUP = 'paypipe-orchestrator';

export interface OrchestratorDeps {
  readonly log: EventLog;
  readonly runner: Runner;
  readonly logger: Logger;
  readonly registry: Registry;
  /** Pause before a failed batch is tried again. */
  readonly retryDelayMs?: number;
}

function parseJson(record: LogRecord): unknown {
  try {
    return JSON.parse(record.value.toString('utf8'));
  } catch {
    return undefined;
  }
}

/** A dead letter for a log record that is not what its topic promises, so it is quarantined, not dropped. */
function unreadable(record: LogRecord, what: string): DeadLetter {
  const provider = (parseJson(record) as { provider?: string } | undefined)?.provider;
  const known: ProviderName = PROVIDERS.find((name) => name === provider) ?? 'stripe';
  return {
    stage: 'normalizer',
    reason: 'invalid_payload',
    message: `${record.topic} record is not a valid ${what}`,
    errors: [],
    dead_lettered_at: new Date(record.timestamp).toISOString(),
    record: {
      id: `${record.topic}/${record.partition}/${record.offset}`,
      provider: known,
      received_at: new Date(record.timestamp).toISOString(),
      headers: {},
      body_base64: record.value.toString('base64'),
    },
  };
}

export function startOrchestrator(deps: OrchestratorDeps): ConsumeLoop {
  const { runner, logger } = deps;
  const outcomes = new Counter({
    name: 'paypipe_workflows_total',
    help: 'Workflows finished, by workflow and outcome',
    labelNames: ['workflow', 'outcome'],
    registers: [deps.registry],
  });

  async function runInOrder(records: readonly LogRecord[]): Promise<void> {
    for (const record of records) {
      const event = UnifiedPaymentEvent.safeParse(parseJson(record));
      if (event.success) {
        const result = await runner.paymentEvent(event.data);
        outcomes.inc({ workflow: 'PaymentEventWorkflow', outcome: result.outcome });
      } else {
        await runner.dlqReview(unreadable(record, 'unified payment event'));
        outcomes.inc({ workflow: 'DLQReviewWorkflow', outcome: 'quarantined' });
      }
    }
  }

  async function review(record: LogRecord): Promise<void> {
    const letter = DeadLetter.safeParse(parseJson(record));
    await runner.dlqReview(letter.success ? letter.data : unreadable(record, 'dead letter'));
    outcomes.inc({ workflow: 'DLQReviewWorkflow', outcome: 'quarantined' });
  }

  async function handleOnce(batch: readonly LogRecord[]): Promise<void> {
    const byPayment = new Map<string, LogRecord[]>();
    const letters: LogRecord[] = [];
    for (const record of batch) {
      if (record.topic === PAYMENTS_VALIDATION_DLQ) letters.push(record);
      else byPayment.set(record.key, [...(byPayment.get(record.key) ?? []), record]);
    }
    await Promise.all([...[...byPayment.values()].map(runInOrder), ...letters.map(review)]);
  }

  async function handle(batch: readonly LogRecord[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await handleOnce(batch);
      } catch (error) {
        logger.error({ err: error, attempt, records: batch.length }, 'workflow batch failed; retrying');
        await sleep(Math.min((deps.retryDelayMs ?? 500) * attempt, 30_000));
      }
    }
  }

  const consumer = deps.log.consumer({
    group: ORCHESTRATOR_GROUP,
    topics: [PAYMENTS_NORMALIZED, PAYMENTS_VALIDATION_DLQ],
  });
  return runConsumeLoop(consumer, handle);
}
