/**
 * The minor units each provider's amounts are in, per currency: ISO 4217 with its exceptions (PROVIDERS.md).
 * Apart from the registry, which loads every provider's code: scoring reads these tables on its own thread, and
 * loading the four providers there for them made the fraud score's p99 grow (bench/README, 2026-11-27).
 */
import type { ProviderName } from '../contracts/vocabulary.ts';
import { ADYEN_EXPONENTS } from './adyen/maps.ts';
import { BRAINTREE_EXPONENTS } from './braintree/maps.ts';
import type { ExponentTable } from './currency.ts';
import { SQUARE_EXPONENTS } from './square/objects.ts';
import { STRIPE_EXPONENTS } from './stripe/maps.ts';

export const PROVIDER_EXPONENTS: Readonly<Record<ProviderName, ExponentTable>> = Object.freeze({
  stripe: STRIPE_EXPONENTS,
  square: SQUARE_EXPONENTS,
  adyen: ADYEN_EXPONENTS,
  braintree: BRAINTREE_EXPONENTS,
});
