/** The provider registry: the only place that knows every provider (DESIGN.md §4). */

import type { ProvidersConfig } from '../config/config.ts';
import { PaypipeError } from '../contracts/errors.ts';
import { PROVIDERS, type ProviderName } from '../contracts/vocabulary.ts';
import { createAdyenProvider } from './adyen/index.ts';
import { createBraintreeProvider } from './braintree/index.ts';
import type { Provider } from './provider.ts';
import { createSquareProvider } from './square/index.ts';
import { createStripeProvider } from './stripe/index.ts';

export type ProviderRegistry = Readonly<Record<ProviderName, Provider>>;

export function createProviderRegistry(config: ProvidersConfig): ProviderRegistry {
  return Object.freeze({
    stripe: createStripeProvider(config.stripe),
    square: createSquareProvider(config.square),
    adyen: createAdyenProvider(config.adyen),
    braintree: createBraintreeProvider(config.braintree),
  });
}

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
