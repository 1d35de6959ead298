import assert from 'node:assert/strict';
import { test } from 'node:test';
import { computeTotals, refundedAfter, type TotalsRow } from '../../src/storage/totals.ts';

/** A refund report's event type and status, for `refundedAfter`. */
const SUCCEEDED = { event_type: 'refund.succeeded', status: 'refunded' } as const;

let seq = 0;
function row(event_type: TotalsRow['event_type'], amount_cents: number, refundId?: string): TotalsRow {
  seq++;
  return {
    event_id: `evt_${seq}`,
    event_type,
    amount_cents,
    currency: 'USD',
    status: event_type.startsWith('refund') ? 'refunded' : 'succeeded',
    timestamp: `2026-01-01T00:00:${String(seq % 60).padStart(2, '0')}.000Z`,
    metadata: refundId === undefined ? {} : { refund_id: refundId },
  };
}

test("Stripe's two reports of one refund (refund object, then charge.refunded's cumulative) count once", () => {
  const rows = [row('payment.succeeded', 1000), row('refund.succeeded', 300, 're_1'), row('refund.succeeded', 300)];
  const totals = computeTotals('pi_1', rows);
  assert.equal(totals.refunded_cents, 300);
  assert.equal(refundedAfter(totals, { ...SUCCEEDED, amount_cents: 400, metadata: { refund_id: 're_2' } }), 700);
  assert.equal(
    refundedAfter(totals, { ...SUCCEEDED, amount_cents: 700, metadata: {} }),
    700,
    'the next cumulative report',
  );
  assert.equal(refundedAfter(totals, { ...SUCCEEDED, amount_cents: 300, metadata: { refund_id: 're_1' } }), 300);
});

test('the refunded total never understates what a single report shows', () => {
  const totals = computeTotals('pi_1', [row('refund.succeeded', 100, 're_1'), row('refund.succeeded', 800)]);
  assert.equal(totals.refunded_cents, 800);
  assert.equal(refundedAfter(totals, { ...SUCCEEDED, amount_cents: 50, metadata: { refund_id: 're_2' } }), 800);
});

test('the result does not depend on row order', () => {
  const rows = [row('payment.authorized', 900), row('payment.captured', 900), row('refund.succeeded', 100, 'r')];
  assert.deepEqual(computeTotals('p', rows), computeTotals('p', [...rows].reverse()));
});

test("a refund created already succeeded (Stripe's card refunds: refund.created, status succeeded) counts once", () => {
  const created = (amount: number, id: string): TotalsRow => ({
    ...row('refund.created', amount, id),
    status: 'refunded',
  });
  const pending = { ...row('refund.created', 500, 're_2'), status: 'pending' } as const;
  const totals = computeTotals('pi_1', [row('payment.succeeded', 1000), created(600, 're_1'), pending]);
  assert.equal(totals.refunded_cents, 600, 'a pending refund has returned nothing yet');
  assert.equal(refundedAfter(totals, { ...SUCCEEDED, amount_cents: 600, metadata: { refund_id: 're_3' } }), 1200);
  const updated = computeTotals('pi_1', [created(600, 're_1'), row('refund.succeeded', 600, 're_1')]);
  assert.equal(updated.refunded_cents, 600, 'its later refund.succeeded is the same refund');
});

test("Adyen's partial captures (each names its capture) add up; one capture reported twice counts once", () => {
  const capture = (amount: number, id: string) => ({
    ...row('payment.captured', amount),
    metadata: { capture_id: id },
  });
  const totals = computeTotals('psp_1', [
    row('payment.authorized', 10_000),
    capture(6_000, 'cap_1'),
    capture(4_000, 'cap_2'),
    capture(4_000, 'cap_2'),
  ]);
  assert.equal(totals.captured_cents, 10_000);
  assert.equal(refundedAfter(totals, { ...SUCCEEDED, amount_cents: 10_000, metadata: { refund_id: 'ref_1' } }), 10_000);
});

test("unnamed success reports (Stripe's payment_intent.succeeded and charge.succeeded) stay one capture", () => {
  const stripe = computeTotals('pi_1', [row('payment.succeeded', 1000), row('payment.succeeded', 1000)]);
  assert.equal(stripe.captured_cents, 1000);
  const both = [row('payment.captured', 300), { ...row('payment.captured', 200), metadata: { capture_id: 'c' } }];
  assert.equal(computeTotals('p', both).captured_cents, 300, 'the larger reading, never their sum');
});

