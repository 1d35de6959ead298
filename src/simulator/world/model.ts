/**
 * The synthetic world's vocabulary, independent of any provider's payload shapes: who pays whom, and what
 * happens to each payment. Renderers turn steps into webhooks; the world never knows how they look.
 */
import type { FailureCode, ProviderName } from '../../contracts/vocabulary.ts';

export interface Customer {
  /** A world id (`cust_000042`); renderers derive the provider's own customer id from it. */
  readonly id: string;
  /** The currency the customer usually pays in. */
  readonly homeCurrency: string;
  /** The provider the customer's merchants usually charge through. */
  readonly provider: ProviderName;
}

export interface Merchant {
  readonly id: string;
  readonly name: string;
}

/** One thing that happens to a payment. Amounts are integers in the currency's ISO 4217 minor unit. */
export type Step =
  /** A hold placed on the card, to be captured later (manual capture). */
  | { readonly kind: 'authorized' }
  /** The hold captured. */
  | { readonly kind: 'captured' }
  /** Authorized and captured at once (automatic capture). */
  | { readonly kind: 'succeeded' }
  | { readonly kind: 'failed'; readonly decline: FailureCode }
  /** The hold released before capture. */
  | { readonly kind: 'canceled' }
  | {
      readonly kind: 'refunded';
      /** 1 for the payment's first refund, 2 for its second… */
      readonly number: number;
      readonly amount: number;
      /** Everything refunded so far, this refund included. */
      readonly refundedTotal: number;
    }
  | { readonly kind: 'dispute_opened' }
  | { readonly kind: 'dispute_won' }
  | { readonly kind: 'dispute_lost' };

export type StepKind = Step['kind'];

export interface Payment {
  /** Position in the world's sequence of payments; ids and names derive from it. */
  readonly seq: number;
  /** A world id (`pay_000042`), the same for every step of the payment. */
  readonly ref: string;
  readonly provider: ProviderName;
  readonly customer: Customer;
  readonly merchant: Merchant;
  readonly currency: string;
  readonly amount: number;
  /**
   * The issuing country of the card charged (ISO 3166-1 alpha-2, from its BIN), which renderers put where
   * each provider reports it; absent when a payment is built without a card. A stolen card keeps its owner's.
   */
  readonly cardCountry?: string;
  /** In time order. */
  readonly steps: readonly TimedStep[];
}

export interface TimedStep {
  readonly step: Step;
  /** World time, in milliseconds from the start of the world. */
  readonly at: number;
  /** Position of the step within its payment (0 for the first). */
  readonly index: number;
  readonly payment: Payment;
}
