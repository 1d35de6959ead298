import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DeadLetter } from '../../../src/contracts/dead-letter.ts';
import type { Activities } from '../../../src/orchestrator/activities/index.ts';
import { deadLetterWorkflowId, dlqReviewWorkflow } from '../../../src/orchestrator/workflows/dlq-review.ts';

const DEAD_LETTER: DeadLetter = {
  stage: 'normalizer',
  reason: 'invalid_payload',
  message: 'amount is not a number',
  errors: [{ path: 'data.object.amount', code: 'invalid_amount', message: 'expected an integer' }],
  dead_lettered_at: '2026-01-01T00:00:00.000Z',
  record: {
    id: 'rec_1',
    provider: 'stripe',
    received_at: '2026-01-01T00:00:00.000Z',
    headers: {},
    body_base64: 'e30=',
  },
};

test('a dead letter is quarantined with its reason first, then each field issue', async () => {
  const drafts: unknown[] = [];
  const acts = {
    persist_to_quarantine: async (draft: unknown) => {
      drafts.push(draft);
      return { id: 'record:rec_1:invalid_payload', duplicate: false };
    },
  } as unknown as Activities;
  const outcome = await dlqReviewWorkflow(acts, DEAD_LETTER);
  assert.deepEqual(outcome, { outcome: 'quarantined', id: 'record:rec_1:invalid_payload', duplicate: false });
  assert.deepEqual(drafts, [
    {
      stage: 'normalizer',
      provider: 'stripe',
      reasons: [
        { code: 'invalid_payload', message: 'amount is not a number' },
        { code: 'invalid_amount', message: 'data.object.amount: expected an integer' },
      ],
      event: null,
      record: DEAD_LETTER.record,
      dead_lettered_at: DEAD_LETTER.dead_lettered_at,
    },
  ]);
});

test('the workflow id of a dead letter is its record, reason and time: the record dead-lettered again is a new one', () => {
  assert.equal(deadLetterWorkflowId(DEAD_LETTER), 'dlq:rec_1:invalid_payload:2026-01-01T00:00:00.000Z');
  const again = { ...DEAD_LETTER, dead_lettered_at: '2026-01-02T00:00:00.000Z' };
  assert.notEqual(deadLetterWorkflowId(again), deadLetterWorkflowId(DEAD_LETTER));
});
