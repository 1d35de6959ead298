import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FAILURE_CODES } from '../../../src/contracts/vocabulary.ts';
import { failureCode, RAW_RESPONSE_CODES, REFUSAL_REASONS } from '../../../src/providers/adyen/failure-codes.ts';

test("Adyen's refusal reasons map onto the unified taxonomy, case-insensitively", () => {
  const expected = {
    Refused: 'do_not_honor',
    'Not enough balance': 'insufficient_funds',
    'Expired Card': 'expired_card',
    'CVC Declined': 'incorrect_cvc',
    'Blocked Card': 'restricted_card',
    'Stolen Card': 'lost_or_stolen_card',
    Fraud: 'suspected_fraud',
    'Acquirer Error': 'processing_error',
    'Issuer Unavailable': 'try_again_later',
    'Withdrawal amount exceeded': 'limit_exceeded',
    '3D Not Authenticated': 'authentication_required',
    'Invalid Card Number': 'incorrect_number',
    'Revocation Of Auth': 'revocation_of_authorization',
    ' avs declined ': 'incorrect_address',
  };
  for (const [reason, code] of Object.entries(expected)) assert.equal(failureCode(reason, null), code, reason);
});

test('a generic refusal defers to the raw scheme response; a specific one does not', () => {
  assert.equal(failureCode('Refused', '51 : Insufficient funds/over credit limit'), 'insufficient_funds');
  assert.equal(failureCode('Declined Non Generic', '05: Do not honor'), 'do_not_honor');
  assert.equal(failureCode('Refused', '5 : Do not honor'), 'do_not_honor');
  assert.equal(failureCode('Cancelled', '43 : Stolen card, pick up'), 'lost_or_stolen_card');
  assert.equal(failureCode('CVC Declined', '05 : Do not honor'), 'incorrect_cvc');
  assert.equal(failureCode(null, 'N7 : Decline for CVV2 failure'), 'incorrect_cvc');
});

test('unknown reasons and raw codes are `other`, never a crash', () => {
  assert.equal(failureCode('Something new', 'ZZ : unheard of'), 'other');
  assert.equal(failureCode(null, null), 'other');
  assert.equal(failureCode('__proto__', 'constructor: x'), 'other');
});

test('every mapped value is in the unified vocabulary', () => {
  for (const code of [...Object.values(REFUSAL_REASONS), ...Object.values(RAW_RESPONSE_CODES)]) {
    assert.ok((FAILURE_CODES as readonly string[]).includes(code), code);
  }
});
