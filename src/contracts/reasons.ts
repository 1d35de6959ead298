/**
 * Stable reason codes. A reason code never changes meaning once released: dashboards, alerts and
 * `paypipe replay --reason` select on them.
 */
import { z } from 'zod';

/** Why a webhook failed verification. */
export const VERIFY_FAILURE_REASONS = [
  'no_secret_configured',
  'missing_signature_header',
  'malformed_signature_header',
  'timestamp_outside_tolerance',
  'no_matching_signature',
  'missing_item_signature',
  'missing_basic_auth',
  'basic_auth_mismatch',
  // Replay only: an Adyen record received with no HMAC key configured keeps no Basic auth digest to check.
  'basic_auth_not_kept',
  'unknown_public_key',
  'malformed_body',
] as const;
export const VerifyFailureReason = z.enum(VERIFY_FAILURE_REASONS);
export type VerifyFailureReason = z.infer<typeof VerifyFailureReason>;

/** Why a request or record became a dead letter, at the gateway or at the normalizer. */
export const DEAD_LETTER_REASONS = [...VERIFY_FAILURE_REASONS, 'unroutable', 'invalid_payload'] as const;
export const DeadLetterReason = z.enum(DEAD_LETTER_REASONS);
export type DeadLetterReason = z.infer<typeof DeadLetterReason>;

/**
 * The gateway's answers to a request it does not take (413, 400, and 404 for a path naming no provider it
 * serves): counted, never dead letters, since there is no body to keep or no provider to verify it with.
 * Apart from the dead-letter reasons, so that no dead letter can claim one.
 */
export const REQUEST_REFUSAL_REASONS = ['body_too_large', 'malformed_request', 'unknown_provider'] as const;

/** What was wrong with one field of a payload that verified but could not be normalized. */
export const VALIDATION_CODES = [
  'invalid_json',
  'missing_field',
  'invalid_type',
  'invalid_value',
  'invalid_amount',
  'amount_precision',
  'amount_out_of_range',
  'unknown_currency',
  'invalid_timestamp',
] as const;
export const ValidationCode = z.enum(VALIDATION_CODES);
export type ValidationCode = z.infer<typeof ValidationCode>;

export const ValidationIssue = z
  .object({
    path: z.string().describe('Dotted path in the provider payload, e.g. `data.object.amount`.'),
    code: ValidationCode,
    message: z.string(),
  })
  .strict();
export type ValidationIssue = z.infer<typeof ValidationIssue>;
