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

/** The workflow id of a dead letter: one per raw record and reason, like its quarantine key. */
export function deadLetterWorkflowId(deadLetter: DeadLetter): string {
  return `dlq:${deadLetter.record.id}:${deadLetter.reason}`;
}

export async function dlqReviewWorkflow(acts: Activities, deadLetter: DeadLetter): Promise<DlqReviewOutcome> {
  const issues = deadLetter.errors.map((issue) => ({ code: issue.code, message: `${issue.path}: ${issue.message}` }));
  const { id, duplicate } = await acts.persist_to_quarantine({
    stage: deadLetter.stage,
    provider: deadLetter.record.provider,
    reasons: [{ code: deadLetter.reason, message: deadLetter.message }, ...issues],
    event: null,
    record: deadLetter.record,
  });
  return { outcome: 'quarantined', id, duplicate };
}
