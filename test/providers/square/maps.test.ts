import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DisputeState, type Square } from 'square';
import { FAILURE_CODES } from '../../../src/contracts/vocabulary.ts';
import {
  DISPUTE_STATES,
  disputeOutcome,
  failureCode,
  PAYMENT_STATUSES,
  paymentOutcome,
  REFUND_STATUSES,
  refundOutcome,
  SQUARE_DECLINE_CODES,
} from '../../../src/providers/square/maps.ts';

// Compile-time: every code in our decline table is a real Square ErrorCode (tsc fails on a typo).
const asSdkCodes: readonly Square.ErrorCode[] = SQUARE_DECLINE_CODES;
// …and every dispute state we map a real DisputeState.
const asSdkStates: readonly Square.DisputeState[] = DISPUTE_STATES;

test('the decline codes named in the brief map to specific unified codes', () => {
  const expected = {
    CARD_DECLINED: 'do_not_honor',
    GENERIC_DECLINE: 'do_not_honor',
    INSUFFICIENT_FUNDS: 'insufficient_funds',
    CVV_FAILURE: 'incorrect_cvc',
    ADDRESS_VERIFICATION_FAILURE: 'incorrect_address',
    INVALID_EXPIRATION: 'expired_card',
    CARD_EXPIRED: 'expired_card',
    EXPIRATION_FAILURE: 'expired_card',
    CARD_NOT_SUPPORTED: 'card_not_supported',
    INVALID_ACCOUNT: 'invalid_account',
    TRANSACTION_LIMIT: 'limit_exceeded',
    VOICE_FAILURE: 'do_not_honor',
    PAN_FAILURE: 'incorrect_number',
    INVALID_CARD: 'incorrect_number',
    CARD_DECLINED_VERIFICATION_REQUIRED: 'authentication_required',
    ALLOWABLE_PIN_TRIES_EXCEEDED: 'restricted_card',
  };
  for (const [code, unified] of Object.entries(expected)) assert.equal(failureCode(code), unified, code);
});

test('every mapped decline code gives a unified code other than `other`; unknown codes give `other`', () => {
  assert.ok(asSdkCodes.length >= 40);
  for (const code of SQUARE_DECLINE_CODES) {
    const unified = failureCode(code);
    assert.ok(FAILURE_CODES.includes(unified) && unified !== 'other', code);
  }
  for (const code of [undefined, '', 'NOT_A_CODE', 'toString', '__proto__', 'card_declined']) {
    assert.equal(failureCode(code), 'other', String(code));
  }
});

test('every documented payment and refund status has an outcome; anything else has none', () => {
  assert.deepEqual(
    PAYMENT_STATUSES.map((status) => paymentOutcome(status)?.status),
    ['authorized', 'pending', 'succeeded', 'canceled', 'failed'],
  );
  assert.deepEqual(
    REFUND_STATUSES.map((status) => refundOutcome(status)?.eventType),
    ['refund.created', 'refund.created', 'refund.succeeded', 'refund.failed', 'refund.failed'],
  );
  for (const status of ['approved', 'constructor', 'hasOwnProperty', 'UNKNOWN']) {
    assert.equal(paymentOutcome(status), undefined, status);
    assert.equal(refundOutcome(status), undefined, status);
  }
});

test('every SDK dispute state has an outcome: opened, won, lost, or (a change into review) none', () => {
  assert.deepEqual([...asSdkStates].sort(), Object.values(DisputeState).sort());
  const changed = Object.fromEntries(
    DISPUTE_STATES.map((state) => [state, disputeOutcome(state, false)?.eventType ?? null]),
  );
  assert.deepEqual(changed, {
    INQUIRY_EVIDENCE_REQUIRED: 'dispute.opened',
    INQUIRY_PROCESSING: null,
    INQUIRY_CLOSED: 'dispute.won',
    EVIDENCE_REQUIRED: 'dispute.opened',
    PROCESSING: null,
    WON: 'dispute.won',
    LOST: 'dispute.lost',
    ACCEPTED: 'dispute.lost',
  });
  // First reported already under review, a dispute is still opened.
  assert.equal(disputeOutcome('PROCESSING', true)?.eventType, 'dispute.opened');
  assert.equal(disputeOutcome('INQUIRY_PROCESSING', true)?.eventType, 'dispute.opened');
  for (const state of DISPUTE_STATES) {
    const status = disputeOutcome(state, true)?.status;
    assert.equal(status, 'disputed', state);
  }
  for (const state of ['won', 'toString', '__proto__', 'REVERSED'])
    assert.equal(disputeOutcome(state, true), undefined, state);
});
