/** Every provider's fixtures, for `paypipe trigger` and for checking that a provider can sign at all. */
import type { ProviderName } from '../contracts/vocabulary.ts';
import { adyenFixtures } from '../providers/adyen/fixtures.ts';
import { braintreeFixtures } from '../providers/braintree/fixtures.ts';
import type { ProviderFixture } from '../providers/fixture.ts';
import { squareFixtures } from '../providers/square/fixtures.ts';
import { stripeFixtures } from '../providers/stripe/fixtures.ts';

export const FIXTURES: Readonly<Record<ProviderName, readonly ProviderFixture[]>> = {
  stripe: stripeFixtures,
  square: squareFixtures,
  adyen: adyenFixtures,
  braintree: braintreeFixtures,
};

/** The fixture of that name, or undefined. */
export function fixtureNamed(provider: ProviderName, name: string): ProviderFixture | undefined {
  return FIXTURES[provider].find((fixture) => fixture.name === name);
}
