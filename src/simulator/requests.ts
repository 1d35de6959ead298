/**
 * Planned deliveries as HTTP requests: signed when sent (Stripe signs every attempt anew, with the time of
 * that attempt), and forgeries signed with secrets the gateway does not hold. The unified event ids each
 * request must produce come from running the provider's own `normalize` on the very bytes sent.
 */
import type { ProvidersConfig } from '../config/config.ts';
import type { Provider, SignedRequest } from '../providers/provider.ts';
import { createProviderRegistry, type ProviderRegistry } from '../providers/registry.ts';
import type { PlannedDelivery } from './plan.ts';

export interface PreparedRequest {
  /** The path under the target: `/webhooks/<provider>`. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** The unified event ids the pipeline must store once this request is acknowledged (none for a forgery). */
  readonly eventIds: readonly string[];
}

export interface Signers {
  readonly genuine: ProviderRegistry;
  readonly forger: ProviderRegistry;
}

/**
 * The same providers with wrong secrets but the right public parts (Square's URL, Adyen's Basic auth,
 * Braintree's public key), so that a forgery fails on its signature and on nothing else.
 */
export function forgedConfig(real: ProvidersConfig): ProvidersConfig {
  return {
    stripe: { ...real.stripe, secrets: ['whsec_forged_by_the_paypipe_simulator'] },
    square: { ...real.square, signatureKeys: ['forged-by-the-paypipe-simulator'] },
    adyen: { ...real.adyen, hmacKeys: ['F0'.repeat(32)] },
    braintree: {
      ...real.braintree,
      keys: real.braintree.keys.map((pair) => ({ publicKey: pair.publicKey, privateKey: 'forged-private-key' })),
    },
  };
}

export function createSigners(config: ProvidersConfig): Signers {
  return { genuine: createProviderRegistry(config), forger: createProviderRegistry(forgedConfig(config)) };
}

/** The unified event ids the provider makes of a signed request; none when it does not normalize. */
export function expectedEventIds(provider: Provider, signed: SignedRequest, receivedAt: Date): string[] {
  const result = provider.normalize({
    id: 'simulator',
    provider: provider.name,
    received_at: receivedAt.toISOString(),
    headers: signed.headers,
    body: Buffer.from(signed.body),
  });
  return result.kind === 'events' ? result.events.map((event) => event.event_id) : [];
}

/** Signs a planned delivery as of `now`. Throws PAYPIPE_ERR_SIGNING when the provider is not configured. */
export function prepareRequest(signers: Signers, planned: PlannedDelivery, now: Date): PreparedRequest {
  const forged = planned.kind === 'forgery';
  const signed = (forged ? signers.forger : signers.genuine)[planned.provider].sign(planned.payload, {
    timestamp: now,
  });
  return {
    path: `/webhooks/${planned.provider}`,
    headers: signed.headers,
    body: signed.body,
    eventIds: forged ? [] : expectedEventIds(signers.genuine[planned.provider], signed, now),
  };
}
