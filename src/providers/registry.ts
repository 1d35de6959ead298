/** The provider registry: the only place that knows every provider (DESIGN.md §4). */

import type { ProvidersConfig } from '../config/config.ts';
import { PaypipeError } from '../contracts/errors.ts';
import { PROVIDERS, type ProviderName } from '../contracts/vocabulary.ts';
import { createAdyenProvider } from './adyen/index.ts';
import { ADYEN_EXPONENTS } from './adyen/maps.ts';
import { BRAINTREE_EXPONENTS, createBraintreeProvider } from './braintree/index.ts';
import type { ExponentTable } from './currency.ts';
import type { Provider } from './provider.ts';
import { createSquareProvider } from './square/index.ts';
import { SQUARE_EXPONENTS } from './square/objects.ts';
import { createStripeProvider } from './stripe/index.ts';
import { STRIPE_EXPONENTS } from './stripe/maps.ts';

export type ProviderRegistry = Readonly<Record<ProviderName, Provider>>;

export function createProviderRegistry(config: ProvidersConfig): ProviderRegistry {
  return Object.freeze({
    stripe: createStripeProvider(config.stripe),
    square: createSquareProvider(config.square),
    adyen: createAdyenProvider(config.adyen),
    braintree: createBraintreeProvider(config.braintree),
  });
}

/** The minor units each provider's amounts are in, per currency: ISO 4217 with its exceptions (PROVIDERS.md). */
export const PROVIDER_EXPONENTS: Readonly<Record<ProviderName, ExponentTable>> = Object.freeze({
  stripe: STRIPE_EXPONENTS,
  square: SQUARE_EXPONENTS,
  adyen: ADYEN_EXPONENTS,
  braintree: BRAINTREE_EXPONENTS,
});

export function isProviderName(name: string): name is ProviderName {
  return (PROVIDERS as readonly string[]).includes(name);
}

/** The provider of that name, or PAYPIPE_ERR_UNKNOWN_PROVIDER. */
export function providerNamed(registry: ProviderRegistry, name: string): Provider {
  if (!isProviderName(name)) {
    throw new PaypipeError(
      'PAYPIPE_ERR_UNKNOWN_PROVIDER',
      `unknown provider "${name}" (expected ${PROVIDERS.join(', ')})`,
    );
  }
  return registry[name];
}
