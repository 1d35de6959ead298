/**
 * Real-shaped provider payloads, one per event kind a provider sends. The conformance suite, the
 * simulator and `paypipe trigger` all use them, so they live beside the provider code.
 */
import type { EventType } from '../contracts/vocabulary.ts';

export interface ProviderFixture {
  /** The provider's own name for it, e.g. `payment_intent.succeeded`, `AUTHORISATION`, `dispute_opened`. */
  readonly name: string;
  /** The payload as `Provider.sign` takes it (JSON text, or Braintree's notification XML). */
  readonly payload: string;
  /** What normalizing it must give: the unified event types in order, or `unsupported`. */
  readonly expect: readonly EventType[] | 'unsupported';
}
