import assert from 'node:assert/strict';
import { test } from 'node:test';
import type Stripe from 'stripe';
import { FAILURE_CODES } from '../../../src/contracts/vocabulary.ts';
import { DECLINE_CODES, STRIPE_DECLINE_CODES } from '../../../src/providers/stripe/decline-codes.ts';
import { failureFromCharge, failureFromCodes, failureFromRefund } from '../../../src/providers/stripe/failure-codes.ts';
import { EVENT_RULES, lookup, STRIPE_EXPONENTS } from '../../../src/providers/stripe/maps.ts';
import { STRIPE_EVENT_TYPES } from '../../../src/providers/stripe/types.ts';

test("Stripe's exponent table: ISO plus MGA 0, ISK and UGX 2; HUF and TWD keep two decimals", () => {
  const exponents = Object.fromEntries(
    ['USD', 'JPY', 'KRW', 'KWD', 'BHD', 'MGA', 'ISK', 'UGX', 'HUF', 'TWD'].map((code) => [
      code,
      STRIPE_EXPONENTS.get(code),
    ]),
  );
  assert.deepEqual(exponents, { USD: 2, JPY: 0, KRW: 0, KWD: 3, BHD: 3, MGA: 0, ISK: 2, UGX: 2, HUF: 2, TWD: 2 });
  assert.equal(STRIPE_EXPONENTS.get('XXX'), undefined);
});

test('the decline codes the brief names map onto the unified taxonomy', () => {
  const expected = {
    insufficient_funds: 'insufficient_funds',
    generic_decline: 'do_not_honor',
    do_not_honor: 'do_not_honor',
    expired_card: 'expired_card',
    incorrect_cvc: 'incorrect_cvc',
    lost_card: 'lost_or_stolen_card',
    stolen_card: 'lost_or_stolen_card',
    fraudulent: 'suspected_fraud',
    pickup_card: 'pickup_card',
    card_velocity_exceeded: 'limit_exceeded',
    authentication_required: 'authentication_required',
    processing_error: 'processing_error',
    try_again_later: 'try_again_later',
    card_not_supported: 'card_not_supported',
    currency_not_supported: 'currency_not_supported',
    incorrect_number: 'incorrect_number',
    invalid_account: 'invalid_account',
  };
  for (const [code, unified] of Object.entries(expected))
    assert.equal(failureFromCodes(code, 'card_declined'), unified, code);
});

test('every listed decline code maps into the vocabulary; unknown and hostile keys map to other', () => {
  for (const code of STRIPE_DECLINE_CODES)
    assert.ok((FAILURE_CODES as readonly string[]).includes(DECLINE_CODES[code]));
  assert.equal(Object.keys(DECLINE_CODES).length, STRIPE_DECLINE_CODES.length);
  for (const code of ['__proto__', 'constructor', 'toString', 'never_heard_of_it', 42, null]) {
    assert.equal(failureFromCodes(code, code), 'other');
  }
});

test('error codes stand in when there is no decline code; the decline code wins when both exist', () => {
  assert.equal(failureFromCodes(undefined, 'card_declined'), 'do_not_honor');
  assert.equal(failureFromCodes(undefined, 'expired_card'), 'expired_card');
  assert.equal(failureFromCodes(undefined, 'debit_not_authorized'), 'revocation_of_authorization');
  assert.equal(failureFromCodes('stolen_card', 'card_declined'), 'lost_or_stolen_card');
  assert.equal(failureFromCharge('blocked', 'low_probability_of_authorization', 'card_declined'), 'do_not_honor');
  assert.equal(failureFromCharge('blocked', 'something_new', 'card_declined'), 'suspected_fraud');
  assert.equal(failureFromRefund('declined'), 'do_not_honor');
  assert.equal(failureFromRefund('unheard'), 'other');
});

/** stripe 23's own event types of the three routed families. */
type SdkEventType = Extract<Stripe.Event.Type, `payment_intent.${string}` | `charge.${string}` | `refund.${string}`>;

test("the routed families' event types are exactly the SDK's: a type it adds fails the type check", () => {
  const sdkKnowsOurs: readonly SdkEventType[] = STRIPE_EVENT_TYPES;
  const rules: Record<SdkEventType, unknown> = EVENT_RULES;
  assert.equal(Object.keys(rules).length, sdkKnowsOurs.length);
});

test('every event type of the routed families has a rule; others have none', () => {
  for (const type of STRIPE_EVENT_TYPES) assert.notEqual(lookup(EVENT_RULES, type), undefined, type);
  assert.equal(lookup(EVENT_RULES, 'customer.created'), undefined);
  assert.equal(lookup(EVENT_RULES, '__proto__'), undefined);
});
