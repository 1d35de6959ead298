/** Dead letters: the raw record, a stable reason code and a human message (DESIGN.md §3). */
import { z } from 'zod';
import { RawRecordWire } from './raw-record.ts';
import { DeadLetterReason, ValidationIssue } from './reasons.ts';

export const DeadLetterStage = z.enum(['gateway', 'normalizer']);
export type DeadLetterStage = z.infer<typeof DeadLetterStage>;

export const DeadLetter = z
  .object({
    stage: DeadLetterStage,
    reason: DeadLetterReason,
    message: z.string(),
    errors: z.array(ValidationIssue).describe('Field-level issues, for `invalid_payload`.'),
    dead_lettered_at: z.iso.datetime({ offset: false }),
    record: RawRecordWire,
  })
  .strict();
export type DeadLetter = z.infer<typeof DeadLetter>;
