/**
 * What the orchestrator runs for one record of its topics, on whichever thread the runner is: a valid
 * unified event on `payments.normalized` runs PaymentEventWorkflow; anything else there, and every record
 * of `payments.validation.dlq`, runs DLQReviewWorkflow, so a record is quarantined, never dropped. On the
 * runner thread this runs on the thread's side (thread-runner.ts): the main thread hands over the record's
 * bytes and never parses, validates or clones an event object.
 */
import { DeadLetter } from '../contracts/dead-letter.ts';
import { parseUnifiedPaymentEvent } from '../contracts/payment-event.ts';
import { PAYMENTS_VALIDATION_DLQ } from '../contracts/topics.ts';
import { PROVIDERS, type ProviderName } from '../contracts/vocabulary.ts';
import type { LogRecord } from '../log/port.ts';
import type { Runner } from './runner.ts';
import { deadLetterWorkflowId } from './workflows/dlq-review.ts';
import type { PaymentEventOutcome } from './workflows/payment-event.ts';

/** What a workflow needs of a log record (plain data, so it crosses to the runner thread as it is). */
export type WorkflowRecord = Pick<LogRecord, 'topic' | 'partition' | 'offset' | 'timestamp' | 'value'>;

/** Which workflow a record ran (its workflow id) and how it ended. */
export type WorkflowDone =
  | { readonly workflow: 'PaymentEventWorkflow'; readonly id: string; readonly outcome: PaymentEventOutcome['outcome'] }
  | { readonly workflow: 'DLQReviewWorkflow'; readonly id: string; readonly outcome: 'quarantined' };

/** What the topic consumer needs of a runner: the in-process one (`recordsOf`) or the thread (thread-runner.ts). */
export interface WorkflowStarter {
  /** Resolves once the record's workflow has finished (its row committed); rejects to be tried again. */
  record(record: WorkflowRecord): Promise<WorkflowDone>;
}

function parseJson(record: WorkflowRecord): unknown {
  try {
    return JSON.parse(record.value.toString('utf8'));
  } catch {
    return undefined;
  }
}

/** A dead letter for a log record that is not what its topic promises, so it is quarantined, not dropped. */
function unreadable(record: WorkflowRecord, what: string): DeadLetter {
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

/** Runs the workflow `record` calls for on `runner`. */
export async function runRecordWorkflow(
  runner: Pick<Runner, 'paymentEvent' | 'dlqReview'>,
  record: WorkflowRecord,
): Promise<WorkflowDone> {
  if (record.topic === PAYMENTS_VALIDATION_DLQ) {
    const letter = DeadLetter.safeParse(parseJson(record));
    return review(runner, letter.success ? letter.data : unreadable(record, 'dead letter'));
  }
  const event = parseUnifiedPaymentEvent(parseJson(record));
  if (!event.success) return review(runner, unreadable(record, 'unified payment event'));
  const { outcome } = await runner.paymentEvent(event.data);
  return { workflow: 'PaymentEventWorkflow', id: event.data.event_id, outcome };
}

async function review(runner: Pick<Runner, 'dlqReview'>, letter: DeadLetter): Promise<WorkflowDone> {
  await runner.dlqReview(letter);
  return { workflow: 'DLQReviewWorkflow', id: deadLetterWorkflowId(letter), outcome: 'quarantined' };
}

/** A runner on this thread as the topic consumer's starter. */
export function recordsOf(runner: Pick<Runner, 'paymentEvent' | 'dlqReview'>): WorkflowStarter {
  return { record: (record) => runRecordWorkflow(runner, record) };
}
