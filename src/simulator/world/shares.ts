/**
 * The world's lifecycle proportions, in broad strokes of public card-payment figures: refunds a few percent
 * of sales, some payments authorized first and captured later. Declines, fraud and disputes are not shares:
 * they come from the calendar world's cardholders, paydays and fraud scenarios.
 */
import type { ProviderName } from '../../contracts/vocabulary.ts';

export interface WorldShares {
  /** Relative numbers of customers per provider (each customer pays through one). */
  readonly providers: Readonly<Partial<Record<ProviderName, number>>>;
  /** Share of successful payments captured manually (authorized first), where the provider allows it. */
  readonly manualCapture: number;
  /** Share of manual authorizations released instead of captured. */
  readonly cancelAfterAuthorization: number;
  /** Share of captured payments refunded later. */
  readonly refund: number;
  /** Share of refunds that return the whole amount (the others are partial). */
  readonly fullRefund: number;
  /** Share of partially refunded payments that get a second partial refund. */
  readonly secondRefund: number;
  /** Share of a customer's disputes the merchant wins (a fraudster's victim nearly always wins it back). */
  readonly disputeWon: number;
}

export const DEFAULT_SHARES: WorldShares = {
  providers: { stripe: 45, adyen: 25, square: 20, braintree: 10 },
  manualCapture: 0.15,
  cancelAfterAuthorization: 0.2,
  refund: 0.04,
  fullRefund: 0.5,
  secondRefund: 0.25,
  disputeWon: 0.4,
};
