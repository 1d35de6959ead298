/**
 * Amounts as the features read them. An event's `amount_cents` is in the minor unit of the provider that
 * sent it (PROVIDERS.md: Adyen gives IDR no decimals and CLP two, where ISO 4217 gives IDR two and CLP
 * none), so the same money can read 100 times apart from two providers. The features read every amount
 * in ISO 4217 units: the customer's state keeps past amounts in ISO minor units whichever provider sent
 * them (state.ts), and the event's own amount is converted the same way before it is compared with them.
 * The trained models stand: every currency of the simulator's world has ISO's exponent at every provider.
 */
import { PROVIDERS, type ProviderName } from '../../contracts/vocabulary.ts';
import { ISO_4217 } from '../../providers/currency.ts';
import { PROVIDER_EXPONENTS } from '../../providers/exponents.ts';
import type { PastEvent } from './history.ts';

/** A currency missing from ISO's table (refused by every normalizer) is read with two decimals. */
const DEFAULT_EXPONENT = 2;

/**
 * `amount` (minor units of `provider`'s table) in ISO 4217 minor units: unchanged where the provider
 * follows ISO, or when the provider or currency is unknown (nothing better to go on).
 */
export function isoMinor(amount: number, currency: string, provider: ProviderName | undefined): number {
  const own = provider === undefined ? undefined : PROVIDER_EXPONENTS[provider].get(currency);
  const shift = own === undefined ? 0 : (ISO_4217.get(currency) ?? DEFAULT_EXPONENT) - own;
  // Dividing, not multiplying by 10 ** -2: 12345 / 100 is the double nearest 123.45, 12345 * 0.01 is not.
  return shift >= 0 ? amount * 10 ** shift : amount / 10 ** -shift;
}

/** An amount in ISO 4217 minor units, in major units. */
export function toMajor(isoMinorAmount: number, currency: string): number {
  return isoMinorAmount / 10 ** (ISO_4217.get(currency) ?? DEFAULT_EXPONENT);
}

/**
 * The provider of a past event: the prefix of its id, which the contract's `event_id` starts with (a
 * past read from the store carries no provider column: its reads come from an index that has none).
 */
function providerOf(event: PastEvent): ProviderName | undefined {
  const prefix = event.event_id.slice(0, event.event_id.indexOf(':'));
  return PROVIDERS.find((name) => name === prefix);
}

/** A past event's amount in ISO 4217 minor units. */
export function pastIsoMinor(event: PastEvent): number {
  return isoMinor(event.amount_cents, event.currency, providerOf(event));
}
