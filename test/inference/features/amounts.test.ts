import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PROVIDERS } from '../../../src/contracts/vocabulary.ts';
import { isoMinor, pastIsoMinor, toMajor } from '../../../src/inference/features/amounts.ts';
import { ISO_4217 } from '../../../src/providers/currency.ts';
import { PROVIDER_EXPONENTS } from '../../../src/providers/exponents.ts';
import { CAPABILITIES } from '../../../src/simulator/world/capabilities.ts';
import { succeeded, T0 } from '../events.ts';

test("a provider's minor units are read as ISO 4217's: Adyen's IDR and CLP, Stripe's ISK, and ISO's own", () => {
  assert.equal(toMajor(isoMinor(150_000, 'IDR', 'adyen'), 'IDR'), 150_000);
  assert.equal(toMajor(isoMinor(15_000_000, 'IDR', 'stripe'), 'IDR'), 150_000);
  assert.equal(toMajor(isoMinor(12_345, 'CLP', 'adyen'), 'CLP'), 123.45);
  assert.equal(toMajor(isoMinor(12_345, 'CLP', 'stripe'), 'CLP'), 12_345);
  assert.equal(toMajor(isoMinor(50_000, 'ISK', 'stripe'), 'ISK'), 500);
  assert.equal(toMajor(isoMinor(1_500, 'KWD', 'square'), 'KWD'), 1.5);
  assert.equal(toMajor(isoMinor(1_500, 'JPY', 'braintree'), 'JPY'), 1_500);
});

test('a past event is read with the exponents of the provider its id names', () => {
  const rupiah = { amount_cents: 100_000, currency: 'IDR' };
  assert.equal(pastIsoMinor(succeeded('pi_1', T0, { ...rupiah, event_id: 'adyen:PSP1:AUTHORISATION:true' })), 1e7);
  assert.equal(pastIsoMinor(succeeded('pi_1', T0, { ...rupiah, event_id: 'stripe:evt_1' })), 100_000);
  // An id naming no provider (never from a normalizer): read as ISO, as before.
  assert.equal(pastIsoMinor(succeeded('pi_1', T0, { ...rupiah, event_id: 'evt_1' })), 100_000);
});

test("the models stand: each currency of the simulator's world has ISO 4217's exponent at every provider", () => {
  // The models learnt amounts of these currencies; a provider departing from ISO in one of them would
  // change what the features read of it, and the models would need retraining (make models).
  for (const provider of PROVIDERS) {
    for (const currency of Object.keys(CAPABILITIES[provider].currencies)) {
      for (const other of PROVIDERS) {
        assert.equal(PROVIDER_EXPONENTS[other].get(currency), ISO_4217.get(currency), `${other} ${currency}`);
      }
    }
  }
});