/** A report of refund `id` that says it failed: Stripe's refund.failed, Adyen's REFUND_FAILED, Square's FAILED… */
const failure = (amount: number, id?: string): TotalsRow => ({ ...row('refund.failed', amount, id), status: 'failed' });

test('a named refund that failed after it succeeded (Adyen REFUND_FAILED, Stripe refund.updated failed) returned nothing', () => {
  const rows = [row('payment.succeeded', 1000), row('refund.succeeded', 1000, 're_1'), failure(1000, 're_1')];
  const totals = computeTotals('pi_1', rows);
  assert.equal(totals.refunded_cents, 0);
  assert.deepEqual(totals.refunds, {});
  assert.deepEqual(totals.failed_refunds, ['re_1']);
  const reissued = { ...SUCCEEDED, amount_cents: 1000 };
  assert.equal(refundedAfter(totals, { ...reissued, metadata: { refund_id: 're_2' } }), 1000, 'the re-issued refund');
  assert.equal(refundedAfter(totals, { ...reissued, metadata: { refund_id: 're_1' } }), 0, 'a late report of re_1');
});

test('a failure stored before the success report (by timestamp, or on a tie by event id) still wins', () => {
  const failed = { ...failure(400, 're_1'), timestamp: '2026-01-01T00:00:00.000Z', event_id: 'evt_a' };
  const succeeded = {
    ...row('refund.succeeded', 400, 're_1'),
    timestamp: '2026-01-01T00:00:00.000Z',
    event_id: 'evt_b',
  };
  const later = { ...row('refund.succeeded', 400, 're_1'), timestamp: '2026-01-02T00:00:00.000Z' };
  const kept = row('refund.succeeded', 300, 're_2');
  for (const rows of [
    [failed, succeeded, kept],
    [succeeded, kept, failed],
    [failed, later, kept],
  ]) {
    const totals = computeTotals('pi_1', rows);
    assert.equal(totals.refunded_cents, 300);
    assert.deepEqual(totals.refunds, { re_2: 300 });
    assert.deepEqual(computeTotals('pi_1', [...rows].reverse()), totals);
  }
});

test('a refund created already failed or canceled (Stripe refund.created, status failed or canceled) counts nothing', () => {
  const canceled = { ...row('refund.created', 500, 're_1'), status: 'canceled' } as const;
  const totals = computeTotals('pi_1', [row('payment.succeeded', 1000), canceled]);
  assert.deepEqual(totals.failed_refunds, ['re_1']);
  assert.equal(
    refundedAfter(totals, { ...canceled, metadata: { refund_id: 're_2' } }),
    0,
    'a failure report adds nothing',
  );
  const pending = { event_type: 'refund.created', status: 'pending', amount_cents: 1000 } as const;
  assert.equal(refundedAfter(totals, { ...pending, metadata: { refund_id: 're_2' } }), 1000);
});

test('a failure does not lower the cumulative (unnamed) reading: no report says which refund it included', () => {
  const rows = [row('refund.succeeded', 600, 're_1'), row('refund.succeeded', 600), failure(600, 're_1')];
  const totals = computeTotals('pi_1', rows);
  assert.deepEqual(totals.refunds, {});
  assert.equal(totals.refunded_cents, 600, "charge.refunded's 600 stays the largest running total reported");
  assert.equal(computeTotals('pi_1', [row('refund.succeeded', 600), failure(600)]).refunded_cents, 600);
});

test("a capture Adyen's CAPTURE_FAILED names leaves the captured total, and a later capture of it counts again", () => {
  const report = (event_type: 'payment.captured' | 'payment.failed', second: number): TotalsRow => ({
    ...row(event_type, 4_000),
    timestamp: `2026-01-01T00:01:${String(second).padStart(2, '0')}.000Z`,
    metadata: { capture_id: 'cap_2' },
  });
  const first = { ...row('payment.captured', 6_000), metadata: { capture_id: 'cap_1' } };
  const failed = [first, report('payment.failed', 2), report('payment.captured', 1)];
  assert.equal(computeTotals('psp_1', failed).captured_cents, 6_000, 'in any row order');
  assert.equal(computeTotals('psp_1', [...failed].reverse()).captured_cents, 6_000);
  const recaptured = [...failed, report('payment.captured', 3)];
  assert.equal(computeTotals('psp_1', recaptured).captured_cents, 10_000);
});
