/**
 * The card networks' retry rules over paypipe's unified decline taxonomy. Every failure code has exactly
 * one rule (`satisfies Record<FailureCode, DeclineRule>`), so a code added to the taxonomy does not compile
 * until someone decides how it is retried.
 *
 * Sources: Visa's decline categories (Visa Integrity Fee / excessive reattempts rule, April 2021): category 1
 * "issuer will never approve" (response codes 04, 07, 12, 14, 15, 41, 43, 46, 57, R0, R1, R3) must never be
 * reattempted; categories 2-4 ("cannot approve at this time", "data quality") may be, within limits
 * (see limits.ts). Mastercard's Merchant Advice Codes: 03 / 21 "do not try again", 01 "new account
 * information" (expired or replaced card), 02 "try again later" (e.g. over limit, insufficient funds;
 * processors recommend 72 h), 24-30 "retry after 1 h … 10 days" for insufficient funds.
 * https://developers.tabapay.com/docs/excessive-retry-rules,
 * https://docs.everonet.com/en-us/gateway/developer-portal/appendix/mastercard-merchant-advice-code
 */
import type { FailureCode } from '../../contracts/vocabulary.ts';

/** When a soft decline may be retried: after a fixed wait, or on the customer's next likely payday. */
export type Wait = { readonly hours: number } | 'payday';

export type DeclineRule =
  /** The issuer will never approve this card or request (Visa category 1, Mastercard MAC 03/21). */
  | { readonly kind: 'hard_decline'; readonly why: string }
  /** Only the customer can fix it (new card details, 3-D Secure): no automatic retry. */
  | { readonly kind: 'needs_customer'; readonly why: string }
  /** Retrying the same request cannot help, or could charge twice. */
  | { readonly kind: 'not_retryable'; readonly why: string }
  /** The issuer may approve later (Visa category 2, Mastercard MAC 02/24-30). */
  | { readonly kind: 'soft_decline'; readonly wait: Wait; readonly why: string }
  /** A processing fault, not a decision about the card: retry after a short pause. */
  | { readonly kind: 'transient_error'; readonly afterMinutes: number; readonly why: string };

export const DECLINE_RULES = {
  insufficient_funds: {
    kind: 'soft_decline',
    wait: 'payday',
    why: 'funds may arrive on payday (Mastercard MAC 24-30 suggest 1 h to 10 days)',
  },
  limit_exceeded: { kind: 'soft_decline', wait: { hours: 72 }, why: 'over the limit; Mastercard MAC 02 advises 72 h' },
  do_not_honor: { kind: 'soft_decline', wait: { hours: 24 }, why: 'generic issuer decline (Visa 05, category 2)' },
  try_again_later: { kind: 'soft_decline', wait: { hours: 1 }, why: 'issuer asks to try later (MAC 24: after 1 h)' },
  processing_error: { kind: 'transient_error', afterMinutes: 5, why: 'system malfunction (Visa 96, category 2)' },
  expired_card: { kind: 'needs_customer', why: 'needs new card details (Mastercard MAC 01, Visa 54)' },
  incorrect_cvc: { kind: 'needs_customer', why: 'the customer must correct the CVC (Visa N7, category 3)' },
  incorrect_address: { kind: 'needs_customer', why: 'the customer must correct the address (AVS mismatch)' },
  authentication_required: {
    kind: 'needs_customer',
    why: 'the customer must authenticate (3-D Secure / SCA, Visa 1A)',
  },
  lost_or_stolen_card: { kind: 'hard_decline', why: 'lost or stolen card (Visa 41/43, category 1)' },
  pickup_card: { kind: 'hard_decline', why: 'pick up card (Visa 04/07, category 1)' },
  suspected_fraud: { kind: 'hard_decline', why: 'suspected fraud (Mastercard MAC 03: do not try again)' },
  invalid_account: { kind: 'hard_decline', why: 'closed or unknown account (Visa 14/46, category 1)' },
  incorrect_number: { kind: 'hard_decline', why: 'invalid card number (Visa 14: never reattempt)' },
  card_not_supported: { kind: 'hard_decline', why: 'transaction not permitted to the card (Visa 57, category 1)' },
  currency_not_supported: { kind: 'hard_decline', why: 'the same request will be refused again (Visa 12)' },
  restricted_card: { kind: 'hard_decline', why: 'restricted card (Visa 62/57, permanent restriction)' },
  revocation_of_authorization: {
    kind: 'hard_decline',
    why: 'the cardholder revoked the authorization (Visa R0/R1/R3, Mastercard MAC 21)',
  },
  invalid_amount: { kind: 'not_retryable', why: 'the same amount will be refused again (Visa 13, category 3)' },
  duplicate_transaction: {
    kind: 'not_retryable',
    why: 'the original may have gone through: a retry could charge twice',
  },
  other: { kind: 'not_retryable', why: 'unclassified decline; with no advice, processors default to no retry' },
} as const satisfies Record<FailureCode, DeclineRule>;
