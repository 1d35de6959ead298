/**
 * Adyen's refusal reasons (docs.adyen.com/development-resources/refusal-reasons) and the raw ISO 8583
 * responses of Visa and Mastercard (…/raw-acquirer-responses) on the unified decline taxonomy.
 */
import type { FailureCode } from '../../contracts/vocabulary.ts';
import { lookup } from './maps.ts';

/** The `reason` text of a failed item, as Adyen spells it. Matched case-insensitively. */
export const REFUSAL_REASONS = {
  Refused: 'do_not_honor',
  Referral: 'do_not_honor',
  'Acquirer Error': 'processing_error',
  'Blocked Card': 'restricted_card',
  'Expired Card': 'expired_card',
  'Invalid Amount': 'invalid_amount',
  'Invalid Card Number': 'incorrect_number',
  'Issuer Unavailable': 'try_again_later',
  'Not supported': 'card_not_supported',
  '3D Not Authenticated': 'authentication_required',
  '3d-secure: Authentication failed': 'authentication_required',
  'Not enough balance': 'insufficient_funds',
  'Acquirer Fraud': 'suspected_fraud',
  Cancelled: 'other',
  'Shopper Cancelled': 'other',
  'Invalid Pin': 'other',
  'Pin tries exceeded': 'other',
  'Pin validation not possible': 'processing_error',
  FRAUD: 'suspected_fraud',
  'Not Submitted': 'processing_error',
  'FRAUD-CANCELLED': 'suspected_fraud',
  'Transaction Not Permitted': 'card_not_supported',
  'CVC Declined': 'incorrect_cvc',
  'Restricted Card': 'restricted_card',
  'Revocation Of Auth': 'revocation_of_authorization',
  'Declined Non Generic': 'do_not_honor',
  'Withdrawal amount exceeded': 'limit_exceeded',
  'Withdrawal count exceeded': 'limit_exceeded',
  'Issuer Suspected Fraud': 'suspected_fraud',
  'AVS Declined': 'incorrect_address',
  'Card requires online pin': 'authentication_required',
  'No checking account available on Card': 'invalid_account',
  'No savings account available on Card': 'invalid_account',
  'Mobile pin required': 'authentication_required',
  'Contactless fallback': 'authentication_required',
  'Authentication required': 'authentication_required',
  'RReq not received from DS': 'authentication_required',
  'Current AID is in Penalty Box': 'try_again_later',
  'CVM Required Restart Payment': 'authentication_required',
  '3DS Authentication Error': 'authentication_required',
  'Online PIN required': 'authentication_required',
  'Try another interface': 'other',
  'Chip downgrade mode': 'other',
  'Transaction blocked by Adyen to prevent excessive retry fees': 'limit_exceeded',
  'Lost Card': 'lost_or_stolen_card',
  'Stolen Card': 'lost_or_stolen_card',
} as const satisfies Record<string, FailureCode>;

/** Raw response codes, the part before the colon of `refusalReasonRaw` ("51 : Insufficient funds"). */
export const RAW_RESPONSE_CODES = {
  '01': 'do_not_honor',
  '02': 'do_not_honor',
  '04': 'pickup_card',
  '05': 'do_not_honor',
  '07': 'pickup_card',
  '12': 'card_not_supported',
  '13': 'invalid_amount',
  '14': 'incorrect_number',
  '15': 'invalid_account',
  '41': 'lost_or_stolen_card',
  '43': 'lost_or_stolen_card',
  '46': 'invalid_account',
  '51': 'insufficient_funds',
  '54': 'expired_card',
  '57': 'card_not_supported',
  '58': 'card_not_supported',
  '59': 'suspected_fraud',
  '61': 'limit_exceeded',
  '62': 'restricted_card',
  '63': 'suspected_fraud',
  '83': 'suspected_fraud',
  '91': 'try_again_later',
  '92': 'processing_error',
  '96': 'processing_error',
  '1A': 'authentication_required',
  N7: 'incorrect_cvc',
  R0: 'revocation_of_authorization',
  R1: 'revocation_of_authorization',
  R3: 'revocation_of_authorization',
} as const satisfies Record<string, FailureCode>;

const BY_LOWER_REASON: Readonly<Record<string, FailureCode>> = Object.fromEntries(
  Object.entries(REFUSAL_REASONS).map(([reason, code]) => [reason.toLowerCase(), code]),
);

// Adyen's generic refusals: the raw scheme response, when present, says more.
const GENERIC: ReadonlySet<FailureCode> = new Set(['do_not_honor', 'other']);

function rawCode(raw: string | null): FailureCode | undefined {
  const code = raw === null ? null : (/^\s*([0-9A-Z]{1,3})\s*:/.exec(raw)?.[1] ?? null);
  // Visa and Mastercard send single-digit codes with or without the leading zero.
  const padded = code !== null && /^\d$/.test(code) ? `0${code}` : code;
  return lookup(RAW_RESPONSE_CODES, padded);
}

/**
 * The unified failure code of a failed item: Adyen's own refusal reason (already mapped across schemes),
 * or the raw scheme response where the reason is generic or unknown; `other` when neither says.
 */
export function failureCode(reason: string | null, refusalReasonRaw: string | null): FailureCode {
  const fromReason = lookup(BY_LOWER_REASON, reason === null ? null : reason.trim().toLowerCase());
  if (fromReason !== undefined && !GENERIC.has(fromReason)) return fromReason;
  return rawCode(refusalReasonRaw) ?? fromReason ?? 'other';
}
