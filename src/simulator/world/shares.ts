/**
 * The world's proportions. Defaults follow public card-payment figures in broad strokes: roughly one
 * attempt in ten declined, insufficient funds the most common decline and generic "do not honor" next,
 * refunds a few percent of sales, disputes well under one percent.
 */
import type { FailureCode, ProviderName } from '../../contracts/vocabulary.ts';

export interface WorldShares {
  /** Share of payments made through each provider (customers prefer one). */
  readonly providers: Readonly<Partial<Record<ProviderName, number>>>;
  /** Share of payment attempts that are declined. */
  readonly decline: number;
  /** Relative weights of the decline reasons. */
  readonly declines: Readonly<Partial<Record<FailureCode, number>>>;
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
  /** Share of captured payments disputed. */
  readonly dispute: number;
  /** Share of disputes the merchant wins. */
  readonly disputeWon: number;
}

export const DEFAULT_SHARES: WorldShares = {
  providers: { stripe: 45, adyen: 25, square: 20, braintree: 10 },
  decline: 0.12,
  declines: {
    insufficient_funds: 34,
    do_not_honor: 26,
    expired_card: 8,
    incorrect_cvc: 7,
    try_again_later: 5,
    authentication_required: 4,
    lost_or_stolen_card: 4,
    suspected_fraud: 4,
    limit_exceeded: 3,
    card_not_supported: 2,
    processing_error: 2,
  },
  manualCapture: 0.15,
  cancelAfterAuthorization: 0.2,
  refund: 0.04,
  fullRefund: 0.5,
  secondRefund: 0.25,
  dispute: 0.006,
  disputeWon: 0.4,
};
