import assert from 'node:assert/strict';
import { test } from 'node:test';
import { changed, codes, fixture, issues, normalize, only, PAID } from './helpers.ts';

test('a failed payment keeps Square’s raw codes and the card facts in metadata', () => {
  const event = only(normalize(fixture('payment.updated:FAILED:INSUFFICIENT_FUNDS')));
  assert.deepEqual(
    {
      code: event.metadata.provider_failure_code,
      decline: event.metadata.provider_decline_code,
      category: event.metadata.provider_error_category,
      status: event.metadata.provider_status,
      card: event.metadata.card_status,
      location: event.metadata.location_id,
    },
    {
      code: 'INSUFFICIENT_FUNDS',
      decline: 'INSUFFICIENT_FUNDS',
      category: 'PAYMENT_METHOD_ERROR',
      status: 'FAILED',
      card: 'FAILED',
      location: 'L88917AVBK2S5',
    },
  );
});

test('a refund keeps its own id, reason and order in metadata', () => {
  const event = only(normalize(fixture('refund.created:PENDING')));
  assert.equal(event.metadata.refund_id, `${PAID}_xlEzrN7W4E0pxh0Z1jdVQV3dBrAKX`);
  assert.equal(event.metadata.refund_reason, 'Returned one item');
  assert.equal(event.metadata.order_id, 'CAISENgvhpdP05f1DWG9H8yMn4kZY');
  assert.equal(event.metadata.provider_status, 'PENDING');
});

test('amounts: fractions of a minor unit are amount_precision, never rounded; negatives and > 2^53 are out of range', () => {
  const amount = (value: unknown) =>
    changed('payment.updated:COMPLETED', (event) => {
      event.data.object.payment.amount_money.amount = value;
    });
  assert.deepEqual(codes(normalize(amount(2500.5))), ['data.object.payment.amount_money.amount:amount_precision']);
  assert.deepEqual(codes(normalize(amount(-1))), ['data.object.payment.amount_money.amount:amount_out_of_range']);
  const huge = fixture('payment.updated:COMPLETED').replace('"amount":2500', '"amount":9007199254740993');
  assert.deepEqual(codes(normalize(huge)), ['data.object.payment.amount_money.amount:amount_out_of_range']);
  const zero = changed('payment.updated:COMPLETED', (event) => {
    event.data.object.payment.amount_money.amount = 0;
    event.data.object.payment.total_money.amount = 0;
  });
  assert.equal(only(normalize(zero)).amount_cents, 0);
  const badTotal = changed('payment.updated:COMPLETED', (event) => {
    event.data.object.payment.total_money.amount = 2500.5;
  });
  assert.deepEqual(codes(normalize(badTotal)), ['data.object.payment.total_money.amount:amount_precision']);
});

test('currencies: unknown codes are unknown_currency; a lower-case code is upper-cased', () => {
  const currency = (code: string) =>
    changed('payment.updated:COMPLETED', (event) => {
      event.data.object.payment.amount_money.currency = code;
    });
  assert.deepEqual(codes(normalize(currency('XYZ'))), ['data.object.payment.amount_money.currency:unknown_currency']);
  assert.deepEqual(codes(normalize(currency('BTC'))), ['data.object.payment.amount_money.currency:unknown_currency']);
  assert.equal(only(normalize(currency('usd'))).currency, 'USD');
  const kwd = changed('payment.updated:COMPLETED', (event) => {
    event.data.object.payment.amount_money.currency = 'KWD';
    event.data.object.payment.total_money.currency = 'KWD';
  });
  assert.equal(only(normalize(kwd)).amount_cents, 2500);
  // The tip-inclusive total and the amount must name one currency, or neither amount can be trusted.
  assert.deepEqual(codes(normalize(currency('KWD'))), ['data.object.payment.total_money.currency:invalid_value']);
});

test('a status Square has not documented is invalid_value, not a guess', () => {
  const body = changed('payment.updated:COMPLETED', (event) => {
    event.data.object.payment.status = 'DISPUTED';
  });
  const [issue] = issues(normalize(body));
  assert.deepEqual([issue?.path, issue?.code], ['data.object.payment.status', 'invalid_value']);
  assert.match(issue?.message ?? '', /DISPUTED/);
  const refund = changed('refund.updated:COMPLETED', (event) => {
    event.data.object.refund.status = 'REVERSED';
  });
  assert.deepEqual(codes(normalize(refund)), ['data.object.refund.status:invalid_value']);
});

test('a failed payment with an unknown error code, or none, is `other`', () => {
  const unknown = changed('payment.updated:FAILED:GENERIC_DECLINE', (event) => {
    event.data.object.payment.card_details.errors[0].code = 'BRAND_NEW_DECLINE';
  });
  const event = only(normalize(unknown));
  assert.equal(event.failure_code, 'other');
  assert.equal(event.metadata.provider_failure_code, 'BRAND_NEW_DECLINE');
  for (const errors of [undefined, [], ['GENERIC_DECLINE'], 'GENERIC_DECLINE']) {
    const body = changed('payment.updated:FAILED:GENERIC_DECLINE', (event) => {
      event.data.object.payment.card_details.errors = errors;
    });
    assert.equal(only(normalize(body)).failure_code, 'other', JSON.stringify(errors));
  }
});

test('optional fields: no merchant or customer gives null; non-string metadata is left out', () => {
  const body = changed('payment.updated:COMPLETED', (event) => {
    delete event.merchant_id;
    delete event.data.object.payment.customer_id;
    event.data.object.payment.order_id = 12;
  });
  const event = only(normalize(body));
  assert.equal(event.merchant_id, null);
  assert.equal(event.customer_id, null);
  assert.equal(event.metadata.order_id, undefined);
  assert.ok(Object.values(event.metadata).every((value) => typeof value === 'string'));
});

test('a failed bank-account (ACH) payment takes its error from bank_account_details', () => {
  const body = changed('payment.updated:FAILED:GENERIC_DECLINE', (event) => {
    const payment = event.data.object.payment;
    delete payment.card_details;
    payment.source_type = 'BANK_ACCOUNT';
    payment.bank_account_details = {
      bank_name: 'Citizens Bank',
      transfer_type: 'ACH',
      account_ownership_type: 'INDIVIDUAL',
      country: 'US',
      errors: [{ category: 'PAYMENT_METHOD_ERROR', code: 'INSUFFICIENT_FUNDS' }],
    };
  });
  const event = only(normalize(body));
  assert.equal(event.failure_code, 'insufficient_funds');
  assert.equal(event.metadata.provider_failure_code, 'INSUFFICIENT_FUNDS');
  assert.equal(event.metadata.source_type, 'BANK_ACCOUNT');
});
