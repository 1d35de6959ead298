/** The renderer of each provider. */
import type { ProviderName } from '../../contracts/vocabulary.ts';
import { createAdyenRenderer } from './adyen.ts';
import { createBraintreeRenderer } from './braintree.ts';
import type { Renderer } from './renderer.ts';
import { createSquareRenderer } from './square.ts';
import { createStripeRenderer } from './stripe.ts';

export type Renderers = Readonly<Record<ProviderName, Renderer>>;

/** Renderers whose ids all derive from `seed`: two seeds never share a payment or event id in practice. */
export function createRenderers(seed: number): Renderers {
  return {
    stripe: createStripeRenderer(seed),
    square: createSquareRenderer(seed),
    adyen: createAdyenRenderer(seed),
    braintree: createBraintreeRenderer(seed),
  };
}
