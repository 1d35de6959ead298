/**
 * What each provider gives the conformance suite (test/providers/conformance.test.ts): its fixtures, two
 * secret sets for rotation, how to tamper with a signed part of a request, how long a signature stays
 * valid, and a known-answer vector.
 */
import type { ProviderFixture } from '../../src/providers/fixture.ts';
import type { Provider, SignedRequest } from '../../src/providers/provider.ts';

/** A request whose signature was computed outside paypipe (the provider itself, its SDK's tests, openssl). */
export interface KnownAnswer {
  /** Where the vector comes from. */
  readonly source: string;
  /** A provider configured with the vector's secrets. */
  readonly provider: Provider;
  /** What `sign` takes: the event JSON, the notification JSON or the notification XML. */
  readonly payload: string;
  /** When it was signed (the receive time too, so a timestamp is never too old). */
  readonly signedAt: Date;
  /** The exact body, and every header the provider's `signatureHeaders` names. */
  readonly request: SignedRequest;
}

export interface ConformanceKit<Secrets> {
  /** Two different valid secret sets: an old one and a new one, for rotation tests. */
  readonly secrets: readonly [Secrets, Secrets];
  /** A provider that accepts every given secret set and signs with the first. */
  create(secrets: readonly Secrets[]): Provider;
  readonly fixtures: readonly ProviderFixture[];
  /** Changes a part of the request that the signature covers, so verification must fail. */
  tamper(request: SignedRequest): SignedRequest;
  /** How old a signature `create` accepts, in seconds; null when the scheme signs no time. */
  readonly toleranceSeconds: number | null;
  readonly knownAnswer: KnownAnswer;
}
