/**
 * DLQReviewWorkflow: a dead letter from the gateway or the normalizer is kept in the quarantine table
 * with every reason it carries, so nothing received is silently dropped. Deterministic, like every workflow.
 */
import type { DeadLetter } from '../../contracts/dead-letter.ts';
import type { Activities } from '../activities/index.ts';

export interface DlqReviewOutcome {
  readonly outcome: 'quarantined';
  /** The quarantine row's id. */
  readonly id: string;
  readonly duplicate: boolean;
}

/**
 * The workflow id of a dead letter: its raw record, reason and the time it was written, so that a redelivery
 * of the dead letter is one workflow. Its record dead-lettered again (the pipeline still refuses it after
 * `paypipe replay` re-drove it) is a new dead letter and a new workflow, which opens its re-driven row
 * again; with the quarantine key's record and reason alone, the runner took it for the first one, done, and
 * the record was then neither stored nor quarantined.
 */
export function deadLetterWorkflowId(deadLetter: DeadLetter): string {
  return `dlq:${deadLetter.record.id}:${deadLetter.reason}:${deadLetter.dead_lettered_at}`;
}

export async function dlqReviewWorkflow(acts: Activities, deadLetter: DeadLetter): Promise<DlqReviewOutcome> {
  const issues = deadLetter.errors.map((issue) => ({ code: issue.code, message: `${issue.path}: ${issue.message}` }));
  const { id, duplicate } = await acts.persist_to_quarantine({
    stage: deadLetter.stage,
    provider: deadLetter.record.provider,
    reasons: [{ code: deadLetter.reason, message: deadLetter.message }, ...issues],
    event: null,
    record: deadLetter.record,
    dead_lettered_at: deadLetter.dead_lettered_at,
  });
  return { outcome: 'quarantined', id, duplicate };
}
