/**
 * The lakehouse reads the providers' currency exponents from the JSON `make schema` writes, so that the
 * summary shows each provider's amounts at that provider's scale from the same tables the normalizers use.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { PROVIDERS } from '../../src/contracts/vocabulary.ts';
import { PROVIDER_EXPONENTS } from '../../src/providers/exponents.ts';
import { type ExponentsDocument, exponentsDocument } from '../../src/providers/exponents-document.ts';

const committed = new URL('../../lakehouse/paypipe_lakehouse/currency_exponents.json', import.meta.url);

/** A provider's table as a reader of the document rebuilds it: ISO 4217, then the provider's departures. */
function readBack(document: ExponentsDocument, provider: (typeof PROVIDERS)[number]): Map<string, number> {
  const table = new Map(Object.entries(document.iso_4217));
  for (const [code, exponent] of Object.entries(document.providers[provider])) {
    if (exponent === null) table.delete(code);
    else table.set(code, exponent);
  }
  return table;
}

test('the lakehouse copy of the currency exponents matches the providers (run `make schema` after a change)', () => {
  const onDisk = JSON.parse(readFileSync(committed, 'utf8'));
  assert.deepEqual(onDisk, exponentsDocument(), 'lakehouse/paypipe_lakehouse/currency_exponents.json drifted');
});

test("read back, the document gives every provider's own table, code for code", () => {
  const document = exponentsDocument();
  for (const provider of PROVIDERS) {
    assert.deepEqual(readBack(document, provider), new Map(PROVIDER_EXPONENTS[provider]), provider);
  }
});

test("the document keeps the providers' departures from ISO 4217 (PROVIDERS.md)", () => {
  const { iso_4217, providers } = exponentsDocument();
  assert.deepEqual([iso_4217.ISK, iso_4217.XOF, iso_4217.KWD, iso_4217.USD], [0, 0, 3, 2]);
  assert.deepEqual(providers.adyen, { CLP: 2, CVE: 0, IDR: 0, ISK: 2 });
  assert.deepEqual([providers.stripe.ISK, providers.stripe.UGX, providers.stripe.MGA], [2, 2, 0]);
  assert.deepEqual(providers.braintree, {});
});
