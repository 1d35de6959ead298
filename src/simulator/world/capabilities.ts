/**
 * What each provider can tell through its webhooks, as paypipe maps them. The world only generates steps a
 * provider can report, so that every generated step becomes at least one webhook.
 * - Braintree sends card payments only as subscription charges (no separate authorization, capture,
 *   cancellation or successful-refund webhooks).
 */
import type { ProviderName } from '../../contracts/vocabulary.ts';

export interface Capabilities {
  readonly manualCapture: boolean;
  readonly refunds: boolean;
  readonly disputes: boolean;
  /** Currencies this provider's merchants charge in, with their relative shares. */
  readonly currencies: Readonly<Record<string, number>>;
}

export const CAPABILITIES = {
  stripe: {
    manualCapture: true,
    refunds: true,
    disputes: true,
    currencies: { USD: 50, EUR: 20, GBP: 12, JPY: 10, KWD: 3, CAD: 5 },
  },
  square: {
    manualCapture: true,
    refunds: true,
    disputes: true,
    currencies: { USD: 60, JPY: 15, GBP: 10, CAD: 10, AUD: 5 },
  },
  adyen: {
    manualCapture: true,
    refunds: true,
    disputes: true,
    currencies: { EUR: 50, USD: 15, GBP: 15, JPY: 10, KWD: 10 },
  },
  braintree: {
    manualCapture: false,
    refunds: false,
    disputes: true,
    currencies: { USD: 70, EUR: 20, GBP: 10 },
  },
} as const satisfies Record<ProviderName, Capabilities>;
