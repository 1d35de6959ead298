import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FAILURE_CODES, type FailureCode } from '../../../src/contracts/vocabulary.ts';
import { DECLINE_RULES } from '../../../src/inference/retry/rules.ts';
import { decideRetry, nextPayday, RETRY_MODEL_VERSION } from '../../../src/inference/retry/strategy.ts';
import { DAY, failed, HOUR, iso, MINUTE, succeeded, T0 } from '../events.ts';

const HARD_DECLINES: readonly FailureCode[] = [
  'lost_or_stolen_card',
  'pickup_card',
  'suspected_fraud',
  'invalid_account',
  'incorrect_number',
  'card_not_supported',
  'currency_not_supported',
  'revocation_of_authorization',
  'restricted_card',
  'expired_card',
];

/** `count` earlier declines of `pi_1`, `spacing` apart, the latest `spacing` before T0. */
function earlierDeclines(count: number, spacing: number, code: FailureCode = 'do_not_honor') {
  return Array.from({ length: count }, (_, i) => failed('pi_1', T0 - (i + 1) * spacing, code));
}

test('every failure code gets a decision consistent with its rule', () => {
  for (const code of FAILURE_CODES) {
    const decision = decideRetry(failed('pi_1', T0, code), []);
    const rule = DECLINE_RULES[code];
    assert.equal(decision.model_version, RETRY_MODEL_VERSION, code);
    assert.ok(decision.reason.startsWith(`${rule.kind}: ${code}, `), decision.reason);
    const expected = { soft_decline: 'delayed', transient_error: 'immediate' }[rule.kind as string] ?? 'none';
    assert.equal(decision.strategy, expected, code);
    if (decision.strategy === 'none') assert.equal(decision.retry_at, null, code);
    else assert.ok(Date.parse(decision.retry_at ?? '') > T0, code);
  }
});

test('hard declines are never retried, whatever the history', () => {
  const history = [succeeded('pi_0', T0 - 10 * DAY), ...earlierDeclines(1, HOUR)];
  for (const code of HARD_DECLINES) {
    const decision = decideRetry(failed('pi_1', T0, code), history);
    assert.deepEqual([decision.strategy, decision.retry_at], ['none', null], code);
  }
});

test('only the customer can fix authentication, CVC and address failures', () => {
  for (const code of ['authentication_required', 'incorrect_cvc', 'incorrect_address'] as const) {
    assert.ok(decideRetry(failed('pi_1', T0, code), []).reason.startsWith('needs_customer: '), code);
  }
});

test('soft declines wait, a processing error retries within minutes', () => {
  const at = (code: FailureCode) => decideRetry(failed('pi_1', T0, code), []).retry_at;
  assert.equal(at('do_not_honor'), iso(T0 + 24 * HOUR));
  assert.equal(at('limit_exceeded'), iso(T0 + 72 * HOUR));
  assert.equal(at('try_again_later'), iso(T0 + HOUR));
  assert.equal(at('processing_error'), iso(T0 + 5 * MINUTE));
  assert.equal(at('insufficient_funds'), '2026-03-15T12:00:00.000Z');
});

test('insufficient funds wait for the next payday at least a day away', () => {
  assert.equal(iso(nextPayday(Date.parse('2026-03-14T13:00:00.000Z'))), '2026-04-01T12:00:00.000Z');
  assert.equal(iso(nextPayday(Date.parse('2026-03-14T11:00:00.000Z'))), '2026-03-15T12:00:00.000Z');
  assert.equal(iso(nextPayday(Date.parse('2026-12-20T08:00:00.000Z'))), '2027-01-01T12:00:00.000Z');
  // Exactly a day before a payday is far enough.
  assert.equal(iso(nextPayday(Date.parse('2026-02-28T12:00:00.000Z'))), '2026-03-01T12:00:00.000Z');
});

test('Mastercard: no retry once 10 declines of the payment fall within the 24 hours before it', () => {
  const tenth = decideRetry(failed('pi_1', T0, 'processing_error'), earlierDeclines(9, 2 * HOUR));
  assert.equal(tenth.strategy, 'none');
  assert.match(tenth.reason, /^retry_limit_reached: processing_error, Mastercard/);
  const ninth = decideRetry(failed('pi_1', T0, 'processing_error'), earlierDeclines(8, 2 * HOUR));
  assert.equal(ninth.strategy, 'immediate');
  // A retry a day later starts a fresh 24-hour window: only the 30-day limit still counts them.
  assert.equal(decideRetry(failed('pi_1', T0, 'do_not_honor'), earlierDeclines(9, 2 * HOUR)).strategy, 'delayed');
});

test('Visa: at most 15 reattempts of a payment in 30 days', () => {
  const spacing = 1.8 * DAY;
  const fifteenth = decideRetry(failed('pi_1', T0, 'do_not_honor'), earlierDeclines(14, spacing));
  assert.equal(fifteenth.strategy, 'delayed');
  assert.match(fifteenth.reason, /attempt 16 of this payment$/);
  const sixteenth = decideRetry(failed('pi_1', T0, 'do_not_honor'), earlierDeclines(15, spacing));
  assert.equal(sixteenth.strategy, 'none');
  assert.match(sixteenth.reason, /^retry_limit_reached: do_not_honor, Visa/);
  // Declines that have left the 30-day window by the retry time no longer count.
  const spread = decideRetry(failed('pi_1', T0, 'do_not_honor'), earlierDeclines(15, 2.5 * DAY));
  assert.equal(spread.strategy, 'delayed');
});

test('only declines of the same payment count, and a decline announced twice counts once', () => {
  const others = Array.from({ length: 20 }, (_, i) => failed(`pi_other_${i}`, T0 - (i + 1) * MINUTE, 'do_not_honor'));
  assert.equal(decideRetry(failed('pi_1', T0, 'processing_error'), others).strategy, 'immediate');
  const doubled = earlierDeclines(8, 2 * HOUR).flatMap((e) => [
    e,
    failed('pi_1', Date.parse(e.timestamp) + 10_000, 'do_not_honor'),
  ]);
  assert.equal(decideRetry(failed('pi_1', T0, 'processing_error'), doubled).strategy, 'immediate');
});

test('events other than failed payments are not retried; a missing code counts as other', () => {
  const refund = failed('pi_1', T0, 'processing_error', { event_type: 'refund.failed' });
  assert.match(decideRetry(refund, []).reason, /^not_a_failed_payment: /);
  assert.equal(decideRetry(succeeded('pi_1', T0), []).strategy, 'none');
  assert.match(decideRetry(failed('pi_1', T0, null), []).reason, /^not_retryable: other, /);
  assert.match(decideRetry(failed('pi_1', T0, 'do_not_honor', { timestamp: 'soon' }), []).reason, /^invalid_timestamp/);
});

test('deterministic: the same event and history give the same decision, in any order', () => {
  const history = [...earlierDeclines(5, 3 * HOUR), succeeded('pi_0', T0 - 9 * DAY)];
  const first = decideRetry(failed('pi_1', T0, 'insufficient_funds'), history);
  assert.deepEqual(decideRetry(failed('pi_1', T0, 'insufficient_funds'), [...history].reverse()), first);
  assert.deepEqual(decideRetry(failed('pi_1', T0, 'insufficient_funds'), history), first);
});
