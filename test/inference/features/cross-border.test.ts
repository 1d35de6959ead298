import assert from 'node:assert/strict';
import { test } from 'node:test';
import { usesCurrency } from '../../../src/inference/features/cross-border.ts';
import { computeFeatures } from '../../../src/inference/features/features.ts';
import { ALPHA_2 } from '../../../src/providers/country.ts';
import { ISO_4217 } from '../../../src/providers/currency.ts';
import { DAY, event, HOUR, succeeded, T0 } from '../events.ts';

const card = (country: string) => ({ metadata: { card_country: country } });

test('card_country_mismatch: the card country does not use the currency; unknown or malformed → 0', () => {
  const mismatch = (country: string | null, currency = 'USD') =>
    computeFeatures(event({ currency, ...(country === null ? {} : card(country)) }), []).card_country_mismatch;
  assert.equal(mismatch('US'), 0);
  assert.equal(mismatch('GB'), 1);
  assert.equal(mismatch('FR', 'EUR'), 0);
  assert.equal(mismatch('EC'), 0, 'a dollarized economy');
  assert.equal(mismatch('SN', 'XOF'), 0, 'a currency union');
  assert.equal(mismatch('JP', 'EUR'), 1);
  assert.equal(mismatch(null), 0);
  assert.equal(mismatch('Unknown'), 0);
  assert.equal(mismatch('usa', 'JPY'), 1, 'alpha-3 and lower case are read as the providers send them');
});

test("card_country_mismatch falls back to an earlier event of the same payment (Stripe's Charge)", () => {
  const charge = succeeded('pi_9', T0 - 1000, { currency: 'GBP', ...card('US') });
  const intent = event({ payment_id: 'pi_9', currency: 'GBP' });
  assert.equal(computeFeatures(intent, [charge]).card_country_mismatch, 1);
  const otherPayment = succeeded('pi_8', T0 - 1000, { currency: 'GBP', ...card('US') });
  assert.equal(computeFeatures(intent, [otherPayment]).card_country_mismatch, 0);
  // The future never counts, even for the same payment.
  const later = succeeded('pi_9', T0 + 1000, { currency: 'GBP', ...card('US') });
  assert.equal(computeFeatures(intent, [later]).card_country_mismatch, 0);
});

test('every currency the providers take is used by some assigned country (no currency is foreign to all cards)', () => {
  for (const currency of ISO_4217.keys()) {
    assert.ok(
      ALPHA_2.some((country) => usesCurrency(country, currency)),
      currency,
    );
  }
});

test('currency_mismatch: not the usual currency (most attempts; ties to the latest), through a spree abroad', () => {
  const history = [
    succeeded('p1', T0 - 30 * DAY),
    succeeded('p2', T0 - 20 * DAY),
    succeeded('p3', T0 - 2 * HOUR, { currency: 'EUR' }),
  ];
  const features = (currency: string, past = history) => computeFeatures(event({ currency }), past);
  assert.equal(features('EUR').currency_mismatch, 1);
  assert.equal(features('EUR').new_currency, 0, 'the second payment abroad is not new');
  assert.equal(features('USD').currency_mismatch, 0);
  assert.equal(features('EUR', []).currency_mismatch, 0, 'no past, no usual currency');
  const tied = [succeeded('p1', T0 - 3 * DAY), succeeded('p2', T0 - DAY, { currency: 'EUR' })];
  assert.equal(features('EUR', tied).currency_mismatch, 0);
  assert.equal(features('USD', tied).currency_mismatch, 1);
});
