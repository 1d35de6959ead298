import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { decimalToMinor, exponentTable, ISO_4217, minorToDecimal } from '../../src/providers/currency.ts';

test('ISO 4217 exponents: zero-, two-, three- and four-decimal currencies', () => {
  assert.equal(ISO_4217.get('JPY'), 0);
  assert.equal(ISO_4217.get('USD'), 2);
  assert.equal(ISO_4217.get('KWD'), 3);
  assert.equal(ISO_4217.get('CLF'), 4);
  assert.equal(ISO_4217.get('XAU'), undefined);
});

test('a provider table overrides ISO only where it says so', () => {
  const adyen = exponentTable({ CLP: 2, CVE: 0, IDR: 0, ISK: 2 });
  assert.equal(adyen.get('CLP'), 2);
  assert.equal(adyen.get('ISK'), 2);
  assert.equal(adyen.get('JPY'), 0);
  assert.equal(ISO_4217.get('CLP'), 0);
});

test('decimal strings convert exactly, never through floating point', () => {
  assert.deepEqual(decimalToMinor('10.00', 2), { ok: true, value: 1000 });
  assert.deepEqual(decimalToMinor('250.0', 2), { ok: true, value: 25000 });
  assert.deepEqual(decimalToMinor('100', 0), { ok: true, value: 100 });
  assert.deepEqual(decimalToMinor('0.29', 2), { ok: true, value: 29 });
  assert.deepEqual(decimalToMinor('1.005', 3), { ok: true, value: 1005 });
  assert.deepEqual(decimalToMinor('1.005', 2), { ok: false, code: 'amount_precision' });
  assert.deepEqual(decimalToMinor('12.50', 0), { ok: false, code: 'amount_precision' });
  assert.deepEqual(decimalToMinor('12.00', 0), { ok: true, value: 12 });
  assert.deepEqual(decimalToMinor('-1.00', 2), { ok: false, code: 'invalid_amount' });
  assert.deepEqual(decimalToMinor('1e3', 2), { ok: false, code: 'invalid_amount' });
  assert.deepEqual(decimalToMinor('90071992547409.92', 2), { ok: false, code: 'amount_out_of_range' });
});

test('every safe amount round-trips through its decimal form for every exponent', () => {
  const exponents = [...new Set(ISO_4217.values())];
  fc.assert(
    fc.property(fc.maxSafeNat(), fc.constantFrom(...exponents), (minor, exponent) => {
      const decimal = minorToDecimal(minor, exponent);
      assert.deepEqual(decimalToMinor(decimal, exponent), { ok: true, value: minor });
    }),
  );
});
