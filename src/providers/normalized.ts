/** What every provider's normalize returns, built the same way everywhere. */
import { parseUnifiedPaymentEvent, type UnifiedPaymentEvent } from '../contracts/payment-event.ts';
import type { ValidationIssue } from '../contracts/reasons.ts';
import type { NormalizeResult } from './provider.ts';

export function invalid(errors: readonly ValidationIssue[]): NormalizeResult {
  return { kind: 'invalid', errors };
}

export type CheckedEvent =
  | { readonly ok: true; readonly event: UnifiedPaymentEvent }
  | { readonly ok: false; readonly issues: readonly ValidationIssue[] };

/**
 * The contract is the last word on a candidate event: whatever it refuses (an over-long id, a NUL
 * character) becomes `invalid_value` issues, never a throw. `at` places the issues in the provider payload
 * (e.g. the Adyen item they came from); by default they name the event's field.
 */
export function checkEvent(candidate: unknown, at?: string): CheckedEvent {
  const parsed = parseUnifiedPaymentEvent(candidate);
  if (parsed.success) return { ok: true, event: parsed.data };
  const issues = parsed.error.issues.map((issue) => {
    const field = issue.path.join('.');
    return {
      path: at ?? field,
      code: 'invalid_value' as const,
      message: `the event's ${field} would be invalid: ${issue.message}`,
    };
  });
  return { ok: false, issues };
}

/** One checked candidate as a normalize result. */
export function eventResult(candidate: unknown): NormalizeResult {
  const checked = checkEvent(candidate);
  return checked.ok ? { kind: 'events', events: [checked.event] } : invalid(checked.issues);
}
