/**
 * Realistic webhook requests for the gateway benchmark: every payment fixture of every provider, signed by
 * the provider's own `sign` (the SDK-checked inverse of `verify`), so each request costs the gateway a real
 * verification. Stripe's signature carries a time; the run is far shorter than its 300 s tolerance.
 */
import type { ProvidersConfig } from '../../src/config/config.ts';
import { PROVIDERS } from '../../src/contracts/vocabulary.ts';
import { createProviderRegistry } from '../../src/providers/registry.ts';
import { FIXTURES } from '../../src/simulator/fixtures.ts';

/** One request as autocannon's `requests` option takes it. */
export interface BenchRequest {
  readonly method: 'POST';
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

export function signedRequests(config: ProvidersConfig, now = new Date()): BenchRequest[] {
  const registry = createProviderRegistry(config);
  return PROVIDERS.flatMap((name) =>
    FIXTURES[name]
      .filter((fixture) => fixture.expect !== 'unsupported')
      .map((fixture) => {
        const signed = registry[name].sign(fixture.payload, { timestamp: now });
        return {
          method: 'POST' as const,
          path: `/webhooks/${name}`,
          headers: { ...signed.headers },
          body: signed.body,
        };
      }),
  );
}
