import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { UnifiedPaymentEvent } from '../../../src/contracts/payment-event.ts';
import { checkBusinessRules, type RuleCode } from '../../../src/orchestrator/activities/business-rules.ts';
import type { PaymentTotals } from '../../../src/storage/port.ts';
import { computeTotals, type TotalsRow } from '../../../src/storage/totals.ts';
import { unifiedEvent } from '../../storage/events.ts';

/** Totals of a payment whose stored events are given as [type, amount, refund id?]. */
function totals(...events: [UnifiedPaymentEvent['event_type'], number, string?][]): PaymentTotals {
  const rows: TotalsRow[] = events.map(([event_type, amount_cents, refundId], index) => ({
    event_id: `stored_${index}`,
    event_type,
    amount_cents,
    currency: 'USD',
    status: 'succeeded',
    timestamp: `2025-12-31T00:00:0${index}.000Z`,
    metadata: refundId === undefined ? {} : { refund_id: refundId },
  }));
  return computeTotals('pi_1', rows);
}

const NONE = totals();
const codes = (event: UnifiedPaymentEvent, known: PaymentTotals = NONE): RuleCode[] =>
  checkBusinessRules(event, known).map((violation) => violation.code);

const refund = (amount: number, overrides: Partial<UnifiedPaymentEvent> = {}) =>
  unifiedEvent({ event_type: 'refund.succeeded', status: 'refunded', amount_cents: amount, ...overrides });

test('a valid payment passes every rule', () => {
  assert.deepEqual(codes(unifiedEvent()), []);
});

test('amounts: money-moving events need an amount above 0; failures may carry 0', () => {
  assert.deepEqual(codes(unifiedEvent({ amount_cents: 0 })), ['amount_not_positive']);
  assert.deepEqual(codes(refund(0)), ['amount_not_positive']);
  assert.deepEqual(codes(unifiedEvent({ amount_cents: 0, event_type: 'payment.failed', status: 'failed' })), []);
});

test('currency must be a known ISO 4217 code', () => {
  assert.deepEqual(codes(unifiedEvent({ currency: 'XYZ' })), ['unknown_currency']);
  assert.deepEqual(codes(unifiedEvent({ currency: 'JPY' })), []);
});

test('timestamps: sane, not far after receipt, not before 2000', () => {
  assert.deepEqual(codes(unifiedEvent({ timestamp: '2026-01-01T01:00:00.000Z' })), ['timestamp_in_future']);
  assert.deepEqual(codes(unifiedEvent({ timestamp: '2026-01-01T00:10:00.000Z' })), [], 'clock skew tolerated');
  assert.deepEqual(codes(unifiedEvent({ timestamp: '1999-12-31T23:59:59.999Z' })), ['timestamp_too_old']);
  assert.deepEqual(codes(unifiedEvent({ timestamp: 'yesterday' })), ['invalid_timestamp']);
});

test('a refund never exceeds what was captured minus earlier refunds', () => {
  const paid = totals(['payment.succeeded', 1000], ['refund.succeeded', 600, 're_1']);
  const named = (amount: number, id: string) => refund(amount, { metadata: { refund_id: id } });
  assert.deepEqual(codes(named(400, 're_2'), paid), []);
  assert.deepEqual(codes(named(401, 're_2'), paid), ['refund_exceeds_captured']);
  assert.deepEqual(codes(named(600, 're_1'), paid), [], 'a second report of re_1 is not a second refund');
  assert.deepEqual(codes(refund(1000), paid), [], 'a cumulative report (no refund id) is the total so far');
  assert.deepEqual(codes(refund(1001), paid), ['refund_exceeds_captured']);
  assert.deepEqual(codes(named(100, 're_3'), totals(['payment.succeeded', 1000])), []);
  assert.deepEqual(codes(refund(100, { currency: 'EUR' }), paid), ['currency_mismatch']);
});

test('a refund that failed returned nothing: its re-issue fits, and a late report of it adds nothing', () => {
  const named = (amount: number, id: string) => refund(amount, { metadata: { refund_id: id } });
  const failed = totals(
    ['payment.succeeded', 1000],
    ['refund.succeeded', 1000, 're_1'],
    ['refund.failed', 1000, 're_1'],
  );
  assert.deepEqual(codes(named(1000, 're_2'), failed), [], 'the merchant re-issues the refund');
  assert.deepEqual(codes(named(1001, 're_2'), failed), ['refund_exceeds_captured']);
  const reissued = totals(
    ['payment.succeeded', 1000],
    ['refund.failed', 1000, 're_1'],
    ['refund.succeeded', 1000, 're_2'],
  );
  assert.deepEqual(codes(named(1000, 're_1'), reissued), [], 'the failed one reported succeeded after all');
});

test('refunds and disputes of payments known failed or canceled are quarantined; unseen ones pass', () => {
  const failed = totals(['payment.failed', 1000]);
  assert.deepEqual(codes(refund(100), failed), ['refund_of_failed_payment']);
  assert.deepEqual(codes(refund(100), totals(['payment.canceled', 1000])), ['refund_of_canceled_payment']);
  const dispute = unifiedEvent({ event_type: 'dispute.opened', status: 'disputed' });
  assert.deepEqual(codes(dispute, failed), ['dispute_of_failed_payment']);
  assert.deepEqual(codes(refund(5000)), [], 'refund before its payment: allowed, the success may be in flight');
  assert.deepEqual(codes(dispute), []);
  const retried = totals(['payment.failed', 1000], ['payment.succeeded', 1000]);
  assert.deepEqual(codes(refund(100), retried), [], 'a failed attempt then a success is a paid payment');
});

test('every broken rule is reported, each with a message', () => {
  const violations = checkBusinessRules(unifiedEvent({ amount_cents: 0, currency: 'XYZ' }), NONE);
  assert.deepEqual(
    violations.map((v) => v.code),
    ['amount_not_positive', 'unknown_currency'],
  );
  assert.ok(violations.every((v) => v.message.length > 0));
});
