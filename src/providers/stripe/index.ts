/** The Stripe provider: verify and sign `Stripe-Signature`, route by event family, normalize events. */
import type { StripeConfig } from '../../config/config.ts';
import type { Provider } from '../provider.ts';
import { normalizeStripeEvent } from './normalize.ts';
import { routeStripeEvent } from './route.ts';
import { STRIPE_SIGNATURE_HEADER, signStripePayload, verifyStripeSignature } from './signature.ts';

export { stripeFixtures } from './fixtures.ts';

/** A Stripe provider accepting every configured secret (rotation) and signing with the first. */
export function createStripeProvider(config: StripeConfig): Provider {
  const secrets = [...config.secrets];
  const options = { secrets, toleranceSeconds: config.toleranceSeconds };
  return {
    name: 'stripe',
    signatureHeaders: [STRIPE_SIGNATURE_HEADER],
    missingSettings: () => (secrets.length === 0 ? ['PAYPIPE_STRIPE_WEBHOOK_SECRETS'] : []),
    verify: (request) => verifyStripeSignature(request, options),
    sign: (payload, signOptions) => signStripePayload(payload, secrets, signOptions?.timestamp),
    route: routeStripeEvent,
    normalize: normalizeStripeEvent,
  };
}
