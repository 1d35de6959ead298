/**
 * What each provider gives the conformance suite (test/providers/conformance.test.ts): its fixtures, two
 * secret sets for rotation, and how to tamper with a signed part of a request.
 */
import type { ProviderFixture } from '../../src/providers/fixture.ts';
import type { Provider, SignedRequest } from '../../src/providers/provider.ts';

export interface ConformanceKit<Secrets> {
  /** Two different valid secret sets: an old one and a new one, for rotation tests. */
  readonly secrets: readonly [Secrets, Secrets];
  /** A provider that accepts every given secret set and signs with the first. */
  create(secrets: readonly Secrets[]): Provider;
  readonly fixtures: readonly ProviderFixture[];
  /** Changes a part of the request that the signature covers, so verification must fail. */
  tamper(request: SignedRequest): SignedRequest;
}
