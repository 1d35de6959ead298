import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FAILURE_CODES } from '../../../src/contracts/vocabulary.ts';
import { PROCESSOR_RESPONSE_CODES, processorFailureCode } from '../../../src/providers/braintree/decline-codes.ts';
import {
  ACH_RETURN_CODES,
  failureCodeOf,
  GATEWAY_REJECTION_REASONS,
  KIND_MAP,
  SETTLEMENT_RESPONSE_CODES,
} from '../../../src/providers/braintree/maps.ts';

const NONE = {
  gatewayRejectionReason: null,
  achReturnCode: null,
  settlementResponseCode: null,
  processorResponseCode: null,
};

test('every map lands in the unified taxonomy', () => {
  for (const table of [
    PROCESSOR_RESPONSE_CODES,
    GATEWAY_REJECTION_REASONS,
    SETTLEMENT_RESPONSE_CODES,
    ACH_RETURN_CODES,
  ]) {
    for (const code of Object.values(table)) assert.ok((FAILURE_CODES as readonly string[]).includes(code), code);
  }
});

test('the brief’s anchor codes map as documented by Braintree', () => {
  assert.deepEqual(['2000', '2001', '2004', '2010', '2038', '2047', '2053', '3000'].map(processorFailureCode), [
    'do_not_honor',
    'insufficient_funds',
    'expired_card',
    'incorrect_cvc',
    'do_not_honor',
    'pickup_card',
    'lost_or_stolen_card',
    'try_again_later',
  ]);
});

test('approvals and non-codes are not failures; unknown declines are other, unknown network codes retryable', () => {
  assert.equal(processorFailureCode('1000'), undefined);
  assert.equal(processorFailureCode('abc'), undefined);
  assert.equal(processorFailureCode('toString'), undefined);
  assert.equal(processorFailureCode('2998'), 'other');
  assert.equal(processorFailureCode('3001'), 'try_again_later');
});

test('a gateway rejection wins over the approving processor code; settlement declines over the approved auth', () => {
  assert.equal(
    failureCodeOf({ ...NONE, gatewayRejectionReason: 'avs', processorResponseCode: '1000' }),
    'incorrect_address',
  );
  assert.equal(
    failureCodeOf({ ...NONE, settlementResponseCode: '4001', processorResponseCode: '1000' }),
    'do_not_honor',
  );
  assert.equal(failureCodeOf({ ...NONE, achReturnCode: 'R02', settlementResponseCode: '4001' }), 'invalid_account');
  assert.equal(
    failureCodeOf({ ...NONE, settlementResponseCode: '4000', processorResponseCode: '2001' }),
    'insufficient_funds',
  );
  assert.equal(failureCodeOf({ ...NONE, achReturnCode: 'R99' }), 'other');
  assert.equal(failureCodeOf({ ...NONE, gatewayRejectionReason: 'constructor' }), 'other');
  assert.equal(failureCodeOf(NONE), 'other');
});

test('the kind map is the whole SDK list; intermediate dispute states are not recorded', () => {
  assert.equal(Object.keys(KIND_MAP).length, 41);
  assert.equal(KIND_MAP.dispute_under_review, null);
  assert.equal(KIND_MAP.dispute_disputed, null);
  assert.equal(KIND_MAP.dispute_expired?.eventType, 'dispute.lost');
});
