/**
 * The providers' currency exponents as one JSON document, for what reads the store outside the pipeline:
 * `amount_cents` is in the provider's minor units, so the lakehouse's summary divides by the provider's
 * exponent for the currency, never by ISO's alone. `make schema` writes it to
 * lakehouse/paypipe_lakehouse/currency_exponents.json (scripts/currency-exponents.ts), and a test fails when
 * that file drifts from these tables, so the tables here stay the only ones kept by hand.
 */
import { PROVIDERS, type ProviderName } from '../contracts/vocabulary.ts';
import { type ExponentTable, ISO_4217 } from './currency.ts';
import { PROVIDER_EXPONENTS } from './exponents.ts';

/** ISO 4217, then per provider only where it departs from ISO: another exponent, or null for a code it lacks. */
export interface ExponentsDocument {
  readonly iso_4217: Readonly<Record<string, number>>;
  readonly providers: Readonly<Record<ProviderName, Readonly<Record<string, number | null>>>>;
}

function sorted<T>(entries: Iterable<[string, T]>): Record<string, T> {
  return Object.fromEntries([...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function departures(table: ExponentTable): Record<string, number | null> {
  const codes = new Set([...ISO_4217.keys(), ...table.keys()]);
  const differing = [...codes].filter((code) => table.get(code) !== ISO_4217.get(code));
  return sorted(differing.map((code): [string, number | null] => [code, table.get(code) ?? null]));
}

export function exponentsDocument(): ExponentsDocument {
  const providers = PROVIDERS.map((name): [ProviderName, Record<string, number | null>] => [
    name,
    departures(PROVIDER_EXPONENTS[name]),
  ]);
  return { iso_4217: sorted(ISO_4217), providers: Object.fromEntries(providers) as ExponentsDocument['providers'] };
}
