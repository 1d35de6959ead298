import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { ALPHA_2, alpha3, countryCode } from '../../src/providers/country.ts';

test('every code is an assigned region, and alpha-3 round-trips to its alpha-2', () => {
  const names = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
  assert.equal(ALPHA_2.length, 249);
  for (const code of ALPHA_2) {
    assert.ok(names.of(code), code);
    assert.equal(countryCode(code), code);
    assert.equal(countryCode(alpha3(code)), code);
  }
  assert.equal(alpha3('us'), 'USA');
  assert.equal(countryCode(' gbr '), 'GB');
});

test('anything that is not an assigned code is undefined, never an exception', () => {
  for (const value of ['Unknown', 'ZZ', 'UK', 'EU', 'XKX', '', 'U', 'USAA', 840, null, undefined, {}, ['US']]) {
    assert.equal(countryCode(value), undefined, JSON.stringify(value));
  }
  assert.equal(alpha3('ZZ'), undefined);
  fc.assert(
    fc.property(fc.anything(), (value) => {
      const code = countryCode(value);
      return code === undefined || ALPHA_2.includes(code);
    }),
  );
});
