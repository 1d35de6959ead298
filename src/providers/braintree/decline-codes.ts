/**
 * Braintree's processor response codes (developer.paypal.com/braintree/docs/reference/general/
 * processor-responses/authorization-responses) on the unified decline taxonomy. 1000-class codes are
 * approvals, 2000-class processor declines, 3000-class network failures. Codes missing here fall back by
 * class in `processorFailureCode`; the raw code always travels in metadata.
 */
import type { FailureCode } from '../../contracts/vocabulary.ts';

export const PROCESSOR_RESPONSE_CODES = {
  '2000': 'do_not_honor',
  '2001': 'insufficient_funds',
  '2002': 'limit_exceeded',
  '2003': 'limit_exceeded',
  '2004': 'expired_card',
  '2005': 'incorrect_number',
  // "Invalid Expiration Date": the taxonomy has no separate code; like an expired card, ask for new details.
  '2006': 'expired_card',
  '2007': 'invalid_account',
  '2008': 'incorrect_number',
  '2009': 'invalid_account',
  '2010': 'incorrect_cvc',
  '2011': 'do_not_honor',
  '2012': 'lost_or_stolen_card',
  '2013': 'lost_or_stolen_card',
  '2014': 'suspected_fraud',
  '2015': 'restricted_card',
  '2016': 'duplicate_transaction',
  '2017': 'revocation_of_authorization',
  '2018': 'revocation_of_authorization',
  '2019': 'do_not_honor',
  '2020': 'restricted_card',
  '2021': 'suspected_fraud',
  '2022': 'do_not_honor',
  '2023': 'card_not_supported',
  '2024': 'card_not_supported',
  '2025': 'processing_error',
  '2026': 'processing_error',
  '2027': 'processing_error',
  '2028': 'processing_error',
  '2029': 'processing_error',
  '2030': 'processing_error',
  '2031': 'processing_error',
  '2032': 'processing_error',
  '2033': 'processing_error',
  '2034': 'processing_error',
  '2036': 'processing_error',
  '2037': 'processing_error',
  // "Processor Declined": the generic decline.
  '2038': 'do_not_honor',
  '2039': 'processing_error',
  '2040': 'processing_error',
  '2041': 'do_not_honor',
  '2042': 'processing_error',
  '2043': 'do_not_honor',
  '2044': 'do_not_honor',
  '2045': 'processing_error',
  '2046': 'do_not_honor',
  '2047': 'pickup_card',
  '2048': 'invalid_amount',
  '2051': 'incorrect_number',
  '2053': 'lost_or_stolen_card',
  '2054': 'invalid_amount',
  '2056': 'limit_exceeded',
  '2057': 'restricted_card',
  '2058': 'authentication_required',
  '2059': 'incorrect_address',
  '2060': 'incorrect_address',
  '2061': 'processing_error',
  '2064': 'currency_not_supported',
  '2067': 'processing_error',
  '2069': 'duplicate_transaction',
  '2070': 'revocation_of_authorization',
  '2074': 'do_not_honor',
  '2075': 'invalid_account',
  '2076': 'do_not_honor',
  '2077': 'suspected_fraud',
  '2086': 'limit_exceeded',
  '2088': 'currency_not_supported',
  '2091': 'currency_not_supported',
  '2097': 'limit_exceeded',
  '2098': 'limit_exceeded',
  '2099': 'authentication_required',
  '2101': 'authentication_required',
  '2103': 'limit_exceeded',
  '2104': 'do_not_honor',
  '2106': 'try_again_later',
  '2107': 'do_not_honor',
  '2108': 'invalid_account',
  '3000': 'try_again_later',
} as const satisfies Record<string, FailureCode>;

/** The unified code of a processor response code; undefined for approvals and non-codes. */
export function processorFailureCode(code: string): FailureCode | undefined {
  if (!/^\d{4}$/.test(code) || code.startsWith('1')) return undefined;
  if (Object.hasOwn(PROCESSOR_RESPONSE_CODES, code)) {
    return PROCESSOR_RESPONSE_CODES[code as keyof typeof PROCESSOR_RESPONSE_CODES];
  }
  // Unlisted 3000-class codes are network trouble, which a later retry can cure; any other is unknown.
  return code.startsWith('3') ? 'try_again_later' : 'other';
}
